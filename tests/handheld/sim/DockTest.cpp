// wms-sim's dock workers against a real wmsd and mosquitto: a small dock
// morning. Two purchase orders (one with a pallet announced by SSCC) are
// received by a simulated receiver from GS1-128 labels rendered as camera
// images, put away by a simulated put-away worker (who tries another
// location first, which wmsd refuses for want of room, and then takes the
// suggestion), a pick face under its minimum is refilled from the reserve
// the put-away filled, and a counter miscounts a shelf twice so that the
// count waits for the supervisor. The books are then read back over REST.
// And a receiver with a scan engine instead of a camera.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <boost/test/unit_test.hpp>
#include <map>
#include <sstream>

#include "wms/sim/Fleet.h"
#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/TempDir.h"
#include "wms/testsupport/WmsdProcess.h"

using namespace wms::testsupport;

namespace {

Poco::JSON::Object::Ptr parseObject(const std::string& body) {
  Poco::JSON::Parser p;
  return p.parse(body).extract<Poco::JSON::Object::Ptr>();
}

constexpr const char* kPallet = "106141411234567897";

struct DockFloor {
  MosquittoBroker broker{[] {
    MosquittoBroker::Options bo;
    bo.devices = 0;
    return bo;
  }()};
  std::unique_ptr<WmsdProcess> wmsd;
  TempDir dir;

  DockFloor() {
    WmsdProcess::Options wo;
    wo.settings = broker.wmsdSettings(
        {{"waves.layout", std::string(WMS_SOURCE_DIR) + "/layouts/samples/dc-single-block.json"},
         {"waves.auto_check_s", "3600"}});
    wmsd = std::make_unique<WmsdProcess>(wo);
    send("POST", "/api/v1/import/locations",
         "code,zone,kind\nA-01-01-1,A,pick\nA-01-05-1,A,pick\nA-03-02-1,A,pick\nB-08-03-1,B,pick\n"
         "R-01-01-3,A,reserve\nR-01-02-3,A,reserve\nDOCK-1,D,dock\n",
         "text/csv");
    send("POST", "/api/v1/import/catalogue",
         "sku,description,barcodes,weight_g,lot_tracked,expiry_tracked\n"
         "APPLE,Apples,4006381333931,200,false,false\nBREAD,Bread,036000291452,300,false,false\n"
         "CHEESE,Cheese,96385074,250,true,true\nEGGS,Eggs,5012345678900,600,false,false\n",
         "text/csv");
    send("POST", "/api/v1/import/stock",
         "sku,location,qty,lot,expiry\nAPPLE,A-01-01-1,10,,\nBREAD,A-03-02-1,30,,\n"
         "CHEESE,A-01-05-1,20,L1,2028-12-31\nEGGS,B-08-03-1,9,,\n",
         "text/csv");
    // The apples' face has room for 2 more and must hold 11: the pallet of
    // 24 goes to reserve, and 2 come down from there once.
    send("PUT", "/api/v1/inbound/locations/A-01-01-1/capacity", R"({"max_units":12})");
    send("PUT", "/api/v1/inbound/pick-faces/A-01-01-1", R"({"sku":"APPLE","min":11,"max":12})");
  }

  std::string api() const { return "http://127.0.0.1:" + std::to_string(wmsd->port()); }

  Poco::JSON::Object::Ptr send(const std::string& method, const std::string& path, const std::string& body,
                               const std::string& type = "application/json") {
    auto r = httpRequest(wmsd->port(), method, path, body, {{"Content-Type", type}});
    BOOST_REQUIRE_MESSAGE(r.status < 300, method << " " << path << ": " << r.status << " " << r.body);
    return r.body.empty() || r.body[0] != '{' ? nullptr : parseObject(r.body);
  }

  Poco::JSON::Object::Ptr get(const std::string& path) {
    auto r = wmsd->get(path);
    BOOST_REQUIRE_MESSAGE(r.status == 200, path << ": " << r.status << " " << r.body);
    return parseObject(r.body);
  }

  // Every ledger row, oldest first.
  std::vector<Poco::JSON::Object::Ptr> ledger() {
    std::vector<Poco::JSON::Object::Ptr> rows;
    std::string after = "0";
    for (int page = 0; page < 100; ++page) {
      auto o = get("/api/v1/ledger?limit=1000&after=" + after);
      auto items = o->getArray("items");
      for (unsigned i = 0; i < items->size(); ++i) rows.push_back(items->getObject(i));
      if (o->isNull("next_after")) break;
      after = o->get("next_after").toString();
    }
    return rows;
  }

  std::int64_t qtyAt(const std::string& sku, const std::string& location) {
    std::int64_t units = 0;
    auto rows = get("/api/v1/stock/" + sku)->getArray("locations");
    for (unsigned i = 0; rows && i < rows->size(); ++i)
      if (rows->getObject(i)->getValue<std::string>("location") == location)
        units += rows->getObject(i)->getValue<std::int64_t>("qty");
    return units;
  }
};

// What a ledger row did to its location's stock: a transfer's two rows
// leave the SKU's on-hand as it was and say in their note how many went
// out of one location ("2 out") and into the other ("2 in").
std::int64_t locationDelta(const Poco::JSON::Object::Ptr& row) {
  if (row->getValue<std::string>("cause") != "transfer") return row->getValue<std::int64_t>("delta_on_hand");
  const auto note = row->getValue<std::string>("note");
  std::size_t used = 0;
  const std::int64_t qty = std::stoll(note, &used);
  if (note.compare(used, 3, " in") == 0) return qty;
  BOOST_REQUIRE_MESSAGE(note.compare(used, 4, " out") == 0, "a transfer row's note: " << note);
  return -qty;
}

}  // namespace

BOOST_AUTO_TEST_CASE(
    a_dock_morning_of_simulated_handhelds_receives_puts_away_refills_a_face_and_counts_a_variance) {
  DockFloor f;
  f.send("POST", "/api/v1/inbound/purchase-orders",
         R"({"reference":"PO-SIM-1","supplier":"Acme Foods","lines":[{"sku":"APPLE","qty":24},)"
         R"({"sku":"CHEESE","qty":18,"lot":"L5","expiry":"2029-01-31"},{"sku":"BREAD","qty":12}],)"
         R"("units":[{"sscc":")" +
             std::string(kPallet) + R"(","contents":[{"line_no":1,"qty":24}]}]})");
  f.send("POST", "/api/v1/inbound/purchase-orders",
         R"({"reference":"PO-SIM-2","supplier":"Borneo Bakery","lines":[{"sku":"BREAD","qty":6}]})");
  constexpr std::int64_t kOrdered = 24 + 18 + 12 + 6;
  f.send("POST", "/api/v1/inbound/counts", R"({"location":"B-08-03-1","sku":"EGGS","reason":"test"})");
  const auto before = f.ledger();
  const std::int64_t lastBefore = before.empty() ? 0 : before.back()->getValue<std::int64_t>("id");

  ChildProcess::Options po;
  po.output = f.dir / "sim.out";
  ChildProcess sim({WMS_SIM_BINARY,
                    "--api",
                    f.api(),
                    "--broker-dir",
                    (f.broker.dir() / "broker").string(),
                    "--state",
                    (f.dir / "state").string(),
                    "--devices",
                    "0",
                    "--receivers",
                    "1",
                    "--putaway",
                    "1",
                    "--replenishers",
                    "1",
                    "--counters",
                    "1",
                    "--docks",
                    "DOCK-1",
                    "--pace",
                    "0",
                    "--seed",
                    "4",
                    "--override-probability",
                    "1",
                    "--miscount-probability",
                    "1",
                    "--dock-poll",
                    "300",
                    "--until-idle",
                    "6",
                    "--duration",
                    "200"},
                   po);
  auto exit = sim.wait(std::chrono::seconds(240));
  const std::string out = std::filesystem::exists(po.output) ? readFile(po.output) : "";
  BOOST_REQUIRE_MESSAGE(exit.has_value(), out);
  BOOST_REQUIRE_MESSAGE(ChildProcess::exitCode(*exit) == 0, out);
  const auto start = out.rfind("{\"devices\"");
  BOOST_REQUIRE_MESSAGE(start != std::string::npos, out);
  const std::string line = out.substr(start, out.find('\n', start) - start);
  BOOST_TEST_MESSAGE(line);
  auto summary = parseObject(line);

  // The sim's own figures, mode by mode.
  auto receiving = summary->getObject("receiving");
  auto putaway = summary->getObject("putaway");
  auto replenishment = summary->getObject("replenishment");
  auto counting = summary->getObject("counting");
  BOOST_REQUIRE(receiving && putaway && replenishment && counting);
  BOOST_TEST(receiving->getValue<int>("orders") == 2);
  BOOST_TEST(receiving->getValue<int>("pallets") == 1);
  BOOST_TEST(receiving->getValue<std::int64_t>("units") == kOrdered);
  BOOST_TEST(putaway->getValue<std::int64_t>("units") == kOrdered);
  BOOST_TEST(putaway->getValue<int>("overrides") == 0);
  // The apples tried their face first (no room): refused, then the
  // suggestion. The others have no other place to try.
  BOOST_TEST(putaway->getValue<int>("overrides_refused") == 1);
  BOOST_TEST(putaway->getObject("events")->getValue<int>("rejected") ==
             putaway->getValue<int>("overrides_refused"));
  BOOST_TEST(replenishment->getValue<int>("moves") == 1);
  BOOST_TEST(replenishment->getValue<int>("units") == 2);
  BOOST_TEST(counting->getValue<int>("counts") == 2);
  BOOST_TEST(counting->getValue<int>("miscounts") == 2);
  BOOST_TEST(counting->getValue<int>("recounts") == 1);
  for (const auto& mode : {receiving, putaway, replenishment, counting}) {
    BOOST_TEST(mode->getValue<int>("workers") == 1);
    BOOST_TEST(mode->getObject("events")->getValue<int>("outbox_left") == 0);
    BOOST_TEST(mode->getObject("wait_ms")->getValue<int>("samples") >= 1);
  }
  for (const auto& mode : {receiving, replenishment, counting})
    BOOST_TEST(mode->getObject("events")->getValue<int>("rejected") == 0, line);
  BOOST_TEST(summary->getObject("decode")->getValue<int>("frames") > 10);

  // wmsd's books: every unit of the orders received, once.
  for (const char* reference : {"PO-SIM-1", "PO-SIM-2"}) {
    auto list = f.get(std::string("/api/v1/inbound/purchase-orders?q=") + reference)->getArray("items");
    BOOST_REQUIRE_EQUAL(list->size(), 1u);
    auto order = f.get("/api/v1/inbound/purchase-orders/" +
                       std::to_string(list->getObject(0)->getValue<std::int64_t>("id")));
    auto lines = order->getArray("lines");
    for (unsigned i = 0; i < lines->size(); ++i)
      BOOST_TEST(lines->getObject(i)->getValue<std::int64_t>("received") ==
                     lines->getObject(i)->getValue<std::int64_t>("qty"),
                 reference << " line " << i + 1);
  }
  std::int64_t received = 0;
  int replenishRows = 0;
  std::map<std::string, std::int64_t> replenished;  // by location
  std::map<std::string, std::int64_t> running;      // sku|location|lot|expiry over the whole ledger
  for (const auto& row : f.ledger()) {
    const auto cause = row->getValue<std::string>("cause");
    const auto reference = row->getValue<std::string>("reference");
    const auto location = row->getValue<std::string>("location");
    const auto delta = locationDelta(row);
    const std::string key = row->getValue<std::string>("sku") + "|" + location + "|" +
                            row->getValue<std::string>("lot") + "|" + row->getValue<std::string>("expiry");
    if (!location.empty()) running[key] += delta;
    BOOST_TEST(running[key] >= 0,
               "stock went negative: " << key << " after ledger row " << row->get("id").toString());
    if (row->getValue<std::int64_t>("id") <= lastBefore) continue;
    if (cause == "receipt") received += delta;
    if (cause == "transfer" && reference == "replenishment") {
      ++replenishRows;
      replenished[location] += delta;
    }
  }
  BOOST_TEST(received == kOrdered);
  // Put away: nothing is left at the dock.
  for (const char* sku : {"APPLE", "BREAD", "CHEESE"}) BOOST_TEST(f.qtyAt(sku, "DOCK-1") == 0, sku);
  BOOST_TEST(f.get("/api/v1/inbound/putaway/backlog")->getArray("items")->size() == 0u);
  // The apples went to reserve; 2 came down to the face, once.
  BOOST_TEST(replenishRows == 2);
  BOOST_TEST(replenished["A-01-01-1"] == 2);
  BOOST_TEST(replenished["R-01-01-3"] + replenished["R-01-02-3"] == -2);
  BOOST_TEST(f.qtyAt("APPLE", "A-01-01-1") == 12);
  BOOST_TEST(f.qtyAt("APPLE", "R-01-01-3") + f.qtyAt("APPLE", "R-01-02-3") == 24 - 2);
  BOOST_TEST(f.qtyAt("CHEESE", "A-01-05-1") == 20 + 18);
  BOOST_TEST(f.qtyAt("BREAD", "A-03-02-1") == 30 + 12 + 6);

  // The eggs were miscounted twice: the count waits for the supervisor.
  auto counts = f.get("/api/v1/inbound/counts?status=approval")->getArray("items");
  BOOST_REQUIRE_EQUAL(counts->size(), 1u);
  auto task = counts->getObject(0);
  BOOST_TEST(task->getValue<std::string>("sku") == "EGGS");
  BOOST_TEST(task->getValue<std::int64_t>("first_expected") == 9);
  BOOST_TEST(task->getValue<std::int64_t>("first_count") < 9);
  BOOST_TEST(task->getValue<std::int64_t>("second_count") < 9);
  const auto second = task->getValue<std::int64_t>("second_count");
  f.send("POST", "/api/v1/inbound/counts/" + std::to_string(task->getValue<std::int64_t>("id")) + "/approve",
         R"({"by":"sup-1"})");
  BOOST_TEST(f.qtyAt("EGGS", "B-08-03-1") == second);
  auto audit = f.wmsd->get("/api/v1/audit");
  BOOST_TEST(parseObject(audit.body)->getValue<bool>("ok"), audit.body);
}

// The same receiver with a hardware scan engine (the fleet run in-process
// through the library): the GS1 case labels arrive as `]C1` reads, no image
// is drawn, and every unit of the order is received once.
BOOST_AUTO_TEST_CASE(a_receiver_with_a_scan_engine_receives_gs1_cases_without_images) {
  DockFloor f;
  f.send("POST", "/api/v1/inbound/purchase-orders",
         R"({"reference":"PO-ENG-1","supplier":"Acme Foods","lines":[{"sku":"BREAD","qty":30},)"
         R"({"sku":"CHEESE","qty":7,"lot":"L8","expiry":"2029-03-31"}]})");
  wms::sim::FleetOptions o;
  o.api = f.api();
  o.brokerDir = f.broker.dir() / "broker";
  o.brokerTool = std::string(WMS_SOURCE_DIR) + "/tools/broker/wms-broker";
  o.devicePrefix = "ENG-";
  o.devices = 0;
  o.receivers = 1;
  o.docks = {"DOCK-1"};
  o.scanner = wms::sim::Scanner::Engine;
  o.pace = std::chrono::milliseconds(0);
  o.dockPoll = std::chrono::milliseconds(200);
  o.untilIdle = std::chrono::seconds(3);
  o.duration = std::chrono::seconds(120);
  o.stateDir = f.dir / "engine-state";
  std::atomic<bool> stop{false};
  std::ostringstream progress;
  auto summary = wms::sim::runFleet(o, progress, stop);
  BOOST_REQUIRE_MESSAGE(summary, (summary ? "" : summary.error().message));
  BOOST_TEST_MESSAGE(summary->json());
  const auto& d = summary->dock;
  BOOST_TEST(d.ordersReceived == 1);
  BOOST_TEST(d.unitsReceived == 37);
  BOOST_TEST(d.cases >= 3);  // 30 bread in cases of at most 24, and the cheese
  BOOST_TEST(d.receiving.rejected == 0u);
  BOOST_TEST(d.receiving.outboxLeft == 0u);
  BOOST_TEST(summary->frames == 0u);
  BOOST_TEST(summary->engineReads >= 4u);  // the order, and each case
  BOOST_TEST(f.qtyAt("BREAD", "DOCK-1") == 30);
  BOOST_TEST(f.qtyAt("CHEESE", "DOCK-1") == 7);
  // The cheese's lot and expiry came from its GS1 label.
  auto rows = f.get("/api/v1/stock/CHEESE")->getArray("locations");
  bool lotted = false;
  for (unsigned i = 0; i < rows->size(); ++i) {
    auto r = rows->getObject(i);
    if (r->getValue<std::string>("location") == "DOCK-1")
      lotted = r->getValue<std::string>("lot") == "L8" && r->getValue<std::string>("expiry") == "2029-03-31";
  }
  BOOST_TEST(lotted);
  // Refused options are errors, not a fleet.
  o.docks = {"not a dock"};
  BOOST_TEST(!wms::sim::runFleet(o, progress, stop));
  o.docks = {"DOCK-1"};
  o.miscountProbability = 2;
  BOOST_TEST(!wms::sim::runFleet(o, progress, stop));
}
