// Tests for server/waves/src/Planning.cpp: input validation, cutoffs and the stock index.
#include <boost/test/unit_test.hpp>

#include "WavesTestSupport.h"
#include "wms/waves/Planning.h"

using namespace wms;
using namespace wms::waves;
using namespace wms::waves::test;

namespace {

bool mentions(const Error& e, const std::string& text) {
  return e.message.find(text) != std::string::npos;
}

// 2024-11-11 00:00 UTC.
constexpr Millis kDay = 1731283200000;
constexpr Millis kMinute = 60'000;

}  // namespace

BOOST_AUTO_TEST_SUITE(planning)

BOOST_AUTO_TEST_CASE(valid_orders_pass_validation) {
  std::vector<PlanOrder> orders{order(1, {{1, "TEA-01", 2}, {2, "CUP-02", 1}}), order(2, {{1, "TEA-01", 1}})};
  BOOST_TEST(validateOrders(orders).ok());
}

BOOST_AUTO_TEST_CASE(invalid_orders_are_named_in_the_error) {
  struct Case {
    PlanOrder o;
    std::string expect;
  };
  std::vector<Case> cases{
      {order(0, {{1, "A", 1}}), "id must be positive"},
      {order(5, {}), "order 5 has no lines"},
      {order(5, {{0, "A", 1}}), "line numbers must be positive"},
      {order(5, {{1, "A", 1}, {1, "B", 1}}), "order 5 line 1 is listed twice"},
      {order(5, {{1, "bad sku!", 1}}), "order 5 line 1"},
      {order(5, {{1, "A", 0}}), "order 5 line 1: qty"},
      {order(5, {{1, "A", 2'000'000}}), "order 5 line 1: qty"},
      {order(5, {{1, "A", 1}}, domain::ServiceLevel::Standard, "kerry", -1), "created_at"},
      {order(5, {{1, "A", 1}}, domain::ServiceLevel::Standard, std::string(65, 'k')), "carrier"},
  };
  for (const auto& c : cases) {
    std::vector<PlanOrder> one{c.o};
    auto st = validateOrders(one);
    BOOST_TEST_REQUIRE(!st.ok());
    BOOST_TEST(st.error().kind == ErrorKind::Invalid);
    BOOST_TEST(mentions(st.error(), c.expect), st.error().message << " should mention " << c.expect);
  }
  std::vector<PlanOrder> twice{order(7, {{1, "A", 1}}), order(7, {{1, "B", 1}})};
  BOOST_TEST(mentions(validateOrders(twice).error(), "order 7 is listed twice"));
}

BOOST_AUTO_TEST_CASE(cart_needs_totes_and_non_negative_limits) {
  BOOST_TEST(validateCart({8, 30, 40000, 15000}).ok());
  BOOST_TEST(validateCart({1, 0, 0, 0}).ok());
  BOOST_TEST(mentions(validateCart({0, 0, 0, 0}).error(), "totes must be 1..64"));
  BOOST_TEST(mentions(validateCart({65, 0, 0, 0}).error(), "totes must be 1..64"));
  BOOST_TEST(mentions(validateCart({8, -1, 0, 0}).error(), "units"));
  BOOST_TEST(mentions(validateCart({8, 0, -1, 0}).error(), "volume"));
  BOOST_TEST(mentions(validateCart({8, 0, 0, -1}).error(), "weight"));
}

BOOST_AUTO_TEST_CASE(daily_cutoffs_resolve_to_the_next_occurrence_in_local_time) {
  // 10:00 in Bangkok (UTC+7) is 03:00 UTC.
  const Millis now = kDay + 3 * 60 * kMinute;
  std::vector<DailyCutoff> daily{{"kerry", 16 * 60}, {"flash", 9 * 60}, {"jt", 10 * 60}};
  auto cutoffs = nextCutoffs(daily, now, 420);
  BOOST_TEST_REQUIRE(cutoffs.ok());
  BOOST_TEST((*cutoffs)[0].atMs == kDay + 9 * 60 * kMinute);         // 16:00 local = 09:00 UTC today
  BOOST_TEST((*cutoffs)[1].atMs == kDay + (24 + 2) * 60 * kMinute);  // 09:00 local passed: tomorrow 02:00 UTC
  BOOST_TEST((*cutoffs)[2].atMs == now);                             // exactly now counts as still ahead
  BOOST_TEST(formatLocalTime((*cutoffs)[0].atMs, 420) == "2024-11-11 16:00");
  BOOST_TEST(formatLocalTime((*cutoffs)[1].atMs, 420) == "2024-11-12 09:00");
}

BOOST_AUTO_TEST_CASE(local_midnight_is_found_for_negative_offsets_and_before_1970) {
  // 23:30 on Nov 10 in New York (UTC-5) is 04:30 UTC on Nov 11.
  const Millis now = kDay + 4 * 60 * kMinute + 30 * kMinute;
  std::vector<DailyCutoff> daily{{"ups", 23 * 60 + 45}};
  auto cutoffs = nextCutoffs(daily, now, -300);
  BOOST_TEST_REQUIRE(cutoffs.ok());
  BOOST_TEST((*cutoffs)[0].atMs == now + 15 * kMinute);
  BOOST_TEST(formatLocalTime(-kMinute, 0) == "1969-12-31 23:59");
  BOOST_TEST(formatLocalTime(951782400000, 0) == "2000-02-29 00:00");
}

BOOST_AUTO_TEST_CASE(bad_daily_cutoffs_are_errors) {
  std::vector<DailyCutoff> badMinute{{"kerry", 1440}};
  BOOST_TEST(mentions(nextCutoffs(badMinute, kDay, 0).error(), "0..1439"));
  std::vector<DailyCutoff> twice{{"kerry", 60}, {"kerry", 120}};
  BOOST_TEST(mentions(nextCutoffs(twice, kDay, 0).error(), "carrier 'kerry' has two cutoffs"));
  std::vector<DailyCutoff> fine{{"kerry", 60}};
  BOOST_TEST(mentions(nextCutoffs(fine, kDay, 15 * 60).error(), "utc offset"));
}

BOOST_AUTO_TEST_CASE(stock_index_resolves_locations_and_orders_slots_fefo_first) {
  const auto layout = tinyLayout();
  std::vector<SkuInfo> skus{{"MILK", 1000, 1000, true}, {"CUP", 200, 300, false}};
  std::vector<StockSlot> slots{
      {"MILK", "A-01-19-1", "L3", "", 5},  // no expiry: last
      {"MILK", "A-01-01-1", "L2", "2025-02-01", 5},
      {"MILK", "B-02-01-1", "L1", "2025-01-15", 5},
      {"CUP", "B-02-20-1", "", "", 5},  // far from the depot
      {"CUP", "A-01-02-1", "", "", 5},
  };
  auto stock = StockIndex::build(layout, skus, slots);
  BOOST_TEST_REQUIRE(stock.ok());
  BOOST_TEST(stock->slots().size() == 5u);
  BOOST_TEST(stock->slots()[1].location == *layout.find("A-01-01-1"));
  const auto milk = stock->slotsOf(*stock->findSku("MILK"));
  BOOST_TEST_REQUIRE(milk.size() == 3u);
  BOOST_TEST(milk[0] == 2u);
  BOOST_TEST(milk[1] == 1u);
  BOOST_TEST(milk[2] == 0u);
  const auto cup = stock->slotsOf(*stock->findSku("CUP"));
  BOOST_TEST_REQUIRE(cup.size() == 2u);
  BOOST_TEST(cup[0] == 4u);  // nearer the depot first
  BOOST_TEST(!stock->findSku("NOPE").has_value());
  BOOST_CHECK_THROW(stock->slotsOf(2), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(stock_index_refuses_bad_rows_with_the_row_named) {
  const auto layout = tinyLayout();
  std::vector<SkuInfo> skus{{"MILK", 1000, 1000, true}};
  auto fails = [&](std::vector<SkuInfo> k, std::vector<StockSlot> s, const std::string& expect) {
    auto r = StockIndex::build(layout, k, s);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().kind == ErrorKind::Invalid);
    BOOST_TEST(mentions(r.error(), expect), r.error().message << " should mention " << expect);
  };
  fails(skus, {{"TEA", "A-01-01-1", "", "", 1}}, "stock[0]: sku 'TEA' is not in the SKU data");
  fails(skus, {{"MILK", "A-09-01-1", "", "", 1}}, "stock[0]");
  fails(skus, {{"MILK", "A-01-01-1", "", "2025-02-30", 1}}, "expiry");
  fails(skus, {{"MILK", "A-01-01-1", "", "", -1}}, "qty must be");
  fails(skus, {{"MILK", "A-01-01-1", "L1", "", 1}, {"MILK", "A-01-01-1", "L1", "", 2}},
        "stock[1]: sku 'MILK' at 'A-01-01-1' lot 'L1' is listed twice");
  fails({{"MILK", 1, 1, false}, {"MILK", 1, 1, false}}, {}, "skus[1]: sku 'MILK' is listed twice");
  fails({{"MILK", -1, 1, false}}, {}, "weight");
  fails({{"MILK", 1, -1, false}}, {}, "volume");
  // Two lots at one location are two slots.
  BOOST_TEST(StockIndex::build(layout, skus,
                               std::vector<StockSlot>{{"MILK", "A-01-01-1", "L1", "", 1},
                                                      {"MILK", "A-01-01-1", "L2", "", 1}})
                 .ok());
}

BOOST_AUTO_TEST_SUITE_END()
