// Tests for server/waves/src/Planner.cpp: planWave end to end on small and random waves.
#include <boost/test/unit_test.hpp>

#include "WavesTestSupport.h"
#include "wms/waves/Planner.h"

using namespace wms;
using namespace wms::waves;
using namespace wms::waves::test;

namespace {

struct Fixture {
  layouts::Layout layout = tinyLayout();
  layouts::Router router{layout};
  std::vector<SkuInfo> skus{{"CUP", 200, 300, false}, {"TEA", 100, 100, false}};
  std::vector<StockSlot> slots{{"CUP", "A-01-03-1", "", "", 5}, {"TEA", "B-02-11-1", "", "", 5}};
  StockIndex stock = index(layout, skus, slots);
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(planner, Fixture)

BOOST_AUTO_TEST_CASE(planning_a_wave_without_orders_is_an_error) {
  auto p = planWave({}, stock, {}, router);
  BOOST_TEST_REQUIRE(!p.ok());
  BOOST_TEST((p.error().kind == ErrorKind::Invalid));
  BOOST_TEST(p.error().message == "nothing to plan: the wave has no orders");
}

BOOST_AUTO_TEST_CASE(a_wave_whose_orders_all_lost_their_stock_is_an_insufficient_stock_error) {
  std::vector<PlanOrder> orders{order(1, {{1, "CUP", 6}}), order(2, {{1, "TEA", 9}}),
                                order(3, {{1, "CUP", 1}, {2, "TEA", 7}}), order(4, {{1, "TEA", 6}}),
                                order(5, {{1, "COFFEE", 1}})};
  auto p = planWave(orders, stock, {}, router);
  BOOST_TEST_REQUIRE(!p.ok());
  BOOST_TEST((p.error().kind == ErrorKind::InsufficientStock));
  BOOST_TEST(p.error().message ==
             "none of the 5 orders can be planned: order 1 line 1: sku 'CUP' short: 6 ordered, 5 available; "
             "order 2 line 1: sku 'TEA' short: 9 ordered, 5 available; order 3 line 2: sku 'TEA' short: 7 "
             "ordered, 5 "
             "available; and 2 more");
}

BOOST_AUTO_TEST_CASE(orders_that_cannot_be_planned_are_left_out_with_their_reason) {
  std::vector<PlanOrder> orders{order(1, {{1, "CUP", 6}}), order(2, {{1, "CUP", 5}, {2, "TEA", 1}})};
  auto p = planWave(orders, stock, {}, router);
  BOOST_TEST_REQUIRE(p.ok());
  BOOST_TEST(p->allocation.rejected.size() == 1u);
  BOOST_TEST(p->batches.size() == 1u);
  BOOST_TEST(p->pickLists.size() == 1u);
  BOOST_TEST(p->pickLists[0].stops.size() == 2u);
  BOOST_TEST(checkWavePlan(orders, stock, *p, PlanOptions{}.batching.cart, router).empty());
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_as_a_whole) {
  std::vector<PlanOrder> twice{order(1, {{1, "CUP", 1}}), order(1, {{1, "TEA", 1}})};
  BOOST_TEST(planWave(twice, stock, {}, router).error().message == "order 1 is listed twice");
  PlanOptions options;
  options.batching.cart.totes = 0;
  std::vector<PlanOrder> one{order(1, {{1, "CUP", 1}})};
  BOOST_TEST(!planWave(one, stock, options, router).ok());
}

BOOST_AUTO_TEST_CASE(trips_start_and_end_where_the_options_say) {
  PlanOptions options;
  options.sequence.end = layout.findPlace("PACK");
  std::vector<PlanOrder> orders{order(1, {{1, "CUP", 1}, {2, "TEA", 1}})};
  auto p = planWave(orders, stock, options, router);
  BOOST_TEST_REQUIRE(p.ok());
  BOOST_TEST((p->pickLists[0].end == *layout.findPlace("PACK")));
  BOOST_TEST((p->pickLists[0].start == layout.depot()));
  BOOST_TEST(checkWavePlan(orders, stock, *p, options.batching.cart, router).empty());
}

// Whole plans on random waves of every sample layout and method: the
// checkers find nothing, and an independent tally over the pick lists' puts
// gives every allocated unit exactly once.
BOOST_AUTO_TEST_CASE(planned_waves_keep_every_invariant_on_random_instances) {
  std::mt19937 rng(511);
  int plans = 0;
  for (const std::string name : {"store-backroom", "dc-single-block", "dc-multi-block", "back-depot"}) {
    const auto sample = name == "back-depot" ? backDepotLayout() : loadSample(name);
    layouts::Router r(sample);
    for (int round = 0; round < 120; ++round) {
      Instance in = randomInstance(rng, sample, std::uniform_int_distribution<int>(1, 60)(rng),
                                   std::uniform_int_distribution<int>(3, 80)(rng));
      StockIndex st = index(sample, in.skus, in.stock);
      for (auto method : {BatchingMethod::Fcfs, BatchingMethod::Seed, BatchingMethod::Savings}) {
        PlanOptions options;
        options.batching.method = method;
        options.batching.cart = in.cart;
        options.allocation.onShortfall =
            round % 2 ? ShortfallPolicy::PickAvailable : ShortfallPolicy::HoldOrder;
        if (round % 3 == 0 && sample.places().size() > 1) options.sequence.end = PlaceId{1};
        auto p = planWave(in.orders, st, options, r);
        if (!p) {
          BOOST_TEST((p.error().kind == ErrorKind::InsufficientStock), p.error().message);
          continue;
        }
        const auto problems = checkWavePlan(in.orders, st, *p, in.cart, r);
        BOOST_TEST(problems.empty(),
                   name << " round " << round << ": " << (problems.empty() ? "" : problems.front()));
        std::map<std::pair<OrderId, int>, std::int64_t> put;
        for (const auto& l : p->pickLists) {
          for (const auto& s : l.stops) {
            for (const auto& x : s.puts) put[{x.order, x.lineNo}] += x.qty;
          }
        }
        std::size_t lines = 0;
        for (const auto& ao : p->allocation.orders) {
          for (const auto& al : ao.lines) {
            BOOST_TEST(put[std::make_pair(ao.id, al.lineNo)] == al.allocated);
            ++lines;
          }
        }
        BOOST_TEST(put.size() == lines);
        ++plans;
      }
    }
  }
  BOOST_TEST(plans > 1200);
}

BOOST_AUTO_TEST_SUITE_END()
