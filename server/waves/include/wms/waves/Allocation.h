// Allocation: which stock slots each order line is picked from.
//
// Orders are served in the sequence given (the wave's release sequence), each
// consuming a running per-slot availability, so two lines never count on the
// same unit. Rules per line:
//   - expiry-tracked SKU: FEFO, earliest expiry first (slots without an expiry
//     last), a slot emptied before the next is opened;
//   - otherwise fewest stops: the smallest slot that covers the whole
//     remaining quantity, else the largest slot, repeated until covered.
// Ties go to the location nearer the depot, then to the lower slot index.
// A line that cannot be covered is never silently dropped: it comes back as a
// Shortfall, and by default its whole order is set aside as a Rejection with
// its units returned to the pool.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/waves/Planning.h"

namespace wms::waves {

enum class ShortfallPolicy {
  HoldOrder,      // an order with any short line is rejected whole (nothing allocated)
  PickAvailable,  // short lines keep what could be allocated; the rest is reported
};

struct AllocationOptions {
  ShortfallPolicy onShortfall = ShortfallPolicy::HoldOrder;
  // "YYYY-MM-DD" or "": slots whose expiry is before this date are not used
  // (minimum remaining shelf life; the caller passes e.g. today + 30 days).
  std::string notExpiringBefore;
};

// `qty` units of one order line taken from one slot (index into StockIndex::slots()).
struct Pick {
  std::uint32_t slot = 0;
  std::int64_t qty = 0;
};

struct AllocatedLine {
  int lineNo = 0;
  std::uint32_t sku = 0;  // index into StockIndex::skus()
  std::int64_t ordered = 0;
  std::int64_t allocated = 0;  // sum of picks' qty; < ordered only under PickAvailable
  std::vector<Pick> picks;     // in the order the slots were chosen
};

struct AllocatedOrder {
  std::size_t input = 0;  // index of the order in the span given to allocate()
  OrderId id = 0;
  std::vector<AllocatedLine> lines;  // lines with nothing allocated are left out
  std::int64_t units = 0;
  std::int64_t weightG = 0;
  std::int64_t volumeCm3 = 0;
  std::string zone;  // the zone code of every pick, or "" if the picks span zones
};

// A line whose stock could not be found in full.
struct Shortfall {
  OrderId order = 0;
  int lineNo = 0;
  std::string sku;
  std::int64_t ordered = 0;
  std::int64_t available = 0;  // what the pool could still give when the line was served
};

enum class RejectReason {
  UnknownSku,  // a line's SKU has no SkuInfo
  Short,       // a line could not be covered (HoldOrder policy) or nothing at all was allocated
};
const char* toString(RejectReason reason) noexcept;  // "unknown_sku", "short"

// An order set aside, with a message for the supervisor that names the cause
// ("order 17 line 2: sku 'TEA-01' short: 5 ordered, 2 available").
struct Rejection {
  OrderId order = 0;
  RejectReason reason = RejectReason::Short;
  std::string message;
};

struct Allocation {
  std::vector<AllocatedOrder> orders;  // in the sequence served
  std::vector<Shortfall> shortfalls;
  std::vector<Rejection> rejected;
  std::vector<std::int64_t> remaining;  // per slot: availability left after this allocation
};

// Allocates `orders` in sequence against `stock` (or against `available`, one
// quantity per slot, when it is not empty: e.g. what an earlier wave left).
// Errors: Invalid from validateOrders(); Invalid if notExpiringBefore is not a
// date or `available` has the wrong size or a negative entry.
Result<Allocation> allocate(std::span<const PlanOrder> orders, const StockIndex& stock,
                            const AllocationOptions& options = {},
                            std::span<const std::int64_t> available = {});

// The slots (with quantities) that would serve `qty` units of `sku` from
// `available` by the rules above, without changing anything; fewer units than
// asked when the pool is short. Used to replan a short pick. Throws
// std::out_of_range for a SKU index or availability of the wrong size (misuse).
std::vector<Pick> chooseSlots(const StockIndex& stock, std::uint32_t sku, std::int64_t qty,
                              std::span<const std::int64_t> available, const AllocationOptions& options = {});

}  // namespace wms::waves
