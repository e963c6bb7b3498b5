// Tests for server/waves/src/Allocation.cpp: FEFO, fewest stops, running availability, shortfalls.
#include <boost/test/unit_test.hpp>

#include "WavesTestSupport.h"
#include "wms/waves/Allocation.h"

using namespace wms;
using namespace wms::waves;
using namespace wms::waves::test;

namespace {

struct Fixture {
  layouts::Layout layout = tinyLayout();
  std::vector<SkuInfo> skus{{"MILK", 1000, 1000, true}, {"CUP", 200, 300, false}};
  std::vector<StockSlot> slots{
      {"MILK", "A-01-05-1", "L-MAR", "2025-03-31", 4},
      {"MILK", "B-02-01-1", "L-JAN", "2025-01-31", 3},
      {"MILK", "A-01-01-1", "L-NONE", "", 10},
      {"CUP", "A-01-03-1", "", "", 2},
      {"CUP", "B-02-03-1", "", "", 7},
      {"CUP", "B-02-05-1", "", "", 5},
      {"CUP", "A-01-07-1", "", "", 5},
  };
  StockIndex stock = index(layout, skus, slots);
  std::uint32_t at(const std::string& location, const std::string& sku) const {
    return slotAt(stock, location, sku);
  }
  Allocation run(const std::vector<PlanOrder>& orders, const AllocationOptions& options = {}) {
    auto a = allocate(orders, stock, options);
    if (!a) throw std::runtime_error(a.error().message);
    return *a;
  }
};

std::vector<std::pair<std::uint32_t, std::int64_t>> picksOf(const AllocatedLine& l) {
  std::vector<std::pair<std::uint32_t, std::int64_t>> out;
  for (const auto& p : l.picks) out.push_back({p.slot, p.qty});
  return out;
}

using Picks = std::vector<std::pair<std::uint32_t, std::int64_t>>;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(allocation, Fixture)

BOOST_AUTO_TEST_CASE(expiry_tracked_skus_take_the_earliest_expiry_first_and_undated_stock_last) {
  auto a = run({order(1, {{1, "MILK", 9}})});
  BOOST_TEST_REQUIRE(a.orders.size() == 1u);
  BOOST_TEST(
      picksOf(a.orders[0].lines[0]) ==
      (Picks{{at("B-02-01-1", "MILK"), 3}, {at("A-01-05-1", "MILK"), 4}, {at("A-01-01-1", "MILK"), 2}}));
}

BOOST_AUTO_TEST_CASE(stock_expiring_before_the_minimum_date_is_not_used) {
  AllocationOptions options;
  options.notExpiringBefore = "2025-02-01";
  auto a = run({order(1, {{1, "MILK", 5}})}, options);
  BOOST_TEST(picksOf(a.orders[0].lines[0]) ==
             (Picks{{at("A-01-05-1", "MILK"), 4}, {at("A-01-01-1", "MILK"), 1}}));
  options.notExpiringBefore = "2025-13-01";
  BOOST_TEST(!allocate(std::vector<PlanOrder>{order(1, {{1, "MILK", 1}})}, stock, options).ok());
}

BOOST_AUTO_TEST_CASE(fewest_stops_takes_the_smallest_slot_that_covers_the_line) {
  // 5 units: A-01-07 and B-02-05 hold exactly 5 (B-02-03 holds 7); of the
  // two, the one nearer the depot (aisle 1) wins.
  auto a = run({order(1, {{1, "CUP", 5}})});
  BOOST_TEST(picksOf(a.orders[0].lines[0]) == (Picks{{at("A-01-07-1", "CUP"), 5}}));
  auto b = run({order(1, {{1, "CUP", 6}})});
  BOOST_TEST(picksOf(b.orders[0].lines[0]) == (Picks{{at("B-02-03-1", "CUP"), 6}}));
}

BOOST_AUTO_TEST_CASE(fewest_stops_takes_the_largest_slot_first_when_none_covers) {
  // 15 of 19 units: no slot covers 15, so the largest (7); 8 left: none
  // covers it, so a 5 (the nearer); 3 left: the other 5 is the smallest that covers.
  auto a = run({order(1, {{1, "CUP", 15}})});
  BOOST_TEST(picksOf(a.orders[0].lines[0]) ==
             (Picks{{at("B-02-03-1", "CUP"), 7}, {at("A-01-07-1", "CUP"), 5}, {at("B-02-05-1", "CUP"), 3}}));
  BOOST_TEST(a.shortfalls.empty());
}

BOOST_AUTO_TEST_CASE(availability_runs_across_the_orders_of_the_wave_in_sequence) {
  auto a = run({order(1, {{1, "CUP", 6}}), order(2, {{1, "CUP", 6}}), order(3, {{1, "CUP", 6}})});
  BOOST_TEST_REQUIRE(a.orders.size() == 3u);
  BOOST_TEST(picksOf(a.orders[0].lines[0]) == (Picks{{at("B-02-03-1", "CUP"), 6}}));
  BOOST_TEST(picksOf(a.orders[1].lines[0]) ==
             (Picks{{at("A-01-07-1", "CUP"), 5}, {at("B-02-03-1", "CUP"), 1}}));
  BOOST_TEST(picksOf(a.orders[2].lines[0]) ==
             (Picks{{at("B-02-05-1", "CUP"), 5}, {at("A-01-03-1", "CUP"), 1}}));
  BOOST_TEST(a.remaining[at("A-01-03-1", "CUP")] == 1);
  BOOST_TEST(a.remaining[at("B-02-03-1", "CUP")] == 0);
  // The same SKU on two lines of one order shares the pool too.
  auto b = run({order(1, {{1, "CUP", 10}, {2, "CUP", 9}})});
  BOOST_TEST(b.orders[0].lines[0].allocated + b.orders[0].lines[1].allocated == 19);
}

BOOST_AUTO_TEST_CASE(a_short_line_holds_its_whole_order_and_gives_the_units_back) {
  auto a = run({order(1, {{1, "CUP", 3}, {2, "MILK", 30}}), order(2, {{1, "CUP", 19}})});
  BOOST_TEST_REQUIRE(a.rejected.size() == 1u);
  BOOST_TEST(a.rejected[0].order == 1);
  BOOST_TEST(a.rejected[0].reason == RejectReason::Short);
  BOOST_TEST(a.rejected[0].message == "order 1 line 2: sku 'MILK' short: 30 ordered, 17 available");
  BOOST_TEST_REQUIRE(a.shortfalls.size() == 1u);
  BOOST_TEST(a.shortfalls[0].lineNo == 2);
  BOOST_TEST(a.shortfalls[0].available == 17);
  // Order 1's cups went back to the pool, so order 2 gets all 19.
  BOOST_TEST_REQUIRE(a.orders.size() == 1u);
  BOOST_TEST(a.orders[0].id == 2);
  BOOST_TEST(a.orders[0].units == 19);
  BOOST_TEST(a.remaining[at("B-02-01-1", "MILK")] == 3);
}

BOOST_AUTO_TEST_CASE(pick_available_keeps_what_could_be_allocated_and_reports_the_rest) {
  AllocationOptions options;
  options.onShortfall = ShortfallPolicy::PickAvailable;
  auto a = run({order(1, {{1, "CUP", 3}, {2, "MILK", 30}}), order(2, {{1, "CUP", 17}})}, options);
  BOOST_TEST_REQUIRE(a.orders.size() == 2u);
  BOOST_TEST(a.orders[0].lines[1].allocated == 17);
  BOOST_TEST(a.orders[0].lines[1].ordered == 30);
  BOOST_TEST(a.orders[1].units == 16);  // 19 cups, 3 went to order 1
  BOOST_TEST(a.shortfalls.size() == 2u);
  BOOST_TEST(a.rejected.empty());
  // An order of which nothing at all can be allocated is still rejected.
  auto b = run({order(1, {{1, "CUP", 19}}), order(2, {{1, "CUP", 1}})}, options);
  BOOST_TEST_REQUIRE(b.rejected.size() == 1u);
  BOOST_TEST(b.rejected[0].message ==
             "order 2 line 1: sku 'CUP' short: 1 ordered, 0 available (nothing could be allocated)");
}

BOOST_AUTO_TEST_CASE(an_order_with_a_sku_without_data_is_rejected_and_nothing_else_changes) {
  auto a = run({order(1, {{1, "CUP", 1}, {2, "TEA", 1}}), order(2, {{1, "CUP", 1}})});
  BOOST_TEST_REQUIRE(a.rejected.size() == 1u);
  BOOST_TEST(a.rejected[0].reason == RejectReason::UnknownSku);
  BOOST_TEST(a.rejected[0].message == "order 1 line 2: sku 'TEA' has no SKU data");
  BOOST_TEST(a.orders.size() == 1u);
  std::int64_t left = 0;
  for (auto q : a.remaining) left += q;
  BOOST_TEST(left == 36 - 1);
}

BOOST_AUTO_TEST_CASE(orders_carry_totals_and_their_zone) {
  auto a = run({order(1, {{1, "CUP", 2}}), order(2, {{1, "CUP", 2}, {2, "MILK", 4}})});
  BOOST_TEST(a.orders[0].zone == "A");
  BOOST_TEST(a.orders[0].weightG == 400);
  BOOST_TEST(a.orders[0].volumeCm3 == 600);
  BOOST_TEST(a.orders[1].zone == "");  // MILK from B-02-01 (zone B), a cup from zone A
}

BOOST_AUTO_TEST_CASE(a_given_availability_replaces_the_slots_quantities) {
  std::vector<std::int64_t> available(stock.slots().size(), 0);
  available[at("A-01-03-1", "CUP")] = 1;
  auto a = allocate(std::vector<PlanOrder>{order(1, {{1, "CUP", 1}}), order(2, {{1, "CUP", 1}})}, stock, {},
                    available);
  BOOST_TEST_REQUIRE(a.ok());
  BOOST_TEST(a->orders.size() == 1u);
  BOOST_TEST(a->rejected.size() == 1u);
  std::vector<std::int64_t> wrong(3, 1);
  BOOST_TEST(allocate(std::vector<PlanOrder>{order(1, {{1, "CUP", 1}})}, stock, {}, wrong).error().message ==
             "availability has 3 entries for 7 stock slots");
  available[0] = -1;
  BOOST_TEST(!allocate(std::vector<PlanOrder>{order(1, {{1, "CUP", 1}})}, stock, {}, available).ok());
}

BOOST_AUTO_TEST_CASE(choose_slots_answers_without_changing_the_pool) {
  std::vector<std::int64_t> pool;
  for (const auto& s : stock.slots()) pool.push_back(s.qty);
  const auto before = pool;
  const auto cup = *stock.findSku("CUP");
  auto picks = chooseSlots(stock, cup, 8, pool);
  BOOST_TEST_REQUIRE(picks.size() == 2u);
  BOOST_TEST(picks[0].slot == at("B-02-03-1", "CUP"));
  BOOST_TEST(picks[1].qty == 1);
  BOOST_TEST(pool == before);
  BOOST_TEST(chooseSlots(stock, cup, 100, pool).size() == 4u);  // short: everything there is
  BOOST_TEST(chooseSlots(stock, cup, 0, pool).empty());
  BOOST_CHECK_THROW(chooseSlots(stock, cup, 1, std::vector<std::int64_t>(2)), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(invalid_orders_are_refused_before_anything_is_allocated) {
  auto a = allocate(std::vector<PlanOrder>{order(1, {{1, "CUP", 1}}), order(1, {{1, "CUP", 1}})}, stock);
  BOOST_TEST_REQUIRE(!a.ok());
  BOOST_TEST(a.error().message == "order 1 is listed twice");
}

BOOST_AUTO_TEST_SUITE_END()
