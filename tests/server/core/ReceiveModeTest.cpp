// Receiving at the dock over MQTT against a real wmsd and a real mosquitto:
// a scripted handheld asks for a purchase order's task, receives a case from
// its GS1 label and a whole pallet by its SSCC, each applied once however
// often it is sent; refusals change nothing, and an item the catalogue does
// not know reaches the supervisor although the receipt is refused. Then the
// real wms-handheld in receive and put-away mode does the same from its
// screens, online and through a broker outage.
#define BOOST_TEST_MODULE server_receive_mode
#include "FloorFixture.h"
#include "RealHandheld.h"

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

// PO-77, a reserve location R-01-01-3, and 6 cheeses of PO-77 received at
// DOCK-1 by a scripted handheld on device 0 (signed in as B-1), returned.
std::unique_ptr<ScriptedDevice> sixCheesesAtTheDock(Floor& f) {
  dockAndOrder(f);
  f.post("/api/v1/import/locations", "code,zone,kind\nR-01-01-3,A,reserve\n", "text/csv");
  auto d = f.signedIn(0, "B-1");
  requireApplied(d->ackFor(d->send(caseOf("96385074", 6))), "receive.confirm");
  return d;
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
  auto d = sixCheesesAtTheDock(f);

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

// Two workers are told the same empty reserve shelf; the first goes
// elsewhere (with a reason), which makes that shelf the new suggestion. The
// second still goes where it was told: no reason is asked of it, and the
// put-away records what it was told.
BOOST_AUTO_TEST_CASE(a_worker_who_goes_where_it_was_told_needs_no_reason_when_the_suggestion_moved_since) {
  Floor f;
  dockAndOrder(f);
  f.post("/api/v1/import/locations", "code,zone,kind\nR-01-01-3,A,reserve\nR-01-02-3,A,reserve\n", "text/csv");
  BOOST_REQUIRE_EQUAL(httpRequest(f.wmsd.port(), "PUT", "/api/v1/inbound/locations/A-01-05-1/capacity",
                                  R"({"max_units":20})", {{"Content-Type", "application/json"}})
                          .status,
                      200);  // the cheese face is full
  auto first = f.signedIn(0, "B-1");
  auto second = f.signedIn(1, "B-2");
  requireApplied(first->ackFor(first->send(caseOf("96385074", 12))), "receive.confirm");

  protocol::PutawayRequest request;
  request.location = "DOCK-1";
  request.barcode = "96385074";
  for (auto* d : {first.get(), second.get()}) {
    requireApplied(d->ackFor(d->send(request)), "putaway.request");
    auto task = nextOf<protocol::PutawayTask>(*d);
    BOOST_REQUIRE(task);
    BOOST_TEST(task->to.value_or("") == "R-01-01-3");
    BOOST_TEST(task->rule == "empty reserve");
  }
  protocol::PutawayConfirm confirm;
  confirm.sku = "CHEESE";
  confirm.from = "DOCK-1";
  confirm.qty = 6;
  auto elsewhere = confirm;
  elsewhere.to = "R-01-02-3";
  elsewhere.reason = "closer to the face";
  requireApplied(second->ackFor(second->send(elsewhere)), "put-away elsewhere");
  BOOST_TEST(parse(f.wmsd.get("/api/v1/inbound/putaway/suggestion?sku=CHEESE&qty=6").body)->getValue<std::string>(
                 "location") == "R-01-02-3");

  auto asTold = confirm;
  asTold.to = "R-01-01-3";
  requireApplied(first->ackFor(first->send(asTold)), "put-away where it was told");
  BOOST_TEST(atDock(f, "CHEESE") == 0);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM putaways WHERE to_location = 'R-01-01-3' AND "
                          "suggested = 'R-01-01-3' AND reason = ''") == 1);
  // Anywhere else still needs a reason.
  requireApplied(second->ackFor(second->send(caseOf("96385074", 1))), "receive.confirm");
  auto stray = confirm;
  stray.qty = 1;
  stray.to = "A-03-02-1";
  BOOST_TEST(refusal(second->ackFor(second->send(stray))) ==
             "put away to A-03-02-1, not the suggested R-01-01-3: a reason is required");
}

// ---- The real handheld ---------------------------------------------------------

// The cheese's GTIN-14 with lot L9 and expiry 2029-01-31, as a GS1-128 scan.
const char* const kCheeseLabel = "]C1010000009638507410L9<GS>17290131";

// Signs in with `badge`, scans PO-77 and waits for its lines.
std::string openOrder(const std::string& badge) {
  return "wait-online 60\nscan " + badge + "\nwait-for SCAN ORDER 60\nscan PO-77\nwait-for SCAN CASE OR SSCC 60\n";
}

// Ledger rows of receipts against PO-77 (the floor's own stock came in as
// receipts too).
std::int64_t receiptRows(Floor& f) {
  return f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE cause = 'receipt' AND reference = 'po:PO-77'");
}

// The real wms-handheld, headless, in receive mode at DOCK-1: 5 cheeses from
// a case's GS1-128 label (typed quantity), then the announced pallet by its
// SSCC; wmsd puts 17 cheeses on the dock, once.
BOOST_AUTO_TEST_CASE(the_real_handheld_receives_a_case_from_its_gs1_label_and_a_pallet_by_its_sscc) {
  Floor f;
  dockAndOrder(f);
  TempDir dir;
  auto handheld = realHandheld(f, 1, dir.path(),
                               openOrder("B-1") + "expect CHEESE: 0/20\nscan " + kCheeseLabel +
                                   "\nwait-for TYPE QTY 10\ntype 5\nexpect CHEESE: 5/20\nscan ]C100" + kPallet +
                                   "\nexpect-not SSCCs\nwait-synced 60\nenter\nwait-for PO-77 done 10\nstats\n",
                               {"--mode", "receive", "--dock", "DOCK-1"});
  // signin, receive.request, the case, the pallet.
  requireScriptApplied(*handheld, dir.path(), 4);
  BOOST_TEST(atDock(f, "CHEESE") == 17);
  BOOST_TEST(receiptRows(f) == 2);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM receipts WHERE qty = 5 AND location = 'DOCK-1' AND condition = 'good'") ==
             1);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM receipts WHERE sscc = '" + std::string(kPallet) + "'") == 1);
  BOOST_TEST(f.sqlInteger("SELECT received FROM po_lines WHERE po_id = 1 AND line_no = 1") == 17);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM po_units WHERE location = 'DOCK-1'") == 1);
}

// What the device refuses never reaches wmsd; what wmsd refuses is shown
// and counted back on the screen; a damaged case is set aside, not stock.
BOOST_AUTO_TEST_CASE(the_real_handheld_refuses_a_stranger_and_shows_what_wmsd_refuses) {
  Floor f;
  dockAndOrder(f);
  TempDir dir;
  auto handheld = realHandheld(f, 1, dir.path(),
                               openOrder("B-1") +
                                   "scan 4006381333931\nexpect is not on order PO-77\n"
                                   "scan 96385074\ntype 40\nwait-for over the 10% tolerance 30\nexpect CHEESE: 0/20\n"
                                   "scan 96385074\nkey damaged\nwait-for QTY DAMAGED 10\ntype 2\n"
                                   "wait-synced 60\nwait-for CHEESE: 0/20 +2 dmg 10\nstats\n",
                               {"--mode", "receive", "--dock", "DOCK-1"});
  auto exit = handheld->wait(std::chrono::seconds(150));
  const std::string out = handheldOutput(dir.path());
  BOOST_REQUIRE_MESSAGE(exit && ChildProcess::exitCode(*exit) == 0, out);
  auto stats = lastStats(out);
  BOOST_TEST(stats->getValue<int>("rejected") == 1);
  BOOST_TEST(stats->getValue<int>("applied") == 3);  // signin, request, the damaged case
  BOOST_TEST(atDock(f, "CHEESE") == 0);
  BOOST_TEST(receiptRows(f) == 0);
  BOOST_TEST(f.sqlInteger("SELECT damaged FROM po_lines WHERE po_id = 1 AND line_no = 1") == 2);
}

// The broker goes away while the dock worker receives: the case is typed
// in anyway and waits in the handheld's outbox; once the broker is back
// wmsd applies it, once, however often it was published.
BOOST_AUTO_TEST_CASE(a_case_received_while_offline_arrives_later_and_is_applied_once) {
  Floor f;
  dockAndOrder(f);
  TempDir dir;
  const auto signal = [&](const char* name) { return (dir.path() / name).string(); };
  auto handheld = realHandheld(f, 1, dir.path(),
                               openOrder("B-1") + "signal " + signal("ready") + "\nawait-file " + signal("broker-down") +
                                   " 60\nwait-for OFFLINE 30\nscan 96385074\ntype 8\nexpect CHEESE: 8/20\nstats\n"
                                   "signal " + signal("received") + "\nawait-file " + signal("broker-up") +
                                   " 60\nwait-synced 90\nstats\n",
                               {"--mode", "receive", "--dock", "DOCK-1"});
  BOOST_REQUIRE_MESSAGE(awaitSignal(signal("ready"), *handheld), handheldOutput(dir.path()));
  f.broker.stop();
  writeFile(signal("broker-down"), "");
  BOOST_REQUIRE_MESSAGE(awaitSignal(signal("received"), *handheld), handheldOutput(dir.path()));
  // Received on the handheld, not yet in wmsd.
  BOOST_TEST(atDock(f, "CHEESE") == 0);
  BOOST_TEST(lastStats(handheldOutput(dir.path()))->getValue<int>("outbox") == 1);
  f.broker.start();
  writeFile(signal("broker-up"), "");
  requireScriptApplied(*handheld, dir.path(), 3);
  BOOST_TEST(atDock(f, "CHEESE") == 8);
  BOOST_TEST(receiptRows(f) == 1);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM device_events WHERE type = 'receive.confirm'") == 1);
}

// The real wms-handheld in put-away mode at DOCK-1: 4 of 6 cheeses to the
// suggestion (their pick face), the 2 left to a reserve location with the
// reason chosen from the menu.
BOOST_AUTO_TEST_CASE(the_real_handheld_puts_away_to_the_suggestion_and_elsewhere_with_a_reason) {
  Floor f;
  sixCheesesAtTheDock(f);
  const auto face = f.sqlInteger("SELECT qty FROM stock WHERE sku = 'CHEESE' AND location = 'A-01-05-1'");
  TempDir dir;
  auto handheld = realHandheld(
      f, 1, dir.path(),
      "wait-online 60\nscan B-2\nwait-for SCAN ITEM 60\nscan 96385074\nwait-for SCAN DESTINATION 60\n"
      "expect To: A-01-05-1\nexpect Qty: 6 at DOCK-1\nscan @location\nwait-for TYPE QTY 10\ntype 4\n"
      "wait-for SCAN ITEM 10\nscan 96385074\nwait-for SCAN DESTINATION 60\nexpect Qty: 2 at DOCK-1\n"
      "scan R-01-01-3\nwait-for WHY NOT SUGGESTION 10\ntype 2\nwait-for TYPE QTY 10\nenter\n"
      "wait-for SCAN ITEM 10\nwait-synced 60\nstats\n",
      {"--mode", "putaway", "--dock", "DOCK-1"});
  // signin, two putaway.requests, two putaway.confirms.
  requireScriptApplied(*handheld, dir.path(), 5);
  BOOST_TEST(atDock(f, "CHEESE") == 0);
  BOOST_TEST(f.sqlInteger("SELECT qty FROM stock WHERE sku = 'CHEESE' AND location = 'A-01-05-1'") == face + 4);
  BOOST_TEST(f.sqlInteger("SELECT qty FROM stock WHERE sku = 'CHEESE' AND location = 'R-01-01-3'") == 2);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM putaways WHERE to_location = 'R-01-01-3' AND qty = 2 AND "
                          "reason = 'suggestion blocked'") == 1);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM putaways") == 2);
}

BOOST_AUTO_TEST_SUITE_END()
