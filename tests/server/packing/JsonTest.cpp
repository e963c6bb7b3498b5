// Tests for server/packing/src/Json.cpp: strict request bodies and the
// answers the packing-station page reads.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "PackingWorld.h"
#include "wms/packing/Json.h"

using namespace wms;
using namespace wms::packing;
using wms::packing::test::PackingWorld;

namespace {

Poco::JSON::Object::Ptr parsed(const std::string& text) {
  Poco::JSON::Parser p;
  return p.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

template <class T>
Status statusOf(const Result<T>& r) {
  return r ? Status{} : Status{r.error()};
}

// Every request parser, by the name used in the fixtures' file names.
Status parseAny(const std::string& kind, const std::string& body) {
  if (kind == "start") return statusOf(json::parseStartRequest(body));
  if (kind == "scan") return statusOf(json::parseScanRequest(body));
  if (kind == "remove") return statusOf(json::parseRemoveRequest(body));
  if (kind == "carton") return statusOf(json::parseOpenCartonRequest(body));
  if (kind == "close") return statusOf(json::parseCloseCartonRequest(body));
  if (kind == "empty") return json::parseEmptyRequest(body);
  if (kind == "shipment") return statusOf(json::parseShipmentRequest(body));
  if (kind == "ship") return statusOf(json::parseShipRequest(body, 1, ""));
  if (kind == "reprint") return statusOf(json::parseReprintRequest(body));
  BOOST_FAIL("unknown fixture kind " << kind);
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(packing_json)

BOOST_AUTO_TEST_CASE(well_formed_requests_are_read_with_their_defaults) {
  auto start = json::parseStartRequest(R"({"code":"T-000381","station":"PACK-2"})");
  BOOST_REQUIRE(start.ok());
  BOOST_TEST(start->code == "T-000381");
  auto scan = json::parseScanRequest(R"({"text":"]C1010950110153000310LOT\u001d21X"})");
  BOOST_REQUIRE(scan.ok());
  BOOST_TEST(scan->qty == 1);
  BOOST_TEST(scan->text.find('\x1d') != std::string::npos);  // the GS separator arrives escaped in JSON
  BOOST_TEST(json::parseScanRequest(R"({"text":"MUG","qty":24})")->qty == 24);
  BOOST_TEST(!json::parseCloseCartonRequest("")->has_value());
  BOOST_TEST(json::parseCloseCartonRequest(R"({"weight_g":850})")->value() == 850);
  BOOST_TEST(json::parseEmptyRequest("  ").ok());
  BOOST_TEST(json::parseShipmentRequest("{}")->print);
  auto ship = json::parseShipRequest(R"({"shipment_id":5,"lines":[{"line_no":1,"qty":2}]})", 42, "hdr-key");
  BOOST_REQUIRE(ship.ok());
  BOOST_TEST(ship->orderId == 42);
  BOOST_TEST(ship->shipmentId == 5);
  BOOST_TEST(ship->idempotencyKey == "hdr-key");
  BOOST_REQUIRE(ship->lines.size() == 1u);
  BOOST_TEST(ship->lines[0].qty == 2);
}

BOOST_AUTO_TEST_CASE(bad_requests_name_the_field) {
  BOOST_TEST(json::parseScanRequest(R"({"text":"MUG","qyt":2})").error().message == "unknown field qyt");
  BOOST_TEST(json::parseScanRequest(R"({"text":"MUG","qty":0})").error().message ==
             "qty must be a whole number from 1 to 1000000");
  BOOST_TEST(json::parseScanRequest(R"({"qty":1})").error().message == "text is required");
  BOOST_TEST(json::parseShipRequest(R"({"lines":[{"line_no":1}]})", 1, "k").error().message ==
             "lines[0].qty is required");
  BOOST_TEST(json::parseShipRequest(R"({"lines":[]})", 1, "").error().message ==
             "idempotency_key (or an Idempotency-Key header) is required");
  BOOST_TEST(json::parseShipRequest(R"({"idempotency_key":"a"})", 1, "b").error().message ==
             "idempotency_key and the Idempotency-Key header differ");
  BOOST_TEST(
      json::parseShipRequest(R"({"lines":[{"line_no":1,"qty":1,"sku":"X"}]})", 1, "k").error().message ==
      "unknown field lines[0].sku");
  BOOST_TEST((json::parseStartRequest("[1]").error().kind == ErrorKind::Malformed));
  BOOST_TEST((json::parseStartRequest(std::string(70000, ' ') + "{}").error().kind == ErrorKind::TooLarge));
}

// Broken request bodies kept as fixtures: KIND-NAME.json with KIND-NAME.err
// (the error kind, then a part of the message).
BOOST_AUTO_TEST_CASE(every_broken_request_fixture_fails_with_its_recorded_error) {
  const std::filesystem::path dir = std::filesystem::path(WMS_PACKING_TEST_DIR) / "fixtures/requests";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    const std::string stem = entry.path().stem().string();
    auto errFile = entry.path();
    errFile.replace_extension(".err");
    std::istringstream expected(readFile(errFile));
    std::string kind, part;
    std::getline(expected, kind);
    std::getline(expected, part);
    auto st = parseAny(stem.substr(0, stem.find('-')), readFile(entry.path()));
    BOOST_TEST_CONTEXT(entry.path().filename()) {
      BOOST_TEST_REQUIRE(!st.ok());
      BOOST_TEST(toString(st.error().kind) == kind);
      BOOST_TEST(st.error().message.find(part) != std::string::npos, st.error().message);
    }
    ++checked;
  }
  BOOST_TEST(checked >= 8);
}

BOOST_AUTO_TEST_CASE(the_session_answer_carries_what_the_page_draws) {
  PackingWorld w;
  w.pickedOrder("J-1", {{"MUG", 2}}, "T-1");
  PackSessionService sessions(w.db(), w.shipping());
  auto v = sessions.start("T-1", "PACK-1");
  BOOST_REQUIRE(v.ok());
  auto s = sessions.scan(v->sessionId, "8851234567898");
  BOOST_REQUIRE(s.ok());
  auto o = parsed(json::sessionToJson(*s));
  BOOST_TEST(o->getValue<std::string>("state") == "open");
  BOOST_TEST(o->getObject("order")->getValue<std::string>("reference").rfind("SO-", 0) == 0u);
  BOOST_TEST(o->getArray("lines")->getObject(0)->getValue<int>("packed") == 1);
  BOOST_TEST(o->getObject("last_scan")->getValue<std::string>("outcome") == "accepted");
  BOOST_TEST(o->getObject("last_scan")->getValue<bool>("ok"));
  BOOST_TEST(o->getValue<int>("open_carton") == 1);
  BOOST_TEST(o->getArray("missing")->getObject(0)->getValue<int>("missing") == 1);
  BOOST_TEST(o->getObject("suggestion")->getArray("cartons")->size() == 1u);
  BOOST_TEST(o->isNull("shipment"));
}

BOOST_AUTO_TEST_CASE(the_ship_answer_and_the_config_are_json_objects) {
  PackingWorld w;
  auto id = w.pickedOrder("J-2", {{"MUG", 1}}, "T-1");
  BOOST_REQUIRE(w.shipping().packOrder(id, {{"", "S", std::nullopt, {{1, "", 1}}}}).ok());
  auto shipment = w.shipping().createShipment(id);
  BOOST_REQUIRE(shipment.ok());
  auto so = parsed(json::shipmentAndJobsToJson(*shipment, {}, Error{ErrorKind::Invalid, "no printer"}));
  BOOST_TEST(so->getObject("shipment")->getValue<std::string>("tracking_number") == shipment->trackingNumber);
  BOOST_TEST(so->getObject("print_error")->getValue<std::string>("error") == "invalid");
  auto r = w.shipping().confirmShipment({id, 0, {}, "k"});
  BOOST_REQUIRE(r.ok());
  auto ro = parsed(json::shipResultToJson(*r));
  BOOST_TEST(ro->getValue<std::string>("order_status") == "shipped");
  BOOST_TEST(!ro->getValue<bool>("duplicate"));
  BOOST_TEST(ro->getArray("lines")->getObject(0)->getValue<int>("shipped") == 1);
  auto co = parsed(json::configToJson(w.config()));
  BOOST_TEST(co->getArray("cartons")->size() == w.config().cartons.types.size());
}

BOOST_AUTO_TEST_CASE(one_print_job_carries_its_attempt_log_and_a_list_does_not) {
  PrintJobView v;
  v.id = 7;
  v.printerId = "ZEBRA-1";
  v.state = labels::JobState::Waiting;
  v.attempts = 1;
  v.lastError = "printer tcp://127.0.0.1:9 cannot connect: Connection refused";
  v.message = "waiting for printer ZEBRA-1: ...";
  auto none = parsed(json::printJobToJson(v));
  BOOST_TEST(none->getArray("attempt_log")->size() == 0u);
  BOOST_TEST(none->getValue<std::string>("state") == "waiting");
  BOOST_TEST(none->isNull("shipment_id"));
  auto one = parsed(json::printJobToJson(v, {{7, 1, std::chrono::system_clock::now(), false, "refused"}}));
  BOOST_TEST(one->getArray("attempt_log")->getObject(0)->getValue<std::string>("error") == "refused");
  auto list = parsed(json::printJobsToJson({v}));
  BOOST_TEST(!list->getArray("items")->getObject(0)->has("attempt_log"));
}

BOOST_AUTO_TEST_SUITE_END()
