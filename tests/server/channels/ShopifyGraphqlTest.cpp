// Shopify through its GraphQL Admin API (src/payloads/ShopifyGraphql.cpp,
// the Shopify parts of ChannelApi.cpp and FulfilApi.cpp, the webhook rule in
// Hub.cpp): the answers' shapes from the fixtures in fixtures/shopify, and the
// hub in-process (real SQLite, real order and stock services, its pusher
// thread) against the in-process emulator's GraphQL endpoint: stock by
// inventorySetQuantities, shipments by fulfillmentCreate, pacing by the cost
// answer, and webhooks de-duplicated by X-Shopify-Event-Id.
#define BOOST_TEST_MODULE server_channels_shopify
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "wms/channelemu/Emulator.h"
#include "wms/channels/ChannelHub.h"
#include "wms/channels/Payloads.h"
#include "wms/channels/Signatures.h"
#include "wms/packing/Schema.h"
#include "wms/server/CatalogService.h"
#include "wms/server/OrderService.h"
#include "wms/server/StockService.h"
#include "wms/store/Query.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using wms::testsupport::readFile;

namespace {

std::string fixture(const std::string& name) {
  return readFile(std::filesystem::path(WMS_SOURCE_DIR) / "tests/server/channels/fixtures/shopify" / name);
}

bool eventually(const std::function<bool()>& pred,
                std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

Poco::JSON::Object::Ptr parse(const std::string& text) {
  Poco::JSON::Parser p;
  return p.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// A GraphQL Admin call straight to the emulator (as another client of the shop would make it).
Poco::JSON::Object::Ptr graphql(const channelemu::Emulator& emu, const std::string& request) {
  Poco::Net::HTTPClientSession session("127.0.0.1", emu.port());
  Poco::Net::HTTPRequest req("POST", "/shopify/admin/api/2026-10/graphql.json",
                             Poco::Net::HTTPMessage::HTTP_1_1);
  req.set("X-Shopify-Access-Token", "shpat-test");
  req.setContentType("application/json");
  req.setContentLength(static_cast<std::streamsize>(request.size()));
  session.sendRequest(req) << request;
  Poco::Net::HTTPResponse res;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
  BOOST_REQUIRE_MESSAGE(res.getStatus() == Poco::Net::HTTPResponse::HTTP_OK, body);
  return parse(body);
}

// The emulated order's fulfillment order line items: (order line id, FO line item GID).
std::vector<std::pair<std::string, std::string>> fulfillmentLines(const channelemu::Emulator& emu,
                                                                  const std::string& order) {
  auto answer = graphql(
      emu,
      R"({"query":"query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id status )"
      R"(lineItems(first: 50) { nodes { id totalQuantity remainingQuantity lineItem { id } } } } } } }",)"
      R"("variables":{"id":"gid://shopify/Order/)" +
          order + R"("}})");
  std::vector<std::pair<std::string, std::string>> out;
  auto fos = answer->getObject("data")->getObject("order")->getObject("fulfillmentOrders")->getArray("nodes");
  for (unsigned f = 0; f < fos->size(); ++f) {
    auto items = fos->getObject(f)->getObject("lineItems")->getArray("nodes");
    for (unsigned i = 0; i < items->size(); ++i) {
      auto item = items->getObject(i);
      const std::string line = item->getObject("lineItem")->getValue<std::string>("id");
      out.emplace_back(line.substr(line.rfind('/') + 1), item->getValue<std::string>("id"));
    }
  }
  return out;
}

// The hub with Shopify enabled and pointed at the emulator (no HTTP server,
// no other channel), a catalogue of SKUS, and stock.
struct Shop {
  std::unique_ptr<channelemu::Emulator> emu;
  testsupport::TempDir dir{"wms-channels-shopify"};
  std::unique_ptr<store::Database> db;
  wms::stock::StockEvents events;
  std::unique_ptr<wms::stock::OrderIntake> intake;
  std::unique_ptr<server::CatalogService> catalog;
  std::unique_ptr<server::StockService> stock;
  std::unique_ptr<server::OrderService> orders;
  std::unique_ptr<channels::ChannelHub> hub;

  explicit Shop(int skus = 3) {
    auto started = channelemu::Emulator::start({});
    BOOST_REQUIRE(started.ok());
    emu = std::move(*started);
    store::DatabaseOptions o;
    o.path = dir / "wms.db";
    o.durability = store::Durability::Normal;
    o.schemas.push_back(channels::channelsSchema());
    o.schemas.push_back(packing::packingSchema());
    auto opened = store::Database::open(o);
    BOOST_REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().message));
    db = std::move(*opened);
    catalog = std::make_unique<server::CatalogService>(*db);
    intake = std::make_unique<wms::stock::OrderIntake>(
        events, wms::stock::IntakeOptions{domain::ShortagePolicy::Reject});
    stock = std::make_unique<server::StockService>(*db, events);
    orders = std::make_unique<server::OrderService>(*db, *intake);
    auto config =
        channels::channelsConfigFrom({{"channels.shopify.enabled", "true"},
                                      {"channels.shopify.api_base", emu->baseUrl(domain::Channel::Shopify)},
                                      {"channels.shopify.secret", "shopify-secret"},
                                      {"channels.shopify.access_token", "shpat-test"},
                                      {"channels.shopify.location_id", "655441491"},
                                      {"channels.shopify.push_rate", "200"},
                                      {"channels.shopify.push_burst", "200"},
                                      {"channels.retry_base_ms", "20"},
                                      {"channels.retry_max_ms", "200"}});
    BOOST_REQUIRE_MESSAGE(config.ok(), (config.ok() ? "" : config.error().message));
    hub = std::make_unique<channels::ChannelHub>(*db, *intake, *config, nullptr);
    events.subscribe(*hub);
    BOOST_REQUIRE(catalog->putLocation({"A-01-01-1", "A", domain::LocationKind::Pick}).ok());
    for (int i = 0; i < skus; ++i) {
      domain::Sku s;
      s.code = sku(i);
      BOOST_REQUIRE(catalog->putSku(s).ok());
    }
  }
  ~Shop() {
    if (hub) hub->stop();
    if (emu) emu->stop();
  }

  static std::string sku(int i) { return "SKU-" + std::to_string(100 + i); }

  void receive(const std::string& code, std::int64_t qty) {
    auto r = stock->adjust({code, "A-01-01-1", "", "", qty, domain::AdjustReason::Receipt, "", ""});
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  }

  void list(const std::string& code, const std::string& variant, const std::string& inventoryItem) {
    auto r = hub->putListing({domain::Channel::Shopify, code, variant, inventoryItem, {}});
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  }

  std::int64_t shows(const std::string& inventoryItem) const {
    auto latest = emu->latestStock(domain::Channel::Shopify);
    auto it = latest.find(inventoryItem);
    return it == latest.end() ? -1 : it->second.quantity;
  }

  std::optional<channels::ListingView> listing(const std::string& code) {
    auto all = hub->listings(domain::Channel::Shopify, false);
    BOOST_REQUIRE(all.ok());
    for (const auto& v : *all) {
      if (v.listing.sku == code) return v;
    }
    return std::nullopt;
  }

  bool inSync(const std::string& code) {
    auto v = listing(code);
    return v && !v->pending && v->pushed && *v->pushed == v->atp;
  }

  void ship(const channels::ShippedNotice& n) {
    BOOST_REQUIRE(db->write([&](store::Tx& tx) -> Status {
                      BOOST_REQUIRE(hub->orderShippedInTx(tx, n));
                      return {};
                    }).ok());
    hub->shippedCommitted();
  }

  std::optional<channels::FulfilmentView> fulfilment(const std::string& order, std::int64_t shipment) {
    auto rows = hub->fulfilments(domain::Channel::Shopify);
    if (!rows) return std::nullopt;
    for (const auto& v : *rows) {
      if (v.notice.externalId == order && v.notice.shipmentId == shipment) return v;
    }
    return std::nullopt;
  }

  channels::WebhookReply webhook(const std::string& body, const std::string& eventId,
                                 const std::string& webhookId) {
    channels::WebhookRequest r;
    r.channel = domain::Channel::Shopify;
    r.body = body;
    r.headers["x-shopify-hmac-sha256"] = channels::shopifyWebhookSignature("shopify-secret", body);
    if (!eventId.empty()) r.headers["x-shopify-event-id"] = eventId;
    if (!webhookId.empty()) r.headers["x-shopify-webhook-id"] = webhookId;
    return hub->handleWebhook(r);
  }
};

channels::ShippedNotice shipped(const std::string& order, std::int64_t shipment,
                                std::vector<std::pair<std::string, std::int64_t>> lines,
                                const std::string& tracking) {
  channels::ShippedNotice n;
  n.channel = domain::Channel::Shopify;
  n.externalId = order;
  n.orderId = 7;
  n.shipmentId = shipment;
  n.carrierCode = "JNT";
  n.carrierName = "J&T Express";
  n.trackingNumber = tracking;
  for (auto& [line, qty] : lines) n.lines.push_back({line, Shop::sku(0), qty});
  return n;
}

std::string result(const channels::WebhookReply& r) {
  auto o = parse(r.body);
  return o->has("result") ? o->getValue<std::string>("result") : o->getValue<std::string>("error");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(shopify_answers)

BOOST_AUTO_TEST_CASE(ids_are_sent_as_gids_from_bare_numbers_or_gids_and_anything_else_is_refused_by_name) {
  BOOST_TEST(*channels::shopifyGid("InventoryItem", "30322695", "listing_ref") ==
             "gid://shopify/InventoryItem/30322695");
  BOOST_TEST(*channels::shopifyGid("Location", "gid://shopify/Location/655441491", "location_id") ==
             "gid://shopify/Location/655441491");
  for (const char* bad : {"", "SKU-1", "gid://shopify/Location/1", "gid://shopify/InventoryItem/",
                          "gid://shopify/InventoryItem/12a", "-5", "123456789012345678901"}) {
    auto r = channels::shopifyGid("InventoryItem", bad, "listing_ref");
    BOOST_TEST(!r.ok(), bad);
    if (!r.ok())
      BOOST_TEST(r.error().message.find("listing_ref must be a Shopify InventoryItem id") !=
                 std::string::npos);
  }
  BOOST_TEST(channels::shopifyGidNumber("LineItem", "gid://shopify/LineItem/466157049") == "466157049");
  BOOST_TEST(channels::shopifyGidNumber("LineItem", "gid://shopify/FulfillmentOrderLineItem/1").empty());
}

BOOST_AUTO_TEST_CASE(an_answer_gives_its_cost_its_user_errors_or_that_it_was_throttled) {
  auto ok = channels::readShopifyGraphql(fixture("graphql-inventory-set-quantities.json"),
                                         "inventorySetQuantities");
  BOOST_REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message));
  BOOST_TEST(!ok->throttled);
  BOOST_TEST(ok->userErrors.empty());
  BOOST_TEST(ok->hasCost);
  BOOST_TEST(ok->cost.requested == 10);
  BOOST_TEST(ok->cost.currentlyAvailable == 1990);
  BOOST_TEST(ok->cost.restoreRate == 100);

  auto refused = channels::readShopifyGraphql(fixture("graphql-inventory-set-quantities-user-errors.json"),
                                              "inventorySetQuantities");
  BOOST_REQUIRE(refused.ok());
  BOOST_REQUIRE(refused->userErrors.size() == 1u);
  BOOST_TEST(refused->userErrors[0].code == "INVALID_INVENTORY_ITEM");
  BOOST_TEST(refused->userErrors[0].field == "input.quantities.0.inventoryItemId");

  auto noCode = channels::readShopifyGraphql(fixture("graphql-fulfillment-create-user-errors.json"),
                                             "fulfillmentCreate");
  BOOST_REQUIRE(noCode.ok());
  BOOST_REQUIRE(noCode->userErrors.size() == 1u);
  BOOST_TEST(noCode->userErrors[0].code.empty());
  BOOST_TEST(noCode->userErrors[0].message == "Invalid fulfillment order line item quantity requested.");
  BOOST_TEST(channels::readShopifyGraphql(fixture("graphql-fulfillment-create.json"), "fulfillmentCreate")
                 ->userErrors.empty());

  auto throttled = channels::readShopifyGraphql(fixture("graphql-throttled.json"), "inventorySetQuantities");
  BOOST_REQUIRE(throttled.ok());
  BOOST_TEST(throttled->throttled);
  BOOST_TEST(throttled->cost.requested == 752);
  BOOST_TEST(throttled->cost.actual == -1);
  BOOST_TEST(throttled->cost.currentlyAvailable == 666);
  BOOST_TEST(throttled->cost.restoreRate == 50);
}

BOOST_AUTO_TEST_CASE(an_order_shopify_does_not_have_is_a_refusal_naming_it) {
  auto plan = channels::planShopifyFulfilment(fixture("graphql-order-not-found.json"),
                                              shipped("450789469", 1, {{"466157049", 1}}, "T"));
  BOOST_REQUIRE(!plan.ok());
  BOOST_TEST(plan.error().message.find("no order 450789469") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_emulator_takes_the_documented_request_shapes) {
  auto started = channelemu::Emulator::start({});
  BOOST_REQUIRE(started.ok());
  auto& emu = **started;
  auto set = graphql(emu, fixture("graphql-inventory-set-quantities-request.json"));
  std::ostringstream text;
  set->stringify(text);
  auto read = channels::readShopifyGraphql(text.str(), "inventorySetQuantities");
  BOOST_REQUIRE_MESSAGE(read.ok(), (read.ok() ? "" : read.error().message));
  BOOST_TEST(read->userErrors.empty());
  BOOST_TEST(read->hasCost);
  BOOST_TEST(emu.latestStock(domain::Channel::Shopify)["30322695"].quantity == 12);
  // The same key again: the first answer, applied once.
  graphql(emu, fixture("graphql-inventory-set-quantities-request.json"));
  BOOST_TEST(emu.shopifyStats().replays == 1);
  BOOST_TEST(emu.stockUpdates(domain::Channel::Shopify).size() == 1u);
  // An order it does not have: the fulfillment order line item does not exist.
  auto create = graphql(emu, fixture("graphql-fulfillment-create-request.json"));
  std::ostringstream created;
  create->stringify(created);
  auto refused = channels::readShopifyGraphql(created.str(), "fulfillmentCreate");
  BOOST_REQUIRE(refused.ok());
  BOOST_REQUIRE(refused->userErrors.size() == 1u);
  BOOST_TEST(refused->userErrors[0].message == "Fulfillment order does not exist.");
}

// The Shopify headers of each webhook the emulator sends to "wmsd" (a
// loopback server that answers 200 to everything).
class WebhookSink {
 public:
  WebhookSink()
      : server_(new Factory(*this), Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)),
                new Poco::Net::HTTPServerParams) {
    server_.start();
  }
  ~WebhookSink() { server_.stopAll(true); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  std::vector<std::map<std::string, std::string>> deliveries() {
    std::lock_guard lock(mutex_);
    return deliveries_;
  }

 private:
  class Handler final : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(WebhookSink& sink) : sink_(sink) {}
    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
      std::string body;
      Poco::StreamCopier::copyToString(in.stream(), body);
      std::map<std::string, std::string> headers;
      for (const char* h :
           {"X-Shopify-Event-Id", "X-Shopify-Webhook-Id", "X-Shopify-API-Version", "X-Shopify-Topic"})
        headers[h] = in.get(h, "");
      {
        std::lock_guard lock(sink_.mutex_);
        sink_.deliveries_.push_back(std::move(headers));
      }
      out.setContentType("application/json");
      out.send() << R"({"result":"created"})";
    }

   private:
    WebhookSink& sink_;
  };
  class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(WebhookSink& sink) : sink_(sink) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(sink_);
    }

   private:
    WebhookSink& sink_;
  };

  std::mutex mutex_;
  std::vector<std::map<std::string, std::string>> deliveries_;
  Poco::Net::HTTPServer server_;
};

BOOST_AUTO_TEST_CASE(
    the_emulator_keeps_the_event_id_on_a_redelivery_and_gives_each_delivery_its_own_webhook_id) {
  WebhookSink sink;
  auto started = channelemu::Emulator::start({});
  BOOST_REQUIRE(started.ok());
  auto& emu = **started;
  emu.setWmsdUrl(sink.url());
  channelemu::NewOrder order;
  order.channel = domain::Channel::Shopify;
  order.lines = {{"808950810", 1}};
  auto id = emu.createOrder(order);
  BOOST_REQUIRE(id.ok());
  BOOST_REQUIRE(emu.drain(10000));
  BOOST_REQUIRE(emu.redeliver(domain::Channel::Shopify, *id).ok());
  BOOST_REQUIRE(emu.drain(10000));
  BOOST_REQUIRE(emu.cancelOrder(domain::Channel::Shopify, *id).ok());
  BOOST_REQUIRE(emu.drain(10000));
  auto got = sink.deliveries();
  BOOST_REQUIRE(got.size() == 3u);
  BOOST_TEST(!got[0]["X-Shopify-Event-Id"].empty());
  BOOST_TEST(got[1]["X-Shopify-Event-Id"] == got[0]["X-Shopify-Event-Id"]);  // the same event again
  BOOST_TEST(got[1]["X-Shopify-Webhook-Id"] != got[0]["X-Shopify-Webhook-Id"]);
  BOOST_TEST(got[2]["X-Shopify-Event-Id"] != got[0]["X-Shopify-Event-Id"]);  // another event
  BOOST_TEST(got[2]["X-Shopify-Topic"] == "orders/cancelled");
  BOOST_TEST(got[0]["X-Shopify-API-Version"] == "2026-10");
  emu.stop();
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(shopify_hub)

BOOST_AUTO_TEST_CASE(stock_goes_through_inventorySetQuantities_with_the_item_and_location_gids) {
  Shop s;
  s.list(Shop::sku(0), "808950810", "30322695");
  s.list(Shop::sku(1), "808950811", "gid://shopify/InventoryItem/30322696");
  s.receive(Shop::sku(0), 10);
  s.receive(Shop::sku(1), 4);
  s.hub->start();
  BOOST_REQUIRE(eventually([&] { return s.inSync(Shop::sku(0)) && s.inSync(Shop::sku(1)); }));
  BOOST_TEST(s.shows("30322695") == 10);
  BOOST_TEST(s.shows("30322696") == 4);
  const auto stats = s.emu->shopifyStats();
  BOOST_TEST(stats.operations.at("inventorySetQuantities") >= 1);  // both may go in one batch
  BOOST_TEST(stats.restCalls == 0);  // nothing through the legacy REST Admin API
  // A listing the emulator would refuse as not a GID: refused here already, by name.
  auto bad = s.hub->putListing({domain::Channel::Shopify, Shop::sku(2), "808950812", "SKU-102", {}});
  BOOST_REQUIRE(bad.ok());
  s.receive(Shop::sku(2), 1);
  BOOST_REQUIRE(eventually([&] { return s.listing(Shop::sku(2))->attempts >= 1; }));
  BOOST_TEST(s.listing(Shop::sku(2))->lastError.find("listing_ref must be a Shopify InventoryItem id") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_user_error_leaves_the_listing_out_of_sync_with_shopifys_reason) {
  Shop s;
  s.emu->removeShopifyInventoryItem("30322697");
  s.list(Shop::sku(0), "808950810", "30322695");
  s.list(Shop::sku(1), "808950811", "30322697");
  s.receive(Shop::sku(0), 5);
  s.receive(Shop::sku(1), 5);
  s.hub->start();
  BOOST_REQUIRE(eventually([&] { return s.inSync(Shop::sku(0)) && s.listing(Shop::sku(1))->attempts >= 2; }));
  auto refused = s.listing(Shop::sku(1));
  BOOST_TEST(!s.inSync(Shop::sku(1)));
  BOOST_TEST(refused->lastError.find("INVALID_INVENTORY_ITEM") != std::string::npos, refused->lastError);
  BOOST_TEST(refused->lastError.find("could not be found") != std::string::npos, refused->lastError);
  BOOST_TEST(s.shows("30322697") == -1);
  auto outOfSync = s.hub->listings(domain::Channel::Shopify, true);
  BOOST_REQUIRE(outOfSync.ok());
  BOOST_REQUIRE(outOfSync->size() == 1u);
  BOOST_TEST(outOfSync->front().listing.sku == Shop::sku(1));
}

BOOST_AUTO_TEST_CASE(a_throttled_push_waits_for_the_bucket_to_refill_then_succeeds) {
  Shop s;
  s.emu->setShopifyCostBucket(1000, 5, 0);  // empty: 10 points take 2 s to come back
  s.list(Shop::sku(0), "808950810", "30322695");
  s.receive(Shop::sku(0), 7);
  const auto start = std::chrono::steady_clock::now();
  s.hub->start();
  BOOST_REQUIRE(eventually([&] { return s.inSync(Shop::sku(0)); }));
  const auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST(s.shows("30322695") == 7);
  const auto stats = s.emu->shopifyStats();
  BOOST_TEST(stats.throttled >= 1);
  BOOST_TEST(stats.throttled <= 2);  // it waited for the refill instead of hammering
  BOOST_TEST(took >= std::chrono::milliseconds(1000));
}

BOOST_AUTO_TEST_CASE(a_burst_of_pushes_is_batched_and_paced_by_the_cost_answer_without_being_throttled) {
  const int n = 12;
  Shop s(n);
  s.emu->setShopifyCostBucket(40, 40, 40);  // four pushes' worth, refilled in a second
  for (int i = 0; i < n; ++i) {
    s.list(Shop::sku(i), std::to_string(808950810 + i), std::to_string(30322700 + i));
    s.receive(Shop::sku(i), i + 1);
  }
  s.hub->start();
  BOOST_REQUIRE(eventually([&] {
    for (int i = 0; i < n; ++i) {
      if (!s.inSync(Shop::sku(i))) return false;
    }
    return true;
  }));
  for (int i = 0; i < n; ++i) BOOST_TEST(s.shows(std::to_string(30322700 + i)) == i + 1);
  const auto stats = s.emu->shopifyStats();
  // One inventorySetQuantities carries many quantities for the cost of one:
  // the burst takes fewer calls than SKUs.
  BOOST_TEST(stats.operations.at("inventorySetQuantities") < n);
  BOOST_TEST(stats.throttled == 0);
}

BOOST_AUTO_TEST_CASE(
    a_shipment_is_told_by_fulfillmentCreate_with_its_tracking_number_and_partial_shipments_add_up) {
  Shop s;
  channelemu::NewOrder order;
  order.channel = domain::Channel::Shopify;
  order.lines = {{"808950810", 3}, {"808950811", 1}};
  auto id = s.emu->createOrder(order, false);
  BOOST_REQUIRE(id.ok());
  auto lines = fulfillmentLines(*s.emu, *id);
  BOOST_REQUIRE(lines.size() == 2u);
  const auto queriedByTheTest = s.emu->shopifyStats().operations.at("fulfillmentOrders");
  s.hub->start();
  // First parcel: one of the three mugs and the tea.
  s.ship(shipped(*id, 1, {{lines[0].first, 1}, {lines[1].first, 1}}, "JT0000000001"));
  BOOST_REQUIRE(eventually([&] { return s.fulfilment(*id, 1) && s.fulfilment(*id, 1)->sent; }));
  // Second parcel: the other two mugs.
  s.ship(shipped(*id, 2, {{lines[0].first, 2}}, "JT0000000002"));
  BOOST_REQUIRE(eventually([&] { return s.fulfilment(*id, 2) && s.fulfilment(*id, 2)->sent; }));
  auto told = s.emu->fulfilments(domain::Channel::Shopify);
  BOOST_REQUIRE(told.size() == 2u);
  BOOST_TEST(told[0].trackingNumber == "JT0000000001");
  BOOST_TEST(told[0].carrier == "J&T Express");
  BOOST_TEST(told[0].call.find("fulfillmentCreate") != std::string::npos);
  BOOST_REQUIRE(told[0].lines.size() == 2u);
  BOOST_TEST(told[0].lines[0].qty == 1);
  BOOST_TEST(told[0].lines[1].qty == 1);
  BOOST_TEST(told[1].trackingNumber == "JT0000000002");
  BOOST_REQUIRE(told[1].lines.size() == 1u);
  BOOST_TEST(told[1].lines[0].qty == 2);
  const auto stats = s.emu->shopifyStats();
  BOOST_TEST(stats.operations.at("fulfillmentCreate") == 2);
  BOOST_TEST(stats.operations.at("fulfillmentOrders") - queriedByTheTest == 2);
  BOOST_TEST(stats.restCalls == 0);
  // An order Shopify does not have: refused with the reason, not sent.
  s.ship(shipped("9007199254740000", 3, {{"1", 1}}, "JT0000000003"));
  BOOST_REQUIRE(eventually([&] {
    return s.fulfilment("9007199254740000", 3) && s.fulfilment("9007199254740000", 3)->attempts >= 1;
  }));
  BOOST_TEST(!s.fulfilment("9007199254740000", 3)->sent);
  BOOST_TEST(s.fulfilment("9007199254740000", 3)->lastError.find("has no order 9007199254740000") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_fulfilment_shopify_took_before_its_answer_was_lost_counts_as_done_when_retried) {
  Shop s;
  channelemu::NewOrder order;
  order.channel = domain::Channel::Shopify;
  order.lines = {{"808950810", 2}};
  auto id = s.emu->createOrder(order, false);
  BOOST_REQUIRE(id.ok());
  auto lines = fulfillmentLines(*s.emu, *id);
  BOOST_REQUIRE(lines.size() == 1u);
  // Our first push reached Shopify, and its answer never came back.
  auto fos = graphql(
      *s.emu,
      R"({"query":"query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id } } } }",)"
      R"("variables":{"id":"gid://shopify/Order/)" +
          *id + R"("}})");
  const std::string fo = fos->getObject("data")
                             ->getObject("order")
                             ->getObject("fulfillmentOrders")
                             ->getArray("nodes")
                             ->getObject(0)
                             ->getValue<std::string>("id");
  auto first = graphql(
      *s.emu,
      R"({"query":"mutation($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id } userErrors { field message } } }",)"
      R"("variables":{"fulfillment":{"lineItemsByFulfillmentOrder":[{"fulfillmentOrderId":")" +
          fo + R"(","fulfillmentOrderLineItems":[{"id":")" + lines[0].second +
          R"(","quantity":2}]}],"trackingInfo":{"number":"JT0000000009","company":"J&T Express"}}}})");
  BOOST_REQUIRE(first->getObject("data")->getObject("fulfillmentCreate")->getArray("userErrors")->size() ==
                0u);
  // The retry finds the lines fulfilled: done, and Shopify is not asked again.
  s.hub->start();
  s.ship(shipped(*id, 1, {{lines[0].first, 2}}, "JT0000000009"));
  BOOST_REQUIRE(eventually([&] { return s.fulfilment(*id, 1) && s.fulfilment(*id, 1)->sent; }));
  BOOST_TEST(s.emu->fulfilments(domain::Channel::Shopify).size() == 1u);
  BOOST_TEST(s.emu->shopifyStats().operations.at("fulfillmentCreate") == 1);
  BOOST_TEST(s.fulfilment(*id, 1)->lastError.empty());
}

BOOST_AUTO_TEST_CASE(a_redelivery_with_a_new_webhook_id_but_the_same_event_id_is_applied_once) {
  Shop s;
  s.list(Shop::sku(0), "808950810", "30322695");
  s.receive(Shop::sku(0), 5);
  const std::string created =
      R"({"id":820982911946154508,"created_at":"2026-11-11T00:00:00Z","updated_at":"2026-11-11T00:00:00Z",)"
      R"("cancelled_at":null,"line_items":[{"id":1,"variant_id":808950810,"quantity":2}],)"
      R"("shipping_address":{"name":"Ann Tan","address1":"1 Orchard Rd","city":"Singapore","zip":"238823","country_code":"SG"}})";
  BOOST_TEST(result(s.webhook(created, "98880550-7158-44d4-b7cd-000000000001", "b54557e4-0001")) ==
             "created");
  // Shopify retries the same event: a new webhook id, the same event id.
  BOOST_TEST(result(s.webhook(created, "98880550-7158-44d4-b7cd-000000000001", "b54557e4-0002")) ==
             "duplicate");
  // Another event about the order (its cancel) is applied.
  std::string cancelled = created;
  cancelled.replace(cancelled.find(R"("updated_at":"2026-11-11T00:00:00Z")"), 35,
                    R"("updated_at":"2026-11-11T00:05:00Z")");
  cancelled.replace(cancelled.find(R"("cancelled_at":null)"), 19, R"("cancelled_at":"2026-11-11T00:05:00Z")");
  BOOST_TEST(result(s.webhook(cancelled, "98880550-7158-44d4-b7cd-000000000002", "b54557e4-0002")) ==
             "cancelled");
  // A delivery without an event id falls back to its webhook id.
  BOOST_TEST(result(s.webhook(cancelled, "", "b54557e4-0003")) == "stale");
  BOOST_TEST(result(s.webhook(cancelled, "", "b54557e4-0003")) == "duplicate");
  BOOST_TEST(s.stock->skuStock(Shop::sku(0))->totals.allocated == 0);
  std::int64_t events = 0;
  BOOST_REQUIRE(s.db->read([&](store::Tx& tx) -> Status {
                      events = store::queryInteger(
                                   tx, "SELECT COUNT(*) FROM channel_events WHERE channel = 'shopify'")
                                   .value_or(0);
                      return {};
                    })
                    .ok());
  BOOST_TEST(events == 3);
}

BOOST_AUTO_TEST_SUITE_END()
