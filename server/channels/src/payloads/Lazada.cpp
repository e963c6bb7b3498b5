// Lazada: a push names the order; GetOrder and GetOrderItems give it.
#include <set>

#include "Common.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {
namespace {

using json::Need;

// Lazada answers {"code":"0", "data":...}; any other code is an API error,
// transient or not by its type (ISP: Lazada's backend) and code.
Status apiCode(json::ObjectReader& r, const char* what) {
  const std::string code = r.has("code") ? r.id("code") : "0";
  if (!r.ok()) return r.status();
  if (code != "0") {
    std::string message = r.text("message", Need::Optional, 500);
    std::string type = r.text("type", Need::Optional, 32);
    return Error{lazadaErrorKind(type, code, message),
                 std::string(what) + ": Lazada error " + code + (type.empty() ? "" : " (" + type + ")") +
                     (message.empty() ? "" : ": " + message)};
  }
  return {};
}

OrderState stateOf(const std::string& status) {
  static const std::set<std::string> open = {"unpaid", "pending", "packed", "ready_to_ship", "repacked", "topack",
                                             "toship", "ready_to_ship_pending"};
  static const std::set<std::string> cancelled = {"canceled", "cancelled"};
  if (cancelled.count(status)) return OrderState::Cancelled;
  if (open.count(status)) return OrderState::Open;
  return OrderState::Closed;  // shipped, delivered, confirmed, returned, failed, lost_by_3pl, ...
}

}  // namespace

Result<PushNotice> parseLazadaPush(std::string_view body) {
  auto parsed = readPayload(body, "Lazada push");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  PushNotice n;
  const std::int64_t type = r.integer("message_type", Need::Required);
  if (!r.ok()) return r.status().error();
  if (type != 0) return n;  // not a trade order message
  auto d = r.object("data", Need::Required);
  n.aboutOrder = true;
  n.orderId = d.id("trade_order_id");
  n.status = d.text("order_status", Need::Required, 64);
  n.updatedAtMs = payloads::unixSeconds(d, "status_update_time", Need::Required);
  n.eventKey = n.orderId + ":" + n.status + ":" + std::to_string(n.updatedAtMs) + ":" +
               (d.has("trade_order_line_id") ? d.id("trade_order_line_id") : std::string());
  return payloads::finish(r, std::move(n));
}

Result<ChannelOrder> parseLazadaOrder(std::string_view orderBody, std::string_view itemsBody) {
  auto parsed = readPayload(orderBody, "Lazada GetOrder response");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  if (auto st = apiCode(r, "GetOrder"); !st) return st.error();
  auto d = r.object("data", Need::Required);
  ChannelOrder o;
  o.channel = domain::Channel::Lazada;
  o.externalId = d.id("order_id");
  o.createdAtMs = payloads::timestamp(d, "created_at", Need::Required);
  o.updatedAtMs = payloads::timestamp(d, "updated_at", Need::Required);
  auto a = d.object("address_shipping", Need::Required);
  std::string first = a.text("first_name", Need::Optional, 255), last = a.text("last_name", Need::Optional, 255);
  o.shipTo.name = first + (first.empty() || last.empty() ? "" : " ") + last;
  o.shipTo.line1 = a.text("address1", Need::Optional, 255);
  o.shipTo.line2 = a.text("address2", Need::Optional, 255);
  o.shipTo.city = a.text("city", Need::Optional, 255);
  if (o.shipTo.city.empty()) o.shipTo.city = a.text("address4", Need::Optional, 255);
  o.shipTo.region = a.text("address3", Need::Optional, 255);
  o.shipTo.postalCode = a.text("post_code", Need::Optional, 64);
  o.shipTo.country = payloads::countryCode(a.text("country", Need::Optional, 64));
  o.shipTo.phone = a.text("phone", Need::Optional, 64);
  if (auto st = r.status(); !st) return st.error();

  auto items = readPayload(itemsBody, "Lazada GetOrderItems response");
  if (!items) return items.error();
  if (auto st = apiCode(*items, "GetOrderItems"); !st) return st.error();
  bool anyOpen = false;
  std::string liveStatus;
  std::vector<ChannelLine> cancelledLines;
  for (auto& item : items->objects("data", Need::Required, 2000)) {
    const std::string status = item.text("status", Need::Required, 64);
    if (item.ok() && item.has("order_id") && item.id("order_id") != o.externalId)
      item.fail("order_id", "names another order than " + o.externalId);
    const auto state = stateOf(status);
    if (payloads::lower(item.text("shipping_provider_type", Need::Optional, 64)) == "express")
      o.serviceLevel = domain::ServiceLevel::Express;
    ChannelLine l;
    if (auto sku = item.text("sku", Need::Optional, 255); !sku.empty()) l.skuKeys.push_back(sku);
    if (auto skuId = item.id("sku_id", Need::Optional); !skuId.empty()) l.skuKeys.push_back(skuId);
    if (item.ok() && l.skuKeys.empty()) item.fail("sku", "is required");
    l.externalLineId = item.id("order_item_id");
    l.qty = 1;  // one row per unit
    // An item cancelled on its own (partial cancellation) is not ours to ship.
    if (state == OrderState::Cancelled) {
      payloads::addLine(cancelledLines, std::move(l));
      continue;
    }
    if (liveStatus.empty()) liveStatus = status;
    if (state == OrderState::Open) anyOpen = true;
    payloads::addLine(o.lines, std::move(l));
  }
  if (auto st = items->status(); !st) return st.error();
  if (o.lines.empty() && cancelledLines.empty()) return Error{ErrorKind::Invalid, "GetOrderItems: data has no items"};
  if (o.lines.empty()) {
    // Every item was cancelled: the order is, and keeps its lines for the record.
    o.lines = std::move(cancelledLines);
    o.state = OrderState::Cancelled;
    o.channelStatus = "canceled";
  } else {
    o.state = anyOpen ? OrderState::Open : OrderState::Closed;
    o.channelStatus = liveStatus;
  }
  return o;
}

}  // namespace wms::channels
