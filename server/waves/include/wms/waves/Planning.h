// The input model of wave planning: orders waiting to be picked, the SKU data
// and stock slots they are picked from, the cart, and the carriers' cutoffs.
//
// Everything in wms::waves is pure: no database, files or clocks. Time comes in
// as milliseconds since the Unix epoch (UTC), passed by the caller. Quantities
// are whole units; weights in grams, volumes in cubic centimetres.
//
// StockIndex resolves stock slots onto a layout once, so that allocation,
// batching and pick lists can work with LocationIds and SKU indices. It is an
// immutable value after build(); any number of threads may read it at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Ids.h"
#include "wms/domain/Order.h"
#include "wms/layouts/Layout.h"

namespace wms::waves {

using domain::OrderId;
using layouts::LocationId;
using layouts::Millimetres;
using layouts::PlaceId;

// Milliseconds since the Unix epoch, UTC.
using Millis = std::int64_t;

// One line of an order to pick: `qty` units of `sku`.
struct PlanLine {
  int lineNo = 0;  // > 0, unique within the order
  std::string sku;
  std::int64_t qty = 0;  // 1..domain::kMaxQuantity
};

// An order that holds its stock and waits for a wave.
struct PlanOrder {
  OrderId id = 0;  // > 0, unique within one planning call
  domain::Channel channel = domain::Channel::Manual;
  domain::ServiceLevel level = domain::ServiceLevel::Standard;
  int priority = 0;     // higher goes first within its service level
  std::string carrier;  // "" for none (store pickup); matched against CarrierCutoff::carrier
  Millis createdAtMs = 0;
  // Optional: the zone code the order picks from ("" = unknown or several
  // zones). Only read when releasing by zone; AllocatedOrder::zone of a trial
  // allocate() is one way to fill it.
  std::string zone;
  std::vector<PlanLine> lines;  // 1..domain::kMaxOrderLines
};

// What the planner needs to know about a SKU. Zero weight or volume means
// "not measured": such units only count against a tote's unit limit.
struct SkuInfo {
  std::string sku;
  std::int64_t weightG = 0;
  std::int64_t volumeCm3 = 0;
  bool expiryTracked = false;  // allocation takes earliest expiry first (FEFO)
};

// Units of one SKU (and lot) at one pick location that the wave may take.
struct StockSlot {
  std::string sku;
  std::string location;  // a location code of the layout
  std::string lot;       // "" when not lot-tracked
  std::string expiry;    // "YYYY-MM-DD", "" when not expiry-tracked
  std::int64_t qty = 0;  // units available to pick (>= 0)
};

// A picking cart: `totes` totes, each holding the units of exactly one order
// within the per-tote limits. A limit of 0 means "no limit" for that measure.
struct CartSpec {
  int totes = 8;
  std::int64_t maxUnits = 0;
  std::int64_t maxVolumeCm3 = 0;
  std::int64_t maxWeightG = 0;
};

// A carrier's cutoff: orders for `carrier` must be picked and packed by atMs.
struct CarrierCutoff {
  std::string carrier;
  Millis atMs = 0;
};

// A carrier's daily cutoff as a local time of day (minutes after midnight).
struct DailyCutoff {
  std::string carrier;
  int minuteOfDay = 0;  // 0..1439
};

// The next occurrence of each daily cutoff at or after nowMs, in a time zone
// `utcOffsetMinutes` east of UTC (Bangkok: 420). Errors (Invalid): a minute
// outside 0..1439, an offset beyond +-14 h, a carrier listed twice.
Result<std::vector<CarrierCutoff>> nextCutoffs(std::span<const DailyCutoff> daily, Millis nowMs,
                                               int utcOffsetMinutes);

// "2024-11-11 17:00" for a time in the zone `utcOffsetMinutes` east of UTC.
std::string formatLocalTime(Millis ms, int utcOffsetMinutes);

// Checks what the planner relies on: ids > 0 and unique, 1..kMaxOrderLines
// lines with unique positive line numbers, valid SKU codes, quantities in
// 1..kMaxQuantity, createdAtMs >= 0, a carrier of at most 64 characters.
// The Invalid error names the order and line ("order 42 line 3: qty must be ...").
Status validateOrders(std::span<const PlanOrder> orders);

// Checks a cart: 1..kMaxCartTotes totes, limits >= 0. Invalid error otherwise.
Status validateCart(const CartSpec& cart);
inline constexpr int kMaxCartTotes = 64;

// Stock and SKU data resolved onto a layout: SKUs by index, slots by index
// with their LocationId. Slot indices are stable for the life of the index and
// are what Allocation and PickList refer to.
class StockIndex {
 public:
  struct Slot {
    std::uint32_t sku = 0;  // index into skus()
    LocationId location{};
    std::string locationCode;
    std::string lot;
    std::string expiry;
    std::int64_t qty = 0;
  };

  // Validates and indexes. Errors (Invalid, naming the row, e.g. "stock[12]:
  // location 'A-99-01-1' ...: no such aisle"): a bad or duplicate SKU code, a
  // negative weight or volume, a slot whose SKU is not in `skus`, whose
  // location is not in the layout, with a bad expiry date or a quantity
  // outside 0..kMaxQuantity, or two slots with the same SKU, location and lot.
  static Result<StockIndex> build(const layouts::Layout& layout, std::span<const SkuInfo> skus,
                                  std::span<const StockSlot> slots);

  const layouts::Layout& layout() const noexcept;
  std::span<const SkuInfo> skus() const noexcept;
  std::span<const Slot> slots() const noexcept;
  // The index of this SKU code, if known. O(1) on average.
  std::optional<std::uint32_t> findSku(std::string_view sku) const noexcept;
  // The slots holding this SKU, in allocation preference order: earliest
  // expiry first for expiry-tracked SKUs (no expiry last), then by location.
  // Throws std::out_of_range for an index not from this StockIndex.
  std::span<const std::uint32_t> slotsOf(std::uint32_t sku) const;

  struct Data;  // implementation detail
 private:
  explicit StockIndex(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace wms::waves
