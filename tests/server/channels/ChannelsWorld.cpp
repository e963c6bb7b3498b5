#include "ChannelsWorld.h"

#include <Poco/JSON/Parser.h>

#include <fstream>
#include <stdexcept>
#include <thread>

namespace wms::testsupport {
namespace {

Poco::JSON::Object::Ptr parse(const HttpResult& r, const std::string& what) {
  try {
    Poco::JSON::Parser p;
    return p.parse(r.body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    throw std::runtime_error(what + ": not a JSON object (" + std::to_string(r.status) + "): " + r.body);
  }
}

}  // namespace

std::map<std::string, std::string> channelSettings(std::uint16_t emuPort) {
  const std::string base = "http://127.0.0.1:" + std::to_string(emuPort) + "/";
  return {
      {"store.durability", "normal"},
      {"channels.retry_base_ms", "100"},
      {"channels.retry_max_ms", "1000"},
      {"channels.shopify.enabled", "true"},   {"channels.shopify.api_base", base + "shopify"},
      {"channels.shopify.secret", "shopify-secret"}, {"channels.shopify.access_token", "shpat_test"},
      {"channels.shopify.location_id", "655441491"}, {"channels.shopify.push_rate", "200"},
      {"channels.shopify.push_burst", "200"},
      {"channels.lazada.enabled", "true"},    {"channels.lazada.api_base", base + "lazada"},
      {"channels.lazada.app_key", "100001"},  {"channels.lazada.secret", "lazada-secret"},
      {"channels.lazada.access_token", "lz-token"}, {"channels.lazada.push_rate", "200"},
      {"channels.lazada.push_burst", "200"},
      {"channels.shopee.enabled", "true"},    {"channels.shopee.api_base", base + "shopee"},
      {"channels.shopee.app_key", "2001"},    {"channels.shopee.secret", "shopee-key"},
      {"channels.shopee.shop_id", "601412"},  {"channels.shopee.access_token", "sp-token"},
      {"channels.shopee.callback_url", "https://wms.example/api/v1/channels/shopee/webhooks"},
      {"channels.shopee.push_rate", "200"},   {"channels.shopee.push_burst", "200"},
      {"channels.tiktok.enabled", "true"},    {"channels.tiktok.api_base", base + "tiktok"},
      {"channels.tiktok.app_key", "tt-app"},  {"channels.tiktok.secret", "tiktok-secret"},
      {"channels.tiktok.access_token", "tt-token"}, {"channels.tiktok.push_rate", "200"},
      {"channels.tiktok.push_burst", "200"},
      {"channels.amazon.enabled", "true"},    {"channels.amazon.api_base", base + "amazon"},
      {"channels.amazon.access_token", "Atza|test"}, {"channels.amazon.shop_id", "A1SELLER"},
      {"channels.amazon.marketplace_id", "A19VAU5U5O7RUS"}, {"channels.amazon.poll_ms", "300"},
      {"channels.amazon.restricted_data_token", "true"},
      {"channels.amazon.orders_rate", "50"},  {"channels.amazon.items_rate", "50"},
      {"channels.amazon.push_rate", "200"},   {"channels.amazon.push_burst", "200"},
  };
}

EmuProcess::EmuProcess(std::vector<std::string> extraArgs) {
  std::vector<std::string> argv = {builtProgram("tools/channel-emu/wms-channel-emu").string(), "--port", "0",
                                   "--port-file", (dir_ / "port").string()};
  for (auto& a : extraArgs) argv.push_back(std::move(a));
  ChildProcess::Options o;
  o.output = dir_ / "emu.log";
  process_ = std::make_unique<ChildProcess>(argv, o);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(dir_ / "port");
    int p = 0;
    if (in >> p && p > 0) {
      port_ = static_cast<std::uint16_t>(p);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("wms-channel-emu did not start: " + readFile(dir_ / "emu.log"));
}

EmuProcess::~EmuProcess() {
  if (process_) process_->stop(std::chrono::seconds(5));
}

Poco::JSON::Object::Ptr EmuProcess::json(const std::string& path) const { return parse(get(path), path); }

ChannelsWorld::ChannelsWorld(std::map<std::string, std::string> extra, std::vector<std::string> emuArgs)
    : emu(std::move(emuArgs)) {
  settings = channelSettings(emu.port());
  for (auto& [k, v] : extra) settings[k] = v;
  WmsdProcess::Options o;
  o.settings = settings;
  o.dataDir = wmsdDir.path();
  wmsd = std::make_unique<WmsdProcess>(o);
  auto r = emu.post("/_emu/config", R"({"wmsd":"http://127.0.0.1:)" + std::to_string(wmsd->port()) +
                                        R"(","token":")" + wmsd->token() + R"("})");
  if (r.status != 200) throw std::runtime_error("cannot configure the emulator: " + r.body);
  if (wmsd->post("/api/v1/locations", R"({"code":"A-01-01-1","zone":"A"})").status != 201)
    throw std::runtime_error("cannot create a location");
  if (wmsd->post("/api/v1/locations", R"({"code":"STORE-01","zone":"S","kind":"store"})").status != 201)
    throw std::runtime_error("cannot create a store location");
}

void ChannelsWorld::crashAndRestartWmsd() {
  wmsd->kill9();
  WmsdProcess::Options o;
  o.settings = settings;
  o.dataDir = wmsdDir.path();
  wmsd = std::make_unique<WmsdProcess>(o);
  auto r = emu.post("/_emu/config", R"({"wmsd":"http://127.0.0.1:)" + std::to_string(wmsd->port()) +
                                        R"(","token":")" + wmsd->token() + R"("})");
  if (r.status != 200) throw std::runtime_error("cannot configure the emulator: " + r.body);
}

std::string ChannelsWorld::channelSku(const std::string& channel, const std::string& sku) {
  std::size_t h = std::hash<std::string>{}(sku) % 100000;
  if (channel == "shopify") return std::to_string(40000000000 + h);  // a variant id
  if (channel == "shopee") return std::to_string(3000000 + h) + ":" + std::to_string(4000000 + h);
  if (channel == "tiktok") return std::to_string(1729000000 + h) + ":" + std::to_string(2729000000 + h);
  return sku + "-" + channel;  // Lazada and Amazon seller SKUs
}

void ChannelsWorld::stockAndList(const std::string& sku, std::int64_t qty) {
  auto r = wmsd->post("/api/v1/skus", R"({"sku":")" + sku + R"("})");
  if (r.status != 201) throw std::runtime_error("cannot create SKU " + sku + ": " + r.body);
  if (qty > 0) {
    r = wmsd->post("/api/v1/stock/adjustments", R"({"sku":")" + sku + R"(","location":"A-01-01-1","delta":)" +
                                                    std::to_string(qty) + R"(,"reason":"receipt"})");
    if (r.status != 201) throw std::runtime_error("cannot receive " + sku + ": " + r.body);
  }
  for (const char* ch : {"shopify", "lazada", "shopee", "tiktok", "amazon"}) {
    const std::string cs = channelSku(ch, sku);
    const bool ref = std::string(ch) == "shopee" || std::string(ch) == "tiktok";
    r = httpRequest(wmsd->port(), "PUT", std::string("/api/v1/channels/") + ch + "/listings/" + sku,
                    R"({"channel_sku":")" + cs + R"(")" + (ref ? R"(,"listing_ref":")" + cs + R"(")" : "") + "}");
    if (r.status != 200) throw std::runtime_error(std::string("cannot list ") + sku + " on " + ch + ": " + r.body);
  }
}

std::string ChannelsWorld::order(const std::string& channel, const std::string& sku, std::int64_t qty, bool deliver) {
  auto r = emu.post("/_emu/orders", R"({"channel":")" + channel + R"(","lines":[{"sku":")" + channelSku(channel, sku) +
                                        R"(","qty":)" + std::to_string(qty) + "}],\"deliver\":" +
                                        (deliver ? "true" : "false") + "}");
  if (r.status != 200) throw std::runtime_error("emulator refused an order: " + r.body);
  return parse(r, "order")->getValue<std::string>("id");
}

Poco::JSON::Object::Ptr ChannelsWorld::wmsdJson(const std::string& path) const { return parse(wmsd->get(path), path); }

bool ChannelsWorld::eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

std::int64_t ChannelsWorld::channelShows(const std::string& channel, const std::string& sku) const {
  auto latest = emu.json("/_emu/stock?channel=" + channel)->getObject("latest");
  if (!latest->has(channel)) return -1;
  auto c = latest->getObject(channel);
  std::string key = channelSku(channel, sku);
  return c->has(key) ? c->getValue<Poco::Int64>(key) : -1;
}

std::int64_t ChannelsWorld::available(const std::string& sku) const {
  return wmsdJson("/api/v1/stock/" + sku)->getValue<Poco::Int64>("available");
}

}  // namespace wms::testsupport
