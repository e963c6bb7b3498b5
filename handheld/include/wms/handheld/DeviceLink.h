// DeviceLink: the handheld's one MQTT connection (wms::protocol::MqttClient)
// set up as the protocol wants a device: client id = device id, persistent
// session, a retained `offline` status as last will, a retained `online`
// status (with the signed-in badge) after every connect, the device's `cmd`
// topic subscribed. Publishes are refused while the connection is down
// (Unavailable): the outbox, not Paho, keeps what waits to be sent.
//
// start() returns at once; a background thread connects (retrying while the
// broker is away or refuses the login) and Paho keeps the connection up
// after that. Received messages and reconnects are queued for the app's
// thread to take; nothing of the app runs on MQTT threads.
//
// Threading: every public method is thread-safe. Ownership: the link owns
// its client and thread; the destructor publishes `offline`, disconnects
// and joins.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "wms/common/Result.h"
#include "wms/protocol/MqttClient.h"

namespace wms::handheld {

struct LinkOptions {
  std::string uri;                   // "tcp://host:port" or "ssl://host:port"
  std::string device;                // the device id: username and client id
  std::string password;
  std::filesystem::path caFile;      // for ssl:// brokers
  std::string app = "wms-handheld/0.1.0";  // the `app` of status messages
  std::chrono::seconds keepAlive{20};
  std::chrono::seconds reconnectMin{1};
  std::chrono::seconds reconnectMax{8};
  // Fault injection (wms-sim --duplicates, the chaos day): each QoS 1
  // publish is delivered again with this probability, at a random moment
  // up to `duplicateDelay` later (after events published meanwhile), as a
  // broker's redelivery or an outbox resend after a lost ack would. The
  // server must apply it once wherever it lands. 0 (the default) on a real
  // handheld.
  double duplicateProbability = 0;
  std::chrono::milliseconds duplicateDelay{5000};
};

class DeviceLink {
 public:
  // Throws std::invalid_argument for an invalid device id or empty URI.
  explicit DeviceLink(LinkOptions options);
  ~DeviceLink();
  DeviceLink(const DeviceLink&) = delete;
  DeviceLink& operator=(const DeviceLink&) = delete;

  // Starts connecting in the background; returns at once. Calling it again
  // does nothing.
  void start();

  bool online() const;
  // Publishes now. Unavailable while offline; Invalid for a bad topic.
  // Also sends the injected duplicates that are due (duplicateProbability).
  Status publish(const std::string& topic, const std::string& payload, int qos, bool retain);
  // Injected duplicates delivered so far (duplicateProbability); one due
  // while offline is dropped, as a lost redelivery.
  std::uint64_t duplicatesSent() const;

  // Messages received on `cmd` since the last call, in arrival order.
  std::vector<protocol::MqttMessage> take();
  // True once after each (re)connection: the moment to resend everything.
  bool takeReconnect();
  // Waits up to `timeout` until a message or a reconnect is waiting.
  bool wait(std::chrono::milliseconds timeout);

  // The badge shown in the `online` status (republished now if online).
  void setUser(std::optional<std::string> badge);
  // The last connection problem ("login refused ..."), "" if none.
  std::string lastError() const;
  const LinkOptions& options() const noexcept { return options_; }

  // Publishes the retained `offline` status (if online) and disconnects
  // cleanly; the destructor does this too.
  void stop();

 private:
  void publishPresence(bool online);
  void connectLoop();
  // Sends the injected duplicates that are due; schedules one of this
  // publish with duplicateProbability.
  void duplicates(const std::string& topic, const std::string& payload, int qos);

  const LinkOptions options_;  // constant after construction
  std::unique_ptr<protocol::MqttClient> client_;
  std::thread connector_;

  mutable std::mutex mutex_;  // protects everything below
  std::condition_variable ready_;
  std::deque<protocol::MqttMessage> inbox_;
  bool reconnected_ = false;
  bool stopping_ = false;
  bool started_ = false;
  std::optional<std::string> user_;
  std::string lastError_;
  struct Duplicate {
    std::chrono::steady_clock::time_point due;
    std::string topic, payload;
  };
  std::vector<Duplicate> duplicates_;
  std::uint64_t duplicatesSent_ = 0;
  std::mt19937_64 duplicateRng_;
};

// Battery charge (percent) and Wi-Fi signal (dBm) for heartbeats, read from
// /sys/class/power_supply and /proc/net/wireless; 100 and 0 ("unknown", a
// value no real signal has) where the machine has none.
struct PowerAndSignal {
  int battery = 100;
  int rssi = 0;
};
PowerAndSignal readPowerAndSignal();

}  // namespace wms::handheld
