#include "wms/testsupport/ScriptedDevice.h"

#include <map>
#include <stdexcept>

#include "wms/protocol/Codec.h"
#include "wms/protocol/Topics.h"

namespace wms::testsupport {

std::int64_t ScriptedDevice::nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

ScriptedDevice::ScriptedDevice(const std::string& uri, const std::string& device, const std::string& password,
                               bool cleanSession)
    : device_(device) {
  protocol::MqttOptions o;
  o.server(uri).clientId(device).credentials(device, password).cleanSession(cleanSession)
      .reconnectBackoff(std::chrono::seconds(1), std::chrono::seconds(2));
  client_ = std::make_unique<protocol::MqttClient>(o);
  client_->onMessage([this](const protocol::MqttMessage& m) {
    auto decoded = protocol::decode(m.payload);
    std::lock_guard lock(mutex_);
    if (decoded) inbox_.push_back(std::move(*decoded));
    else undecodable_.push_back(m.payload);
    cv_.notify_all();
  });
  if (auto st = client_->connect(std::chrono::seconds(10)); !st)
    throw std::runtime_error("device " + device + " cannot connect: " + st.error().message);
  if (auto st = client_->subscribe(protocol::topicFor(device, protocol::TopicKind::Commands), 1); !st)
    throw std::runtime_error("device " + device + " cannot subscribe: " + st.error().message);
}

ScriptedDevice::~ScriptedDevice() { client_.reset(); }

std::string ScriptedDevice::send(protocol::Message message) {
  auto& base = protocol::baseOf(message);
  base.device = device_;
  if (base.ts == 0) base.ts = nowMs();
  std::string eventId;
  std::visit(
      [&](auto& m) {
        if constexpr (std::is_base_of_v<protocol::EventBase, std::decay_t<decltype(m)>>) {
          if (m.eventId.empty()) m.eventId = ids_.next();
          eventId = m.eventId;
        }
      },
      message);
  auto channel = protocol::topicKindOf(message);
  auto st = client_->publish(protocol::topicOf(message), protocol::encode(message), protocol::qosOf(channel),
                             protocol::retainedOn(channel));
  if (!st) throw std::runtime_error("publish failed: " + st.error().message);
  return eventId;
}

void ScriptedDevice::sendRaw(protocol::TopicKind channel, const std::string& payload) {
  auto st = client_->publish(protocol::topicFor(device_, channel), payload, 1, false);
  if (!st) throw std::runtime_error("publish failed: " + st.error().message);
}

std::optional<protocol::Message> ScriptedDevice::waitFor(const std::function<bool(const protocol::Message&)>& pred,
                                                         std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<protocol::Message> found;
  cv_.wait_for(lock, timeout, [&] {
    for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
      if (pred(*it)) {
        found = std::move(*it);
        inbox_.erase(it);
        return true;
      }
    }
    return false;
  });
  return found;
}

std::optional<protocol::Ack> ScriptedDevice::ackFor(const std::string& eventId, std::chrono::milliseconds timeout) {
  auto m = waitFor(
      [&](const protocol::Message& msg) {
        const auto* ack = std::get_if<protocol::Ack>(&msg);
        return ack && ack->eventId == eventId;
      },
      timeout);
  if (!m) return std::nullopt;
  return std::get<protocol::Ack>(*m);
}

std::vector<protocol::Message> ScriptedDevice::inbox() {
  std::lock_guard lock(mutex_);
  return inbox_;
}

std::vector<std::string> ScriptedDevice::undecodable() {
  std::lock_guard lock(mutex_);
  return undecodable_;
}

protocol::PickConfirm fullConfirmation(const protocol::TaskAssign& task, const protocol::PickStop& stop,
                                       const std::string& barcode) {
  protocol::PickConfirm c;
  c.batchId = task.batchId;
  c.stopId = stop.stopId;
  c.qty = stop.qty;
  // A stop may list a tote more than once (one put per order); a
  // confirmation names each tote once.
  std::map<std::string, int> perTote;
  for (const auto& p : stop.puts) perTote[p.tote] += p.qty;
  for (const auto& [tote, qty] : perTote) c.puts.push_back({tote, qty});
  c.location = stop.location;
  c.barcode = barcode;
  return c;
}

}  // namespace wms::testsupport
