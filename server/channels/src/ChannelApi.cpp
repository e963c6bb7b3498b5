#include "ChannelApi.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "PayloadJson.h"
#include "wms/channels/Signatures.h"

namespace wms::channels {
namespace {

std::string xmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

// Shopify GraphQL Admin, inventorySetQuantities (2026-04 and later: an
// @idempotent key is required, and changeFromQuantity must be given, null
// opting out of the compare-and-swap; docs/channels.md says why we opt out).
std::string shopifySetQuantities(const std::string& key) {
  return "mutation SetAvailable($input: InventorySetQuantitiesInput!) { "
         "inventorySetQuantities(input: $input) @idempotent(key: \"" +
         key + "\") { inventoryAdjustmentGroup { id } userErrors { code field message } } }";
}

std::pair<std::string, std::string> splitRef(const std::string& ref) {
  auto colon = ref.find(':');
  if (colon == std::string::npos) return {ref, ""};
  return {ref.substr(0, colon), ref.substr(colon + 1)};
}

}  // namespace

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      static const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool allDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A JSON number for an id made of digits, a JSON string otherwise.
std::string jsonId(const std::string& s) { return allDigits(s) ? s : jsonString(s); }

Status lazadaAnswer(std::string_view body, const std::string& what) {
  auto p = readPayload(body, "Lazada " + what + " response");
  if (!p) return p.error();
  const std::string code = p->has("code") ? p->id("code") : "0";
  if (!p->ok()) return p->status();
  if (code == "0") return {};
  const std::string type = p->text("type", json::Need::Optional, 32);
  const std::string message = p->text("message", json::Need::Optional, 300);
  return Error{lazadaErrorKind(type, code, message), "Lazada " + what + ": error " + code +
                                                         (type.empty() ? "" : " (" + type + ")") +
                                                         (message.empty() ? "" : ": " + message)};
}

Result<json::ObjectReader> shopeeAnswer(std::string_view body, const std::string& what) {
  auto p = readPayload(body, "Shopee " + what + " response");
  if (!p) return p.error();
  if (auto err = p->text("error", json::Need::Optional, 200); !err.empty()) {
    const std::string message = p->text("message", json::Need::Optional, 300);
    return Error{shopeeErrorKind(err, message), "Shopee " + what + ": " + err + (message.empty() ? "" : ": " + message)};
  }
  if (auto st = p->status(); !st) return st.error();
  return p;
}

Status tiktokAnswer(std::string_view body, const std::string& what) {
  auto p = readPayload(body, "TikTok Shop " + what + " response");
  if (!p) return p.error();
  const std::int64_t code = p->integer("code", json::Need::Required);
  if (!p->ok()) return p->status();
  if (code == 0) return {};
  const std::string message = p->text("message", json::Need::Optional, 300);
  return Error{tiktokErrorKind(code, message),
               "TikTok Shop " + what + ": error " + std::to_string(code) + (message.empty() ? "" : ": " + message)};
}

std::string isoUtc(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string tiktokRequestSignature(const std::string& secret, const std::string& path,
                                   std::vector<std::pair<std::string, std::string>> params, const std::string& body) {
  std::sort(params.begin(), params.end());
  std::string text = secret + path;
  for (const auto& [k, v] : params) text += k + v;
  text += body + secret;
  return toHexLower(hmacSha256(secret, text));
}

ChannelApi::ChannelApi(domain::Channel channel, const ChannelSettings& settings, int timeoutMs,
                       std::function<std::int64_t()> clock)
    : channel_(channel), settings_(settings), clock_(std::move(clock)), http_(settings.apiBase, timeoutMs) {}

Result<std::string> ChannelApi::call(const std::string& method, const std::string& pathAndQuery,
                                     const std::string& body,
                                     const std::vector<std::pair<std::string, std::string>>& headers,
                                     const std::string& contentType) {
  retryAfterMs_ = -1;
  auto reply = http_.send(method, pathAndQuery, body, headers, contentType);
  if (!reply) return reply.error();
  const std::string where = std::string(domain::toString(channel_)) + " " + method + " " +
                            pathAndQuery.substr(0, pathAndQuery.find('?'));
  if (reply->status == 429) {
    retryAfterMs_ = reply->retryAfterMs;
    return Error{ErrorKind::Unavailable, where + ": 429 too many requests"};
  }
  if (reply->status >= 500)
    return Error{ErrorKind::Unavailable, where + ": " + std::to_string(reply->status) + " " + reply->body.substr(0, 200)};
  if (reply->status >= 400)
    return Error{ErrorKind::Invalid, where + ": " + std::to_string(reply->status) + " " + reply->body.substr(0, 200)};
  return std::move(reply->body);
}

std::string ChannelApi::lazadaQuery(const std::string& apiPath, std::vector<std::pair<std::string, std::string>> params) {
  params.emplace_back("app_key", settings_.appKey);
  params.emplace_back("timestamp", std::to_string(clock_()));
  params.emplace_back("sign_method", "sha256");
  if (!settings_.accessToken.empty()) params.emplace_back("access_token", settings_.accessToken);
  const std::string sign = lazadaRequestSignature(settings_.secret, apiPath, params);
  std::string q = apiPath + "?";
  for (const auto& [k, v] : params) q += k + "=" + urlEncode(v) + "&";
  return q + "sign=" + sign;
}

std::string ChannelApi::shopeeQuery(const std::string& apiPath, const std::string& extra) {
  const std::string ts = std::to_string(clock_() / 1000);
  const std::string sign =
      shopeeRequestSignature(settings_.secret, settings_.appKey, apiPath, ts, settings_.accessToken, settings_.shopId);
  return apiPath + "?partner_id=" + urlEncode(settings_.appKey) + "&timestamp=" + ts + "&access_token=" +
         urlEncode(settings_.accessToken) + "&shop_id=" + urlEncode(settings_.shopId) + "&sign=" + sign + extra;
}

std::string ChannelApi::tiktokQuery(const std::string& apiPath, std::vector<std::pair<std::string, std::string>> params,
                                    const std::string& body) {
  params.emplace_back("app_key", settings_.appKey);
  params.emplace_back("timestamp", std::to_string(clock_() / 1000));
  if (!settings_.shopId.empty()) params.emplace_back("shop_cipher", settings_.shopId);
  const std::string sign = tiktokRequestSignature(settings_.secret, apiPath, params, body);
  std::string q = apiPath + "?";
  for (const auto& [k, v] : params) q += k + "=" + urlEncode(v) + "&";
  return q + "sign=" + sign;
}

std::string shopifyUserErrors(const std::vector<ShopifyUserError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    out += out.empty() ? "" : "; ";
    if (!e.code.empty()) out += e.code + " ";
    if (!e.field.empty()) out += "(" + e.field + ") ";
    out += e.message;
  }
  return out;
}

Result<ChannelApi::ShopifyAnswer> ChannelApi::shopifyGraphql(const std::string& what,
                                                             const std::string& request,
                                                             std::string_view mutation) {
  // The bucket's figures are as of some moment during the call: counting
  // its refill from before the call never overestimates it.
  const std::int64_t sentAtMs = clock_();
  auto body = call("POST", "/admin/api/" + std::string(kShopifyApiVersion) + "/graphql.json", request,
                   {{"X-Shopify-Access-Token", settings_.accessToken}});
  if (!body) return body.error();
  auto reply = readShopifyGraphql(*body, mutation);
  if (!reply) return Error{reply.error().kind, "Shopify " + what + ": " + reply.error().message};
  if (reply->hasCost) {
    shopifyCostKnown_ = true;
    shopifyCost_ = reply->cost;
    shopifyCostAtMs_ = sentAtMs;
    shopifyLargestCost_ = std::max(shopifyLargestCost_, reply->cost.requested);
  }
  if (reply->throttled) {
    // Nothing ran: wait until the bucket holds what this call asks for. A
    // bucket that already holds it gives no such time: the usual backoff.
    if (reply->hasCost) {
      const auto& c = reply->cost;
      const double missing = std::min(c.requested, c.maximumAvailable) - c.currentlyAvailable;
      if (missing > 0) retryAfterMs_ = static_cast<std::int64_t>(std::ceil(missing * 1000.0 / c.restoreRate));
    }
    char cost[96];
    std::snprintf(cost, sizeof cost, " (cost %.0f, %.0f of %.0f available)", reply->cost.requested,
                  reply->cost.currentlyAvailable, reply->cost.maximumAvailable);
    return Error{ErrorKind::Unavailable, "Shopify " + what + ": THROTTLED" + (reply->hasCost ? cost : "")};
  }
  // Shopify's own failure is worth a retry; any other top-level error (access
  // denied, a shop that is closed, a query over the cost limit) is not.
  if (reply->error.rfind("INTERNAL_SERVER_ERROR", 0) == 0)
    return Error{ErrorKind::Unavailable, "Shopify " + what + ": " + reply->error};
  if (!reply->error.empty()) return Error{ErrorKind::Invalid, "Shopify " + what + ": " + reply->error};
  return ShopifyAnswer{std::move(*body), std::move(*reply)};
}

std::int64_t ChannelApi::paceMs() const {
  if (!shopifyCostKnown_) return 0;
  const auto& c = shopifyCost_;
  const double need = std::min(shopifyLargestCost_, c.maximumAvailable);
  const double elapsedS =
      static_cast<double>(std::max<std::int64_t>(0, clock_() - shopifyCostAtMs_)) / 1000.0;
  const double have = std::min(c.maximumAvailable, c.currentlyAvailable + elapsedS * c.restoreRate);
  if (have >= need) return 0;
  return static_cast<std::int64_t>(std::ceil((need - have) * 1000.0 / c.restoreRate));
}

std::string ChannelApi::newIdempotencyKey() {
  // A random (version 4) UUID, as Shopify recommends for idempotency keys.
  const std::uint64_t hi = (keyRng_() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  const std::uint64_t lo = (keyRng_() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(
      buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
      static_cast<unsigned long long>((hi >> 16) & 0xffff), static_cast<unsigned long long>(hi & 0xffff),
      static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

Result<ChannelOrder> ChannelApi::fetchOrder(const std::string& orderId) {
  switch (channel_) {
    case domain::Channel::Lazada: {
      auto order = call("GET", lazadaQuery("/order/get", {{"order_id", orderId}}), {}, {});
      if (!order) return order.error();
      auto items = call("GET", lazadaQuery("/order/items/get", {{"order_id", orderId}}), {}, {});
      if (!items) return items.error();
      return parseLazadaOrder(*order, *items);
    }
    case domain::Channel::Shopee: {
      auto body = call("GET",
                       shopeeQuery("/api/v2/order/get_order_detail",
                                   "&order_sn_list=" + urlEncode(orderId) +
                                       "&response_optional_fields=item_list,recipient_address"),
                       {}, {});
      if (!body) return body.error();
      return parseShopeeOrderDetail(*body, orderId);
    }
    case domain::Channel::TikTok: {
      auto body = call("GET", tiktokQuery("/order/202309/orders", {{"ids", orderId}}, ""), {},
                       {{"x-tts-access-token", settings_.accessToken}});
      if (!body) return body.error();
      return parseTikTokOrderDetail(*body, orderId);
    }
    default:
      return Error{ErrorKind::Internal, std::string("no order fetch for ") + domain::toString(channel_)};
  }
}

Result<std::string> ChannelApi::amazonOrdersToken() {
  if (!settings_.restrictedDataToken) return settings_.accessToken;
  if (!rdt_.empty() && clock_() < rdtExpiresAtMs_ - 60000) return rdt_;
  // Tokens API createRestrictedDataToken for getOrders with the buyer's
  // shipping address (and buyer info) data elements.
  const std::string body =
      R"({"restrictedResources":[{"method":"GET","path":"/orders/v0/orders","dataElements":["buyerInfo","shippingAddress"]}]})";
  auto reply = call("POST", "/tokens/2021-03-01/restrictedDataToken", body,
                    {{"x-amz-access-token", settings_.accessToken}});
  if (!reply) return reply.error();
  auto p = readPayload(*reply, "Amazon createRestrictedDataToken response");
  if (!p) return p.error();
  std::string token = p->text("restrictedDataToken", json::Need::Required, 4096);
  const std::int64_t expiresIn = p->integer("expiresIn", json::Need::Required, {.lo = 1, .hi = 86400});
  if (auto st = p->status(); !st) return st.error();
  rdt_ = std::move(token);
  rdtExpiresAtMs_ = clock_() + expiresIn * 1000;
  return rdt_;
}

Result<AmazonOrderPage> ChannelApi::amazonOrders(std::int64_t lastUpdatedAfterMs, const std::string& nextToken) {
  std::string q = "/orders/v0/orders?MarketplaceIds=" + urlEncode(settings_.marketplaceId);
  if (!nextToken.empty()) q += "&NextToken=" + urlEncode(nextToken);
  else q += "&LastUpdatedAfter=" + urlEncode(isoUtc(lastUpdatedAfterMs));
  auto token = amazonOrdersToken();
  if (!token) return token.error();
  auto body = call("GET", q, {}, {{"x-amz-access-token", *token}});
  if (!body) return body.error();
  return parseAmazonOrders(*body);
}

Result<AmazonItemsPage> ChannelApi::amazonOrderItems(const std::string& orderId, const std::string& nextToken) {
  std::string q = "/orders/v0/orders/" + urlEncode(orderId) + "/orderItems";
  if (!nextToken.empty()) q += "?NextToken=" + urlEncode(nextToken);
  auto body = call("GET", q, {}, {{"x-amz-access-token", settings_.accessToken}});
  if (!body) return body.error();
  return parseAmazonOrderItems(*body);
}

std::size_t ChannelApi::stockBatchLimit() const {
  // Shopify takes up to 250 quantities per inventorySetQuantities; 100 keeps
  // a request small and one refusal's retry cheap.
  return channel_ == domain::Channel::Shopify ? 100 : 1;
}

std::vector<Status> ChannelApi::pushStocks(const std::vector<std::pair<Listing, std::int64_t>>& items) {
  std::vector<Status> out(items.size());
  if (channel_ != domain::Channel::Shopify) {
    for (std::size_t i = 0; i < items.size(); ++i) out[i] = pushStock(items[i].first, items[i].second);
    return out;
  }
  // Resolve every listing's ids first: a listing whose ids are not Shopify's
  // is refused alone.
  auto location = shopifyGid("Location", settings_.locationId, "channels.shopify.location_id");
  std::vector<std::size_t> open;  // items still to send
  std::vector<std::string> itemIds(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!location) {
      out[i] = location.error();
      continue;
    }
    const auto& l = items[i].first;
    auto item = shopifyGid("InventoryItem", l.listingRef.empty() ? l.channelSku : l.listingRef, "listing_ref");
    if (!item) {
      out[i] = item.error();
      continue;
    }
    itemIds[i] = *item;
    open.push_back(i);
  }
  // The batch, then again without what each answer refused: every round
  // either ends the call or drops at least one refused listing, so it ends.
  while (!open.empty()) {
    std::string signature, quantities;
    for (std::size_t i : open) {
      signature += itemIds[i] + "@" + *location + "=" + std::to_string(items[i].second) + ",";
      quantities += std::string(quantities.empty() ? "" : ",") + "{\"inventoryItemId\":" + jsonString(itemIds[i]) +
                    ",\"locationId\":" + jsonString(*location) + ",\"quantity\":" +
                    std::to_string(items[i].second) + ",\"changeFromQuantity\":null}";
    }
    // A retry of the same quantities (an answer lost) keeps its key.
    if (shopifyBatchKey_.first != signature) shopifyBatchKey_ = {signature, newIdempotencyKey()};
    const std::string request = "{\"query\":" + jsonString(shopifySetQuantities(shopifyBatchKey_.second)) +
                                ",\"variables\":{\"input\":{\"name\":\"available\",\"reason\":\"correction\","
                                "\"referenceDocumentUri\":\"gid://wms/AvailableToPromise/batch\",\"quantities\":[" +
                                quantities + "]}}}";
    auto answer = shopifyGraphql("inventorySetQuantities", request, "inventorySetQuantities");
    if (!answer) {
      if (answer.error().kind != ErrorKind::Unavailable) shopifyBatchKey_ = {};
      for (std::size_t i : open) out[i] = answer.error();
      return out;
    }
    const auto& errors = answer->reply.userErrors;
    const bool inProgress = std::any_of(errors.begin(), errors.end(), [](const ShopifyUserError& e) {
      return e.code == "IDEMPOTENCY_CONCURRENT_REQUEST";
    });
    if (inProgress) {
      for (std::size_t i : open)
        out[i] = Error{ErrorKind::Unavailable, "Shopify inventorySetQuantities: " + shopifyUserErrors(errors)};
      return out;
    }
    shopifyBatchKey_ = {};
    if (errors.empty()) {
      for (std::size_t i : open) out[i] = Status{};
      return out;
    }
    // Nothing was applied. Errors naming a quantity ("input.quantities.3.…")
    // refuse that listing; an error naming none refuses them all.
    std::vector<std::size_t> refusedAt;
    bool whole = false;
    for (const auto& e : errors) {
      const std::string prefix = "input.quantities.";
      if (e.field.rfind(prefix, 0) != 0) {
        whole = true;
        continue;
      }
      const std::size_t index = std::strtoull(e.field.c_str() + prefix.size(), nullptr, 10);
      if (index < open.size()) {
        out[open[index]] = Error{ErrorKind::Invalid, "Shopify inventorySetQuantities: " + shopifyUserErrors({e})};
        refusedAt.push_back(index);
      } else {
        whole = true;
      }
    }
    if (whole || refusedAt.empty()) {
      for (std::size_t i : open)
        if (out[i]) out[i] = Error{ErrorKind::Invalid, "Shopify inventorySetQuantities: " + shopifyUserErrors(errors)};
      return out;
    }
    std::vector<std::size_t> rest;
    for (std::size_t k = 0; k < open.size(); ++k) {
      if (std::find(refusedAt.begin(), refusedAt.end(), k) == refusedAt.end()) rest.push_back(open[k]);
    }
    open = std::move(rest);
  }
  return out;
}

Status ChannelApi::pushStock(const Listing& l, std::int64_t quantity) {
  const std::string qty = std::to_string(quantity);
  switch (channel_) {
    case domain::Channel::Shopify: {
      // GraphQL inventorySetQuantities of "available" at our location: the
      // item from listing_ref (else the channel SKU), digits or a GID.
      auto item =
          shopifyGid("InventoryItem", l.listingRef.empty() ? l.channelSku : l.listingRef, "listing_ref");
      if (!item) return item.error();
      auto location = shopifyGid("Location", settings_.locationId, "channels.shopify.location_id");
      if (!location) return location.error();
      const std::string slot = *item + "@" + *location;
      auto& pending = shopifyKeys_[slot];
      if (pending.second.empty() || pending.first != quantity) pending = {quantity, newIdempotencyKey()};
      const std::string request = "{\"query\":" + jsonString(shopifySetQuantities(pending.second)) +
                                  ",\"variables\":{\"input\":{\"name\":\"available\",\"reason\":"
                                  "\"correction\",\"referenceDocumentUri\":" +
                                  jsonString("gid://wms/AvailableToPromise/" + urlEncode(l.sku)) +
                                  ",\"quantities\":[{\"inventoryItemId\":" + jsonString(*item) +
                                  ",\"locationId\":" + jsonString(*location) + ",\"quantity\":" + qty +
                                  ",\"changeFromQuantity\":null}]}}}";
      auto answer = shopifyGraphql("inventorySetQuantities", request, "inventorySetQuantities");
      // Unavailable: the answer is unknown (or nothing ran); the same
      // quantity is retried under the same key.
      if (!answer) {
        if (answer.error().kind != ErrorKind::Unavailable) shopifyKeys_.erase(slot);
        return answer.error();
      }
      const auto& errors = answer->reply.userErrors;
      const bool inProgress = std::any_of(errors.begin(), errors.end(), [](const ShopifyUserError& e) {
        return e.code == "IDEMPOTENCY_CONCURRENT_REQUEST";
      });
      if (inProgress)
        return Error{ErrorKind::Unavailable, "Shopify inventorySetQuantities: " + shopifyUserErrors(errors)};
      shopifyKeys_.erase(slot);
      if (!errors.empty())
        return Error{ErrorKind::Invalid, "Shopify inventorySetQuantities: " + shopifyUserErrors(errors)};
      return {};
    }
    case domain::Channel::Lazada: {
      // UpdateSellableQuantity: the units buyers may still buy. Lazada keeps
      // the total itself (sellable + withheld for its own unshipped orders +
      // campaign units); a total from us would have to include Lazada's open
      // orders, which our figure already subtracted (docs/channels.md).
      const std::string payload = "<Request><Product><Skus><Sku><SellerSku>" + xmlEscape(l.channelSku) +
                                  "</SellerSku><SellableQuantity>" + qty +
                                  "</SellableQuantity></Sku></Skus></Product></Request>";
      auto r = call("POST", lazadaQuery("/product/stock/sellable/update", {{"payload", payload}}), {}, {});
      if (!r) return r.error();
      return lazadaAnswer(*r, "UpdateSellableQuantity");
    }
    case domain::Channel::Shopee: {
      auto [item, model] = splitRef(l.listingRef.empty() ? l.channelSku : l.listingRef);
      std::string body = "{\"item_id\":" + jsonId(item) + ",\"stock_list\":[{\"model_id\":" +
                         jsonId(model.empty() ? "0" : model) + ",\"seller_stock\":[{" +
                         (settings_.locationId.empty() ? "" : "\"location_id\":" + jsonString(settings_.locationId) + ",") +
                         "\"stock\":" + qty + "}]}]}";
      auto r = call("POST", shopeeQuery("/api/v2/product/update_stock", ""), body, {});
      if (!r) return r.error();
      return readShopeeUpdateStock(*r);
    }
    case domain::Channel::TikTok: {
      auto [product, sku] = splitRef(l.listingRef.empty() ? l.channelSku : l.listingRef);
      const std::string path = "/product/202309/products/" + product + "/inventory/update";
      std::string body = "{\"skus\":[{\"id\":" + jsonString(sku.empty() ? l.channelSku : sku) + ",\"inventory\":[{" +
                         (settings_.locationId.empty() ? "" : "\"warehouse_id\":" + jsonString(settings_.locationId) + ",") +
                         "\"quantity\":" + qty + "}]}]}";
      auto r = call("POST", tiktokQuery(path, {}, body), body, {{"x-tts-access-token", settings_.accessToken}});
      if (!r) return r.error();
      return tiktokAnswer(*r, "inventory update");
    }
    case domain::Channel::Amazon: {
      // JSON Patch "merge" on fulfillment_availability, selected by its
      // fulfillment_channel_code: the quantity changes and the seller's
      // lead_time_to_ship_max_days and restock_date stay ("replace" would
      // drop them).
      const std::string productType = l.listingRef.empty() ? "PRODUCT" : l.listingRef;
      const std::string body = "{\"productType\":" + jsonString(productType) +
                               ",\"patches\":[{\"op\":\"merge\",\"path\":\"/attributes/fulfillment_availability\","
                               "\"value\":[{\"fulfillment_channel_code\":\"DEFAULT\",\"quantity\":" + qty + "}]}]}";
      auto r = call("PATCH",
                    "/listings/2021-08-01/items/" + urlEncode(settings_.shopId) + "/" + urlEncode(l.channelSku) +
                        "?marketplaceIds=" + urlEncode(settings_.marketplaceId),
                    body, {{"x-amz-access-token", settings_.accessToken}});
      if (!r) return r.error();
      return readAmazonListingsSubmission(*r);
    }
    default:
      return Error{ErrorKind::Internal, std::string("no stock push for ") + domain::toString(channel_)};
  }
}

}  // namespace wms::channels
