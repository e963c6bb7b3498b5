// The supervisor dashboard (server/assets/dashboard) in headless Chromium
// against a real wmsd with a released wave, a signed-in handheld and an
// open exception: what a supervisor sees is what the floor holds.
#define BOOST_TEST_MODULE server_dashboard
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <cstdio>
#include <thread>

#include "wms/testsupport/Browser.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/ScriptedDevice.h"
#include "wms/testsupport/TempDir.h"
#include "wms/testsupport/WmsdProcess.h"

using namespace wms;
using namespace wms::testsupport;

namespace {

// The page's DOM once it has loaded every panel, for a supervisor signed
// in by a one-time link (docs/security.md): the browser opens the link, gets
// the session cookies and lands on the dashboard. Read through WebDriver:
// the board keeps its event stream open, so it never finishes loading as
// `chromium --dump-dom` would need.
std::string renderedDom(const WmsdProcess& wmsd, const TempDir& profile) {
  auto person = wmsd.post("/api/v1/accounts",
                          R"({"login":"sup","name":"Sue","roles":["supervisor"],"password":"a long enough password"})");
  BOOST_REQUIRE_MESSAGE(person.status == 201 || person.status == 409, person.body);
  auto link = wmsd.post("/api/v1/auth/links", R"({"login":"sup","next":"/dashboard/"})");
  BOOST_REQUIRE_MESSAGE(link.status == 201, link.body);
  const auto urlAt = link.body.find("/auth/link/");
  const std::string path = link.body.substr(urlAt, link.body.find('"', urlAt) - urlAt);
  Browser browser(profile);
  browser.open("http://127.0.0.1:" + std::to_string(wmsd.port()) + path);
  const bool loaded = browser.waitUntil("return document.body.dataset.loaded === 'true';", std::chrono::seconds(60));
  const std::string dom = browser.text("return document.documentElement.outerHTML;");
  BOOST_REQUIRE_MESSAGE(loaded, "the board did not load: " << dom.substr(0, 2000));
  return dom;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_dashboard_shows_orders_waves_handhelds_and_exceptions) {
  MosquittoBroker broker(MosquittoBroker::Options{1, {}, false, false});
  WmsdProcess::Options o;
  o.settings = broker.wmsdSettings(
      {{"waves.layout", std::string(WMS_SOURCE_DIR) + "/layouts/samples/dc-single-block.json"},
       {"waves.auto_check_s", "3600"}});
  WmsdProcess wmsd(o);
  auto post = [&](const std::string& path, const std::string& body, const std::string& type = "application/json") {
    auto r = wmsd.post(path, body, {{"Content-Type", type}});
    BOOST_REQUIRE_MESSAGE(r.status < 300, path << ": " << r.body);
  };
  post("/api/v1/import/locations", "code,zone\nA-01-01-1,A\nA-02-03-1,A\n", "text/csv");
  post("/api/v1/import/catalogue", "sku,description\nAPPLE,Apples\nPEAR,Pears\n", "text/csv");
  post("/api/v1/import/stock", "sku,location,qty\nAPPLE,A-01-01-1,10\nPEAR,A-02-03-1,5\n", "text/csv");
  post("/api/v1/workers", R"({"badge":"B-1","name":"Siti"})");
  const std::string shipTo = R"("ship_to":{"name":"Ann","line1":"1 Rd","city":"SG","postal_code":"1","country":"SG"})";
  post("/api/v1/orders", R"({"external_id":"d1","lines":[{"sku":"APPLE","qty":2}],)" + shipTo + "}");
  post("/api/v1/orders", R"({"external_id":"d2","lines":[{"sku":"PEAR","qty":1}],)" + shipTo + "}");
  BOOST_REQUIRE(wmsd.waitForMqtt());
  ScriptedDevice device(broker.uri(), broker.device(0).username, broker.device(0).password);
  protocol::SignIn in;
  in.badge = "B-1";
  BOOST_REQUIRE(device.ackFor(device.send(in))->result == protocol::AckResult::Applied);
  post("/api/v1/waves/release", "{}");
  // An order the planner cannot take makes an exception and is held for a
  // person: its SKU has no pick face.
  post("/api/v1/import/catalogue", "sku,description\nKIWI,Kiwis\n", "text/csv");
  post("/api/v1/locations", R"({"code":"RESERVE-1","kind":"reserve"})");
  post("/api/v1/stock/adjustments", R"({"sku":"KIWI","location":"RESERVE-1","delta":3,"reason":"receipt"})");
  post("/api/v1/orders", R"({"external_id":"d3","lines":[{"sku":"KIWI","qty":1}],)" + shipTo + "}");
  post("/api/v1/waves/release", "{}");

  // The dock: a purchase order with a case received (waiting to be put
  // away), a pick face below its minimum, a count waiting for approval.
  post("/api/v1/import/locations", "code,zone,kind\nDOCK-1,D,dock\nA-09-01-3,A,reserve\n", "text/csv");
  post("/api/v1/inbound/purchase-orders",
       R"({"reference":"PO-31","supplier":"Acme Foods","expected_date":"2026-12-08","lines":[{"sku":"APPLE","qty":12}]})");
  post("/api/v1/inbound/purchase-orders/1/receipts",
       R"({"sku":"APPLE","qty":5,"location":"DOCK-1","idempotency_key":"dash-1"})");
  post("/api/v1/stock/adjustments", R"({"sku":"PEAR","location":"A-09-01-3","delta":20,"reason":"receipt"})");
  httpRequest(wmsd.port(), "PUT", "/api/v1/inbound/pick-faces/A-02-03-1", R"({"sku":"PEAR","min":8,"max":15})",
              {{"Content-Type", "application/json"}});
  post("/api/v1/inbound/counts", R"({"location":"A-09-01-3","sku":"PEAR"})");
  post("/api/v1/inbound/counts/1/result", R"({"counted":17,"idempotency_key":"c1"})");
  post("/api/v1/inbound/counts/1/result", R"({"counted":17,"idempotency_key":"c2"})");

  // A slotting proposal waiting for a supervisor.
  post("/api/v1/inbound/slotting/proposals", R"({"requested_by":"test"})");

  TempDir profile("dashboard");
  const std::string dom = renderedDom(wmsd, profile);
  BOOST_TEST(dom.find("data-loaded=\"true\"") != std::string::npos);
  BOOST_TEST(dom.find("id=\"tile-released\" data-status=\"released\" data-count=\"2\"") != std::string::npos, dom.substr(0, 3000));
  BOOST_TEST(dom.find("id=\"tile-held\" data-status=\"held\" data-count=\"1\" data-alert=\"true\"") != std::string::npos);
  BOOST_TEST(dom.find("data-wave=\"1\" data-status=\"released\"") != std::string::npos);
  BOOST_TEST(dom.find("data-device=\"dev-1\" data-state=\"online\"") != std::string::npos);
  BOOST_TEST(dom.find("data-kind=\"wave_rejected\"") != std::string::npos);
  BOOST_TEST(dom.find("server ok") != std::string::npos);
  BOOST_TEST(dom.find("data-po=\"PO-31\" data-status=\"receiving\"") != std::string::npos);
  BOOST_TEST(dom.find("data-putaway=\"APPLE@DOCK-1\"") != std::string::npos);
  BOOST_TEST(dom.find("A-01-01-1 (pick face)") != std::string::npos);
  BOOST_TEST(dom.find("data-replenish=\"PEAR@A-02-03-1\"") != std::string::npos);
  BOOST_TEST(dom.find("data-count=\"1\"") != std::string::npos);
  BOOST_TEST(dom.find("data-slotting=\"1\" data-status=\"proposed\"") != std::string::npos);
}

// Thousands of waves and exceptions (a busy day, written straight into the
// database file): the board shows one page of each, turns pages on request,
// and reloading every panel stays quick (printed, not asserted).
BOOST_AUTO_TEST_CASE(thousands_of_waves_and_exceptions_are_paged) {
  WmsdProcess wmsd;
  constexpr int kWaves = 3000, kExceptions = 5000;
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open_v2(wmsd.dbPath().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  const std::string sql =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(kWaves) +
      ") INSERT INTO waves(name, site, status, trigger, method, released_at, finished_at, orders, lines, units, "
      "batches, planned_mm) SELECT 'w' || i, 'dc', 'done', 'manual', 'fcfs', 1765000000000 + i, 1765000000000 + i, "
      "1, 1, 1, 1, 0 FROM n;"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(kExceptions) +
      ") INSERT INTO exceptions(at, kind, reference, message) SELECT 1765000000000 + i, 'short_pick', "
      "'order:' || i, 'exception ' || i FROM n;";
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string why = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  BOOST_REQUIRE_MESSAGE(rc == SQLITE_OK, why);

  TempDir profile("dashboard-paged");
  Browser browser(profile);
  auto person = wmsd.post("/api/v1/accounts",
                          R"({"login":"sup","name":"Sue","roles":["supervisor"],"password":"a long enough password"})");
  BOOST_REQUIRE_MESSAGE(person.status == 201, person.body);
  auto link = wmsd.post("/api/v1/auth/links", R"({"login":"sup","next":"/dashboard/"})");
  const auto urlAt = link.body.find("/auth/link/");
  browser.open("http://127.0.0.1:" + std::to_string(wmsd.port()) +
               link.body.substr(urlAt, link.body.find('"', urlAt) - urlAt));
  BOOST_REQUIRE(browser.waitUntil("return document.body.dataset.loaded === 'true';", std::chrono::seconds(60)));

  auto count = [&](const std::string& selector) {
    return browser.run("return document.querySelectorAll('" + selector + "').length;").convert<int>();
  };
  BOOST_TEST(count("#waves-body tr") == 15);
  BOOST_TEST(count("#exceptions-list li") == 50);
  BOOST_TEST(browser.text("return document.getElementById('exceptions-page').textContent;") == "page 1");
  BOOST_TEST(browser.text("return document.querySelector('#exceptions-list li').dataset.exception;") ==
             std::to_string(kExceptions));
  BOOST_TEST(browser.text("return document.querySelector('#waves-body tr').dataset.wave;") == std::to_string(kWaves));

  // Older, then newer again.
  browser.run("document.getElementById('exceptions-older').click(); return true;");
  BOOST_TEST(browser.waitUntil("const li = document.querySelector('#exceptions-list li'); return !!li && "
                               "li.dataset.exception === '" + std::to_string(kExceptions - 50) + "';",
                               std::chrono::seconds(10)));
  BOOST_TEST(browser.text("return document.getElementById('exceptions-page').textContent;") == "page 2");
  BOOST_TEST(count("#exceptions-list li") == 50);
  browser.run("document.getElementById('waves-older').click(); return true;");
  BOOST_TEST(browser.waitUntil("const tr = document.querySelector('#waves-body tr'); return !!tr && "
                               "tr.dataset.wave === '" + std::to_string(kWaves - 15) + "';",
                               std::chrono::seconds(10)));
  browser.run("document.getElementById('exceptions-newer').click(); return true;");
  BOOST_TEST(browser.waitUntil("const li = document.querySelector('#exceptions-list li'); return !!li && "
                               "li.dataset.exception === '" + std::to_string(kExceptions) + "';",
                               std::chrono::seconds(10)));
  BOOST_TEST(browser.run("return document.getElementById('exceptions-newer').disabled;").convert<bool>());

  // Every panel again, as after a reconnect: WebDriver waits for the promise.
  const auto ms = browser.run("const t0 = performance.now(); return reloadAll().then(() => performance.now() - t0);")
                      .convert<double>();
  BOOST_TEST_MESSAGE("every panel reloaded with " << kWaves << " waves and " << kExceptions << " exceptions in "
                                                  << ms << " ms");
  std::printf("dashboard: every panel reloaded with %d waves and %d exceptions in %.0f ms\n", kWaves, kExceptions, ms);
}
