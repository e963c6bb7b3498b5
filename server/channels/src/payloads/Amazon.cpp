// Amazon SP-API Orders v0: getOrders pages and getOrderItems.
#include <set>

#include "Common.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {
namespace {

using json::Need;

OrderState stateOf(const std::string& status) {
  static const std::set<std::string> open = {"Pending", "Unshipped", "PartiallyShipped", "PendingAvailability"};
  if (status == "Canceled") return OrderState::Cancelled;
  if (open.count(status)) return OrderState::Open;
  return OrderState::Closed;  // Shipped, InvoiceUnconfirmed, Unfulfillable
}

// SP-API errors come as {"errors":[{"code":..., "message":...}]}.
Status apiErrors(json::ObjectReader& r, const char* what) {
  auto errors = r.objects("errors", Need::Optional, 50);
  if (!errors.empty()) {
    return Error{ErrorKind::Invalid, std::string(what) + ": Amazon error " + errors[0].text("code", Need::Optional, 100) +
                                         ": " + errors[0].text("message", Need::Optional, 500)};
  }
  return r.status();
}

}  // namespace

Result<AmazonOrderPage> parseAmazonOrders(std::string_view body) {
  auto parsed = readPayload(body, "Amazon getOrders response");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  if (auto st = apiErrors(r, "getOrders"); !st) return st.error();
  auto p = r.object("payload", Need::Required);
  AmazonOrderPage page;
  page.nextToken = p.text("NextToken", Need::Optional, 4000);
  page.lastUpdatedBeforeMs = payloads::timestamp(p, "LastUpdatedBefore", Need::Optional);
  for (auto& d : p.objects("Orders", Need::Required, 500)) {
    const std::string channel = d.text("FulfillmentChannel", Need::Optional, 8);
    if (channel == "AFN") {
      ++page.skippedAfn;
      continue;
    }
    ChannelOrder o;
    o.channel = domain::Channel::Amazon;
    o.externalId = d.id("AmazonOrderId");
    o.channelStatus = d.text("OrderStatus", Need::Required, 64);
    o.state = stateOf(o.channelStatus);
    o.createdAtMs = payloads::timestamp(d, "PurchaseDate", Need::Required);
    o.updatedAtMs = payloads::timestamp(d, "LastUpdateDate", Need::Required);
    static const std::set<std::string> fast = {"Expedited", "NextDay", "SameDay", "SecondDay", "Priority"};
    if (fast.count(d.text("ShipmentServiceLevelCategory", Need::Optional, 64)))
      o.serviceLevel = domain::ServiceLevel::Express;
    auto a = d.object("ShippingAddress");
    o.shipTo.name = a.text("Name", Need::Optional, 255);
    o.shipTo.line1 = a.text("AddressLine1", Need::Optional, 255);
    o.shipTo.line2 = a.text("AddressLine2", Need::Optional, 255);
    o.shipTo.city = a.text("City", Need::Optional, 255);
    o.shipTo.region = a.text("StateOrRegion", Need::Optional, 255);
    o.shipTo.postalCode = a.text("PostalCode", Need::Optional, 64);
    o.shipTo.country = payloads::countryCode(a.text("CountryCode", Need::Optional, 8));
    o.shipTo.phone = a.text("Phone", Need::Optional, 64);
    page.orders.push_back(std::move(o));
  }
  if (auto st = r.status(); !st) return st.error();
  return page;
}

Result<AmazonItemsPage> parseAmazonOrderItems(std::string_view body) {
  auto parsed = readPayload(body, "Amazon getOrderItems response");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  if (auto st = apiErrors(r, "getOrderItems"); !st) return st.error();
  auto p = r.object("payload", Need::Required);
  AmazonItemsPage page;
  page.nextToken = p.text("NextToken", Need::Optional, 4000);
  for (auto& item : p.objects("OrderItems", Need::Required, 500)) {
    const std::int64_t q = item.integer("QuantityOrdered", Need::Required);
    ChannelLine l;
    l.skuKeys.push_back(item.text("SellerSKU", Need::Required, 255));
    if (auto asin = item.text("ASIN", Need::Optional, 20); !asin.empty()) l.skuKeys.push_back(asin);
    l.externalLineId = item.id("OrderItemId");
    if (item.ok() && (q < 0 || q > domain::kMaxQuantity)) item.fail("QuantityOrdered", "is out of range");
    l.qty = q;
    if (q > 0) payloads::addLine(page.lines, std::move(l));  // 0: the item was cancelled
  }
  if (auto st = r.status(); !st) return st.error();
  return page;
}

Status readAmazonListingsSubmission(std::string_view body) {
  // HTTP 200 also when Amazon refused the patch: status INVALID with issues
  // of severity ERROR.
  auto parsed = readPayload(body, "Amazon patchListingsItem response");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  const std::string status = r.text("status", Need::Required, 32);
  auto issues = r.objects("issues", Need::Optional, 100);
  std::string why;
  for (auto& issue : issues) {
    if (issue.text("severity", Need::Optional, 16) != "ERROR") continue;
    why += (why.empty() ? "" : "; ") + issue.text("code", Need::Optional, 50) + " " +
           issue.text("message", Need::Optional, 300);
  }
  if (auto st = r.status(); !st) return st.error();
  if (status == "ACCEPTED") return {};
  return Error{ErrorKind::Invalid, "Amazon patchListingsItem " + status + (why.empty() ? "" : ": " + why)};
}

}  // namespace wms::channels
