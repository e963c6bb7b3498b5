// The classic routing policies, generalised to any number of cross aisles
// along the lines of Roodbergen & de Koster (2001). docs/layouts.md states each
// policy exactly; the code follows that text.
//
// Every policy is written for a start on the front cross aisle, sweeping left
// to right. A start on the back cross aisle mirrors the rows; each policy is
// also run mirrored left-right and the shorter walk is kept, so that a depot
// in the middle or at the right end is served as well as one at the left.
#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

#include "Instance.h"

namespace wms::layouts {
namespace {

constexpr Millimetres kInf = std::numeric_limits<Millimetres>::max() / 4;

// Logical view: logical row 0 is the start's cross aisle, logical column 0 the
// leftmost (or rightmost when mirrored) column.
struct Frame {
  const Instance& in;
  bool flipX, flipY;
  int C, R, B;

  Frame(const Instance& instance, bool mirrorX)
      : in(instance),
        flipX(mirrorX),
        flipY(instance.sRow != 0),
        C(int(instance.cols.size())),
        R(instance.rows),
        B(instance.rows - 1) {}

  int col(int lc) const { return flipX ? C - 1 - lc : lc; }
  int row(int lr) const { return flipY ? R - 1 - lr : lr; }
  int block(int lb) const { return flipY ? B - 1 - lb : lb; }
  const SectionPicks& sec(int lc, int lb) const { return in.section(col(lc), block(lb)); }
  bool has(int lc, int lb) const { return !sec(lc, lb).empty(); }
  Millimetres x(int lc) const { return in.cols[std::size_t(col(lc))].x; }
  Millimetres len(int lb) const { return in.rowY(block(lb) + 1) - in.rowY(block(lb)); }
  Millimetres rowY(int lr) const { return in.rowY(row(lr)); }
  // The pick of a section farthest from / nearest to the block's logical front.
  Millimetres farFromFront(const SectionPicks& s) const { return flipY ? s.lo : s.hi; }
  Millimetres nearFront(const SectionPicks& s) const { return flipY ? s.hi : s.lo; }
  Millimetres dist(Millimetres a, Millimetres b) const { return a > b ? a - b : b - a; }
};

// Where the policies split a section: picks served from the block's logical
// front (walk to frontReach and back) and from its back (to backReach and back).
struct Split {
  bool front = false, back = false;
  Millimetres frontReach = 0, backReach = 0;
};

Split largestGapSplit(const Frame& f, int lb, const SectionPicks& s) {
  const Millimetres frontY = f.rowY(lb), backY = f.rowY(lb + 1);
  const Millimetres frontGap = f.dist(frontY, f.nearFront(s));
  const Millimetres backGap = f.dist(backY, f.farFromFront(s));
  const Millimetres inner = s.gapHi - s.gapLo;
  Split sp;
  if (frontGap >= backGap && frontGap >= inner) {
    sp.back = true;
    sp.backReach = f.nearFront(s);
  } else if (backGap >= inner) {
    sp.front = true;
    sp.frontReach = f.farFromFront(s);
  } else {
    sp.front = sp.back = true;
    sp.frontReach = f.flipY ? s.gapHi : s.gapLo;
    sp.backReach = f.flipY ? s.gapLo : s.gapHi;
  }
  return sp;
}

Split midpointSplit(const Frame& f, int lb, const SectionPicks& s) {
  const Millimetres frontY = f.rowY(lb);
  const Millimetres half = f.len(lb) / 2;
  Split sp;
  for (std::uint32_t i = s.begin; i < s.end; ++i) {
    const Millimetres y = f.in.picks[i].y;
    if (f.dist(y, frontY) <= half) {
      if (!sp.front || f.dist(y, frontY) > f.dist(sp.frontReach, frontY)) sp.frontReach = y;
      sp.front = true;
    } else {
      if (!sp.back || f.dist(y, frontY) < f.dist(sp.backReach, frontY)) sp.backReach = y;
      sp.back = true;
    }
  }
  return sp;
}

class Policy {
 public:
  Policy(const Frame& frame, Walk& walk) : f_(frame), w_(walk) {}

  void run(Method method) {
    cL_ = -1;
    bF_ = -1;
    for (int lc = 0; lc < f_.C && cL_ < 0; ++lc) {
      for (int lb = 0; lb < f_.B; ++lb) cL_ = f_.has(lc, lb) ? lc : cL_;
    }
    for (int lb = 0; lb < f_.B; ++lb) {
      for (int lc = 0; lc < f_.C; ++lc) bF_ = f_.has(lc, lb) ? lb : bF_;
    }
    if (cL_ >= 0) {
      switch (method) {
        case Method::SShape: sShape(); break;
        case Method::Return: returnPolicy(); break;
        case Method::Midpoint: splitPolicy(midpointSplit); break;
        case Method::LargestGap: splitPolicy(largestGapSplit); break;
        case Method::Combined: combined(); break;
        default: throw std::logic_error("not a policy");
      }
    }
    w_.moveToEnd();
  }

 private:
  // Columns with picks in a logical block, left to right, without the left pick aisle
  // when it was already walked through that block.
  std::vector<int> pickColumns(int lb, bool withLeft) const {
    std::vector<int> out;
    for (int lc = cL_; lc < f_.C; ++lc) {
      if (f_.has(lc, lb) && (withLeft || lc != cL_)) out.push_back(lc);
    }
    return out;
  }
  void toLogicalRow(int lr) { w_.toRow(f_.row(lr)); }
  void toColumn(int lc) { w_.alongRow(f_.col(lc)); }
  int logicalRowNow() const { return f_.flipY ? f_.R - 1 - w_.row() : w_.row(); }
  // Into the section from its front row up to its farthest pick, and back.
  void returnFromFront(int lc, int lb) {
    w_.alongAisle(f_.farFromFront(f_.sec(lc, lb)));
    toLogicalRow(lb);
  }
  void traverse(int lb) { toLogicalRow(logicalRowNow() == lb ? lb + 1 : lb); }

  // S-shape: up the left pick aisle to the farthest block; there, traverse every
  // sub-aisle with picks (the last one entered and left from the front when
  // their number is odd); then block by block towards the start, traverse the
  // sub-aisles with picks from the nearer end of the block (the last one
  // returned from the front when their number is even).
  void sShape() {
    toColumn(cL_);
    toLogicalRow(bF_);
    auto far = pickColumns(bF_, true);
    for (std::size_t i = 0; i < far.size(); ++i) {
      toColumn(far[i]);
      if (i + 1 == far.size() && far.size() % 2 == 1) returnFromFront(far[i], bF_);
      else traverse(bF_);
    }
    for (int lb = bF_ - 1; lb >= 0; --lb) {
      auto cols = pickColumns(lb, false);
      if (cols.empty()) {
        toLogicalRow(lb);
        continue;
      }
      orderFromNearerEnd(cols);
      for (std::size_t i = 0; i < cols.size(); ++i) {
        toColumn(cols[i]);
        if (i + 1 == cols.size() && cols.size() % 2 == 0) returnFromFront(cols[i], lb);
        else traverse(lb);
      }
    }
  }

  void orderFromNearerEnd(std::vector<int>& cols) const {
    const Millimetres here = f_.in.cols[std::size_t(w_.col())].x;
    if (f_.dist(here, f_.x(cols.front())) > f_.dist(here, f_.x(cols.back()))) std::reverse(cols.begin(), cols.end());
  }

  // Return: every aisle with picks entered from the start's cross aisle, walked
  // to its farthest pick and left the same way.
  void returnPolicy() {
    for (int lc = cL_; lc < f_.C; ++lc) {
      int farBlock = -1;
      for (int lb = 0; lb < f_.B; ++lb) farBlock = f_.has(lc, lb) ? lb : farBlock;
      if (farBlock < 0) continue;
      toColumn(lc);
      w_.alongAisle(f_.farFromFront(f_.sec(lc, farBlock)));
      toLogicalRow(0);
    }
  }

  // Largest gap and midpoint: up the left pick aisle to the back of the
  // farthest block; then per block, from the farthest towards the start: along
  // the block's back cross aisle serving the back parts, down the rightmost
  // sub-aisle with picks, back along the front cross aisle serving the front parts.
  template <class SplitFn>
  void splitPolicy(SplitFn split) {
    toColumn(cL_);
    int first = bF_;
    if (pickColumns(bF_, false).empty()) {
      toLogicalRow(bF_);
      if (f_.has(cL_, bF_)) returnFromFront(cL_, bF_);
      --first;
    } else {
      toLogicalRow(bF_ + 1);
    }
    for (int lb = first; lb >= 0; --lb) {
      auto cols = pickColumns(lb, false);
      if (cols.empty()) {
        toLogicalRow(lb);
        continue;
      }
      for (std::size_t i = 0; i + 1 < cols.size(); ++i) {
        toColumn(cols[i]);
        Split sp = split(f_, lb, f_.sec(cols[i], lb));
        if (sp.back) {
          w_.alongAisle(sp.backReach);
          toLogicalRow(lb + 1);
        }
      }
      toColumn(cols.back());
      toLogicalRow(lb);
      for (std::size_t i = cols.size() - 1; i-- > 0;) {
        toColumn(cols[i]);
        Split sp = split(f_, lb, f_.sec(cols[i], lb));
        if (sp.front) {
          w_.alongAisle(sp.frontReach);
          toLogicalRow(lb);
        }
      }
    }
  }

  // Combined: like S-shape, but each sub-aisle with picks is either traversed or
  // entered and left on the same side, whichever a dynamic programme over the
  // block's sub-aisles finds shorter; the block is left at its front.
  void combined() {
    toColumn(cL_);
    toLogicalRow(bF_);
    combinedBlock(bF_, pickColumns(bF_, true), 0);
    for (int lb = bF_ - 1; lb >= 0; --lb) {
      auto cols = pickColumns(lb, false);
      if (cols.empty()) {
        toLogicalRow(lb);
        continue;
      }
      auto reversed = cols;
      std::reverse(reversed.begin(), reversed.end());
      if (combinedCost(lb, reversed, 1) < combinedCost(lb, cols, 1)) cols.swap(reversed);
      combinedBlock(lb, cols, 1);
    }
  }

  struct Choice {
    Millimetres cost[2];
    std::uint8_t from[2];      // previous side
    std::uint8_t traverse[2];  // reached this side by traversing
  };

  // DP over the block's sub-aisles in the given order; side 0 = front row, 1 = back row.
  Millimetres combinedPlan(int lb, const std::vector<int>& cols, int startSide, std::vector<Choice>& plan) const {
    const Millimetres len = f_.len(lb);
    Millimetres here = f_.in.cols[std::size_t(w_.col())].x;
    Millimetres prev[2] = {kInf, kInf};
    prev[startSide] = 0;
    plan.assign(cols.size(), Choice{{kInf, kInf}, {0, 0}, {0, 0}});
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const Millimetres dx = f_.dist(here, f_.x(cols[i]));
      const SectionPicks& s = f_.sec(cols[i], lb);
      const Millimetres ret[2] = {2 * f_.dist(f_.farFromFront(s), f_.rowY(lb)),
                                  2 * f_.dist(f_.nearFront(s), f_.rowY(lb + 1))};
      Choice& ch = plan[i];
      for (int side = 0; side < 2; ++side) {
        if (prev[side] >= kInf) continue;
        const Millimetres base = prev[side] + dx;
        auto offer = [&](int to, Millimetres cost, bool trav) {
          if (cost < ch.cost[to]) {
            ch.cost[to] = cost;
            ch.from[to] = std::uint8_t(side);
            ch.traverse[to] = trav;
          }
        };
        offer(1 - side, base + len, true);
        offer(side, base + ret[side], false);
      }
      prev[0] = ch.cost[0];
      prev[1] = ch.cost[1];
      here = f_.x(cols[i]);
    }
    return std::min(prev[0], prev[1] + len);
  }

  Millimetres combinedCost(int lb, const std::vector<int>& cols, int startSide) const {
    std::vector<Choice> plan;
    return combinedPlan(lb, cols, startSide, plan);
  }

  void combinedBlock(int lb, const std::vector<int>& cols, int startSide) {
    std::vector<Choice> plan;
    combinedPlan(lb, cols, startSide, plan);
    const Millimetres len = f_.len(lb);
    int side = plan.back().cost[0] <= plan.back().cost[1] + len ? 0 : 1;
    std::vector<std::uint8_t> trav(cols.size());
    for (std::size_t i = cols.size(); i-- > 0;) {
      trav[i] = plan[i].traverse[side];
      side = plan[i].from[side];
    }
    for (std::size_t i = 0; i < cols.size(); ++i) {
      toColumn(cols[i]);
      if (trav[i]) {
        traverse(lb);
      } else if (logicalRowNow() == lb) {
        returnFromFront(cols[i], lb);
      } else {
        w_.alongAisle(f_.nearFront(f_.sec(cols[i], lb)));
        toLogicalRow(lb + 1);
      }
    }
    if (logicalRowNow() != lb) toLogicalRow(lb);
  }

  const Frame& f_;
  Walk& w_;
  int cL_ = -1, bF_ = -1;
};

}  // namespace

Millimetres policyLength(const Instance& in, Method method, std::vector<std::uint8_t>& scratch) {
  Millimetres best = -1;
  for (int mirror = 0; mirror < 2; ++mirror) {
    Walk probe(in, true, nullptr, nullptr, scratch);
    Frame frame(in, mirror == 1);
    Policy(frame, probe).run(method);
    if (best < 0 || probe.length() < best) best = probe.length();
  }
  return best;
}

void policyRoute(const Instance& in, Method method, Walk& walk, std::vector<std::uint8_t>& scratch) {
  // Try both left-right orientations without recording, then walk the shorter.
  Millimetres lengths[2];
  for (int mirror = 0; mirror < 2; ++mirror) {
    Walk probe(in, true, nullptr, nullptr, scratch);
    Frame frame(in, mirror == 1);
    Policy(frame, probe).run(method);
    lengths[mirror] = probe.length();
  }
  Frame frame(in, lengths[1] < lengths[0]);
  Policy(frame, walk).run(method);
  if (walk.picked() != in.picks.size()) throw std::logic_error("policy route missed a pick");
}

}  // namespace wms::layouts
