#include "wms/packing/Cartons.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "wms/domain/Ids.h"

namespace wms::packing {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}

bool knownDims(const domain::Dimensions& d) {
  return d.lengthMm > 0 && d.widthMm > 0 && d.heightMm > 0;
}
std::int64_t volume(const domain::Dimensions& d) {
  return d.lengthMm * d.widthMm * d.heightMm;
}

std::array<std::int64_t, 3> sortedSides(const domain::Dimensions& d) {
  std::array<std::int64_t, 3> s{d.lengthMm, d.widthMm, d.heightMm};
  std::sort(s.begin(), s.end());
  return s;
}

std::string dimsText(const domain::Dimensions& d) {
  return std::to_string(d.lengthMm) + "x" + std::to_string(d.widthMm) + "x" + std::to_string(d.heightMm) +
         " mm";
}

bool fitsThrough(const domain::Dimensions& item, const domain::Dimensions& inner) {
  auto a = sortedSides(item);
  auto b = sortedSides(inner);
  return a[0] <= b[0] && a[1] <= b[1] && a[2] <= b[2];
}

double fillLimit(const CartonType& c, const FitOptions& o) {
  return c.kind == CartonKind::Mailer ? o.mailerFill : o.boxFill;
}

// One unit to place: which item it belongs to and its size.
struct Unit {
  std::size_t item = 0;
  domain::Dimensions dims;
  std::int64_t weightG = 0;
  bool known = false;
};

struct Point {
  std::int64_t x = 0, y = 0, z = 0;
  friend bool operator<(const Point& a, const Point& b) {
    // Bottom first, then back, then left: units settle low and to one side,
    // leaving the open space in one piece.
    if (a.z != b.z) return a.z < b.z;
    if (a.y != b.y) return a.y < b.y;
    return a.x < b.x;
  }
};

struct Placed {
  std::int64_t x, y, z, l, w, h;
};

// Extreme-point placement of boxes into one container. Only real placements
// are recorded: a unit is placed where it lies inside the container and
// overlaps no unit placed before.
class Placement {
 public:
  explicit Placement(const domain::Dimensions& inner)
      : L_(inner.lengthMm), W_(inner.widthMm), H_(inner.heightMm) {
    points_.insert(Point{});
  }

  bool place(const domain::Dimensions& d) {
    std::array<std::array<std::int64_t, 3>, 6> orientations{{{d.lengthMm, d.widthMm, d.heightMm},
                                                             {d.lengthMm, d.heightMm, d.widthMm},
                                                             {d.widthMm, d.lengthMm, d.heightMm},
                                                             {d.widthMm, d.heightMm, d.lengthMm},
                                                             {d.heightMm, d.lengthMm, d.widthMm},
                                                             {d.heightMm, d.widthMm, d.lengthMm}}};
    for (const auto& p : points_) {
      for (std::size_t i = 0; i < orientations.size(); ++i) {
        const auto& o = orientations[i];
        bool seen = false;  // the same orientation twice (a cube, two equal sides)
        for (std::size_t j = 0; j < i && !seen; ++j) seen = orientations[j] == o;
        if (seen) continue;
        if (p.x + o[0] > L_ || p.y + o[1] > W_ || p.z + o[2] > H_) continue;
        Placed b{p.x, p.y, p.z, o[0], o[1], o[2]};
        if (overlapsAny(b)) continue;
        commit(p, b);
        return true;
      }
    }
    return false;
  }

 private:
  static bool overlaps(const Placed& a, const Placed& b) {
    return a.x < b.x + b.l && b.x < a.x + a.l && a.y < b.y + b.w && b.y < a.y + a.w && a.z < b.z + b.h &&
           b.z < a.z + a.h;
  }
  bool overlapsAny(const Placed& b) const {
    for (const auto& q : placed_) {
      if (overlaps(b, q)) return true;
    }
    return false;
  }
  bool inside(const Point& p) const {
    if (p.x >= L_ || p.y >= W_ || p.z >= H_) return true;  // on the far walls: nothing starts there
    for (const auto& q : placed_) {
      if (p.x >= q.x && p.x < q.x + q.l && p.y >= q.y && p.y < q.y + q.w && p.z >= q.z && p.z < q.z + q.h)
        return true;
    }
    return false;
  }
  // Moves a point toward 0 along one axis until it meets a placed unit's
  // face or the wall, so that new units rest on something.
  Point project(Point p, int axis) const {
    std::int64_t best = 0;
    for (const auto& q : placed_) {
      switch (axis) {
        case 0:
          if (p.y >= q.y && p.y < q.y + q.w && p.z >= q.z && p.z < q.z + q.h && q.x + q.l <= p.x)
            best = std::max(best, q.x + q.l);
          break;
        case 1:
          if (p.x >= q.x && p.x < q.x + q.l && p.z >= q.z && p.z < q.z + q.h && q.y + q.w <= p.y)
            best = std::max(best, q.y + q.w);
          break;
        default:
          if (p.x >= q.x && p.x < q.x + q.l && p.y >= q.y && p.y < q.y + q.w && q.z + q.h <= p.z)
            best = std::max(best, q.z + q.h);
          break;
      }
    }
    (axis == 0 ? p.x : axis == 1 ? p.y : p.z) = best;
    return p;
  }
  void commit(const Point& used, const Placed& b) {
    placed_.push_back(b);
    points_.erase(used);
    const std::array<Point, 3> corners{Point{b.x + b.l, b.y, b.z}, Point{b.x, b.y + b.w, b.z},
                                       Point{b.x, b.y, b.z + b.h}};
    std::vector<Point> fresh;
    for (int axis = 0; axis < 3; ++axis) {
      const Point& c = corners[static_cast<std::size_t>(axis)];
      fresh.push_back(c);
      for (int other = 0; other < 3; ++other) {
        if (other != axis) fresh.push_back(project(c, other));
      }
    }
    // Points now covered by the new unit can never take one.
    for (auto it = points_.begin(); it != points_.end();) {
      it = inside(*it) ? points_.erase(it) : std::next(it);
    }
    for (const auto& p : fresh) {
      if (!inside(p)) points_.insert(p);
    }
  }

  std::int64_t L_, W_, H_;
  std::vector<Placed> placed_;
  std::set<Point> points_;
};

// A carton being filled: the checks of checkFit applied unit by unit.
class Bin {
 public:
  Bin(const CartonType& type, const FitOptions& options, bool placeUnits)
      : type_(&type),
        placement_(type.inner),
        placeUnits_(placeUnits),
        volumeLimit_(static_cast<double>(type.innerVolumeMm3()) * fillLimit(type, options)) {}

  // Adds the unit if the carton still passes every check with it; the
  // reason is set when it does not.
  bool tryAdd(const Unit& u, std::string* reason = nullptr) {
    const CartonType& c = *type_;
    if (weight_ + u.weightG + c.tareG > c.maxWeightG) {
      if (reason)
        *reason = "weight " + std::to_string(weight_ + u.weightG + c.tareG) + " g over the limit of " +
                  std::to_string(c.maxWeightG) + " g";
      return false;
    }
    if (u.known) {
      if (!fitsThrough(u.dims, c.inner)) {
        if (reason) *reason = "an item of " + dimsText(u.dims) + " does not fit in " + dimsText(c.inner);
        return false;
      }
      if (static_cast<double>(volume_ + volume(u.dims)) > volumeLimit_) {
        if (reason) *reason = "items take more than the carton's usable volume";
        return false;
      }
      if (placeUnits_ && !placement_.place(u.dims)) {
        if (reason) *reason = "no arrangement of the items fits in " + dimsText(c.inner);
        return false;
      }
      volume_ += volume(u.dims);
    }
    weight_ += u.weightG;
    units_.push_back(u);
    return true;
  }

  const CartonType& type() const { return *type_; }
  const std::vector<Unit>& units() const { return units_; }
  std::int64_t weight() const { return weight_; }
  std::int64_t knownVolume() const { return volume_; }

 private:
  const CartonType* type_;
  Placement placement_;
  bool placeUnits_;
  double volumeLimit_;
  std::int64_t weight_ = 0;
  std::int64_t volume_ = 0;
  std::vector<Unit> units_;
};

Status checkItems(const std::vector<CartonItem>& items) {
  if (items.empty()) return invalid("no items to pack");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    std::string at = "items[" + std::to_string(i) + "] (" + it.sku + ")";
    if (it.qty < 1 || it.qty > domain::kMaxQuantity)
      return invalid(at + ": quantity must be 1.." + std::to_string(domain::kMaxQuantity) + ", got " +
                     std::to_string(it.qty));
    if (it.dims.lengthMm < 0 || it.dims.widthMm < 0 || it.dims.heightMm < 0 || it.dims.lengthMm > 100000 ||
        it.dims.widthMm > 100000 || it.dims.heightMm > 100000)
      return invalid(at + ": dimensions must be 0..100000 mm");
    if (it.weightG < 0 || it.weightG > 10'000'000) return invalid(at + ": weight must be 0..10000000 g");
  }
  return {};
}

// Every unit, largest first (volume, then longest side), ties kept in item
// order so the answer is deterministic.
std::vector<Unit> unitsOf(const std::vector<CartonItem>& items) {
  std::vector<Unit> units;
  std::size_t total = 0;
  for (const auto& it : items) total += static_cast<std::size_t>(it.qty);
  units.reserve(total);
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (std::int64_t k = 0; k < items[i].qty; ++k)
      units.push_back({i, items[i].dims, items[i].weightG, knownDims(items[i].dims)});
  }
  std::stable_sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) {
    std::int64_t va = a.known ? volume(a.dims) : 0, vb = b.known ? volume(b.dims) : 0;
    if (va != vb) return va > vb;
    return sortedSides(a.dims)[2] > sortedSides(b.dims)[2];
  });
  return units;
}

bool fitsAll(const CartonType& type, const std::vector<Unit>& units, const FitOptions& options,
             std::string* reason) {
  Bin bin(type, options, units.size() <= options.maxPlacedUnits);
  for (const auto& u : units) {
    if (!bin.tryAdd(u, reason)) return false;
  }
  return true;
}

SuggestedCarton describe(const CartonType& type, const std::vector<Unit>& units,
                         const std::vector<CartonItem>& items) {
  SuggestedCarton s;
  s.cartonType = type.code;
  std::map<std::size_t, std::int64_t> qty;
  std::int64_t weight = 0, vol = 0;
  for (const auto& u : units) {
    ++qty[u.item];
    weight += u.weightG;
    if (u.known) vol += volume(u.dims);
  }
  for (const auto& [index, n] : qty) {
    CartonItem item = items[index];
    item.qty = n;
    s.items.push_back(std::move(item));
  }
  s.grossWeightG = weight + type.tareG;
  s.fill =
      type.innerVolumeMm3() > 0 ? static_cast<double>(vol) / static_cast<double>(type.innerVolumeMm3()) : 0;
  return s;
}

// Real cartons, smallest inner volume first (then lighter limit first).
std::vector<const CartonType*> bySize(const CartonCatalog& catalog) {
  std::vector<const CartonType*> out;
  for (const auto& t : catalog.types) {
    if (t.kind != CartonKind::Own) out.push_back(&t);
  }
  std::stable_sort(out.begin(), out.end(), [](const CartonType* a, const CartonType* b) {
    if (a->innerVolumeMm3() != b->innerVolumeMm3()) return a->innerVolumeMm3() < b->innerVolumeMm3();
    return a->maxWeightG < b->maxWeightG;
  });
  return out;
}

const CartonType& ownPackaging(const CartonCatalog& catalog) {
  static const CartonType own{std::string(kOwnPackaging), "Own packaging", CartonKind::Own, {}, 0, 0};
  const CartonType* t = catalog.find(kOwnPackaging);
  return t ? *t : own;
}

}  // namespace

bool operator==(const CartonItem& a, const CartonItem& b) noexcept {
  return a.sku == b.sku && a.dims.lengthMm == b.dims.lengthMm && a.dims.widthMm == b.dims.widthMm &&
         a.dims.heightMm == b.dims.heightMm && a.weightG == b.weightG && a.qty == b.qty &&
         a.lineNo == b.lineNo;
}

const char* toString(CartonKind kind) noexcept {
  switch (kind) {
    case CartonKind::Box:
      return "box";
    case CartonKind::Mailer:
      return "mailer";
    case CartonKind::Own:
      return "own";
  }
  return "box";
}

const CartonType* CartonCatalog::find(std::string_view code) const {
  for (const auto& t : types) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

CartonCatalog defaultCartonCatalog() {
  using K = CartonKind;
  return CartonCatalog{{
      {"MAILER-S", "Mailer S 230x160x30", K::Mailer, {230, 160, 30}, 1000, 15},
      {"MAILER-M", "Mailer M 330x250x50", K::Mailer, {330, 250, 50}, 2000, 30},
      {"MAILER-L", "Mailer L 450x350x80", K::Mailer, {450, 350, 80}, 3000, 50},
      {"S", "Box S 250x190x100", K::Box, {250, 190, 100}, 5000, 120},
      {"M", "Box M 350x250x150", K::Box, {350, 250, 150}, 10000, 220},
      {"L", "Box L 450x350x250", K::Box, {450, 350, 250}, 20000, 400},
      {"XL", "Box XL 600x400x400", K::Box, {600, 400, 400}, 30000, 750},
      {std::string(kOwnPackaging), "Own packaging", K::Own, {}, 0, 0},
  }};
}

Result<CartonCatalog> validateCatalog(CartonCatalog catalog) {
  std::set<std::string> codes;
  bool hasOwn = false;
  for (const auto& t : catalog.types) {
    if (auto st = domain::checkCode(t.code, "carton code", 32); !st) return st.error();
    if (!codes.insert(t.code).second) return invalid("carton " + t.code + " is listed twice");
    if (auto st = domain::checkText(t.name, "carton " + t.code + " name", 100); !st) return st.error();
    if (t.code == kOwnPackaging) {
      if (t.kind != CartonKind::Own) return invalid("carton OWN is reserved for own packaging");
      hasOwn = true;
      continue;
    }
    if (t.kind == CartonKind::Own) return invalid("carton " + t.code + ": only OWN can be own packaging");
    if (!knownDims(t.inner) || t.inner.lengthMm > 10000 || t.inner.widthMm > 10000 ||
        t.inner.heightMm > 10000)
      return invalid("carton " + t.code + ": inner dimensions must be 1..10000 mm each");
    if (t.maxWeightG < 1 || t.maxWeightG > 1'000'000)
      return invalid("carton " + t.code + ": max weight must be 1..1000000 g");
    if (t.tareG < 0 || t.tareG >= t.maxWeightG)
      return invalid("carton " + t.code + ": its own weight must be at least 0 and below its max weight");
  }
  if (!hasOwn)
    catalog.types.push_back({std::string(kOwnPackaging), "Own packaging", CartonKind::Own, {}, 0, 0});
  if (catalog.types.size() < 2) return invalid("the carton catalogue has no cartons");
  return catalog;
}

Result<FitCheck> checkFit(const CartonType& carton, const std::vector<CartonItem>& items,
                          const FitOptions& options) {
  if (auto st = checkItems(items); !st) return st.error();
  if (carton.kind == CartonKind::Own) return FitCheck{true, {}};
  FitCheck out;
  out.fits = fitsAll(carton, unitsOf(items), options, &out.reason);
  if (out.fits) out.reason.clear();
  return out;
}

Result<CartonSuggestion> suggestCarton(const CartonCatalog& catalog, const std::vector<CartonItem>& items,
                                       const FitOptions& options) {
  if (auto st = checkItems(items); !st) return st.error();
  CartonSuggestion out;
  for (const auto& it : items) {
    if (!knownDims(it.dims))
      out.notes.push_back("dimensions of " + it.sku + " are unknown: the suggestion counts only its weight");
  }
  const std::vector<Unit> units = unitsOf(items);
  if (units.size() > options.maxPlacedUnits)
    out.notes.push_back(std::to_string(units.size()) +
                        " units: checked by size and volume only, not by arrangement");
  const auto sizes = bySize(catalog);

  for (const CartonType* t : sizes) {
    if (fitsAll(*t, units, options, nullptr)) {
      out.cartons.push_back(describe(*t, units, items));
      return out;
    }
  }

  // Nothing holds it all: units that fit no carton on their own ship in
  // their own packaging; the rest go first-fit into the largest cartons.
  out.split = true;
  std::vector<Unit> own, rest;
  for (const auto& u : units) {
    bool fitsSome = false;
    for (const CartonType* t : sizes) {
      if (fitsAll(*t, {u}, options, nullptr)) {
        fitsSome = true;
        break;
      }
    }
    (fitsSome ? rest : own).push_back(u);
  }
  if (!own.empty()) {
    std::set<std::size_t> named;
    for (const auto& u : own) {
      if (named.insert(u.item).second)
        out.notes.push_back(items[u.item].sku + " fits no carton: it ships in its own packaging");
    }
  }
  // The largest carton by volume; among equals the one that carries most.
  const CartonType* largest = nullptr;
  for (const CartonType* t : sizes) {
    if (!largest || t->innerVolumeMm3() > largest->innerVolumeMm3() ||
        (t->innerVolumeMm3() == largest->innerVolumeMm3() && t->maxWeightG > largest->maxWeightG))
      largest = t;
  }
  std::vector<Bin> bins;
  const bool place = rest.size() <= options.maxPlacedUnits;
  for (const auto& u : rest) {
    bool done = false;
    for (auto& b : bins) {
      if (b.tryAdd(u)) {
        done = true;
        break;
      }
    }
    if (done) continue;
    // A unit that fits some carton but not the largest (weight limits
    // differ between types): give it the first type that takes it alone.
    const CartonType* type = largest;
    if (!fitsAll(*type, {u}, options, nullptr)) {
      for (const CartonType* t : sizes) {
        if (fitsAll(*t, {u}, options, nullptr)) {
          type = t;
          break;
        }
      }
    }
    bins.emplace_back(*type, options, place);
    bins.back().tryAdd(u);
  }
  for (const auto& b : bins) {
    const CartonType* best = &b.type();
    for (const CartonType* t : sizes) {
      if (t->innerVolumeMm3() > best->innerVolumeMm3()) break;
      if (fitsAll(*t, b.units(), options, nullptr)) {
        best = t;
        break;
      }
    }
    out.cartons.push_back(describe(*best, b.units(), items));
  }
  for (const auto& u : own) out.cartons.push_back(describe(ownPackaging(catalog), {u}, items));
  return out;
}

}  // namespace wms::packing
