// A scripted wmsd stand-in for handheld tests: a real MQTT client on the
// server account that records every device message, acknowledges events
// the way wmsd does (applied the first time, duplicate after), and sends
// commands when the test says. Used where a real wmsd has no part to play
// (pack mode, refusals on demand, resend timing).
//
// Threading: messages arrive on the client's worker thread; every public
// method is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "wms/protocol/Messages.h"
#include "wms/protocol/MqttClient.h"
#include "wms/testsupport/MosquittoBroker.h"

namespace wms::handheld::test {

class ScriptedServer {
 public:
  struct Received {
    protocol::Message message;
    std::string payload;
  };

  explicit ScriptedServer(const testsupport::MosquittoBroker& broker);
  ~ScriptedServer();

  // Events of this type are rejected with `error` (until cleared with nullopt).
  void rejectType(const std::string& type, std::optional<Error> error);
  // The next `n` events get no ack at all (the device must resend them).
  void withholdAcks(int n);
  // Acks on or off (off: the test acks by hand with ack()).
  void autoAck(bool on);
  void ack(const std::string& device, const std::string& eventId, protocol::AckResult result,
           std::optional<Error> error = std::nullopt);
  // Publishes a command (ts filled in) on its device's cmd topic.
  void send(protocol::Message message);
  // Publishes raw bytes on a device's cmd topic.
  void sendRaw(const std::string& device, const std::string& payload);

  // The first received message (in arrival order) matching pred, waiting up
  // to timeout; it stays recorded.
  std::optional<Received> waitFor(const std::function<bool(const protocol::Message&)>& pred,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits until `n` events of `type` have arrived (first deliveries).
  bool waitForEvents(const std::string& type, std::size_t n,
                     std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::vector<Received> received();
  // Event ids in order of first arrival, and how often each arrived.
  std::vector<std::string> firstArrivals();
  std::map<std::string, int> arrivals();

 private:
  void onMessage(const protocol::MqttMessage& m);

  std::unique_ptr<protocol::MqttClient> client_;
  std::mutex mutex_;  // protects everything below
  std::condition_variable cv_;
  std::vector<Received> received_;
  std::vector<std::string> order_;
  std::map<std::string, int> arrivals_;
  std::map<std::string, Error> rejects_;
  std::map<std::string, protocol::AckResult> answered_;
  int withhold_ = 0;
  bool autoAck_ = true;
};

}  // namespace wms::handheld::test
