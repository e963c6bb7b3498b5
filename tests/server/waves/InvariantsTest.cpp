// Tests for server/waves/src/Invariants.cpp: the checkers accept a correct
// plan and find each kind of planted defect, so that the property tests that
// rely on them can fail.
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
  std::vector<StockSlot> slots{
      {"CUP", "A-01-03-1", "", "", 5}, {"CUP", "A-01-09-1", "", "", 5}, {"TEA", "B-02-11-1", "", "", 9}};
  StockIndex stock = index(layout, skus, slots);
  CartSpec cart{3, 4, 0, 0};
  std::vector<PlanOrder> orders{order(1, {{1, "CUP", 2}, {2, "TEA", 1}}), order(2, {{1, "CUP", 6}}),
                                order(3, {{1, "TEA", 2}}), order(4, {{1, "TEA", 1}})};
  WavePlan plan;
  Fixture() {
    PlanOptions options;
    options.batching.cart = cart;
    options.batching.method = BatchingMethod::Fcfs;
    auto p = planWave(orders, stock, options, router);
    if (!p) throw std::runtime_error(p.error().message);
    plan = *p;
  }
  std::vector<std::string> problems(const WavePlan& p) const {
    return checkWavePlan(orders, stock, p, cart, router);
  }
  bool finds(const WavePlan& p, const std::string& text) const {
    for (const auto& v : problems(p)) {
      if (v.find(text) != std::string::npos) return true;
    }
    BOOST_TEST_MESSAGE("no violation mentions '" << text << "'; found " << problems(p).size());
    return false;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(invariants, Fixture)

BOOST_AUTO_TEST_CASE(a_correct_plan_has_no_violations) {
  // Order 2's 6 cups need two totes of 4 units: carts of 3 totes hold orders 1-2, then 3-4.
  BOOST_TEST_REQUIRE(plan.batches.size() == 2u);
  BOOST_TEST(plan.batches[0].totes.size() == 3u);
  BOOST_TEST(problems(plan).empty());
}

BOOST_AUTO_TEST_CASE(an_over_drawn_slot_and_a_wrong_remaining_figure_are_found) {
  WavePlan p = plan;
  p.allocation.orders[1].lines[0].picks[0].qty += 10;
  p.allocation.orders[1].lines[0].allocated += 10;
  p.allocation.orders[1].units += 10;
  p.allocation.orders[1].volumeCm3 += 3000;
  p.allocation.orders[1].weightG += 2000;
  BOOST_TEST(finds(p, "over-drawn"));
  BOOST_TEST(finds(p, "allocated 16 of 6"));
  WavePlan q = plan;
  q.allocation.remaining[0] += 1;
  BOOST_TEST(finds(q, "slot A-01-03-1: remaining"));
}

BOOST_AUTO_TEST_CASE(orders_lost_or_counted_twice_by_allocation_are_found) {
  WavePlan p = plan;
  p.allocation.rejected.push_back({1, RejectReason::Short, "test"});
  BOOST_TEST(finds(p, "order 1 is both allocated and rejected"));
  std::vector<PlanOrder> more = orders;
  more.push_back(order(9, {{1, "CUP", 1}}));
  BOOST_TEST(!checkAllocation(more, stock, plan.allocation).empty());
}

BOOST_AUTO_TEST_CASE(a_unit_in_two_totes_or_an_order_on_two_carts_is_found) {
  WavePlan p = plan;
  p.batches[1].totes[0].lines[0].qty += 1;
  p.batches[1].totes[0].units += 1;
  p.batches[1].totes[0].volumeCm3 += 100;
  p.batches[1].totes[0].weightG += 100;
  p.batches[1].units += 1;
  BOOST_TEST(finds(p, "units in totes"));
  WavePlan q = plan;
  q.batches[1].orders.push_back(q.batches[0].orders[0]);
  BOOST_TEST(finds(q, "is in batches 1 and 2"));
  WavePlan r = plan;
  r.batches.pop_back();
  r.pickLists.pop_back();
  BOOST_TEST(finds(r, "is in no batch"));
}

BOOST_AUTO_TEST_CASE(over_capacity_totes_and_carts_are_found) {
  WavePlan p = plan;
  auto& tote = p.batches[0].totes[1];  // order 2's first tote: 4 cups
  tote.lines[0].qty += 1;
  tote.units += 1;
  tote.volumeCm3 += 300;
  tote.weightG += 200;
  p.batches[0].totes[2].lines[0].qty -= 1;
  p.batches[0].totes[2].units -= 1;
  p.batches[0].totes[2].volumeCm3 -= 300;
  p.batches[0].totes[2].weightG -= 200;
  BOOST_TEST(finds(p, "is over capacity: 5 units"));
  CartSpec smaller = cart;
  smaller.totes = 2;
  BOOST_TEST(!checkBatches(plan.allocation, stock, plan.batches, smaller).empty());
  WavePlan q = plan;
  std::swap(q.batches[0].totes[0], q.batches[0].totes[1]);
  std::swap(q.batches[0].totes[0].number, q.batches[0].totes[1].number);
  BOOST_TEST(finds(q, "are not consecutive"));
}

BOOST_AUTO_TEST_CASE(pick_list_defects_are_found) {
  WavePlan p = plan;
  p.pickLists[0].stops[0].qty += 1;
  BOOST_TEST(finds(p, "puts sum to"));
  WavePlan q = plan;
  q.pickLists[0].stops[0].puts[0].qty += 1;
  q.pickLists[0].stops[0].qty += 1;
  BOOST_TEST(finds(q, "allocated"));
  WavePlan r = plan;
  r.pickLists[0].distanceMm += 1;
  BOOST_TEST(finds(r, "but its stops in order walk"));
  WavePlan s = plan;
  BOOST_TEST_REQUIRE(s.pickLists[0].stops.size() >= 2u);
  s.pickLists[0].stops[1].seq = s.pickLists[0].stops[0].seq;
  BOOST_TEST(finds(s, "does not increase"));
  WavePlan t = plan;
  t.pickLists[0].stops.push_back(t.pickLists[0].stops[0]);
  t.pickLists[0].stops.back().id = 99;
  t.pickLists[0].stops.back().seq = 999;
  BOOST_TEST(finds(t, "a second stop for"));
  WavePlan u = plan;
  for (auto& put : u.pickLists[0].stops[0].puts) put.tote = 3;  // tote 3 holds order 2
  BOOST_TEST(finds(u, "of another order"));
  WavePlan v = plan;
  v.pickLists.pop_back();
  BOOST_TEST(finds(v, "1 pick lists for 2 batches"));
}

BOOST_AUTO_TEST_SUITE_END()
