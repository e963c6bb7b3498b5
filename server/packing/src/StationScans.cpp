#include "wms/packing/StationScans.h"

#include <algorithm>

#include "wms/packing/Scan.h"
#include "wms/store/Query.h"

namespace wms::packing {
namespace {

bool isStationChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == ':';
}

// AIM identifiers whose data are GS1 element strings: GS1-128, GS1 DataBar,
// GS1 DataMatrix, GS1 QR Code, GS1 DotCode.
bool isGs1Symbology(std::string_view aim) {
  return aim == "]C1" || aim == "]e0" || aim == "]d2" || aim == "]Q3" || aim == "]J1";
}

}  // namespace

bool isValidStationId(std::string_view station) noexcept {
  return !station.empty() && station.size() <= 64 && std::all_of(station.begin(), station.end(), isStationChar);
}

std::string stationScanText(std::string_view barcode, std::string_view symbology) {
  // Data led by an identifier already, or in the human-readable "(01)..."
  // form a bridge rule may make of it, read as they are.
  if (isGs1Symbology(symbology) && (barcode.empty() || (barcode.front() != ']' && barcode.front() != '(')))
    return std::string(symbology) + std::string(barcode);
  return std::string(barcode);
}

StationScans::StationScans(store::Database& db) : db_(db) {}

Status StationScans::recordInTx(store::Tx& tx, const StationScanIn& scan) {
  if (!isValidStationId(scan.station))
    return Error{ErrorKind::Invalid, "station '" + scan.station.substr(0, 40) + "' must be 1 to 64 of [A-Za-z0-9_.:-]"};
  if (scan.barcode.empty() || scan.barcode.size() > kMaxScanBytes)
    return Error{ErrorKind::Invalid, "barcode must be 1 to " + std::to_string(kMaxScanBytes) + " bytes"};
  const std::int64_t now = tx.nowMs();
  store::Query insert(tx,
                      "INSERT INTO station_scans(station, device, barcode, symbology, scanned_at, received_at, "
                      "state) VALUES (?, ?, ?, ?, ?, ?, 'waiting') RETURNING id");
  insert.bind(scan.station).bind(scan.device).bind(scan.barcode).bind(scan.symbology).bind(scan.scannedAtMs).bind(now);
  std::int64_t id = 0;
  if (insert.step()) {
    id = insert.integer(0);
    insert.run();  // finish the statement: RETURNING completes the insert on the last step
  }
  // The audit trail is kept a week; pruned now and then rather than by a
  // loop of its own (an index on received_at keeps it cheap).
  if (id % 500 == 0) {
    const auto keepMs = std::chrono::duration_cast<std::chrono::milliseconds>(kStationScanKeep).count();
    store::exec(tx, "DELETE FROM station_scans WHERE received_at < ?", now - keepMs);
  }
  return {};
}

Result<TakenScans> StationScans::take(std::string_view station, std::string_view takenBy) {
  if (!isValidStationId(station))
    return Error{ErrorKind::Invalid,
                 "station '" + std::string(station.substr(0, 40)) + "' must be 1 to 64 of [A-Za-z0-9_.:-]"};
  if (takenBy.size() > 64 || !std::all_of(takenBy.begin(), takenBy.end(), isStationChar))
    return Error{ErrorKind::Invalid, "page must be at most 64 of [A-Za-z0-9_.:-]"};
  TakenScans out;
  // Most takes find nothing: a read transaction answers them, so a page
  // asking every second costs no write.
  bool waiting = false;
  auto looked = db_.read([&](store::Tx& tx) -> Status {
    waiting = store::queryInteger(tx, "SELECT COUNT(*) FROM station_scans WHERE station = ? AND state = 'waiting'",
                                  std::string(station))
                  .value_or(0) > 0;
    return {};
  });
  if (!looked) return looked.error();
  if (!waiting) return out;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    out = {};
    const std::int64_t now = tx.nowMs();
    out.expired = static_cast<std::int64_t>(
        store::exec(tx,
                    "UPDATE station_scans SET state = 'expired', taken_at = ?, taken_by = ? "
                    "WHERE station = ? AND state = 'waiting' AND received_at < ?",
                    now, std::string(takenBy), std::string(station), now - kStationScanMaxWait.count()));
    store::Query q(tx,
                   "SELECT id, device, barcode, symbology, scanned_at, received_at FROM station_scans "
                   "WHERE station = ? AND state = 'waiting' ORDER BY id LIMIT ?");
    q.bind(station).bind(static_cast<std::int64_t>(kStationScanTakeLimit));
    while (q.step()) {
      StationScan s;
      s.id = q.integer(0);
      s.station = std::string(station);
      s.device = q.text(1);
      s.barcode = q.text(2);
      s.symbology = q.text(3);
      s.text = stationScanText(s.barcode, s.symbology);
      s.scannedAtMs = q.integer(4);
      s.receivedAtMs = q.integer(5);
      out.scans.push_back(std::move(s));
    }
    for (const auto& s : out.scans)
      store::exec(tx, "UPDATE station_scans SET state = 'taken', taken_at = ?, taken_by = ? WHERE id = ?", now,
                  std::string(takenBy), s.id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace wms::packing
