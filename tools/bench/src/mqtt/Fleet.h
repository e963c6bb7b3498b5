// The MQTT benchmark's parts, reusable for more legs: a fleet of simulated
// handhelds that send pick confirmations and time the answers, and the raw
// baseline's responder. A leg "through wmsd" runs the same fleet against a
// wmsd that owns the server account.
//
// Threading: runFleet() blocks the calling thread; each device's client
// answers on its own worker thread. RawResponder answers on its client's
// worker thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "wms/protocol/MqttClient.h"

namespace wms::bench::mqtt {

struct Account {
  std::string username;  // a device's username is its device id
  std::string password;
};

struct FleetOptions {
  std::string brokerUri;
  std::vector<Account> devices;
  int eventsPerDevice = 200;
  // The first events of each device are not in the latency figures.
  int warmupPerDevice = 10;
  // True: an answer counts only if it decodes as an ack for the event in
  // flight (a real server). False: any message on the device's cmd topic
  // counts (the raw baseline's responder does not decode anything).
  bool decodeAcks = true;
  // The n-th event (from 0) of a device, given its event id; the default
  // makes a pick.confirm of stop "S<n>" in batch "BENCH-<device>".
  std::function<std::string(const std::string& device, int n, const std::string& eventId)> makeEvent;
  // 0: closed loop, a device sends its next event as soon as the answer to
  // the previous one arrived (saturation: measures throughput). > 0: paced,
  // a device sends one event per interval (the first at a random offset
  // within it), or right after the answer if that comes later (measures the
  // round trip at a given load).
  std::chrono::milliseconds interval{0};
  // A device gives up on an event after this and counts a timeout.
  std::chrono::milliseconds ackTimeout{10000};
};

struct FleetResult {
  std::size_t devices = 0;
  std::size_t events = 0;       // answered events
  std::size_t timeouts = 0;     // events without an answer within ackTimeout
  double seconds = 0;           // from the first publish to the last answer
  double eventsPerSecond = 0;
  double p50Ms = 0, p99Ms = 0, maxMs = 0;  // round trips after warm-up
};

// Connects every device (in parallel), subscribes each to its cmd topic, then
// lets every device send its events one at a time: publish (QoS 1), wait for
// the answer, next (see FleetOptions::interval). Returns once every device is
// done. Throws std::runtime_error if a device cannot connect or subscribe.
FleetResult runFleet(const FleetOptions& options);

// The baseline's server side: one Paho client that answers every event on
// wms/v1/dev/+/evt with a fixed small message on that device's cmd topic
// (QoS 1), with no decoding and no work.
class RawResponder {
 public:
  // Connects and subscribes; throws std::runtime_error if it cannot.
  RawResponder(const std::string& brokerUri, const Account& server);
  ~RawResponder();
  RawResponder(const RawResponder&) = delete;
  RawResponder& operator=(const RawResponder&) = delete;

  std::size_t answered() const { return answered_.load(); }

 private:
  std::atomic<std::size_t> answered_{0};
  std::unique_ptr<protocol::MqttClient> client_;  // after answered_: its handler counts there
};

}  // namespace wms::bench::mqtt
