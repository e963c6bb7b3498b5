// Slotting: fast movers brought to the best pick faces. Pure planning, no
// I/O: the caller gives the pick faces (walking distance from the depot and
// level), what each face holds and how fast each SKU moves; the planner
// returns a bounded, ordered list of moves a supervisor approves
// (SlottingService stores and carries them out).
//
// A face's cost is what one pick there costs, in millimetres of walking:
// its one-way distance from the depot plus `levelPenaltyMm` for every level
// it is away from the waist-height level (level 2 of the layouts' "1 =
// floor" numbering: no bending down to the floor, no reaching up). A face's
// weight is its SKU's velocity (units shipped over the period), split evenly
// over the SKU's faces. The proposal's figure of merit is the
// velocity-weighted cost, sum(weight x cost), before and after.
//
// The plan, fastest faces first (velocity, then SKU and location code): the
// face takes the best face no faster face has claimed, when that is cheaper
// than where it is now:
//   - that face is free: one move (`Move::Reason::ToFreeFace`); the face it
//     left becomes free for the slower ones;
//   - it holds a slower SKU: a swap in three moves through the staging
//     location, so that no face ever holds two SKUs: the slower SKU out to
//     staging, the faster one into the face it left, the slower one from
//     staging into the face the faster one left (`Move::Reason::SwapOut`,
//     `SwapIn`, `SwapBack`). Without a staging location there are no swaps.
// An exchange whose gain (weight x cost saved, less what the slower SKU
// loses) is at most `minGainMm` is not proposed, nor one whose moves would
// take the proposal past `maxMoves`; the planner goes on with the next
// face. Moves are numbered in the order they must be done.
//
// Faces that hold more than one SKU, and faces given twice, are left as
// they are (neither moved nor taken). A SKU without velocity never moves
// first, but may be swapped out of a face a faster SKU takes.
//
// Threading: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wms/common/Result.h"

namespace wms::inbound {

// A pick face the planner may use.
struct SlotFace {
  std::string location;         // a pick location code
  std::int64_t distanceMm = 0;  // one-way walk from the depot (layouts: Layout::distance(depot, location))
  int level = 1;                // 1 = floor
  std::string sku;              // what it holds now; "" = free
  std::int64_t units = 0;       // how many units of it (>= 0), carried on its moves
};

// How fast a SKU moves: units (or pick lines) over the period.
struct SlotVelocity {
  std::string sku;
  std::int64_t units = 0;
};

struct SlottingOptions {
  int waistLevel = 2;                  // the preferred level
  std::int64_t levelPenaltyMm = 2000;  // cost of each level away from it (0..100,000)
  std::int64_t minGainMm = 0;          // an exchange must gain more than this (>= 0)
  int maxMoves = 200;                  // 1..10,000 moves per proposal
  std::string staging;                 // where swaps park a SKU; "" = no swaps
};

struct SlotMove {
  enum class Reason { ToFreeFace, SwapOut, SwapIn, SwapBack };
  int number = 0;  // 1..n, the order they are done in
  std::string sku, from, to;
  std::int64_t qty = 0;  // the units of the face it carries (SlotFace::units)
  Reason reason = Reason::ToFreeFace;
  std::int64_t gainMm = 0;  // of the exchange this move belongs to (the same on its three moves)
  std::string why;  // "velocity 120: 84.2 m from the depot at level 4, to 6.1 m from the depot at level 2"
};

struct SlottingProposal {
  std::vector<SlotMove> moves;
  std::int64_t beforeMm = 0;  // velocity-weighted cost of the faces given
  std::int64_t afterMm = 0;   // the same once every move is done
  int exchanges = 0;          // moves to free faces plus swaps
  int skippedForCap = 0;      // exchanges worth doing left out by maxMoves
};

const char* toString(SlotMove::Reason reason) noexcept;  // "to_free_face", "swap_out", "swap_in", "swap_back"

// Checks the options: Invalid naming the bad figure.
Status validate(const SlottingOptions& options);

// The cost of a pick at this face under these options (distance plus the
// level penalty).
std::int64_t faceCost(const SlotFace& face, const SlottingOptions& options) noexcept;

// The proposal (see the top of this file). Invalid for bad options, a face
// with an empty code, a negative distance, units or level, a negative velocity.
// Faces of SKUs with no velocity entry weigh 0.
Result<SlottingProposal> planSlotting(std::span<const SlotFace> faces, std::span<const SlotVelocity> velocity,
                                      const SlottingOptions& options);

}  // namespace wms::inbound
