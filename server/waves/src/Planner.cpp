#include "wms/waves/Planner.h"

#include <algorithm>

namespace wms::waves {

Result<WavePlan> planWave(std::span<const PlanOrder> orders, const StockIndex& stock,
                          const PlanOptions& options, layouts::Router& router) {
  if (orders.empty()) return Error{ErrorKind::Invalid, "nothing to plan: the wave has no orders"};
  WavePlan plan;
  auto allocation = allocate(orders, stock, options.allocation);
  if (!allocation) return allocation.error();
  plan.allocation = std::move(*allocation);
  if (plan.allocation.orders.empty()) {
    std::string message = "none of the " + std::to_string(orders.size()) + " orders can be planned: ";
    const std::size_t shown = std::min<std::size_t>(3, plan.allocation.rejected.size());
    for (std::size_t i = 0; i < shown; ++i) message += (i ? "; " : "") + plan.allocation.rejected[i].message;
    if (plan.allocation.rejected.size() > shown) {
      message += "; and " + std::to_string(plan.allocation.rejected.size() - shown) + " more";
    }
    return Error{ErrorKind::InsufficientStock, message};
  }
  BatchingOptions batching = options.batching;
  batching.start = options.sequence.start;
  batching.end = options.sequence.end;
  auto batches = makeBatches(plan.allocation, stock, batching);
  if (!batches) return batches.error();
  plan.batches = std::move(*batches);
  plan.pickLists.reserve(plan.batches.size());
  for (const auto& batch : plan.batches) {
    auto list = buildPickList(batch, plan.allocation, stock, router, options.sequence);
    if (!list) return list.error();
    plan.pickLists.push_back(std::move(*list));
  }
  return plan;
}

}  // namespace wms::waves
