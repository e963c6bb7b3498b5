// TikTok Shop: a webhook (type 1, order status change) names the order; Get
// Order Detail (202309) gives it.
#include <set>

#include "Common.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {
namespace {

using json::Need;

OrderState stateOf(const std::string& status) {
  static const std::set<std::string> open = {"UNPAID", "ON_HOLD", "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING",
                                             "AWAITING_COLLECTION"};
  if (status == "CANCELLED") return OrderState::Cancelled;
  if (open.count(status)) return OrderState::Open;
  return OrderState::Closed;  // IN_TRANSIT, DELIVERED, COMPLETED
}

}  // namespace

Result<PushNotice> parseTikTokWebhook(std::string_view body) {
  auto parsed = readPayload(body, "TikTok Shop webhook");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  PushNotice n;
  const std::int64_t type = r.integer("type", Need::Required);
  if (!r.ok()) return r.status().error();
  if (type != 1) return n;  // not an order status change
  n.aboutOrder = true;
  auto d = r.object("data", Need::Required);
  n.orderId = d.id("order_id");
  n.status = d.text("order_status", Need::Required, 64);
  n.updatedAtMs = payloads::unixSeconds(d, "update_time", Need::Required);
  // TikTok Shop has sent this webhook with and without tts_notification_id;
  // without it, the order, its status and the time of that status say which
  // change this is (a redelivery repeats all three).
  n.eventKey = r.has("tts_notification_id") ? r.id("tts_notification_id")
                                            : n.orderId + ":" + n.status + ":" + std::to_string(n.updatedAtMs);
  return payloads::finish(r, std::move(n));
}

Result<ChannelOrder> parseTikTokOrderDetail(std::string_view body, const std::string& orderId) {
  auto parsed = readPayload(body, "TikTok Shop order detail response");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  const std::int64_t code = r.integer("code", Need::Required);
  if (!r.ok()) return r.status().error();
  if (code != 0) {
    const std::string message = r.text("message", Need::Optional, 500);
    return Error{tiktokErrorKind(code, message),
                 "Get Order Detail: TikTok Shop error " + std::to_string(code) + ": " + message};
  }
  auto list = r.object("data", Need::Required).objects("orders", Need::Required, 50);
  if (auto st = r.status(); !st) return st.error();
  for (auto& d : list) {
    if (d.id("id") != orderId) continue;
    ChannelOrder o;
    o.channel = domain::Channel::TikTok;
    o.externalId = orderId;
    o.channelStatus = d.text("status", Need::Required, 64);
    o.state = stateOf(o.channelStatus);
    o.createdAtMs = payloads::unixSeconds(d, "create_time", Need::Required);
    o.updatedAtMs = payloads::unixSeconds(d, "update_time", Need::Required);
    for (auto& item : d.objects("line_items", Need::Required, 2000)) {
      // A line item cancelled on its own is not ours to ship.
      if (item.text("display_status", Need::Optional, 64) == "CANCELLED" && o.state != OrderState::Cancelled) continue;
      ChannelLine l;
      if (auto s = item.text("seller_sku", Need::Optional, 255); !s.empty()) l.skuKeys.push_back(s);
      const std::string skuId = item.id("sku_id");
      l.skuKeys.push_back(item.id("product_id") + ":" + skuId);
      l.skuKeys.push_back(skuId);
      l.externalLineId = item.id("id");
      l.qty = 1;  // one line item per unit
      payloads::addLine(o.lines, std::move(l));
    }
    if (d.ok() && o.lines.empty()) d.fail("line_items", "is empty");
    auto a = d.object("recipient_address");
    o.shipTo.name = a.text("name", Need::Optional, 255);
    o.shipTo.phone = a.text("phone_number", Need::Optional, 64);
    o.shipTo.line1 = a.text("address_line1", Need::Optional, 500);
    o.shipTo.line2 = a.text("address_line2", Need::Optional, 500);
    o.shipTo.postalCode = a.text("postal_code", Need::Optional, 64);
    o.shipTo.country = payloads::countryCode(a.text("region_code", Need::Optional, 8));
    for (auto& level : a.objects("district_info", Need::Optional, 10)) {
      const std::string name = payloads::lower(level.text("address_level_name", Need::Optional, 64));
      const std::string value = level.text("address_name", Need::Optional, 255);
      if (name == "city" || name == "town") o.shipTo.city = value;
      else if (name == "state" || name == "province" || name == "region") o.shipTo.region = value;
    }
    if (o.shipTo.city.empty()) o.shipTo.city = o.shipTo.region;
    if (d.text("delivery_type", Need::Optional, 64) == "PICKUP") o.serviceLevel = domain::ServiceLevel::StorePickup;
    return payloads::finish(r, std::move(o));
  }
  return Error{ErrorKind::Invalid, "Get Order Detail: data.orders has no order " + orderId};
}

}  // namespace wms::channels
