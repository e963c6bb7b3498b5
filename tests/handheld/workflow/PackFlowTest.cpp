// PackFlow step by step: tote or order, verification of every unit,
// cartons, label, shipped quantities, and the server's refusals.
#include <boost/test/unit_test.hpp>

#include "FlowTestSupport.h"
#include "wms/handheld/PackFlow.h"

using namespace wms;
using namespace wms::handheld;
using namespace wms::handheld::test;

namespace {

PackFlow::Options options() {
  PackFlow::Options o;
  o.device = kDevice;
  o.station = "PACK-2";
  o.gs1.referenceYear = 2025;
  return o;
}

// SO-1: 2 x MUG (4006381333931), 1 x VITC (96385074 or INT-V).
protocol::PackTask task(const std::string& device = kDevice) {
  protocol::PackTask t;
  t.device = device;
  t.orderId = "SO-1";
  t.channel = "shopee";
  t.tote = "T-0001";
  t.carton = "M";
  t.lines = {{"L1", "MUG", "Thermal mug", {"4006381333931"}, 2}, {"L2", "VITC", "Vitamin C", {"96385074", "INT-V"}, 1}};
  return t;
}

PackFlow verifying() {
  PackFlow f(options());
  f.handle(scan("T-0001"));
  f.handle(server(task()));
  BOOST_REQUIRE(f.phase() == PackPhase::Verify);
  return f;
}

protocol::LabelReady label() {
  protocol::LabelReady l;
  l.device = kDevice;
  l.orderId = "SO-1";
  l.shipmentId = "SH-9";
  l.carrier = "flash";
  l.tracking = "TH0123";
  l.printer = "ZEBRA-2";
  return l;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pack_flow)

BOOST_AUTO_TEST_CASE(a_tote_scan_asks_for_its_order_and_other_codes_are_order_ids) {
  PackFlow f(options());
  BOOST_TEST(f.screen().prompt == "SCAN TOTE OR ORDER");
  auto fx = f.handle(scan("T-0001"));
  const auto& req = only<protocol::PackRequest>(fx);
  BOOST_TEST(*req.tote == "T-0001");
  BOOST_TEST(!req.orderId);
  BOOST_TEST(*req.station == "PACK-2");
  BOOST_TEST(f.phase() == PackPhase::WaitTask);
  BOOST_TEST(f.busy());
  BOOST_TEST(f.handle(scan("T-0002")).signal == Signal::Bad);
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == PackPhase::ScanStart);
  fx = f.handle(scan("SO-77"));
  BOOST_TEST(*only<protocol::PackRequest>(fx).orderId == "SO-77");
  // A scan that cannot be an id is refused.
  f.handle(key(Key::Escape));
  BOOST_TEST(f.handle(scanAs(BarcodeFormat::QrCode, "two words")).signal == Signal::Bad);
  BOOST_TEST(f.phase() == PackPhase::ScanStart);
}

BOOST_AUTO_TEST_CASE(each_scanned_unit_is_verified_against_the_order) {
  auto f = verifying();
  auto sc = f.screen();
  BOOST_TEST(sc.prompt == "SCAN ITEMS");
  BOOST_TEST(sc.progress == "0/3 units");
  auto e = f.expectation();
  BOOST_REQUIRE(e);
  BOOST_TEST(e->text == "4006381333931");
  auto fx = f.handle(scan("4006381333931"));
  BOOST_CHECK(fx.signal == Signal::Good);
  BOOST_TEST(f.screen().message == "MUG: 1 of 2");
  // An item that is not in the order.
  fx = f.handle(scan("036000291452"));
  BOOST_CHECK(fx.signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "wrong item: 036000291452 is not in order SO-1");
  // A location label is the wrong kind of barcode altogether.
  f.handle(scanAs(BarcodeFormat::QrCode, "A-01-01-1"));
  BOOST_TEST(f.screen().error.find("where an item barcode is expected") != std::string::npos, f.screen().error);
  f.handle(scan("4006381333931"));
  // Over-scan: the line is complete.
  fx = f.handle(scan("4006381333931"));
  BOOST_CHECK(fx.signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "over-scan: MUG already has 2 of 2; take that one out");
  BOOST_TEST(f.state().packed == std::vector<int>({2, 0}));
  f.handle(scan("INT-V"));
  BOOST_TEST(f.screen().prompt == "CLOSE CARTON");
  BOOST_TEST(f.screen().message == "every item scanned: close the carton (C)");
}

BOOST_AUTO_TEST_CASE(closing_cartons_packs_the_order_and_sends_pack_confirm) {
  auto f = verifying();
  BOOST_TEST(f.handle(key(Key::CloseCarton)).signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "the carton is empty: scan items into it first");
  f.handle(scan("4006381333931"));
  auto fx = f.handle(key(Key::CloseCarton));
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.screen().message == "carton 1 closed; scan the rest into carton 2");
  f.handle(scan("4006381333931"));
  f.handle(scan("96385074"));
  BOOST_TEST(f.handle(key(Key::Label)).signal == Signal::Bad);
  fx = f.handle(key(Key::Enter));  // Enter closes the last carton when all is scanned
  const auto& pc = only<protocol::PackConfirm>(fx);
  BOOST_TEST(pc.orderId == "SO-1");
  BOOST_REQUIRE_EQUAL(pc.cartons.size(), 2u);
  BOOST_TEST(pc.cartons[0].cartonId == "SO-1-C1");
  BOOST_TEST(pc.cartons[0].cartonType == "M");
  BOOST_CHECK(pc.cartons[0].items == std::vector<protocol::PackItem>({{"MUG", 1}}));
  BOOST_TEST(pc.cartons[1].cartonId == "SO-1-C2");
  BOOST_CHECK(pc.cartons[1].items == std::vector<protocol::PackItem>({{"MUG", 1}, {"VITC", 1}}));
  BOOST_TEST(f.phase() == PackPhase::Label);
}

BOOST_AUTO_TEST_CASE(undo_takes_the_last_unit_out_of_the_open_carton) {
  auto f = verifying();
  BOOST_TEST(f.handle(key(Key::Undo)).signal == Signal::Bad);
  f.handle(scan("4006381333931"));
  f.handle(scan("96385074"));
  f.handle(key(Key::Undo));
  BOOST_TEST(f.state().packed == std::vector<int>({1, 0}));
  BOOST_TEST(f.screen().message == "took one VITC out");
  f.handle(key(Key::CloseCarton));
  BOOST_TEST(f.handle(key(Key::Undo)).signal == Signal::Bad);  // closed cartons stay closed
}

BOOST_AUTO_TEST_CASE(label_then_shipped_quantities_finish_the_order) {
  auto f = verifying();
  f.handle(scan("4006381333931"));
  f.handle(scan("4006381333931"));
  f.handle(scan("96385074"));
  f.handle(key(Key::CloseCarton));
  auto fx = f.handle(key(Key::Label));
  BOOST_TEST(only<protocol::LabelRequest>(fx).orderId == "SO-1");
  BOOST_TEST(f.phase() == PackPhase::WaitLabel);
  BOOST_TEST(f.handle(key(Key::Enter)).signal == Signal::Bad);
  auto other = label();
  other.orderId = "SO-2";
  BOOST_TEST(logged(f.handle(server(other)), "ignored label.ready"));
  fx = f.handle(server(label()));
  BOOST_CHECK(fx.signal == Signal::Good);
  BOOST_TEST(f.phase() == PackPhase::Ship);
  auto sc = f.screen();
  BOOST_TEST(sc.prompt == "CONFIRM SHIPPED");
  BOOST_TEST(sc.fields.at(2).value == "TH0123");
  // L reprints.
  BOOST_TEST(only<protocol::LabelRequest>(f.handle(key(Key::Label))).orderId == "SO-1");
  BOOST_TEST(f.phase() == PackPhase::Ship);
  fx = f.handle(key(Key::Enter));
  const auto& ship = only<protocol::ShipConfirm>(fx);
  BOOST_TEST(ship.shipmentId == "SH-9");
  BOOST_CHECK(ship.cartons == std::vector<std::string>({"SO-1-C1"}));
  BOOST_REQUIRE_EQUAL(ship.lines.size(), 2u);
  BOOST_TEST(ship.lines[0].lineId == "L1");
  BOOST_TEST(ship.lines[0].qty == 2);
  BOOST_TEST(ship.lines[1].qty == 1);
  BOOST_TEST(f.phase() == PackPhase::Done);
  BOOST_TEST(!f.busy());
  BOOST_TEST(f.screen().fields.at(0).value == "order SO-1 shipped: 1 carton(s), flash TH0123");
  // The next tote starts the next order.
  BOOST_TEST(*only<protocol::PackRequest>(f.handle(scan("T-0002"))).tote == "T-0002");
}

BOOST_AUTO_TEST_CASE(refusals_go_back_retry_or_end_the_order_as_each_needs) {
  PackFlow f(options());
  auto fx = f.handle(scan("T-0001"));
  auto req = fx.events.at(0);
  fx = f.handle(outcome(req, protocol::AckResult::Rejected, makeError(ErrorKind::Conflict, "order 42 is not picked yet")));
  BOOST_CHECK(fx.signal == Signal::Bad);
  BOOST_TEST(f.phase() == PackPhase::ScanStart);
  BOOST_TEST(f.screen().error == "T-0001: order 42 is not picked yet");

  f = verifying();
  f.handle(scan("4006381333931"));
  f.handle(scan("4006381333931"));
  f.handle(scan("96385074"));
  auto packed = f.handle(key(Key::CloseCarton)).events.at(0);
  auto labelReq = f.handle(key(Key::Label)).events.at(0);
  f.handle(outcome(labelReq, protocol::AckResult::Rejected, makeError(ErrorKind::Unavailable, "printer offline")));
  BOOST_TEST(f.phase() == PackPhase::Label);
  BOOST_TEST(f.screen().error == "no label for order SO-1: printer offline; L tries again");
  f.handle(outcome(packed, protocol::AckResult::Rejected, makeError(ErrorKind::Invalid, "MUG: 3 packed, 2 picked")));
  BOOST_TEST(f.phase() == PackPhase::Done);
  BOOST_TEST(f.screen().error == "order SO-1 refused: MUG: 3 packed, 2 picked; tell your supervisor");
}

BOOST_AUTO_TEST_CASE(escape_twice_abandons_an_order_being_verified) {
  auto f = verifying();
  f.handle(scan("4006381333931"));
  auto fx = f.handle(key(Key::Escape));
  BOOST_CHECK(fx.signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "press Esc again to abandon order SO-1");
  f.handle(scan("4006381333931"));  // anything else disarms it
  f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == PackPhase::Verify);
  fx = f.handle(key(Key::Escape));
  BOOST_TEST(f.phase() == PackPhase::ScanStart);
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.screen().message == "order SO-1 abandoned: put its items back in the tote");
}

BOOST_AUTO_TEST_CASE(s_twice_reports_the_units_not_scanned_as_missing_and_ends_the_order) {
  auto f = verifying();
  // Outside verification there is nothing to be short of.
  PackFlow idle(options());
  BOOST_CHECK(idle.handle(key(Key::Short)).signal == Signal::Bad);
  BOOST_TEST(idle.screen().error == "nothing is being packed to be short");

  f.handle(scan("4006381333931"));
  auto fx = f.handle(key(Key::Short));
  BOOST_CHECK(fx.signal == Signal::Bad);
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.screen().error == "press S again to report the 2 units not scanned as missing; the order is held for the supervisor");
  f.handle(scan("4006381333931"));  // anything else disarms it
  BOOST_TEST(f.handle(key(Key::Short)).events.empty());
  fx = f.handle(key(Key::Short));
  const auto& report = only<protocol::PackShort>(fx);
  BOOST_TEST(report.orderId == "SO-1");
  BOOST_REQUIRE_EQUAL(report.lines.size(), 1u);
  BOOST_TEST(report.lines[0].lineId == "L2");
  BOOST_TEST(report.lines[0].sku == "VITC");
  BOOST_TEST(report.lines[0].qty == 1);
  BOOST_CHECK(report.lines[0].reason == protocol::PackShortReason::Missing);
  BOOST_TEST(f.phase() == PackPhase::Done);
  BOOST_TEST(f.state().result == "order SO-1 reported short (1 unit): held for the supervisor; put it on the problem shelf");

  // Refused by the server: the order ends with the reason for the supervisor.
  f.handle(outcome(report, protocol::AckResult::Rejected, makeError(ErrorKind::Conflict, "order 1 is held")));
  BOOST_TEST(f.screen().error == "order SO-1 refused: order 1 is held; tell your supervisor");
}

BOOST_AUTO_TEST_CASE(pack_tasks_for_another_device_or_when_none_is_awaited_are_ignored) {
  PackFlow f(options());
  BOOST_TEST(logged(f.handle(server(task())), "not waiting for one"));
  f.handle(scan("T-0001"));
  BOOST_TEST(logged(f.handle(server(task("PK-99"))), "for device PK-99"));
  BOOST_TEST(f.phase() == PackPhase::WaitTask);
  BOOST_TEST(logged(f.handle(server(batch())), "pack mode"));
  BOOST_TEST(f.handle(key(Key::Short)).signal == Signal::Bad);
  BOOST_TEST(f.handle(number(2)).signal == Signal::Bad);
}

BOOST_AUTO_TEST_CASE(a_saved_state_comes_back_and_inconsistent_ones_are_refused) {
  auto f = verifying();
  f.handle(scan("4006381333931"));
  PackFlow g(options());
  BOOST_TEST(static_cast<bool>(g.restore(f.state())));
  BOOST_TEST(g.phase() == PackPhase::Verify);
  BOOST_TEST(g.state().packed == std::vector<int>({1, 0}));
  auto bad = f.state();
  bad.packed = {3, 0};
  BOOST_TEST(!static_cast<bool>(g.restore(bad)));
  bad = f.state();
  bad.openScans = {1};
  BOOST_TEST(!static_cast<bool>(g.restore(bad)));
  bad = f.state();
  bad.task.reset();
  BOOST_TEST(!static_cast<bool>(g.restore(bad)));
  bad = f.state();
  bad.phase = PackPhase::Ship;
  BOOST_TEST(!static_cast<bool>(g.restore(bad)));
}

BOOST_AUTO_TEST_SUITE_END()
