// The offline promise end to end: a real wmsd and mosquitto, and the real
// wms-handheld in headless mode picking a batch. Mid-batch the broker is
// stopped; picking goes on; the broker comes back; every confirmation
// arrives and takes effect once, and stock and orders reconcile.
#define BOOST_TEST_MODULE handheld_offline
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <thread>

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

// Waits for a file the handheld's script creates; false after the deadline.
bool awaitFile(const std::filesystem::path& f, ChildProcess& handheld, std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (std::filesystem::exists(f)) return true;
    if (!handheld.running()) return std::filesystem::exists(f);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::int64_t inTotes(const Poco::JSON::Object::Ptr& stock) {
  std::int64_t n = 0;
  auto locs = stock->getArray("locations");
  for (std::size_t i = 0; i < locs->size(); ++i) {
    auto l = locs->getObject(static_cast<unsigned>(i));
    if (l->getValue<std::string>("location").rfind("TOTE-", 0) == 0) n += l->getValue<std::int64_t>("qty");
  }
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_batch_picked_through_a_broker_outage_arrives_once_and_reconciles) {
  MosquittoBroker::Options bo;
  bo.deviceIds = {"HH-07"};
  MosquittoBroker broker(bo);
  WmsdProcess::Options wo;
  wo.settings = broker.wmsdSettings(
      {{"waves.layout", std::string(WMS_SOURCE_DIR) + "/layouts/samples/dc-single-block.json"},
       {"waves.cart_totes", "4"},
       {"waves.tote_pool", "20"},
       {"waves.auto_check_s", "3600"}});
  WmsdProcess wmsd(wo);
  auto post = [&](const std::string& path, const std::string& body, const std::string& type = "application/json") {
    auto r = wmsd.post(path, body, {{"Content-Type", type}});
    BOOST_REQUIRE_MESSAGE(r.status < 300, path << ": " << r.status << " " << r.body);
    return r;
  };
  post("/api/v1/import/locations", "code,zone,kind\nA-01-01-1,A,pick\nA-01-05-1,A,pick\nA-03-02-1,A,pick\nB-08-03-1,B,pick\n",
       "text/csv");
  post("/api/v1/import/catalogue",
       "sku,description,barcodes,weight_g\nAPPLE,Apples,4006381333931,200\nBREAD,Bread,036000291452,300\n"
       "CHEESE,Cheese,96385074,250\nDATES,Dates,,100\n",
       "text/csv");
  post("/api/v1/import/stock", "sku,location,qty\nAPPLE,A-01-01-1,10\nBREAD,A-03-02-1,5\nCHEESE,A-01-05-1,20\nDATES,B-08-03-1,20\n",
       "text/csv");
  post("/api/v1/workers", R"({"badge":"B-1","name":"Siti"})");
  const char* shipTo = R"("ship_to":{"name":"Ann","line1":"1 Rd","city":"Singapore","postal_code":"1","country":"SG"})";
  int n = 0;
  for (auto [sku, qty] : {std::pair{"APPLE", 2}, {"CHEESE", 2}, {"DATES", 3}, {"BREAD", 2}}) {
    auto r = wmsd.post("/api/v1/orders", std::string(R"({"channel":"shopee","external_id":"o)") + std::to_string(++n) +
                                             R"(","lines":[{"sku":")" + sku + R"(","qty":)" + std::to_string(qty) +
                                             "}]," + shipTo + "}");
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  }

  TempDir dir;
  // Two stops online, two with the broker down; every stop has 2+ units
  // and one tote (one order per tote).
  std::ostringstream script;
  script << "wait-online 60\nscan B-1\nwait-synced 60\nsignal " << (dir / "signed-in").string()
         << "\nwait-for SCAN LOCATION 60\n";
  auto stopLines = [&] { script << "scan @location\nscan @item\ntype @qty\nscan @tote\n"; };
  stopLines();
  stopLines();
  script << "wait-synced 60\nsignal " << (dir / "half").string() << "\nawait-file " << (dir / "broker-down").string()
         << " 60\n";
  stopLines();
  stopLines();
  script << "expect BATCH DONE\nexpect OFFLINE\nstats\nsignal " << (dir / "picked").string() << "\nawait-file "
         << (dir / "broker-up").string() << " 60\nwait-synced 90\nstats\n";
  writeFile(dir / "pick.script", script.str());

  ChildProcess::Options po;
  po.output = dir / "handheld.out";
  ChildProcess handheld({WMS_HANDHELD_BINARY, "--script", (dir / "pick.script").string(), "--broker", broker.uri(),
                         "--device", "HH-07", "--password", broker.device(0).password, "--db",
                         (dir / "hh.db").string()},
                        po);
  auto output = [&] { return std::filesystem::exists(dir / "handheld.out") ? readFile(dir / "handheld.out") : ""; };

  BOOST_REQUIRE_MESSAGE(awaitFile(dir / "signed-in", handheld, std::chrono::seconds(90)), output());
  auto released = wmsd.post("/api/v1/waves/release", "{}");
  BOOST_REQUIRE_MESSAGE(released.status == 201, released.body);
  auto wave = parse(released.body)->getArray("waves")->getObject(0);
  BOOST_REQUIRE_EQUAL(wave->getValue<int>("batches"), 1);

  BOOST_REQUIRE_MESSAGE(awaitFile(dir / "half", handheld, std::chrono::seconds(90)), output());
  broker.stop();
  writeFile(dir / "broker-down", "");
  BOOST_REQUIRE_MESSAGE(awaitFile(dir / "picked", handheld, std::chrono::seconds(90)), output());
  // While the broker is down nothing of the second half reached wmsd.
  auto mid = parse(wmsd.get("/api/v1/waves/" + wave->get("id").toString()).body);
  BOOST_TEST(mid->getValue<std::string>("status") != "done");
  broker.start();
  writeFile(dir / "broker-up", "");
  auto exit = handheld.wait(std::chrono::seconds(150));
  BOOST_REQUIRE_MESSAGE(exit.has_value(), output());
  BOOST_REQUIRE_MESSAGE(ChildProcess::exitCode(*exit) == 0, output());

  const std::string out = output();
  BOOST_TEST_MESSAGE(out);
  // The last stats line: six events (signin, four picks, batch.done), each
  // applied exactly once, nothing refused, nothing left.
  const auto last = out.rfind("{\"created\"");
  BOOST_REQUIRE(last != std::string::npos);
  auto stats = parse(out.substr(last, out.find('\n', last) - last));
  BOOST_TEST(stats->getValue<int>("applied") == 6, out.substr(last, 300));
  BOOST_TEST(stats->getValue<int>("rejected") == 0);
  BOOST_TEST(stats->getValue<int>("outbox") == 0);
  // The offline half really was offline: the outbox held 3 events then.
  BOOST_TEST(out.find("\"outbox\":3}") != std::string::npos);

  auto detail = parse(wmsd.get("/api/v1/waves/" + wave->get("id").toString()).body);
  BOOST_TEST(detail->getValue<std::string>("status") == "done");
  for (auto [sku, qty] : {std::pair{"APPLE", 2}, {"CHEESE", 2}, {"DATES", 3}, {"BREAD", 2}}) {
    auto stock = parse(wmsd.get(std::string("/api/v1/stock/") + sku).body);
    BOOST_TEST(inTotes(stock) == qty, sku);
  }
  auto orders = parse(wmsd.get("/api/v1/orders?limit=10").body)->getArray("items");
  BOOST_REQUIRE_EQUAL(orders->size(), 4u);
  for (std::size_t k = 0; k < orders->size(); ++k)
    BOOST_TEST(orders->getObject(static_cast<unsigned>(k))->getValue<std::string>("status") == "picked");
  auto audit = wmsd.get("/api/v1/audit");
  BOOST_TEST(parse(audit.body)->getValue<bool>("ok"), audit.body);
}
