// Internal: one marketplace's API as the hub uses it: fetch an order (push
// channels), page through orders and items (Amazon), and set a listing's
// available quantity in the channel's own call shape.
//
// Errors: Unavailable for what is worth retrying later (network, 5xx, 429,
// Shopify's THROTTLED; retryAfterMs set when the channel said how long),
// Invalid/Conflict for an answer that will not change by retrying (a refusal
// of this SKU, a Shopify userError, an order that cannot be read).
//
// Threading: not thread-safe (it owns an HttpClient); one per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <string_view>

#include "Http.h"
#include "PayloadJson.h"
#include "wms/channels/ChannelConfig.h"
#include "wms/channels/ChannelHub.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {

// The Shopify GraphQL Admin API version every Shopify call names (the
// latest stable release: docs/channels.md says why and what changed in it).
inline constexpr std::string_view kShopifyApiVersion = "2026-10";

class ChannelApi {
 public:
  ChannelApi(domain::Channel channel, const ChannelSettings& settings, int timeoutMs,
             std::function<std::int64_t()> clock);

  domain::Channel channel() const { return channel_; }

  // Lazada GetOrder + GetOrderItems, Shopee get_order_detail, TikTok Get Order Detail.
  Result<ChannelOrder> fetchOrder(const std::string& orderId);
  // Amazon getOrders (LastUpdatedAfter or NextToken) and getOrderItems.
  Result<AmazonOrderPage> amazonOrders(std::int64_t lastUpdatedAfterMs, const std::string& nextToken);
  Result<AmazonItemsPage> amazonOrderItems(const std::string& orderId, const std::string& nextToken);

  // Sets the listing's available quantity on the channel.
  Status pushStock(const Listing& listing, std::int64_t quantity);
  // How many listings one stock call may carry: 1, or Shopify's batch
  // (inventorySetQuantities takes many quantities for the cost of one).
  std::size_t stockBatchLimit() const;
  // Sets several listings' quantities in as few calls as the channel
  // allows; one Status per item, in order. Shopify applies a call all or
  // nothing: the quantities its userErrors name are refused (Invalid, its
  // words) and the rest are sent again at once without them (until an
  // answer refuses none, so a listing is never refused for another's fault); an error for
  // the whole call (THROTTLED, the network) is every item's.
  std::vector<Status> pushStocks(const std::vector<std::pair<Listing, std::int64_t>>& items);
  // Tells the channel the order shipped, in its own fulfilment call shape
  // (FulfilApi.cpp; docs/channels.md). Success also when the channel shows
  // the lines as shipped already (a retry after an answer that was lost).
  Status pushFulfilment(const ShippedNotice& notice);

  // The Retry-After of the last Unavailable answer, -1 if none (for
  // Shopify's THROTTLED: the time its cost bucket needs to refill).
  std::int64_t retryAfterMs() const { return retryAfterMs_; }
  // How long to wait before the next call so that it fits the channel's
  // cost budget, from the last answer (Shopify's extensions.cost: enough
  // points for the costliest call seen); 0 for channels without one.
  std::int64_t paceMs() const;

 private:
  Result<std::string> call(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           const std::string& contentType = "application/json");
  std::string lazadaQuery(const std::string& apiPath, std::vector<std::pair<std::string, std::string>> params);
  std::string shopeeQuery(const std::string& apiPath, const std::string& extra);
  std::string tiktokQuery(const std::string& apiPath, std::vector<std::pair<std::string, std::string>> params,
                          const std::string& body);

  // One Shopify GraphQL Admin call (`request` is the {"query","variables"}
  // JSON): the transport's and HTTP's errors as call() maps them, THROTTLED
  // as Unavailable with the refill time, other top-level errors as Invalid.
  // The answer's userErrors are left to the caller (`mutation` names the
  // payload field, "" for a query). Notes extensions.cost for paceMs().
  struct ShopifyAnswer {
    std::string body;
    ShopifyGraphqlReply reply;
  };
  Result<ShopifyAnswer> shopifyGraphql(const std::string& what, const std::string& request,
                                       std::string_view mutation);
  std::string newIdempotencyKey();

  domain::Channel channel_;
  ChannelSettings settings_;
  std::function<std::int64_t()> clock_;
  HttpClient http_;
  std::int64_t retryAfterMs_ = -1;
  // Amazon's restricted-data token for getOrders and when it expires.
  std::string rdt_;
  std::int64_t rdtExpiresAtMs_ = 0;
  // The token getOrders is called with: the LWA access token, or a
  // restricted-data token when the settings ask for one (fetched, then
  // reused until a minute before it expires).
  Result<std::string> amazonOrdersToken();
  // Shopify: the cost bucket as the last answer left it, when, and the
  // costliest call seen (what paceMs() keeps room for).
  bool shopifyCostKnown_ = false;
  ShopifyQueryCost shopifyCost_;
  std::int64_t shopifyCostAtMs_ = 0;
  double shopifyLargestCost_ = 0;
  // Shopify idempotency keys of stock sets whose answer is not known yet, by
  // item@location: a retry of the same quantity reuses its key, anything
  // else gets a new one (Shopify's rule for @idempotent).
  std::map<std::string, std::pair<std::int64_t, std::string>> shopifyKeys_;
  // The same for a batch: what it set (item@location=quantity, ...) and its key.
  std::pair<std::string, std::string> shopifyBatchKey_;
  std::mt19937_64 keyRng_{std::random_device{}()};
};

// A JSON string literal of s (quoted, escaped).
std::string jsonString(const std::string& s);
bool allDigits(const std::string& s);
// A JSON number for an id made of digits, a JSON string otherwise.
std::string jsonId(const std::string& s);

// The platforms' answers to a call that changes something, read for what
// they say besides the HTTP status (each may answer 200 and still refuse).
// Errors are Unavailable (transient) or Invalid by the platform's own error
// classes (lazadaErrorKind and friends in Payloads.h).
Status lazadaAnswer(std::string_view body, const std::string& what);          // "code" != "0"
Result<json::ObjectReader> shopeeAnswer(std::string_view body, const std::string& what);  // "error" not empty
Status tiktokAnswer(std::string_view body, const std::string& what);          // "code" != 0

// ISO 8601 UTC ("2026-11-26T16:22:59Z") of ms since the epoch.
std::string isoUtc(std::int64_t ms);
// TikTok Shop request signing: hex(HMAC-SHA256(secret, secret + path +
// sorted name+value pairs + body + secret)).
std::string tiktokRequestSignature(const std::string& secret, const std::string& path,
                                   std::vector<std::pair<std::string, std::string>> params, const std::string& body);
// A Shopify answer's userErrors in one line: "CODE (field) message; ...".
std::string shopifyUserErrors(const std::vector<ShopifyUserError>& errors);

}  // namespace wms::channels
