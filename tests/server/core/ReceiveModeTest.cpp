// Receiving at the dock over MQTT against a real wmsd and a real mosquitto:
// a scripted handheld asks for a purchase order's task, receives a case from
// its GS1 label and a whole pallet by its SSCC, each applied once however
// often it is sent; refusals change nothing, and an item the catalogue does
// not know reaches the supervisor although the receipt is refused.
#define BOOST_TEST_MODULE server_receive_mode
#include "FloorFixture.h"

using namespace wms;
using namespace wms::testsupport;
using namespace wms::testsupport::floor;

namespace {

constexpr const char* kPallet = "106141411234567897";

// The floor with a dock, and PO-77 from Acme: 20 cheeses (12 of them on the
// announced pallet), 10 dates of lot L5 expiring 2029-01-31.
std::int64_t dockAndOrder(Floor& f) {
  f.post("/api/v1/import/locations", "code,zone,kind\nDOCK-1,D,dock\n", "text/csv");
  auto created = f.post("/api/v1/inbound/purchase-orders",
                        R"({"reference":"PO-77","supplier":"Acme Foods","lines":[{"sku":"CHEESE","qty":20},)"
                        R"({"sku":"DATES","qty":10,"lot":"L5","expiry":"2029-01-31"}],)"
                        R"("units":[{"sscc":"106141411234567897","contents":[{"line_no":1,"qty":12}]}]})");
  return parse(created.body)->getValue<std::int64_t>("id");
}

std::int64_t atDock(Floor& f, const std::string& sku) {
  return f.sqlInteger("SELECT COALESCE(SUM(qty), 0) FROM stock WHERE sku = '" + sku + "' AND location = 'DOCK-1'");
}

protocol::ReceiveConfirm caseOf(const std::string& barcode, int qty) {
  protocol::ReceiveConfirm c;
  c.po = "PO-77";
  c.barcode = barcode;
  c.qty = qty;
  c.location = "DOCK-1";
  return c;
}

std::string refusal(const std::optional<protocol::Ack>& ack) {
  BOOST_REQUIRE(ack);
  if (ack->result != protocol::AckResult::Rejected || !ack->error) return "";
  return ack->error->message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(receive_mode)

BOOST_AUTO_TEST_CASE(a_dock_worker_receives_a_case_and_a_pallet_each_applied_once) {
  Floor f;
  dockAndOrder(f);
  auto d = f.signedIn(0, "B-1");

  protocol::ReceiveRequest request;
  request.po = "PO-77";
  requireApplied(d->ackFor(d->send(request)), "receive.request");
  auto task = nextOf<protocol::ReceiveTask>(*d);
  BOOST_REQUIRE(task);
  BOOST_TEST(task->supplier == "Acme Foods");
  BOOST_REQUIRE_EQUAL(task->lines.size(), 2u);
  BOOST_TEST(task->lines[0].barcodes.at(0) == "96385074");
  BOOST_TEST(task->lines[0].qty.value_or(0) == 20);
  BOOST_TEST(task->lines[1].lot.value_or("") == "L5");
  BOOST_REQUIRE_EQUAL(task->units.size(), 1u);
  BOOST_TEST(task->units[0] == kPallet);

  // Five cheeses from a case label; the handheld loses the ack and resends.
  auto first = caseOf("96385074", 5);
  const auto id = d->send(first);
  requireApplied(d->ackFor(id), "receive.confirm");
  BOOST_TEST(atDock(f, "CHEESE") == 5);
  auto resend = first;
  resend.eventId = id;
  auto again = d->ackFor(d->send(resend));
  BOOST_REQUIRE(again);
  BOOST_TEST((again->result == protocol::AckResult::Duplicate));
  BOOST_TEST(atDock(f, "CHEESE") == 5);

  // The pallet in one scan; then the dates from a GS1-128 with lot and expiry.
  protocol::ReceiveConfirm pallet;
  pallet.po = "PO-77";
  pallet.sscc = kPallet;
  pallet.location = "DOCK-1";
  requireApplied(d->ackFor(d->send(pallet)), "receive.confirm (pallet)");
  BOOST_TEST(atDock(f, "CHEESE") == 17);
  requireApplied(d->ackFor(d->send(caseOf("DATES", 10))), "receive.confirm (dates)");
  BOOST_TEST(atDock(f, "DATES") == 10);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE cause = 'receipt' AND actor LIKE 'device:" +
                          f.broker.device(0).username + "%'") == 3);
  auto po = parse(f.wmsd.get("/api/v1/inbound/purchase-orders/1").body);
  BOOST_TEST(po->getValue<std::string>("status") == "receiving");
  BOOST_TEST(po->getArray("units")->getObject(0)->getValue<bool>("received"));
}

BOOST_AUTO_TEST_CASE(what_the_order_does_not_expect_is_refused_and_an_unknown_item_reaches_the_supervisor) {
  Floor f;
  dockAndOrder(f);
  f.post("/api/v1/inbound/purchase-orders",
         R"({"reference":"PO-78","supplier":"Borneo Tea","lines":[{"sku":"EGGS","qty":6}],)"
         R"("units":[{"sscc":"106141411234567880","contents":[{"line_no":1,"qty":6}]}]})");
  auto d = f.signedIn(0, "B-1");
  const auto ledgerRows = f.sqlInteger("SELECT COUNT(*) FROM ledger");

  BOOST_TEST(refusal(d->ackFor(d->send(caseOf("4006381333931", 1)))) == "SKU APPLE (scanned 4006381333931) is not on PO-77");
  BOOST_TEST(refusal(d->ackFor(d->send(caseOf("96385074", 23)))).find("over the 10% tolerance") != std::string::npos);
  auto wrongPlace = caseOf("96385074", 1);
  wrongPlace.location = "A-01-05-1";
  BOOST_TEST(refusal(d->ackFor(d->send(wrongPlace))).find("is a pick location") != std::string::npos);
  protocol::ReceiveConfirm strangers;
  strangers.po = "PO-77";
  strangers.sscc = "106141411234567880";
  strangers.location = "DOCK-1";
  BOOST_TEST(refusal(d->ackFor(d->send(strangers))) == "SSCC 106141411234567880 belongs to PO-78, not PO-77");
  protocol::ReceiveRequest nowhere;
  nowhere.po = "PO-404";
  BOOST_TEST(refusal(d->ackFor(d->send(nowhere))) == "no purchase order PO-404");

  // Refused, and yet the supervisor hears of the item nobody knows.
  auto unknown = refusal(d->ackFor(d->send(caseOf("8851234567898", 2))));
  BOOST_TEST(unknown.find("raised for the supervisor") != std::string::npos, unknown);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM exceptions WHERE kind = 'receipt_unknown_item' AND resolved_at = 0") == 1);

  // Damaged: recorded against the supplier, never stock.
  auto damaged = caseOf("96385074", 2);
  damaged.condition = protocol::ItemCondition::Damaged;
  requireApplied(d->ackFor(d->send(damaged)), "receive.confirm (damaged)");
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger") == ledgerRows);
  BOOST_TEST(atDock(f, "CHEESE") == 0);
  BOOST_TEST(f.sqlInteger("SELECT damaged FROM po_lines WHERE po_id = 1 AND line_no = 1") == 2);
}

// What was received is put away from the handheld: the item scanned at the
// dock gets its suggestion (the pick face holding it), the confirmation
// moves it once, and an override without a reason is refused.
BOOST_AUTO_TEST_CASE(a_received_case_is_put_away_from_the_dock_to_its_suggestion_once) {
  Floor f;
  dockAndOrder(f);
  f.post("/api/v1/import/locations", "code,zone,kind\nR-01-01-3,A,reserve\n", "text/csv");
  auto d = f.signedIn(0, "B-1");
  requireApplied(d->ackFor(d->send(caseOf("96385074", 6))), "receive.confirm");

  protocol::PutawayRequest request;
  request.location = "DOCK-1";
  request.barcode = "96385074";
  requireApplied(d->ackFor(d->send(request)), "putaway.request");
  auto task = nextOf<protocol::PutawayTask>(*d);
  BOOST_REQUIRE(task);
  BOOST_TEST(task->sku == "CHEESE");
  BOOST_TEST(task->qty == 6);
  BOOST_TEST(task->to.value_or("") == "A-01-05-1");  // the cheese's pick face
  BOOST_TEST(task->rule == "pick face");

  protocol::PutawayConfirm elsewhere;
  elsewhere.sku = "CHEESE";
  elsewhere.from = "DOCK-1";
  elsewhere.to = "R-01-01-3";
  elsewhere.qty = 6;
  BOOST_TEST(refusal(d->ackFor(d->send(elsewhere))) ==
             "put away to R-01-01-3, not the suggested A-01-05-1: a reason is required");
  const auto face = f.sqlInteger("SELECT qty FROM stock WHERE sku = 'CHEESE' AND location = 'A-01-05-1'");
  auto confirm = elsewhere;
  confirm.to = "A-01-05-1";
  const auto id = d->send(confirm);
  requireApplied(d->ackFor(id), "putaway.confirm");
  auto resend = confirm;
  resend.eventId = id;
  auto again = d->ackFor(d->send(resend));
  BOOST_REQUIRE(again);
  BOOST_TEST((again->result == protocol::AckResult::Duplicate));
  BOOST_TEST(atDock(f, "CHEESE") == 0);
  BOOST_TEST(f.sqlInteger("SELECT qty FROM stock WHERE sku = 'CHEESE' AND location = 'A-01-05-1'") == face + 6);
  BOOST_TEST(parse(f.wmsd.get("/api/v1/inbound/putaway/backlog").body)->getArray("items")->size() == 0u);
  // Nothing of it is left at the dock to put away.
  BOOST_TEST(refusal(d->ackFor(d->send(request))) == "nothing of CHEESE waits at DOCK-1");
}

BOOST_AUTO_TEST_SUITE_END()
