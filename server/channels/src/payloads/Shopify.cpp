// Shopify order webhooks (orders/create, orders/updated, orders/cancelled):
// the body is the whole order resource.
#include "Common.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {

using json::Need;

Result<ChannelOrder> parseShopifyOrder(std::string_view body) {
  auto parsed = readPayload(body, "Shopify order");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  ChannelOrder o;
  o.channel = domain::Channel::Shopify;
  o.externalId = r.id("id");
  o.createdAtMs = payloads::timestamp(r, "created_at", Need::Required);
  o.updatedAtMs = payloads::timestamp(r, "updated_at", Need::Required);
  const bool cancelled = r.has("cancelled_at");
  const std::string fulfillment = r.text("fulfillment_status", Need::Optional, 40);
  o.channelStatus = cancelled ? "cancelled" : (fulfillment.empty() ? "unfulfilled" : fulfillment);
  o.state = cancelled ? OrderState::Cancelled : (fulfillment == "fulfilled" ? OrderState::Closed : OrderState::Open);

  for (auto& line : r.objects("line_items", Need::Required, 500)) {
    // Gift cards and digital goods have nothing for the warehouse to ship.
    if (!line.flag("requires_shipping", true)) continue;
    ChannelLine l;
    l.externalLineId = line.id("id");
    if (auto variant = line.id("variant_id", Need::Optional); !variant.empty()) l.skuKeys.push_back(variant);
    if (auto sku = line.text("sku", Need::Optional, 255); !sku.empty()) l.skuKeys.push_back(sku);
    l.qty = payloads::quantity(line, "quantity");
    if (line.ok() && l.skuKeys.empty()) line.fail("sku", "is required when variant_id is null");
    payloads::addLine(o.lines, std::move(l));
  }
  if (r.ok() && o.lines.empty()) r.fail("line_items", "has no line that requires shipping");

  // Shopify has no fixed service-level field: a shipping line whose code or
  // title says pickup / express decides (docs/channels.md).
  for (auto& s : r.objects("shipping_lines", Need::Optional, 50)) {
    const std::string text = payloads::lower(s.text("code", Need::Optional, 255) + " " + s.text("title", Need::Optional, 255));
    if (text.find("pickup") != std::string::npos) o.serviceLevel = domain::ServiceLevel::StorePickup;
    else if (text.find("express") != std::string::npos && o.serviceLevel == domain::ServiceLevel::Standard)
      o.serviceLevel = domain::ServiceLevel::Express;
  }

  auto a = r.object("shipping_address");
  o.shipTo.name = a.text("name", Need::Optional, 255);
  if (o.shipTo.name.empty()) {
    std::string first = a.text("first_name", Need::Optional, 255), last = a.text("last_name", Need::Optional, 255);
    o.shipTo.name = first + (first.empty() || last.empty() ? "" : " ") + last;
  }
  o.shipTo.company = a.text("company", Need::Optional, 255);
  o.shipTo.line1 = a.text("address1", Need::Optional, 255);
  o.shipTo.line2 = a.text("address2", Need::Optional, 255);
  o.shipTo.city = a.text("city", Need::Optional, 255);
  o.shipTo.region = a.text("province", Need::Optional, 255);
  o.shipTo.postalCode = a.text("zip", Need::Optional, 64);
  o.shipTo.country = a.text("country_code", Need::Optional, 8);
  o.shipTo.phone = a.text("phone", Need::Optional, 64);
  o.shipTo.email = r.text("email", Need::Optional, 255);
  if (o.serviceLevel == domain::ServiceLevel::StorePickup && o.shipTo.name.empty()) {
    auto c = r.object("customer");
    std::string first = c.text("first_name", Need::Optional, 255), last = c.text("last_name", Need::Optional, 255);
    o.shipTo.name = first + (first.empty() || last.empty() ? "" : " ") + last;
  }
  return payloads::finish(r, std::move(o));
}

}  // namespace wms::channels
