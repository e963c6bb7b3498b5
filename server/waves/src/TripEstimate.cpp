#include "TripEstimate.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace wms::waves::detail {

using layouts::Millimetres;

struct TripEstimator::Acc {
  std::uint32_t far = 0;  // oriented block farthest from the start
  Millimetres sub = 0;
  Millimetres x0 = std::numeric_limits<Millimetres>::max();
  Millimetres x1 = std::numeric_limits<Millimetres>::min();
  bool odd = false;
  Millimetres fix = std::numeric_limits<Millimetres>::max();
  bool any = false;
};

TripEstimator::TripEstimator(const layouts::Layout& layout, layouts::PlaceId start, layouts::PlaceId end) {
  const auto cross = layout.crossAisles();
  const auto& s = layout.place(start);
  const auto& e = layout.place(end);
  blocks_ = static_cast<std::uint32_t>(layout.blocks().size());
  aisles_ = static_cast<std::uint32_t>(layout.aisles().size());
  const bool fromFront = s.crossAisle == 0;
  sameSide_ = s.crossAisle == e.crossAisle;
  startX_ = s.at.x;
  endX_ = e.at.x;
  for (const auto& a : layout.aisles()) aisleX_.push_back(a.x);
  blockLen_.assign(blocks_, 0);
  blockNear_.assign(blocks_, 0);
  for (std::uint32_t b = 0; b < blocks_; ++b) {
    const std::uint32_t ob = fromFront ? b : blocks_ - 1 - b;
    blockLen_[ob] = cross[b + 1].y - cross[b].y;
    blockNear_[ob] = fromFront ? cross[b].y - cross.front().y : cross.back().y - cross[b + 1].y;
  }
  depth_ = sameSide_ ? 0 : cross.back().y - cross.front().y;
  for (std::uint32_t key = 0; key < blocks_ * aisles_; ++key) {
    blockOfKey_.push_back(key / aisles_);
    lenOfKey_.push_back(blockLen_[key / aisles_]);
    xOfKey_.push_back(aisleX_[key % aisles_]);
  }
  const auto locations = layout.locations();
  keyOf_.resize(locations.size());
  alongOf_.resize(locations.size());
  for (std::size_t i = 0; i < locations.size(); ++i) {
    const auto& l = locations[i];
    const std::uint32_t ob = fromFront ? l.block : blocks_ - 1 - l.block;
    keyOf_[i] = ob * aisles_ + l.aisle;
    const Millimetres along = fromFront ? l.pick.y - cross[l.block].y : cross[l.block + 1u].y - l.pick.y;
    alongOf_[i] = static_cast<std::int32_t>(along);
  }
}

void TripEstimator::add(Footprint& fp, layouts::LocationId location) const {
  const auto i = layouts::index(location);
  const Span s{keyOf_.at(i), alongOf_[i], alongOf_[i]};
  auto it =
      std::lower_bound(fp.begin(), fp.end(), s.key, [](const Span& a, std::uint32_t k) { return a.key < k; });
  if (it != fp.end() && it->key == s.key) {
    it->lo = std::min(it->lo, s.lo);
    it->hi = std::max(it->hi, s.hi);
  } else {
    fp.insert(it, s);
  }
}

void TripEstimator::unite(std::span<const Span> a, std::span<const Span> b, Footprint& out) {
  out.clear();
  out.reserve(a.size() + b.size());
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].key < b[j].key)) {
      out.push_back(a[i++]);
    } else if (i == a.size() || b[j].key < a[i].key) {
      out.push_back(b[j++]);
    } else {
      out.push_back({a[i].key, std::min(a[i].lo, b[j].lo), std::max(a[i].hi, b[j].hi)});
      ++i;
      ++j;
    }
  }
}

Millimetres TripEstimator::finish(const Acc& acc) const {
  const Millimetres xs = startX_, xe = endX_;
  if (!acc.any) return std::abs(xs - xe) + depth_;
  Millimetres total = acc.sub;
  if (sameSide_) {
    total += 2 * blockNear_[acc.far];
    if (acc.odd) total += std::min(acc.fix, blockLen_[acc.far]);
  } else {
    total += depth_;
  }
  const Millimetres x0 = acc.x0, x1 = acc.x1;
  total += (x1 - x0) + std::min(std::abs(xs - x0) + std::abs(x1 - xe), std::abs(xs - x1) + std::abs(x0 - xe));
  return total;
}

namespace {

// One sub-aisle's share of the estimate; in the farthest block (same side)
// the far end is only reached by passing through, and passes must pair up.
struct KeyTables {
  const std::uint32_t* block;
  const Millimetres* len;
  const Millimetres* x;
};

inline void addSpan(const Span& s, const KeyTables& t, bool sameSide, std::uint32_t far, Millimetres& sub,
                    Millimetres& x0, Millimetres& x1, bool& odd, Millimetres& fix) {
  const std::uint32_t block = t.block[s.key];
  const Millimetres len = t.len[s.key];
  const Millimetres fromNear = 2 * Millimetres{s.hi};
  const Millimetres pass = len;
  if (sameSide && block == far) {
    if (pass < fromNear) {
      sub += pass;
      odd = !odd;
      fix = std::min(fix, fromNear - pass);
    } else {
      sub += fromNear;
    }
  } else {
    const Millimetres fromFar = 2 * (len - Millimetres{s.lo});
    sub += std::min({fromNear, fromFar, pass});
  }
  const Millimetres x = t.x[s.key];
  x0 = std::min(x0, x);
  x1 = std::max(x1, x);
}

}  // namespace

Millimetres TripEstimator::estimate(std::span<const Span> fp) const {
  Acc acc;
  if (fp.empty()) return finish(acc);
  acc.any = true;
  acc.far = blockOfKey_[fp.back().key];
  const KeyTables t{blockOfKey_.data(), lenOfKey_.data(), xOfKey_.data()};
  for (const Span& s : fp) addSpan(s, t, sameSide_, acc.far, acc.sub, acc.x0, acc.x1, acc.odd, acc.fix);
  return finish(acc);
}

Millimetres TripEstimator::estimateUnion(std::span<const Span> a, std::span<const Span> b) const {
  if (a.empty()) return estimate(b);
  if (b.empty()) return estimate(a);
  Acc acc;
  acc.any = true;
  acc.far = blockOfKey_[std::max(a.back().key, b.back().key)];
  const KeyTables t{blockOfKey_.data(), lenOfKey_.data(), xOfKey_.data()};
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    Span s;
    if (j == b.size() || (i < a.size() && a[i].key < b[j].key)) {
      s = a[i++];
    } else if (i == a.size() || b[j].key < a[i].key) {
      s = b[j++];
    } else {
      s = {a[i].key, std::min(a[i].lo, b[j].lo), std::max(a[i].hi, b[j].hi)};
      ++i;
      ++j;
    }
    addSpan(s, t, sameSide_, acc.far, acc.sub, acc.x0, acc.x1, acc.odd, acc.fix);
  }
  return finish(acc);
}

Millimetres TripEstimator::reach(std::span<const Span> fp) const {
  Millimetres best = 0;
  for (const Span& s : fp) {
    const Millimetres r =
        blockNear_[s.key / aisles_] + Millimetres{s.hi} + std::abs(aisleX_[s.key % aisles_] - startX_);
    best = std::max(best, r);
  }
  return best;
}

layouts::Point TripEstimator::centroid(std::span<const Span> fp) const {
  if (fp.empty()) return {startX_, 0};
  Millimetres sx = 0, sy = 0;
  for (const Span& s : fp) {
    const std::uint32_t block = s.key / aisles_;
    sx += aisleX_[s.key % aisles_];
    sy += blockNear_[block] + (Millimetres{s.lo} + Millimetres{s.hi}) / 2;
  }
  const auto n = static_cast<Millimetres>(fp.size());
  return {sx / n, sy / n};
}

}  // namespace wms::waves::detail
