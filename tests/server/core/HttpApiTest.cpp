// The REST API of a real wmsd process on an ephemeral loopback port.
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "wms/testsupport/WmsdProcess.h"

using wms::testsupport::HttpResult;
using wms::testsupport::WmsdProcess;

namespace {

Poco::JSON::Object::Ptr parse(const HttpResult& r) {
  Poco::JSON::Parser p;
  return p.parse(r.body).extract<Poco::JSON::Object::Ptr>();
}

std::string errorOf(const HttpResult& r) { return parse(r)->getValue<std::string>("error"); }
std::string detailOf(const HttpResult& r) { return parse(r)->getValue<std::string>("detail"); }

const char* kShipTo = R"("ship_to":{"name":"Ann Tan","line1":"1 Orchard Rd","city":"Singapore","postal_code":"238823","country":"SG"})";

std::string orderBody(const std::string& ext, const std::string& sku, int qty, const std::string& channel = "shopify") {
  return R"({"channel":")" + channel + R"(","external_id":")" + ext + R"(","lines":[{"sku":")" + sku +
         R"(","qty":)" + std::to_string(qty) + "}]," + kShipTo + "}";
}

// A server with one location, two SKUs and 5 units of APPLE.
struct Stocked {
  WmsdProcess wmsd;
  Stocked() {
    BOOST_REQUIRE_EQUAL(wmsd.post("/api/v1/locations", R"({"code":"A-01-01-1","zone":"A"})").status, 201);
    BOOST_REQUIRE_EQUAL(wmsd.post("/api/v1/skus", R"({"sku":"APPLE","barcodes":["4006381333931"]})").status, 201);
    BOOST_REQUIRE_EQUAL(wmsd.post("/api/v1/skus", R"({"sku":"BREAD"})").status, 201);
    BOOST_REQUIRE_EQUAL(
        wmsd.post("/api/v1/stock/adjustments", R"({"sku":"APPLE","location":"A-01-01-1","delta":5,"reason":"receipt"})")
            .status,
        201);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(http_api)

BOOST_AUTO_TEST_CASE(healthz_reports_the_database_and_schema_and_no_handheld_link_without_mqtt_uri) {
  WmsdProcess wmsd;
  auto r = wmsd.get("/healthz");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(parse(r)->getValue<std::string>("status") == "ok");
  BOOST_TEST(parse(r)->getValue<std::string>("database") == "ok");
  BOOST_TEST(parse(r)->getValue<std::string>("mqtt") == "off");
}

BOOST_AUTO_TEST_CASE(an_order_reserves_and_a_second_for_the_same_units_gets_409) {
  Stocked s;
  auto first = s.wmsd.post("/api/v1/orders", orderBody("1001", "APPLE", 4));
  BOOST_TEST(first.status == 201);
  BOOST_TEST(parse(first)->getValue<std::string>("status") == "allocated");
  auto second = s.wmsd.post("/api/v1/orders", orderBody("1002", "APPLE", 2));
  BOOST_TEST(second.status == 409);
  BOOST_TEST(errorOf(second) == "insufficient_stock");
  BOOST_TEST(detailOf(second) == "not enough stock: APPLE wanted 2, available 1");
  auto stock = parse(s.wmsd.get("/api/v1/stock/APPLE"));
  BOOST_TEST(stock->getValue<int>("allocated") == 4);
  BOOST_TEST(stock->getValue<int>("available") == 1);
}

BOOST_AUTO_TEST_CASE(the_same_order_posted_twice_is_200_with_the_first_order) {
  Stocked s;
  auto a = s.wmsd.post("/api/v1/orders", orderBody("7", "APPLE", 1));
  auto b = s.wmsd.post("/api/v1/orders", orderBody("7", "APPLE", 1));
  BOOST_TEST(a.status == 201);
  BOOST_TEST(b.status == 200);
  BOOST_TEST(parse(a)->getValue<int>("id") == parse(b)->getValue<int>("id"));
  BOOST_TEST(parse(s.wmsd.get("/api/v1/stock/APPLE"))->getValue<int>("allocated") == 1);
}

BOOST_AUTO_TEST_CASE(malformed_json_is_400_and_wrong_types_are_422_naming_the_field) {
  Stocked s;
  auto bad = s.wmsd.post("/api/v1/orders", R"({"external_id": "x", "lines": [)");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(errorOf(bad) == "malformed");

  auto type = s.wmsd.post("/api/v1/orders", R"({"external_id":"x","lines":[{"sku":"APPLE","qty":"two"}],)" +
                                                std::string(kShipTo) + "}");
  BOOST_TEST(type.status == 422);
  BOOST_TEST(detailOf(type) == "lines[0].qty must be a whole number");

  auto notObject = s.wmsd.post("/api/v1/orders", "[1,2]");
  BOOST_TEST(notObject.status == 422);

  auto unknown = s.wmsd.post("/api/v1/orders", R"({"external_id":"x","lines":[{"sku":"APPLE","qyt":1}],)" +
                                                   std::string(kShipTo) + "}");
  BOOST_TEST(unknown.status == 422);
  BOOST_TEST(detailOf(unknown) == "lines[0].qty is required");
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_refused_rather_than_ignored) {
  Stocked s;
  auto r = s.wmsd.post("/api/v1/orders", R"({"external_id":"x","priorty":5,"lines":[{"sku":"APPLE","qty":1}],)" +
                                             std::string(kShipTo) + "}");
  BOOST_TEST(r.status == 422);
  BOOST_TEST(detailOf(r) == "unknown field 'priorty'");
}

BOOST_AUTO_TEST_CASE(zero_and_negative_quantities_are_422_and_change_nothing) {
  Stocked s;
  BOOST_TEST(s.wmsd.post("/api/v1/orders", orderBody("z", "APPLE", 0)).status == 422);
  BOOST_TEST(s.wmsd.post("/api/v1/orders", orderBody("n", "APPLE", -1)).status == 422);
  auto adj = s.wmsd.post("/api/v1/stock/adjustments",
                         R"({"sku":"APPLE","location":"A-01-01-1","delta":0,"reason":"correction"})");
  BOOST_TEST(adj.status == 422);
  BOOST_TEST(detailOf(adj) == "delta must not be zero");
  auto neg = s.wmsd.post("/api/v1/stock/adjustments",
                         R"({"sku":"APPLE","location":"A-01-01-1","delta":-6,"reason":"lost"})");
  BOOST_TEST(neg.status == 409);
  BOOST_TEST(parse(s.wmsd.get("/api/v1/stock/APPLE"))->getValue<int>("on_hand") == 5);
}

BOOST_AUTO_TEST_CASE(unknown_things_are_404_in_the_path_and_422_in_the_body) {
  Stocked s;
  BOOST_TEST(s.wmsd.get("/api/v1/skus/NOPE").status == 404);
  BOOST_TEST(s.wmsd.get("/api/v1/orders/999").status == 404);
  BOOST_TEST(s.wmsd.get("/api/v1/orders/abc").status == 404);
  BOOST_TEST(s.wmsd.get("/api/v1/locations/Z-9/stock").status == 404);
  BOOST_TEST(s.wmsd.get("/api/v1/nothing").status == 404);
  auto order = s.wmsd.post("/api/v1/orders", orderBody("u", "NOPE", 1));
  BOOST_TEST(order.status == 422);
  BOOST_TEST(detailOf(order) == "lines[0].sku: no SKU 'NOPE' in the catalogue");
  auto adj = s.wmsd.post("/api/v1/stock/adjustments", R"({"sku":"APPLE","location":"Z-9","delta":1,"reason":"receipt"})");
  BOOST_TEST(adj.status == 422);
  BOOST_TEST(s.wmsd.post("/api/v1/skus/APPLE", "{}").status == 405);
}

BOOST_AUTO_TEST_CASE(an_oversized_body_is_413_before_it_is_read) {
  WmsdProcess wmsd(WmsdProcess::Options{{{"http.max_body_bytes", "4096"}}, {}});
  std::string huge(10000, ' ');
  auto r = wmsd.post("/api/v1/orders", "{" + huge + "}");
  BOOST_TEST(r.status == 413);
  BOOST_TEST(errorOf(r) == "too_large");
  BOOST_TEST(wmsd.get("/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(sql_metacharacters_in_every_text_field_are_stored_verbatim_or_refused) {
  Stocked s;
  const std::string evil = R"(Robert'); DROP TABLE orders;-- \" %_ \u0000)";
  // Free text is kept exactly as sent (a NUL is a control character: refused).
  auto withNul = s.wmsd.post("/api/v1/skus", R"({"sku":"EVIL","description":")" + evil + R"("})");
  BOOST_TEST(withNul.status == 422);
  const std::string text = R"(Robert'); DROP TABLE orders;-- \" %_ ')";
  auto sku = s.wmsd.post("/api/v1/skus", R"({"sku":"EVIL","description":")" + text + R"("})");
  BOOST_REQUIRE_EQUAL(sku.status, 201);
  BOOST_TEST(parse(s.wmsd.get("/api/v1/skus/EVIL"))->getValue<std::string>("description") ==
             "Robert'); DROP TABLE orders;-- \" %_ '");
  // Codes are a safe alphabet: metacharacters there are refused, naming the field.
  auto code = s.wmsd.post("/api/v1/skus", R"({"sku":"X'; DROP TABLE skus;--"})");
  BOOST_TEST(code.status == 422);
  BOOST_TEST(detailOf(code).find("sku may contain only") != std::string::npos);
  auto order = s.wmsd.post("/api/v1/orders",
                           R"({"external_id":"1';DROP","carrier":")" + text + R"(","lines":[{"sku":"APPLE","qty":1}],)"
                           R"("ship_to":{"name":")" + text + R"(","line1":")" + text + R"(","city":")" + text +
                               R"(","postal_code":"1' OR '1","country":"SG","email":")" + text + R"("}})");
  BOOST_REQUIRE_EQUAL(order.status, 201);
  auto stored = parse(order);
  BOOST_TEST(stored->getValue<std::string>("external_id") == "1';DROP");
  BOOST_TEST(stored->getObject("ship_to")->getValue<std::string>("name") == "Robert'); DROP TABLE orders;-- \" %_ '");
  auto adj = s.wmsd.post("/api/v1/stock/adjustments",
                         R"({"sku":"APPLE","location":"A-01-01-1","delta":1,"reason":"found","note":")" + text + R"("})");
  BOOST_TEST(adj.status == 201);
  // Every table is still there and consistent.
  BOOST_TEST(s.wmsd.get("/api/v1/orders").status == 200);
  BOOST_TEST(parse(s.wmsd.get("/api/v1/audit"))->getValue<bool>("ok"));
  BOOST_TEST(s.wmsd.get("/api/v1/orders?status=x'--").status == 422);
}

BOOST_AUTO_TEST_CASE(a_csv_import_with_a_bad_row_in_the_middle_is_422_with_the_line_and_applies_nothing) {
  WmsdProcess wmsd;
  const std::string csv = "sku,description,barcodes\nA1,One,4006381333931\nA2,Two,4006381333932\nA3,Three,\n";
  auto r = wmsd.post("/api/v1/import/catalogue", csv, {{"Content-Type", "text/csv"}});
  BOOST_TEST(r.status == 422);
  BOOST_TEST(detailOf(r).rfind("line 3: barcode '4006381333932' has check digit 2, expected 1", 0) == 0);
  BOOST_TEST(wmsd.get("/api/v1/skus/A1").status == 404);

  auto skip = wmsd.post("/api/v1/import/catalogue?mode=skip-bad", csv, {{"Content-Type", "text/csv"}});
  BOOST_TEST(skip.status == 200);
  BOOST_TEST(parse(skip)->getValue<int>("applied") == 2);
  BOOST_TEST(wmsd.get("/api/v1/skus/A3").status == 200);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_wmsd_cleanly_and_kill9_loses_no_acknowledged_order) {
  wms::testsupport::TempDir dir("wmsd-restart");
  int orderId = 0;
  {
    WmsdProcess wmsd(WmsdProcess::Options{{}, dir.path()});
    BOOST_REQUIRE_EQUAL(wmsd.post("/api/v1/locations", R"({"code":"L1"})").status, 201);
    BOOST_REQUIRE_EQUAL(wmsd.post("/api/v1/skus", R"({"sku":"APPLE"})").status, 201);
    BOOST_REQUIRE_EQUAL(
        wmsd.post("/api/v1/stock/adjustments", R"({"sku":"APPLE","location":"L1","delta":3,"reason":"receipt"})").status,
        201);
    auto order = wmsd.post("/api/v1/orders", orderBody("k9", "APPLE", 2));
    BOOST_REQUIRE_EQUAL(order.status, 201);
    orderId = parse(order)->getValue<int>("id");
    wmsd.kill9();
  }
  {
    WmsdProcess wmsd(WmsdProcess::Options{{}, dir.path()});
    auto order = wmsd.get("/api/v1/orders/" + std::to_string(orderId));
    BOOST_TEST(order.status == 200);
    BOOST_TEST(parse(wmsd.get("/api/v1/stock/APPLE"))->getValue<int>("allocated") == 2);
    BOOST_TEST(wmsd.stop() == 0);
    BOOST_TEST(wmsd.log().find("stopped") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_bad_config_value_stops_wmsd_at_start_naming_the_key) {
  auto r = wms::testsupport::runCommand({wms::testsupport::builtProgram("server/app/wmsd").string(), "--set",
                                         "store.durability=sometimes"});
  BOOST_TEST(r.exitCode != 0);
  BOOST_TEST(r.output.find("store.durability") != std::string::npos);
  auto typo = wms::testsupport::runCommand(
      {wms::testsupport::builtProgram("server/app/wmsd").string(), "--set", "http.prot=1"});
  BOOST_TEST(typo.exitCode != 0);
  BOOST_TEST(typo.output.find("http.prot: unknown setting") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
