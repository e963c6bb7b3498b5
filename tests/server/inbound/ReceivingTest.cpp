// Tests for server/inbound: purchase orders and their notices, receiving a
// case from a scan and a whole pallet by its SSCC, the refusals that change
// nothing, damaged units, closing short, the CSV import and the endpoints,
// over a real SQLite file.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <boost/test/unit_test.hpp>

#include "Dock.h"
#include "wms/inbound/Rest.h"

using namespace wms;
using namespace wms::inbound;

namespace {

using test::Dock;
using test::kOtherPallet;
using test::kPallet;

ReceiptInput scanned(std::int64_t po, const std::string& scan, std::int64_t qty, const std::string& key,
                     const std::string& location = "DOCK-1") {
  ReceiptInput in;
  in.poId = po;
  in.scan = scan;
  in.qty = qty;
  in.location = location;
  in.idempotencyKey = key;
  return in;
}

Error refusal(const Result<ReceiptResult>& r) {
  BOOST_REQUIRE(!r.ok());
  return r.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(receiving)

BOOST_AUTO_TEST_CASE(a_purchase_order_with_its_notice_is_stored_and_found_by_supplier_sku_and_status) {
  Dock d;
  auto po = d.order();
  BOOST_TEST(po.reference == "PO-1");
  BOOST_TEST((po.status == PoStatus::Open));
  BOOST_REQUIRE_EQUAL(po.lines.size(), 2u);
  BOOST_TEST(po.lines[1].lot == "L1");
  BOOST_REQUIRE_EQUAL(po.units.size(), 1u);
  BOOST_TEST(po.units[0].contents[0].qty == 24);
  BOOST_TEST(d.receiving->list("", "Acme", 10)->size() == 1u);
  BOOST_TEST(d.receiving->list("", "VITC", 10)->size() == 1u);
  BOOST_TEST(d.receiving->list("closed", "", 10)->empty());
  BOOST_TEST(d.receiving->list("shipped", "", 10).error().message == "status must be open, receiving or closed, got 'shipped'");
}

BOOST_AUTO_TEST_CASE(a_purchase_order_the_warehouse_cannot_expect_is_refused_naming_the_field) {
  Dock d;
  d.order();
  auto refused = [&](auto change) {
    PurchaseOrderInput in;
    in.reference = "PO-2";
    in.supplier = "Acme Foods";
    in.lines = {{"MUG", 5, "", ""}};
    change(in);
    auto r = d.receiving->create(in);
    BOOST_REQUIRE(!r.ok());
    return r.error().message;
  };
  BOOST_TEST(refused([](auto& in) { in.lines[0].sku = "NOPE"; }) == "lines[0].sku: no SKU 'NOPE' in the catalogue");
  BOOST_TEST(refused([](auto& in) { in.lines[0].qty = 0; }) == "lines[0].qty must be 1..1000000, got 0");
  BOOST_TEST(refused([](auto& in) { in.lines[0].qty = 5'000'000; }) == "lines[0].qty must be 1..1000000, got 5000000");
  BOOST_TEST(refused([](auto& in) { in.lines[0].expiry = "2020-01-31"; }) == "lines[0].expiry 2020-01-31 is already past");
  BOOST_TEST(refused([](auto& in) { in.units = {{"106141411234567890", {{1, 5}}}}; }).find("wrong check digit") !=
             std::string::npos);
  BOOST_TEST(refused([](auto& in) { in.units = {{kOtherPallet, {{1, 6}}}}; }) ==
             "units announce 6 of line 1 but 5 were ordered");
  BOOST_TEST(refused([](auto& in) { in.units = {{kOtherPallet, {{2, 1}}}}; }) ==
             "units[0].contents[0].line_no 2 names no line of the order");
  BOOST_TEST(refused([](auto& in) { in.units = {{kPallet, {{1, 5}}}}; }) == "SSCC 106141411234567897 is announced already on PO-1");
  BOOST_TEST(refused([](auto& in) { in.reference = "PO-1"; }) == "purchase order PO-1 exists already");
  BOOST_TEST(refused([](auto& in) { in.supplier = ""; }).find("supplier") != std::string::npos);
  BOOST_TEST(d.count("SELECT COUNT(*) FROM purchase_orders") == 1);
  BOOST_TEST(d.count("SELECT COUNT(*) FROM po_units") == 1);
}

BOOST_AUTO_TEST_CASE(a_case_scanned_as_gs1_lands_in_the_dock_as_stock_once_however_often_it_is_sent) {
  Dock d;
  auto po = d.order();
  auto r = d.receiving->receive(scanned(po.id, "(01)00000096385074(10)L1(17)280531", 10, "hh-1:ev-1"));
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  BOOST_TEST(!r->duplicate);
  BOOST_REQUIRE_EQUAL(r->receipts.size(), 1u);
  BOOST_TEST(r->receipts[0].sku == "VITC");
  BOOST_TEST(r->receipts[0].lot == "L1");
  BOOST_TEST(r->receipts[0].expiry == "2028-05-31");
  BOOST_TEST(d.at("VITC", "DOCK-1") == 10);
  BOOST_TEST(d.count("SELECT COUNT(*) FROM ledger WHERE cause = 'receipt' AND sku = 'VITC'") == 1);
  BOOST_TEST((d.receiving->get(po.id)->status == PoStatus::Receiving));
  BOOST_TEST(d.receiving->get(po.id)->lines[1].received == 10);

  // A handheld that reconnects sends it again: the first answer, once.
  auto again = d.receiving->receive(scanned(po.id, "(01)00000096385074(10)L1(17)280531", 10, "hh-1:ev-1"));
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again->duplicate);
  BOOST_TEST(again->receipts[0].id == r->receipts[0].id);
  BOOST_TEST(d.at("VITC", "DOCK-1") == 10);
  // A plain EAN-13 scan and a staging lane work too.
  BOOST_REQUIRE(d.receiving->receive(scanned(po.id, "8851234567898", 12, "hh-1:ev-2", "STAGE-1")).ok());
  BOOST_TEST(d.at("MUG", "STAGE-1") == 12);
}

BOOST_AUTO_TEST_CASE(what_contradicts_the_order_is_refused_with_a_reason_and_no_stock_changes) {
  Dock d;
  auto po = d.order();
  auto other = d.order("PO-9", kOtherPallet);
  BOOST_REQUIRE(d.receiving->receive(scanned(other.id, "8851234567898", 1, "k-used")).ok());
  const auto ledgerRows = d.count("SELECT COUNT(*) FROM ledger");
  auto message = [&](ReceiptInput in) { return refusal(d.receiving->receive(in)).message; };
  BOOST_TEST(message(scanned(po.id, "036000291452", 1, "k1")) == "SKU TEE (scanned 036000291452) is not on PO-1");
  BOOST_TEST(message(scanned(po.id, "(01)00000096385074(10)L7(17)280531", 1, "k2")) ==
             "lot L7 contradicts PO-1 line 2's lot L1");
  BOOST_TEST(message(scanned(po.id, "(01)00000096385074(10)L1(17)200531", 1, "k3")) ==
             "expiry 2020-05-31 is already past: refuse the case");
  BOOST_TEST(message(scanned(po.id, "8851234567898", 1, "k4", "A-01-01-1")) ==
             "location A-01-01-1 is a pick location: goods are received into a dock or staging location, then put away");
  BOOST_TEST(message(scanned(po.id, "8851234567898", 0, "k5")) == "qty must be 1..1000000, got 0");
  BOOST_TEST(message(scanned(po.id, "8851234567898", -3, "k5")) == "qty must be 1..1000000, got -3");
  BOOST_TEST(message(scanned(po.id, "8851234567898", 27, "k6")) ==
             "line 1 (MUG) of PO-1: 24 ordered, 0 received; 27 more is over the 10% tolerance (at most 26)");
  BOOST_TEST(message(scanned(po.id, "8851234567898", 1, "k-used")) == "idempotency_key was used for PO-9");
  BOOST_TEST(message(scanned(po.id, "8851234567898", 1, "")) == "idempotency_key must be 1..128 characters");
  BOOST_TEST(message(scanned(po.id, "(00)106141411234567897", 1, "k7")).find("SSCC") != std::string::npos);
  BOOST_TEST(message(scanned(po.id, "8851234567898", 1, "k8", "NOWHERE")) == "no location NOWHERE");

  // An item the catalogue does not know: refused, and the supervisor hears of it.
  auto unknown = refusal(d.receiving->receive(scanned(po.id, "4006381333931", 1, "k9")));
  BOOST_TEST((unknown.kind == ErrorKind::NotFound));
  BOOST_TEST(d.count("SELECT COUNT(*) FROM exceptions WHERE kind = 'receipt_unknown_item' AND resolved_at = 0") == 1);

  BOOST_TEST(d.count("SELECT COUNT(*) FROM ledger") == ledgerRows);
  BOOST_TEST(d.count("SELECT COUNT(*) FROM receipts WHERE po_id = " + std::to_string(po.id)) == 0);
  BOOST_TEST(d.onHand("MUG") == 1);
}

BOOST_AUTO_TEST_CASE(a_whole_pallet_is_received_by_its_sscc_in_one_scan) {
  Dock d;
  auto po = d.order();
  auto other = d.order("PO-9", kOtherPallet);
  const auto who = stock::Actor::device("HH-1");
  BOOST_TEST(d.receiving->receiveUnit(po.id, kOtherPallet, "DOCK-1", "u0", who).error().message ==
             "SSCC 106141411234567880 belongs to PO-9, not PO-1");
  BOOST_TEST(d.receiving->receiveUnit(po.id, "106141411234567873", "DOCK-1", "u0", who).error().message ==
             "SSCC 106141411234567873 is on no advance shipping notice");
  auto r = d.receiving->receiveUnit(po.id, kPallet, "DOCK-1", "u1", who);
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  BOOST_REQUIRE_EQUAL(r->receipts.size(), 1u);
  BOOST_TEST(r->receipts[0].sscc == kPallet);
  BOOST_TEST(d.at("MUG", "DOCK-1") == 24);
  BOOST_TEST(d.receiving->receiveUnit(po.id, kPallet, "DOCK-1", "u2", who).error().message ==
             "SSCC 106141411234567897 was received already, into DOCK-1");
  BOOST_TEST(d.receiving->receiveUnit(po.id, kPallet, "DOCK-1", "u1", who)->duplicate);
  BOOST_TEST(d.at("MUG", "DOCK-1") == 24);
  BOOST_TEST(d.receiving->get(po.id)->units[0].location == "DOCK-1");
  BOOST_TEST(other.units.size() == 1u);
}

BOOST_AUTO_TEST_CASE(damaged_units_are_set_aside_for_the_supplier_and_never_become_stock) {
  Dock d;
  auto po = d.order();
  auto in = scanned(po.id, "8851234567898", 2, "d1");
  in.damaged = true;
  auto r = d.receiving->receive(in);
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  BOOST_TEST(r->receipts[0].location == "QUARANTINE");
  BOOST_TEST(r->receipts[0].damaged);
  BOOST_TEST(d.onHand("MUG") == 0);
  BOOST_TEST(d.receiving->get(po.id)->lines[0].damaged == 2);
}

BOOST_AUTO_TEST_CASE(closing_an_order_received_short_raises_the_claim_and_stops_receiving) {
  Dock d;
  auto po = d.order();
  BOOST_REQUIRE(d.receiving->receive(scanned(po.id, "8851234567898", 24, "c1")).ok());
  auto closed = d.receiving->close(po.id);
  BOOST_REQUIRE(closed.ok());
  BOOST_REQUIRE_EQUAL(closed->short_.size(), 1u);
  BOOST_TEST(closed->short_[0].sku == "VITC");
  BOOST_TEST(d.count("SELECT COUNT(*) FROM exceptions WHERE kind = 'receipt_short'") == 1);
  BOOST_TEST(refusal(d.receiving->receive(scanned(po.id, "8851234567898", 1, "c2"))).message ==
             "PO-1 is closed: nothing more is received on it");
  BOOST_TEST(d.receiving->close(po.id).error().message == "PO-1 is closed already");
}

BOOST_AUTO_TEST_CASE(a_csv_of_two_orders_is_imported_whole_or_not_at_all) {
  Dock d;
  auto ok = d.receiving->importCsv(
      "reference,supplier,expected_date,sku,qty,lot,expiry,sscc\n"
      "PO-10,Acme Foods,2026-12-08,MUG,12,,,106141411234567897\n"
      "PO-10,Acme Foods,2026-12-08,VITC,5,L1,2028-05-31,\n"
      "PO-11,Borneo Tea,,TEE,30,,,\n");
  BOOST_REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message));
  BOOST_REQUIRE_EQUAL(ok->size(), 2u);
  BOOST_TEST((*ok)[0].lines.size() == 2u);
  BOOST_TEST((*ok)[0].units.size() == 1u);
  auto bad = d.receiving->importCsv(
      "reference,supplier,sku,qty\n"
      "PO-12,Acme Foods,MUG,3\n"
      "PO-13,Acme Foods,NOPE,3\n");
  BOOST_REQUIRE(!bad.ok());
  BOOST_TEST(bad.error().message == "line 3 (PO-13): lines[0].sku: no SKU 'NOPE' in the catalogue");
  BOOST_TEST(d.count("SELECT COUNT(*) FROM purchase_orders") == 2);
  BOOST_TEST(d.receiving->importCsv("reference,supplier,sku,qty,colour\n").error().message.find("unknown column 'colour'") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_endpoints_create_receive_and_refuse_as_the_service_does) {
  Dock d;
  http::Router router;
  PutawayService putaway(*d.db, d.events);
  ReplenishmentService replenishment(*d.db, d.events);
  CountService counts(*d.db, d.events);
  addInboundRoutes(router, *d.receiving, putaway, replenishment, counts);
  auto call = [&](const std::string& method, const std::string& path, const std::string& body = {}) {
    http::Request req;
    req.method = method;
    req.path = path;
    req.body = body;
    return router.route(std::move(req));
  };
  auto created = call("POST", "/api/v1/inbound/purchase-orders",
                      R"({"reference":"PO-20","supplier":"Acme Foods","lines":[{"sku":"MUG","qty":6}],)"
                      R"("units":[{"sscc":"106141411234567897","contents":[{"line_no":1,"qty":6}]}]})");
  BOOST_REQUIRE_MESSAGE(created.status == 201, created.body);
  Poco::JSON::Parser parser;
  const auto id = parser.parse(created.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::int64_t>("id");
  const std::string po = "/api/v1/inbound/purchase-orders/" + std::to_string(id);
  auto received = call("POST", po + "/receipts", R"({"scan":"8851234567898","qty":2,"location":"DOCK-1","idempotency_key":"r1"})");
  BOOST_TEST(received.status == 200, received.body);
  auto pallet = call("POST", po + "/units/106141411234567897/receive", R"({"location":"DOCK-1","idempotency_key":"r2"})");
  BOOST_TEST(pallet.status == 409, pallet.body);  // 2 + 6 is over 6 + 10%: the pallet cannot come in on top
  BOOST_TEST(pallet.body.find("over the 10% tolerance") != std::string::npos, pallet.body);
  BOOST_TEST(call("POST", po + "/receipts", R"({"scan":"8851234567898","qty":1,"location":"DOCK-1"})").status == 422);
  BOOST_TEST(call("POST", po + "/receipts", R"({"scan":"8851234567898","qty":"two","idempotency_key":"r3"})").status == 422);
  BOOST_TEST(call("POST", po + "/receipts", "{not json").status == 400);
  BOOST_TEST(call("GET", "/api/v1/inbound/purchase-orders/abc").status == 404);
  http::Request search;
  search.method = "GET";
  search.path = "/api/v1/inbound/purchase-orders";
  search.query = {{"q", "Acme"}};
  auto found = router.route(std::move(search));
  BOOST_TEST(found.status == 200);
  BOOST_TEST(found.body.find("PO-20") != std::string::npos, found.body);
  BOOST_TEST(call("POST", po + "/close").status == 200);
  BOOST_TEST(d.onHand("MUG") == 2);
}

BOOST_AUTO_TEST_SUITE_END()
