// wms-channel-emu: the five marketplaces on one loopback port, for tests,
// the demo and the channels bench. Each channel's endpoints live under its
// own path prefix (/shopify, /lazada, /shopee, /tiktok, /amazon), so wmsd's
// channels.<name>.api_base points at http://127.0.0.1:<port>/<name>.
//
// What it does, per channel, in the channel's documented shapes:
//   - keeps orders and sends them to wmsd as signed webhooks / pushes
//     (Shopify: the whole order; Lazada, Shopee, TikTok: a push, then serves
//     the order-detail endpoints wmsd fetches); Amazon orders wait to be polled
//     (getOrders with LastUpdatedAfter/NextToken, getOrderItems);
//   - accepts stock updates (Shopify GraphQL inventorySetQuantities, Lazada
//     UpdatePriceQuantity, Shopee update_stock, TikTok inventory update, Amazon
//     listings patch), checking the request signatures it can, and records them;
//   - accepts shipment notices (Shopify GraphQL fulfillmentOrders +
//     fulfillmentCreate, Lazada pack + ready-to-ship, Shopee ship_order, TikTok
//     mark package shipped, Amazon confirmShipment), validating ids and
//     quantities against the order, and records them;
//   - Shopify: answers GraphQL Admin calls with extensions.cost from a leaky
//     bucket of query-cost points (THROTTLED when it is empty), userErrors
//     for unknown items and locations, and @idempotent keys; it recognises
//     the three operations wmsd uses by name and reads their variables (it
//     is not a GraphQL engine); its legacy REST endpoints still answer;
//   - enforces per-channel rate limits with 429 + Retry-After, and fails on
//     demand (down: 503 on everything; error: 500; throttle: 429) for a time;
//   - runs scenarios: N orders at R per second across channels with given
//     fractions of duplicate deliveries, late cancels and out-of-order updates;
//   - retries a webhook wmsd did not take (no answer, 5xx, 429) as the
//     marketplaces do, for Options::deliveryRetrySeconds, so that orders
//     sent while wmsd is away reach it once it is back.
// The control API is under /_emu (docs/channels.md lists it).
//
// Threading: all methods are thread-safe. Webhooks are sent by a pool of
// sender threads; the HTTP server has its own threads. stop() (or the
// destructor) stops both.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"

namespace wms::channelemu {

struct Secrets {
  std::string shopifySecret = "shopify-secret";
  std::string lazadaAppKey = "100001";
  std::string lazadaSecret = "lazada-secret";
  std::string shopeePartnerId = "2001";
  std::string shopeePartnerKey = "shopee-key";
  std::string shopeeCallbackUrl = "https://wms.example/api/v1/channels/shopee/webhooks";
  std::string tiktokAppKey = "tt-app";
  std::string tiktokSecret = "tiktok-secret";
};

struct RateLimit {
  double perSecond = 200;  // stock updates and order-detail calls per channel
  double burst = 400;
};

struct Options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  std::string wmsdUrl;     // where webhooks go, e.g. http://127.0.0.1:8080 (may be set later)
  Secrets secrets;
  std::map<domain::Channel, RateLimit> rateLimits;  // default RateLimit for channels not listed
  int senderThreads = 4;
  // How long a webhook delivery that failed (no answer, 5xx, 429) is tried
  // again, 200 ms doubling to 5 s apart; 0: once. Also `POST /_emu/config
  // {"delivery_retry_seconds": N}` and wms-channel-emu --delivery-retry N.
  double deliveryRetrySeconds = 900;
};

struct Line {
  std::string channelSku;  // Shopee "item:model", TikTok "product:sku" or a seller SKU
  std::int64_t qty = 1;
};

struct NewOrder {
  domain::Channel channel = domain::Channel::Shopify;
  std::string id;  // "" = generated (Shopify ids above 2^53)
  std::vector<Line> lines;
  bool pickup = false;   // Shopify store pickup
  bool badAddress = false;  // no postal code / city (held by wmsd)
  std::string country;      // ISO code of the address, "" = SG (VN, HK: no postal code, as sent there)
};

// One stock update a channel received.
struct StockUpdate {
  domain::Channel channel = domain::Channel::Shopify;
  std::string key;  // Shopify inventory item id (the GID's number), Lazada SellerSku, Shopee item:model,
                    // TikTok product:sku, Amazon SKU
  std::int64_t quantity = 0;
  std::int64_t atMs = 0;  // system clock, ms
};

// One shipment notice a channel accepted.
struct FulfilmentLine {
  std::string lineId;      // the channel's line id (Lazada/TikTok: the first unit's id)
  std::string channelSku;
  std::int64_t qty = 0;
};

struct Fulfilment {
  domain::Channel channel = domain::Channel::Shopify;
  std::string orderId;
  std::string call;            // the endpoint, e.g. "POST /order/rts"
  std::string trackingNumber;
  std::string carrier;         // as the channel got it (company, provider, carrierCode)
  std::vector<FulfilmentLine> lines;
  std::int64_t atMs = 0;
};

// Down: 503 on everything; Error: 500; Throttle: 429 with Retry-After;
// PlatformError: HTTP 200 with the platform's own transient error in the
// body (Lazada type ISP, Shopee error_server, TikTok Shop internal error);
// Garbage: HTTP 200 with a body that is not JSON.
enum class FaultMode { None, Down, Error, Throttle, PlatformError, Garbage };

// Shopify's GraphQL Admin API as emulated: calls per operation
// (inventorySetQuantities, fulfillmentOrders, fulfillmentCreate), answers
// THROTTLED, replays of an idempotency key, and calls to the legacy REST
// endpoints.
struct ShopifyStats {
  std::map<std::string, std::int64_t> operations;
  std::int64_t throttled = 0;
  std::int64_t replays = 0;
  std::int64_t restCalls = 0;
};

struct Scenario {
  std::int64_t orders = 100;
  double perSecond = 50;
  std::map<domain::Channel, std::vector<std::string>> skus;  // channel SKUs to order, per channel (channels without are skipped)
  double duplicates = 0;   // fraction of deliveries sent twice
  double lateCancels = 0;  // fraction of orders cancelled after they were delivered
  std::int64_t cancelAfter = 20;  // ...this many orders later (at per_second, how long after)
  double outOfOrder = 0;   // fraction of orders whose newer update is delivered before the create
  std::int64_t maxQty = 2;
  std::uint64_t seed = 1;
};

struct ScenarioProgress {
  bool running = false;  // creating orders, or deliveries not answered yet (pending > 0)
  std::int64_t pending = 0;  // deliveries queued, being sent or waiting to be retried
  std::int64_t created = 0;
  std::int64_t deliveries = 0;  // webhooks sent (including duplicates)
  std::map<int, std::int64_t> statuses;  // wmsd's answers by HTTP status (0: no answer)
  std::int64_t cancels = 0;
};

class Emulator {
 public:
  // Starts serving. Unavailable if the port cannot be bound.
  static Result<std::unique_ptr<Emulator>> start(Options options);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  std::uint16_t port() const;
  std::string baseUrl(domain::Channel channel) const;  // http://127.0.0.1:<port>/<channel>
  void setWmsdUrl(const std::string& url);

  // Creates an order and delivers it (Amazon: stores it for polling).
  // Returns its id. Invalid for a channel that is not a marketplace or no lines.
  Result<std::string> createOrder(const NewOrder& order, bool deliver = true);
  // Cancels it on the channel (newer timestamp) and delivers that.
  Status cancelOrder(domain::Channel channel, const std::string& id, bool deliver = true);
  // Sends the order's last delivery again, same event id (a duplicate).
  Status redeliver(domain::Channel channel, const std::string& id);
  // Delivers the order's creation (the first state) again, after newer states.
  Status deliverStale(domain::Channel channel, const std::string& id);
  // Waits until every queued delivery got its last answer, retries
  // included (or timeoutMs passed); false on timeout.
  bool drain(std::int64_t timeoutMs);

  void setFault(domain::Channel channel, FaultMode mode, std::int64_t forMs);
  std::vector<StockUpdate> stockUpdates(domain::Channel channel) const;
  // The latest quantity per key.
  std::map<std::string, StockUpdate> latestStock(domain::Channel channel) const;
  void clearStockUpdates();
  // Shipment notices accepted, in order (every accepted call, so a repeat
  // shows even where the channel treats it as an edit).
  std::vector<Fulfilment> fulfilments(domain::Channel channel) const;

  // Shopify: the cost bucket (default 1000 points, 50 restored per second,
  // full; `available` < 0 leaves the level as it is), and items or
  // locations the shop no longer has (userErrors INVALID_INVENTORY_ITEM /
  // INVALID_LOCATION). Ids are the decimal tails of the GIDs.
  void setShopifyCostBucket(double maximum, double restorePerSecond, double available = -1);
  void removeShopifyInventoryItem(const std::string& id);
  void removeShopifyLocation(const std::string& id);
  ShopifyStats shopifyStats() const;

  // Starts a scenario in the background (one at a time; Conflict if running).
  Status startScenario(const Scenario& scenario);
  ScenarioProgress scenarioProgress() const;

  // wmsd's answers to deliveries so far, by HTTP status.
  std::map<int, std::int64_t> deliveryStatuses() const;

  // How wmsd acknowledged deliveries, per channel since the start (or the
  // last clearAcks): time to its answer, and answers that broke the
  // channel's documented rule (Lazada: HTTP 200 within 500 ms; Shopee: a
  // 2xx with an empty body).
  struct AckStats {
    std::int64_t count = 0;
    double p50Ms = 0, p99Ms = 0, maxMs = 0;
    std::int64_t violations = 0;
    std::string lastViolation;
  };
  std::map<domain::Channel, AckStats> acks() const;
  void clearAcks();
  // The channel refuses stock updates of `key` (as in StockUpdate::key) in
  // its own way (Lazada/TikTok: an error code; Shopee: failure_list with an
  // empty error; Amazon: status INVALID with issues; all with HTTP 200),
  // giving `reason`; "" stops refusing.
  void refuseStock(domain::Channel channel, const std::string& key, const std::string& reason);

  void stop();

  struct Impl;  // internal (its HTTP handlers need it)

 private:
  explicit Emulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The key under which a wmsd listing's pushes are recorded (see StockUpdate::key).
std::string pushKey(domain::Channel channel, const std::string& channelSku, const std::string& listingRef);

}  // namespace wms::channelemu
