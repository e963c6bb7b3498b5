#include "WedgePublisher.h"

#include <chrono>
#include <fstream>
#include <ostream>

#include "wms/fwbridge/SocketProtocol.h"

namespace wms::fwbridge {
namespace {

std::int64_t nowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool validId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<WedgePublisher>> WedgePublisher::fromConfig(const BridgeConfig& config,
                                                                   std::ostream& log) {
  auto get = [&](const char* key) {
    auto it = config.single.find(key);
    return it == config.single.end() ? std::string() : it->second;
  };
  const std::string broker = get("broker");
  if (broker.empty()) return std::unique_ptr<WedgePublisher>();
  const std::string device = get("device");
  const std::string station = get("station");
  if (!validId(device))
    return makeError(ErrorKind::Invalid,
                     "device must be 1-64 characters of [A-Za-z0-9_-] when broker is set");
  if (station.empty() || station.size() > 64)
    return makeError(ErrorKind::Invalid, "station must be 1-64 characters when broker is set");
  std::string password;
  if (!get("password_file").empty()) {
    std::ifstream in(get("password_file"));
    if (!in) return makeError(ErrorKind::NotFound, "password_file: cannot read " + get("password_file"));
    std::getline(in, password);
  }
  protocol::MqttOptions options;
  options.server(broker).clientId(device).credentials(device, password);
  if (!get("ca_file").empty()) options.tls(get("ca_file"));
  auto client = std::make_unique<protocol::MqttClient>(std::move(options));
  return std::unique_ptr<WedgePublisher>(new WedgePublisher(std::move(client), device, station, log));
}

WedgePublisher::WedgePublisher(std::unique_ptr<protocol::MqttClient> client, std::string device,
                               std::string station, std::ostream& log)
    : client_(std::move(client)),
      device_(std::move(device)),
      station_(std::move(station)),
      idPrefix_("wedge-" + std::to_string(nowMillis()) + "-"),
      log_(log) {
  // Connecting may wait for the broker; the bridge must serve the handheld
  // meanwhile.
  connector_ = std::thread([this] {
    while (!stopping_) {
      auto s = client_->connect(std::chrono::seconds(1));
      if (s) return;
      if (s.error().kind == ErrorKind::Unauthorized) {
        log_ << "mqtt: " << s.error().message << "; wedge scans are not published" << std::endl;
        return;
      }
    }
  });
}

WedgePublisher::~WedgePublisher() {
  stopping_ = true;
  if (connector_.joinable()) connector_.join();
}

std::string WedgePublisher::payload(const std::string& device, const std::string& station,
                                    const std::string& eventId, std::int64_t tsMillis, const Scan& scan) {
  return "{\"type\":\"station.scan\",\"v\":1,\"device\":" + jsonQuote(device) +
         ",\"ts\":" + std::to_string(tsMillis) + ",\"event_id\":" + jsonQuote(eventId) +
         ",\"station\":" + jsonQuote(station) +
         // A scanner that sends no AIM identifier: the field is left out.
         (scan.symbology.empty() ? std::string() : ",\"symbology\":" + jsonQuote(scan.symbology)) +
         ",\"barcode\":" + jsonQuote(scan.data) + "}";
}

void WedgePublisher::publish(const Scan& scan) {
  const std::string id = idPrefix_ + std::to_string(++next_);
  auto s = client_->publish("wms/v1/dev/" + device_ + "/evt",
                            payload(device_, station_, id, nowMillis(), scan), 1);
  if (!s) log_ << "mqtt: station.scan " << id << " not published: " << s.error().message << std::endl;
}

}  // namespace wms::fwbridge
