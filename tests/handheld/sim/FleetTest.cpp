// wms-sim against a real wmsd and mosquitto: it makes its own device
// accounts and workers, releases the waiting orders, and its simulated
// pickers finish the wave through rendered, decoded scans, with shorts.
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/TempDir.h"
#include "wms/testsupport/WmsdProcess.h"

using namespace wms::testsupport;

namespace {

Poco::JSON::Object::Ptr parse(const std::string& body) {
  Poco::JSON::Parser p;
  return p.parse(body).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

BOOST_AUTO_TEST_CASE(two_simulated_handhelds_pick_every_released_order_with_shorts_and_the_books_reconcile) {
  MosquittoBroker::Options bo;
  bo.devices = 0;
  MosquittoBroker broker(bo);
  WmsdProcess::Options wo;
  wo.settings = broker.wmsdSettings(
      {{"waves.layout", std::string(WMS_SOURCE_DIR) + "/layouts/samples/dc-single-block.json"},
       {"waves.cart_totes", "3"},
       {"waves.tote_pool", "30"},
       {"waves.auto_check_s", "3600"}});
  WmsdProcess wmsd(wo);
  auto post = [&](const std::string& path, const std::string& body, const std::string& type = "application/json") {
    auto r = wmsd.post(path, body, {{"Content-Type", type}});
    BOOST_REQUIRE_MESSAGE(r.status < 300, path << ": " << r.status << " " << r.body);
  };
  post("/api/v1/import/locations",
       "code,zone,kind\nA-01-01-1,A,pick\nA-01-05-1,A,pick\nA-03-02-1,A,pick\nB-08-03-1,B,pick\nB-07-04-1,B,pick\n",
       "text/csv");
  post("/api/v1/import/catalogue",
       "sku,description,barcodes,weight_g\nAPPLE,Apples,4006381333931,200\nBREAD,Bread,036000291452,300\n"
       "CHEESE,Cheese,96385074,250\nDATES,Dates,,100\n",
       "text/csv");
  post("/api/v1/import/stock",
       "sku,location,qty\nAPPLE,A-01-01-1,30\nAPPLE,B-07-04-1,30\nBREAD,A-03-02-1,30\nCHEESE,A-01-05-1,30\n"
       "DATES,B-08-03-1,30\n",
       "text/csv");
  const char* shipTo = R"("ship_to":{"name":"Ann","line1":"1 Rd","city":"Singapore","postal_code":"1","country":"SG"})";
  const char* lines[] = {R"({"sku":"APPLE","qty":2},{"sku":"CHEESE","qty":1})", R"({"sku":"BREAD","qty":2})",
                         R"({"sku":"DATES","qty":3},{"sku":"APPLE","qty":1})", R"({"sku":"CHEESE","qty":2})",
                         R"({"sku":"APPLE","qty":1},{"sku":"BREAD","qty":1},{"sku":"DATES","qty":1})",
                         R"({"sku":"CHEESE","qty":1},{"sku":"DATES","qty":2})"};
  int n = 0;
  for (const char* l : lines) {
    auto r = wmsd.post("/api/v1/orders", std::string(R"({"channel":"lazada","external_id":"s)") + std::to_string(++n) +
                                             R"(","lines":[)" + l + "]," + shipTo + "}");
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  }

  TempDir dir;
  ChildProcess::Options po;
  po.output = dir / "sim.out";
  ChildProcess sim({WMS_SIM_BINARY, "--api", "http://127.0.0.1:" + std::to_string(wmsd.port()), "--broker-dir",
                    (broker.dir() / "broker").string(), "--devices", "2", "--pace", "0", "--short-probability", "0.3",
                    "--seed", "7", "--release-every", "1", "--until-idle", "6", "--duration", "200", "--state",
                    (dir / "state").string()},
                   po);
  auto exit = sim.wait(std::chrono::seconds(240));
  const std::string out = std::filesystem::exists(dir / "sim.out") ? readFile(dir / "sim.out") : "";
  BOOST_REQUIRE_MESSAGE(exit.has_value(), out);
  BOOST_REQUIRE_MESSAGE(ChildProcess::exitCode(*exit) == 0, out);
  const auto start = out.rfind("{\"devices\"");
  BOOST_REQUIRE_MESSAGE(start != std::string::npos, out);
  auto summary = parse(out.substr(start, out.find('\n', start) - start));
  BOOST_TEST_MESSAGE(out.substr(start));
  BOOST_TEST(summary->getValue<int>("devices") == 2);
  BOOST_TEST(summary->getValue<int>("batches") >= 1);
  BOOST_TEST(summary->getValue<int>("flagged") == 0);
  auto events = summary->getObject("events");
  BOOST_TEST(events->getValue<int>("rejected") == 0, out.substr(start));
  BOOST_TEST(events->getValue<int>("outbox_left") == 0);
  BOOST_TEST(events->getValue<int>("applied") + events->getValue<int>("duplicate") ==
             events->getValue<int>("created"));
  auto decode = summary->getObject("decode");
  BOOST_TEST(decode->getValue<int>("frames") > 0);
  BOOST_TEST(decode->getValue<int>("worker_crashes") == 0);
  // wmsd allows no typed codes: a label that would not read was scanned
  // again, never typed (a typed code would have been refused).
  BOOST_TEST(decode->getValue<int>("typed") == 0);

  // Every order of the day was released and picked (some with short lines).
  auto waves = parse(wmsd.get("/api/v1/waves").body)->getArray("items");
  BOOST_REQUIRE(waves->size() >= 1u);
  int batches = 0;
  for (std::size_t i = 0; i < waves->size(); ++i) {
    auto w = waves->getObject(static_cast<unsigned>(i));
    BOOST_TEST(w->getValue<std::string>("status") == "done", w->get("id").toString());
    batches += w->getValue<int>("batches");
  }
  BOOST_TEST(summary->getValue<int>("batches") == batches);
  auto orders = parse(wmsd.get("/api/v1/orders?limit=50").body)->getArray("items");
  BOOST_REQUIRE_EQUAL(orders->size(), 6u);
  for (std::size_t i = 0; i < orders->size(); ++i) {
    const auto status = orders->getObject(static_cast<unsigned>(i))->getValue<std::string>("status");
    BOOST_TEST((status == "picked" || status == "held"), status);
  }
  auto audit = wmsd.get("/api/v1/audit");
  BOOST_TEST(parse(audit.body)->getValue<bool>("ok"), audit.body);
}
