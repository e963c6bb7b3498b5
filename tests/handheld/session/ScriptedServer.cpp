#include "ScriptedServer.h"

#include <stdexcept>

#include "wms/protocol/Codec.h"
#include "wms/protocol/Topics.h"
#include "wms/testsupport/ScriptedDevice.h"

namespace wms::handheld::test {

ScriptedServer::ScriptedServer(const testsupport::MosquittoBroker& broker) {
  protocol::MqttOptions o;
  o.server(broker.serverUri())
      .clientId(broker.server().username + "-test")
      .credentials(broker.server().username, broker.server().password)
      // A persistent session, like wmsd's: what devices publish while this
      // client is still reconnecting after a broker restart is queued for
      // it in order instead of dropped (the broker persists sessions).
      .cleanSession(false)
      .reconnectBackoff(std::chrono::seconds(1), std::chrono::seconds(1));
  client_ = std::make_unique<protocol::MqttClient>(o);
  client_->onMessage([this](const protocol::MqttMessage& m) { onMessage(m); });
  if (auto st = client_->connect(std::chrono::seconds(10)); !st)
    throw std::runtime_error("scripted server cannot connect: " + st.error().message);
  for (auto ch : {protocol::TopicKind::Events, protocol::TopicKind::Status, protocol::TopicKind::Heartbeat})
    if (auto st = client_->subscribe(protocol::filterForAllDevices(ch), 1); !st)
      throw std::runtime_error("scripted server cannot subscribe: " + st.error().message);
}

ScriptedServer::~ScriptedServer() { client_.reset(); }

void ScriptedServer::onMessage(const protocol::MqttMessage& m) {
  auto decoded = protocol::decodeFromTopic(m.topic, m.payload);
  if (!decoded) return;
  std::optional<protocol::Ack> reply;
  {
    std::lock_guard lock(mutex_);
    received_.push_back({*decoded, m.payload});
    if (const auto* id = protocol::eventIdOf(*decoded)) {
      if (arrivals_[*id]++ == 0) order_.push_back(*id);
      if (withhold_ > 0) {
        --withhold_;
      } else if (autoAck_) {
        protocol::Ack a;
        a.device = protocol::baseOf(*decoded).device;
        a.ts = testsupport::ScriptedDevice::nowMs();
        a.eventId = *id;
        auto done = answered_.find(*id);
        auto rule = rejects_.find(std::string(protocol::typeName(*decoded)));
        if (done != answered_.end() && done->second != protocol::AckResult::Rejected) {
          a.result = protocol::AckResult::Duplicate;
        } else if (rule != rejects_.end()) {
          a.result = protocol::AckResult::Rejected;
          a.error = rule->second;
        }
        answered_[*id] = a.result;
        reply = a;
      }
    }
    cv_.notify_all();
  }
  if (reply) (void)client_->publish(protocol::topicOf(*reply), protocol::encode(*reply), 1, false);
}

void ScriptedServer::rejectType(const std::string& type, std::optional<Error> error) {
  std::lock_guard lock(mutex_);
  if (error) rejects_[type] = *error;
  else rejects_.erase(type);
}

void ScriptedServer::withholdAcks(int n) {
  std::lock_guard lock(mutex_);
  withhold_ = n;
}

void ScriptedServer::autoAck(bool on) {
  std::lock_guard lock(mutex_);
  autoAck_ = on;
}

void ScriptedServer::ack(const std::string& device, const std::string& eventId, protocol::AckResult result,
                         std::optional<Error> error) {
  protocol::Ack a;
  a.device = device;
  a.eventId = eventId;
  a.result = result;
  a.error = std::move(error);
  send(a);
}

void ScriptedServer::send(protocol::Message message) {
  auto& base = protocol::baseOf(message);
  if (base.ts == 0) base.ts = testsupport::ScriptedDevice::nowMs();
  auto st = client_->publish(protocol::topicOf(message), protocol::encode(message), 1, false);
  if (!st) throw std::runtime_error("scripted server cannot publish: " + st.error().message);
}

void ScriptedServer::sendRaw(const std::string& device, const std::string& payload) {
  auto st = client_->publish(protocol::topicFor(device, protocol::TopicKind::Commands), payload, 1, false);
  if (!st) throw std::runtime_error("scripted server cannot publish: " + st.error().message);
}

std::optional<ScriptedServer::Received> ScriptedServer::waitFor(
    const std::function<bool(const protocol::Message&)>& pred, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<Received> found;
  cv_.wait_for(lock, timeout, [&] {
    for (const auto& r : received_)
      if (pred(r.message)) {
        found = r;
        return true;
      }
    return false;
  });
  return found;
}

bool ScriptedServer::waitForEvents(const std::string& type, std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] {
    std::set<std::string> ids;
    for (const auto& r : received_)
      if (protocol::typeName(r.message) == type)
        if (const auto* id = protocol::eventIdOf(r.message)) ids.insert(*id);
    return ids.size() >= n;
  });
}

std::vector<ScriptedServer::Received> ScriptedServer::received() {
  std::lock_guard lock(mutex_);
  return received_;
}

std::vector<std::string> ScriptedServer::firstArrivals() {
  std::lock_guard lock(mutex_);
  return order_;
}

std::map<std::string, int> ScriptedServer::arrivals() {
  std::lock_guard lock(mutex_);
  return arrivals_;
}

}  // namespace wms::handheld::test
