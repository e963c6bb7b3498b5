// Shopee: a push (code 3, order status update) names the order;
// v2.order.get_order_detail gives it.
#include <set>

#include "Common.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {
namespace {

using json::Need;

OrderState stateOf(const std::string& status) {
  static const std::set<std::string> open = {"UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "IN_CANCEL",
                                             "INVOICE_PENDING"};
  if (status == "CANCELLED") return OrderState::Cancelled;
  if (open.count(status)) return OrderState::Open;
  return OrderState::Closed;  // SHIPPED, TO_CONFIRM_RECEIVE, COMPLETED, TO_RETURN
}

}  // namespace

Result<PushNotice> parseShopeePush(std::string_view body) {
  auto parsed = readPayload(body, "Shopee push");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  PushNotice n;
  const std::int64_t code = r.integer("code", Need::Required);
  if (!r.ok()) return r.status().error();
  if (code != 3) return n;  // not an order status push
  auto d = r.object("data", Need::Required);
  n.aboutOrder = true;
  n.orderId = d.id("ordersn");
  n.status = d.text("status", Need::Required, 64);
  n.updatedAtMs = payloads::unixSeconds(d, "update_time", Need::Required);
  n.eventKey = n.orderId + ":" + n.status + ":" + std::to_string(n.updatedAtMs);
  return payloads::finish(r, std::move(n));
}

Result<ChannelOrder> parseShopeeOrderDetail(std::string_view body, const std::string& orderSn) {
  auto parsed = readPayload(body, "Shopee get_order_detail response");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  if (auto err = r.text("error", Need::Optional, 200); !err.empty()) {
    const std::string message = r.text("message", Need::Optional, 500);
    return Error{shopeeErrorKind(err, message), "get_order_detail: Shopee error " + err + ": " + message};
  }
  auto resp = r.object("response", Need::Required);
  auto list = resp.objects("order_list", Need::Required, 50);
  if (auto st = r.status(); !st) return st.error();
  for (auto& d : list) {
    if (d.id("order_sn") != orderSn) continue;
    ChannelOrder o;
    o.channel = domain::Channel::Shopee;
    o.externalId = orderSn;
    o.channelStatus = d.text("order_status", Need::Required, 64);
    o.state = stateOf(o.channelStatus);
    o.createdAtMs = payloads::unixSeconds(d, "create_time", Need::Required);
    o.updatedAtMs = payloads::unixSeconds(d, "update_time", Need::Required);
    for (auto& item : d.objects("item_list", Need::Required, 500)) {
      ChannelLine l;
      if (auto s = item.text("model_sku", Need::Optional, 255); !s.empty()) l.skuKeys.push_back(s);
      if (auto s = item.text("item_sku", Need::Optional, 255); !s.empty()) l.skuKeys.push_back(s);
      const std::string itemId = item.id("item_id");
      const std::string modelId = item.has("model_id") ? item.id("model_id") : "0";
      l.skuKeys.push_back(itemId + ":" + modelId);
      l.externalLineId = itemId + ":" + modelId;
      l.qty = payloads::quantity(item, "model_quantity_purchased");
      payloads::addLine(o.lines, std::move(l));
    }
    if (d.ok() && o.lines.empty()) d.fail("item_list", "is empty");
    auto a = d.object("recipient_address");
    o.shipTo.name = a.text("name", Need::Optional, 255);
    o.shipTo.phone = a.text("phone", Need::Optional, 64);
    o.shipTo.line1 = a.text("full_address", Need::Optional, 500);
    o.shipTo.city = a.text("city", Need::Optional, 255);
    if (o.shipTo.city.empty()) o.shipTo.city = a.text("state", Need::Optional, 255);
    if (o.shipTo.city.empty()) o.shipTo.city = a.text("town", Need::Optional, 255);
    o.shipTo.region = a.text("state", Need::Optional, 255);
    o.shipTo.postalCode = a.text("zipcode", Need::Optional, 64);
    o.shipTo.country = payloads::countryCode(a.text("region", Need::Optional, 64));
    return payloads::finish(r, std::move(o));
  }
  return Error{ErrorKind::Invalid, "get_order_detail: response.order_list has no order " + orderSn};
}

Status readShopeeUpdateStock(std::string_view body) {
  auto parsed = readPayload(body, "Shopee update_stock response");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  if (auto err = r.text("error", Need::Optional, 200); !err.empty()) {
    const std::string message = r.text("message", Need::Optional, 300);
    return Error{shopeeErrorKind(err, message), "Shopee update_stock: " + err + (message.empty() ? "" : ": " + message)};
  }
  // An empty `error` is not success: each model Shopee refused is in
  // response.failure_list with its reason.
  std::string refused;
  for (auto& failure : r.object("response").objects("failure_list", Need::Optional, 100)) {
    const std::string model = failure.has("model_id") ? failure.id("model_id") : std::string("?");
    const std::string reason = failure.text("failed_reason", Need::Optional, 300);
    refused += (refused.empty() ? "" : "; ") + std::string("model ") + model + (reason.empty() ? "" : ": " + reason);
  }
  if (auto st = r.status(); !st) return st.error();
  if (!refused.empty()) return Error{ErrorKind::Invalid, "Shopee update_stock refused " + refused};
  return {};
}

}  // namespace wms::channels
