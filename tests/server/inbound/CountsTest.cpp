// Tests for server/inbound/src/Counts.cpp: a count within the tolerance is
// booked at once; over it the row is counted again and then waits for a
// supervisor, whose approval books the counted difference against the figure
// as it is then; a count is blind, entered once, and only where one is
// awaited; short picks' flagged rows get their tasks.
#include <boost/test/unit_test.hpp>

#include "Dock.h"

using namespace wms;
using namespace wms::inbound;
using wms::inbound::test::Dock;

namespace {

const auto kCounter = stock::Actor::device("HH-4/B-7");

CountTask only(const Result<std::vector<CountTask>>& tasks) {
  BOOST_REQUIRE_MESSAGE(tasks.ok(), (tasks.ok() ? "" : tasks.error().message));
  BOOST_REQUIRE_EQUAL(tasks->size(), 1u);
  return tasks->front();
}

CountTask counted(CountService& c, std::int64_t id, std::int64_t qty, const std::string& key) {
  auto t = c.submit(id, qty, key, kCounter);
  BOOST_REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.error().message));
  return *t;
}

// Units leave the location meanwhile (a pick would do the same to the figure).
void take(Dock& d, const std::string& sku, const std::string& from, std::int64_t qty) {
  auto st = d.db->write([&](store::Tx& tx) -> Status {
    return stock::Moves(tx, d.events, stock::Actor::integration("test")).transfer({sku, from, "", "", 0}, "A-09-02-3", qty, "test", "");
  });
  BOOST_REQUIRE(st.ok());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(counts)

BOOST_AUTO_TEST_CASE(a_count_within_the_tolerance_is_booked_at_once_and_counted_blind) {
  Dock d;
  CountService c(*d.db, d.events, CountConfig{1, 0});
  d.stockAt("MUG", "A-09-01-3", 10);
  auto task = only(c.create("A-09-01-3", "", ""));
  BOOST_TEST(task.reason == "on demand");
  BOOST_TEST(!task.firstExpected.has_value());  // blind
  auto done = counted(c, task.id, 9, "hh-4:e1");
  BOOST_TEST(toString(done.status) == std::string("done"));
  BOOST_TEST(done.booked.value_or(0) == -1);
  BOOST_TEST(done.firstExpected.value_or(0) == 10);
  BOOST_TEST(d.at("MUG", "A-09-01-3") == 9);
  BOOST_TEST(d.count("SELECT COUNT(*) FROM ledger WHERE cause = 'cycle_count' AND reference = 'count:" +
                     std::to_string(task.id) + "'") == 1);
  // The same count again changes nothing; a new count of a settled task is refused.
  BOOST_TEST(counted(c, task.id, 9, "hh-4:e1").booked.value_or(0) == -1);
  BOOST_TEST(c.submit(task.id, 9, "hh-4:e2", kCounter).error().message == "count " + std::to_string(task.id) + " is done");
  BOOST_TEST(d.at("MUG", "A-09-01-3") == 9);
}

BOOST_AUTO_TEST_CASE(a_count_over_the_tolerance_is_counted_again_and_approved_against_the_figure_then) {
  Dock d;
  CountService c(*d.db, d.events);
  d.stockAt("MUG", "A-09-01-3", 10);
  auto task = only(c.create("A-09-01-3", "MUG", "cycle, class A"));
  auto again = counted(c, task.id, 7, "k1");
  BOOST_TEST(toString(again.status) == std::string("recount"));
  BOOST_TEST(d.at("MUG", "A-09-01-3") == 10);  // nothing booked yet
  auto waiting = counted(c, task.id, 7, "k2");
  BOOST_TEST(toString(waiting.status) == std::string("approval"));
  BOOST_TEST(waiting.secondExpected.value_or(0) == 10);
  BOOST_TEST(c.submit(task.id, 7, "k3", kCounter).error().message ==
             "count " + std::to_string(task.id) + " is waiting for a supervisor's approval");
  // Two leave while it waits: the approval books the counted -3 on top.
  take(d, "MUG", "A-09-01-3", 2);
  auto approved = c.approve(task.id, "SUP-1");
  BOOST_REQUIRE_MESSAGE(approved.ok(), (approved.ok() ? "" : approved.error().message));
  BOOST_TEST(approved->booked.value_or(0) == -3);
  BOOST_TEST(approved->approvedBy == "SUP-1");
  BOOST_TEST(d.at("MUG", "A-09-01-3") == 5);
  BOOST_TEST(d.count("SELECT COUNT(*) FROM ledger WHERE cause = 'cycle_count' AND actor = 'person:SUP-1'") == 1);
}

BOOST_AUTO_TEST_CASE(a_rejected_count_is_counted_again_and_bad_counts_are_refused) {
  Dock d;
  CountService c(*d.db, d.events);
  d.stockAt("MUG", "A-09-01-3", 4);
  auto task = only(c.create("A-09-01-3", "", ""));
  BOOST_TEST(c.create("A-09-01-3", "", "")->empty());  // one unsettled task per row
  BOOST_TEST(c.submit(task.id, -1, "k1", kCounter).error().message == "counted must be 0..1000000, got -1");
  BOOST_TEST(c.approve(task.id, "").error().message == "count " + std::to_string(task.id) + " is open, not waiting for approval");
  counted(c, task.id, 0, "k1");
  counted(c, task.id, 0, "k2");
  auto reopened = c.reject(task.id, "SUP-1");
  BOOST_REQUIRE(reopened.ok());
  BOOST_TEST(toString(reopened->status) == std::string("open"));
  BOOST_TEST(!reopened->firstCount.has_value());
  BOOST_TEST(c.submit(task.id, 4, "k1", kCounter).ok());  // k1 was this task's: its answer again
  BOOST_TEST(counted(c, task.id, 4, "k4").booked.value_or(-9) == 0);
  BOOST_TEST(c.create("NOWHERE", "", "").error().message == "no location NOWHERE");
  BOOST_TEST(c.create("A-09-02-3", "", "").error().message == "nothing is recorded at A-09-02-3: name the SKU to count");
  auto other = only(c.create("A-09-02-3", "TEE", ""));
  BOOST_TEST(c.submit(other.id, 1, "k4", kCounter).error().message ==
             "idempotency_key was used for count " + std::to_string(task.id));
  BOOST_TEST(d.at("MUG", "A-09-01-3") == 4);
}

BOOST_AUTO_TEST_CASE(the_rows_a_short_pick_flagged_get_count_tasks_and_the_count_clears_the_flag) {
  Dock d;
  CountService c(*d.db, d.events);
  d.stockAt("MUG", "A-01-01-1", 3);
  auto st = d.db->write([&](store::Tx& tx) -> Status {
    stock::Moves(tx, d.events, stock::Actor::system("waves")).requestCount("MUG", "A-01-01-1");
    return {};
  });
  BOOST_REQUIRE(st.ok());
  auto task = only(c.fromShortPicks());
  BOOST_TEST(task.reason == "short pick");
  counted(c, task.id, 3, "k1");
  BOOST_TEST(d.count("SELECT COUNT(*) FROM stock WHERE count_requested = 1") == 0);
  BOOST_TEST(c.fromShortPicks()->empty());
}

BOOST_AUTO_TEST_CASE(skus_are_classed_by_the_units_they_ship_a_first_eighty_percent_then_b_then_c) {
  // 100 units: FAST starts at 0%, MID at 70% (it crosses 80%: still A),
  // RARE at 85%, SLOW at 95%.
  auto classes = classify({{"SLOW", 5}, {"FAST", 70}, {"MID", 15}, {"RARE", 10}, {"DEAD", 0}});
  std::string order, abc;
  for (const auto& v : classes) {
    order += v.sku + " ";
    abc += v.abc;
  }
  BOOST_TEST(order == "FAST MID RARE SLOW DEAD ");
  BOOST_TEST(abc == "AABCC");
  BOOST_TEST(classify({}).empty());
  BOOST_TEST(classify({{"ONLY", 3}}).front().abc == 'A');
}

BOOST_AUTO_TEST_CASE(counts_are_planned_by_class_once_per_interval) {
  Dock d;
  CountService c(*d.db, d.events);
  d.stockAt("MUG", "A-01-01-1", 5);
  d.stockAt("MUG", "A-09-01-3", 20);
  d.stockAt("TEE", "A-01-02-1", 5);
  d.stockAt("VITC", "DOCK-1", 5, "L1", "2028-05-31");  // at the dock: not counted
  auto planned = c.planByClass({});
  BOOST_REQUIRE(planned.ok());
  BOOST_TEST(planned->size() == 3u);  // nothing shipped: all C, none ever counted
  for (const auto& t : *planned) counted(c, t.id, t.location == "A-09-01-3" ? 20 : 5, "plan-" + std::to_string(t.id));
  BOOST_TEST(c.planByClass({})->empty());  // counted today: not due
  BOOST_TEST(c.planByClass({30, 30, 90, 0, 500}).error().message == "a count interval is 1..3650 days, got 0");
  auto classes = c.velocityOver(30);
  BOOST_REQUIRE(classes.ok());
  BOOST_TEST(classes->size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
