// Tests for server/packing/src/Rest.cpp: the packing endpoints registered on
// the one router and called through it (method, path, body, headers in;
// status and body out), as wmsd's HTTP server calls them.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <boost/test/unit_test.hpp>

#include "PackingWorld.h"
#include "wms/packing/Rest.h"

using namespace wms;
using namespace wms::packing;
using wms::packing::test::PackingWorld;

namespace {

struct RestWorld {
  PackingWorld w;
  PackSessionService sessions{w.db(), w.shipping()};
  StationScans stationScans{w.db()};
  http::Router router = routes(w.shipping(), sessions, stationScans);

  static http::Router routes(ShippingService& shipping, PackSessionService& sessions, StationScans& stationScans) {
    http::Router r;
    addPackingRoutes(r, shipping, sessions, stationScans, nullptr);
    return r;
  }

  http::Response call(const std::string& method, const std::string& path, const std::string& body = {},
                      std::map<std::string, std::string> headers = {}) {
    http::Request req;
    req.method = method;
    req.path = path;
    req.body = body;
    req.headers = std::move(headers);
    return router.route(std::move(req));
  }
};

Poco::JSON::Object::Ptr json(const http::Response& r) {
  Poco::JSON::Parser p;
  return p.parse(r.body).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(packing_rest)

BOOST_AUTO_TEST_CASE(only_the_packing_endpoints_are_registered_and_the_router_refuses_the_rest) {
  RestWorld t;
  // Packing adds no route outside its own paths: the router's 404 answers them.
  for (const char* path : {"/api/v1/orders", "/api/v1/packingx/config", "/api/v1/packing/nothing"}) {
    auto r = t.call("GET", path);
    BOOST_TEST(r.status == 404, path);
    BOOST_TEST(r.body ==
               std::string(R"({"error":"not_found","detail":"no such endpoint: GET )") + path + R"("})");
  }
  auto wrongMethod = t.call("DELETE", "/api/v1/packing/config");
  BOOST_TEST(wrongMethod.status == 405);
  BOOST_TEST(json(wrongMethod)->getValue<std::string>("error") == "malformed");
  BOOST_TEST(t.call("GET", "/api/v1/packing/sessions/x1").status == 404);
  BOOST_TEST(t.call("GET", "/api/v1/packing/sessions/99").status == 404);
}

BOOST_AUTO_TEST_CASE(an_id_that_cannot_be_one_is_404_naming_it) {
  RestWorld t;
  auto detail = [&](const std::string& method, const std::string& path) {
    auto r = t.call(method, path);
    BOOST_TEST(r.status == 404, path);
    BOOST_TEST(json(r)->getValue<std::string>("error") == "not_found");
    return json(r)->getValue<std::string>("detail");
  };
  BOOST_TEST(detail("GET", "/api/v1/packing/sessions/x1") == "no pack session 'x1'");
  BOOST_TEST(detail("POST", "/api/v1/packing/sessions/0/scans") == "no pack session '0'");
  BOOST_TEST(detail("GET", "/api/v1/packing/sessions/1234567890123456789") ==
             "no pack session '1234567890123456789'");
  BOOST_TEST(detail("POST", "/api/v1/packing/orders/-1/ship") == "no order '-1'");
  BOOST_TEST(detail("GET", "/api/v1/packing/orders/abc/shipment") == "no order 'abc'");
  BOOST_TEST(detail("GET", "/api/v1/packing/shipments/1e3") == "no shipment '1e3'");
  BOOST_TEST(detail("GET", "/api/v1/packing/shipments/1/cartons/1000/label.png") == "no carton '1000'");
  BOOST_TEST(detail("GET", "/api/v1/packing/print-jobs/x") == "no print job 'x'");
  BOOST_TEST(detail("GET", "/api/v1/packing/print-jobs/7") == "no print job 7: no printer is configured");
  BOOST_TEST(detail("GET", "/api/v1/packing/sessions/" + std::string(60, 'a')) ==
             "no pack session '" + std::string(40, 'a') + "'");
  // A method the path does not take is 405, whatever the id.
  BOOST_TEST(t.call("GET", "/api/v1/packing/orders/1/ship").status == 405);
  BOOST_TEST(t.call("POST", "/api/v1/packing/sessions/1").status == 405);
}

BOOST_AUTO_TEST_CASE(a_whole_order_goes_through_the_endpoints) {
  RestWorld t;
  auto id = t.w.pickedOrder("R-1", {{"MUG", 1}}, "T-1");
  auto start = t.call("POST", "/api/v1/packing/sessions", R"({"code":"T-1","station":"PACK-1"})");
  BOOST_REQUIRE_EQUAL(start.status, 200);
  const auto sid = json(start)->getValue<std::int64_t>("session_id");
  const std::string base = "/api/v1/packing/sessions/" + std::to_string(sid);

  auto wrong = t.call("POST", base + "/scans", R"({"text":"9780306406157"})");
  BOOST_TEST(wrong.status == 200);  // a wrong item is an answer, not an error
  BOOST_TEST(json(wrong)->getObject("last_scan")->getValue<std::string>("outcome") == "wrong_item");
  BOOST_TEST(t.call("POST", base + "/scans", R"({"text":"MUG","qty":0})").status == 422);
  BOOST_TEST(t.call("POST", base + "/scans", "{").status == 400);
  BOOST_TEST(t.call("POST", base + "/complete").status == 409);  // missing the mug
  BOOST_TEST(t.call("POST", base + "/scans", R"({"text":"8851234567898"})").status == 200);
  BOOST_TEST(t.call("POST", base + "/cartons/close", R"({"weight_g":480})").status == 200);
  auto done = t.call("POST", base + "/complete");
  BOOST_REQUIRE_EQUAL(done.status, 200);
  BOOST_TEST(json(done)->getValue<std::string>("state") == "packed");

  const std::string order = "/api/v1/packing/orders/" + std::to_string(id);
  BOOST_TEST(t.call("GET", order + "/shipment").status == 404);
  auto shipment = t.call("POST", order + "/shipment", R"({"station":"PACK-1"})");
  BOOST_REQUIRE_EQUAL(shipment.status, 200);
  auto so = json(shipment);
  BOOST_TEST(so->getObject("print_error")->getValue<std::string>("detail") ==
             "no printer is configured (printing.printer.<ID>.uri)");
  const auto shipmentId = so->getObject("shipment")->getValue<std::int64_t>("id");
  BOOST_TEST(t.call("GET", order + "/shipment").status == 200);
  auto png =
      t.call("GET", "/api/v1/packing/shipments/" + std::to_string(shipmentId) + "/cartons/1/label.png");
  BOOST_TEST(png.status == 200);
  BOOST_TEST(png.contentType == "image/png");
  BOOST_TEST(png.body.substr(1, 3) == "PNG");
  BOOST_TEST(t.call("GET", "/api/v1/packing/shipments/" + std::to_string(shipmentId) + "/cartons/1/label.gif")
                 .status == 404);

  auto noKey = t.call("POST", order + "/ship", "{}");
  BOOST_TEST(noKey.status == 422);
  auto over =
      t.call("POST", order + "/ship", R"({"lines":[{"line_no":1,"qty":2}]})", {{"idempotency-key", "k1"}});
  BOOST_TEST(over.status == 422);
  BOOST_TEST(json(over)->getValue<std::string>("detail") ==
             "lines[0]: line 1 (MUG): 2 cannot ship, only 1 packed");
  auto first = t.call("POST", order + "/ship", "", {{"idempotency-key", "k1"}});
  BOOST_REQUIRE_EQUAL(first.status, 200);
  BOOST_TEST(!json(first)->getValue<bool>("duplicate"));
  auto second = t.call("POST", order + "/ship", "", {{"idempotency-key", "k1"}});
  BOOST_TEST(json(second)->getValue<bool>("duplicate"));
  BOOST_TEST(t.w.totals("MUG").onHand == 99);
  t.w.requireInvariants();
}

// An order packed at a station and not shipped stays on that station's list,
// with what is missing, until it ships: nothing sits packed unnoticed.
BOOST_AUTO_TEST_CASE(a_packed_order_is_listed_for_its_station_with_what_is_missing_until_it_ships) {
  RestWorld t;
  auto id = t.w.pickedOrder("R-2", {{"MUG", 1}}, "T-2");
  auto get = [&](std::map<std::string, std::string> query) {
    http::Request req;
    req.method = "GET";
    req.path = "/api/v1/packing/unshipped";
    req.query = std::move(query);
    return t.router.route(std::move(req));
  };
  auto list = [&](const std::string& station) {
    auto r = get(station.empty() ? std::map<std::string, std::string>{} : std::map<std::string, std::string>{{"station", station}});
    BOOST_REQUIRE_EQUAL(r.status, 200);
    return json(r)->getArray("orders");
  };
  BOOST_TEST(list("PACK-1")->size() == 0u);  // picked, not packed: not yet the packer's

  auto start = t.call("POST", "/api/v1/packing/sessions", R"({"code":"T-2","station":"PACK-1"})");
  const std::string base = "/api/v1/packing/sessions/" + std::to_string(json(start)->getValue<std::int64_t>("session_id"));
  BOOST_REQUIRE_EQUAL(t.call("POST", base + "/scans", R"({"text":"8851234567898"})").status, 200);
  BOOST_REQUIRE_EQUAL(t.call("POST", base + "/complete").status, 200);

  auto packed = list("PACK-1");
  BOOST_REQUIRE_EQUAL(packed->size(), 1u);
  auto item = packed->getObject(0);
  BOOST_TEST(item->getValue<std::int64_t>("order_id") == id);
  BOOST_TEST(item->getValue<std::string>("station") == "PACK-1");
  BOOST_TEST(item->isNull("shipment"));
  BOOST_TEST(item->getValue<std::string>("reason") == "packed, but no shipment was booked: its label was never asked for");
  BOOST_TEST(list("")->size() == 1u);                   // every station
  BOOST_TEST(list("PACK-2")->size() == 0u);    // another station's list

  const std::string order = "/api/v1/packing/orders/" + std::to_string(id);
  BOOST_REQUIRE_EQUAL(t.call("POST", order + "/shipment", R"({"station":"PACK-1","print":false})").status, 200);
  auto booked = list("PACK-1")->getObject(0);
  BOOST_TEST(booked->getObject("shipment")->getValue<std::string>("state") == "booked");
  BOOST_TEST(booked->getValue<std::string>("reason").find("the ship confirmation has not come") != std::string::npos);

  BOOST_REQUIRE_EQUAL(t.call("POST", order + "/ship", "", {{"idempotency-key", "k-r2"}}).status, 200);
  BOOST_TEST(list("PACK-1")->size() == 0u);

  // Bad filters are refused, naming the parameter.
  auto spaced = get({{"station", "PACK 1"}});
  BOOST_TEST(spaced.status == 422);
  BOOST_TEST(json(spaced)->getValue<std::string>("detail").find("station must be") == 0u);
  BOOST_TEST(get({{"limit", "0"}}).status == 422);
  BOOST_TEST(get({{"limit", "501"}}).status == 422);
  BOOST_TEST(get({{"limit", "500"}}).status == 200);
  t.w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(a_short_at_the_station_holds_the_order_and_pack_what_is_left_lets_the_rest_go) {
  RestWorld t;
  auto id = t.w.pickedOrder("R-SHORT", {{"MUG", 2}}, "T-1");
  const std::string order = "/api/v1/packing/orders/" + std::to_string(id);
  // Bad bodies are refused naming the field, and change nothing.
  auto badReason = t.call("POST", order + "/short", R"({"lines":[{"line_no":1,"qty":1,"reason":"stolen"}]})");
  BOOST_TEST(badReason.status == 422);
  BOOST_TEST(json(badReason)->getValue<std::string>("detail").find("reason must be damaged or missing") != std::string::npos,
             badReason.body);
  auto noLine = t.call("POST", order + "/short", R"({"lines":[{"qty":1,"reason":"missing"}]})");
  BOOST_TEST(noLine.status == 422);
  auto noLines = t.call("POST", order + "/short", R"({"station":"PACK-1"})");
  BOOST_TEST(noLines.status == 422);
  BOOST_TEST((t.w.order(id).status == domain::OrderStatus::Picked));

  auto held = t.call("POST", order + "/short",
                     R"({"station":"PACK-1","note":"box crushed","lines":[{"sku":"MUG","qty":1,"reason":"damaged"}]})");
  BOOST_REQUIRE_MESSAGE(held.status == 200, held.body);
  BOOST_TEST(json(held)->getValue<std::string>("order_status") == "held");
  BOOST_TEST(json(held)->getValue<std::string>("hold_reason") ==
             "short at packing at PACK-1: 1 x MUG (line 1) damaged (box crushed); pack what is left, or cancel it");
  // Reported again: the order is held, so it is a conflict.
  BOOST_TEST(t.call("POST", order + "/short", R"({"lines":[{"line_no":1,"qty":1,"reason":"damaged"}]})").status == 409);

  auto left = t.call("POST", order + "/pack-what-is-left", "{}");
  BOOST_REQUIRE_MESSAGE(left.status == 200, left.body);
  BOOST_TEST(json(left)->getValue<std::string>("order_status") == "picked");
  auto line = json(left)->getArray("lines")->getObject(0);
  BOOST_TEST(line->getValue<int>("to_pack") == 1);
  BOOST_TEST(line->getValue<int>("short") == 1);
  BOOST_TEST(t.call("POST", order + "/pack-what-is-left", "{}").status == 409);
}

BOOST_AUTO_TEST_CASE(errors_carry_the_kind_and_the_detail) {
  // The router's one error body: a newline is "\n" (it was "\u000a" while
  // packing wrote its own), the same text once read.
  auto r = http::Response::error({ErrorKind::Conflict, "order 1 is \"packed\"\n"});
  BOOST_TEST(r.status == 409);
  BOOST_TEST(r.body == R"({"error":"conflict","detail":"order 1 is \"packed\"\n"})");
  BOOST_TEST(json(r)->getValue<std::string>("detail") == "order 1 is \"packed\"\n");
  BOOST_TEST(http::Response::error({ErrorKind::TooLarge, ""}).status == 413);
  BOOST_TEST(http::Response::error({ErrorKind::Unavailable, ""}).status == 503);
  BOOST_TEST(http::Response::error({ErrorKind::Internal, ""}).status == 500);
}

BOOST_AUTO_TEST_CASE(print_jobs_without_printers_are_not_found) {
  RestWorld t;
  BOOST_TEST(t.call("GET", "/api/v1/packing/print-jobs/1").status == 404);
  BOOST_TEST(t.call("GET", "/api/v1/packing/config").status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
