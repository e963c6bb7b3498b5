// Helpers shared by the waves test suite: the sample layouts, a tiny
// hand-made layout whose distances are easy to work out, and random planning
// instances (catalogue, stock slotted on a layout, orders) from a seed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "wms/layouts/Layout.h"
#include "wms/layouts/LayoutLoader.h"
#include "wms/layouts/Router.h"
#include "wms/waves/PickList.h"
#include "wms/waves/Planner.h"
#include "wms/waves/Release.h"

// Printing for Boost.Test messages.
namespace wms {
inline std::ostream& operator<<(std::ostream& os, ErrorKind kind) {
  return os << toString(kind);
}
}  // namespace wms
namespace wms::layouts {
inline std::ostream& operator<<(std::ostream& os, LocationId id) {
  return os << "location#" << index(id);
}
inline std::ostream& operator<<(std::ostream& os, PlaceId id) {
  return os << "place#" << index(id);
}
inline std::ostream& operator<<(std::ostream& os, Method m) {
  return os << toString(m);
}
}  // namespace wms::layouts
namespace wms::waves {
inline std::ostream& operator<<(std::ostream& os, PriorityClass c) {
  return os << toString(c);
}
inline std::ostream& operator<<(std::ostream& os, RejectReason r) {
  return os << toString(r);
}
inline std::ostream& operator<<(std::ostream& os, ShortReason r) {
  return os << toString(r);
}
inline std::ostream& operator<<(std::ostream& os, BatchingMethod m) {
  return os << toString(m);
}
inline std::ostream& operator<<(std::ostream& os, Trigger t) {
  return os << toString(t);
}
}  // namespace wms::waves

namespace wms::waves::test {

inline std::filesystem::path sourceDir() {
  return WMS_SOURCE_DIR;
}

inline layouts::Layout loadSample(const std::string& name) {
  auto layout = layouts::loadLayout(sourceDir() / "layouts" / "samples" / (name + ".json"));
  if (!layout) throw std::runtime_error(layout.error().message);
  return *layout;
}

// Two aisles 10 m apart, one block 20 m deep with 10 bays a side, one level,
// zones A (aisle 1) and B (aisle 2); depot at x = 0 on the front cross aisle,
// packing station PACK at x = 20.
inline layouts::Layout tinyLayout() {
  layouts::LayoutSpec s;
  s.site = {"T", "tiny", 25.0, 26.0};
  s.racks = {1.0, 2.0};
  s.crossAisles = {{"front", 2.0, 2.0}, {"back", 24.0, 2.0}};
  s.blocks = {{"B1", 10, 1}};
  s.aisles = {{1, 5.0, 2.0, layouts::RackSides::Both, {}, {}},
              {2, 15.0, 2.0, layouts::RackSides::Both, {}, {}}};
  s.zones = {{"A", "west", 1, 1, {}}, {"B", "east", 2, 2, {}}};
  s.depot = {"DEPOT", "front", 0.0};
  s.packingStations = {{"PACK", "front", 20.0}};
  auto layout = layouts::Layout::build(s);
  if (!layout) throw std::runtime_error(layout.error().message);
  return *layout;
}

// Two blocks of three aisles with the depot on the BACK cross aisle and the
// packing station PACK on the front one: trips that start and end on
// opposite sides, and blocks counted from the back.
inline layouts::Layout backDepotLayout() {
  layouts::LayoutSpec s;
  s.site = {"BD", "back depot", 20.0, 30.0};
  s.racks = {1.0, 2.0};
  s.crossAisles = {{"front", 2.0, 2.0}, {"middle", 14.5, 2.0}, {"back", 27.0, 2.0}};
  s.blocks = {{"B1", 5, 2}, {"B2", 5, 1}};
  s.aisles = {{1, 3.0, 2.0, layouts::RackSides::Both, {}, {}},
              {2, 9.0, 2.0, layouts::RackSides::Both, {4, 5}, {}},
              {3, 15.0, 2.0, layouts::RackSides::Left, {}, {}}};
  s.zones = {{"A", "front", 1, 3, {"B1"}}, {"B", "back", 1, 3, {"B2"}}};
  s.depot = {"DEPOT", "back", 6.0};
  s.packingStations = {{"PACK", "front", 18.0}};
  auto layout = layouts::Layout::build(s);
  if (!layout) throw std::runtime_error(layout.error().message);
  return *layout;
}

inline PlanOrder order(OrderId id, std::vector<PlanLine> lines,
                       domain::ServiceLevel level = domain::ServiceLevel::Standard,
                       std::string carrier = "kerry", Millis createdAtMs = 1000) {
  PlanOrder o;
  o.id = id;
  o.level = level;
  o.carrier = std::move(carrier);
  o.createdAtMs = createdAtMs;
  o.lines = std::move(lines);
  return o;
}

inline StockIndex index(const layouts::Layout& layout, const std::vector<SkuInfo>& skus,
                        const std::vector<StockSlot>& slots) {
  auto stock = StockIndex::build(layout, skus, slots);
  if (!stock) throw std::runtime_error(stock.error().message);
  return *stock;
}

// The slot index of (location, sku) in a StockIndex.
inline std::uint32_t slotAt(const StockIndex& stock, const std::string& location, const std::string& sku) {
  for (std::uint32_t i = 0; i < stock.slots().size(); ++i) {
    const auto& s = stock.slots()[i];
    if (s.locationCode == location && stock.skus()[s.sku].sku == sku) return i;
  }
  throw std::runtime_error("no slot " + location + " " + sku);
}

struct Instance {
  std::vector<SkuInfo> skus;
  std::vector<StockSlot> stock;
  std::vector<PlanOrder> orders;
  CartSpec cart;
};

// A random instance on `layout`: `skuCount` SKUs (some expiry-tracked with
// lots, random sizes, a few larger than a tote), 1-3 slots each on random
// locations, `orderCount` orders of 1-5 lines with Zipf-like popularity and
// quantities 1-6 (sometimes 20), stock sometimes short, a cart of 2-10 totes
// with random limits.
inline Instance randomInstance(std::mt19937& rng, const layouts::Layout& layout, int orderCount,
                               int skuCount) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Instance in;
  in.cart.totes = uni(2, 10);
  in.cart.maxUnits = uni(0, 3) == 0 ? 0 : uni(4, 30);
  in.cart.maxVolumeCm3 = uni(0, 3) == 0 ? 0 : uni(5, 40) * 1000;
  in.cart.maxWeightG = uni(0, 3) == 0 ? 0 : uni(3, 20) * 1000;
  for (int s = 0; s < skuCount; ++s) {
    SkuInfo info;
    info.sku = "S" + std::to_string(s);
    info.volumeCm3 = uni(0, 9) == 0 ? 0 : uni(50, 4000);
    info.weightG = uni(0, 9) == 0 ? 0 : uni(20, 3000);
    if (uni(0, 30) == 0) {
      info.volumeCm3 = uni(20, 60) * 1000;  // bulky: may exceed a tote
      info.weightG = uni(5, 25) * 1000;
    }
    info.expiryTracked = uni(0, 4) == 0;
    in.skus.push_back(info);
  }
  const auto locations = layout.locations();
  std::vector<std::uint32_t> free(locations.size());
  for (std::uint32_t i = 0; i < free.size(); ++i) free[i] = i;
  std::shuffle(free.begin(), free.end(), rng);
  std::size_t next = 0;
  for (int s = 0; s < skuCount; ++s) {
    const int slots = uni(1, 3);
    for (int k = 0; k < slots && next < free.size(); ++k) {
      StockSlot slot;
      slot.sku = in.skus[static_cast<std::size_t>(s)].sku;
      // Now and then two lots share a location.
      const bool shareLocation =
          k > 0 && in.skus[static_cast<std::size_t>(s)].expiryTracked && uni(0, 3) == 0;
      slot.location = shareLocation ? in.stock.back().location : locations[free[next++]].code;
      if (in.skus[static_cast<std::size_t>(s)].expiryTracked) {
        slot.lot = "L" + std::to_string(k);
        slot.expiry =
            uni(0, 5) == 0 ? "" : "2025-0" + std::to_string(uni(1, 9)) + "-1" + std::to_string(uni(0, 9));
      }
      slot.qty = uni(0, 8) == 0 ? 0 : uni(1, 40);
      in.stock.push_back(slot);
    }
  }
  for (int o = 0; o < orderCount; ++o) {
    PlanOrder po;
    po.id = 1000 + o;
    po.createdAtMs = 1'700'000'000'000 + uni(0, 3'600'000);
    po.level = uni(0, 9) == 0 ? domain::ServiceLevel::Express : domain::ServiceLevel::Standard;
    po.carrier = uni(0, 1) ? "kerry" : "flash";
    const int lines = uni(1, 5);
    for (int l = 0; l < lines; ++l) {
      // Zipf-like: the square of a uniform number favours low indices.
      const double u = std::uniform_real_distribution<double>(0, 1)(rng);
      const int sku = std::min(skuCount - 1, static_cast<int>(u * u * skuCount));
      const std::int64_t qty = uni(0, 15) == 0 ? 20 : uni(1, 6);
      po.lines.push_back({l + 1, in.skus[static_cast<std::size_t>(sku)].sku, qty});
    }
    in.orders.push_back(std::move(po));
  }
  return in;
}

// An independent tally for property tests: units per (order, line) found in
// the totes of all batches, and how many batches hold each order.
struct Tally {
  std::map<std::pair<OrderId, int>, std::int64_t> units;
  std::map<OrderId, int> batchesHolding;
};

inline Tally tally(std::span<const Batch> batches) {
  Tally t;
  for (const auto& b : batches) {
    std::map<OrderId, bool> seen;
    for (const auto& tote : b.totes) {
      for (const auto& l : tote.lines) t.units[{tote.order, l.lineNo}] += l.qty;
      if (!seen[tote.order]) {
        seen[tote.order] = true;
        ++t.batchesHolding[tote.order];
      }
    }
  }
  return t;
}

}  // namespace wms::waves::test
