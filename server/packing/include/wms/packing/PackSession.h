// Pack sessions: the packing-station web page's way through pack
// verification. A session is one packer's work on one order at a station;
// every step (scan, carton opened or closed, units taken out) is a call that
// answers with the whole view the page draws.
//
// The session's accepted steps are stored as events and replayed through a
// PackVerifier on every call, so the state survives a reload of the page and
// a restart of wmsd, and any number of wmsd threads can serve it. Refused
// scans (wrong item, over-scan, unreadable) are stored too, as an audit
// trail, and change nothing. An order has at most one open session:
// scanning its tote again at any station resumes it.
//
// A scan with no carton open first opens the suggested carton for what is
// left to pack (if the scan is accepted), so a packer can just scan.
// complete() packs the order (ShippingService::packOrder) in the same
// transaction; the page then books the shipment and prints the labels.
//
// Threading: all methods may be called from any thread (each runs in its
// own database transaction; writes are serialised by the database).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/packing/Shipping.h"
#include "wms/packing/Verification.h"
#include "wms/store/Database.h"

namespace wms::packing {

enum class SessionState { Open, Packed, Abandoned };
const char* toString(SessionState state) noexcept;  // "open", "packed", "abandoned"

struct SessionLine {
  int lineNo = 0;
  std::string sku;
  std::string description;
  std::int64_t ordered = 0;
  std::int64_t toPack = 0;
  std::int64_t packed = 0;
  std::vector<std::string> barcodes;
};

struct SessionView {
  std::int64_t sessionId = 0;  // 0 for an order packed without a session (by a handheld)
  SessionState state = SessionState::Open;
  std::string station;
  PackTask task;                   // the order, its lines and status
  std::vector<SessionLine> lines;  // with packed counts
  std::vector<VerifyCarton> cartons;
  std::optional<int> openCarton;  // the open carton's number
  bool complete = false;          // every unit to pack is in a carton
  std::vector<MissingUnits> missing;
  CartonSuggestion suggestion;              // for the units not yet in a closed carton
  std::optional<ScanReply> lastScan;        // the answer to this call's scan
  std::vector<CartonRecord> packedCartons;  // once packed: as recorded
  std::optional<ShipmentView> shipment;     // once booked
};

class PackSessionService {
 public:
  // `db` and `shipping` must outlive the service.
  PackSessionService(store::Database& db, ShippingService& shipping);
  PackSessionService(const PackSessionService&) = delete;
  PackSessionService& operator=(const PackSessionService&) = delete;

  // Starts (or resumes) the session of the order behind a scanned tote or
  // order code (ShippingService::findOrder) at a station (0..64 printable
  // characters). For an order already packed or shipped the view shows its
  // cartons and shipment (state Packed). Errors: those of findOrder and
  // packTask (NotFound, Conflict "not picked yet"), Invalid station.
  Result<SessionView> start(std::string_view code, std::string_view station);

  // The session as it stands. NotFound for an unknown session.
  Result<SessionView> get(std::int64_t sessionId);

  // One scan of `count` units; the verdict is in view.lastScan (wrong item,
  // over-scan... are answers, not errors). Errors: NotFound, Conflict for a
  // session that is not open, Invalid for a count outside 1..1000000.
  Result<SessionView> scan(std::int64_t sessionId, std::string_view text, std::int64_t count = 1);

  // Takes units of a line back out of the open carton. Errors as
  // PackVerifier::remove, plus NotFound/Conflict for the session.
  Result<SessionView> remove(std::int64_t sessionId, int lineNo, std::int64_t count);

  // Opens a carton of a catalogue type (or changes the type of the open,
  // empty carton). Invalid for an unknown type; Conflict if a carton with
  // items is open.
  Result<SessionView> openCarton(std::int64_t sessionId, std::string_view cartonType);

  // Closes the open carton, with its weight if weighed (1..1000000 g).
  Result<SessionView> closeCarton(std::int64_t sessionId, std::optional<std::int64_t> weightG);

  // Packs the order with the session's cartons: Conflict listing the
  // missing units by line while any are missing; the session is then
  // Packed and the order packed.
  Result<SessionView> complete(std::int64_t sessionId);

  // Ends the session without packing (the order stays picked).
  Result<SessionView> abandon(std::int64_t sessionId);

 private:
  struct Loaded;
  // Loads the session (replaying its steps) in a write or read transaction
  // and runs `step` on it; an error from `step` rolls its changes back.
  Result<SessionView> mutate(std::int64_t sessionId, bool write,
                             const std::function<Status(store::Tx&, Loaded&, SessionView&)>& step);
  // The view of an order that is packed or shipped: its recorded cartons.
  void fillPackedView(store::Tx& tx, SessionView& view, const PackTask& task);

  // Constant after construction.
  store::Database& db_;
  ShippingService& shipping_;
};

}  // namespace wms::packing
