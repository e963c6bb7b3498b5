// Test-local helper: collects what an MqttClient's handler receives so that
// the test thread can wait for it.
#pragma once

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <initializer_list>
#include <mutex>
#include <vector>

#include "wms/protocol/MqttClient.h"

namespace wms::protocol::test {

// Generous: a wait only ends early when the condition holds; its length is
// never asserted (it only keeps a broken test from hanging).
inline constexpr std::chrono::seconds kWait{30};

template <class T>
class Collector {
 public:
  void add(T item) {
    {
      std::lock_guard lock(mutex_);
      items_.push_back(std::move(item));
    }
    changed_.notify_all();
  }

  // Waits until pred(items) holds; returns whether it did within timeout.
  bool waitUntil(const std::function<bool(const std::vector<T>&)>& pred,
                 std::chrono::milliseconds timeout = kWait) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return pred(items_); });
  }

  bool waitForCount(std::size_t n, std::chrono::milliseconds timeout = kWait) {
    return waitUntil([n](const std::vector<T>& v) { return v.size() >= n; }, timeout);
  }

  std::vector<T> items() const {
    std::lock_guard lock(mutex_);
    return items_;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<T> items_;
};

using Inbox = Collector<MqttMessage>;

// Options for a client of the test broker, by account.
inline MqttOptions optionsFor(const std::string& uri, const std::string& user, const std::string& password) {
  return MqttOptions().server(uri).clientId(user).credentials(user, password);
}

// Connects clients at the same time. Paho's network thread, shared by all
// clients of a process, notices a new connection only after a select()
// timeout (~1-2 s) while other clients are connected; connecting them
// together pays that once instead of once per client.
inline void connectAll(std::initializer_list<MqttClient*> clients) {
  std::vector<std::future<Status>> pending;
  for (MqttClient* c : clients) pending.push_back(std::async(std::launch::async, [c] { return c->connect(); }));
  for (auto& p : pending) {
    Status st = p.get();
    BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? std::string() : st.error().message));
  }
}

}  // namespace wms::protocol::test
