// Telling a channel its order shipped, in each channel's own call shape
// (docs/channels.md, "Orders shipped", lists the calls and their sources).
#include <cctype>
#include <map>

#include "ChannelApi.h"
#include "PayloadJson.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {
namespace {

using json::Need;

std::string jsonArrayOf(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (const auto& id : ids) out += (out.size() > 1 ? "," : "") + jsonId(id);
  return out + "]";
}

// The notice's lines by the channel's line id (units shipped).
std::map<std::string, std::int64_t> unitsByLine(const ShippedNotice& n) {
  std::map<std::string, std::int64_t> out;
  for (const auto& l : n.lines) out[l.externalLineId] += l.qty;
  return out;
}

std::string carrierLabel(const ShippedNotice& n) { return n.carrierName.empty() ? n.carrierCode : n.carrierName; }

// Amazon takes its own carrier codes; any other carrier goes as "Other"
// with its name (which Amazon then requires).
std::string amazonCarrierCode(const std::string& code) {
  static const char* const known[] = {"UPS", "USPS", "FedEx", "DHL", "DHL eCommerce", "Royal Mail", "Canada Post",
                                      "Australia Post", "Japan Post", "Yamato Transport"};
  auto lower = [](std::string t) {
    for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
  };
  for (const char* k : known) {
    if (lower(code) == lower(k)) return k;
  }
  return "Other";
}

}  // namespace

Status ChannelApi::pushFulfilment(const ShippedNotice& n) {
  switch (channel_) {
    case domain::Channel::Shopify: {
      // The order's fulfillment orders with their line items
      // (one page of each, sized to stay well under the 1000-point query limit; a
      // longer order is refused by the planner rather than half planned), and
      // fulfillmentCreate (FulfillmentInput: lineItemsByFulfillmentOrder,
      // trackingInfo, notifyCustomer).
      static constexpr const char* kShopifyFulfillmentOrders =
          "query FulfillmentOrders($id: ID!) { order(id: $id) { id fulfillmentOrders(first: 5) { nodes { id "
          "status "
          "lineItems(first: 50) { nodes { id totalQuantity remainingQuantity lineItem { id } } pageInfo { "
          "hasNextPage } } } "
          "pageInfo { hasNextPage } } } }";
      static constexpr const char* kShopifyFulfillmentCreate =
          "mutation CreateFulfillment($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: "
          "$fulfillment) { "
          "fulfillment { id status } userErrors { field message } } }";
      // GraphQL Admin: fulfillments are made against the order's fulfillment
      // orders; find the fulfillment order line items of our lines first.
      auto order = shopifyGid("Order", n.externalId, "the Shopify order id");
      if (!order) return order.error();
      const std::string query = "{\"query\":" + jsonString(kShopifyFulfillmentOrders) +
                                ",\"variables\":{\"id\":" + jsonString(*order) + "}}";
      auto fos = shopifyGraphql("fulfillmentOrders of order " + n.externalId, query, "");
      if (!fos) return fos.error();
      auto plan = planShopifyFulfilment(fos->body, n);
      if (!plan) return plan.error();
      // Nothing left to fulfil: done already (our earlier push whose answer was lost).
      if (plan->alreadyFulfilled) return {};
      std::string groups;
      for (const auto& [foId, items] : plan->byFulfillmentOrder) {
        std::string list;
        for (const auto& [id, qty] : items)
          list += (list.empty() ? "" : ",") + std::string("{\"id\":") + jsonString(id) +
                  ",\"quantity\":" + std::to_string(qty) + "}";
        groups += (groups.empty() ? "" : ",") + std::string("{\"fulfillmentOrderId\":") + jsonString(foId) +
                  ",\"fulfillmentOrderLineItems\":[" + list + "]}";
      }
      const std::string request = "{\"query\":" + jsonString(kShopifyFulfillmentCreate) +
                                  ",\"variables\":{\"fulfillment\":{\"lineItemsByFulfillmentOrder\":[" +
                                  groups + "],\"trackingInfo\":{\"number\":" + jsonString(n.trackingNumber) +
                                  ",\"company\":" + jsonString(carrierLabel(n)) +
                                  "},\"notifyCustomer\":true}}}";
      auto created =
          shopifyGraphql("fulfillmentCreate for order " + n.externalId, request, "fulfillmentCreate");
      if (!created) return created.error();
      if (!created->reply.userErrors.empty())
        return Error{ErrorKind::Invalid, "Shopify fulfillmentCreate for order " + n.externalId + ": " +
                                             shopifyUserErrors(created->reply.userErrors)};
      return {};
    }
    case domain::Channel::Lazada: {
      // SetStatusToPackedByMarketplace, then SetStatusToReadyToShip with our
      // tracking number, for the order's item rows (one per unit).
      auto items = call("GET", lazadaQuery("/order/items/get", {{"order_id", n.externalId}}), {}, {});
      if (!items) return items.error();
      auto plan = planLazadaUnits(*items, n);
      if (!plan) return plan.error();
      if (plan->unitIds.empty()) {
        if (plan->alreadyShipped) return {};
        return Error{ErrorKind::Invalid, "Lazada order " + n.externalId + " has no items left to ship"};
      }
      const std::string itemIds = jsonArrayOf(plan->unitIds);
      auto check = [&](const Result<std::string>& reply, const std::string& what) -> Status {
        if (!reply) return reply.error();
        return lazadaAnswer(*reply, what);
      };
      if (auto st = check(call("POST", lazadaQuery("/order/pack", {{"delivery_type", "dropship"},
                                                                   {"order_item_ids", itemIds},
                                                                   {"shipping_provider", carrierLabel(n)}}),
                               {}, {}),
                          "SetStatusToPackedByMarketplace");
          !st)
        return st;
      return check(call("POST", lazadaQuery("/order/rts", {{"delivery_type", "dropship"},
                                                          {"order_item_ids", itemIds},
                                                          {"shipment_provider", carrierLabel(n)},
                                                          {"tracking_number", n.trackingNumber}}),
                        {}, {}),
                   "SetStatusToReadyToShip");
    }
    case domain::Channel::Shopee: {
      // logistics.ship_order for a channel Shopee does not integrate with:
      // the seller's own tracking number (the whole order ships at once).
      const std::string body = "{\"order_sn\":" + jsonString(n.externalId) +
                               ",\"non_integrated\":{\"tracking_number\":" + jsonString(n.trackingNumber) + "}}";
      auto reply = call("POST", shopeeQuery("/api/v2/logistics/ship_order", ""), body, {});
      if (!reply) return reply.error();
      auto answer = shopeeAnswer(*reply, "ship_order");
      if (!answer) return answer.error();
      return {};
    }
    case domain::Channel::TikTok: {
      // Mark Package As Shipped: the order's line item ids (one per unit)
      // with our tracking number and shipping provider.
      auto detail = call("GET", tiktokQuery("/order/202309/orders", {{"ids", n.externalId}}, ""), {},
                         {{"x-tts-access-token", settings_.accessToken}});
      if (!detail) return detail.error();
      auto plan = planTikTokUnits(*detail, n);
      if (!plan) return plan.error();
      if (plan->unitIds.empty()) {
        if (plan->alreadyShipped) return {};
        return Error{ErrorKind::Invalid, "TikTok Shop order " + n.externalId + " has no line items left to ship"};
      }
      std::string idList;
      for (const auto& id : plan->unitIds) idList += (idList.empty() ? "" : ",") + jsonString(id);
      const std::string path = "/fulfillment/202309/orders/" + urlEncode(n.externalId) + "/packages";
      const std::string body = "{\"order_line_item_ids\":[" + idList + "],\"tracking_number\":" +
                               jsonString(n.trackingNumber) + ",\"shipping_provider_id\":" + jsonString(n.carrierCode) + "}";
      auto reply = call("POST", tiktokQuery(path, {}, body), body, {{"x-tts-access-token", settings_.accessToken}});
      if (!reply) return reply.error();
      return tiktokAnswer(*reply, "Mark Package As Shipped");
    }
    case domain::Channel::Amazon: {
      // Orders v0 confirmShipment (MFN). packageReferenceId is our shipment
      // id, so a repeat edits the same package instead of adding one.
      std::string items;
      for (const auto& [line, qty] : unitsByLine(n))
        items += (items.empty() ? "" : ",") + std::string("{\"orderItemId\":") + jsonString(line) +
                 ",\"quantity\":" + std::to_string(qty) + "}";
      std::string body = "{\"marketplaceId\":" + jsonString(settings_.marketplaceId) +
                         ",\"packageDetail\":{\"packageReferenceId\":" + jsonString(std::to_string(std::max<std::int64_t>(1, n.shipmentId))) +
                         ",\"carrierCode\":" + jsonString(amazonCarrierCode(n.carrierCode)) + ",\"carrierName\":" + jsonString(carrierLabel(n)) +
                         (n.service.empty() ? "" : ",\"shippingMethod\":" + jsonString(n.service)) +
                         ",\"trackingNumber\":" + jsonString(n.trackingNumber) + ",\"shipDate\":" +
                         jsonString(isoUtc(n.shippedAtMs)) + ",\"orderItems\":[" + items + "]}}";
      auto reply = call("POST", "/orders/v0/orders/" + urlEncode(n.externalId) + "/shipmentConfirmation", body,
                        {{"x-amz-access-token", settings_.accessToken}});
      if (!reply) return reply.error();
      return {};
    }
    default:
      return Error{ErrorKind::Internal, std::string("no fulfilment call for ") + domain::toString(channel_)};
  }
}

}  // namespace wms::channels
