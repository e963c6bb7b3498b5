// Tests src/Router.cpp, src/OptimalRoute.cpp, src/Heuristics.cpp and
// src/Instance.cpp: every method against exhaustive search on thousands of
// random pick lists in random layouts.
#include <boost/test/unit_test.hpp>

#include <random>

#include "LayoutTestSupport.h"
#include "wms/layouts/Router.h"

using namespace wms::layouts;
using namespace wms::layouts::test;

namespace {

const Method kPolicies[] = {Method::SShape, Method::Return, Method::Midpoint, Method::LargestGap, Method::Combined};

Layout build(const LayoutSpec& spec) {
  auto layout = Layout::build(spec);
  if (!layout) throw std::runtime_error(layout.error().message);
  return *layout;
}

RouteOptions options(Method m, PlaceId start, PlaceId end) {
  RouteOptions o;
  o.method = m;
  o.start = start;
  o.end = end;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(optimal_route_equals_exhaustive_search_on_small_instances) {
  std::mt19937 rng(20240601);
  int compared = 0;
  for (int rows = 2; rows <= int(kMaxExactCrossAisles); ++rows) {
    for (int l = 0; l < 40; ++l) {
      Layout layout = build(randomSpec(rng, rows));
      if (layout.locations().empty()) continue;
      Router router(layout);
      for (int k = 0; k < 25; ++k) {
        const int n = std::uniform_int_distribution<int>(1, 11)(rng);
        auto picks = randomPicks(rng, layout, n);
        // Depot to depot, and from the depot to a packing station.
        const PlaceId end = k % 3 == 0 ? PlaceId{1} : layout.depot();
        auto route = router.route(picks, options(Method::Optimal, layout.depot(), end));
        BOOST_REQUIRE(route.ok());
        const Millimetres exact = heldKarp(layout, picks, layout.depot(), end);
        BOOST_TEST_REQUIRE(route->distanceMm == exact, "rows " << rows << " layout " << l << " list " << k);
        BOOST_TEST(route->optimal);
        BOOST_TEST(router.evaluate(route->stops, layout.depot(), end) == route->distanceMm);
        BOOST_TEST(pathProblem(layout, *route, layout.depot(), end) == "");
        BOOST_TEST(stopsProblem(picks, route->stops) == "");
        auto len = router.length(picks, options(Method::Optimal, layout.depot(), end));
        BOOST_TEST(*len == exact);
        ++compared;
      }
    }
  }
  BOOST_TEST(compared > 3000);
}

BOOST_AUTO_TEST_CASE(every_heuristic_visits_every_pick_along_aisles_and_is_never_shorter_than_the_optimum) {
  std::mt19937 rng(7);
  int checked = 0;
  for (int rows = 2; rows <= 6; ++rows) {
    for (int l = 0; l < 30; ++l) {
      Layout layout = build(randomSpec(rng, rows));
      if (layout.locations().empty()) continue;
      Router router(layout);
      for (int k = 0; k < 20; ++k) {
        const int n = std::uniform_int_distribution<int>(0, 8)(rng);
        auto picks = randomPicks(rng, layout, n);
        const PlaceId start = k % 4 == 1 ? PlaceId{2} : layout.depot();
        const PlaceId end = k % 4 == 2 ? PlaceId{1} : layout.depot();
        const Millimetres exact = heldKarp(layout, picks, start, end);
        Millimetres bestPolicy = -1;
        for (Method m : kPolicies) {
          auto route = router.route(picks, options(m, start, end));
          BOOST_REQUIRE(route.ok());
          BOOST_TEST(route->method == m);
          BOOST_TEST(!route->optimal);
          BOOST_TEST(stopsProblem(picks, route->stops) == "", toString(m));
          BOOST_TEST(pathProblem(layout, *route, start, end) == "", toString(m));
          BOOST_TEST(route->distanceMm >= exact, toString(m));
          // A policy may walk further than the shortest paths between its stops, never less.
          BOOST_TEST(route->distanceMm >= router.evaluate(route->stops, start, end), toString(m));
          bestPolicy = bestPolicy < 0 ? route->distanceMm : std::min(bestPolicy, route->distanceMm);
          ++checked;
        }
        for (Method m : {Method::LocalSearch, Method::Given}) {
          auto route = router.route(picks, options(m, start, end));
          BOOST_REQUIRE(route.ok());
          BOOST_TEST(stopsProblem(picks, route->stops) == "");
          BOOST_TEST(pathProblem(layout, *route, start, end) == "");
          BOOST_TEST(route->distanceMm >= exact);
          BOOST_TEST(route->distanceMm == router.evaluate(route->stops, start, end));
          if (m == Method::LocalSearch) BOOST_TEST(route->distanceMm <= bestPolicy);
        }
      }
    }
  }
  BOOST_TEST(checked > 10000);
}

BOOST_AUTO_TEST_CASE(optimal_is_never_longer_than_any_heuristic_on_the_samples_with_fifty_picks) {
  std::mt19937 rng(50);
  for (const char* name : {"store-backroom.json", "dc-single-block.json", "dc-multi-block.json"}) {
    Layout layout = loadSample(name);
    Router router(layout);
    for (int k = 0; k < 60; ++k) {
      auto picks = randomPicks(rng, layout, k % 2 ? 50 : 12);
      auto best = router.route(picks, options(Method::Optimal, layout.depot(), layout.depot()));
      BOOST_REQUIRE(best.ok());
      BOOST_TEST(router.evaluate(best->stops) == best->distanceMm);
      BOOST_TEST(pathProblem(layout, *best, layout.depot(), layout.depot()) == "");
      for (Method m : {Method::SShape, Method::Return, Method::Midpoint, Method::LargestGap, Method::Combined,
                       Method::LocalSearch, Method::Given}) {
        auto route = router.route(picks, options(m, layout.depot(), layout.depot()));
        BOOST_REQUIRE(route.ok());
        BOOST_TEST(route->distanceMm >= best->distanceMm, name << " " << toString(m));
        BOOST_TEST(stopsProblem(picks, route->stops) == "");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(best_routes_exactly_up_to_one_middle_cross_aisle_and_with_local_search_beyond) {
  std::mt19937 rng(3);
  for (int rows = 2; rows <= int(kMaxExactCrossAisles) + 1; ++rows) {
    Layout layout = build(randomSpec(rng, rows));
    Router router(layout);
    auto picks = randomPicks(rng, layout, 6);
    auto route = router.route(picks);
    BOOST_REQUIRE(route.ok());
    if (rows <= int(kBestExactCrossAisles)) {
      BOOST_TEST(route->method == Method::Optimal);
      BOOST_TEST(route->optimal);
    } else {
      BOOST_TEST(route->method == Method::LocalSearch);
      BOOST_TEST(!route->optimal);
      BOOST_TEST(route->distanceMm >= heldKarp(layout, picks, layout.depot(), layout.depot()));
    }
    BOOST_TEST(*router.length(picks) == route->distanceMm);
  }
}

BOOST_AUTO_TEST_CASE(optimal_on_a_layout_with_too_many_cross_aisles_is_a_clear_error) {
  std::mt19937 rng(4);
  Layout many = build(randomSpec(rng, int(kMaxExactCrossAisles) + 1));
  Router router(many);
  auto r = router.route(randomPicks(rng, many, 3), options(Method::Optimal, many.depot(), many.depot()));
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().message.find("'optimal' does not apply") != std::string::npos);
  BOOST_TEST(!router.supports(Method::Optimal).ok());
  BOOST_TEST(router.supports(Method::LargestGap).ok());
}

BOOST_AUTO_TEST_CASE(an_empty_pick_list_is_the_walk_from_start_to_end) {
  Layout layout = build(smallSpec());
  Router router(layout);
  for (Method m : {Method::SShape, Method::Return, Method::Midpoint, Method::LargestGap, Method::Combined,
                   Method::Optimal, Method::LocalSearch, Method::Best, Method::Given}) {
    auto route = router.route({}, options(m, layout.depot(), layout.depot()));
    BOOST_REQUIRE(route.ok());
    BOOST_TEST(route->distanceMm == 0);
    BOOST_TEST(route->stops.empty());
    auto toStation = router.route({}, options(m, layout.depot(), PlaceId{1}));
    BOOST_TEST(toStation->distanceMm == 5500);  // 5.5 m to 11.0 m along the front cross aisle
  }
}

BOOST_AUTO_TEST_CASE(duplicate_picks_are_visited_once) {
  Layout layout = build(smallSpec());
  Router router(layout);
  auto a = *layout.find("A-01-03-1");
  auto b = *layout.find("A-02-12-2");
  std::vector<LocationId> picks{a, b, a, b, a};
  for (Method m : {Method::Optimal, Method::SShape, Method::Given}) {
    auto route = router.route(picks, options(m, layout.depot(), layout.depot()));
    BOOST_TEST(route->stops.size() == 2u);
  }
}

BOOST_AUTO_TEST_CASE(routes_in_a_hand_measured_layout_have_the_expected_lengths) {
  // smallSpec: aisles at x 3 and 8, cross aisles at y 2 and 18, depot at x 5.5 on
  // the front; bays of 2 m from y 3, so bay position k is at y 2 + 2k.
  Layout layout = build(smallSpec());
  Router router(layout);
  auto p1 = *layout.find("A-01-11-1");  // aisle 1, position 6: y 14
  auto p2 = *layout.find("A-02-02-1");  // aisle 2, position 1: y 4
  std::vector<LocationId> picks{p1, p2};
  // Optimal: up aisle 1 (2.5 + 12), back down (12), over to aisle 2 (5), up 2 and
  // back (4), back to the depot (2.5): 38 m. S-shape traverses both aisles: 2.5 +
  // 16 + 5 + 16 + 2.5 = 42 m. Return: 2.5 + 24 + 5 + 4 + 2.5 = 38 m.
  BOOST_TEST(router.route(picks, options(Method::Optimal, layout.depot(), layout.depot()))->distanceMm == 38000);
  BOOST_TEST(router.route(picks, options(Method::SShape, layout.depot(), layout.depot()))->distanceMm == 42000);
  BOOST_TEST(router.route(picks, options(Method::Return, layout.depot(), layout.depot()))->distanceMm == 38000);
  auto given = router.route(std::vector<LocationId>{p2, p1}, options(Method::Given, layout.depot(), layout.depot()));
  BOOST_TEST(given->distanceMm == 38000);
  BOOST_TEST(given->stops.front() == p2);
}

BOOST_AUTO_TEST_CASE(a_router_reuses_its_buffers_and_gives_the_same_answer_twice) {
  Layout layout = loadSample("dc-multi-block.json");
  Router router(layout);
  std::mt19937 rng(11);
  auto picks = randomPicks(rng, layout, 30);
  Route out;
  BOOST_REQUIRE(router.routeInto(picks, {}, out).ok());
  const Route first = out;
  BOOST_REQUIRE(router.routeInto(randomPicks(rng, layout, 40), {}, out).ok());
  BOOST_REQUIRE(router.routeInto(picks, {}, out).ok());
  BOOST_TEST(out.distanceMm == first.distanceMm);
  BOOST_TEST(out.stops == first.stops);
  BOOST_TEST(out.path == first.path);
  RouteOptions noPath;
  noPath.withPath = false;
  BOOST_REQUIRE(router.routeInto(picks, noPath, out).ok());
  BOOST_TEST(out.path.empty());
  BOOST_TEST(out.distanceMm == first.distanceMm);
}

BOOST_AUTO_TEST_CASE(ids_not_from_the_layout_are_a_misuse_that_throws) {
  Layout layout = build(smallSpec());
  Router router(layout);
  std::vector<LocationId> bad{LocationId{999999}};
  BOOST_CHECK_THROW((void)router.route(bad), std::out_of_range);
  BOOST_CHECK_THROW((void)router.route({}, options(Method::Best, PlaceId{7}, layout.depot())), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(method_names_round_trip) {
  for (Method m : {Method::SShape, Method::Return, Method::Midpoint, Method::LargestGap, Method::Combined,
                   Method::Optimal, Method::LocalSearch, Method::Best, Method::Given}) {
    BOOST_TEST((parseMethod(toString(m)) == m));
  }
  BOOST_TEST(!parseMethod("fastest").has_value());
}
