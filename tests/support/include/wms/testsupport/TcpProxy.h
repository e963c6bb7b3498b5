// A TCP proxy on loopback that a test can cut: every byte between a client
// and a server passes through it, and drop() ends every connection at once
// (as a Wi-Fi handover or a dead access point does) and, until allow(),
// closes new ones as soon as they arrive. Neither side is told anything
// beyond the connection closing, so the test shows what a real drop does to
// a browser's page or a client's retries.
//
// Threading: one thread accepts, one per connection carries its bytes;
// every public method is thread-safe. The destructor drops everything and
// joins its threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace wms::testsupport {

class TcpProxy {
 public:
  // Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:target.
  // Throws std::runtime_error if it cannot listen.
  explicit TcpProxy(std::uint16_t target);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  std::uint16_t port() const { return port_; }

  // Closes every open connection (both sides); with `refuse`, new
  // connections are closed on arrival until allow().
  void drop(bool refuse = true);
  void allow();
  // Connections carried since the start (for tests of the test).
  int accepted() const { return accepted_.load(); }

 private:
  void acceptLoop();
  void carry(int client, int server);

  // ---- constant after construction ----
  std::uint16_t target_ = 0;
  std::uint16_t port_ = 0;
  int listener_ = -1;

  std::atomic<bool> stopping_{false};
  std::atomic<bool> refusing_{false};
  std::atomic<int> accepted_{0};

  // ---- protected by mutex_ ----
  std::mutex mutex_;
  std::set<int> open_;  // both sockets of every carried connection
  std::vector<std::thread> carriers_;

  std::thread acceptor_;  // last: started when the rest exists
};

}  // namespace wms::testsupport
