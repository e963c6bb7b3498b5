// Station scans: the reads of a packing station's keyboard-wedge scanner
// that wms-fwbridge holds (its `station.scan` events, docs/protocol.md), on
// their way to the packing page open at that station.
//
// The bridge grabs the scanner, so its keystrokes no longer type into the
// browser; wmsd keeps each read here, and the page takes the waiting ones
// (POST /api/v1/packing/stations/{station}/scans/take) and handles each as if
// it had been typed: a tote starts a session, an item is scanned, "#DONE"
// completes, in the page's one input language (docs/packing.md).
//
// Each read is taken once: taking marks it, in the transaction that reads
// it, so two pages open at one station never both apply it. A read nobody
// takes within kStationScanMaxWait is dropped as expired, not applied late
// (a packer who scanned with no page open must not see it act a minute
// later), and the next take reports how many expired. Reads are kept for
// kStationScanKeep as an audit trail, then deleted.
//
// Threading: all methods may be called from any thread; recordInTx runs in
// the caller's write transaction (the device gateway's, with the event id).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/store/Database.h"
#include "wms/store/Tx.h"

namespace wms::packing {

inline constexpr std::chrono::milliseconds kStationScanMaxWait{15000};
inline constexpr std::chrono::hours kStationScanKeep{24 * 7};
// The most reads one take hands out; the rest wait for the next take.
inline constexpr std::size_t kStationScanTakeLimit = 50;

struct StationScanIn {
  std::string station;    // 1..64 of [A-Za-z0-9_.:-]
  std::string device;     // the bridge's account
  std::string barcode;    // as read (GS as 0x1D), 1..256 bytes
  std::string symbology;  // the AIM identifier ("]C1"), "" if none
  std::int64_t scannedAtMs = 0;
};

struct StationScan {
  std::int64_t id = 0;
  std::string station;
  std::string device;
  std::string barcode;
  std::string symbology;
  // What the page handles as typed: the barcode, led by its AIM identifier
  // when that says GS1 (]C1, ]e0, ]d2, ]Q3, ]J1) and the scanner did not
  // send it in the data already (nor as "(01)..." text), so GS1 element
  // strings read as GS1.
  std::string text;
  std::int64_t scannedAtMs = 0;
  std::int64_t receivedAtMs = 0;
};

struct TakenScans {
  std::vector<StationScan> scans;  // oldest first
  std::int64_t expired = 0;        // reads dropped by this take for waiting too long
};

// 1..64 of [A-Za-z0-9_.:-]: the station ids the packing page and the
// bridge's config use.
bool isValidStationId(std::string_view station) noexcept;

// The text a page handles for a read (StationScan::text).
std::string stationScanText(std::string_view barcode, std::string_view symbology);

class StationScans {
 public:
  // `db` must hold packingSchema() and outlive the service.
  explicit StationScans(store::Database& db);
  StationScans(const StationScans&) = delete;
  StationScans& operator=(const StationScans&) = delete;

  // Keeps one read for the station's page. Invalid for a bad station id or
  // an empty or too long barcode; nothing is written then.
  Status recordInTx(store::Tx& tx, const StationScanIn& scan);

  // Takes the station's waiting reads, oldest first, and drops those older
  // than kStationScanMaxWait. `takenBy` names the page (1..64 of the
  // station characters, or "") for the audit. Invalid for a bad station id.
  Result<TakenScans> take(std::string_view station, std::string_view takenBy);

 private:
  store::Database& db_;  // constant after construction
};

}  // namespace wms::packing
