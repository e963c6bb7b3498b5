// Each channel's payloads, parsed and normalised. Pure functions from the raw
// text the channel sent to a ChannelOrder (or a push notice that says which
// order to fetch). Field names are the channels' own (docs/channels.md lists
// each mapping and its source).
//
// Inputs are untrusted: size and nesting are bounded, every field is checked
// for type and range, and ids are read as text (a JSON number id is taken
// digit for digit, never through a double). Errors are Malformed (not JSON)
// or Invalid naming the field path ("line_items[2].quantity must be a
// positive whole number"). Nothing here throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wms/channels/ChannelOrder.h"
#include "wms/common/Result.h"

namespace wms::channels {

inline constexpr std::size_t kMaxPayloadBytes = 1u << 20;
inline constexpr std::size_t kMaxPayloadDepth = 20;

// A push or webhook that names an order to fetch (Lazada, Shopee, TikTok).
struct PushNotice {
  bool aboutOrder = false;    // false: a message type we do not act on (acknowledged, ignored)
  std::string orderId;        // the channel's order id / order_sn
  std::string status;         // the status the push reports
  std::int64_t updatedAtMs = 0;
  std::string eventKey;       // what identifies this delivery for de-duplication
};

// Shopify orders/create, orders/updated, orders/cancelled webhook body (the
// whole order). Cancelled when cancelled_at is set.
Result<ChannelOrder> parseShopifyOrder(std::string_view body);

// Lazada push (message_type 0: trade order). eventKey: trade order id,
// status and status_update_time.
Result<PushNotice> parseLazadaPush(std::string_view body);
// Lazada GetOrder (/order/get) and GetOrderItems (/order/items/get) responses;
// item rows are one per unit and are summed per seller SKU.
Result<ChannelOrder> parseLazadaOrder(std::string_view orderBody, std::string_view itemsBody);

// Shopee push (code 3: order status update).
Result<PushNotice> parseShopeePush(std::string_view body);
// Shopee v2.order.get_order_detail response; the order with `orderSn`.
Result<ChannelOrder> parseShopeeOrderDetail(std::string_view body, const std::string& orderSn);

// TikTok Shop webhook (type 1: order status change). eventKey:
// tts_notification_id, or order id:status:update_time where it is absent.
Result<PushNotice> parseTikTokWebhook(std::string_view body);
// TikTok Shop Get Order Detail (202309) response; the order with `orderId`.
// Its line_items are one per unit.
Result<ChannelOrder> parseTikTokOrderDetail(std::string_view body, const std::string& orderId);

// Amazon SP-API getOrders: the page's orders (without lines), MFN only.
struct AmazonOrderPage {
  std::vector<ChannelOrder> orders;  // FulfillmentChannel MFN
  std::size_t skippedAfn = 0;        // fulfilled by Amazon: not ours to ship
  std::string nextToken;
  std::int64_t lastUpdatedBeforeMs = 0;  // the page's LastUpdatedBefore (0 if absent)
};
Result<AmazonOrderPage> parseAmazonOrders(std::string_view body);
// Amazon SP-API getOrderItems.
struct AmazonItemsPage {
  std::vector<ChannelLine> lines;
  std::string nextToken;
};
Result<AmazonItemsPage> parseAmazonOrderItems(std::string_view body);

// --- the platforms' error answers: transient or permanent ---
// Unavailable: the platform failed or is throttling; the call is retried
// with back-off. Invalid: retrying will not change it; a person looks.
// docs/channels.md lists the rules and their sources.
ErrorKind lazadaErrorKind(std::string_view type, std::string_view code, std::string_view message);
ErrorKind shopeeErrorKind(std::string_view error, std::string_view message);
ErrorKind tiktokErrorKind(std::int64_t code, std::string_view message);

// Answers to a stock update that may refuse with HTTP 200. Shopee
// v2.product.update_stock: an `error` (by shopeeErrorKind), or an empty one
// with the refused models in response.failure_list (Invalid, with each
// failed_reason). Amazon patchListingsItem (ListingsItemSubmissionResponse):
// any status but ACCEPTED is Invalid, with the issues of severity ERROR.
Status readShopeeUpdateStock(std::string_view body);
Status readAmazonListingsSubmission(std::string_view body);

// Timestamps as the channels write them, to ms since the epoch (UTC):
// ISO 8601 "2021-12-31T19:00:00-05:00" / "...Z" / fractional seconds, and
// Lazada's "2014-10-11 20:21:04 +0800". Invalid for anything else.
Result<std::int64_t> parseTimestamp(std::string_view text);

// --- shipping: what to tell the channel, from its own view of the order ---
// Each planner reads the channel's answer about the order and picks the ids
// the fulfilment call needs for the notice's lines (by their external line
// ids). Invalid for an answer we cannot read or a line the order lacks.

// Shopify GraphQL Admin API, the order's fulfillmentOrders query (nodes with
// id, status and lineItems: id, totalQuantity, remainingQuantity, lineItem
// { id }): per OPEN / IN_PROGRESS fulfillment order, its line items (GIDs)
// covering the notice's lines (matched by the order line's numeric id, the
// tail of lineItem.id), at most each item's remainingQuantity. Invalid if the
// order is not there (data.order null) or a list was cut short (hasNextPage).
struct ShopifyFulfilmentPlan {
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::int64_t>>>> byFulfillmentOrder;
  bool alreadyFulfilled = false;  // nothing open for the lines and some of them fulfilled (an earlier push)
};
Result<ShopifyFulfilmentPlan> planShopifyFulfilment(std::string_view fulfillmentOrders, const ShippedNotice& notice);

// Shopify GraphQL Admin ids: "gid://shopify/<type>/<digits>". A bare decimal
// id becomes the GID of `type`; a GID of that type is kept; anything else is
// Invalid naming `what` ("listing_ref").
Result<std::string> shopifyGid(std::string_view type, std::string_view id, std::string_view what);
// The decimal tail of a GID of `type` ("" if `gid` is not one).
std::string shopifyGidNumber(std::string_view type, std::string_view gid);

// What every GraphQL Admin answer says besides its data: the top-level errors
// (THROTTLED among them: HTTP 200, no data), extensions.cost (the leaky
// bucket's state after the call) and, for a mutation, its payload's
// userErrors (`mutation` names the payload field, "" for a query).
struct ShopifyUserError {
  std::string code;   // may be "" (fulfillmentCreate's UserError has none)
  std::string field;  // the path joined with '.', "" if none
  std::string message;
};
struct ShopifyQueryCost {
  double requested = 0;         // requestedQueryCost
  double actual = -1;           // actualQueryCost, -1 when null (not run)
  double maximumAvailable = 0;  // throttleStatus
  double currentlyAvailable = 0;
  double restoreRate = 0;  // points per second
};
struct ShopifyGraphqlReply {
  bool throttled = false;  // an error with extensions.code THROTTLED
  std::string error;       // the first top-level error (code: message), "" if none
  bool hasCost = false;
  ShopifyQueryCost cost;
  std::vector<ShopifyUserError> userErrors;
};
Result<ShopifyGraphqlReply> readShopifyGraphql(std::string_view body, std::string_view mutation);

// Lazada GetOrderItems and TikTok Get Order Detail list one row per unit;
// the notice's line stands for every row of the same SKU. The rows to ship
// (not shipped or cancelled yet), `qty` per line.
struct UnitPlan {
  std::vector<std::string> unitIds;
  bool alreadyShipped = false;  // nothing left and the lines' units are shipped (an earlier push)
};
Result<UnitPlan> planLazadaUnits(std::string_view orderItems, const ShippedNotice& notice);
Result<UnitPlan> planTikTokUnits(std::string_view orderDetail, const ShippedNotice& notice);

}  // namespace wms::channels
