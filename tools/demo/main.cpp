// wms-demo: seeds a running wmsd with the demo warehouse and runs a demo
// day against it. tools/run-demo starts the processes and calls this.
//
//   wms-demo seed --server URL --state DIR --dc LAYOUT --store LAYOUT [--skus N] [--listings N] [--seed S]
//                 [--stock-scale N]
//   wms-demo day  --server URL --emu URL --state DIR --orders N [--headless] [--rate PER_S] [--seed S]
//                 [--stations N] [--max-minutes M] [--late-cancels P] [--cancel-after N]
//                 [--packers auto|none|handheld|mixed] [--trucks N] [--dock rest|handheld]
//                 [--duplicates P] [--out-of-order P] [--calm-file FILE]
//   wms-demo printer --labels DIR [--port N] [--port-file FILE]
//
// The day starts at the dock: --trucks purchase orders (default 2) are
// received, put away and one shelf counted (Dock.h); a replenisher keeps the
// pick faces filled from reserve all day. With --dock rest (the default)
// this program does all of it over REST; with --dock handheld wms-sim's dock
// handhelds do the work over MQTT (started by tools/run-demo --dock
// handheld) and this program is the office: it orders, closes the orders
// and approves the count. Then marketplace orders from the channel emulator and store pickup
// orders over REST; the pickers are wms-sim's handhelds (started by
// tools/run-demo); this program is the packing stations (PACK-1..PACK-n),
// packing and shipping every picked order over the packing API, labels going
// to `printer`. With --packers none it packs nothing: people pack at the
// stations (the page, or a handheld in pack mode), and the day waits for them.
// Progress goes to stderr; `day --headless` prints the summary JSON as its
// last line on stdout.
//
// wmsd may go away for a while (killed and restarted, its disk full): with
// WMS_RETRY_SECONDS set, every request here is tried again within that
// budget where that is safe (wms/apiclient/Client.h). Every write is keyed
// or safe to repeat; the packing stations carry on an order cut halfway
// from where wmsd has it (Packer.h).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "DemoData.h"
#include "Dock.h"
#include "LabelSink.h"
#include "Packer.h"
#include "Summary.h"
#include "wms/apiclient/Client.h"
#include "wms/layouts/LayoutLoader.h"

using namespace wms;

namespace {

std::atomic<bool> interrupted{false};

struct Options {
  std::string command;
  std::string server = "http://127.0.0.1:8080";
  std::filesystem::path state = "var/demo";
  std::filesystem::path dc = "layouts/samples/dc-multi-block.json";
  std::filesystem::path store = "layouts/samples/store-backroom.json";
  int skus = 600;
  int stockScale = 1;      // opening stock per pick face, times this
  int orders = 100;
  double rate = 0;  // marketplace orders per second; 0 = the demo's default burst
  bool headless = false;
  int listings = 120;      // best sellers listed on every marketplace
  std::string emu;         // the channel emulator's base URL
  int stations = 1;        // packing stations PACK-1..PACK-n, one packer each
  std::string packers = "auto";  // auto, none (people), handheld (wms-sim's packers), mixed (half each)
  int maxMinutes = 0;      // a headless day not finished by then stops; 0: from the number of orders
  double lateCancels = 0.03;  // share of marketplace orders their channel cancels a little later
  int cancelAfter = 20;       // ...that many orders later
  double duplicates = 0.05;   // share of marketplace webhooks delivered twice
  double outOfOrder = 0.03;   // share of marketplace orders whose update overtakes their create
  // The chaos day's handshake with its fault injector (tools/chaos/wms-chaos
  // --calm-file): once every order has settled, this program makes the file
  // and waits for FILE.calm (no fault left in progress) before its final
  // count, so that the day is judged on a system that is whole again.
  std::filesystem::path calmFile;
  int trucks = 2;             // purchase orders received at the dock before the first orders
  std::string dock = "rest";  // who works the dock: rest (this program) or handheld (wms-sim's dock handhelds)
  std::filesystem::path labels = "var/demo/labels";
  std::filesystem::path portFile;
  int port = 0;  // the printer's; 0: any free port
  std::uint64_t seed = 11;
};

int die(const std::string& message) {
  std::cerr << "wms-demo: " << message << "\n";
  return 1;
}

std::string readText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Channel SKU shapes as each marketplace's ids look (Shopify variant ids,
// Shopee item:model and TikTok product:sku pairs, seller SKUs on Lazada and
// Amazon), numbered by the SKU's place in the catalogue.
std::string channelSku(const std::string& channel, std::size_t i) {
  const auto n = static_cast<long long>(i);
  if (channel == "shopify") return std::to_string(44000000000LL + n);
  if (channel == "shopee") return std::to_string(3100000 + n) + ":" + std::to_string(4100000 + n);
  if (channel == "tiktok") return std::to_string(1729100000LL + n) + ":" + std::to_string(2729100000LL + n);
  if (channel == "lazada") return "LZ-" + std::to_string(n + 1);
  return "AMZ-" + std::to_string(n + 1);
}
const char* const kMarketplaces[] = {"shopify", "lazada", "shopee", "tiktok", "amazon"};

std::vector<std::string> readLines(const std::filesystem::path& p) {
  std::vector<std::string> out;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// Lists the `count` best sellers on every marketplace (the channels then get
// their opening stock figures pushed) and remembers the channel SKUs for the
// day's orders.
int list(apiclient::Client& client, const Options& o, const std::vector<std::string>& skus) {
  const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(o.listings), skus.size());
  std::ofstream out(o.state / "listings.txt");
  for (const char* ch : kMarketplaces) {
    const bool ref = std::string(ch) == "shopee" || std::string(ch) == "tiktok";
    for (std::size_t i = 0; i < count; ++i) {
      const std::string cs = channelSku(ch, i);
      auto r = client.call("PUT", std::string("/api/v1/channels/") + ch + "/listings/" + skus[i],
                           R"({"channel_sku":")" + cs + R"(")" + (ref ? R"(,"listing_ref":")" + cs + R"(")" : "") + "}");
      if (!r) return die(std::string("listing ") + skus[i] + " on " + ch + ": " + r.error().message);
      out << ch << " " << cs << "\n";
    }
    std::cerr << "  " << ch << ": " << count << " listings\n";
  }
  return 0;
}

int seed(const Options& o) {
  auto dc = layouts::loadLayout(o.dc);
  if (!dc) return die(o.dc.string() + ": " + dc.error().message);
  auto store = layouts::loadLayout(o.store);
  if (!store) return die(o.store.string() + ": " + store.error().message);
  auto data = demo::generateDemoData(*dc, *store, o.skus, o.skus / 5, o.seed, o.stockScale);
  apiclient::Client client(o.server);
  for (auto [kind, csv] : {std::pair<std::string, const std::string*>{"locations", &data.locationsCsv},
                           {"catalogue", &data.catalogueCsv},
                           {"stock", &data.stockCsv}}) {
    auto r = client.call("POST", "/api/v1/import/" + kind, *csv, {{"Content-Type", "text/csv"}});
    if (!r) return die("importing " + kind + ": " + r.error().message);
    std::cerr << "  " << kind << ": " << r->json->getValue<int>("applied") << " rows\n";
  }
  std::filesystem::create_directories(o.state);
  std::vector<std::string> codes;
  {
    std::ofstream skus(o.state / "skus.txt");
    for (const auto& s : data.skus) {
      skus << s.code << "\n";
      codes.push_back(s.code);
    }
  }
  if (o.listings > 0)
    if (int code = list(client, o, codes); code != 0) return code;
  auto snapshot = demo::takeSnapshot(client);
  if (!snapshot) return die("snapshot: " + snapshot.error().message);
  std::ofstream(o.state / "opening.json") << demo::snapshotToJson(*snapshot);
  std::int64_t units = 0;
  for (const auto& [sku, q] : snapshot->onHand) units += q;
  std::cerr << "  opening stock: " << units << " units of " << snapshot->onHand.size() << " SKUs\n";
  return 0;
}

// Store customers ordering for pickup at the counter (channel manual).
const char* const kStoreCustomers[] = {"Tan Wei Ling", "Nur Aisyah binti Ahmad", "สมชาย ใจดี", "Nguyễn Văn An",
                                       "Maria Santos", "王小明"};

std::string jsonEscape(const std::string& s) {
  Poco::JSON::Object o;
  o.set("v", s);
  std::ostringstream out;
  o.stringify(out);
  std::string t = out.str();
  return t.substr(5, t.size() - 6);
}

// Orders by status, from the server.
Result<std::map<std::string, std::int64_t>> statusCounts(apiclient::Client& client) {
  auto r = client.call("GET", "/api/v1/orders/summary");
  if (!r) return r.error();
  std::map<std::string, std::int64_t> out;
  auto by = r->json->getObject("by_status");
  if (by)
    for (const auto& name : by->getNames()) out[name] = by->getValue<std::int64_t>(name);
  return out;
}

// The minutes a headless day of `orders` may take: the marketplaces' sending
// time at `rate`, the floor's work at the simulated staff's pace (measured:
// docs/benchmarks.md, day), and a margin for the last orders to go through
// every stage.
int dayMinutes(int orders, double rate) {
  const double sending = orders / std::max(0.1, rate) / 60.0;
  const double floorWork = orders * 0.3 / 60.0;
  return static_cast<int>(std::ceil(sending + floorWork + 5.0));
}

bool isSettled(const std::string& status) {
  return status == "shipped" || status == "cancelled" || status == "held" || status == "backordered";
}

int day(const Options& o) {
  const auto skus = readLines(o.state / "skus.txt");
  if (skus.empty()) return die("no demo catalogue in " + (o.state / "skus.txt").string() + "; run seed first");
  auto opening = demo::snapshotFromJson(readText(o.state / "opening.json"));
  if (!opening) return die(opening.error().message);
  if (o.emu.empty()) return die("day needs --emu URL (the channel emulator the marketplace orders come from)");
  std::map<std::string, std::vector<std::string>> listed;
  for (const auto& line : readLines(o.state / "listings.txt")) {
    const auto space = line.find(' ');
    if (space != std::string::npos) listed[line.substr(0, space)].push_back(line.substr(space + 1));
  }
  if (listed.empty()) return die("no listings in " + (o.state / "listings.txt").string() + "; run seed --listings N");

  apiclient::Client client(o.server), emu(o.emu);
  const auto started = std::chrono::steady_clock::now();
  std::mt19937_64 rng(o.seed);

  // The morning: the trucks at the dock, before the first orders.
  auto morning = o.dock == "handheld"
                     ? demo::morningWithHandhelds(client, skus, o.trucks, o.seed, std::chrono::minutes(5), interrupted)
                     : demo::morningAtTheDock(client, skus, o.trucks, o.seed);
  if (!morning) return die("at the dock: " + morning.error().message);
  const auto ordersStarted = std::chrono::steady_clock::now();

  // About one order in twelve is a store customer's pickup order keyed in at
  // the counter; the rest come from the marketplaces, as the emulator's
  // 11.11-style burst: duplicate webhooks, late cancels, updates that
  // overtake their create.
  const int storeOrders = o.orders / 12;
  const int marketOrders = o.orders - storeOrders;
  Poco::JSON::Object scenario;
  scenario.set("orders", marketOrders);
  scenario.set("per_second", o.rate > 0 ? o.rate : 25.0);
  scenario.set("duplicates", o.duplicates);
  scenario.set("late_cancels", o.lateCancels);
  scenario.set("cancel_after", o.cancelAfter);
  scenario.set("out_of_order", o.outOfOrder);
  scenario.set("max_qty", 3);
  scenario.set("seed", static_cast<Poco::Int64>(o.seed));
  Poco::JSON::Object skuObject;
  for (const auto& [ch, list] : listed) {
    Poco::JSON::Array a;
    for (const auto& s : list) a.add(s);
    skuObject.set(ch, a);
  }
  scenario.set("skus", skuObject);
  std::ostringstream scenarioText;
  scenario.stringify(scenarioText);
  if (auto r = emu.call("POST", "/_emu/scenario", scenarioText.str()); !r)
    return die("starting the marketplace orders: " + r.error().message);
  std::cerr << "  marketplaces: " << marketOrders << " orders coming at " << scenario.getValue<double>("per_second")
            << "/s (with duplicates, late cancels, out-of-order updates)\n";

  std::int64_t storeRefused = 0;
  std::uniform_int_distribution<std::size_t> storeSku(0, std::min<std::size_t>(skus.size(), 120) / 5 - 1);
  std::uniform_int_distribution<int> qty(1, 2), customer(0, 5);
  for (int i = 0; i < storeOrders && !interrupted; ++i) {
    std::string body = R"({"channel":"manual","external_id":"store-)" + std::to_string(o.seed) + "-" +
                       std::to_string(i + 1) + R"(","service_level":"store_pickup","on_shortage":"backorder",)" +
                       R"("ship_to":{"name":)" + jsonEscape(kStoreCustomers[customer(rng)]) +
                       R"(,"line1":"Counter pickup","city":"Singapore","postal_code":"018956","country":"SG"},)" +
                       R"("lines":[{"sku":")" + skus[storeSku(rng)] + R"(","qty":)" + std::to_string(qty(rng)) + "}]}";
    // Keyed: an order whose answer was lost is sent again, and wmsd answers
    // the first order again (200) instead of taking a second.
    const std::string key = "demo-store-" + std::to_string(o.seed) + "-" + std::to_string(i + 1);
    if (auto r = client.call("POST", "/api/v1/orders", body, {{"Idempotency-Key", key}}); !r) {
      ++storeRefused;
      std::cerr << "  store order refused: " << r.error().message << "\n";
    }
  }

  // The replenisher: every few seconds, the moves the plan asks for (the
  // faces the released waves will empty, and those below their minimum).
  // With the dock's handhelds, wms-sim's replenishers do this instead.
  std::atomic<bool> dayOver{false};
  std::atomic<int> replenished{0};
  std::thread replenisher([&] {
    if (o.dock == "handheld") return;
    apiclient::Client own(o.server);
    int sequence = 0;
    const std::string prefix = "demo-replenish-" + std::to_string(o.seed) + "-";
    while (!dayOver && !interrupted) {
      if (auto n = demo::replenishOnce(own, prefix, sequence); n && *n > 0) {
        replenished += *n;
        std::cerr << "  replenishment: " << *n << " face(s) refilled from reserve (" << replenished << " today)\n";
      }
      for (int i = 0; i < 20 && !dayOver && !interrupted; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  // The packing stations: each packs and ships the picked orders that are
  // its share (by order id), so that two stations never open the same one.
  // An order cut halfway because wmsd went away (Unavailable) is no
  // failure: it is carried on next round from where wmsd has it, picked,
  // packed or shipped (Packer.h), so it is remembered even once it leaves
  // the picked list.
  std::atomic<std::int64_t> shipped{0}, packFailures{0};  // by this program's stations
  auto station = [&](int index) {
    const std::string name = "PACK-" + std::to_string(index + 1);
    std::set<std::int64_t> failedOnce, unfinished;
    // True if the order moved on (shipped, or refused for good).
    const auto work = [&](std::int64_t id) -> bool {
      auto r = demo::packAndShip(client, id, name);
      if (r) {
        ++shipped;
        if (unfinished.erase(id) != 0) std::cerr << "  packing at " << name << ": order " << id << " carried on and shipped\n";
        return true;
      }
      if (r.error().kind == ErrorKind::Unavailable) {
        if (unfinished.insert(id).second)
          std::cerr << "  packing at " << name << ": " << r.error().message << "; carried on later\n";
        return false;
      }
      unfinished.erase(id);
      failedOnce.insert(id);
      // Held or cancelled meanwhile (its channel cancelled it after
      // picking: intercepted): the station was right not to ship it.
      auto now = client.call("GET", "/api/v1/orders/" + std::to_string(id));
      if (!now && now.error().kind == ErrorKind::Unavailable) {
        failedOnce.erase(id);  // cannot tell now: asked again next round
        unfinished.insert(id);
        return false;
      }
      const std::string status = now ? now->json->getValue<std::string>("status") : "";
      if (status == "held" || status == "cancelled") {
        std::cerr << "  packing at " << name << ": order " << id << " is " << status << " now; left for a supervisor\n";
        return true;
      }
      ++packFailures;
      std::cerr << "  packing at " << name << ": " << r.error().message << "\n";
      return true;
    };
    while (!dayOver && !interrupted) {
      bool any = false;
      for (const auto id : std::set<std::int64_t>(unfinished)) {
        if (dayOver || interrupted) break;
        any = work(id) || any;
      }
      std::int64_t after = 0;
      for (;;) {  // every page of picked orders, oldest first
        auto page = client.call("GET", "/api/v1/orders?status=picked&limit=200&after=" + std::to_string(after));
        if (!page) break;
        auto items = page->json->getArray("items");
        for (unsigned i = 0; items && i < items->size() && !interrupted && !dayOver; ++i) {
          const auto id = items->getObject(i)->getValue<std::int64_t>("id");
          after = id;
          // Mixed: the odd ids are the handheld packers' (wms-sim --pack-share 1/2).
          const bool mixed = o.packers == "mixed";
          if (mixed && id % 2 != 0) continue;
          if ((mixed ? id / 2 : id) % o.stations != index || failedOnce.count(id) != 0 || unfinished.count(id) != 0)
            continue;
          any = work(id) || any;
        }
        if (page->json->isNull("next_after") || dayOver || interrupted) break;
      }
      if (!any) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  };
  std::vector<std::thread> packers;
  if (o.packers == "auto" || o.packers == "mixed") {
    for (int k = 0; k < o.stations; ++k) packers.emplace_back(station, k);
    if (o.packers == "mixed")
      std::cerr << "  packing: PACK-1..PACK-" << o.stations
                << " over REST take the picked orders of even id; the handheld packers those of odd id\n";
  } else if (o.packers == "handheld") {
    std::cerr << "  packing: the handheld packers (wms-sim) pack every picked order over MQTT\n";
  } else {
    std::cerr << "  no automatic packers: picked orders wait at PACK-1..PACK-" << o.stations
              << " for a person (the packing page, or a handheld in pack mode)\n";
  }

  // The day ends when the marketplaces have sent everything and every order
  // has reached a resting state (shipped, cancelled, held or backordered);
  // headless, that is the end of the run. It also ends, unfinished, when the
  // time allowed for its size is up, or when nothing has moved for a while
  // after the last order came in (the floor has stopped: waiting longer
  // cannot help, and the summary says where the orders are stuck).
  const int maxMinutes = o.maxMinutes > 0 ? o.maxMinutes : dayMinutes(o.orders, o.rate > 0 ? o.rate : 25.0);
  // Counted from the end of the morning: the orders' time, whoever worked the dock.
  const auto deadline = ordersStarted + std::chrono::minutes(maxMinutes);
  // Longer than run-demo --chaos's devices.reclaim_after_s (240 s): a batch
  // on a handheld lost for good moves on to another picker before the day
  // is called stopped.
  const auto stallLimit = std::chrono::minutes(6);
  if (o.headless) std::cerr << "  time allowed for " << o.orders << " orders: " << maxMinutes << " minutes\n";
  bool finished = false;
  std::string last;
  std::int64_t lastTotal = -1;
  std::int64_t totesBoundTwice = 0;
  auto lastArrival = std::chrono::steady_clock::now();
  auto lastMove = lastArrival;
  for (auto nextReport = std::chrono::steady_clock::now(); !interrupted;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto sc = emu.call("GET", "/_emu/scenario");
    auto counts = statusCounts(client);
    if (!sc || !counts) continue;
    if (auto totes = client.call("GET", "/api/v1/totes"))
      totesBoundTwice = std::max(totesBoundTwice, totes->json->getValue<std::int64_t>("bound_twice"));
    std::int64_t total = 0, settled = 0;
    std::string line;
    for (const auto& [status, n] : *counts) {
      total += n;
      if (isSettled(status)) settled += n;
      if (n > 0) line += " " + status + " " + std::to_string(n);
    }
    // Still arriving: the emulator is sending, or orders it created have not
    // reached wmsd yet (Amazon's are polled, the others' details fetched).
    // An order cancelled before wmsd fetched it never becomes one, so fewer
    // can arrive than were created: once no fetch is pending and no order
    // has come for a few Amazon poll periods, nothing more is coming.
    const auto now = std::chrono::steady_clock::now();
    if (total != lastTotal) {
      lastTotal = total;
      lastArrival = now;
    }
    if (line != last) lastMove = now;
    std::int64_t pendingFetches = 0;
    if (auto ch = client.call("GET", "/api/v1/channels"); ch) {
      auto arr = ch->json->getArray("channels");
      for (unsigned k = 0; arr && k < arr->size(); ++k)
        pendingFetches += arr->getObject(k)->optValue<std::int64_t>("pending_fetches", 0);
    }
    const std::int64_t created = sc->json->getValue<std::int64_t>("created");
    const bool allArrived = total - (storeOrders - storeRefused) >= created;
    const bool quiet = pendingFetches == 0 && now - lastArrival > std::chrono::seconds(10);
    const bool sending = sc->json->getValue<bool>("running") || !(allArrived || quiet);
    if (std::chrono::steady_clock::now() >= nextReport && line != last) {
      std::cerr << "  orders:" << line << (sending ? "  (marketplaces still sending)" : "") << "\n";
      last = line;
      nextReport = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    }
    if (!sending && total > 0 && settled == total && !finished) {
      finished = true;
      std::cerr << "  every order is shipped, cancelled, held or backordered\n";
      if (o.headless) break;
      std::cerr << "  the day's orders are done; the system keeps running until Ctrl-C\n";
    }
    if (o.headless && std::chrono::steady_clock::now() >= deadline) {
      std::cerr << "  the day did not finish within " << maxMinutes << " minutes; stopping with what is done\n";
      break;
    }
    if (o.headless && !sending && now - lastMove > stallLimit) {
      std::cerr << "  nothing has moved for " << std::chrono::duration_cast<std::chrono::minutes>(stallLimit).count()
                << " minutes: the floor has stopped; see orders_unfinished and the exceptions\n";
      break;
    }
  }
  dayOver = true;
  for (auto& t : packers) t.join();
  replenisher.join();
  if (!o.calmFile.empty() && !interrupted) {
    std::ofstream(o.calmFile) << "the day has settled\n";
    std::cerr << "  asking the fault injector for calm before the final count\n";
    auto calm = o.calmFile;
    calm += ".calm";
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    while (!std::filesystem::exists(calm) && std::chrono::steady_clock::now() < giveUp && !interrupted)
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (!std::filesystem::exists(calm)) std::cerr << "  no calm after 5 minutes; counting anyway\n";
  }

  // The channels must show what wmsd says they can sell and know every
  // shipment: wait for the stock pushes and fulfilment notices to drain, then
  // ask the emulator to compare.
  demo::DayFigures figures;
  figures.picking = true;
  figures.channels = true;
  figures.storeRefused = storeRefused;
  figures.packFailures = packFailures;
  figures.shippedByRestPackers = shipped;
  figures.totesBoundTwice = totesBoundTwice;
  // A channel that throttles (Shopify's cost bucket at the 11.11 peak)
  // still has notices queued when the floor is done: waited for as long as
  // the queue keeps shrinking, up to a minute without progress.
  std::int64_t fewestPending = -1;
  auto lastProgress = std::chrono::steady_clock::now();
  for (int reported = 0; !interrupted;) {
    auto ch = client.call("GET", "/api/v1/channels");
    std::int64_t pending = 0;
    if (ch) {
      auto arr = ch->json->getArray("channels");
      for (unsigned k = 0; arr && k < arr->size(); ++k)
        pending += arr->getObject(k)->getValue<std::int64_t>("pending_pushes") +
                   arr->getObject(k)->optValue<std::int64_t>("pending_fulfilments", 0);
    }
    if (ch && pending == 0) break;
    const auto now = std::chrono::steady_clock::now();
    if (ch && (fewestPending < 0 || pending < fewestPending)) {
      fewestPending = pending;
      lastProgress = now;
    }
    if (now - lastProgress > std::chrono::minutes(1)) break;
    if (ch && ++reported % 20 == 0)
      std::cerr << "  channels: " << pending << " stock update(s) and shipment notice(s) still queued\n";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  if (auto v = emu.call("GET", "/_emu/verdict"); v) {
    figures.channelsOutOfSync = v->json->getValue<std::int64_t>("out_of_sync");
    if (v->json->has("fulfilments_missing"))
      figures.fulfilmentsMissing = v->json->getValue<std::int64_t>("fulfilments_missing");
    if (v->json->has("shipped_after_channel_cancel"))
      figures.shippedAfterChannelCancel = v->json->getValue<std::int64_t>("shipped_after_channel_cancel");
  } else {
    std::cerr << "  channel verdict: " << v.error().message << "\n";
    figures.channels = false;
  }
  figures.durationS = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto summary = demo::summarise(client, *opening, figures);
  if (!summary) return die("summary: " + summary.error().message);
  std::ostringstream out;
  (*summary)->stringify(out);
  std::cout << out.str() << std::endl;
  const auto s = *summary;
  const bool ok = finished && s->getValue<std::int64_t>("orders_unfinished") == 0 &&
                  s->getValue<int>("stock_mismatches") == 0 && s->getValue<int>("oversells") == 0 &&
                  figures.channels && figures.channelsOutOfSync == 0 && figures.fulfilmentsMissing.value_or(0) == 0 &&
                  packFailures == 0 && storeRefused == 0 && totesBoundTwice == 0;
  return ok ? 0 : 1;
}

// The label printer of the demo's packing station (see LabelSink.h); runs
// until SIGINT/SIGTERM.
int printer(const Options& o) {
  auto sink = demo::LabelSink::start(static_cast<std::uint16_t>(o.port), o.labels);
  if (!sink) return die(sink.error().message);
  if (!o.portFile.empty()) {
    const auto tmp = o.portFile.string() + ".tmp";
    std::ofstream(tmp) << (*sink)->port() << "\n";
    std::filesystem::rename(tmp, o.portFile);
  }
  std::cerr << "wms-demo printer: listening on 127.0.0.1:" << (*sink)->port() << ", labels in " << o.labels.string()
            << "\n";
  while (!interrupted) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::cerr << "wms-demo printer: " << (*sink)->jobs() << " label(s) printed\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, [](int) { interrupted = true; });
  std::signal(SIGTERM, [](int) { interrupted = true; });
  Options o;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return die("usage: wms-demo seed|day [options]; see tools/demo/main.cpp");
  o.command = args[0];
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw std::invalid_argument(a + " needs a value");
      return args[++i];
    };
    try {
      if (a == "--server") o.server = value();
      else if (a == "--state") o.state = value();
      else if (a == "--dc") o.dc = value();
      else if (a == "--store") o.store = value();
      else if (a == "--skus") o.skus = std::stoi(value());
      else if (a == "--orders") o.orders = std::stoi(value());
      else if (a == "--rate") o.rate = std::stod(value());
      else if (a == "--seed") o.seed = std::stoull(value());
      else if (a == "--headless") o.headless = true;
      else if (a == "--listings") o.listings = std::stoi(value());
      else if (a == "--stock-scale") o.stockScale = std::stoi(value());
      else if (a == "--emu") o.emu = value();
      else if (a == "--stations") o.stations = std::stoi(value());
      else if (a == "--late-cancels") o.lateCancels = std::stod(value());
      else if (a == "--cancel-after") o.cancelAfter = std::stoi(value());
      else if (a == "--duplicates") o.duplicates = std::stod(value());
      else if (a == "--out-of-order") o.outOfOrder = std::stod(value());
      else if (a == "--calm-file") o.calmFile = value();
      else if (a == "--max-minutes") o.maxMinutes = std::stoi(value());
      else if (a == "--trucks") o.trucks = std::stoi(value());
      else if (a == "--labels") o.labels = value();
      else if (a == "--port-file") o.portFile = value();
      else if (a == "--port") o.port = std::stoi(value());
      else if (a == "--dock") {
        const std::string v = value();
        if (v != "rest" && v != "handheld") return die("--dock must be rest or handheld, got '" + v + "'");
        o.dock = v;
      }
      else if (a == "--packers") {
        const std::string v = value();
        if (v != "auto" && v != "none" && v != "handheld" && v != "mixed")
          return die("--packers must be auto, none, handheld or mixed, got '" + v + "'");
        o.packers = v;
      }
      else return die("unknown option " + a);
    } catch (const std::exception& e) {
      return die(std::string("bad option: ") + e.what());
    }
  }
  if (o.stations < 1 || o.stations > 50) return die("--stations must be 1 to 50");
  if (o.packers == "none" && o.headless)
    return die("--packers none leaves packing to people, so a headless day could never finish; use --packers auto");
  if (o.stockScale < 1 || o.stockScale > 1000) return die("--stock-scale must be 1 to 1000");
  if (o.trucks < 0 || o.trucks > 10) return die("--trucks must be 0 to 10");
  if (o.lateCancels < 0 || o.lateCancels > 1) return die("--late-cancels must be a share from 0 to 1");
  if (o.duplicates < 0 || o.duplicates > 1) return die("--duplicates must be a share from 0 to 1");
  if (o.outOfOrder < 0 || o.outOfOrder > 1) return die("--out-of-order must be a share from 0 to 1");
  if (o.port < 0 || o.port > 65535) return die("--port must be 0 (any free port) to 65535");
  if (o.command == "seed") return seed(o);
  if (o.command == "day") return day(o);
  if (o.command == "printer") return printer(o);
  return die("unknown command " + o.command);
}
