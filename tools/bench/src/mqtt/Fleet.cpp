#include "Fleet.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <future>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include "wms/protocol/Codec.h"
#include "wms/protocol/EventIds.h"

namespace wms::bench::mqtt {
namespace {

using Clock = std::chrono::steady_clock;
using namespace wms::protocol;

std::string defaultEvent(const std::string& device, int n, const std::string& eventId) {
  PickConfirm c;
  c.device = device;
  c.ts = std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count();
  c.eventId = eventId;
  c.batchId = "BENCH";
  c.stopId = "S" + std::to_string(n);
  c.qty = 1;
  c.puts = {{"T1", 1}};
  c.location = "A-01-01-1";
  c.barcode = "8851234567893";
  return encode(c);
}

// One simulated handheld: one event in flight at a time.
struct Device {
  std::string id;
  std::string evtTopic;
  std::vector<std::string> eventIds, payloads;
  std::unique_ptr<MqttClient> client;

  std::mutex mutex;
  // protected by mutex
  std::size_t next = 0;       // the event in flight or due next (== payloads.size() when done)
  bool inFlight = false;
  Clock::time_point sentAt;   // of the event in flight
  Clock::time_point dueAt;    // paced: when the next event goes out
  std::vector<double> rttMs;
  std::size_t timeouts = 0;
  Clock::time_point lastAnswer;

  // With mutex held.
  void send(Clock::time_point now) {
    inFlight = true;
    sentAt = now;
    (void)client->publish(evtTopic, payloads[next], 1);
  }
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

}  // namespace

FleetResult runFleet(const FleetOptions& options) {
  if (options.devices.empty() || options.eventsPerDevice < 1) {
    throw std::invalid_argument("runFleet: need devices and at least one event each");
  }
  auto makeEvent = options.makeEvent ? options.makeEvent : defaultEvent;
  const bool paced = options.interval.count() > 0;
  std::mutex doneMutex;
  std::condition_variable doneChanged;
  std::size_t done = 0;

  std::vector<std::unique_ptr<Device>> fleet;
  for (const auto& account : options.devices) {
    auto d = std::make_unique<Device>();
    d->id = account.username;
    d->evtTopic = topicFor(d->id, TopicKind::Events);
    EventIdGenerator ids;
    for (int n = 0; n < options.eventsPerDevice; ++n) {
      d->eventIds.push_back(ids.next());
      d->payloads.push_back(makeEvent(d->id, n, d->eventIds.back()));
    }
    d->client = std::make_unique<MqttClient>(
        MqttOptions().server(options.brokerUri).clientId(d->id).credentials(account.username, account.password));
    fleet.push_back(std::move(d));
  }

  // With d.mutex held: the event in flight was answered (or timed out); the
  // next one goes out now (closed loop) or when due (paced).
  auto finish = [&](Device& d, Clock::time_point now, bool answered) {
    if (answered) {
      if (d.next >= static_cast<std::size_t>(options.warmupPerDevice)) {
        d.rttMs.push_back(std::chrono::duration<double, std::milli>(now - d.sentAt).count());
      }
      d.lastAnswer = now;
    } else {
      ++d.timeouts;
    }
    d.inFlight = false;
    if (++d.next == d.payloads.size()) {
      std::lock_guard lock(doneMutex);
      ++done;
      doneChanged.notify_all();
    } else if (paced) {
      d.dueAt = std::max(d.sentAt + options.interval, now);
    } else {
      d.send(Clock::now());
    }
  };

  for (auto& dp : fleet) {
    Device& d = *dp;
    d.client->onMessage([&, decodeAcks = options.decodeAcks](const MqttMessage& m) {
      auto now = Clock::now();
      std::lock_guard lock(d.mutex);
      if (!d.inFlight) return;
      if (decodeAcks) {
        auto msg = decodeFromTopic(m.topic, m.payload);
        const Ack* ack = msg.ok() ? std::get_if<Ack>(&*msg) : nullptr;
        if (!ack || ack->eventId != d.eventIds[d.next]) return;  // not the answer to the event in flight
      }
      finish(d, now, true);
    });
  }

  // Connect together: Paho notices a new connection only every second or so
  // while others are up, so one at a time would take minutes.
  std::vector<std::future<Status>> connecting;
  for (auto& d : fleet) {
    connecting.push_back(std::async(std::launch::async, [&d] { return d->client->connect(std::chrono::seconds(30)); }));
  }
  for (std::size_t i = 0; i < fleet.size(); ++i) {
    Status st = connecting[i].get();
    if (!st) throw std::runtime_error("device " + fleet[i]->id + ": " + st.error().message);
  }
  for (auto& d : fleet) {
    Status st = d->client->subscribe(topicFor(d->id, TopicKind::Commands), 1);
    if (!st) throw std::runtime_error("device " + d->id + ": " + st.error().message);
  }

  auto start = Clock::now();
  std::mt19937 random(12345);
  for (auto& d : fleet) {
    std::lock_guard lock(d->mutex);
    if (paced) {
      auto offset = std::uniform_int_distribution<long long>(0, options.interval.count() - 1)(random);
      d->dueAt = start + std::chrono::milliseconds(offset);
    } else {
      d->send(Clock::now());
    }
  }
  // Send what is due (paced), give up on events without an answer in time,
  // until every device is done.
  for (;;) {
    auto now = Clock::now();
    auto wake = now + std::chrono::milliseconds(paced ? 5 : 100);
    for (auto& d : fleet) {
      std::lock_guard lock(d->mutex);
      if (d->next == d->payloads.size()) continue;
      if (d->inFlight) {
        if (now - d->sentAt > options.ackTimeout) finish(*d, now, false);
      } else if (paced) {
        if (d->dueAt <= now) {
          d->send(now);
        } else {
          wake = std::min(wake, d->dueAt);
        }
      }
    }
    std::unique_lock lock(doneMutex);
    if (doneChanged.wait_until(lock, wake, [&] { return done == fleet.size(); })) break;
  }

  FleetResult r;
  r.devices = fleet.size();
  std::vector<double> all;
  Clock::time_point end = start;
  for (auto& d : fleet) {
    std::lock_guard lock(d->mutex);
    all.insert(all.end(), d->rttMs.begin(), d->rttMs.end());
    r.timeouts += d->timeouts;
    r.events += d->payloads.size() - d->timeouts;
    end = std::max(end, d->lastAnswer);
  }
  std::sort(all.begin(), all.end());
  r.seconds = std::chrono::duration<double>(end - start).count();
  r.eventsPerSecond = r.seconds > 0 ? static_cast<double>(r.events) / r.seconds : 0;
  r.p50Ms = percentile(all, 0.50);
  r.p99Ms = percentile(all, 0.99);
  r.maxMs = all.empty() ? 0 : all.back();
  fleet.clear();  // disconnect before the caller's broker goes away
  return r;
}

RawResponder::RawResponder(const std::string& brokerUri, const Account& server)
    : client_(std::make_unique<MqttClient>(
          MqttOptions().server(brokerUri).clientId(server.username).credentials(server.username, server.password))) {
  Ack ack;
  ack.device = "bench";
  ack.eventId = "raw";
  ack.result = AckResult::Applied;
  client_->onMessage([this, answer = encode(ack)](const MqttMessage& m) {
    // ".../evt" -> ".../cmd": the only "work" the baseline does.
    std::string topic = m.topic.substr(0, m.topic.size() - 3) + "cmd";
    (void)client_->publish(topic, answer, 1);
    ++answered_;
  });
  Status st = client_->connect(std::chrono::seconds(30));
  if (st) st = client_->subscribe(filterForAllDevices(TopicKind::Events), 1);
  if (!st) throw std::runtime_error("raw responder: " + st.error().message);
}

RawResponder::~RawResponder() = default;

}  // namespace wms::bench::mqtt
