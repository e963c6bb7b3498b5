#include "Instance.h"

#include <algorithm>
#include <stdexcept>

namespace wms::layouts {

void Instance::build(const Layout::Data& data, std::span<const LocationId> ids, PlaceId from, PlaceId to) {
  d = &data;
  rows = static_cast<int>(data.rowY.size());
  start = from;
  end = to;
  const Place& s = data.places.at(index(from));
  const Place& t = data.places.at(index(to));

  // Columns: the aisles, plus virtual columns for places between aisles.
  cols.clear();
  colOfAisle.assign(data.aisles.size(), -1);
  Millimetres extra[2] = {s.at.x, t.at.x};
  std::size_t nextExtra = 0;
  std::sort(std::begin(extra), std::end(extra));
  auto onAisle = [&](Millimetres x) {
    return std::any_of(data.aisles.begin(), data.aisles.end(), [x](const Aisle& a) { return a.x == x; });
  };
  auto pushVirtual = [&](Millimetres x) {
    if (!onAisle(x) && (cols.empty() || cols.back().x != x)) cols.push_back(Column{x, -1});
  };
  for (std::size_t a = 0; a < data.aisles.size(); ++a) {
    while (nextExtra < 2 && extra[nextExtra] < data.aisles[a].x) pushVirtual(extra[nextExtra++]);
    colOfAisle[a] = static_cast<int>(cols.size());
    cols.push_back(Column{data.aisles[a].x, static_cast<int>(a)});
  }
  while (nextExtra < 2) pushVirtual(extra[nextExtra++]);
  auto colAt = [&](Millimetres x) {
    auto it = std::lower_bound(cols.begin(), cols.end(), x, [](const Column& c, Millimetres v) { return c.x < v; });
    return static_cast<int>(it - cols.begin());
  };
  sCol = colAt(s.at.x);
  sRow = static_cast<int>(s.crossAisle);
  tCol = colAt(t.at.x);
  tRow = static_cast<int>(t.crossAisle);

  picks.clear();
  for (LocationId id : ids) {
    const Location& loc = data.locations.at(index(id));
    picks.push_back(PickPoint{static_cast<std::uint32_t>(colOfAisle[loc.aisle]), loc.block, loc.pick.y, id});
  }
  std::sort(picks.begin(), picks.end(), [](const PickPoint& a, const PickPoint& b) {
    if (a.col != b.col) return a.col < b.col;
    if (a.y != b.y) return a.y < b.y;
    return index(a.id) < index(b.id);
  });
  picks.erase(std::unique(picks.begin(), picks.end(),
                          [](const PickPoint& a, const PickPoint& b) { return a.id == b.id; }),
              picks.end());

  colBegin.assign(cols.size() + 1, 0);
  for (const auto& p : picks) ++colBegin[p.col + 1];
  for (std::size_t c = 0; c < cols.size(); ++c) colBegin[c + 1] += colBegin[c];

  const std::size_t blocks = std::size_t(rows - 1);
  sections.assign(cols.size() * blocks, SectionPicks{});
  for (std::size_t c = 0; c < cols.size(); ++c) {
    std::uint32_t i = colBegin[c];
    for (std::size_t b = 0; b < blocks; ++b) {
      SectionPicks& sp = sections[c * blocks + b];
      sp.begin = i;
      while (i < colBegin[c + 1] && picks[i].block == b) ++i;
      sp.end = i;
      if (sp.empty()) continue;
      sp.lo = picks[sp.begin].y;
      sp.hi = picks[sp.end - 1].y;
      sp.gapLo = sp.gapHi = sp.lo;
      for (std::uint32_t k = sp.begin + 1; k < sp.end; ++k) {
        if (picks[k].y - picks[k - 1].y > sp.gapHi - sp.gapLo) {
          sp.gapLo = picks[k - 1].y;
          sp.gapHi = picks[k].y;
        }
      }
    }
  }
}

Walk::Walk(const Instance& in, bool autoPick, std::vector<Point>* path, std::vector<LocationId>* stops,
           std::vector<std::uint8_t>& visited)
    : in_(in), autoPick_(autoPick), path_(path), stops_(stops), visited_(visited) {
  visited_.assign(in.picks.size(), 0);
  at_ = in.d->places[index(in.start)].at;
  col_ = in.sCol;
  row_ = in.sRow;
  if (path_) {
    path_->clear();
    path_->push_back(at_);
  }
  if (stops_) stops_->clear();
}

void Walk::to(Point p) {
  if (p.x != at_.x && p.y != at_.y) throw std::logic_error("walk: diagonal leg");
  if (p == at_) return;
  length_ += (p.x > at_.x ? p.x - at_.x : at_.x - p.x) + (p.y > at_.y ? p.y - at_.y : at_.y - p.y);
  if (path_) {
    auto& pts = *path_;
    // Merge a leg that continues the previous one in the same direction.
    if (pts.size() >= 2) {
      const Point& a = pts[pts.size() - 2];
      const Point& b = pts.back();
      bool sameLine = (a.x == b.x && b.x == p.x && (b.y - a.y > 0) == (p.y - b.y > 0)) ||
                      (a.y == b.y && b.y == p.y && (b.x - a.x > 0) == (p.x - b.x > 0));
      if (sameLine) pts.pop_back();
    }
    pts.push_back(p);
  }
  at_ = p;
}

void Walk::alongRow(int col) {
  if (row_ < 0) throw std::logic_error("walk: moving sideways inside an aisle");
  to(Point{in_.cols[std::size_t(col)].x, at_.y});
  col_ = col;
}

void Walk::alongAisle(Millimetres y) {
  if (col_ < 0 || !in_.real(col_)) throw std::logic_error("walk: moving along y outside an aisle");
  if (y < in_.rowY(0) || y > in_.rowY(in_.rows - 1)) throw std::logic_error("walk: leaving the aisle");
  if (autoPick_ && y != at_.y) {
    std::uint32_t b = in_.colBegin[std::size_t(col_)], e = in_.colBegin[std::size_t(col_) + 1];
    Millimetres lo = std::min(at_.y, y), hi = std::max(at_.y, y);
    auto first = std::lower_bound(in_.picks.begin() + b, in_.picks.begin() + e, lo,
                                  [](const PickPoint& p, Millimetres v) { return p.y < v; });
    auto last = std::upper_bound(first, in_.picks.begin() + e, hi,
                                 [](Millimetres v, const PickPoint& p) { return v < p.y; });
    auto take = [&](std::uint32_t i) {
      if (visited_[i]) return;
      visited_[i] = 1;
      ++picked_;
      if (stops_) stops_->push_back(in_.picks[i].id);
    };
    auto fi = static_cast<std::uint32_t>(first - in_.picks.begin());
    auto li = static_cast<std::uint32_t>(last - in_.picks.begin());
    if (y > at_.y) {
      for (std::uint32_t i = fi; i < li; ++i) take(i);
    } else {
      for (std::uint32_t i = li; i > fi; --i) take(i - 1);
    }
  }
  to(Point{at_.x, y});
  row_ = -1;
  for (int r = 0; r < in_.rows; ++r) {
    if (in_.rowY(r) == y) row_ = r;
  }
}

void Walk::visit(std::uint32_t pick) {
  if (!visited_[pick]) {
    visited_[pick] = 1;
    ++picked_;
  }
  if (stops_) stops_->push_back(in_.picks[pick].id);
}

void Walk::moveToPick(std::uint32_t pick) {
  const PickPoint& p = in_.picks[pick];
  const int pc = static_cast<int>(p.col);
  if (row_ < 0) {
    // Inside an aisle: which block are we in?
    int b = 0;
    while (b + 1 < in_.rows - 1 && in_.rowY(b + 1) < at_.y) ++b;
    if (col_ == pc) {
      alongAisle(p.y);
      return;
    }
    int exitRow;
    if (int(p.block) > b) exitRow = b + 1;
    else if (int(p.block) < b) exitRow = b;
    else {
      Millimetres lo = in_.rowY(b), hi = in_.rowY(b + 1);
      exitRow = (at_.y - lo) + (p.y - lo) <= (hi - at_.y) + (hi - p.y) ? b : b + 1;
    }
    toRow(exitRow);
  }
  alongRow(pc);
  alongAisle(p.y);
}

void Walk::moveToEnd() {
  if (row_ < 0) {
    toRow(in_.tRow);
  } else if (row_ != in_.tRow) {
    if (!in_.real(col_)) {
      const Place& t = in_.d->places[index(in_.end)];
      alongRow(in_.colOfAisle[in_.d->connectingAisle(at_.x, t.at.x)]);
    }
    toRow(in_.tRow);
  }
  alongRow(in_.tCol);
}

}  // namespace wms::layouts
