// ReceiveFlow step by step: the dock, the order's task, cases from GS1
// labels and SKU codes, pallets by SSCC, damaged cases, blind receiving,
// the refusals made on the device and those of the server, offline work and
// a restart in the middle of an order.
#include <boost/test/unit_test.hpp>

#include "FlowTestSupport.h"
#include "wms/handheld/FlowState.h"
#include "wms/handheld/ReceiveFlow.h"

using namespace wms;
using namespace wms::handheld;
using namespace wms::handheld::test;

namespace {

constexpr const char* kPallet = "106141411234567897";
// CHEESE's GTIN with lot L5 and expiry 2029-01-31, as a GS1-128 scan.
constexpr const char* kCheeseLabel = "]C1010000009638507410L5\x1d" "17290131";

ReceiveFlow::Options options(std::optional<std::string> dock = "DOCK-1") {
  ReceiveFlow::Options o;
  o.device = kDevice;
  o.dock = std::move(dock);
  o.gs1.referenceYear = 2025;
  return o;
}

// PO-1 from Acme: line 1, 20 CHEESE (96385074); line 2, 10 DATES (its SKU
// code only), 4 received, lot L5; the pallet kPallet still to come.
protocol::ReceiveTask task(bool blind = false) {
  protocol::ReceiveTask t;
  t.device = kDevice;
  t.po = "PO-1";
  t.supplier = "Acme Foods";
  t.lines = {{"1", "CHEESE", "Cheese", {"96385074"}, 20, 0, std::nullopt, std::nullopt},
             {"2", "DATES", "Dates", {"DATES"}, 10, 4, "L5", "2029-01-31"}};
  if (blind)
    for (auto& l : t.lines) l.qty.reset();
  t.units = {kPallet};
  return t;
}

ReceiveFlow receiving(bool blind = false) {
  ReceiveFlow f(options());
  f.handle(scan("PO-1"));
  f.handle(server(task(blind)));
  BOOST_REQUIRE_EQUAL(f.phase(), ReceivePhase::Receive);
  return f;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(receive_flow)

BOOST_AUTO_TEST_CASE(a_configured_dock_goes_straight_to_the_order_and_its_task_shows_supplier_and_lines) {
  ReceiveFlow f(options());
  BOOST_TEST(f.screen().prompt == "SCAN ORDER");
  auto fx = f.handle(scan("PO-1"));
  BOOST_TEST(only<protocol::ReceiveRequest>(fx).po == "PO-1");
  BOOST_TEST(f.phase() == ReceivePhase::WaitTask);
  BOOST_TEST(f.busy());
  // A task for another device or another order is not this one.
  auto other = task();
  other.device = "HH-99";
  f.handle(server(other));
  other = task();
  other.po = "PO-2";
  f.handle(server(other));
  BOOST_TEST(f.phase() == ReceivePhase::WaitTask);
  fx = f.handle(server(task()));
  BOOST_TEST(fx.signal == Signal::Good);
  BOOST_TEST(f.screen().prompt == "SCAN CASE OR SSCC");
  BOOST_TEST(shows(f, "PO-1 Acme Foods"));
  BOOST_TEST(shows(f, "CHEESE: 0/20"));
  BOOST_TEST(shows(f, "DATES: 4/10"));
  BOOST_TEST(shows(f, "SSCCs: 1 to come"));
  auto step = f.expectation();
  BOOST_REQUIRE(step);
  BOOST_TEST(step->text == "96385074");
  BOOST_TEST(step->quantity == 20);
}

BOOST_AUTO_TEST_CASE(without_a_configured_dock_the_dock_is_scanned_first_and_esc_changes_it) {
  ReceiveFlow f(options(std::nullopt));
  BOOST_TEST(f.screen().prompt == "SCAN DOCK");
  BOOST_TEST(f.handle(scanAs(BarcodeFormat::QrCode, "two words")).signal == Signal::Bad);
  f.handle(scan("STAGE-2"));
  BOOST_TEST(f.phase() == ReceivePhase::ScanOrder);
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == ReceivePhase::ScanDock);
  f.handle(scan("DOCK-3"));
  f.handle(scan("PO-1"));
  f.handle(server(task()));
  f.handle(scan("96385074"));
  BOOST_TEST(only<protocol::ReceiveConfirm>(f.handle(number(2))).location == "DOCK-3");
}

BOOST_AUTO_TEST_CASE(a_case_from_a_gs1_label_is_sent_as_scanned_with_its_quantity_and_counts_when_applied) {
  auto f = receiving();
  auto fx = f.handle(scan(kCheeseLabel));
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.phase() == ReceivePhase::Quantity);
  BOOST_TEST(f.wantsNumber());
  BOOST_TEST(f.screen().prompt == "TYPE QTY");
  fx = f.handle(number(6));
  const auto& c = only<protocol::ReceiveConfirm>(fx);
  BOOST_TEST(c.po == "PO-1");
  BOOST_TEST(c.barcode.value_or("") == "(01)00000096385074(10)L5(17)290131");
  BOOST_TEST(!c.sscc);
  BOOST_TEST(c.qty.value_or(0) == 6);
  BOOST_TEST(c.location == "DOCK-1");
  BOOST_TEST((c.condition == protocol::ItemCondition::Good));
  BOOST_TEST(f.phase() == ReceivePhase::Receive);
  // Shown at once, received only when the server applies it.
  BOOST_TEST(shows(f, "CHEESE: 6/20"));
  BOOST_TEST(f.pendingUnits(0) == 6);
  BOOST_TEST(f.state().task->lines[0].received == 0);
  f.handle(answer(fx, protocol::AckResult::Applied));
  BOOST_TEST(f.pendingUnits(0) == 0);
  BOOST_TEST(f.state().task->lines[0].received == 6);
  BOOST_TEST(shows(f, "CHEESE: 6/20"));
  // The SKU's own code matches too; a duplicate ack counts like an applied one.
  f.handle(scan("DATES"));
  fx = f.handle(number(3));
  BOOST_TEST(only<protocol::ReceiveConfirm>(fx).barcode.value_or("") == "DATES");
  f.handle(answer(fx, protocol::AckResult::Duplicate));
  BOOST_TEST(f.state().task->lines[1].received == 7);
}

BOOST_AUTO_TEST_CASE(a_pallet_scanned_by_its_sscc_leaves_the_list_and_comes_back_when_refused) {
  auto f = receiving();
  auto fx = f.handle(scan(std::string("]C100") + kPallet));
  const auto& c = only<protocol::ReceiveConfirm>(fx);
  BOOST_TEST(c.sscc.value_or("") == kPallet);
  BOOST_TEST(!c.barcode);
  BOOST_TEST(!c.qty);
  BOOST_TEST(f.state().task->units.empty());
  BOOST_TEST(!shows(f, "SSCCs"));
  // Scanned again before the answer: not on the list any more.
  BOOST_TEST(f.handle(scan(kPallet)).signal == Signal::Bad);
  f.handle(answer(fx, protocol::AckResult::Rejected, "SSCC 106141411234567897 belongs to PO-9, not PO-1"));
  BOOST_TEST(f.state().task->units == std::vector<std::string>{kPallet});
  BOOST_TEST(f.screen().error.find("belongs to PO-9") != std::string::npos);
  // 18 bare digits are an SSCC too.
  BOOST_TEST(only<protocol::ReceiveConfirm>(f.handle(scan(kPallet))).sscc.value_or("") == kPallet);
}

BOOST_AUTO_TEST_CASE(the_damaged_key_sets_the_case_aside_and_it_never_counts_as_received) {
  auto f = receiving();
  BOOST_TEST(f.handle(key(Key::Damaged)).signal == Signal::Bad);  // nothing scanned yet
  f.handle(scan("96385074"));
  f.handle(key(Key::Damaged));
  BOOST_TEST(f.screen().prompt == "QTY DAMAGED");
  auto fx = f.handle(number(2));
  BOOST_TEST((only<protocol::ReceiveConfirm>(fx).condition == protocol::ItemCondition::Damaged));
  BOOST_TEST(shows(f, "CHEESE: 0/20"));
  f.handle(answer(fx, protocol::AckResult::Applied));
  BOOST_TEST(f.state().task->lines[0].received == 0);
  BOOST_TEST(f.state().damaged[0] == 2);
  BOOST_TEST(shows(f, "CHEESE: 0/20 +2 dmg"));
  // D twice is not damaged after all.
  f.handle(scan("96385074"));
  f.handle(key(Key::Damaged));
  f.handle(key(Key::Damaged));
  BOOST_TEST((only<protocol::ReceiveConfirm>(f.handle(number(1))).condition == protocol::ItemCondition::Good));
}

BOOST_AUTO_TEST_CASE(an_item_not_on_the_order_a_bad_quantity_and_an_unknown_sscc_are_refused_on_the_device) {
  auto f = receiving();
  auto fx = f.handle(scan("4006381333931"));
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(fx.signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "4006381333931 is not on order PO-1: set the case aside");
  BOOST_TEST(f.phase() == ReceivePhase::Receive);
  fx = f.handle(scan("106141411234567880"));  // an SSCC of no notice of this order
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.screen().error.find("SSCC 106141411234567880 is not one order PO-1 waits for") == 0u);
  f.handle(scan("96385074"));
  fx = f.handle(number(0));
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(fx.signal == Signal::Bad);
  BOOST_TEST(f.handle(number(10001)).events.empty());
  BOOST_TEST(f.screen().error.find("more than one scan may receive") != std::string::npos);
  BOOST_TEST(f.phase() == ReceivePhase::Quantity);
  // Enter without a quantity is not one; Esc drops the case.
  BOOST_TEST(f.handle(key(Key::Enter)).signal == Signal::Bad);
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == ReceivePhase::Receive);
  BOOST_TEST(f.handle(number(3)).signal == Signal::Bad);  // no case scanned
}

BOOST_AUTO_TEST_CASE(a_case_the_server_refuses_takes_its_count_back_and_shows_why) {
  auto f = receiving();
  f.handle(scan("96385074"));
  auto fx = f.handle(number(23));
  BOOST_TEST(shows(f, "CHEESE: 23/20"));
  auto back = f.handle(answer(fx, protocol::AckResult::Rejected, "23 of CHEESE is over the 10% tolerance of PO-1 line 1"));
  BOOST_TEST(back.signal == Signal::Bad);
  BOOST_TEST(back.stateChanged);
  BOOST_TEST(shows(f, "CHEESE: 0/20"));
  BOOST_TEST(f.screen().error.find("over the 10% tolerance") != std::string::npos);
  BOOST_TEST(f.state().pending.empty());
}

BOOST_AUTO_TEST_CASE(receiving_blind_shows_what_was_received_only) {
  auto f = receiving(true);
  BOOST_TEST(shows(f, "CHEESE: 0\n"));
  BOOST_TEST(shows(f, "DATES: 4\n"));
  BOOST_TEST(!shows(f, "/20"));
  auto step = f.expectation();
  BOOST_REQUIRE(step);
  BOOST_TEST(step->quantity == 1);
  f.handle(scan("96385074"));
  auto fx = f.handle(number(500));
  f.handle(answer(fx, protocol::AckResult::Applied));
  BOOST_TEST(shows(f, "CHEESE: 500\n"));
}

BOOST_AUTO_TEST_CASE(enter_ends_the_order_and_a_refused_request_goes_back_to_the_order_prompt) {
  auto f = receiving();
  f.handle(key(Key::Enter));
  BOOST_TEST(f.phase() == ReceivePhase::ScanOrder);
  BOOST_TEST(!f.busy());
  BOOST_TEST(shows(f, "order PO-1 done"));
  auto fx = f.handle(scan("PO-404"));
  f.handle(answer(fx, protocol::AckResult::Rejected, "no purchase order PO-404"));
  BOOST_TEST(f.phase() == ReceivePhase::ScanOrder);
  BOOST_TEST(f.screen().error == "PO-404: no purchase order PO-404");
  f.handle(scan("PO-5"));
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == ReceivePhase::ScanOrder);
}

// No answer comes (the handheld is offline): the worker goes on, every
// receipt waits as pending, and all of it survives a restart; the answers
// that come after it count as they would have.
BOOST_AUTO_TEST_CASE(offline_receipts_stay_pending_and_a_restart_resumes_the_order_where_it_was) {
  auto f = receiving();
  f.handle(scan("96385074"));
  auto first = f.handle(number(5));
  auto pallet = f.handle(scan(kPallet));
  f.handle(scan("DATES"));
  BOOST_REQUIRE_EQUAL(f.phase(), ReceivePhase::Quantity);
  BOOST_TEST(f.state().pending.size() == 2u);

  auto saved = decodeReceiveState(encodeReceiveState(f.state()));
  BOOST_REQUIRE_MESSAGE(saved, (saved ? "" : saved.error().message));
  BOOST_CHECK(*saved == f.state());
  ReceiveFlow again(options());
  BOOST_REQUIRE(again.restore(*saved));
  BOOST_TEST(again.phase() == ReceivePhase::Quantity);
  BOOST_TEST(shows(again, "CHEESE: 5/20"));
  BOOST_TEST(only<protocol::ReceiveConfirm>(again.handle(number(2))).barcode.value_or("") == "DATES");
  again.handle(answer(first, protocol::AckResult::Applied));
  again.handle(answer(pallet, protocol::AckResult::Applied));
  BOOST_TEST(again.state().task->lines[0].received == 5);
  BOOST_TEST(again.state().pending.size() == 1u);
  BOOST_TEST(again.state().task->units.empty());
}

BOOST_AUTO_TEST_CASE(an_inconsistent_saved_state_is_refused_and_changes_nothing) {
  auto f = receiving();
  ReceiveState s = f.state();
  s.task.reset();
  BOOST_TEST(!f.restore(s));
  s = f.state();
  s.damaged.push_back(0);
  BOOST_TEST(!f.restore(s));
  s = f.state();
  s.pending.push_back({"PO-1", 7, "96385074", 1, false});
  BOOST_TEST(!f.restore(s));
  s = f.state();
  s.phase = ReceivePhase::Quantity;
  BOOST_TEST(!f.restore(s));  // no scanned case
  s = f.state();
  s.dock.clear();
  BOOST_TEST(!f.restore(s));
  BOOST_TEST(f.phase() == ReceivePhase::Receive);
  BOOST_TEST(static_cast<bool>(f.restore(f.state())));
}

BOOST_AUTO_TEST_SUITE_END()
