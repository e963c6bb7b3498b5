// Handheld devices, the picking zones of the badges signed in on them (who
// may sign in is identity's accounts table), the record of applied
// device events (the dedupe that makes every event at-most-once) and the scan
// audit. Valid only within the Tx it was built on.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/store/Tx.h"

namespace wms::store {

struct Device {
  std::string device;
  // online; offline (said goodbye or its last will came); silent (nothing
  // heard for a while); gone (silent or offline so long its work was reclaimed)
  std::string state = "offline";
  std::string app;
  std::string badge;  // signed-in worker, "" if none
  std::string mode;   // pick | pack | ""
  int battery = -1;
  int rssi = 0;
  int outbox = 0;
  std::int64_t lastSeenMs = 0;
  std::int64_t signedInAtMs = 0;
  std::string station;  // the packing station a pack-mode device works at, "" if none
};

// The recorded outcome of an event: "applied" or "rejected" (with the error).
struct RecordedEvent {
  std::string result;
  std::string error;
};

class DeviceRepository {
 public:
  explicit DeviceRepository(Tx& tx) : tx_(tx) {}

  // The comma-separated zone codes the badge's holder picks in; "" = any.
  // (The workers table's name and active columns are no longer read: the
  // person's account holds them.)
  std::string zonesOf(const std::string& badge);
  void setZones(const std::string& badge, const std::string& zones);

  std::optional<Device> find(const std::string& device);
  std::vector<Device> list();
  // The device was heard from: creates the row if needed, marks it online
  // and moves its last-seen time forward.
  void touch(const std::string& device, std::int64_t seenMs);
  // The device's retained status: "online" is a sign of life (touch);
  // "offline" (often the broker's last will) only sets the state, never
  // last_seen, and leaves a gone device gone.
  void setPresence(const std::string& device, const std::string& state, const std::string& app);
  void setHeartbeat(const std::string& device, int battery, int rssi, int outbox, std::int64_t seenMs);
  // Signs a worker in (or out, with badge ""): also unbinds the device from
  // any packing station, which its next pack.request names again.
  void setSignedIn(const std::string& device, const std::string& badge, const std::string& mode);
  // Binds a device to the packing station it works at ("" unbinds).
  void setStation(const std::string& device, const std::string& station);
  void setState(const std::string& device, const std::string& state);
  // Devices in `state` whose last message is older than `before` (ms).
  std::vector<std::string> seenBefore(const std::string& state, std::int64_t before);

  // The dedupe record of (device, eventId), if the event was seen before.
  std::optional<RecordedEvent> recordedEvent(const std::string& device, const std::string& eventId);
  void recordEvent(const std::string& device, const std::string& eventId, const std::string& type,
                   const std::string& result, const std::string& error);
  // Each device's recorded events by outcome ("applied", "rejected"): what
  // the server took and refused, since the database began (a restart does
  // not reset it, unlike /metrics). A refused event is one the picker could
  // not make right: a good day has none.
  struct EventCounts {
    std::int64_t applied = 0;
    std::int64_t refused = 0;
  };
  std::map<std::string, EventCounts> eventCounts();

  // Queues a command payload for a device (published after the commit).
  void queueCommand(const std::string& device, const std::string& payload);
  struct QueuedCommand {
    std::int64_t id = 0;
    std::string device;
    std::string payload;
  };
  // Commands not yet published, oldest first.
  std::vector<QueuedCommand> pendingCommands(int limit);
  void markPublished(std::int64_t id);

  void recordScan(const std::string& device, const std::string& badge, const std::string& barcode,
                  const std::string& symbology, const std::string& reference);

 private:
  Tx& tx_;
};

}  // namespace wms::store
