// Router: the picker's walk through a Layout for a pick list.
//
// A route starts at a place (the depot by default), visits every location of
// the pick list and ends at a place (the depot by default). Methods:
//   sshape, return, midpoint, largestgap, combined  the classic routing policies
//       (docs/layouts.md defines each exactly, for layouts with any number of
//       cross aisles);
//   optimal      exact shortest route (a dynamic programme over the aisles, linear
//       in their number) for layouts with at most kMaxExactCrossAisles cross aisles;
//       fast up to kBestExactCrossAisles (one middle cross aisle), slower beyond;
//   localsearch  the best policy route improved by 2-opt and or-opt moves over the
//       exact shortest-path distances (a heuristic: never reported as optimal);
//   best         optimal up to kBestExactCrossAisles cross aisles, localsearch beyond;
//   given        the pick list's own order, shortest path between stops.
// Distances are exact integers (millimetres) on the layout's walking model.
//
// Threading: a Router keeps scratch buffers so that repeated calls do not
// allocate; use one Router per thread. The Layout it holds is shared and immutable.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/layouts/Layout.h"

namespace wms::layouts {

enum class Method { SShape, Return, Midpoint, LargestGap, Combined, Optimal, LocalSearch, Best, Given };

// The exact method handles layouts with up to this many cross aisles (front,
// back and middle ones); its cost grows quickly with the count.
inline constexpr std::size_t kMaxExactCrossAisles = 5;
// Method::Best routes exactly up to this many cross aisles (a front, a back and
// one middle cross aisle: well under a millisecond for 50 picks) and with
// local search beyond, where the exact method takes milliseconds per route.
inline constexpr std::size_t kBestExactCrossAisles = 3;

// The method's name as used by wms-route ("sshape", "largestgap", ...).
std::string_view toString(Method method) noexcept;
// The method with this name, if any.
std::optional<Method> parseMethod(std::string_view name) noexcept;

struct Route {
  Method method = Method::Given;  // what produced it (never Best)
  bool optimal = false;           // true iff distanceMm is proven minimal on the walking model
  Millimetres distanceMm = 0;     // length of the whole walk, start to end
  std::vector<LocationId> stops;  // each distinct location of the pick list once, in visiting order
  std::vector<Point> path;        // the walk as a polyline; each leg runs along one aisle or cross aisle
};

struct RouteOptions {
  Method method = Method::Best;
  std::optional<PlaceId> start;  // default: the depot
  std::optional<PlaceId> end;    // default: the depot
  bool withPath = true;          // false: leave Route::path empty (faster)
};

class Router {
 public:
  explicit Router(Layout layout);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  const Layout& layout() const noexcept { return layout_; }

  // Ok if the method applies to this layout; otherwise an Invalid error that says
  // why (e.g. optimal on a layout with too many cross aisles).
  Status supports(Method method) const;

  // Routes a pick list. Duplicate locations are visited once; an empty list is
  // the walk from start to end. Errors: the method does not apply (Invalid).
  // Ids not from this layout are a misuse and throw std::out_of_range.
  Result<Route> route(std::span<const LocationId> picks, const RouteOptions& options = {});
  // As route(), but fills `out` (reusing its capacity).
  Status routeInto(std::span<const LocationId> picks, const RouteOptions& options, Route& out);

  // Only the length of the route route() would return, without building it.
  Result<Millimetres> length(std::span<const LocationId> picks, const RouteOptions& options = {});

  // The length of walking the stops in this order from start to end, taking the
  // shortest path between consecutive stops (the `given` method's distance).
  Millimetres evaluate(std::span<const LocationId> stops, std::optional<PlaceId> start = {},
                       std::optional<PlaceId> end = {}) const;

 private:
  struct Scratch;
  static Millimetres upperBound(Scratch& scratch);
  Layout layout_;
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace wms::layouts
