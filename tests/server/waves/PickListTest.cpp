// Tests for server/waves/src/PickList.cpp: consolidation, sequencing and replanning after a short pick.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <limits>
#include <set>
#include <tuple>

#include "WavesTestSupport.h"
#include "wms/waves/PickList.h"

using namespace wms;
using namespace wms::waves;
using namespace wms::waves::test;

namespace {

struct Fixture {
  layouts::Layout layout = tinyLayout();
  layouts::Router router{layout};
  std::vector<SkuInfo> skus{{"CUP", 200, 300, false},  {"TEA", 100, 100, false},  {"MILK", 1000, 1000, true},
                            {"FAR1", 100, 100, false}, {"FAR2", 100, 100, false}, {"BACK", 100, 100, false}};
  std::vector<StockSlot> slots{
      {"CUP", "A-01-03-1", "", "", 3},
      {"CUP", "A-01-07-1", "", "", 10},
      {"CUP", "B-02-17-1", "", "", 10},
      {"TEA", "A-01-03-1", "", "", 10},
      {"MILK", "B-02-01-1", "L1", "2025-01-01", 5},
      {"MILK", "B-02-01-1", "L2", "2025-02-01", 5},
      {"MILK", "A-01-11-1", "L3", "2025-03-01", 5},
      {"FAR1", "A-01-19-1", "", "", 10},
      {"FAR2", "B-02-19-1", "", "", 10},
      {"BACK", "B-02-01-1", "", "", 10},
  };
  StockIndex stock = index(layout, skus, slots);
  Allocation allocation;
  std::vector<Batch> batches;
  CartSpec cart{8, 0, 0, 0};

  void plan(const std::vector<PlanOrder>& orders) {
    auto a = allocate(orders, stock);
    if (!a || !a->rejected.empty()) throw std::runtime_error("allocation failed");
    allocation = *a;
    BatchingOptions o;
    o.method = BatchingMethod::Fcfs;
    o.cart = cart;
    batches = *makeBatches(allocation, stock, o);
  }
  PickList list(std::size_t batch = 0, const SequenceOptions& options = {}) {
    auto l = buildPickList(batches.at(batch), allocation, stock, router, options);
    if (!l) throw std::runtime_error(l.error().message);
    return *l;
  }
  std::uint32_t at(const std::string& location, const std::string& sku) const {
    return slotAt(stock, location, sku);
  }
  // What the stock can still give after this wave's allocation.
  std::vector<std::int64_t> available() const { return allocation.remaining; }
  const Stop& stopAt(const PickList& l, const std::string& location, const std::string& sku) const {
    for (const auto& s : l.stops) {
      if (s.locationCode == location && s.sku == sku) return s;
    }
    throw std::runtime_error("no stop " + location + " " + sku);
  }
  Millimetres walk(const std::vector<Stop>& stops, const PickList& l) const {
    std::vector<layouts::LocationId> locs;
    for (const auto& s : stops) locs.push_back(s.location);
    return router.evaluate(locs, l.start, l.end);
  }
};

using PutList = std::vector<std::tuple<int, OrderId, int, std::int64_t>>;
PutList putsOf(const Stop& s) {
  PutList out;
  for (const auto& p : s.puts) out.push_back({p.tote, p.order, p.lineNo, p.qty});
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pick_list, Fixture)

BOOST_AUTO_TEST_CASE(one_stop_per_location_sku_and_lot_across_all_orders_of_the_batch) {
  plan({order(1, {{1, "CUP", 2}, {2, "TEA", 1}}), order(2, {{1, "CUP", 1}, {2, "MILK", 7}}),
        order(3, {{1, "CUP", 2}})});
  BOOST_TEST_REQUIRE(batches.size() == 1u);
  const PickList l = list();
  BOOST_TEST(l.stops.size() == 5u);
  std::set<std::uint32_t> slotsSeen;
  for (const auto& s : l.stops) {
    BOOST_TEST(slotsSeen.insert(s.slot).second);
    std::int64_t sum = 0;
    for (const auto& p : s.puts) sum += p.qty;
    BOOST_TEST(sum == s.qty);
  }
  // Orders 1 and 2 both take cups from A-01-03: one stop, two puts.
  BOOST_TEST(putsOf(stopAt(l, "A-01-03-1", "CUP")) == (PutList{{1, 1, 1, 2}, {2, 2, 1, 1}}));
  BOOST_TEST(stopAt(l, "A-01-07-1", "CUP").qty == 2);
  // Two lots at one location are two stops, visited one after the other.
  const Stop& l1 = stopAt(l, "B-02-01-1", "MILK");
  BOOST_TEST(l1.lot == "L1");
  BOOST_TEST(l1.qty == 5);
  BOOST_TEST(l1.expiry == "2025-01-01");
  auto pos = [&](const Stop& s) { return &s - l.stops.data(); };
  const Stop& l2 = l.stops[static_cast<std::size_t>(pos(l1) + 1)];
  BOOST_TEST(l2.lot == "L2");
  BOOST_TEST(l2.qty == 2);
  BOOST_TEST(checkPickList(l, batches[0], allocation, stock, router).empty());
}

BOOST_AUTO_TEST_CASE(stops_are_visited_in_the_routers_order_with_seq_gaps_of_ten) {
  plan(
      {order(1, {{1, "FAR2", 1}, {2, "CUP", 2}}), order(2, {{1, "BACK", 1}, {2, "FAR1", 1}, {3, "TEA", 1}})});
  const PickList l = list();
  std::vector<layouts::LocationId> distinct;
  for (const auto& s : l.stops) {
    if (distinct.empty() || distinct.back() != s.location) distinct.push_back(s.location);
  }
  layouts::RouteOptions ro;
  ro.withPath = false;
  auto route = router.route(distinct, ro);
  BOOST_TEST_REQUIRE(route.ok());
  BOOST_TEST(distinct == route->stops, boost::test_tools::per_element());
  BOOST_TEST(l.distanceMm == route->distanceMm);
  BOOST_TEST(l.optimal);
  BOOST_TEST((l.method == layouts::Method::Optimal));
  for (std::size_t i = 0; i < l.stops.size(); ++i) {
    BOOST_TEST(l.stops[i].id == static_cast<int>(i) + 1);
    BOOST_TEST(l.stops[i].seq == static_cast<int>(i + 1) * kSeqGap);
  }
  BOOST_TEST((l.start == layout.depot()));
  BOOST_TEST(l.batch == 1);
}

BOOST_AUTO_TEST_CASE(the_walk_can_end_at_a_packing_station) {
  plan({order(1, {{1, "FAR2", 1}, {2, "CUP", 2}})});
  SequenceOptions options;
  options.end = layout.findPlace("PACK");
  const PickList l = list(0, options);
  BOOST_TEST((l.end == *layout.findPlace("PACK")));
  BOOST_TEST(l.distanceMm == walk(l.stops, l));
  BOOST_TEST(l.distanceMm != list().distanceMm);
}

BOOST_AUTO_TEST_CASE(puts_follow_the_totes_of_an_order_split_across_totes) {
  cart = {8, 2, 0, 0};
  plan({order(1, {{1, "CUP", 3}, {2, "TEA", 1}})});
  // Totes of 2 units: the 3 cups are split 2 + 1 and the tea joins the second tote.
  BOOST_TEST_REQUIRE(batches[0].totes.size() == 2u);
  const PickList l = list();
  BOOST_TEST(putsOf(stopAt(l, "A-01-03-1", "CUP")) == (PutList{{1, 1, 1, 2}, {2, 1, 1, 1}}));
  BOOST_TEST(putsOf(stopAt(l, "A-01-03-1", "TEA")) == (PutList{{2, 1, 2, 1}}));
  BOOST_TEST(checkPickList(l, batches[0], allocation, stock, router).empty());
}

BOOST_AUTO_TEST_CASE(a_router_on_another_layout_is_a_misuse) {
  plan({order(1, {{1, "CUP", 1}})});
  layouts::Router other(tinyLayout());
  BOOST_CHECK_THROW((void)buildPickList(batches[0], allocation, stock, other), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_routing_method_that_does_not_apply_is_an_error) {
  layouts::LayoutSpec s;
  s.site = {"M", "many cross aisles", 12.0, 28.0};
  s.racks = {1.0, 2.0};
  for (int i = 0; i < 6; ++i) s.crossAisles.push_back({"X" + std::to_string(i), 1.0 + 5.0 * i, 2.0});
  for (int i = 0; i < 5; ++i) s.blocks.push_back({"B" + std::to_string(i), 1, 1});
  s.aisles = {{1, 3.0, 2.0, layouts::RackSides::Both, {}, {}}};
  s.zones = {{"A", "all", 1, 1, {}}};
  s.depot = {"DEPOT", "X0", 1.0};
  auto many = layouts::Layout::build(s);
  BOOST_TEST_REQUIRE(many.ok(), (many.ok() ? "" : many.error().message));
  std::vector<StockSlot> slot{{"CUP", many->locations()[0].code, "", "", 5}};
  StockIndex st = index(*many, {{"CUP", 1, 1, false}}, slot);
  auto a = allocate(std::vector<PlanOrder>{order(1, {{1, "CUP", 1}})}, st);
  auto b = makeBatches(*a, st, BatchingOptions{});
  layouts::Router r(*many);
  SequenceOptions options;
  options.method = layouts::Method::Optimal;
  auto l = buildPickList((*b)[0], *a, st, r, options);
  BOOST_TEST_REQUIRE(!l.ok());
  BOOST_TEST(l.error().kind == ErrorKind::Invalid);
  BOOST_TEST(buildPickList((*b)[0], *a, st, r).ok());  // best falls back to local search there
}

BOOST_AUTO_TEST_CASE(short_reasons_round_trip) {
  for (auto r : {ShortReason::Empty, ShortReason::Damaged, ShortReason::NotFound}) {
    BOOST_TEST((shortReasonFromString(toString(r)) == r));
  }
  BOOST_TEST(!shortReasonFromString("lost").has_value());
}

BOOST_AUTO_TEST_CASE(a_short_pick_adds_a_stop_elsewhere_where_it_adds_the_least_walking) {
  plan({order(1, {{1, "CUP", 2}, {2, "FAR1", 1}}), order(2, {{1, "FAR2", 1}, {2, "BACK", 1}})});
  const PickList l = list();
  const Stop& cups = stopAt(l, "A-01-03-1", "CUP");
  BOOST_TEST(cups.qty == 2);
  auto r = replanAfterShort(l, {cups.id, 0, ShortReason::Empty}, stock, available(), router);
  BOOST_TEST_REQUIRE(r.ok(), (r.ok() ? "" : r.error().message));
  BOOST_TEST_REQUIRE(r->addedStops.size() == 1u);
  BOOST_TEST(r->shortPuts.empty());
  BOOST_TEST(r->changedStops.empty());
  const auto& stops = r->pickList.stops;
  auto added =
      std::find_if(stops.begin(), stops.end(), [&](const Stop& s) { return s.id == r->addedStops[0]; });
  BOOST_TEST_REQUIRE((added != stops.end()));
  // The smallest slot that covers 2 cups elsewhere: A-01-07 (10) nearer the depot than B-02-17 (10).
  BOOST_TEST(added->locationCode == "A-01-07-1");
  BOOST_TEST(putsOf(*added) == (PutList{{1, 1, 1, 2}}));
  BOOST_TEST(added->id == static_cast<int>(l.stops.size()) + 1);
  const Stop& shortened = stopAt(r->pickList, "A-01-03-1", "CUP");
  BOOST_TEST(shortened.qty == 0);
  BOOST_TEST(shortened.shortQty == 2);
  BOOST_TEST(shortened.puts.empty());
  BOOST_TEST(r->cycleCount.location == "A-01-03-1");
  BOOST_TEST(r->cycleCount.sku == "CUP");
  BOOST_TEST((r->cycleCount.reason == ShortReason::Empty));
  // Strictly increasing seq, and the insertion is the cheapest one after the short stop.
  for (std::size_t i = 1; i < stops.size(); ++i) BOOST_TEST(stops[i - 1].seq < stops[i].seq);
  const auto shortPos = static_cast<std::size_t>(
      std::find_if(stops.begin(), stops.end(), [&](const Stop& s) { return s.id == cups.id; }) -
      stops.begin());
  std::vector<Stop> without = stops;
  const Stop moved = *added;
  without.erase(without.begin() + (added - stops.begin()));
  Millimetres best = std::numeric_limits<Millimetres>::max();
  for (std::size_t p = shortPos + 1; p <= without.size(); ++p) {
    auto trial = without;
    trial.insert(trial.begin() + static_cast<std::ptrdiff_t>(p), moved);
    best = std::min(best, walk(trial, l));
  }
  BOOST_TEST(r->pickList.distanceMm == best);
  BOOST_TEST(r->pickList.distanceMm == walk(stops, l));
  BOOST_TEST(!r->pickList.optimal);
}

BOOST_AUTO_TEST_CASE(picked_units_fill_the_puts_in_tote_order_and_what_no_location_has_is_short) {
  plan({order(1, {{1, "TEA", 4}}), order(2, {{1, "TEA", 5}})});
  const PickList l = list();
  const Stop& tea = stopAt(l, "A-01-03-1", "TEA");
  BOOST_TEST(putsOf(tea) == (PutList{{1, 1, 1, 4}, {2, 2, 1, 5}}));
  auto r = replanAfterShort(l, {tea.id, 6, ShortReason::NotFound}, stock, available(), router);
  BOOST_TEST_REQUIRE(r.ok());
  BOOST_TEST(r->addedStops.empty());  // TEA has no other location
  BOOST_TEST(putsOf(stopAt(r->pickList, "A-01-03-1", "TEA")) == (PutList{{1, 1, 1, 4}, {2, 2, 1, 2}}));
  BOOST_TEST_REQUIRE(r->shortPuts.size() == 1u);
  BOOST_TEST(r->shortPuts[0].order == 2);
  BOOST_TEST(r->shortPuts[0].tote == 2);
  BOOST_TEST(r->shortPuts[0].qty == 3);
  BOOST_TEST(r->pickList.distanceMm == l.distanceMm);
  BOOST_TEST(r->pickList.optimal == l.optimal);
}

BOOST_AUTO_TEST_CASE(a_partial_alternative_covers_what_it_can_and_the_rest_is_short) {
  plan({order(1, {{1, "CUP", 3}})});
  const PickList l = list();
  auto avail = available();
  avail[at("A-01-07-1", "CUP")] = 1;
  avail[at("B-02-17-1", "CUP")] = 0;
  auto r =
      replanAfterShort(l, {stopAt(l, "A-01-03-1", "CUP").id, 1, ShortReason::Empty}, stock, avail, router);
  BOOST_TEST_REQUIRE(r.ok());
  BOOST_TEST_REQUIRE(r->addedStops.size() == 1u);
  BOOST_TEST(stopAt(r->pickList, "A-01-07-1", "CUP").qty == 1);
  BOOST_TEST_REQUIRE(r->shortPuts.size() == 1u);
  BOOST_TEST(r->shortPuts[0].qty == 1);
}

BOOST_AUTO_TEST_CASE(an_empty_location_excludes_its_other_lots_but_a_damaged_unit_does_not) {
  plan({order(1, {{1, "MILK", 3}})});
  const PickList l = list();
  const Stop& milk = stopAt(l, "B-02-01-1", "MILK");
  BOOST_TEST(milk.lot == "L1");
  auto damaged = replanAfterShort(l, {milk.id, 2, ShortReason::Damaged}, stock, available(), router);
  BOOST_TEST_REQUIRE(damaged.ok());
  BOOST_TEST_REQUIRE(damaged->addedStops.size() == 1u);
  const auto& d = damaged->pickList.stops;
  auto addedD =
      std::find_if(d.begin(), d.end(), [&](const Stop& s) { return s.id == damaged->addedStops[0]; });
  BOOST_TEST(addedD->lot == "L2");  // next expiry, same location
  BOOST_TEST(addedD->locationCode == "B-02-01-1");
  auto empty = replanAfterShort(l, {milk.id, 2, ShortReason::Empty}, stock, available(), router);
  BOOST_TEST_REQUIRE(empty.ok());
  const auto& e = empty->pickList.stops;
  auto addedE =
      std::find_if(e.begin(), e.end(), [&](const Stop& s) { return s.id == empty->addedStops.at(0); });
  BOOST_TEST(addedE->lot == "L3");
  BOOST_TEST(addedE->locationCode == "A-01-11-1");
}

BOOST_AUTO_TEST_CASE(an_alternative_at_a_stop_still_to_visit_is_added_to_that_stop) {
  // Order 1 takes 3 cups from A-01-03 (exactly), order 2 takes 4 from A-01-07.
  plan({order(1, {{1, "CUP", 3}}), order(2, {{1, "CUP", 4}})});
  const PickList l = list();
  const Stop& first = stopAt(l, "A-01-03-1", "CUP");
  const Stop& second = stopAt(l, "A-01-07-1", "CUP");
  BOOST_TEST_REQUIRE(first.seq < second.seq);
  auto r = replanAfterShort(l, {first.id, 1, ShortReason::Empty}, stock, available(), router);
  BOOST_TEST_REQUIRE(r.ok());
  BOOST_TEST(r->addedStops.empty());
  BOOST_TEST(r->changedStops == (std::vector<int>{second.id}), boost::test_tools::per_element());
  const Stop& grown = stopAt(r->pickList, "A-01-07-1", "CUP");
  BOOST_TEST(grown.qty == 6);
  BOOST_TEST(putsOf(grown) == (PutList{{1, 1, 1, 2}, {2, 2, 1, 4}}));
  // Once that stop is done, a new stop is added instead.
  std::vector<int> done{second.id};
  auto r2 = replanAfterShort(l, {first.id, 1, ShortReason::Empty}, stock, available(), router, done);
  BOOST_TEST_REQUIRE(r2.ok());
  BOOST_TEST(r2->changedStops.empty());
  BOOST_TEST(r2->addedStops.size() == 1u);
}

BOOST_AUTO_TEST_CASE(done_stops_are_not_insertion_points) {
  plan({order(1, {{1, "CUP", 2}, {2, "FAR1", 1}}), order(2, {{1, "FAR2", 1}, {2, "BACK", 1}})});
  // Ending at PACK (x = 20 m) makes the walk go up aisle 1 and down aisle 2.
  SequenceOptions toPack;
  toPack.end = layout.findPlace("PACK");
  const PickList l = list(0, toPack);
  const Stop& cups = stopAt(l, "A-01-03-1", "CUP");
  BOOST_TEST_REQUIRE(cups.seq < stopAt(l, "B-02-19-1", "FAR2").seq);
  // Everything after the cups is done: the new stop is all that is left to
  // walk, so it follows the short stop directly.
  std::vector<int> done;
  for (const auto& s : l.stops) {
    if (s.seq > cups.seq) done.push_back(s.id);
  }
  BOOST_TEST_REQUIRE(done.size() == 3u);
  auto avail = available();
  avail[at("A-01-07-1", "CUP")] = 0;  // only B-02-17 is left
  auto r = replanAfterShort(l, {cups.id, 0, ShortReason::Empty}, stock, avail, router, done);
  BOOST_TEST_REQUIRE(r.ok());
  const auto& stops = r->pickList.stops;
  auto shortAt = std::find_if(stops.begin(), stops.end(), [&](const Stop& s) { return s.id == cups.id; });
  BOOST_TEST_REQUIRE((shortAt + 1 != stops.end()));
  BOOST_TEST((shortAt + 1)->id == r->addedStops.at(0));
  BOOST_TEST((shortAt + 1)->locationCode == "B-02-17-1");
  BOOST_TEST((shortAt + 1)->seq == cups.seq + kSeqGap / 2);
  // Without the done stops the same short would insert where the walk is cheapest: next to B-02-19.
  auto open = replanAfterShort(l, {cups.id, 0, ShortReason::Empty}, stock, avail, router);
  BOOST_TEST_REQUIRE(open.ok());
  const auto& o = open->pickList.stops;
  auto far2 = std::find_if(o.begin(), o.end(), [](const Stop& s) { return s.sku == "FAR2"; });
  auto added =
      std::find_if(o.begin(), o.end(), [&](const Stop& s) { return s.id == open->addedStops.at(0); });
  BOOST_TEST(std::abs(static_cast<int>(added - far2)) == 1);
}

BOOST_AUTO_TEST_CASE(seq_numbers_are_renumbered_after_the_short_stop_when_no_gap_is_left) {
  plan({order(1, {{1, "CUP", 2}, {2, "FAR1", 1}}), order(2, {{1, "FAR2", 1}, {2, "BACK", 1}})});
  PickList l = list();
  for (std::size_t i = 0; i < l.stops.size(); ++i) l.stops[i].seq = 100 + static_cast<int>(i);
  const Stop cups = stopAt(l, "A-01-03-1", "CUP");
  auto r = replanAfterShort(l, {cups.id, 0, ShortReason::Empty}, stock, available(), router);
  BOOST_TEST_REQUIRE(r.ok());
  const auto& stops = r->pickList.stops;
  BOOST_TEST(stops.size() == l.stops.size() + 1);
  for (std::size_t i = 1; i < stops.size(); ++i) BOOST_TEST(stops[i - 1].seq < stops[i].seq);
  for (const auto& s : stops) {
    if (s.seq <= cups.seq)
      BOOST_TEST(s.seq == stopAt(l, s.locationCode, s.sku).seq);  // before the short: unchanged
  }
}

BOOST_AUTO_TEST_CASE(bad_short_reports_are_errors_that_change_nothing) {
  plan({order(1, {{1, "CUP", 2}})});
  const PickList l = list();
  const int id = l.stops[0].id;
  auto r = replanAfterShort(l, {99, 0, ShortReason::Empty}, stock, available(), router);
  BOOST_TEST((r.error().kind == ErrorKind::NotFound));
  BOOST_TEST(r.error().message == "stop 99 is not on the pick list of batch 1");
  r = replanAfterShort(l, {id, 2, ShortReason::Empty}, stock, available(), router);
  BOOST_TEST(r.error().message == "stop 1 (A-01-03-1, CUP): picked 2 of 2 is not a short pick");
  r = replanAfterShort(l, {id, 3, ShortReason::Empty}, stock, available(), router);
  BOOST_TEST((r.error().kind == ErrorKind::Invalid));
  r = replanAfterShort(l, {id, -1, ShortReason::Empty}, stock, available(), router);
  BOOST_TEST((r.error().kind == ErrorKind::Invalid));
  r = replanAfterShort(l, {id, 0, ShortReason::Empty}, stock, std::vector<std::int64_t>(3, 0), router);
  BOOST_TEST(r.error().message == "availability has 3 entries for 10 stock slots");
  auto once = replanAfterShort(l, {id, 1, ShortReason::Empty}, stock, available(), router);
  BOOST_TEST_REQUIRE(once.ok());
  auto twice = replanAfterShort(once->pickList, {id, 0, ShortReason::Empty}, stock, available(), router);
  BOOST_TEST((twice.error().kind == ErrorKind::Conflict));
  BOOST_TEST(twice.error().message == "stop 1 (A-01-03-1, CUP) was already reported short");
  BOOST_TEST(l.stops[0].qty == 2);  // the input list is untouched
}

BOOST_AUTO_TEST_SUITE_END()
