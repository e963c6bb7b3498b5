// PutawayFlow step by step: the dock, the item's task, the destination
// (the suggestion, another location with a reason, no suggestion at all),
// the quantity, the server's refusals and a restart in the middle.
#include <boost/test/unit_test.hpp>

#include "FlowTestSupport.h"
#include "wms/handheld/FlowState.h"
#include "wms/handheld/PutawayFlow.h"

using namespace wms;
using namespace wms::handheld;
using namespace wms::handheld::test;

namespace {

PutawayFlow::Options options(std::optional<std::string> dock = "DOCK-1") {
  PutawayFlow::Options o;
  o.device = kDevice;
  o.dock = std::move(dock);
  o.gs1.referenceYear = 2025;
  return o;
}

// 6 CHEESE of lot L5 wait at DOCK-1; the suggestion is its pick face.
protocol::PutawayTask task(std::optional<std::string> to = "A-01-05-1") {
  protocol::PutawayTask t;
  t.device = kDevice;
  t.sku = "CHEESE";
  t.description = "Cheese";
  t.barcodes = {"96385074"};
  t.from = "DOCK-1";
  t.lot = "L5";
  t.expiry = "2029-01-31";
  t.qty = 6;
  t.to = std::move(to);
  t.rule = t.to ? "pick face" : "no location has room for 6";
  return t;
}

PutawayFlow atDestination(std::optional<std::string> to = "A-01-05-1") {
  PutawayFlow f(options());
  f.handle(scan("96385074"));
  f.handle(server(task(std::move(to))));
  BOOST_REQUIRE_EQUAL(f.phase(), PutawayPhase::ScanTo);
  return f;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(putaway_flow)

BOOST_AUTO_TEST_CASE(an_item_scanned_at_the_dock_asks_where_it_goes_and_the_task_shows_the_suggestion) {
  PutawayFlow f(options());
  BOOST_TEST(f.screen().prompt == "SCAN ITEM");
  auto fx = f.handle(scan("]C1010000009638507410L5"));
  const auto& req = only<protocol::PutawayRequest>(fx);
  BOOST_TEST(req.location == "DOCK-1");
  BOOST_TEST(req.barcode == "(01)00000096385074(10)L5");
  BOOST_TEST(f.phase() == PutawayPhase::WaitTask);
  auto other = task();
  other.device = "HH-99";
  f.handle(server(other));
  BOOST_TEST(f.phase() == PutawayPhase::WaitTask);
  f.handle(server(task()));
  BOOST_TEST(f.screen().prompt == "SCAN DESTINATION");
  BOOST_TEST(shows(f, "Item: CHEESE Cheese"));
  BOOST_TEST(shows(f, "Qty: 6 at DOCK-1"));
  BOOST_TEST(shows(f, "To: A-01-05-1"));
  BOOST_TEST(shows(f, "Rule: pick face"));
  auto step = f.expectation();
  BOOST_REQUIRE(step);
  BOOST_TEST(step->text == "A-01-05-1");
  BOOST_TEST(step->quantity == 6);
}

BOOST_AUTO_TEST_CASE(without_a_configured_dock_the_location_is_scanned_first) {
  PutawayFlow f(options(std::nullopt));
  BOOST_TEST(f.screen().prompt == "SCAN DOCK");
  f.handle(scan("STAGE-2"));
  BOOST_TEST(only<protocol::PutawayRequest>(f.handle(scan("96385074"))).location == "STAGE-2");
}

BOOST_AUTO_TEST_CASE(to_the_suggestion_enter_puts_all_of_it_away_without_a_reason) {
  auto f = atDestination();
  f.handle(scan("A-01-05-1"));
  BOOST_TEST(f.phase() == PutawayPhase::Quantity);
  BOOST_TEST(f.wantsNumber());
  auto fx = f.handle(key(Key::Enter));
  const auto& c = only<protocol::PutawayConfirm>(fx);
  BOOST_TEST(c.sku == "CHEESE");
  BOOST_TEST(c.from == "DOCK-1");
  BOOST_TEST(c.to == "A-01-05-1");
  BOOST_TEST(c.qty == 6);
  BOOST_TEST(c.lot.value_or("") == "L5");
  BOOST_TEST(c.expiry.value_or("") == "2029-01-31");
  BOOST_TEST(!c.reason);
  BOOST_TEST(f.phase() == PutawayPhase::ScanItem);
  BOOST_TEST(!f.busy());
  BOOST_TEST(shows(f, "6 units of CHEESE to A-01-05-1"));
  f.handle(answer(fx, protocol::AckResult::Applied));
  BOOST_TEST(!f.state().lastSent);
}

BOOST_AUTO_TEST_CASE(another_location_needs_a_reason_from_the_menu_or_typed) {
  auto f = atDestination();
  f.handle(scan("R-01-01-3"));
  BOOST_TEST(f.phase() == PutawayPhase::Reason);
  BOOST_TEST(f.screen().prompt == "WHY NOT SUGGESTION");
  BOOST_TEST(f.handle(number(7)).signal == Signal::Bad);
  BOOST_TEST(f.handle(scan("R-01-01-4")).signal == Signal::Bad);  // a scan is not a reason
  f.handle(number(2));
  BOOST_TEST(f.phase() == PutawayPhase::Quantity);
  auto c = only<protocol::PutawayConfirm>(f.handle(number(4)));
  BOOST_TEST(c.to == "R-01-01-3");
  BOOST_TEST(c.qty == 4);
  BOOST_TEST(c.reason.value_or("") == "suggestion blocked");

  f = atDestination();
  f.handle(scan("R-01-01-3"));
  f.handle(typedCode("pallet in the aisle"));
  BOOST_TEST(only<protocol::PutawayConfirm>(f.handle(key(Key::Enter))).reason.value_or("") == "pallet in the aisle");
}

BOOST_AUTO_TEST_CASE(with_no_suggestion_any_location_takes_it_with_a_reason) {
  auto f = atDestination(std::nullopt);
  BOOST_TEST(shows(f, "To: (none)"));
  BOOST_TEST(!f.expectation());
  f.handle(scan("R-02-01-1"));
  BOOST_TEST(f.phase() == PutawayPhase::Reason);
  f.handle(number(1));
  auto c = only<protocol::PutawayConfirm>(f.handle(key(Key::Enter)));
  BOOST_TEST(c.to == "R-02-01-1");
  BOOST_TEST(c.reason.value_or("") == "suggestion full");
}

BOOST_AUTO_TEST_CASE(a_bad_quantity_and_the_dock_itself_are_refused_on_the_device) {
  auto f = atDestination();
  BOOST_TEST(f.handle(scan("DOCK-1")).signal == Signal::Bad);
  f.handle(scan("A-01-05-1"));
  auto fx = f.handle(number(0));
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(fx.signal == Signal::Bad);
  fx = f.handle(number(7));
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.screen().error == "only 6 units of CHEESE wait at DOCK-1");
  // Esc goes back a step at a time.
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == PutawayPhase::ScanTo);
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == PutawayPhase::ScanItem);
}

BOOST_AUTO_TEST_CASE(a_refused_confirmation_brings_the_task_back_at_the_destination_with_the_message) {
  auto f = atDestination();
  f.handle(scan("R-01-01-3"));
  f.handle(number(3));
  auto fx = f.handle(key(Key::Enter));
  BOOST_TEST(f.phase() == PutawayPhase::ScanItem);
  auto back = f.handle(answer(fx, protocol::AckResult::Rejected, "R-01-01-3 holds another SKU"));
  BOOST_TEST(back.signal == Signal::Bad);
  BOOST_TEST(f.phase() == PutawayPhase::ScanTo);
  BOOST_TEST(f.screen().error == "put-away of CHEESE to R-01-01-3 refused: R-01-01-3 holds another SKU");
  f.handle(scan("A-01-05-1"));
  BOOST_TEST(only<protocol::PutawayConfirm>(f.handle(key(Key::Enter))).to == "A-01-05-1");
}

BOOST_AUTO_TEST_CASE(a_refused_request_goes_back_to_the_item_prompt) {
  PutawayFlow f(options());
  auto fx = f.handle(scan("96385074"));
  f.handle(answer(fx, protocol::AckResult::Rejected, "nothing of CHEESE waits at DOCK-1"));
  BOOST_TEST(f.phase() == PutawayPhase::ScanItem);
  BOOST_TEST(f.screen().error == "nothing of CHEESE waits at DOCK-1");
}

BOOST_AUTO_TEST_CASE(a_restart_mid_task_resumes_at_the_same_step_and_a_late_refusal_still_counts) {
  auto f = atDestination();
  f.handle(scan("R-01-01-3"));
  f.handle(number(2));
  auto saved = decodePutawayState(encodePutawayState(f.state()));
  BOOST_REQUIRE_MESSAGE(saved, (saved ? "" : saved.error().message));
  BOOST_CHECK(*saved == f.state());
  PutawayFlow again(options());
  BOOST_REQUIRE(again.restore(*saved));
  BOOST_TEST(again.phase() == PutawayPhase::Quantity);
  BOOST_TEST(shows(again, "Reason: suggestion blocked"));
  auto fx = again.handle(key(Key::Enter));

  // Offline: the confirmation waits unanswered across another restart.
  saved = decodePutawayState(encodePutawayState(again.state()));
  BOOST_REQUIRE(saved);
  PutawayFlow third(options());
  BOOST_REQUIRE(third.restore(*saved));
  BOOST_REQUIRE(third.state().lastSent);
  third.handle(answer(fx, protocol::AckResult::Rejected, "no room"));
  BOOST_TEST(third.phase() == PutawayPhase::ScanTo);

  PutawayState bad = f.state();
  bad.task.reset();
  BOOST_TEST(!again.restore(bad));
  bad = f.state();
  bad.reason.clear();  // another location without a reason
  BOOST_TEST(!again.restore(bad));
}

BOOST_AUTO_TEST_SUITE_END()
