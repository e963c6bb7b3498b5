// ReplenishFlow step by step: asking for work, each move (reserve, item,
// quantity, pick face), skipping, the local refusals, the server's
// refusals, fresh tasks replacing the list, offline work and a restart.
#include <boost/test/unit_test.hpp>

#include "FlowTestSupport.h"
#include "wms/handheld/FlowState.h"
#include "wms/handheld/ReplenishFlow.h"

using namespace wms;
using namespace wms::handheld;
using namespace wms::handheld::test;

namespace {

ReplenishFlow::Options options() {
  ReplenishFlow::Options o;
  o.device = kDevice;
  o.gs1.referenceYear = 2025;
  return o;
}

protocol::ReplenishMove move(const std::string& sku, const std::string& barcode, const std::string& from,
                             const std::string& to, int qty) {
  protocol::ReplenishMove m;
  m.sku = sku;
  m.description = sku + " item";
  m.barcodes = {barcode};
  m.from = from;
  m.to = to;
  m.qty = qty;
  m.reason = "face below its minimum";
  return m;
}

// 10 CHEESE (lot L5) from R-01-01-3 to A-01-05-1, then 15 BREAD from
// R-01-02-3 to A-03-02-1.
protocol::ReplenishTask task(std::vector<protocol::ReplenishMove> moves = {}) {
  protocol::ReplenishTask t;
  t.device = kDevice;
  if (moves.empty()) {
    moves = {move("CHEESE", "96385074", "R-01-01-3", "A-01-05-1", 10),
             move("BREAD", "036000291452", "R-01-02-3", "A-03-02-1", 15)};
    moves[0].lot = "L5";
    moves[0].expiry = "2029-01-31";
  }
  t.moves = std::move(moves);
  return t;
}

protocol::ReplenishTask nothing(const std::string& note) {
  protocol::ReplenishTask t;
  t.device = kDevice;
  t.note = note;
  return t;
}

ReplenishFlow working() {
  ReplenishFlow f(options());
  f.handle(key(Key::Enter));
  f.handle(server(task()));
  BOOST_REQUIRE_EQUAL(f.phase(), ReplenishPhase::ScanFrom);
  return f;
}

// Works the first move up to the pick face with `qty` typed.
Effects refill(ReplenishFlow& f, int qty) {
  const auto m = f.state().moves.front();
  f.handle(scan(m.from));
  f.handle(scan(m.barcodes.front()));
  f.handle(number(qty));
  return f.handle(scan(m.to));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(replenish_flow)

BOOST_AUTO_TEST_CASE(enter_asks_for_work_and_the_task_sends_the_worker_to_the_first_reserve) {
  ReplenishFlow f(options());
  BOOST_TEST(f.screen().prompt == "PRESS ENTER FOR WORK");
  only<protocol::ReplenishRequest>(f.handle(key(Key::Enter)));
  BOOST_TEST(f.phase() == ReplenishPhase::WaitTask);
  auto other = task();
  other.device = "HH-99";
  f.handle(server(other));
  BOOST_TEST(f.phase() == ReplenishPhase::WaitTask);
  f.handle(server(task()));
  BOOST_TEST(f.screen().prompt == "SCAN RESERVE");
  BOOST_TEST(shows(f, "From: R-01-01-3"));
  BOOST_TEST(shows(f, "Item: CHEESE CHEESE item"));
  BOOST_TEST(shows(f, "Lot: L5 exp 2029-01-31"));
  BOOST_TEST(shows(f, "To: A-01-05-1"));
  BOOST_TEST(shows(f, "Why: face below its minimum"));
  auto step = f.expectation();
  BOOST_REQUIRE(step);
  BOOST_TEST(step->text == "R-01-01-3");
  BOOST_TEST(step->quantity == 10);
}

BOOST_AUTO_TEST_CASE(a_move_worked_in_order_sends_one_confirmation_and_the_next_move_follows) {
  auto f = working();
  BOOST_TEST(f.handle(scan("R-01-01-3")).signal == Signal::Good);
  BOOST_TEST(f.phase() == ReplenishPhase::ScanItem);
  BOOST_CHECK(f.expectation()->expected.target == ScanTarget::Item);
  BOOST_TEST(f.expectation()->text == "96385074");
  f.handle(scan("]C1010000009638507410L5"));
  BOOST_TEST(f.phase() == ReplenishPhase::Quantity);
  BOOST_TEST(f.wantsNumber());
  auto fx = f.handle(key(Key::Enter));  // all 10
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.phase() == ReplenishPhase::ScanTo);
  BOOST_TEST(f.busy());
  BOOST_TEST(f.expectation()->text == "A-01-05-1");
  fx = f.handle(scan("A-01-05-1"));
  const auto& c = only<protocol::ReplenishConfirm>(fx);
  BOOST_TEST(c.sku == "CHEESE");
  BOOST_TEST(c.from == "R-01-01-3");
  BOOST_TEST(c.to == "A-01-05-1");
  BOOST_TEST(c.qty == 10);
  BOOST_TEST(c.lot.value_or("") == "L5");
  BOOST_TEST(c.expiry.value_or("") == "2029-01-31");
  BOOST_TEST(!f.busy());
  BOOST_TEST(f.phase() == ReplenishPhase::ScanFrom);
  BOOST_TEST(f.expectation()->text == "R-01-02-3");
  BOOST_TEST(f.state().sent.size() == 1u);
  f.handle(answer(fx, protocol::AckResult::Applied));
  BOOST_TEST(f.state().sent.empty());
  // The server's fresh task replaces the list.
  f.handle(server(task({move("BREAD", "036000291452", "R-01-02-3", "A-03-02-1", 12)})));
  BOOST_TEST(f.state().moves.size() == 1u);
  BOOST_TEST(f.expectation()->quantity == 12);
}

BOOST_AUTO_TEST_CASE(a_wrong_location_a_wrong_item_and_too_many_units_are_refused_on_the_device) {
  auto f = working();
  auto fx = f.handle(scan("R-01-02-3"));
  BOOST_TEST(fx.signal == Signal::Bad);
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.screen().error == "wrong location: scanned R-01-02-3, go to R-01-01-3");
  f.handle(scan("R-01-01-3"));
  fx = f.handle(scan("036000291452"));
  BOOST_TEST(fx.signal == Signal::Bad);
  BOOST_TEST(f.phase() == ReplenishPhase::ScanItem);
  f.handle(scan("96385074"));
  fx = f.handle(number(11));
  BOOST_TEST(fx.signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "the move is 10 units: take no more");
  BOOST_TEST(f.handle(number(0)).signal == Signal::Bad);
  f.handle(number(4));
  fx = f.handle(scan("A-01-05-2"));
  BOOST_TEST(fx.signal == Signal::Bad);
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.screen().error == "wrong location: scanned A-01-05-2, take it to A-01-05-1");
  BOOST_TEST(only<protocol::ReplenishConfirm>(f.handle(scan("A-01-05-1"))).qty == 4);
}

BOOST_AUTO_TEST_CASE(k_skips_a_move_to_the_end_and_escape_backs_out_a_step_at_a_time) {
  auto f = working();
  f.handle(key(Key::Skip));
  BOOST_TEST(f.expectation()->text == "R-01-02-3");
  BOOST_TEST(f.state().moves.back().sku == "CHEESE");
  f.handle(scan("R-01-02-3"));
  f.handle(scan("036000291452"));
  BOOST_TEST(f.handle(key(Key::Skip)).signal == Signal::Bad);  // the units are counted: no skipping now
  f.handle(number(5));
  BOOST_TEST(f.phase() == ReplenishPhase::ScanTo);
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == ReplenishPhase::Quantity);
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == ReplenishPhase::ScanItem);
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == ReplenishPhase::ScanFrom);
  BOOST_TEST(f.state().qty == 0);
}

BOOST_AUTO_TEST_CASE(no_moves_shows_the_note_and_enter_asks_again) {
  ReplenishFlow f(options());
  f.handle(key(Key::Enter));
  f.handle(server(nothing("every move needed is with another handheld")));
  BOOST_TEST(f.phase() == ReplenishPhase::Idle);
  BOOST_TEST(shows(f, "every move needed is with another handheld"));
  BOOST_TEST(!f.expectation());
  only<protocol::ReplenishRequest>(f.handle(key(Key::Enter)));
}

BOOST_AUTO_TEST_CASE(a_refused_confirmation_shows_the_message_and_returns_to_the_move) {
  auto f = working();
  auto fx = refill(f, 10);
  only<protocol::ReplenishConfirm>(fx);
  BOOST_TEST(f.expectation()->text == "R-01-02-3");
  auto back = f.handle(answer(fx, protocol::AckResult::Rejected, "only 8 units of CHEESE at R-01-01-3"));
  BOOST_TEST(back.signal == Signal::Bad);
  BOOST_TEST(f.phase() == ReplenishPhase::ScanFrom);
  BOOST_TEST(f.expectation()->text == "R-01-01-3");
  BOOST_TEST(f.screen().error ==
             "refill of CHEESE R-01-01-3 -> A-01-05-1 refused: only 8 units of CHEESE at R-01-01-3");
  BOOST_TEST(f.state().moves.size() == 2u);
  BOOST_TEST(f.state().sent.empty());
}

BOOST_AUTO_TEST_CASE(a_refused_request_goes_back_to_the_start_with_the_message) {
  ReplenishFlow f(options());
  auto fx = f.handle(key(Key::Enter));
  f.handle(answer(fx, protocol::AckResult::Rejected, "sign in first"));
  BOOST_TEST(f.phase() == ReplenishPhase::Idle);
  BOOST_TEST(f.screen().error == "sign in first");
}

BOOST_AUTO_TEST_CASE(offline_the_moves_go_on_and_a_stale_task_does_not_bring_a_confirmed_move_back) {
  auto f = working();
  auto first = refill(f, 10);
  auto second = refill(f, 15);
  BOOST_TEST(f.phase() == ReplenishPhase::Idle);
  BOOST_TEST(f.state().sent.size() == 2u);
  // Back online: the first confirmation's answer and its task, which still
  // lists the bread the server has not seen done yet.
  f.handle(answer(first, protocol::AckResult::Applied));
  f.handle(server(task({move("BREAD", "036000291452", "R-01-02-3", "A-03-02-1", 15)})));
  BOOST_TEST(f.state().moves.empty());
  BOOST_TEST(f.phase() == ReplenishPhase::Idle);
  f.handle(answer(second, protocol::AckResult::Applied));
  BOOST_TEST(f.state().sent.empty());
}

// wmsd sends the list that answers a confirmation before its ack.
BOOST_AUTO_TEST_CASE(the_rest_of_a_move_taken_in_part_comes_back_even_before_the_ack) {
  auto f = working();
  f.handle(key(Key::Skip));  // the bread first
  auto fx = refill(f, 15);
  auto rest = refill(f, 6);  // 6 of the cheese's 10
  BOOST_TEST(f.phase() == ReplenishPhase::Idle);
  auto left = move("CHEESE", "96385074", "R-01-01-3", "A-01-05-1", 4);
  left.lot = "L5";
  left.expiry = "2029-01-31";
  f.handle(server(task({left})));
  BOOST_TEST(f.phase() == ReplenishPhase::ScanFrom);
  BOOST_TEST(f.expectation()->quantity == 4);
  f.handle(answer(fx, protocol::AckResult::Applied));
  f.handle(answer(rest, protocol::AckResult::Applied));
  BOOST_TEST(f.state().sent.empty());
}

BOOST_AUTO_TEST_CASE(a_task_arriving_mid_move_keeps_the_move_in_hand) {
  auto f = working();
  f.handle(scan("R-01-01-3"));
  f.handle(scan("96385074"));
  f.handle(number(6));
  f.handle(server(task({move("EGGS", "4006381333931", "R-02-01-3", "A-02-01-1", 3)})));
  BOOST_TEST(f.phase() == ReplenishPhase::ScanTo);
  BOOST_TEST(f.expectation()->text == "A-01-05-1");
  BOOST_TEST(only<protocol::ReplenishConfirm>(f.handle(scan("A-01-05-1"))).qty == 6);
  BOOST_TEST(f.expectation()->text == "R-02-01-3");
}

BOOST_AUTO_TEST_CASE(a_restart_mid_move_resumes_at_the_same_step_and_a_late_refusal_still_counts) {
  auto f = working();
  f.handle(scan("R-01-01-3"));
  f.handle(scan("96385074"));
  f.handle(number(7));
  auto saved = decodeReplenishState(encodeReplenishState(f.state()));
  BOOST_REQUIRE_MESSAGE(saved, (saved ? "" : saved.error().message));
  BOOST_CHECK(*saved == f.state());
  ReplenishFlow again(options());
  BOOST_REQUIRE(again.restore(*saved));
  BOOST_TEST(again.phase() == ReplenishPhase::ScanTo);
  BOOST_TEST(shows(again, "Qty: 7 of 10"));
  auto fx = again.handle(scan("A-01-05-1"));

  saved = decodeReplenishState(encodeReplenishState(again.state()));
  BOOST_REQUIRE(saved);
  ReplenishFlow third(options());
  BOOST_REQUIRE(third.restore(*saved));
  BOOST_REQUIRE_EQUAL(third.state().sent.size(), 1u);
  third.handle(answer(fx, protocol::AckResult::Rejected, "no"));
  BOOST_TEST(third.expectation()->text == "R-01-01-3");

  ReplenishState bad = f.state();
  bad.qty = 11;
  BOOST_TEST(!again.restore(bad));
  bad = f.state();
  bad.moves.clear();
  BOOST_TEST(!again.restore(bad));
}

BOOST_AUTO_TEST_SUITE_END()
