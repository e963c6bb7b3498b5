#include "wms/handheld/DeviceLink.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "wms/protocol/Codec.h"
#include "wms/protocol/Topics.h"

namespace wms::handheld {
namespace {

std::int64_t wallMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string presencePayload(const LinkOptions& o, bool online, const std::optional<std::string>& user) {
  protocol::Presence p;
  p.device = o.device;
  p.ts = wallMs();
  p.state = online ? protocol::PresenceState::Online : protocol::PresenceState::Offline;
  p.app = o.app;
  if (online) p.user = user;
  return protocol::encode(p);
}

}  // namespace

DeviceLink::DeviceLink(LinkOptions options)
    : options_(std::move(options)), duplicateRng_(std::hash<std::string>{}(options_.device)) {
  if (!protocol::isValidDeviceId(options_.device))
    throw std::invalid_argument("DeviceLink: '" + options_.device + "' is not a valid device id");
  if (options_.uri.empty()) throw std::invalid_argument("DeviceLink: no broker URI");
  protocol::MqttOptions o;
  o.server(options_.uri)
      .clientId(options_.device)
      .credentials(options_.device, options_.password)
      .cleanSession(false)
      .keepAlive(options_.keepAlive)
      .reconnectBackoff(options_.reconnectMin, options_.reconnectMax)
      .offlineBuffer(0)
      .lastWill(protocol::topicFor(options_.device, protocol::TopicKind::Status),
                presencePayload(options_, false, std::nullopt), 1, true);
  if (!options_.caFile.empty()) o.tls(options_.caFile);
  client_ = std::make_unique<protocol::MqttClient>(o);
  client_->onMessage([this](const protocol::MqttMessage& m) {
    std::lock_guard lock(mutex_);
    inbox_.push_back(m);
    ready_.notify_all();
  });
  client_->onConnection([this](const protocol::ConnectionEvent& e) {
    if (e.kind == protocol::ConnectionEvent::Kind::Connected) {
      publishPresence(true);
    } else if (e.kind == protocol::ConnectionEvent::Kind::Subscribed) {
      // Only now can the server's answers reach us: resending before this
      // could have its ack dropped on a brand-new session.
      std::lock_guard lock(mutex_);
      reconnected_ = true;
      lastError_.clear();
      ready_.notify_all();
    } else if (e.kind == protocol::ConnectionEvent::Kind::Error) {
      std::lock_guard lock(mutex_);
      lastError_ = e.detail;
    }
  });
  // Subscribed on every connect (MqttClient keeps the list).
  (void)client_->subscribe(protocol::topicFor(options_.device, protocol::TopicKind::Commands), 1);
}

DeviceLink::~DeviceLink() {
  stop();
  client_.reset();
}

void DeviceLink::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_) return;
  started_ = true;
  connector_ = std::thread([this] { connectLoop(); });
}

void DeviceLink::connectLoop() {
  // Paho reconnects by itself once a first connect succeeded; until then
  // this thread keeps trying, slowly when the login is refused (an account
  // may be added to the broker later).
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    auto st = client_->connect(std::chrono::seconds(5));
    if (st) return;
    std::chrono::milliseconds pause(500);
    {
      std::lock_guard lock(mutex_);
      lastError_ = st.error().message;
      if (st.error().kind == ErrorKind::Unauthorized) pause = std::chrono::seconds(5);
    }
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, pause, [this] { return stopping_; });
    if (stopping_) return;
  }
}

bool DeviceLink::online() const { return client_->subscribed(); }

Status DeviceLink::publish(const std::string& topic, const std::string& payload, int qos, bool retain) {
  if (!client_->connected()) return makeError(ErrorKind::Unavailable, "offline");
  auto st = client_->publish(topic, payload, qos, retain);
  if (st && options_.duplicateProbability > 0) duplicates(topic, payload, qos);
  return st;
}

void DeviceLink::duplicates(const std::string& topic, const std::string& payload, int qos) {
  const auto now = std::chrono::steady_clock::now();
  std::vector<Duplicate> due;
  {
    std::lock_guard lock(mutex_);
    for (auto it = duplicates_.begin(); it != duplicates_.end();) {
      if (it->due > now) {
        ++it;
        continue;
      }
      due.push_back(std::move(*it));
      it = duplicates_.erase(it);
    }
    if (qos == 1 && std::uniform_real_distribution<double>(0, 1)(duplicateRng_) < options_.duplicateProbability) {
      const auto delay = std::uniform_int_distribution<std::int64_t>(0, options_.duplicateDelay.count())(duplicateRng_);
      duplicates_.push_back({now + std::chrono::milliseconds(delay), topic, payload});
    }
  }
  for (const auto& d : due) {
    if (!client_->publish(d.topic, d.payload, 1, false)) continue;
    std::lock_guard lock(mutex_);
    ++duplicatesSent_;
  }
}

std::uint64_t DeviceLink::duplicatesSent() const {
  std::lock_guard lock(mutex_);
  return duplicatesSent_;
}

void DeviceLink::publishPresence(bool isOnline) {
  std::optional<std::string> user;
  {
    std::lock_guard lock(mutex_);
    user = user_;
  }
  (void)client_->publish(protocol::topicFor(options_.device, protocol::TopicKind::Status),
                         presencePayload(options_, isOnline, user), 1, true);
}

std::vector<protocol::MqttMessage> DeviceLink::take() {
  std::lock_guard lock(mutex_);
  std::vector<protocol::MqttMessage> out(std::make_move_iterator(inbox_.begin()), std::make_move_iterator(inbox_.end()));
  inbox_.clear();
  return out;
}

bool DeviceLink::takeReconnect() {
  std::lock_guard lock(mutex_);
  return std::exchange(reconnected_, false);
}

bool DeviceLink::wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return ready_.wait_for(lock, timeout, [this] { return !inbox_.empty() || reconnected_ || stopping_; });
}

void DeviceLink::setUser(std::optional<std::string> badge) {
  {
    std::lock_guard lock(mutex_);
    if (user_ == badge) return;
    user_ = std::move(badge);
  }
  if (client_->connected()) publishPresence(true);
}

std::string DeviceLink::lastError() const {
  std::lock_guard lock(mutex_);
  return lastError_;
}

void DeviceLink::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    ready_.notify_all();
  }
  if (connector_.joinable()) connector_.join();
  if (client_->connected()) {
    // Wait for the broker to take the offline status (QoS 1). Not flush():
    // Paho never reports QoS 0 publishes (heartbeats) as delivered, so
    // flush() would always wait out its timeout here.
    const auto before = client_->metrics().delivered;
    publishPresence(false);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (client_->connected() && client_->metrics().delivered == before && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  (void)client_->disconnect(std::chrono::seconds(2));
}

PowerAndSignal readPowerAndSignal() {
  PowerAndSignal out;
  std::error_code ec;
  const std::filesystem::path supplies = "/sys/class/power_supply";
  if (std::filesystem::is_directory(supplies, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(supplies, ec)) {
      std::ifstream type(entry.path() / "type");
      std::string t;
      if (!(type >> t) || t != "Battery") continue;
      std::ifstream cap(entry.path() / "capacity");
      int percent = -1;
      if (cap >> percent && percent >= 0 && percent <= 100) {
        out.battery = percent;
        break;
      }
    }
  }
  // /proc/net/wireless: two header lines, then "wlan0: 0000   54.  -56.  -256 ..."
  std::ifstream wireless("/proc/net/wireless");
  std::string line;
  for (int n = 0; std::getline(wireless, line); ++n) {
    if (n < 2) continue;
    std::istringstream in(line);
    std::string iface, status;
    double quality = 0, level = 0;
    if (in >> iface >> status >> quality >> level && level < 0 && level >= -127) {
      out.rssi = static_cast<int>(level);
      break;
    }
  }
  return out;
}

}  // namespace wms::handheld
