// The consolidated pick list of a batch and its replanning after a short pick.
//
// One stop per slot (location, SKU and lot) across all orders of the batch,
// with the puts that say how many units go into which tote. Stops are
// sequenced by the layouts library's routing: Router::route over the stops'
// locations from the start place (the depot) to the end place (the depot or a
// packing station); stops at the same location are consecutive.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/layouts/Router.h"
#include "wms/waves/Allocation.h"
#include "wms/waves/Batching.h"
#include "wms/waves/Planning.h"

namespace wms::waves {

// `qty` units of one order line into one tote.
struct Put {
  int tote = 0;
  OrderId order = 0;
  int lineNo = 0;
  std::int64_t qty = 0;
};

inline constexpr int kSeqGap = 10;  // seq numbers are 10, 20, 30...: room to insert stops

struct Stop {
  int id = 0;   // unique within its pick list and never reused (1..n at first)
  int seq = 0;  // visiting order; strictly increasing along PickList::stops
  LocationId location{};
  std::string locationCode;
  std::string sku;
  std::string lot;
  std::string expiry;
  std::uint32_t slot = 0;     // index into StockIndex::slots()
  std::int64_t qty = 0;       // units to pick here: the sum of the puts
  std::int64_t shortQty = 0;  // units reported short here (set by replanAfterShort)
  std::vector<Put> puts;      // by tote, then line
};

struct PickList {
  int batch = 0;
  PlaceId start{};
  PlaceId end{};
  std::vector<Stop> stops;  // by seq
  // The walk from start through the stops in order to end, shortest path
  // between consecutive stops (Router::evaluate).
  Millimetres distanceMm = 0;
  layouts::Method method = layouts::Method::Given;  // what sequenced it (never Best)
  bool optimal = false;                             // true iff the walk is proven shortest
};

struct SequenceOptions {
  layouts::Method method = layouts::Method::Best;
  std::optional<PlaceId> start;  // default: the depot
  std::optional<PlaceId> end;    // default: the depot; a packing station ends the trip there
};

// Consolidates and sequences one batch. `router` must be built on
// stock.layout() (else std::invalid_argument: a misuse); one Router per thread.
// Errors: the routing method does not apply to the layout (Invalid). Indices
// in `batch` not from `allocation` are a misuse (std::out_of_range).
Result<PickList> buildPickList(const Batch& batch, const Allocation& allocation, const StockIndex& stock,
                               layouts::Router& router, const SequenceOptions& options = {});

enum class ShortReason { Empty, Damaged, NotFound };
const char* toString(ShortReason reason) noexcept;  // "empty", "damaged", "not_found"
std::optional<ShortReason> shortReasonFromString(std::string_view text) noexcept;

// The picker at stop `stopId` found only `pickedQty` of the units asked.
struct ShortReport {
  int stopId = 0;
  std::int64_t pickedQty = 0;
  ShortReason reason = ShortReason::Empty;
};

// The stock to count again because a picker reported it short.
struct CycleCountFlag {
  std::string location;
  std::string sku;
  std::string lot;
  ShortReason reason = ShortReason::Empty;
};

struct ShortReplan {
  PickList pickList;              // the list with the short applied and any stops added
  std::vector<int> addedStops;    // ids of the inserted stops, in visiting order
  std::vector<int> changedStops;  // ids of stops still to visit that now take more units
  std::vector<Put> shortPuts;     // units no other location could supply: those lines are short
  CycleCountFlag cycleCount;
};

// Applies a short at one stop: the picked units fill the stop's puts in tote
// order; the missing units are looked for elsewhere (same rules as
// allocation, the short slot excluded, and for `empty` and `not_found` every
// slot of the SKU at that location) and each location found becomes a new
// stop, inserted where it adds the least walking among the stops still to
// visit (after the short stop and not in `doneStops`), or added to a stop
// still to visit at the same slot; what cannot be found comes back in
// shortPuts. After a replan the list may visit a slot twice (once short). Seq numbers of existing stops stay
// unless no gap is left, in which case the stops after the short stop are renumbered. `available`: units each
// slot of `stock` can still give now (one entry per slot). Errors: NotFound (no such stop), Conflict (the
// stop was already reported short), Invalid (pickedQty negative or not below the stop's quantity, `available`
// of the wrong size or negative). `router` as for buildPickList.
Result<ShortReplan> replanAfterShort(const PickList& list, const ShortReport& report, const StockIndex& stock,
                                     std::span<const std::int64_t> available, layouts::Router& router,
                                     std::span<const int> doneStops = {},
                                     const AllocationOptions& rules = {});

}  // namespace wms::waves
