// A channel's order, normalised: what every channel adapter produces from
// the channel's own payload, before its lines are mapped to our SKUs; and
// the notice a channel gets when we ship one. Plain data; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wms/domain/Order.h"

namespace wms::channels {

// What the channel's status means for the warehouse.
enum class OrderState {
  Open,       // to be fulfilled (unpaid orders count: the channel already took the stock off sale)
  Cancelled,  // cancelled on the channel: free its stock
  Closed,     // shipped, delivered or fulfilled elsewhere: nothing more for us to do
};
const char* toString(OrderState state) noexcept;  // "open", "cancelled", "closed"

struct ChannelLine {
  // The line's channel SKU identifiers in lookup order (e.g. Shopify's
  // variant id, then its sku text); the first one mapped wins.
  std::vector<std::string> skuKeys;
  std::string externalLineId;
  std::int64_t qty = 0;
};

struct ChannelOrder {
  domain::Channel channel = domain::Channel::Manual;
  std::string externalId;     // exactly as the channel gave it (ids above 2^53 kept as text)
  std::string channelStatus;  // the channel's own status word
  OrderState state = OrderState::Open;
  std::int64_t createdAtMs = 0;
  std::int64_t updatedAtMs = 0;  // the channel's timestamp of this state: the newest wins
  domain::ServiceLevel serviceLevel = domain::ServiceLevel::Standard;
  domain::Address shipTo;
  std::vector<ChannelLine> lines;  // one per channel line, quantities summed for per-unit rows
};

// One order line as shipped, for the channel's fulfilment call.
struct ShippedNoticeLine {
  std::string externalLineId;  // the channel's line id the order arrived with ("" if none)
  std::string sku;             // ours
  std::int64_t qty = 0;        // units shipped by this shipment (> 0)
};

// What a channel is told when its order ships.
struct ShippedNotice {
  domain::Channel channel = domain::Channel::Manual;
  std::string externalId;          // the channel's order id
  domain::OrderId orderId = 0;     // ours
  std::int64_t shipmentId = 0;     // ours; one notice per (channel, order, shipment)
  std::string carrierCode;         // e.g. "JNT"
  std::string carrierName;         // e.g. "J&T Express"
  std::string service;             // carrier service, may be ""
  std::string trackingNumber;      // master tracking number
  std::vector<std::string> parcelTrackingNumbers;  // per carton, carton order (may repeat the master)
  std::vector<ShippedNoticeLine> lines;
  std::int64_t shippedAtMs = 0;
};

}  // namespace wms::channels
