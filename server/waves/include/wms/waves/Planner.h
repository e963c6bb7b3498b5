// planWave: the whole planning of one released wave in one call, allocation,
// batching and sequencing, and the invariant checks the server can assert.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/layouts/Router.h"
#include "wms/waves/Allocation.h"
#include "wms/waves/Batching.h"
#include "wms/waves/PickList.h"
#include "wms/waves/Planning.h"

namespace wms::waves {

struct PlanOptions {
  AllocationOptions allocation;
  BatchingOptions batching;  // its start and end are taken from `sequence`
  SequenceOptions sequence;
};

struct WavePlan {
  Allocation allocation;
  std::vector<Batch> batches;       // in release order
  std::vector<PickList> pickLists;  // pickLists[i] is the list of batches[i]
};

// Allocates `orders` (in the given sequence), batches them and sequences each
// batch's pick list. Orders that cannot be planned are in
// plan.allocation.rejected with the reason. Errors: Invalid for no orders
// ("nothing to plan: the wave has no orders") or bad input (validateOrders,
// cart, options); InsufficientStock when no order can be planned at all (the
// message names the first few reasons). `router`: as for buildPickList.
Result<WavePlan> planWave(std::span<const PlanOrder> orders, const StockIndex& stock,
                          const PlanOptions& options, layouts::Router& router);

// Invariant checks; each returns every violation found (at most 100, in a
// sentence each), empty when all hold. Usable as assertions by the server.
//
// checkAllocation: picks reference real slots with positive quantities, each
// line's picks sum to its allocated quantity (= ordered unless PickAvailable),
// no slot gives more than it had, `remaining` = initial - taken, rejected
// orders hold nothing. `initial`: per-slot availability before (empty: the slots' qty).
std::vector<std::string> checkAllocation(std::span<const PlanOrder> orders, const StockIndex& stock,
                                         const Allocation& allocation,
                                         std::span<const std::int64_t> initial = {});
// checkBatches: every allocated unit is in exactly one tote of exactly one
// batch, an order's totes are on one cart, tote limits hold (oversize totes:
// one unit), at most cart.totes totes per batch (oversize batch: one order).
std::vector<std::string> checkBatches(const Allocation& allocation, const StockIndex& stock,
                                      std::span<const Batch> batches, const CartSpec& cart);
// checkPickList: one stop per slot, puts sum to the stop's quantity, stops use
// only slots allocated to the batch's orders, per order line and slot the puts
// equal the allocation, per tote and line the puts equal the tote's content,
// seq strictly increasing, distance = the walk of the stops in order.
std::vector<std::string> checkPickList(const PickList& list, const Batch& batch, const Allocation& allocation,
                                       const StockIndex& stock, const layouts::Router& router);
// All three over a whole plan, plus: one pick list per batch.
std::vector<std::string> checkWavePlan(std::span<const PlanOrder> orders, const StockIndex& stock,
                                       const WavePlan& plan, const CartSpec& cart,
                                       const layouts::Router& router);

}  // namespace wms::waves
