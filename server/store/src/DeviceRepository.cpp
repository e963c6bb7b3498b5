#include "wms/store/DeviceRepository.h"

#include <Poco/Data/Session.h>

#include "Sql.h"
#include "TxImpl.h"

using namespace Poco::Data::Keywords;

namespace wms::store {

std::string DeviceRepository::zonesOf(const std::string& badge) {
  Query q(tx_, "SELECT zones FROM workers WHERE badge = ?");
  q.bind(badge);
  return q.step() ? q.text(0) : std::string();
}

void DeviceRepository::setZones(const std::string& badge, const std::string& zones) {
  sql::exec(tx_,
            "INSERT INTO workers(badge, zones, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(badge) DO UPDATE SET zones = excluded.zones",
            badge, zones, tx_.nowMs());
}

namespace {
const char* kDeviceColumns =
    "device, state, app, badge, mode, battery, rssi, outbox, last_seen, signed_in_at, station";

std::vector<Device> readDevices(Tx& tx, const std::string& where, const std::string& arg) {
  Query q(tx, std::string("SELECT ") + kDeviceColumns + " FROM devices " + where);
  if (!arg.empty()) q.bind(arg);
  std::vector<Device> out;
  while (q.step())
    out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), static_cast<int>(q.integer(5)),
                   static_cast<int>(q.integer(6)), static_cast<int>(q.integer(7)), q.integer(8),
                   q.integer(9), q.text(10)});
  return out;
}
}  // namespace

std::optional<Device> DeviceRepository::find(const std::string& device) {
  auto rows = readDevices(tx_, "WHERE device = ?", device);
  if (rows.empty()) return std::nullopt;
  return rows[0];
}

std::vector<Device> DeviceRepository::list() {
  return readDevices(tx_, "ORDER BY device", "");
}

void DeviceRepository::touch(const std::string& device, std::int64_t seenMs) {
  // A device that sends something is connected now, whatever it said before.
  sql::exec(tx_,
            "INSERT INTO devices(device, state, last_seen) VALUES (?, 'online', ?) "
            "ON CONFLICT(device) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen), state = 'online'",
            device, seenMs);
}

void DeviceRepository::setPresence(const std::string& device, const std::string& state, const std::string& app) {
  if (state == "offline") {
    // The broker's last will (or the device's goodbye) is no sign of life:
    // last_seen stays, so that a handheld the broker drops on every
    // reconnect (the 20,000-order chaos day: "malformed packet" every 3 s
    // for 25 minutes) still counts as away and has its work reclaimed; and
    // one already gone stays gone.
    sql::exec(tx_,
              "INSERT INTO devices(device, state, last_seen) VALUES (?, 'offline', ?) ON CONFLICT(device) DO UPDATE "
              "SET state = CASE WHEN devices.state = 'gone' THEN 'gone' ELSE 'offline' END, "
              "app = CASE WHEN ? = '' THEN devices.app ELSE ? END",
              device, tx_.nowMs(), app, app);
    return;
  }
  touch(device, tx_.nowMs());
  sql::exec(tx_, "UPDATE devices SET state = ?, app = CASE WHEN ? = '' THEN app ELSE ? END WHERE device = ?",
            state, app, app, device);
}

void DeviceRepository::setHeartbeat(const std::string& device, int battery, int rssi, int outbox,
                                    std::int64_t seenMs) {
  touch(device, seenMs);
  sql::exec(tx_,
            "UPDATE devices SET battery = ?, rssi = ?, outbox = ?, "
            "state = CASE WHEN state IN ('silent', 'gone') THEN 'online' ELSE state END WHERE device = ?",
            battery, rssi, outbox, device);
}

void DeviceRepository::setSignedIn(const std::string& device, const std::string& badge, const std::string& mode) {
  touch(device, tx_.nowMs());
  sql::exec(tx_, "UPDATE devices SET badge = ?, mode = ?, signed_in_at = ?, station = '' WHERE device = ?", badge,
            mode, badge.empty() ? std::int64_t{0} : tx_.nowMs(), device);
}

void DeviceRepository::setStation(const std::string& device, const std::string& station) {
  sql::exec(tx_, "UPDATE devices SET station = ? WHERE device = ?", station, device);
}

void DeviceRepository::setState(const std::string& device, const std::string& state) {
  sql::exec(tx_, "UPDATE devices SET state = ? WHERE device = ?", state, device);
}

std::vector<std::string> DeviceRepository::seenBefore(const std::string& state, std::int64_t before) {
  std::vector<std::string> ids;
  session(tx_) << "SELECT device FROM devices WHERE state = ? AND last_seen < ? ORDER BY device", bind(state),
      bind(static_cast<Poco::Int64>(before)), into(ids), now;
  return ids;
}

std::optional<RecordedEvent> DeviceRepository::recordedEvent(const std::string& device, const std::string& eventId) {
  // Asked for every event a device sends: the dedupe check.
  Query q(tx_, "SELECT result, error FROM device_events WHERE device = ? AND event_id = ?");
  q.bind(device).bind(eventId);
  if (!q.step()) return std::nullopt;
  return RecordedEvent{q.text(0), q.text(1)};
}

void DeviceRepository::recordEvent(const std::string& device, const std::string& eventId, const std::string& type,
                                   const std::string& result, const std::string& error) {
  sql::exec(tx_,
            "INSERT INTO device_events(device, event_id, at, type, result, error) VALUES (?, ?, ?, ?, ?, ?)", device,
            eventId, tx_.nowMs(), type, result, error);
}

std::map<std::string, DeviceRepository::EventCounts> DeviceRepository::eventCounts() {
  std::map<std::string, EventCounts> out;
  Query q(tx_, "SELECT device, result, COUNT(*) FROM device_events GROUP BY device, result");
  while (q.step()) {
    auto& counts = out[q.text(0)];
    const std::string result = q.text(1);
    if (result == "applied") counts.applied += q.integer(2);
    else if (result == "rejected") counts.refused += q.integer(2);
  }
  return out;
}

void DeviceRepository::queueCommand(const std::string& device, const std::string& payload) {
  sql::exec(tx_, "INSERT INTO device_outbox(device, payload, created_at) VALUES (?, ?, ?)", device,
            payload, tx_.nowMs());
}

std::vector<DeviceRepository::QueuedCommand> DeviceRepository::pendingCommands(int limit) {
  std::vector<Poco::Int64> ids;
  std::vector<std::string> devices, payloads;
  session(tx_) << "SELECT id, device, payload FROM device_outbox WHERE published_at = 0 ORDER BY id LIMIT ?",
      bind(static_cast<Poco::Int64>(limit)), into(ids), into(devices), into(payloads), now;
  std::vector<QueuedCommand> out;
  for (std::size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], devices[i], payloads[i]});
  return out;
}

void DeviceRepository::markPublished(std::int64_t id) {
  sql::exec(tx_, "UPDATE device_outbox SET published_at = ? WHERE id = ?", tx_.nowMs(), id);
}

void DeviceRepository::recordScan(const std::string& device, const std::string& badge, const std::string& barcode,
                                  const std::string& symbology, const std::string& reference) {
  sql::exec(tx_,
            "INSERT INTO scans(at, device, badge, barcode, symbology, reference) VALUES (?, ?, ?, ?, ?, ?)",
            tx_.nowMs(), device, badge, barcode, symbology, reference);
}

}  // namespace wms::store
