// Wedge scans of a packing station published to wmsd over MQTT as
// `station.scan` events (docs/protocol.md). Private to the daemon.
//
// Threading: publish() is called from the bridge's loop and never blocks.
// The first connection is made by a thread of its own (the broker may come
// up after the bridge); MqttClient keeps it up after that.
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <thread>

#include "wms/common/Result.h"
#include "wms/fwbridge/Bridge.h"
#include "wms/protocol/MqttClient.h"

namespace wms::fwbridge {

class WedgePublisher {
 public:
  // From the config keys broker, device, station, password_file, ca_file:
  // nullptr when `broker` is not set. Errors: Invalid when broker is set
  // without device or station, NotFound for an unreadable password file.
  static Result<std::unique_ptr<WedgePublisher>> fromConfig(const BridgeConfig& config, std::ostream& log);

  // The JSON of one `station.scan` event (pure; tests use it).
  static std::string payload(const std::string& device, const std::string& station,
                             const std::string& eventId, std::int64_t tsMillis, const Scan& scan);

  void publish(const Scan& scan);

  ~WedgePublisher();
  WedgePublisher(const WedgePublisher&) = delete;
  WedgePublisher& operator=(const WedgePublisher&) = delete;

 private:
  WedgePublisher(std::unique_ptr<protocol::MqttClient> client, std::string device, std::string station,
                 std::ostream& log);
  std::unique_ptr<protocol::MqttClient> client_;
  const std::string device_;
  const std::string station_;
  const std::string idPrefix_;  // device and start time: event ids never repeat across runs
  std::uint64_t next_ = 0;
  std::ostream& log_;
  std::atomic<bool> stopping_{false};
  std::thread connector_;  // first connection in the background; joined by the destructor
};

}  // namespace wms::fwbridge
