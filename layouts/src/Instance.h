// One routing problem on the walking graph, and the walk builder every method
// uses to produce its route. Internal to the library.
//
// The walking graph: columns (the aisles, plus a virtual column at the start
// or end place when it is not at an aisle) cross rows (the cross aisles).
// Vertical movement is allowed only in aisle columns, horizontal movement only
// on rows. Picks lie strictly inside the aisle sections between two rows.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "LayoutData.h"
#include "wms/layouts/Router.h"

namespace wms::layouts {

struct Column {
  Millimetres x = 0;
  int aisle = -1;  // index in Layout::Data::aisles, -1 for a virtual column
};

struct PickPoint {
  std::uint32_t col = 0;
  std::uint32_t block = 0;
  Millimetres y = 0;
  LocationId id{};
};

// The picks of one aisle section, summarised for the policies and the DP.
struct SectionPicks {
  std::uint32_t begin = 0, end = 0;  // range in Instance::picks (sorted by y)
  Millimetres lo = 0, hi = 0;        // lowest and highest pick y
  Millimetres gapLo = 0, gapHi = 0;  // picks on either side of the largest gap between picks
  bool empty() const { return begin == end; }
};

struct Instance {
  const Layout::Data* d = nullptr;
  int rows = 0;                          // cross aisles
  std::vector<Column> cols;              // left to right
  std::vector<int> colOfAisle;           // aisle index -> column
  std::vector<PickPoint> picks;          // distinct locations, sorted by column then y then id
  std::vector<std::uint32_t> colBegin;   // per column: first pick; size cols+1
  std::vector<SectionPicks> sections;    // col * (rows-1) + block
  int sCol = 0, sRow = 0, tCol = 0, tRow = 0;
  PlaceId start{}, end{};

  Millimetres rowY(int r) const { return d->rowY[std::size_t(r)]; }
  const SectionPicks& section(int col, int block) const {
    return sections[std::size_t(col) * std::size_t(rows - 1) + std::size_t(block)];
  }
  bool real(int col) const { return cols[std::size_t(col)].aisle >= 0; }

  // Fills the instance for these picks (ids must be valid) and places.
  void build(const Layout::Data& data, std::span<const LocationId> ids, PlaceId from, PlaceId to);
};

// Builds a walk leg by leg, checking that each leg runs along an aisle or a
// cross aisle, adding up its length and (optionally) recording the polyline and
// the stops. With autoPick, every pick the walk passes is picked.
class Walk {
 public:
  Walk(const Instance& in, bool autoPick, std::vector<Point>* path, std::vector<LocationId>* stops,
       std::vector<std::uint8_t>& visited);

  Millimetres length() const { return length_; }
  int col() const { return col_; }
  int row() const { return row_; }
  Millimetres y() const { return at_.y; }
  std::size_t picked() const { return picked_; }

  void alongRow(int col);          // on a row: move to a column
  void alongAisle(Millimetres y);  // in an aisle column: move to y (picking what is passed)
  void toRow(int row) { alongAisle(in_.rowY(row)); }
  void visit(std::uint32_t pick);  // an explicit stop at a pick (given order)
  void moveToPick(std::uint32_t pick);   // shortest path to a pick, picking nothing on the way
  void moveToEnd();                      // shortest path to the instance's end place

 private:
  void to(Point p);
  const Instance& in_;
  bool autoPick_;
  std::vector<Point>* path_;
  std::vector<LocationId>* stops_;
  std::vector<std::uint8_t>& visited_;
  Point at_;
  int col_ = -1, row_ = -1;
  Millimetres length_ = 0;
  std::size_t picked_ = 0;
};

// The methods' entry points (each walks from start to end and leaves the
// length in the walk). policyRoute handles the five classic policies, trying
// both left-right orientations; `scratch` is reused between calls.
void policyRoute(const Instance& in, Method method, Walk& walk, std::vector<std::uint8_t>& scratch);
// The length policyRoute would walk, without walking it.
Millimetres policyLength(const Instance& in, Method method, std::vector<std::uint8_t>& scratch);

struct DpScratch;
struct DpScratchDeleter {
  void operator()(DpScratch* p) const noexcept;
};
// Exact shortest route length; reconstructs the walk into `walk` when not null.
// Requires in.rows <= kMaxExactCrossAisles and at least one pick. upperBound:
// the length of some route for these picks (0 if none is known); it only
// speeds the search up.
Millimetres optimalRoute(const Instance& in, DpScratch& scratch, Walk* walk, Millimetres upperBound);
DpScratch* newDpScratch();

}  // namespace wms::layouts
