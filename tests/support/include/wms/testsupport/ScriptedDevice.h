// A scripted handheld for tests: a real MQTT client logged in as a device
// account, which sends protocol messages and collects what the server sends
// it (tasks, acks, errors) for the test to wait on.
//
// Threading: messages arrive on the client's worker thread; every public
// method is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "wms/protocol/EventIds.h"
#include "wms/protocol/Messages.h"
#include "wms/protocol/MqttClient.h"

namespace wms::testsupport {

class ScriptedDevice {
 public:
  // Connects as `device` with `password` to `uri` and subscribes to its
  // command topic. Throws std::runtime_error if that fails.
  ScriptedDevice(const std::string& uri, const std::string& device, const std::string& password,
                 bool cleanSession = true);
  ~ScriptedDevice();

  const std::string& id() const { return device_; }
  protocol::MqttClient& client() { return *client_; }

  // Fills in device, ts and (for events with an empty id) a new event id,
  // publishes it on its channel's topic and returns the event id ("" for
  // non-events).
  std::string send(protocol::Message message);
  // Publishes raw bytes on one of this device's topics (for bad input).
  void sendRaw(protocol::TopicKind channel, const std::string& payload);

  // The ack for an event id, waiting up to `timeout`.
  std::optional<protocol::Ack> ackFor(const std::string& eventId,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The first received message (in arrival order, not yet taken) matching
  // `pred`, waiting up to `timeout`; taken out of the inbox.
  std::optional<protocol::Message> waitFor(const std::function<bool(const protocol::Message&)>& pred,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Every message received so far (and not taken), and raw payloads that
  // did not decode.
  std::vector<protocol::Message> inbox();
  std::vector<std::string> undecodable();

  static std::int64_t nowMs();

 private:
  std::string device_;
  std::unique_ptr<protocol::MqttClient> client_;
  protocol::EventIdGenerator ids_;
  std::mutex mutex_;  // protects inbox_ and undecodable_
  std::condition_variable cv_;
  std::vector<protocol::Message> inbox_;
  std::vector<std::string> undecodable_;
};

// The confirmation of a stop picked in full with `barcode`: the stop's
// quantity, put into its totes as the task says.
protocol::PickConfirm fullConfirmation(const protocol::TaskAssign& task, const protocol::PickStop& stop,
                                       const std::string& barcode);

}  // namespace wms::testsupport
