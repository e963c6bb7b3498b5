// Slotting proposals, stored and carried out (the planner is Slotting.h).
//
// A proposal is made from the stock as it is now (what each pick face
// holds: its stock, or the SKU of its min/max rule when it is empty) and the
// units each SKU shipped over the last N days (Velocity.h). It waits for a
// supervisor: only an approved proposal's moves may be done, one after the
// other in their order (the order is what keeps every face to one SKU). A
// move done (`confirm`) transfers everything of its SKU at the source to the
// destination, every lot (stock::Moves::transfer: two transfer rows per lot,
// reference `slotting:<id>`), and the face's min/max rule goes with the SKU
// (through the staging location, for a swap). Confirming a move already
// done changes nothing and answers it again (duplicate). When the last move
// is done the proposal is `done`.
//
// Refused, nothing changed: bad figures (days, cap, threshold, penalty), a
// staging location that is not one, no layout, an unknown proposal or move,
// approving twice or a rejected proposal, confirming before approval or
// before the moves ahead of it, a source that no longer holds the SKU, a
// destination that holds another SKU, a source that released picks still
// have to pick from, rejecting a proposal with moves done.
//
// The walking distances and levels come from the layout (a SlotGeometry
// given by wmsd's core, which loads it); released picks from the waves (a
// DemandSource, as for replenishment): this component reads neither.
//
// Threading: a SlottingService may be used from any number of threads once
// its geometry and demand source are set (before the first call).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/inbound/Replenishment.h"
#include "wms/inbound/Slotting.h"
#include "wms/inbound/Velocity.h"
#include "wms/stock/Events.h"
#include "wms/stock/Moves.h"
#include "wms/store/Database.h"

namespace wms::inbound {

// Where a pick location is: walking distance from the depot and level;
// nullopt for a location the layout does not have.
struct SlotPlace {
  std::int64_t distanceMm = 0;
  int level = 1;
};
using SlotGeometry = std::function<std::optional<SlotPlace>(const std::string& location)>;

struct SlottingRequest {
  int days = 30;  // the history: units shipped over the last `days` days (1..3650)
  // Cap, threshold and level penalty. An empty staging takes the first
  // staging location by code (none: no swaps).
  SlottingOptions options;
  std::string requestedBy;  // 0..256 characters
};

enum class ProposalStatus { Proposed, Approved, Rejected, Done };
const char* toString(ProposalStatus status) noexcept;  // "proposed", "approved", "rejected", "done"

struct ProposedMove {
  int number = 0;
  std::string sku, from, to;
  std::string reason;  // toString(SlotMove::Reason)
  std::string why;
  std::int64_t gainMm = 0;
  std::int64_t qty = 0;               // units at the source when proposed
  std::optional<std::int64_t> moved;  // units moved; set once done
  std::string doneBy;
};

struct SlottingProposalRow {
  std::int64_t id = 0;
  ProposalStatus status = ProposalStatus::Proposed;
  int days = 0;
  std::string staging;
  int maxMoves = 0;
  std::int64_t minGainMm = 0, levelPenaltyMm = 0;
  std::int64_t beforeMm = 0, afterMm = 0;  // velocity-weighted cost (Slotting.h)
  int skippedForCap = 0;
  std::string createdBy, approvedBy, rejectedBy;
  std::int64_t createdAtMs = 0;
  std::vector<ProposedMove> moves;
};

class SlottingService {
 public:
  // `db` and `events` must outlive the service.
  SlottingService(store::Database& db, const stock::StockEvents& events);

  // Where the pick faces are; without one, proposals are refused
  // (Unavailable: no layout).
  void geometryFrom(SlotGeometry geometry) { geometry_ = std::move(geometry); }
  // Released picks; a move whose source they still pick from is refused.
  void demandFrom(DemandSource source) { demand_ = std::move(source); }
  // How fast SKUs move since a time; by default the ledger's ship rows
  // (velocity() in Velocity.h). Tests give their own.
  using VelocitySource = std::function<Result<std::vector<SkuVelocity>>(store::Tx&, std::int64_t sinceMs)>;
  void velocityFrom(VelocitySource source) { velocity_ = std::move(source); }

  // Makes and stores a proposal (see the top of this file).
  Result<SlottingProposalRow> propose(const SlottingRequest& request);
  // Newest first; status "" for all, else one of toString(ProposalStatus).
  Result<std::vector<SlottingProposalRow>> list(const std::string& status, int limit);
  // NotFound for an unknown id.
  Result<SlottingProposalRow> get(std::int64_t id);
  // `by`: the supervisor, 1..256 characters. Conflict when not proposed.
  Result<SlottingProposalRow> approve(std::int64_t id, const std::string& by);
  Result<SlottingProposalRow> reject(std::int64_t id, const std::string& by);

  struct Confirmed {
    bool duplicate = false;
    ProposedMove move;
    ProposalStatus status = ProposalStatus::Approved;  // the proposal's, after this move
  };
  // Move `number` (1..n) of proposal `id` done by `who`.
  Result<Confirmed> confirm(std::int64_t id, int number, const stock::Actor& who);

 private:
  store::Database& db_;
  const stock::StockEvents& events_;
  SlotGeometry geometry_;
  DemandSource demand_;
  VelocitySource velocity_;
};

}  // namespace wms::inbound
