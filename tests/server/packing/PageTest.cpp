// The packing-station page (server/assets/packing) in headless Chromium,
// against the real packing routes (server/packing/src/Rest.cpp) over a
// real database, with labels going to a fake 9100 printer. A small POCO
// HTTP server stands in for wmsd's: it hands every request to a router
// (wms::http::Router) holding the packing routes (addPackingRoutes), the
// page's files at /packing/ and the test page that types scans the way a
// keyboard wedge does (/harness/harness.html, page/harness.html).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "FakePrinter.h"
#include "PackingWorld.h"
#include "wms/packing/Rest.h"
#include "wms/store/Query.h"
#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::packing;
using wms::labels::test::FakePrinter;
using wms::packing::test::PackingWorld;

namespace {

std::string fileText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// What the harness can ask of the test besides the page and the API.
struct Hooks {
  std::function<void()> printerOn;  // /harness/printer-on
  // /harness/wedge?text=...&symbology=...: the station's bridge-held scanner read it
  std::function<void(const std::string& text, const std::string& symbology)> wedge;
};

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(const http::Router& router, Hooks& hooks) : router_(router), hooks_(hooks) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
    std::string uri = req.getURI();
    const std::string path = uri.substr(0, uri.find('?'));
    if (path == "/harness/wait") {
      // Real time passing for a page under Chromium's virtual time.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      res.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      res.send();
      return;
    }
    if (path == "/harness/printer-on") {
      if (hooks_.printerOn) hooks_.printerOn();
      res.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      res.send();
      return;
    }
    if (path == "/harness/wedge") {
      std::string text, symbology;
      for (const auto& [name, value] : Poco::URI(uri).getQueryParameters()) {
        if (name == "text") text = value;
        if (name == "symbology") symbology = value;
      }
      if (hooks_.wedge) hooks_.wedge(text, symbology);
      res.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      res.send();
      return;
    }
    http::Request r;
    r.method = req.getMethod();
    r.path = path;
    for (const auto& [name, value] : Poco::URI(uri).getQueryParameters()) r.query[name] = value;
    Poco::StreamCopier::copyToString(req.stream(), r.body);
    for (const auto& [name, value] : req) {
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[lower] = value;
    }
    const http::Response out = router_.route(std::move(r));
    res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(out.status));
    res.setContentType(out.contentType);
    res.setContentLength(static_cast<std::streamsize>(out.body.size()));
    res.send() << out.body;
  }

 private:
  const http::Router& router_;
  Hooks& hooks_;
};

// Routes GET `path` to a file, with the content type of its extension.
void addFile(http::Router& router, const std::string& path, const std::filesystem::path& file) {
  const auto ext = file.extension().string();
  const std::string type = ext == ".js"    ? "text/javascript"
                           : ext == ".css" ? "text/css"
                                           : "text/html; charset=utf-8";
  router.add("GET", path,
             [file, type](const http::Request&) { return http::Response::text(200, fileText(file), type); });
}

// The packing routes, as wmsd has them, and the files the pages load.
http::Router pageRouter(ShippingService& shipping, PackSessionService& sessions, StationScans& stationScans,
                        LabelPrinting& printing) {
  http::Router router;
  addPackingRoutes(router, shipping, sessions, stationScans, &printing);
  const std::filesystem::path assets = std::filesystem::path(WMS_SOURCE_DIR) / "server/assets/packing";
  addFile(router, "/packing/", assets / "index.html");
  addFile(router, "/packing/index.html", assets / "index.html");
  addFile(router, "/packing/app.js", assets / "app.js");
  addFile(router, "/packing/style.css", assets / "style.css");
  addFile(router, "/harness/harness.html", std::filesystem::path(WMS_PACKING_TEST_DIR) / "page/harness.html");
  return router;
}

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const http::Router& router, Hooks& hooks) : router_(router), hooks_(hooks) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(router_, hooks_);
  }

 private:
  const http::Router& router_;
  Hooks& hooks_;
};

// The packing services of a world behind a loopback HTTP server, and
// headless Chromium to open pages on it.
class PageServer {
 public:
  explicit PageServer(PackingWorld& w)
      : sessions_(w.db(), w.shipping()),
        stationScans_(w.db()),
        printing_(must(LabelPrinting::create(w.db(), w.shipping()))),
        router_(pageRouter(w.shipping(), sessions_, stationScans_, *printing_)),
        socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        server_(new Factory(router_, hooks_), socket_, params()),
        profile_("wms-chromium") {
    server_.start();
  }
  ~PageServer() { server_.stop(); }

  Hooks& hooks() { return hooks_; }
  LabelPrinting& printing() { return *printing_; }
  StationScans& stationScans() { return stationScans_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
  }
  // Runs Chromium on a URL with `what` (--dump-dom, --screenshot=FILE).
  testsupport::CommandResult chromium(const std::string& what, const std::string& target) {
    return testsupport::runCommand(
        {"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--user-data-dir=" + profile_.path().string(), "--window-size=1300,1000",
         "--virtual-time-budget=600000", what, target},
        {}, std::chrono::seconds(120));
  }

 private:
  static std::unique_ptr<LabelPrinting> must(Result<std::unique_ptr<LabelPrinting>> r) {
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return std::move(*r);
  }
  static Poco::Net::HTTPServerParams* params() {
    auto* p = new Poco::Net::HTTPServerParams;
    p->setMaxThreads(4);
    return p;
  }
  Hooks hooks_;
  PackSessionService sessions_;
  StationScans stationScans_;
  std::unique_ptr<LabelPrinting> printing_;
  http::Router router_;
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
  testsupport::TempDir profile_;
};

// The JSON the harness left in <pre id="result">, unescaped from the DOM dump.
Poco::JSON::Array::Ptr harnessResult(const std::string& dom) {
  const std::string open = "<pre id=\"result\">";
  auto b = dom.find(open);
  BOOST_REQUIRE_MESSAGE(b != std::string::npos, "no result in the page:\n" << dom.substr(0, 2000));
  b += open.size();
  auto e = dom.find("</pre>", b);
  std::string text = dom.substr(b, e - b);
  // A text node in a DOM dump escapes only these.
  static const std::pair<std::string, char> kEntities[] = {
      {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&nbsp;", ' '}};
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool replaced = false;
    for (const auto& [entity, ch] : kEntities) {
      if (text.compare(i, entity.size(), entity) == 0) {
        out += ch;
        i += entity.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += text[i];
  }
  BOOST_REQUIRE_MESSAGE(out != "running", "the harness did not finish");
  Poco::JSON::Parser parser;
  return parser.parse(out).extract<Poco::JSON::Array::Ptr>();
}

Poco::JSON::Object::Ptr step(const Poco::JSON::Array::Ptr& steps, const std::string& name) {
  for (std::size_t i = 0; i < steps->size(); ++i) {
    auto s = steps->getObject(static_cast<unsigned>(i));
    if (s->getValue<std::string>("step") == name) return s;
  }
  BOOST_FAIL("the harness has no step '" << name << "'");
  return nullptr;
}

// Runs the harness page with `query` in headless Chromium and returns its
// steps, having checked that it neither timed out nor threw.
Poco::JSON::Array::Ptr runHarness(PageServer& page, const std::string& query) {
  auto run = page.chromium("--dump-dom", page.url("/harness/harness.html?" + query));
  BOOST_REQUIRE_MESSAGE(run.exitCode == 0, "chromium failed:\n" << run.output.substr(0, 3000));
  auto steps = harnessResult(run.output);
  for (std::size_t i = 0; i < steps->size(); ++i) {
    auto s = steps->getObject(static_cast<unsigned>(i));
    BOOST_TEST_MESSAGE(s->getValue<std::string>("step")
                       << ": " << (s->has("feedback") ? s->getValue<std::string>("feedback") : ""));
    BOOST_TEST(s->getValue<std::string>("step") != "timeout");
    BOOST_TEST(s->getValue<std::string>("step") != "exception");
  }
  return steps;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(packing_page)

BOOST_AUTO_TEST_CASE(a_packer_with_a_wedge_scanner_packs_prints_and_ships_an_order_in_the_browser) {
  FakePrinter printer;
  PackingWorld w({{"printing.printer.ZEBRA-1.uri", "tcp://127.0.0.1:" + std::to_string(printer.port())},
                  {"packing.station.PACK-1.printer", "ZEBRA-1"}});
  auto id = w.pickedOrder("SHOPEE-PAGE", {{"MUG", 2}, {"BOOK", 1}}, "T-1");
  PageServer page(w);
  auto steps = runHarness(page, "tote=T-1");

  auto loaded = step(steps, "loaded");
  BOOST_TEST(loaded->getValue<std::string>("state") == "idle");
  BOOST_TEST(loaded->getValue<std::string>("focus") == "scan");  // the big field has the focus

  auto tote = step(steps, "tote");
  BOOST_TEST(tote->getValue<std::string>("state") == "packing");
  BOOST_TEST(tote->getArray("rows")->size() == 2u);

  BOOST_TEST(step(steps, "wrong item")->getValue<std::string>("result") == "wrong_item");
  BOOST_TEST(step(steps, "quantity")->getValue<bool>("qtyShown"));
  auto mugs = step(steps, "two mugs");
  BOOST_TEST(mugs->getValue<std::string>("result") == "accepted");
  BOOST_TEST(mugs->getArray("rows")->getObject(0)->getValue<int>("packed") == 2);
  BOOST_TEST(mugs->getValue<int>("openCarton") == 1);
  BOOST_TEST(step(steps, "over-scan")->getValue<std::string>("result") == "over_scan");
  BOOST_TEST(step(steps, "misread")->getValue<std::string>("result") == "unreadable");
  BOOST_TEST(step(steps, "close carton")->getValue<int>("openCarton") == 0);
  BOOST_TEST(step(steps, "book")->getValue<std::string>("result") == "accepted");
  BOOST_TEST(step(steps, "done")->getValue<std::string>("state") == "packed");
  auto printed = step(steps, "printed");
  BOOST_TEST(printed->getValue<std::string>("printState") == "printed");
  auto shipped = step(steps, "ship");
  BOOST_TEST(shipped->getValue<std::string>("state") == "shipped");
  BOOST_TEST(shipped->getValue<std::string>("shipResult").find("Shipped 3 units") == 0u);
  BOOST_TEST(step(steps, "next")->getValue<std::string>("state") == "idle");
  BOOST_TEST(step(steps, "next")->getValue<std::string>("focus") == "scan");

  // What the page did, seen from the store and the printer.
  BOOST_TEST((w.order(id).status == domain::OrderStatus::Shipped));
  BOOST_TEST(w.totals("MUG").onHand == 98);
  BOOST_TEST(w.totals("BOOK").onHand == 99);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM shipments WHERE state = 'shipped'") == 1);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM cartons") == 2);
  BOOST_REQUIRE(page.printing().waitIdle(std::chrono::seconds(30)));
  BOOST_TEST(printer.jobs().size() == 2u);  // one label per carton
  w.requireInvariants();

  // To look at the page by hand: WMS_PACKING_PAGE_SHOT=/tmp/page.png (and
  // optionally WMS_PACKING_PAGE_STOP=STEP) packs a second order and takes a
  // screenshot once the harness stops.
  if (const char* shot = std::getenv("WMS_PACKING_PAGE_SHOT")) {
    w.pickedOrder("SHOPEE-SHOT", {{"MUG", 2}, {"BOOK", 1}}, "T-2");
    const char* stop = std::getenv("WMS_PACKING_PAGE_STOP");
    (void)page.chromium("--screenshot=" + std::string(shot),
                        page.url("/harness/harness.html?tote=T-2&stop=" + std::string(stop ? stop : "book")));
  }
}

BOOST_AUTO_TEST_CASE(the_page_shows_a_label_waiting_for_a_printer_that_is_off_until_it_prints) {
  const std::uint16_t port = labels::test::closedPort();
  PackingWorld w({{"printing.printer.ZEBRA-1.uri", "tcp://127.0.0.1:" + std::to_string(port)},
                  {"printing.initial_backoff_ms", "50"},
                  {"printing.max_backoff_ms", "200"},
                  {"printing.max_attempts", "1000"}});
  auto id = w.pickedOrder("SHOPEE-OFF", {{"MUG", 2}, {"BOOK", 1}}, "T-1");
  PageServer page(w);
  std::mutex mutex;
  std::unique_ptr<FakePrinter> printer;
  page.hooks().printerOn = [&] {
    std::lock_guard lock(mutex);
    if (!printer) printer = std::make_unique<FakePrinter>(FakePrinter::Mode::Record, std::string(), port);
  };
  auto steps = runHarness(page, "tote=T-1&scenario=offline");
  auto waiting = step(steps, "waiting");
  BOOST_TEST(waiting->getValue<std::string>("printState") == "waiting");
  BOOST_TEST(waiting->getValue<std::string>("printText").find("waiting for printer ZEBRA-1: ") == 0u,
             waiting->getValue<std::string>("printText"));
  BOOST_TEST(waiting->getValue<std::string>("printText").find("cannot connect") != std::string::npos);
  BOOST_TEST(step(steps, "printed")->getValue<std::string>("printState") == "printed");
  BOOST_TEST(step(steps, "ship")->getValue<std::string>("state") == "shipped");
  BOOST_REQUIRE(page.printing().waitIdle(std::chrono::seconds(30)));
  std::lock_guard lock(mutex);
  BOOST_REQUIRE(printer != nullptr);
  BOOST_TEST(printer->jobs().size() == 2u);  // each carton's label once, though tried many times
  BOOST_TEST((w.order(id).status == domain::OrderStatus::Shipped));
  BOOST_TEST(w.count("SELECT COUNT(*) FROM print_attempts WHERE ok = 0") >= 1);
}

// An order packed at this station and left there (the packer was called
// away) is on the page's list with what it still needs; the packer prints
// its label and confirms it shipped from the list.
BOOST_AUTO_TEST_CASE(an_order_left_packed_at_the_station_is_listed_and_shipped_from_the_list) {
  FakePrinter printer;
  PackingWorld w({{"printing.printer.ZEBRA-1.uri", "tcp://127.0.0.1:" + std::to_string(printer.port())},
                  {"packing.station.PACK-1.printer", "ZEBRA-1"}});
  auto id = w.pickedOrder("LEFT-1", {{"MUG", 1}}, "T-9");
  {
    PackSessionService sessions(w.db(), w.shipping());
    auto started = sessions.start("T-9", "PACK-1");
    BOOST_REQUIRE(started.ok());
    BOOST_REQUIRE(sessions.scan(started->sessionId, "8851234567898", 1).ok());
    auto packed = sessions.complete(started->sessionId);
    BOOST_REQUIRE_MESSAGE(packed.ok(), (packed.ok() ? "" : packed.error().message));
  }
  PageServer page(w);
  auto steps = runHarness(page, "scenario=leftover");
  auto listed = step(steps, "loaded")->getArray("unshipped");
  BOOST_REQUIRE_EQUAL(listed->size(), 1u);
  BOOST_TEST(listed->getObject(0)->getValue<std::int64_t>("order") == id);
  BOOST_TEST(listed->getObject(0)->getValue<std::string>("action") == "print");
  BOOST_TEST(listed->getObject(0)->getValue<std::string>("reason").find("no shipment was booked") != std::string::npos);
  auto booked = step(steps, "left print")->getArray("unshipped");
  BOOST_REQUIRE_EQUAL(booked->size(), 1u);
  BOOST_TEST(booked->getObject(0)->getValue<std::string>("action") == "ship");
  BOOST_TEST(step(steps, "left ship")->getArray("unshipped")->size() == 0u);
  BOOST_TEST(step(steps, "left ship")->getValue<std::string>("result") == "accepted");

  BOOST_TEST((w.order(id).status == domain::OrderStatus::Shipped));
  BOOST_TEST(w.totals("MUG").onHand == 99);
  BOOST_REQUIRE(page.printing().waitIdle(std::chrono::seconds(30)));
  BOOST_TEST(printer.jobs().size() == 1u);
  w.requireInvariants();
}

// The station's scanner is held by wms-fwbridge: its reads reach wmsd as
// station.scan events (StationScans) and the open page takes them as if
// typed. A read nobody took in time is reported, not applied.
BOOST_AUTO_TEST_CASE(reads_of_the_stations_bridge_held_scanner_drive_the_page_as_if_typed) {
  FakePrinter printer;
  PackingWorld w({{"printing.printer.ZEBRA-1.uri", "tcp://127.0.0.1:" + std::to_string(printer.port())},
                  {"packing.station.PACK-1.printer", "ZEBRA-1"}});
  auto id = w.pickedOrder("WEDGE-1", {{"MUG", 2}, {"BOOK", 1}}, "T-4");
  PageServer page(w);
  // Read while no page was open, 20 s ago: too old to act on now.
  BOOST_REQUIRE(w.db().write([&](store::Tx& tx) -> Status {
    store::exec(tx,
                "INSERT INTO station_scans(station, device, barcode, scanned_at, received_at, state) "
                "VALUES ('PACK-1', 'PACK-1-SCANNER', 'T-4', ?, ?, 'waiting')",
                tx.nowMs() - 20000, tx.nowMs() - 20000);
    return {};
  }));
  page.hooks().wedge = [&](const std::string& text, const std::string& symbology) {
    auto st = w.db().write([&](store::Tx& tx) {
      return page.stationScans().recordInTx(tx, {"PACK-1", "PACK-1-SCANNER", text, symbology, tx.nowMs()});
    });
    BOOST_TEST(st.ok());
  };
  auto steps = runHarness(page, "tote=T-4&scenario=bridge");

  BOOST_TEST(step(steps, "expired")->getValue<std::string>("state") == "idle");
  BOOST_TEST(step(steps, "expired")->getValue<std::string>("result") == "error");
  BOOST_TEST(step(steps, "tote")->getValue<std::string>("state") == "packing");
  BOOST_TEST(step(steps, "tote")->getValue<std::string>("wedge").find("PACK-1-SCANNER") != std::string::npos);
  BOOST_TEST(step(steps, "mug 1")->getArray("rows")->getObject(0)->getValue<int>("packed") == 1);
  BOOST_TEST(step(steps, "mug 2")->getArray("rows")->getObject(0)->getValue<int>("packed") == 2);
  // GS1-128 without the AIM identifier in its data: "]C1" comes as the
  // symbology and makes the element string read as GS1 (AI 01, the GTIN).
  BOOST_TEST(step(steps, "book (GS1-128)")->getValue<std::string>("result") == "accepted");
  BOOST_TEST(step(steps, "done")->getValue<std::string>("state") == "packed");
  const auto expired = step(steps, "expired")->getValue<std::string>("feedback");
  BOOST_TEST(expired.find("1 read of the station scanner came while this page was away and was not used") == 0u,
             expired);

  BOOST_TEST((w.order(id).status == domain::OrderStatus::Packed));
  BOOST_REQUIRE(page.printing().waitIdle(std::chrono::seconds(30)));
  BOOST_TEST(printer.jobs().size() == 1u);  // the label, printed at the station
  BOOST_TEST(w.count("SELECT COUNT(*) FROM station_scans WHERE state = 'expired'") == 1);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM station_scans WHERE state = 'taken' AND taken_by LIKE 'page-%'") == 5);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM station_scans WHERE state = 'waiting'") == 0);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(a_packer_reports_a_damaged_unit_short_and_the_order_is_held_not_shipped) {
  FakePrinter printer;
  PackingWorld w({{"printing.printer.ZEBRA-1.uri", "tcp://127.0.0.1:" + std::to_string(printer.port())},
                  {"packing.station.PACK-1.printer", "ZEBRA-1"}});
  auto id = w.pickedOrder("SHORT-1", {{"MUG", 2}}, "T-5");
  PageServer page(w);
  auto steps = runHarness(page, "tote=T-5&scenario=short");
  auto shorted = step(steps, "short");
  BOOST_TEST(shorted->getValue<std::string>("state") == "idle");
  const auto said = shorted->getValue<std::string>("feedback");
  BOOST_TEST(said.find("is held (short at packing at PACK-1: 1 x MUG (line 1) damaged") != std::string::npos, said);
  BOOST_TEST((w.order(id).status == domain::OrderStatus::Held));
  BOOST_TEST(w.totals("MUG").onHand == 99);
  BOOST_TEST(w.at("MUG", "TOTE-T-5") == 1);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM exceptions WHERE kind = 'pack_short' AND resolved_at = 0") == 1);
  BOOST_TEST(printer.jobs().empty());  // nothing was labelled
  w.requireInvariants();
}

BOOST_AUTO_TEST_SUITE_END()
