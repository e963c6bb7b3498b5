// TripEstimate: a cheap estimate of a picking trip's length from its aisle
// footprint, for merge decisions in batching (no routing: O(footprint)).
//
// A footprint lists, per sub-aisle (one aisle within one block) with picks,
// the nearest and farthest pick measured from the block's cross aisle nearer
// to the start place. The estimate (docs/waves.md, "Estimating a trip"):
//   2 x the walk from the start's cross aisle to the farthest block,
// + per sub-aisle the cheapest of: in and back from the near end, in and back
//   from the far end (not in the farthest block), or passing through,
// + in the farthest block, one more pass when passes do not pair up,
// + the walk along the cross aisles from the start over the span of aisles
//   with picks to the end.
// On the multi-block sample it is within about 10% of the best route and its
// savings correlate with the routed savings at 0.93-0.97.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "wms/layouts/Layout.h"

namespace wms::waves::detail {

struct Span {
  std::uint32_t key = 0;  // block (counted from the start's side) x aisles + aisle
  std::int32_t lo = 0;    // nearest pick, mm from the block's near cross aisle
  std::int32_t hi = 0;    // farthest pick
};

using Footprint = std::vector<Span>;  // sorted by key, one entry per key

class TripEstimator {
 public:
  // Precomputes per-location data; `start` and `end` must be places of `layout`.
  TripEstimator(const layouts::Layout& layout, layouts::PlaceId start, layouts::PlaceId end);

  // Adds a location to a footprint (keeps it sorted).
  void add(Footprint& fp, layouts::LocationId location) const;
  // out = a united with b.
  static void unite(std::span<const Span> a, std::span<const Span> b, Footprint& out);

  layouts::Millimetres estimate(std::span<const Span> fp) const;
  // estimate() of a united with b, without building the union.
  layouts::Millimetres estimateUnion(std::span<const Span> a, std::span<const Span> b) const;

  std::uint32_t aisles() const noexcept { return aisles_; }
  std::uint32_t keyCount() const noexcept { return aisles_ * blocks_; }
  // How far a footprint reaches from the start: the deepest pick's walk from
  // the start's cross aisle plus the sideways walk to its aisle (seed choice).
  layouts::Millimetres reach(std::span<const Span> fp) const;

  // A point for ordering trips by place: the footprint's mean pick point.
  layouts::Point centroid(std::span<const Span> fp) const;

 private:
  struct Acc;
  layouts::Millimetres finish(const Acc& acc) const;

  std::uint32_t aisles_ = 0;
  std::uint32_t blocks_ = 0;
  bool sameSide_ = true;  // start and end on the same cross aisle side
  layouts::Millimetres startX_ = 0, endX_ = 0;
  layouts::Millimetres depth_ = 0;  // front to back when start and end are on opposite sides
  std::vector<layouts::Millimetres> aisleX_;
  std::vector<layouts::Millimetres> blockLen_;  // by oriented block
  std::vector<layouts::Millimetres>
      blockNear_;  // distance from the start's cross aisle to the block's near edge
  // By key (block x aisles + aisle), to spare a division per span:
  std::vector<std::uint32_t> blockOfKey_;
  std::vector<layouts::Millimetres> lenOfKey_;
  std::vector<layouts::Millimetres> xOfKey_;
  std::vector<std::uint32_t> keyOf_;   // by location
  std::vector<std::int32_t> alongOf_;  // by location, oriented
};

}  // namespace wms::waves::detail
