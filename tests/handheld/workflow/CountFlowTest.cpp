// CountFlow step by step: asking for counts (all, or where the counter
// stands), counting by location, blind, an empty shelf, a recount, the
// local refusals, the server's refusals, offline counting and a restart.
#include <boost/test/unit_test.hpp>

#include "FlowTestSupport.h"
#include "wms/handheld/CountFlow.h"
#include "wms/handheld/FlowState.h"

using namespace wms;
using namespace wms::handheld;
using namespace wms::handheld::test;

namespace {

CountFlow::Options options() {
  CountFlow::Options o;
  o.device = kDevice;
  o.gs1.referenceYear = 2025;
  return o;
}

protocol::CountItem item(std::int64_t id, const std::string& location, const std::string& sku,
                         const std::string& barcode, bool recount = false) {
  protocol::CountItem c;
  c.countId = id;
  c.location = location;
  c.sku = sku;
  c.description = sku + " item";
  c.barcodes = {barcode};
  c.recount = recount;
  return c;
}

// Two rows at A-02-01-1 (EGGS, BREAD), one at A-01-05-1 (CHEESE, a recount).
protocol::CountTask task(std::vector<protocol::CountItem> counts = {}) {
  protocol::CountTask t;
  t.device = kDevice;
  if (counts.empty())
    counts = {item(17, "A-02-01-1", "EGGS", "4006381333931"), item(18, "A-02-01-1", "BREAD", "036000291452"),
              item(19, "A-01-05-1", "CHEESE", "96385074", true)};
  t.counts = std::move(counts);
  return t;
}

CountFlow working() {
  CountFlow f(options());
  f.handle(key(Key::Enter));
  f.handle(server(task()));
  BOOST_REQUIRE_EQUAL(f.phase(), CountPhase::ScanLocation);
  return f;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(count_flow)

BOOST_AUTO_TEST_CASE(enter_asks_for_the_counts_waiting_and_a_location_scan_asks_to_count_it) {
  CountFlow f(options());
  BOOST_TEST(f.screen().prompt == "ENTER OR SCAN HERE");
  BOOST_TEST(!only<protocol::CountRequest>(f.handle(key(Key::Enter))).location);
  BOOST_TEST(f.phase() == CountPhase::WaitTask);

  CountFlow here(options());
  BOOST_TEST(only<protocol::CountRequest>(here.handle(scan("A-02-01-1"))).location.value_or("") == "A-02-01-1");
  auto other = task();
  other.device = "HH-99";
  here.handle(server(other));
  BOOST_TEST(here.phase() == CountPhase::WaitTask);
  here.handle(server(task()));
  BOOST_TEST(here.screen().prompt == "SCAN LOCATION");
  BOOST_TEST(shows(here, "Go to: A-02-01-1"));
  BOOST_TEST(shows(here, "Counts: 2 there"));
  BOOST_TEST(here.expectation()->text == "A-02-01-1");
}

BOOST_AUTO_TEST_CASE(a_location_is_counted_row_by_row_blind_and_each_count_is_confirmed) {
  auto f = working();
  BOOST_TEST(f.handle(scan("A-02-01-1")).signal == Signal::Good);
  BOOST_TEST(f.phase() == CountPhase::Count);
  BOOST_TEST(f.wantsNumber());
  BOOST_TEST(f.screen().prompt == "COUNT ITEM");
  BOOST_TEST(shows(f, "Item: EGGS EGGS item"));
  BOOST_CHECK(f.expectation()->expected.target == ScanTarget::Item);
  BOOST_TEST(f.expectation()->text == "4006381333931");
  BOOST_TEST(!shows(f, "expected"));
  // The item scan is optional; with it, the count goes on the same way.
  f.handle(scan("4006381333931"));
  BOOST_TEST(shows(f, "Scanned: yes"));
  auto fx = f.handle(number(4));
  const auto& c = only<protocol::CountConfirm>(fx);
  BOOST_TEST(c.countId == 17);
  BOOST_TEST(c.counted == 4);
  // The next row at the same location, without scanning it again.
  BOOST_TEST(f.phase() == CountPhase::Count);
  BOOST_TEST(shows(f, "Item: BREAD BREAD item"));
  BOOST_TEST(shows(f, "Scanned: no"));
  BOOST_TEST(only<protocol::CountConfirm>(f.handle(number(0))).counted == 0);  // an empty shelf is a count
  BOOST_TEST(shows(f, "BREAD at A-02-01-1: empty"));
  BOOST_TEST(f.phase() == CountPhase::ScanLocation);
  BOOST_TEST(f.expectation()->text == "A-01-05-1");
  f.handle(answer(fx, protocol::AckResult::Applied));
  BOOST_TEST(f.state().sent.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_recount_is_flagged_on_the_screen) {
  auto f = working();
  f.handle(key(Key::Skip));  // A-02-01-1 to the end
  BOOST_TEST(f.expectation()->text == "A-01-05-1");
  f.handle(scan("A-01-05-1"));
  BOOST_TEST(f.screen().prompt == "COUNT AGAIN");
  BOOST_TEST(shows(f, "count again"));
}

BOOST_AUTO_TEST_CASE(a_wrong_location_a_wrong_item_and_an_impossible_count_are_refused_on_the_device) {
  auto f = working();
  auto fx = f.handle(scan("A-01-05-1"));
  BOOST_TEST(fx.signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "wrong location: scanned A-01-05-1, go to A-02-01-1");
  f.handle(scan("A-02-01-1"));
  fx = f.handle(scan("96385074"));
  BOOST_TEST(fx.signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "not EGGS: count EGGS item");
  fx = f.handle(number(100001));
  BOOST_TEST(fx.signal == Signal::Bad);
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.handle(key(Key::Enter)).signal == Signal::Bad);  // no default: the count is typed
  // Esc backs out of the item scan, then of the location.
  f.handle(scan("4006381333931"));
  f.handle(key(Key::Escape));
  BOOST_TEST(!f.state().itemScanned);
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == CountPhase::ScanLocation);
}

BOOST_AUTO_TEST_CASE(a_refused_count_shows_the_message_and_the_count_comes_back) {
  auto f = working();
  f.handle(scan("A-02-01-1"));
  auto fx = f.handle(number(4));
  auto back = f.handle(answer(fx, protocol::AckResult::Rejected, "count 17 is waiting for a supervisor"));
  BOOST_TEST(back.signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "count of EGGS at A-02-01-1 refused: count 17 is waiting for a supervisor");
  BOOST_TEST(f.state().counts.front().countId == 17);
  BOOST_TEST(f.state().sent.empty());
}

BOOST_AUTO_TEST_CASE(a_refused_request_and_no_counts_go_back_to_the_start) {
  CountFlow f(options());
  auto fx = f.handle(scan("Z-99"));
  f.handle(answer(fx, protocol::AckResult::Rejected, "no location Z-99"));
  BOOST_TEST(f.phase() == CountPhase::Idle);
  BOOST_TEST(f.screen().error == "no location Z-99");
  f.handle(key(Key::Enter));
  protocol::CountTask none;
  none.device = kDevice;
  none.note = "no counts wait";
  f.handle(server(none));
  BOOST_TEST(f.phase() == CountPhase::Idle);
  BOOST_TEST(shows(f, "no counts wait"));
}

BOOST_AUTO_TEST_CASE(offline_the_counts_go_on_and_a_task_keeps_the_location_in_hand_without_counted_rows) {
  auto f = working();
  f.handle(scan("A-02-01-1"));
  auto first = f.handle(number(6));
  // The answer to an earlier request still lists count 17, counted here.
  f.handle(server(task()));
  BOOST_TEST(f.phase() == CountPhase::Count);
  BOOST_TEST(shows(f, "Item: BREAD"));
  BOOST_TEST(f.state().counts.size() == 2u);
  f.handle(number(2));
  f.handle(answer(first, protocol::AckResult::Applied));
  // The recount of 17 comes back: counted once more.
  f.handle(server(task({item(17, "A-02-01-1", "EGGS", "4006381333931", true), item(19, "A-01-05-1", "CHEESE", "96385074")})));
  BOOST_TEST(f.phase() == CountPhase::ScanLocation);
  BOOST_TEST(f.expectation()->text == "A-02-01-1");
}

// wmsd sends the list that answers a count before the count's ack.
BOOST_AUTO_TEST_CASE(a_recount_listed_before_the_ack_of_the_first_count_is_counted_again) {
  CountFlow f(options());
  f.handle(scan("A-02-01-1"));
  f.handle(server(task({item(17, "A-02-01-1", "EGGS", "4006381333931")})));
  f.handle(scan("A-02-01-1"));
  auto fx = f.handle(number(4));
  BOOST_TEST(f.phase() == CountPhase::Idle);
  f.handle(server(task({item(17, "A-02-01-1", "EGGS", "4006381333931", true)})));
  f.handle(answer(fx, protocol::AckResult::Applied));
  BOOST_TEST(f.phase() == CountPhase::ScanLocation);
  f.handle(scan("A-02-01-1"));
  BOOST_TEST(f.screen().prompt == "COUNT AGAIN");
}

BOOST_AUTO_TEST_CASE(a_restart_mid_location_resumes_at_the_same_count) {
  auto f = working();
  f.handle(scan("A-02-01-1"));
  auto fx = f.handle(number(3));
  f.handle(scan("036000291452"));
  auto saved = decodeCountState(encodeCountState(f.state()));
  BOOST_REQUIRE_MESSAGE(saved, (saved ? "" : saved.error().message));
  BOOST_CHECK(*saved == f.state());
  CountFlow again(options());
  BOOST_REQUIRE(again.restore(*saved));
  BOOST_TEST(again.phase() == CountPhase::Count);
  BOOST_TEST(shows(again, "Item: BREAD"));
  BOOST_TEST(shows(again, "Scanned: yes"));
  again.handle(answer(fx, protocol::AckResult::Rejected, "gone"));
  BOOST_TEST(again.state().counts.front().countId == 17);

  CountState bad = f.state();
  bad.location = "A-09-09-9";
  BOOST_TEST(!again.restore(bad));
  bad = f.state();
  bad.phase = CountPhase::Idle;
  BOOST_TEST(!again.restore(bad));
}

BOOST_AUTO_TEST_SUITE_END()
