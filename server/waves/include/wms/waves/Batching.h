// Batching (cluster picking): a wave's allocated orders split into batches,
// one batch per trip of a cart with K totes.
//
// A tote holds the units of exactly one order. An order whose units do not
// fit one tote (units, volume or weight limit) is split across several totes
// of the SAME cart, never across carts. Two exceptions, flagged rather than
// refused so that no order is stuck:
//   - Tote::oversize: a single unit that alone exceeds the tote's volume or
//     weight limit rides in a tote of its own (one unit);
//   - Batch::oversize: an order that needs more totes than a cart holds goes
//     alone in its own batch with as many totes as it needs (a trolley or
//     pallet job for the supervisor to route).
//
// Methods (docs/waves.md has the details and measurements):
//   fcfs     orders in the sequence given fill carts one after the other;
//   seed     a seed order (farthest from the depot) opens a cart, which is
//            filled with the order that adds the least estimated walking;
//   savings  Clarke-Wright: every order starts as its own trip; the two trips
//            whose merge saves the most estimated walking are merged while a
//            cart can hold them (default).
// Seed and savings estimate a trip's length from its aisle footprint (O(picks),
// no routing) and consider only candidate partners that pick near each other,
// so they scale to tens of thousands of orders; the exact walk is computed
// once per batch when its pick list is sequenced.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/waves/Allocation.h"
#include "wms/waves/Planning.h"

namespace wms::waves {

enum class BatchingMethod { Fcfs, Seed, Savings };

std::string_view toString(BatchingMethod method) noexcept;  // "fcfs", "seed", "savings"
std::optional<BatchingMethod> parseBatchingMethod(std::string_view name) noexcept;

struct BatchingOptions {
  BatchingMethod method = BatchingMethod::Savings;
  CartSpec cart;
  // Batch the orders of each zone (AllocatedOrder::zone) separately; orders
  // spanning zones form their own group.
  bool byZone = false;
  // Where trips start and end, for the estimates (default: the depot).
  std::optional<PlaceId> start;
  std::optional<PlaceId> end;
  // Candidate partners considered per order by seed and savings (4..64).
  int neighbours = 16;
};

struct ToteLine {
  int lineNo = 0;
  std::int64_t qty = 0;
};

// One tote of a cart, holding (part of) one order.
struct Tote {
  int number = 0;  // 1..n within its batch
  OrderId order = 0;
  std::size_t allocated = 0;    // index into Allocation::orders
  std::vector<ToteLine> lines;  // by line number
  std::int64_t units = 0;
  std::int64_t volumeCm3 = 0;
  std::int64_t weightG = 0;
  bool oversize = false;  // a single unit larger than a tote's volume or weight limit
};

struct Batch {
  int number = 0;                   // 1..n, in release order
  std::vector<std::size_t> orders;  // indices into Allocation::orders, in tote order
  std::vector<Tote> totes;          // numbered 1..n; an order's totes are consecutive
  std::int64_t units = 0;
  bool oversize = false;       // one order needing more totes than a cart holds
  std::string zone;            // the zone of all its picks, "" when they span zones (for assignment)
  Millimetres estimateMm = 0;  // the planner's estimate of the trip; the pick list has the walk
};

// The totes one order needs on `cart`: first-fit over its lines, largest unit
// volume first, a line split across totes only when it does not fit. Totes are
// numbered from 1. Precondition: validateCart(cart) holds (else std::invalid_argument).
std::vector<Tote> packOrder(const AllocatedOrder& order, const StockIndex& stock, const CartSpec& cart);

// Splits every order of `allocation` into batches with `options.method`.
// Batches are numbered in release order: the batch holding the order that
// came earliest in the allocation's sequence first. Every allocated unit ends
// in exactly one tote of exactly one batch (checkBatches() verifies it).
// Errors: Invalid cart or neighbours out of range. A place id not from the
// layout is a misuse (std::out_of_range).
Result<std::vector<Batch>> makeBatches(const Allocation& allocation, const StockIndex& stock,
                                       const BatchingOptions& options);

}  // namespace wms::waves
