// wms-bench-pack: orders packed and shipped per second at the packing
// stations, through MQTT by N simulated packing handhelds (wms-sim's
// packers: the real handheld app in pack mode, every unit verified by a
// scan, the label asked for and the shipment confirmed) against the same
// number of orders through the packing REST routes by N stations (the
// baseline, measured in the same run on the same wmsd), and the station's
// wait for wmsd's answer (p50/p99).
//
// It starts what it needs: a real mosquitto (the broker fixture: tools/broker
// configuration), a loopback label printer (a TCP listener taking the ZPL,
// so every label is really rendered and sent) and a real wmsd; loads a
// catalogue, stock and 2 x M orders; has them picked by wms-sim's pickers
// (scan-engine handhelds without pauses: the pick is not what is measured);
// then gives half the picked orders to the handhelds and the other half to
// the REST stations, interleaved so both get orders of the same shape.
// Prints one JSON object on stdout; progress on stderr.
//
// usage: wms-bench-pack [--packers N] [--orders M] [--pickers K] [--scanner engine|camera] [--seed S]
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "DiskProbe.h"
#include "FakePrinter.h"
#include "RestLeg.h"
#include "wms/gs1/Gs1.h"
#include "wms/layouts/LayoutLoader.h"
#include "wms/sim/Fleet.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/TempDir.h"
#include "wms/testsupport/WmsdProcess.h"

using namespace wms;

namespace {

struct Options {
  int packers = 4;
  int orders = 200;  // per leg
  int pickers = 8;
  sim::Scanner scanner = sim::Scanner::Engine;
  std::uint64_t seed = 1;
};

int usage(const std::string& why) {
  std::cerr << "wms-bench-pack: " << why << "\n"
            << "usage: wms-bench-pack [--packers N] [--orders M] [--pickers K] [--scanner engine|camera] [--seed S]\n";
  return 2;
}

Poco::JSON::Object::Ptr parse(const std::string& body) {
  Poco::JSON::Parser p;
  return p.parse(body).extract<Poco::JSON::Object::Ptr>();
}

void require(const testsupport::HttpResult& r, const std::string& what) {
  if (r.status >= 300) throw std::runtime_error(what + ": HTTP " + std::to_string(r.status) + " " + r.body);
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[std::min(k, v.size() - 1)];
}

std::string latency(const std::vector<double>& ms) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "{\"samples\": %zu, \"p50\": %.2f, \"p99\": %.2f, \"max\": %.2f}", ms.size(),
                percentile(ms, 0.5), percentile(ms, 0.99), percentile(ms, 1.0));
  return buf;
}

std::string station(int k) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", k);
  return buf;
}

// Orders by status, from wmsd's order list (every page).
std::map<std::string, std::vector<std::int64_t>> ordersByStatus(testsupport::WmsdProcess& wmsd) {
  std::map<std::string, std::vector<std::int64_t>> out;
  std::int64_t after = 0;
  for (;;) {
    auto page = parse(wmsd.get("/api/v1/orders?limit=200&after=" + std::to_string(after)).body);
    auto items = page->getArray("items");
    for (unsigned i = 0; items && i < items->size(); ++i) {
      auto o = items->getObject(i);
      after = o->getValue<std::int64_t>("id");
      out[o->getValue<std::string>("status")].push_back(after);
    }
    if (page->isNull("next_after") || !items || items->size() == 0) break;
  }
  return out;
}

// The accounts file wms-sim reads: "DEVICE PASSWORD" per line.
std::filesystem::path accountsFile(const std::filesystem::path& dir, const std::string& name,
                                   const std::vector<testsupport::MosquittoBroker::Account>& accounts) {
  const auto path = dir / name;
  std::ofstream out(path);
  for (const auto& a : accounts) out << a.username << " " << a.password << "\n";
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (i + 1 >= args.size()) return usage(a + " needs a value");
      const std::string v = args[++i];
      std::size_t used = 0;
      auto whole = [&](int lo, int hi) {
        const int n = std::stoi(v, &used);
        if (used != v.size() || n < lo || n > hi)
          throw std::invalid_argument(a + " must be a whole number from " + std::to_string(lo) + " to " +
                                      std::to_string(hi));
        return n;
      };
      if (a == "--packers") o.packers = whole(1, 64);
      else if (a == "--orders") o.orders = whole(1, 20000);
      else if (a == "--pickers") o.pickers = whole(1, 64);
      else if (a == "--seed") o.seed = static_cast<std::uint64_t>(whole(0, 1000000));
      else if (a == "--scanner") {
        if (v == "engine") o.scanner = sim::Scanner::Engine;
        else if (v == "camera") o.scanner = sim::Scanner::Camera;
        else return usage("--scanner is engine or camera");
      } else return usage("unknown option " + a);
    }
  } catch (const std::invalid_argument& e) {
    return usage(e.what());
  } catch (const std::out_of_range&) {
    return usage("a number is out of range");
  }

  try {
    testsupport::TempDir dir("wms-bench-pack");
    std::cerr << "pack bench: mosquitto with " << o.pickers + o.packers << " device accounts, a loopback printer\n";
    testsupport::MosquittoBroker::Options bo;
    bo.devices = static_cast<std::size_t>(o.pickers + o.packers);
    testsupport::MosquittoBroker broker(bo);
    labels::test::FakePrinter printer;

    const int total = 2 * o.orders;
    const std::string layoutFile = std::string(WMS_SOURCE_DIR) + "/layouts/samples/dc-single-block.json";
    auto settings = broker.wmsdSettings({{"waves.layout", layoutFile},
                                         {"waves.cart_totes", "8"},
                                         {"waves.tote_pool", std::to_string(total * 3 + 100)},
                                         {"waves.auto_check_s", "3600"},
                                         {"waves.method", "fcfs"},
                                         {"printing.printer.ZEBRA-1.uri",
                                          "tcp://127.0.0.1:" + std::to_string(printer.port())},
                                         {"printing.default_printer", "ZEBRA-1"},
                                         {"packing.ship_from.name", "Bench Warehouse"},
                                         {"packing.ship_from.line1", "1 Logistics Way"},
                                         {"packing.ship_from.city", "Singapore"},
                                         {"packing.ship_from.postal_code", "629000"},
                                         {"packing.ship_from.country", "SG"},
                                         {"log.level", "warning"}});
    // Every station prints on the loopback printer: the handhelds' PACK-NN
    // and the REST stations' REST-NN.
    for (int k = 1; k <= o.packers; ++k) {
      settings["packing.station.PACK-" + station(k) + ".printer"] = "ZEBRA-1";
      settings["packing.station.REST-" + station(k) + ".printer"] = "ZEBRA-1";
    }
    testsupport::WmsdProcess::Options wo;
    wo.settings = settings;
    std::cerr << "pack bench: starting wmsd\n";
    testsupport::WmsdProcess wmsd(wo);
    const std::string api = "http://127.0.0.1:" + std::to_string(wmsd.port());

    // 400 SKUs on the first pick faces of the layout, each with a GTIN,
    // weight and size (the carton suggestion needs them), plenty of stock.
    auto layout = layouts::loadLayout(layoutFile);
    if (!layout) throw std::runtime_error(layout.error().message);
    std::string locations = "code,zone,kind\n",
                catalogue = "sku,description,barcodes,weight_g,length_mm,width_mm,height_mm\n",
                stock = "sku,location,qty\n";
    const int skus = 400;
    int n = 0;
    for (const auto& l : layout->locations()) {
      if (n >= skus) break;
      locations += l.code + ",A,pick\n";
      char body[16];
      std::snprintf(body, sizeof body, "9551%08d", n + 1);
      catalogue += "P" + std::to_string(n) + ",Pack bench item " + std::to_string(n) + "," + body +
                   std::to_string(gs1::checkDigit(body)) + "," + std::to_string(100 + n % 400) + ",120,80,40\n";
      stock += "P" + std::to_string(n) + "," + l.code + ",100000\n";
      ++n;
    }
    if (n < skus) throw std::runtime_error("the layout has fewer than 400 locations");
    require(wmsd.post("/api/v1/import/locations", locations, {{"Content-Type", "text/csv"}}), "locations");
    require(wmsd.post("/api/v1/import/catalogue", catalogue, {{"Content-Type", "text/csv"}}), "catalogue");
    require(wmsd.post("/api/v1/import/stock", stock, {{"Content-Type", "text/csv"}}), "stock");
    std::cerr << "pack bench: " << total << " orders of 1-3 lines, 1-2 units each\n";
    std::mt19937 rng(static_cast<std::mt19937::result_type>(o.seed));
    std::uniform_int_distribution<int> sku(0, skus - 1), lineCount(1, 3), qty(1, 2);
    for (int k = 0; k < total; ++k) {
      std::string lines;
      std::set<int> used;
      for (int l = lineCount(rng); l > 0; --l) {
        int s = sku(rng);
        while (used.count(s) != 0) s = sku(rng);
        used.insert(s);
        lines += std::string(lines.empty() ? "" : ",") + R"({"sku":"P)" + std::to_string(s) +
                 R"(","qty":)" + std::to_string(qty(rng)) + "}";
      }
      require(wmsd.post("/api/v1/orders", R"({"channel":"shopee","external_id":"pack-bench-)" + std::to_string(k) +
                                              R"(","lines":[)" + lines +
                                              R"(],"ship_to":{"name":"Bench","line1":"1 Rd","city":"Singapore",)"
                                              R"("postal_code":"018956","country":"SG"}})"),
              "order");
    }

    // The pick (not measured): wms-sim's pickers until every order is picked.
    std::vector<testsupport::MosquittoBroker::Account> pickerAccounts(broker.devices().begin(),
                                                                      broker.devices().begin() + o.pickers),
        packerAccounts(broker.devices().begin() + o.pickers, broker.devices().end());
    std::atomic<bool> stop{false};
    {
      sim::FleetOptions po;
      po.api = api;
      po.brokerUri = broker.uri();
      po.accountsFile = accountsFile(dir.path(), "pickers.txt", pickerAccounts);
      po.devices = o.pickers;
      po.devicePrefix = "PICK-";
      po.scanner = sim::Scanner::Engine;
      po.pace = std::chrono::milliseconds(0);
      po.shortProbability = 0;
      po.keypadProbability = 1;
      po.releaseEvery = std::chrono::seconds(1);
      po.untilIdle = std::chrono::seconds(6);
      po.duration = std::chrono::seconds(1800);
      po.stateDir = dir.path() / "pickers";
      po.progressEvery = std::chrono::seconds(10);
      po.seed = o.seed;
      std::cerr << "pack bench: picking with " << o.pickers << " simulated pickers\n";
      auto picked = sim::runFleet(po, std::cerr, stop);
      if (!picked) throw std::runtime_error("picking: " + picked.error().message);
    }
    auto byStatus = ordersByStatus(wmsd);
    auto& picked = byStatus["picked"];
    if (static_cast<int>(picked.size()) < total)
      throw std::runtime_error("only " + std::to_string(picked.size()) + " of " + std::to_string(total) +
                               " orders were picked");
    std::vector<std::int64_t> mqttOrders, restOrders;
    for (std::size_t i = 0; i < picked.size(); ++i) (i % 2 == 0 ? mqttOrders : restOrders).push_back(picked[i]);

    // Leg 1: the packing handhelds over MQTT.
    sim::FleetOptions ko;
    ko.api = api;
    ko.brokerUri = broker.uri();
    ko.accountsFile = accountsFile(dir.path(), "packers.txt", packerAccounts);
    ko.devices = 0;
    ko.packers = o.packers;
    ko.devicePrefix = "PACKER-";
    ko.stationPrefix = "PACK-";
    ko.scanner = o.scanner;
    ko.pace = std::chrono::milliseconds(0);
    ko.packOrders = mqttOrders;
    ko.duration = std::chrono::seconds(3600);
    ko.stateDir = dir.path() / "packers";
    ko.progressEvery = std::chrono::seconds(5);
    ko.seed = o.seed;
    std::cerr << "pack bench: " << mqttOrders.size() << " orders by " << o.packers
              << " packing handhelds over MQTT\n";
    // Each handheld's outbox and wmsd's store fsync every change: the disk's
    // fsync during each leg says how much of its time was the disk's.
    auto probe = std::make_unique<bench::DiskProbe>(std::filesystem::temp_directory_path());
    auto handhelds = sim::runFleet(ko, std::cerr, stop);
    const auto mqttDisk = probe->stop();
    if (!handhelds) throw std::runtime_error("packing handhelds: " + handhelds.error().message);
    const auto& hp = handhelds->packing;

    // Leg 2, the baseline: the REST stations.
    std::cerr << "pack bench: " << restOrders.size() << " orders by " << o.packers
              << " stations over the packing REST routes\n";
    probe = std::make_unique<bench::DiskProbe>(std::filesystem::temp_directory_path());
    auto rest = bench::pack::runRestLeg(api, restOrders, o.packers, "REST-");
    const auto restDisk = probe->stop();
    probe.reset();
    for (const auto& e : rest.errors) std::cerr << "pack bench: REST: " << e << "\n";

    // Every carton's label reached the printer; the books balance.
    const auto cartons = static_cast<std::size_t>(hp.cartons + rest.cartons);
    const bool allPrinted = printer.waitForJobs(cartons, std::chrono::seconds(60));
    auto audit = parse(wmsd.get("/api/v1/audit").body);
    const auto after = ordersByStatus(wmsd);
    const auto shippedNow = after.count("shipped") ? after.at("shipped").size() : 0;

    const double mqttRate = hp.seconds > 0 ? hp.shipped / hp.seconds : 0;
    const double restRate = rest.seconds > 0 ? rest.shipped / rest.seconds : 0;
    std::string steps;
    for (const auto& [step, ms] : hp.answerMsByStep)
      steps += (steps.empty() ? "\"" : ", \"") + step + "\": " + latency(ms);
    char figures[2048];
    std::snprintf(figures, sizeof figures,
                  "{\"bench\": \"pack\", \"packers\": %d, \"orders_per_leg\": %d, \"scanner\": \"%s\", "
                  "\"mqtt_handhelds\": {\"shipped\": %d, \"packed\": %d, \"cartons\": %d, \"units\": %lld, "
                  "\"labels\": %d, \"refusals\": %d, \"abandoned\": %d, \"seconds\": %.2f, \"orders_per_s\": %.2f, "
                  "\"answer_ms\": %s, \"answer_ms_by_step\": {%s}, \"disk_fsync_ms\": %s}, ",
                  o.packers, o.orders, o.scanner == sim::Scanner::Engine ? "engine" : "camera", hp.shipped, hp.packed,
                  hp.cartons, static_cast<long long>(hp.units), hp.labels, hp.refusals, hp.abandoned, hp.seconds,
                  mqttRate, latency(hp.answerMs).c_str(), steps.c_str(), bench::DiskProbe::json(mqttDisk).c_str());
    char baseline[1024];
    std::snprintf(baseline, sizeof baseline,
                  "\"baseline_rest\": {\"shipped\": %d, \"cartons\": %d, \"units\": %lld, \"failures\": %d, "
                  "\"seconds\": %.2f, \"orders_per_s\": %.2f, \"scan_ms\": %s, \"disk_fsync_ms\": %s}, ",
                  rest.shipped, rest.cartons, static_cast<long long>(rest.units), rest.failures, rest.seconds,
                  restRate, latency(rest.scanMs).c_str(), bench::DiskProbe::json(restDisk).c_str());
    std::cout << figures << baseline << "\"ratio_orders_per_s\": " << (restRate > 0 ? mqttRate / restRate : 0)
              << ", \"labels_printed\": " << printer.jobs().size() << ", \"all_labels_printed\": "
              << (allPrinted ? "true" : "false") << ", \"orders_shipped\": " << shippedNow
              << ", \"audit_ok\": " << (audit->getValue<bool>("ok") ? "true" : "false") << "}" << std::endl;
    return hp.shipped == static_cast<int>(mqttOrders.size()) && rest.shipped == static_cast<int>(restOrders.size()) &&
                   audit->getValue<bool>("ok")
               ? 0
               : 1;
  } catch (const std::exception& e) {
    std::cerr << "wms-bench-pack: " << e.what() << "\n";
    return 1;
  }
}
