#include "wms/layouts/Router.h"

#include <algorithm>
#include <stdexcept>

#include "Instance.h"

namespace wms::layouts {

std::string_view toString(Method method) noexcept {
  switch (method) {
    case Method::SShape: return "sshape";
    case Method::Return: return "return";
    case Method::Midpoint: return "midpoint";
    case Method::LargestGap: return "largestgap";
    case Method::Combined: return "combined";
    case Method::Optimal: return "optimal";
    case Method::LocalSearch: return "localsearch";
    case Method::Best: return "best";
    case Method::Given: return "given";
  }
  return "given";
}

std::optional<Method> parseMethod(std::string_view name) noexcept {
  for (Method m : {Method::SShape, Method::Return, Method::Midpoint, Method::LargestGap, Method::Combined,
                   Method::Optimal, Method::LocalSearch, Method::Best, Method::Given}) {
    if (toString(m) == name) return m;
  }
  return std::nullopt;
}

struct Router::Scratch {
  Instance in;
  std::vector<std::uint8_t> visited;
  std::unique_ptr<DpScratch, DpScratchDeleter> dp{newDpScratch()};
  std::vector<std::uint32_t> order;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> byId;
  std::vector<LocationId> stops;
  std::vector<Millimetres> matrix;
  std::vector<std::uint8_t> probe;
};

Router::Router(Layout layout) : layout_(std::move(layout)), scratch_(std::make_unique<Scratch>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

Status Router::supports(Method method) const {
  const std::size_t rows = layout_.crossAisles().size();
  if (method == Method::Optimal && rows > kMaxExactCrossAisles) {
    return Error{ErrorKind::Invalid, "method 'optimal' does not apply to this layout: it has " + std::to_string(rows) +
                                         " cross aisles and exact routing handles at most " +
                                         std::to_string(kMaxExactCrossAisles) +
                                         " (use 'best' for the best-known route)"};
  }
  return {};
}

namespace {

Method resolve(Method method, std::size_t rows) {
  if (method != Method::Best) return method;
  return rows <= kBestExactCrossAisles ? Method::Optimal : Method::LocalSearch;
}

// 2-opt and or-opt moves on the open path start -> tour -> end until none
// improves. Strictly decreasing integer length, so it terminates. Nodes: 0 =
// start, 1..n = picks, n + 1 = end; distances precomputed once.
void improve(const Instance& in, std::vector<std::uint32_t>& tour, std::vector<Millimetres>& matrix) {
  const std::size_t n = tour.size();
  if (n < 2) return;
  const std::size_t N = n + 2;
  const auto& d = *in.d;
  const Place& sp = d.places[index(in.start)];
  const Place& ep = d.places[index(in.end)];
  matrix.assign(N * N, 0);
  for (std::size_t a = 1; a <= n; ++a) {
    const Location& la = d.locations[index(in.picks[a - 1].id)];
    matrix[a] = matrix[a * N] = d.placeToPick(sp, la);
    matrix[(n + 1) * N + a] = matrix[a * N + n + 1] = d.placeToPick(ep, la);
    for (std::size_t b = a + 1; b <= n; ++b) {
      matrix[a * N + b] = matrix[b * N + a] = d.pickToPick(la, d.locations[index(in.picks[b - 1].id)]);
    }
  }
  matrix[n + 1] = matrix[(n + 1) * N] = d.placeToPlace(sp, ep);
  auto dist = [&](std::uint32_t a, std::uint32_t b) { return matrix[a * N + b]; };
  std::vector<std::uint32_t> t;
  t.reserve(n + 2);
  t.push_back(0);
  for (auto p : tour) t.push_back(p + 1);
  t.push_back(static_cast<std::uint32_t>(n + 1));
  bool improved = true;
  while (improved) {
    improved = false;
    for (std::size_t i = 1; i < n; ++i) {
      for (std::size_t j = i + 1; j <= n; ++j) {
        const Millimetres delta =
            dist(t[i - 1], t[j]) + dist(t[i], t[j + 1]) - dist(t[i - 1], t[i]) - dist(t[j], t[j + 1]);
        if (delta < 0) {
          std::reverse(t.begin() + std::ptrdiff_t(i), t.begin() + std::ptrdiff_t(j) + 1);
          improved = true;
        }
      }
    }
    for (std::size_t len = 1; len <= 3 && len < n; ++len) {
      for (std::size_t i = 1; i + len <= n; ++i) {
        const std::size_t last = i + len - 1;
        const Millimetres gain = dist(t[i - 1], t[i]) + dist(t[last], t[last + 1]) - dist(t[i - 1], t[last + 1]);
        std::size_t bestK = 0;
        bool bestRev = false;
        Millimetres bestCost = gain;
        for (std::size_t k = 0; k + 1 < t.size(); ++k) {
          if (k + 1 >= i && k <= last) continue;  // edges touching the segment
          const Millimetres base = dist(t[k], t[k + 1]);
          const Millimetres fwd = dist(t[k], t[i]) + dist(t[last], t[k + 1]) - base;
          const Millimetres rev = dist(t[k], t[last]) + dist(t[i], t[k + 1]) - base;
          if (fwd < bestCost) {
            bestCost = fwd;
            bestK = k;
            bestRev = false;
          }
          if (rev < bestCost) {
            bestCost = rev;
            bestK = k;
            bestRev = true;
          }
        }
        if (bestCost < gain) {
          std::vector<std::uint32_t> seg(t.begin() + std::ptrdiff_t(i), t.begin() + std::ptrdiff_t(last) + 1);
          if (bestRev) std::reverse(seg.begin(), seg.end());
          t.erase(t.begin() + std::ptrdiff_t(i), t.begin() + std::ptrdiff_t(last) + 1);
          const std::size_t at = bestK < i ? bestK + 1 : bestK + 1 - len;
          t.insert(t.begin() + std::ptrdiff_t(at), seg.begin(), seg.end());
          improved = true;
        }
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) tour[i] = t[i + 1] - 1;
}

}  // namespace

// A quick route's length bounds the exact search; the combined policy is
// cheap and usually close.
Millimetres Router::upperBound(Scratch& s) { return policyLength(s.in, Method::Combined, s.probe); }

Status Router::routeInto(std::span<const LocationId> picks, const RouteOptions& options, Route& out) {
  Scratch& s = *scratch_;
  const Method method = resolve(options.method, layout_.crossAisles().size());
  if (auto st = supports(method); !st) return st;
  const PlaceId start = options.start.value_or(layout_.depot());
  const PlaceId end = options.end.value_or(layout_.depot());
  (void)layout_.place(start);
  (void)layout_.place(end);
  for (LocationId id : picks) (void)layout_.location(id);

  s.in.build(layout_.data(), picks, start, end);
  out.method = method;
  out.optimal = method == Method::Optimal;
  std::vector<Point>* path = options.withPath ? &out.path : nullptr;
  if (!path) out.path.clear();

  switch (method) {
    case Method::Optimal: {
      const Millimetres bound = s.in.picks.empty() ? 0 : upperBound(s);
      Walk walk(s.in, true, path, &out.stops, s.visited);
      if (s.in.picks.empty()) walk.moveToEnd();
      else optimalRoute(s.in, *s.dp, &walk, bound);
      out.distanceMm = walk.length();
      return {};
    }
    case Method::Given:
    case Method::LocalSearch: {
      s.order.clear();
      if (method == Method::Given) {
        // Pick indices in the order given, first occurrence of each location.
        s.byId.clear();
        for (std::uint32_t i = 0; i < s.in.picks.size(); ++i) s.byId.emplace_back(index(s.in.picks[i].id), i);
        std::sort(s.byId.begin(), s.byId.end());
        s.visited.assign(s.in.picks.size(), 0);
        for (LocationId id : picks) {
          auto it = std::lower_bound(s.byId.begin(), s.byId.end(), std::make_pair(index(id), 0u));
          if (!s.visited[it->second]) {
            s.visited[it->second] = 1;
            s.order.push_back(it->second);
          }
        }
      } else {
        // Start from the best policy's order.
        Millimetres bestLen = -1;
        for (Method m : {Method::SShape, Method::Return, Method::Midpoint, Method::LargestGap, Method::Combined}) {
          Walk probe(s.in, true, nullptr, &s.stops, s.visited);
          policyRoute(s.in, m, probe, s.probe);
          if (bestLen < 0 || probe.length() < bestLen) {
            bestLen = probe.length();
            s.byId.clear();
            for (std::uint32_t i = 0; i < s.in.picks.size(); ++i) s.byId.emplace_back(index(s.in.picks[i].id), i);
            std::sort(s.byId.begin(), s.byId.end());
            s.order.clear();
            for (LocationId id : s.stops) {
              s.order.push_back(std::lower_bound(s.byId.begin(), s.byId.end(), std::make_pair(index(id), 0u))->second);
            }
          }
        }
        improve(s.in, s.order, s.matrix);
      }
      Walk walk(s.in, false, path, &out.stops, s.visited);
      for (std::uint32_t i : s.order) {
        walk.moveToPick(i);
        walk.visit(i);
      }
      walk.moveToEnd();
      out.distanceMm = walk.length();
      return {};
    }
    default: {
      Walk walk(s.in, true, path, &out.stops, s.visited);
      policyRoute(s.in, method, walk, s.probe);
      out.distanceMm = walk.length();
      return {};
    }
  }
}

Result<Route> Router::route(std::span<const LocationId> picks, const RouteOptions& options) {
  Route r;
  if (auto st = routeInto(picks, options, r); !st) return st.error();
  return r;
}

Result<Millimetres> Router::length(std::span<const LocationId> picks, const RouteOptions& options) {
  const Method method = resolve(options.method, layout_.crossAisles().size());
  if (method == Method::Optimal) {
    if (auto st = supports(method); !st) return st.error();
    const PlaceId start = options.start.value_or(layout_.depot());
    const PlaceId end = options.end.value_or(layout_.depot());
    (void)layout_.place(start);
    (void)layout_.place(end);
    for (LocationId id : picks) (void)layout_.location(id);
    scratch_->in.build(layout_.data(), picks, start, end);
    if (scratch_->in.picks.empty()) return layout_.distance(start, end);
    return optimalRoute(scratch_->in, *scratch_->dp, nullptr, upperBound(*scratch_));
  }
  RouteOptions o = options;
  o.withPath = false;
  Route r;
  if (auto st = routeInto(picks, o, r); !st) return st.error();
  return r.distanceMm;
}

Millimetres Router::evaluate(std::span<const LocationId> stops, std::optional<PlaceId> start,
                             std::optional<PlaceId> end) const {
  const PlaceId s = start.value_or(layout_.depot()), e = end.value_or(layout_.depot());
  if (stops.empty()) return layout_.distance(s, e);
  Millimetres total = layout_.distance(s, stops.front()) + layout_.distance(e, stops.back());
  for (std::size_t i = 1; i < stops.size(); ++i) total += layout_.distance(stops[i - 1], stops[i]);
  return total;
}

}  // namespace wms::layouts
