#include "wms/layouts/Layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "LayoutData.h"

namespace wms::layouts {
namespace {

// Larger values are certainly typos; the bound also keeps millimetre
// arithmetic far from overflow.
constexpr double kMaxMetres = 10000.0;
constexpr int kMaxCrossAisles = 12;
constexpr int kMaxLevels = 9;
constexpr int kMaxBayPositions = 49;  // bay numbers 01..99 (two per position)

Error invalid(std::string message) { return Error{ErrorKind::Invalid, std::move(message)}; }

std::string metres(Millimetres mm) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f m", static_cast<double>(mm) / 1000.0);
  return buf;
}

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string twoDigits(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", n);
  return buf;
}

std::string aisleName(int number) { return "aisle " + twoDigits(number); }

// Converts a length from the spec, checking it is finite and within bounds.
Result<Millimetres> toMm(double m, const std::string& what, bool positive) {
  if (!std::isfinite(m) || std::fabs(m) > kMaxMetres) {
    return invalid(what + " must be a number of metres between -" + std::to_string(int(kMaxMetres)) + " and " +
                   std::to_string(int(kMaxMetres)));
  }
  auto mm = static_cast<Millimetres>(std::llround(m * 1000.0));
  if (positive && mm <= 0) return invalid(what + " must be positive (at least 1 mm), got " + num(m));
  if (!positive && mm < 0) return invalid(what + " must not be negative, got " + num(m));
  return mm;
}

bool isZoneCode(std::string_view s) {
  if (s.empty() || s.size() > 3) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

struct Builder {
  const LayoutSpec& spec;
  Layout::Data d;

  Status site() {
    if (spec.site.code.empty()) return invalid("site.code must not be empty");
    auto w = toMm(spec.site.width, "site.width", true);
    if (!w) return w.error();
    auto h = toMm(spec.site.depth, "site.depth", true);
    if (!h) return h.error();
    d.site = spec.site;
    auto depth = toMm(spec.racks.depth, "racks.depth", true);
    if (!depth) return depth.error();
    auto bay = toMm(spec.racks.bayWidth, "racks.bayWidth", true);
    if (!bay) return bay.error();
    d.rackDepth = *depth;
    d.bayWidth = *bay;
    if (spec.racks.levelHeight != 0) {
      auto height = toMm(spec.racks.levelHeight, "racks.levelHeight", true);
      if (!height) return height.error();
      d.levelHeight = *height;
    }
    return {};
  }
  Millimetres siteWidth() const { return std::llround(spec.site.width * 1000.0); }
  Millimetres siteDepth() const { return std::llround(spec.site.depth * 1000.0); }

  Status crossAisles() {
    const auto& list = spec.crossAisles;
    if (list.size() < 2) return invalid("crossAisles: a layout needs at least a front and a back cross aisle");
    if (list.size() > kMaxCrossAisles) {
      return invalid("crossAisles: at most " + std::to_string(kMaxCrossAisles) + " cross aisles are supported, got " +
                     std::to_string(list.size()));
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto& c = list[i];
      std::string what = "cross aisle '" + c.name + "'";
      if (c.name.empty()) return invalid("crossAisles[" + std::to_string(i) + "]: name must not be empty");
      for (std::size_t j = 0; j < i; ++j) {
        if (list[j].name == c.name) return invalid("crossAisles: duplicate name '" + c.name + "'");
      }
      auto y = toMm(c.y, what + ": y", false);
      if (!y) return y.error();
      auto w = toMm(c.width, what + ": width", true);
      if (!w) return w.error();
      if (*y - *w / 2 < 0 || *y + (*w + 1) / 2 > siteDepth()) {
        return invalid(what + " (y " + metres(*y) + ", width " + metres(*w) + ") lies outside the site (depth " +
                       metres(siteDepth()) + ")");
      }
      if (!d.crossAisles.empty()) {
        const auto& prev = d.crossAisles.back();
        if (*y <= prev.y) {
          return invalid(what + " must lie behind cross aisle '" + prev.name +
                         "': cross aisles are listed front to back (increasing y)");
        }
        if (prev.y + (prev.width + 1) / 2 >= *y - *w / 2) {
          return invalid(what + " overlaps cross aisle '" + prev.name + "': no room for racks between them");
        }
      }
      d.crossAisles.push_back(CrossAisle{c.name, *y, *w});
      d.rowY.push_back(*y);
    }
    return {};
  }

  Status blocks() {
    const auto need = d.crossAisles.size() - 1;
    if (spec.blocks.size() != need) {
      return invalid("blocks: " + std::to_string(d.crossAisles.size()) + " cross aisles make " + std::to_string(need) +
                     " block(s), but " + std::to_string(spec.blocks.size()) + " are listed");
    }
    int position = 1;
    for (std::size_t i = 0; i < need; ++i) {
      const auto& b = spec.blocks[i];
      if (b.name.empty()) return invalid("blocks[" + std::to_string(i) + "]: name must not be empty");
      for (std::size_t j = 0; j < i; ++j) {
        if (spec.blocks[j].name == b.name) return invalid("blocks: duplicate name '" + b.name + "'");
      }
      std::string what = "block '" + b.name + "'";
      if (b.baysPerSide < 0) return invalid(what + ": baysPerSide must not be negative, got " + std::to_string(b.baysPerSide));
      if (b.levels < 1 || b.levels > kMaxLevels) {
        return invalid(what + ": levels must be 1.." + std::to_string(kMaxLevels) + ", got " + std::to_string(b.levels));
      }
      const auto& front = d.crossAisles[i];
      const auto& back = d.crossAisles[i + 1];
      Block blk{b.name, front.y + front.width / 2, back.y - (back.width + 1) / 2, b.baysPerSide, b.levels};
      Millimetres room = blk.rackEnd - blk.rackStart;
      if (Millimetres(b.baysPerSide) * d.bayWidth > room) {
        return invalid(what + ": " + std::to_string(b.baysPerSide) + " bays of " + metres(d.bayWidth) + " (" +
                       metres(Millimetres(b.baysPerSide) * d.bayWidth) + ") do not fit between cross aisles '" +
                       front.name + "' and '" + back.name + "' (" + metres(room) + ")");
      }
      d.firstPosition.push_back(position);
      position += b.baysPerSide;
      d.blocks.push_back(std::move(blk));
    }
    if (position - 1 > kMaxBayPositions) {
      return invalid("blocks: an aisle can hold at most " + std::to_string(kMaxBayPositions) +
                     " bay positions per side (bay numbers 01-99), the blocks add up to " + std::to_string(position - 1));
    }
    return {};
  }

  Status aisles() {
    const auto& list = spec.aisles;
    if (list.empty()) return invalid("aisles: a layout needs at least one aisle");
    if (list.size() > 99) return invalid("aisles: at most 99 aisles are supported");
    d.aisleIndexByNumber.assign(100, -1);
    std::vector<std::size_t> order(list.size());
    std::iota(order.begin(), order.end(), 0);
    std::vector<Millimetres> xs(list.size()), ws(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto& a = list[i];
      if (a.number < 1 || a.number > 99) {
        return invalid("aisles[" + std::to_string(i) + "]: number must be 1..99, got " + std::to_string(a.number));
      }
      std::string what = aisleName(a.number);
      if (d.aisleIndexByNumber[a.number] != -1) return invalid("aisles: duplicate " + what);
      d.aisleIndexByNumber[a.number] = 0;
      auto x = toMm(a.x, what + ": x", false);
      if (!x) return x.error();
      auto w = toMm(a.width, what + ": width", true);
      if (!w) return w.error();
      xs[i] = *x;
      ws[i] = *w;
      if (!a.baysPerSide.empty() && a.baysPerSide.size() != d.blocks.size()) {
        return invalid(what + ": baysPerSide lists " + std::to_string(a.baysPerSide.size()) +
                       " block(s), the layout has " + std::to_string(d.blocks.size()));
      }
      for (std::size_t b = 0; b < a.baysPerSide.size(); ++b) {
        if (a.baysPerSide[b] < 0 || a.baysPerSide[b] > d.blocks[b].baysPerSide) {
          return invalid(what + ": baysPerSide for block '" + d.blocks[b].name + "' must be 0.." +
                         std::to_string(d.blocks[b].baysPerSide) + ", got " + std::to_string(a.baysPerSide[b]));
        }
      }
      if (a.levels && (*a.levels < 1 || *a.levels > kMaxLevels)) {
        return invalid(what + ": levels must be 1.." + std::to_string(kMaxLevels) + ", got " + std::to_string(*a.levels));
      }
    }
    std::stable_sort(order.begin(), order.end(), [&](auto l, auto r) { return xs[l] < xs[r]; });
    auto leftEdge = [&](std::size_t i) {
      bool racks = list[i].sides != RackSides::Right;
      return xs[i] - ws[i] / 2 - (racks ? d.rackDepth : 0);
    };
    auto rightEdge = [&](std::size_t i) {
      bool racks = list[i].sides != RackSides::Left;
      return xs[i] + (ws[i] + 1) / 2 + (racks ? d.rackDepth : 0);
    };
    for (std::size_t k = 0; k < order.size(); ++k) {
      std::size_t i = order[k];
      std::string what = aisleName(list[i].number);
      if (leftEdge(i) < 0 || rightEdge(i) > siteWidth()) {
        return invalid(what + " (x " + metres(xs[i]) + " with its racks) lies outside the site (width " +
                       metres(siteWidth()) + ")");
      }
      if (k > 0) {
        std::size_t p = order[k - 1];
        if (rightEdge(p) > leftEdge(i)) {
          return invalid(what + " overlaps " + aisleName(list[p].number) + ": " + aisleName(list[p].number) +
                         " and its racks end at x " + metres(rightEdge(p)) + ", " + what + " and its racks start at x " +
                         metres(leftEdge(i)));
        }
      }
      d.aisleIndexByNumber[list[i].number] = static_cast<int>(k);
      d.aisles.push_back(Aisle{list[i].number, xs[i], ws[i], list[i].sides});
    }
    // Sections: bays and levels per aisle and block.
    d.sections.resize(d.aisles.size() * d.blocks.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      const auto& a = list[order[k]];
      for (std::size_t b = 0; b < d.blocks.size(); ++b) {
        auto& s = d.sections[k * d.blocks.size() + b];
        s.baysPerSide = a.baysPerSide.empty() ? d.blocks[b].baysPerSide : a.baysPerSide[b];
        s.levels = a.levels ? *a.levels : d.blocks[b].levels;
      }
    }
    return {};
  }

  Status zones() {
    for (std::size_t i = 0; i < spec.zones.size(); ++i) {
      const auto& z = spec.zones[i];
      if (!isZoneCode(z.code)) {
        return invalid("zones[" + std::to_string(i) + "]: code must be 1 to 3 capital letters, got '" + z.code + "'");
      }
      std::string what = "zone " + z.code;
      for (std::size_t j = 0; j < i; ++j) {
        if (spec.zones[j].code == z.code) return invalid("zones: duplicate " + what);
      }
      if (z.fromAisle < 1 || z.toAisle > 99 || z.fromAisle > z.toAisle) {
        return invalid(what + ": aisles must be a range from..to of aisle numbers 1..99, got " +
                       std::to_string(z.fromAisle) + ".." + std::to_string(z.toAisle));
      }
      std::vector<bool> inBlock(d.blocks.size(), z.blocks.empty());
      for (const auto& name : z.blocks) {
        auto it = std::find_if(d.blocks.begin(), d.blocks.end(), [&](const Block& b) { return b.name == name; });
        if (it == d.blocks.end()) return invalid(what + ": unknown block '" + name + "'");
        inBlock[static_cast<std::size_t>(it - d.blocks.begin())] = true;
      }
      bool any = false;
      for (int n = z.fromAisle; n <= z.toAisle; ++n) {
        int ai = d.aisleIndexByNumber[n];
        if (ai < 0) continue;
        for (std::size_t b = 0; b < d.blocks.size(); ++b) {
          if (!inBlock[b]) continue;
          auto& s = d.sections[std::size_t(ai) * d.blocks.size() + b];
          if (s.zone >= 0) {
            return invalid(what + " overlaps zone " + d.zones[std::size_t(s.zone)].code + " at " + aisleName(n) +
                           " in block '" + d.blocks[b].name + "'");
          }
          s.zone = static_cast<int>(i);
          any = true;
        }
      }
      if (!any) return invalid(what + ": covers no aisle of the layout");
      d.zones.push_back(Zone{z.code, z.name});
    }
    for (std::size_t a = 0; a < d.aisles.size(); ++a) {
      for (std::size_t b = 0; b < d.blocks.size(); ++b) {
        const auto& s = d.section(a, b);
        if (s.baysPerSide > 0 && s.zone < 0) {
          return invalid(aisleName(d.aisles[a].number) + " has bays in block '" + d.blocks[b].name +
                         "' but no zone covers them");
        }
      }
    }
    return {};
  }

  Result<Place> place(const PlaceSpec& p, const std::string& what) {
    if (p.name.empty()) return invalid(what + ": name must not be empty");
    std::string named = what + " '" + p.name + "'";
    auto it = std::find_if(d.crossAisles.begin(), d.crossAisles.end(),
                           [&](const CrossAisle& c) { return c.name == p.crossAisle; });
    if (it == d.crossAisles.end()) return invalid(named + ": unknown cross aisle '" + p.crossAisle + "'");
    std::size_t row = static_cast<std::size_t>(it - d.crossAisles.begin());
    if (row != 0 && row + 1 != d.crossAisles.size()) {
      return invalid(named + ": must be on the front or back cross aisle, not on '" + p.crossAisle + "'");
    }
    auto x = toMm(p.x, named + ": x", false);
    if (!x) return x.error();
    if (*x > siteWidth()) return invalid(named + ": x " + metres(*x) + " lies outside the site (width " + metres(siteWidth()) + ")");
    return Place{p.name, row, Point{*x, it->y}};
  }

  Status places() {
    if (spec.depot.name.empty() && spec.depot.crossAisle.empty()) return invalid("depot: a layout needs a depot");
    auto depot = place(spec.depot, "depot");
    if (!depot) return depot.error();
    d.places.push_back(std::move(*depot));
    for (std::size_t i = 0; i < spec.packingStations.size(); ++i) {
      auto p = place(spec.packingStations[i], "packing station");
      if (!p) return p.error();
      for (const auto& q : d.places) {
        if (q.name == p->name) return invalid("packingStations: duplicate name '" + p->name + "'");
      }
      d.places.push_back(std::move(*p));
    }
    return {};
  }

  void locations() {
    const std::size_t nb = d.blocks.size();
    for (std::size_t a = 0; a < d.aisles.size(); ++a) {
      const auto& aisle = d.aisles[a];
      for (std::size_t b = 0; b < nb; ++b) {
        const auto& s = d.section(a, b);
        const auto& blk = d.blocks[b];
        for (int k = 1; k <= s.baysPerSide; ++k) {
          int position = d.firstPosition[b] + k - 1;
          Millimetres y = blk.rackStart + (Millimetres(2 * k - 1) * d.bayWidth) / 2;
          for (int side = 0; side < 2; ++side) {
            if (side == 0 && aisle.sides == RackSides::Right) continue;
            if (side == 1 && aisle.sides == RackSides::Left) continue;
            int bay = 2 * position - 1 + side;
            for (int level = 1; level <= s.levels; ++level) {
              Location loc;
              loc.code = d.zones[std::size_t(s.zone)].code + "-" + twoDigits(aisle.number) + "-" + twoDigits(bay) + "-" +
                         std::to_string(level);
              loc.aisle = static_cast<std::uint16_t>(a);
              loc.block = static_cast<std::uint16_t>(b);
              loc.zone = static_cast<std::uint16_t>(s.zone);
              loc.bay = static_cast<std::uint16_t>(bay);
              loc.level = static_cast<std::uint8_t>(level);
              loc.pick = Point{aisle.x, y};
              loc.along = y - d.rowY.front();
              d.byCode.emplace(loc.code, static_cast<std::uint32_t>(d.locations.size()));
              d.locations.push_back(std::move(loc));
            }
          }
        }
      }
    }
  }

  Status run() {
    for (auto step : {&Builder::site, &Builder::crossAisles, &Builder::blocks, &Builder::aisles, &Builder::zones,
                      &Builder::places}) {
      if (auto st = (this->*step)(); !st) return st;
    }
    locations();
    return {};
  }
};

}  // namespace

Result<Layout> Layout::build(const LayoutSpec& spec) {
  try {
    Builder b{spec, {}};
    if (auto st = b.run(); !st) return st.error();
    return Layout(std::make_shared<const Data>(std::move(b.d)));
  } catch (const std::bad_alloc&) {
    return Error{ErrorKind::TooLarge, "layout too large to build"};
  }
}

const SiteSpec& Layout::site() const noexcept { return data_->site; }
Millimetres Layout::rackDepth() const noexcept { return data_->rackDepth; }
Millimetres Layout::bayWidth() const noexcept { return data_->bayWidth; }
std::int64_t Layout::locationVolumeCm3() const noexcept {
  // mm^3 / 1000 = cm^3; a 1.0 x 1.8 x 1.5 m bay level is 2,700,000 cm^3.
  return data_->rackDepth * data_->bayWidth / 10 * data_->levelHeight / 100;
}
std::span<const CrossAisle> Layout::crossAisles() const noexcept { return data_->crossAisles; }
std::span<const Block> Layout::blocks() const noexcept { return data_->blocks; }
std::span<const Aisle> Layout::aisles() const noexcept { return data_->aisles; }
std::span<const Zone> Layout::zones() const noexcept { return data_->zones; }
std::span<const Location> Layout::locations() const noexcept { return data_->locations; }
std::span<const Place> Layout::places() const noexcept { return data_->places; }

const Location& Layout::location(LocationId id) const { return data_->locations.at(index(id)); }
const Place& Layout::place(PlaceId id) const { return data_->places.at(index(id)); }

std::optional<LocationId> Layout::find(std::string_view code) const noexcept {
  auto it = data_->byCode.find(code);
  if (it == data_->byCode.end()) return std::nullopt;
  return LocationId{it->second};
}

Result<LocationId> Layout::lookup(std::string_view code) const {
  if (auto id = find(code)) return *id;
  auto notFound = [&](const std::string& why) {
    return Error{ErrorKind::NotFound, "unknown location '" + std::string(code) + "': " + why};
  };
  // Split "Z-AA-BB-L" to say which part is wrong.
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (parts.size() < 5) {
    auto dash = code.find('-', start);
    parts.push_back(code.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  auto number = [](std::string_view s, std::size_t digits) -> int {
    if (s.size() != digits) return -1;
    int n = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  };
  int aisleNo = parts.size() == 4 ? number(parts[1], 2) : -1;
  int bay = parts.size() == 4 ? number(parts[2], 2) : -1;
  int level = parts.size() == 4 ? number(parts[3], 1) : -1;
  if (parts.size() != 4 || !isZoneCode(parts[0]) || aisleNo < 0 || bay < 0 || level < 0) {
    return notFound("not a location code (expected ZONE-AA-BB-L, e.g. A-03-12-2)");
  }
  const auto& d = *data_;
  int ai = aisleNo <= 99 ? d.aisleIndexByNumber[std::size_t(aisleNo)] : -1;
  if (ai < 0) return notFound("there is no " + aisleName(aisleNo));
  // Any level of the bay tells whether the bay exists, and its zone.
  for (int l = 1; l <= kMaxLevels; ++l) {
    std::string probe = "-" + twoDigits(aisleNo) + "-" + twoDigits(bay) + "-" + std::to_string(l);
    for (const auto& z : d.zones) {
      auto it = d.byCode.find(z.code + probe);
      if (it == d.byCode.end()) continue;
      if (z.code != parts[0]) {
        return notFound("bay " + twoDigits(aisleNo) + "-" + twoDigits(bay) + " is in zone " + z.code + ", not " +
                        std::string(parts[0]));
      }
      return notFound("bay " + z.code + "-" + twoDigits(aisleNo) + "-" + twoDigits(bay) + " has no level " +
                      std::to_string(level));
    }
  }
  return notFound(aisleName(aisleNo) + " has no bay " + twoDigits(bay));
}

std::optional<PlaceId> Layout::findPlace(std::string_view name) const noexcept {
  const auto& places = data_->places;
  for (std::size_t i = 0; i < places.size(); ++i) {
    if (places[i].name == name) return PlaceId{static_cast<std::uint32_t>(i)};
  }
  return std::nullopt;
}

Millimetres Layout::distance(LocationId a, LocationId b) const {
  return data_->pickToPick(location(a), location(b));
}
Millimetres Layout::distance(PlaceId a, LocationId b) const { return data_->placeToPick(place(a), location(b)); }
Millimetres Layout::distance(PlaceId a, PlaceId b) const { return data_->placeToPlace(place(a), place(b)); }

Millimetres Layout::Data::pickToPick(const Location& p, const Location& q) const noexcept {
  Millimetres dy = p.pick.y > q.pick.y ? p.pick.y - q.pick.y : q.pick.y - p.pick.y;
  if (p.aisle == q.aisle) return dy;
  Millimetres dx = p.pick.x > q.pick.x ? p.pick.x - q.pick.x : q.pick.x - p.pick.x;
  if (p.block != q.block) return dx + dy;
  // Same block, different aisles: out through the front or the back cross aisle.
  Millimetres lo = rowY[p.block], hi = rowY[p.block + 1u];
  return dx + std::min(p.pick.y + q.pick.y - 2 * lo, 2 * hi - p.pick.y - q.pick.y);
}

Millimetres Layout::Data::placeToPick(const Place& p, const Location& q) const noexcept {
  // The pick's own aisle reaches the place's cross aisle directly.
  Millimetres dx = p.at.x > q.pick.x ? p.at.x - q.pick.x : q.pick.x - p.at.x;
  Millimetres dy = p.at.y > q.pick.y ? p.at.y - q.pick.y : q.pick.y - p.at.y;
  return dx + dy;
}

std::size_t Layout::Data::connectingAisle(Millimetres x1, Millimetres x2) const noexcept {
  Millimetres lo = std::min(x1, x2), hi = std::max(x1, x2);
  std::size_t best = 0;
  Millimetres bestCost = -1;
  for (std::size_t i = 0; i < aisles.size(); ++i) {
    Millimetres x = aisles[i].x;
    Millimetres cost = (x < lo ? lo - x : 0) + (x > hi ? x - hi : 0);
    if (bestCost < 0 || cost < bestCost) {
      best = i;
      bestCost = cost;
    }
  }
  return best;
}

Millimetres Layout::Data::placeToPlace(const Place& p, const Place& q) const noexcept {
  Millimetres dx = p.at.x > q.at.x ? p.at.x - q.at.x : q.at.x - p.at.x;
  if (p.crossAisle == q.crossAisle) return dx;
  Millimetres dy = p.at.y > q.at.y ? p.at.y - q.at.y : q.at.y - p.at.y;
  Millimetres x = aisles[connectingAisle(p.at.x, q.at.x)].x;
  return std::llabs(p.at.x - x) + std::llabs(x - q.at.x) + dy;
}

}  // namespace wms::layouts
