// Helpers shared by the layouts test suite: random layouts, an exhaustive
// (Held-Karp) shortest route over the layout's own distances, and an
// independent check that a walk only uses aisles and cross aisles.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "wms/layouts/Layout.h"
#include "wms/layouts/LayoutLoader.h"
#include "wms/layouts/Router.h"

namespace wms::layouts {
// Printing for Boost.Test messages.
inline std::ostream& operator<<(std::ostream& os, const Point& p) { return os << "(" << p.x << ", " << p.y << ")"; }
inline std::ostream& operator<<(std::ostream& os, LocationId id) { return os << "location#" << index(id); }
inline std::ostream& operator<<(std::ostream& os, PlaceId id) { return os << "place#" << index(id); }
inline std::ostream& operator<<(std::ostream& os, Method m) { return os << toString(m); }
}  // namespace wms::layouts

namespace wms::layouts::test {

inline std::filesystem::path sourceDir() { return WMS_SOURCE_DIR; }
inline std::filesystem::path sample(const std::string& name) { return sourceDir() / "layouts" / "samples" / name; }
inline std::filesystem::path fixtures() { return sourceDir() / "tests" / "layouts" / "fixtures"; }

inline Layout loadSample(const std::string& name) {
  auto layout = loadLayout(sample(name));
  if (!layout) throw std::runtime_error(layout.error().message);
  return *layout;
}

// A small valid spec: two aisles, one block; tests change one thing in it.
inline LayoutSpec smallSpec() {
  LayoutSpec s;
  s.site = SiteSpec{"T", "test", 12.0, 20.0};
  s.racks = RackSpec{1.0, 2.0};
  s.crossAisles = {{"front", 2.0, 2.0}, {"back", 18.0, 2.0}};
  s.blocks = {{"B1", 6, 2}};
  s.aisles = {{1, 3.0, 2.0, RackSides::Both, {}, {}}, {2, 8.0, 2.0, RackSides::Both, {}, {}}};
  s.zones = {{"A", "all", 1, 2, {}}};
  s.depot = PlaceSpec{"DEPOT", "front", 5.5};
  s.packingStations = {{"PACK", "front", 11.0}};
  return s;
}

// A random valid layout with the given number of cross aisles: 1-6 aisles of
// random widths and spacing, random block lengths and bay counts, aisles with
// racks on one side only or fewer bays, and depot and stations anywhere on
// the front or back cross aisle (sometimes exactly at an aisle).
inline LayoutSpec randomSpec(std::mt19937& rng, int crossAisles) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  LayoutSpec s;
  s.racks = RackSpec{0.9, 1.3};
  const int n = uni(1, 6);
  double edge = 0.5 * uni(0, 4);
  for (int i = 0; i < n; ++i) {
    AisleSpec a;
    a.number = i + 1;
    a.width = 1.5 + 0.1 * uni(0, 15);
    int sides = uni(0, 9);
    a.sides = sides == 0 ? RackSides::Left : sides == 1 ? RackSides::Right : RackSides::Both;
    double left = a.sides == RackSides::Right ? 0.0 : 0.9;
    double right = a.sides == RackSides::Left ? 0.0 : 0.9;
    a.x = edge + left + a.width / 2 + 0.1 * uni(0, 20);
    edge = a.x + a.width / 2 + right + 0.005;
    s.aisles.push_back(a);
  }
  s.site.code = "R";
  s.site.width = edge + 0.5 * uni(0, 6);
  double y = 0;
  for (int r = 0; r < crossAisles; ++r) {
    double w = 1.0 + 0.5 * uni(0, 4);
    if (r > 0) {
      BlockSpec b{"B" + std::to_string(r), uni(1, 6), uni(1, 2)};
      y += b.baysPerSide * 1.3 + 0.1 * uni(0, 30);
      s.blocks.push_back(b);
    }
    double centre = y + w / 2 + 0.01;
    s.crossAisles.push_back(CrossAisleSpec{"X" + std::to_string(r), centre, w});
    y = centre + w / 2 + 0.01;
  }
  s.site.depth = y + 0.5;
  for (auto& a : s.aisles) {
    if (uni(0, 4) == 0) {
      for (const auto& b : s.blocks) a.baysPerSide.push_back(uni(0, b.baysPerSide));
    }
  }
  s.zones = {{"Z", "all", 1, n, {}}};
  auto place = [&](const std::string& name) {
    PlaceSpec p;
    p.name = name;
    p.crossAisle = uni(0, 3) == 0 ? s.crossAisles.back().name : s.crossAisles.front().name;
    p.x = uni(0, 2) == 0 ? s.aisles[std::size_t(uni(0, n - 1))].x : 0.1 * uni(0, int(s.site.width * 10));
    return p;
  };
  s.depot = place("DEPOT");
  s.packingStations = {place("P1"), place("P2")};
  return s;
}

inline std::vector<LocationId> randomPicks(std::mt19937& rng, const Layout& layout, int count) {
  std::vector<LocationId> out;
  const auto n = static_cast<int>(layout.locations().size());
  for (int i = 0; i < count; ++i) {
    out.push_back(LocationId{static_cast<std::uint32_t>(std::uniform_int_distribution<int>(0, n - 1)(rng))});
  }
  return out;
}

// Exhaustive search over visiting orders (Held-Karp over subsets) with the
// layout's shortest-path distances. Exact; fine for up to ~12 distinct picks.
inline Millimetres heldKarp(const Layout& layout, std::vector<LocationId> picks, PlaceId start, PlaceId end) {
  std::sort(picks.begin(), picks.end());
  picks.erase(std::unique(picks.begin(), picks.end()), picks.end());
  const std::size_t n = picks.size();
  if (n == 0) return layout.distance(start, end);
  const Millimetres inf = std::numeric_limits<Millimetres>::max() / 4;
  std::vector<Millimetres> between(n * n);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) between[a * n + b] = layout.distance(picks[a], picks[b]);
  }
  std::vector<Millimetres> dp((std::size_t(1) << n) * n, inf);
  for (std::size_t j = 0; j < n; ++j) dp[(std::size_t(1) << j) * n + j] = layout.distance(start, picks[j]);
  for (std::size_t mask = 1; mask < (std::size_t(1) << n); ++mask) {
    for (std::size_t j = 0; j < n; ++j) {
      const Millimetres cur = dp[mask * n + j];
      if (cur >= inf || !(mask >> j & 1)) continue;
      for (std::size_t k = 0; k < n; ++k) {
        if (mask >> k & 1) continue;
        const std::size_t next = mask | (std::size_t(1) << k);
        dp[next * n + k] = std::min(dp[next * n + k], cur + between[j * n + k]);
      }
    }
  }
  Millimetres best = inf;
  const std::size_t full = (std::size_t(1) << n) - 1;
  for (std::size_t j = 0; j < n; ++j) best = std::min(best, dp[full * n + j] + layout.distance(end, picks[j]));
  return best;
}

inline std::string pathProblem(const Layout& layout, const Route& route, PlaceId start, PlaceId end) {
  const auto& path = route.path;
  if (path.empty()) return "empty path";
  if (path.front() != layout.place(start).at) return "path does not begin at the start";
  if (path.back() != layout.place(end).at) return "path does not end at the end";
  const Millimetres yFront = layout.crossAisles().front().y, yBack = layout.crossAisles().back().y;
  const auto width = static_cast<Millimetres>(layout.site().width * 1000.0 + 0.5);
  Millimetres length = 0;
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Point a = path[i - 1], b = path[i];
    if (a.x == b.x) {
      bool onAisle = std::any_of(layout.aisles().begin(), layout.aisles().end(),
                                 [&](const Aisle& aisle) { return aisle.x == a.x; });
      if (a.y != b.y && !onAisle) return "vertical leg outside an aisle at x=" + std::to_string(a.x);
      if (std::min(a.y, b.y) < yFront || std::max(a.y, b.y) > yBack) return "vertical leg leaves the aisles";
      length += std::llabs(a.y - b.y);
    } else if (a.y == b.y) {
      bool onCross = std::any_of(layout.crossAisles().begin(), layout.crossAisles().end(),
                                 [&](const CrossAisle& c) { return c.y == a.y; });
      if (!onCross) return "horizontal leg outside a cross aisle at y=" + std::to_string(a.y);
      if (std::min(a.x, b.x) < 0 || std::max(a.x, b.x) > width) return "horizontal leg leaves the site";
      length += std::llabs(a.x - b.x);
    } else {
      return "diagonal leg";
    }
  }
  if (length != route.distanceMm) {
    return "path length " + std::to_string(length) + " differs from distance " + std::to_string(route.distanceMm);
  }
  return {};
}

// Empty if stops hold exactly the distinct picks; else what is wrong.
inline std::string stopsProblem(std::vector<LocationId> picks, std::vector<LocationId> stops) {
  std::sort(picks.begin(), picks.end());
  picks.erase(std::unique(picks.begin(), picks.end()), picks.end());
  auto sorted = stops;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return "a stop is visited twice";
  if (sorted != picks) return "stops are not the picks";
  return {};
}

}  // namespace wms::layouts::test
