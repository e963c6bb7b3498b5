// wms-demo: seeds a running wmsd with the demo warehouse and runs a demo
// day against it. tools/run-demo starts the processes and calls this.
//
//   wms-demo seed --server URL --state DIR --dc LAYOUT --store LAYOUT [--skus N] [--seed S]
//   wms-demo day  --server URL --state DIR --orders N [--headless] [--rate PER_S] [--seed S]
//
// Progress goes to stderr; `day --headless` prints the summary JSON as its
// last line on stdout.
#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "DemoData.h"
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
  int orders = 100;
  double rate = 0;  // orders per second; 0 = as fast as possible
  bool headless = false;
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

int seed(const Options& o) {
  auto dc = layouts::loadLayout(o.dc);
  if (!dc) return die(o.dc.string() + ": " + dc.error().message);
  auto store = layouts::loadLayout(o.store);
  if (!store) return die(o.store.string() + ": " + store.error().message);
  auto data = demo::generateDemoData(*dc, *store, o.skus, o.skus / 5, o.seed);
  apiclient::Client client(o.server);
  for (auto [kind, csv] : {std::pair<std::string, const std::string*>{"locations", &data.locationsCsv},
                           {"catalogue", &data.catalogueCsv},
                           {"stock", &data.stockCsv}}) {
    auto r = client.call("POST", "/api/v1/import/" + kind, *csv, {{"Content-Type", "text/csv"}});
    if (!r) return die("importing " + kind + ": " + r.error().message);
    std::cerr << "  " << kind << ": " << r->json->getValue<int>("applied") << " rows\n";
  }
  std::filesystem::create_directories(o.state);
  std::ofstream skus(o.state / "skus.txt");
  for (const auto& s : data.skus) skus << s.code << "\n";
  auto snapshot = demo::takeSnapshot(client);
  if (!snapshot) return die("snapshot: " + snapshot.error().message);
  std::ofstream(o.state / "opening.json") << demo::snapshotToJson(*snapshot);
  std::int64_t units = 0;
  for (const auto& [sku, q] : snapshot->onHand) units += q;
  std::cerr << "  opening stock: " << units << " units of " << snapshot->onHand.size() << " SKUs\n";
  return 0;
}

// Customers across the region the retailer sells to; names and addresses in
// their own scripts.
struct Customer {
  const char* name;
  const char* line1;
  const char* city;
  const char* postal;
  const char* country;
};
const Customer kCustomers[] = {
    {"Tan Wei Ling", "10 Bayfront Ave", "Singapore", "018956", "SG"},
    {"Nur Aisyah binti Ahmad", "Jalan Ampang 12", "Kuala Lumpur", "50450", "MY"},
    {"สมชาย ใจดี", "99 ถนนสุขุมวิท", "กรุงเทพมหานคร", "10110", "TH"},
    {"Nguyễn Văn An", "12 Phố Huế", "Hà Nội", "100000", "VN"},
    {"Maria Santos", "25 Ayala Ave", "Makati", "1226", "PH"},
    {"Budi Santoso", "Jl. Sudirman No. 5", "Jakarta", "10220", "ID"},
    {"王小明", "中山路 88 号", "厦门", "361000", "CN"},
};

struct ChannelShare {
  const char* channel;
  int weight;
};
const ChannelShare kChannels[] = {{"shopify", 25}, {"lazada", 20}, {"shopee", 25},
                                  {"tiktok", 12},  {"amazon", 10}, {"pos", 8}};

std::string jsonEscape(const std::string& s) {
  Poco::JSON::Object o;
  o.set("v", s);
  std::ostringstream out;
  o.stringify(out);
  std::string t = out.str();
  return t.substr(5, t.size() - 6);
}

int day(const Options& o) {
  std::vector<std::string> skus;
  {
    std::ifstream in(o.state / "skus.txt");
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) skus.push_back(line);
  }
  if (skus.empty()) return die("no demo catalogue in " + (o.state / "skus.txt").string() + "; run seed first");
  auto opening = demo::snapshotFromJson(readText(o.state / "opening.json"));
  if (!opening) return die(opening.error().message);

  apiclient::Client client(o.server);
  const auto started = std::chrono::steady_clock::now();
  std::mt19937_64 rng(o.seed);
  // Popularity falls off like 1/rank (a Zipf law), as sales do.
  std::vector<double> weights;
  for (std::size_t i = 0; i < skus.size(); ++i) weights.push_back(1.0 / static_cast<double>(i + 1));
  std::discrete_distribution<std::size_t> pickSku(weights.begin(), weights.end());
  std::vector<int> channelWeights;
  for (const auto& c : kChannels) channelWeights.push_back(c.weight);
  std::discrete_distribution<std::size_t> pickChannel(channelWeights.begin(), channelWeights.end());
  std::uniform_int_distribution<int> lineCount(1, 5), qty(1, 3), customer(0, 6), pct(0, 99);

  struct Planned {
    std::string channel, body;
  };
  std::vector<Planned> planned;
  for (int i = 0; i < o.orders; ++i) {
    const auto& ch = kChannels[pickChannel(rng)];
    const auto& c = kCustomers[customer(rng)];
    std::string level = std::string(ch.channel) == "pos" ? "store_pickup" : (pct(rng) < 15 ? "express" : "standard");
    std::string body = R"({"channel":")" + std::string(std::string(ch.channel) == "pos" ? "manual" : ch.channel) +
                       R"(","external_id":"demo-)" + std::to_string(o.seed) + "-" + std::to_string(i + 1) +
                       R"(","service_level":")" + level + R"(","carrier":"wms-express","on_shortage":"backorder",)" +
                       R"("ship_to":{"name":)" + jsonEscape(c.name) + R"(,"line1":)" + jsonEscape(c.line1) +
                       R"(,"city":)" + jsonEscape(c.city) + R"(,"postal_code":")" + c.postal + R"(","country":")" +
                       c.country + R"("},"lines":[)";
    int n = lineCount(rng);
    std::vector<std::string> used;
    for (int k = 0; k < n; ++k) {
      std::string sku = skus[pickSku(rng)];
      if (std::find(used.begin(), used.end(), sku) != used.end()) continue;
      used.push_back(sku);
      if (k > 0 && body.back() != '[') body += ",";
      body += R"({"sku":")" + sku + R"(","qty":)" + std::to_string(qty(rng)) + "}";
    }
    body += "]}";
    planned.push_back({std::string(std::string(ch.channel) == "pos" ? "store" : ch.channel), body});
  }

  demo::DayFigures figures;
  std::mutex m;
  std::atomic<std::size_t> next{0}, done{0}, failed{0};
  std::string firstFailure;
  const int threads = o.rate > 0 ? 1 : 8;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < planned.size() && !interrupted; i = next++) {
        if (o.rate > 0) {
          auto due = started + std::chrono::milliseconds(static_cast<long>(1000.0 * static_cast<double>(i) / o.rate));
          std::this_thread::sleep_until(due);
        }
        auto r = client.call("POST", "/api/v1/orders", planned[i].body);
        std::lock_guard lock(m);
        if (r) ++figures.ordersIn[planned[i].channel];
        else {
          ++failed;
          if (firstFailure.empty()) firstFailure = r.error().message;
        }
        ++done;
      }
    });
  }
  std::thread progress([&] {
    while (done < planned.size() && !interrupted) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      std::cerr << "  orders in: " << done << "/" << planned.size() << "\n";
    }
  });
  for (auto& th : pool) th.join();
  progress.join();
  if (failed > 0) std::cerr << "  " << failed << " order(s) refused; first: " << firstFailure << "\n";

  // Later phases of the day (waves, picking, packing, shipping, channel sync)
  // run here as they are built; until then their summary fields are null.
  if (!o.headless) {
    std::cerr << "  all " << planned.size() << " orders are in; the demo keeps running until Ctrl-C\n";
    while (!interrupted) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  figures.durationS = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto summary = demo::summarise(client, *opening, figures);
  if (!summary) return die("summary: " + summary.error().message);
  std::ostringstream out;
  (*summary)->stringify(out);
  std::cout << out.str() << std::endl;
  const auto s = *summary;
  bool ok = s->getValue<int>("stock_mismatches") == 0 && s->getValue<int>("oversells") == 0 && failed == 0;
  return ok ? 0 : 1;
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
      else return die("unknown option " + a);
    } catch (const std::exception& e) {
      return die(std::string("bad option: ") + e.what());
    }
  }
  if (o.command == "seed") return seed(o);
  if (o.command == "day") return day(o);
  return die("unknown command " + o.command);
}
