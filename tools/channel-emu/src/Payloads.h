// Internal: an emulated marketplace order and its payloads in each channel's
// documented shape (the same field names wms::channels reads).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "wms/channelemu/Emulator.h"

namespace wms::channelemu {

struct EmuOrder {
  domain::Channel channel = domain::Channel::Shopify;
  std::string id;
  std::vector<Line> lines;
  bool cancelled = false;
  bool updated = false;  // had an update after creation (paid, ready to ship)
  bool pickup = false;
  bool badAddress = false;
  // ISO country of the address ("" = SG). VN and HK addresses carry no
  // postal code, as the marketplaces send them there.
  std::string country;
  std::int64_t createdSec = 0;
  std::int64_t updatedSec = 0;
  int version = 0;  // deliveries made of this order
  // Fulfilment state: units (Lazada item rows, TikTok line items) or lines
  // (Shopify, Amazon; Shopee: the order id) shipped, with quantities, and
  // Lazada item rows packed but not ready to ship yet.
  std::map<std::string, std::int64_t> shipped;
  std::set<std::string> packed;
};

// The ids the channel gives the order's lines, per line: one per unit for
// Lazada (order_item_id) and TikTok (line item id); one for the line for
// Shopify (line item id), Shopee (item_id:model_id) and Amazon (OrderItemId).
std::vector<std::vector<std::string>> lineIds(const EmuOrder& o);
// Shopify: the order's one fulfillment order, and its line items' ids.
std::string shopifyFulfillmentOrderId(const EmuOrder& o);
std::string shopifyFulfillmentOrderLineId(const std::string& lineItemId);
std::string shopifyFulfillmentOrders(const EmuOrder& o);
// The same as the GraphQL Admin API's order { id fulfillmentOrders { nodes
// { id status lineItems { nodes { id totalQuantity remainingQuantity
// lineItem { id } } pageInfo } } pageInfo } } (GIDs, one page).
std::string shopifyFulfillmentOrdersGraphql(const EmuOrder& o);

// The channel's status word for the order's state.
std::string statusOf(const EmuOrder& o);

std::string shopifyOrder(const EmuOrder& o);
std::string lazadaPush(const EmuOrder& o);
std::string lazadaGetOrder(const EmuOrder& o);
std::string lazadaGetOrderItems(const EmuOrder& o);
std::string shopeePush(const EmuOrder& o);
std::string shopeeOrderDetail(const std::vector<EmuOrder>& orders);
// TikTok Shop has sent both shapes: with a tts_notification_id and without
// one (notificationId "").
std::string tiktokWebhook(const EmuOrder& o, const std::string& notificationId);
std::string tiktokOrderDetail(const std::vector<EmuOrder>& orders);
// withPii: the call carried a restricted-data token for shippingAddress;
// without one Amazon leaves out the buyer's name, street lines and phone.
std::string amazonOrders(const std::vector<EmuOrder>& orders, const std::string& nextToken,
                         const std::string& lastUpdatedBefore, bool withPii);
std::string amazonOrderItems(const EmuOrder& o);

std::string isoUtc(std::int64_t seconds);
std::string lazadaTime(std::int64_t seconds);  // "2026-11-26 18:00:00 +0800"

}  // namespace wms::channelemu
