#include "Payloads.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <ctime>
#include <sstream>

namespace wms::channelemu {
namespace {

using Obj = Poco::JSON::Object::Ptr;
using Arr = Poco::JSON::Array::Ptr;

Obj object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }
Arr array() { return new Poco::JSON::Array(); }

std::string text(const Obj& o) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(o, out);
  return out.str();
}

bool digits(const std::string& s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "123:456" -> (123, 456) when both are digits.
bool pairOf(const std::string& s, std::string& a, std::string& b) {
  auto colon = s.find(':');
  if (colon == std::string::npos) return false;
  a = s.substr(0, colon);
  b = s.substr(colon + 1);
  return digits(a) && digits(b);
}

Poco::Int64 num(const std::string& s) { return static_cast<Poco::Int64>(std::stoll(s)); }

// A stable number for a text SKU (for ids the channel would have).
Poco::Int64 hashId(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return static_cast<Poco::Int64>(h % 9000000000ULL + 1000000000ULL);
}

const char* kCity = "Singapore";

// Units of a Shopify line not fulfilled yet (0 once the order is cancelled).
std::int64_t fulfillableOfLine(const EmuOrder& o, std::size_t line, const std::string& lineId) {
  if (o.cancelled) return 0;
  auto it = o.shipped.find(lineId);
  return o.lines[line].qty - (it == o.shipped.end() ? 0 : it->second);
}

std::string countryOf(const EmuOrder& o) { return o.country.empty() ? "SG" : o.country; }
// Where addresses carry no postal code (the marketplaces send "" there).
bool noPostalCode(const EmuOrder& o) { return o.country == "VN" || o.country == "HK"; }
std::string cityOf(const EmuOrder& o) {
  if (o.badAddress) return "";
  if (o.country == "VN") return "Ho Chi Minh City";
  if (o.country == "HK") return "Hong Kong";
  return kCity;
}
std::string postalCode(const EmuOrder& o, const char* singapore) {
  return o.badAddress || noPostalCode(o) ? "" : singapore;
}

}  // namespace

std::string isoUtc(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string lazadaTime(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S +0800", &tm);
  return buf;
}

std::string statusOf(const EmuOrder& o) {
  switch (o.channel) {
    case domain::Channel::Shopify: return o.cancelled ? "cancelled" : "open";
    // Updates stay before shipping (we ship): Lazada packed, TikTok paid.
    case domain::Channel::Lazada: return o.cancelled ? "canceled" : (o.updated ? "packed" : "pending");
    case domain::Channel::Shopee: return o.cancelled ? "CANCELLED" : (o.updated ? "PROCESSED" : "READY_TO_SHIP");
    case domain::Channel::TikTok: return o.cancelled ? "CANCELLED" : (o.updated ? "AWAITING_SHIPMENT" : "UNPAID");
    case domain::Channel::Amazon: return o.cancelled ? "Canceled" : "Unshipped";
    default: return "open";
  }
}

std::vector<std::vector<std::string>> lineIds(const EmuOrder& o) {
  std::vector<std::vector<std::string>> out;
  std::int64_t unit = 0;
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    const auto& l = o.lines[i];
    std::vector<std::string> ids;
    switch (o.channel) {
      case domain::Channel::Shopify: ids.push_back(std::to_string(num(o.id) % 1000000000000LL * 10 + static_cast<Poco::Int64>(i + 1))); break;
      case domain::Channel::Lazada:
        for (std::int64_t u = 0; u < l.qty; ++u) ids.push_back(std::to_string(num(o.id) % 100000000000LL * 100 + (++unit)));
        break;
      case domain::Channel::TikTok:
        for (std::int64_t u = 0; u < l.qty; ++u) ids.push_back(o.id + "-" + std::to_string(++unit));
        break;
      case domain::Channel::Amazon: ids.push_back(o.id.substr(0, 3) + std::to_string(100000 + i + 1)); break;
      default: ids.push_back(l.channelSku); break;
    }
    out.push_back(std::move(ids));
  }
  return out;
}

std::string shopifyFulfillmentOrderId(const EmuOrder& o) { return std::to_string(num(o.id) % 1000000000000LL * 10 + 5000000000000000LL); }

std::string shopifyFulfillmentOrderLineId(const std::string& lineItemId) { return std::to_string(num(lineItemId) + 7000000000000000LL); }

std::string shopifyFulfillmentOrders(const EmuOrder& o) {
  auto j = object();
  auto list = array();
  auto fo = object();
  fo->set("id", num(shopifyFulfillmentOrderId(o)));
  fo->set("shop_id", 548380009);
  fo->set("order_id", num(o.id));
  fo->set("assigned_location_id", 655441491);
  fo->set("request_status", "unsubmitted");
  auto items = array();
  const auto ids = lineIds(o);
  std::int64_t open = 0;
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    const std::string& lineId = ids[i].front();
    const std::int64_t left = fulfillableOfLine(o, i, lineId);
    open += left;
    auto li = object();
    li->set("id", num(shopifyFulfillmentOrderLineId(lineId)));
    li->set("shop_id", 548380009);
    li->set("fulfillment_order_id", num(shopifyFulfillmentOrderId(o)));
    li->set("line_item_id", num(lineId));
    li->set("quantity", static_cast<Poco::Int64>(o.lines[i].qty));
    li->set("fulfillable_quantity", static_cast<Poco::Int64>(left));
    items->add(li);
  }
  fo->set("status", o.cancelled ? "cancelled" : (open == 0 ? "closed" : "open"));
  fo->set("line_items", items);
  list->add(fo);
  j->set("fulfillment_orders", list);
  return text(j);
}

std::string shopifyFulfillmentOrdersGraphql(const EmuOrder& o) {
  auto order = object();
  order->set("id", "gid://shopify/Order/" + o.id);
  auto nodes = array();
  auto fo = object();
  fo->set("id", "gid://shopify/FulfillmentOrder/" + shopifyFulfillmentOrderId(o));
  auto items = array();
  const auto ids = lineIds(o);
  std::int64_t open = 0;
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    const std::string& lineId = ids[i].front();
    const std::int64_t left = fulfillableOfLine(o, i, lineId);
    open += left;
    auto li = object();
    li->set("id", "gid://shopify/FulfillmentOrderLineItem/" + shopifyFulfillmentOrderLineId(lineId));
    li->set("totalQuantity", static_cast<Poco::Int64>(o.lines[i].qty));
    li->set("remainingQuantity", static_cast<Poco::Int64>(left));
    auto line = object();
    line->set("id", "gid://shopify/LineItem/" + lineId);
    li->set("lineItem", line);
    items->add(li);
  }
  fo->set("status", o.cancelled ? "CANCELLED" : (open == 0 ? "CLOSED" : "OPEN"));
  auto lineItems = object();
  lineItems->set("nodes", items);
  auto page = object();
  page->set("hasNextPage", false);
  lineItems->set("pageInfo", page);
  fo->set("lineItems", lineItems);
  nodes->add(fo);
  auto fos = object();
  fos->set("nodes", nodes);
  fos->set("pageInfo", page);
  order->set("fulfillmentOrders", fos);
  return text(order);
}

std::string shopifyOrder(const EmuOrder& o) {
  auto j = object();
  j->set("id", num(o.id));
  j->set("admin_graphql_api_id", "gid://shopify/Order/" + o.id);
  j->set("name", "#" + o.id.substr(o.id.size() > 4 ? o.id.size() - 4 : 0));
  j->set("email", "ann.tan@example.com");
  j->set("created_at", isoUtc(o.createdSec));
  j->set("updated_at", isoUtc(o.updatedSec));
  j->set("cancelled_at", o.cancelled ? Poco::Dynamic::Var(isoUtc(o.updatedSec)) : Poco::Dynamic::Var());
  j->set("cancel_reason", o.cancelled ? Poco::Dynamic::Var("customer") : Poco::Dynamic::Var());
  j->set("financial_status", o.updated ? "paid" : "pending");
  j->set("fulfillment_status", Poco::Dynamic::Var());
  auto items = array();
  const auto ids = lineIds(o);
  std::size_t n = 0;
  for (const auto& l : o.lines) {
    auto li = object();
    li->set("id", num(ids[n++].front()));
    if (digits(l.channelSku)) {
      li->set("variant_id", num(l.channelSku));
      li->set("sku", "");
    } else {
      li->set("variant_id", Poco::Dynamic::Var());
      li->set("sku", l.channelSku);
    }
    li->set("title", "Item " + l.channelSku);
    li->set("quantity", static_cast<Poco::Int64>(l.qty));
    li->set("requires_shipping", true);
    items->add(li);
  }
  j->set("line_items", items);
  auto a = object();
  a->set("first_name", "Ann");
  a->set("last_name", "Tan");
  a->set("name", "Ann Tan");
  a->set("address1", "1 Orchard Road");
  a->set("address2", "#05-01");
  a->set("city", cityOf(o));
  a->set("province", Poco::Dynamic::Var());
  a->set("zip", postalCode(o, "238823"));
  a->set("country_code", countryOf(o));
  a->set("phone", "+65 6123 4567");
  if (!o.pickup) j->set("shipping_address", a);
  auto lines = array();
  auto sl = object();
  sl->set("code", o.pickup ? "Store pickup" : "Standard");
  sl->set("title", o.pickup ? "Pickup in store" : "Standard shipping");
  lines->add(sl);
  j->set("shipping_lines", lines);
  auto customer = object();
  customer->set("first_name", "Ann");
  customer->set("last_name", "Tan");
  j->set("customer", customer);
  return text(j);
}

std::string lazadaPush(const EmuOrder& o) {
  auto j = object();
  j->set("seller_id", "1234567");
  j->set("message_type", 0);
  auto d = object();
  d->set("order_status", statusOf(o));
  d->set("status_update_time", static_cast<Poco::Int64>(o.updatedSec));
  d->set("trade_order_id", o.id);
  d->set("trade_order_line_id", o.id + "1");
  j->set("data", d);
  j->set("timestamp", static_cast<Poco::Int64>(o.updatedSec) * 1000);
  j->set("site", "lazada_sg");
  return text(j);
}

std::string lazadaGetOrder(const EmuOrder& o) {
  auto j = object();
  j->set("code", "0");
  j->set("request_id", "0ba2887315178178017221014");
  auto d = object();
  d->set("order_id", num(o.id));
  d->set("order_number", num(o.id));
  d->set("created_at", lazadaTime(o.createdSec));
  d->set("updated_at", lazadaTime(o.updatedSec));
  auto statuses = array();
  statuses->add(statusOf(o));
  d->set("statuses", statuses);
  std::int64_t count = 0;
  for (const auto& l : o.lines) count += l.qty;
  d->set("items_count", static_cast<Poco::Int64>(count));
  auto a = object();
  a->set("first_name", "Budi");
  a->set("last_name", "Santoso");
  a->set("phone", "6591234567");
  a->set("address1", "10 Tampines Central 1");
  a->set("address2", "");
  a->set("city", cityOf(o));
  a->set("post_code", postalCode(o, "529536"));
  a->set("country", o.country == "VN" ? "Vietnam" : (o.country == "HK" ? "Hong Kong" : "Singapore"));
  d->set("address_shipping", a);
  j->set("data", d);
  return text(j);
}

std::string lazadaGetOrderItems(const EmuOrder& o) {
  auto j = object();
  j->set("code", "0");
  j->set("request_id", "0ba2887315178178017221015");
  auto items = array();
  const auto ids = lineIds(o);
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    const auto& l = o.lines[i];
    for (const auto& unit : ids[i]) {
      auto it = object();
      it->set("order_item_id", num(unit));
      it->set("order_id", num(o.id));
      it->set("sku", l.channelSku);
      it->set("shop_sku", l.channelSku + "-SG");
      it->set("status", o.shipped.count(unit) ? std::string("ready_to_ship")
                        : o.packed.count(unit) ? std::string("packed") : statusOf(o));
      it->set("shipping_provider_type", "standard");
      it->set("name", "Item " + l.channelSku);
      items->add(it);
    }
  }
  j->set("data", items);
  return text(j);
}

std::string shopeePush(const EmuOrder& o) {
  auto j = object();
  j->set("shop_id", 1001);
  j->set("code", 3);
  j->set("timestamp", static_cast<Poco::Int64>(o.updatedSec));
  auto d = object();
  d->set("ordersn", o.id);
  d->set("status", statusOf(o));
  d->set("update_time", static_cast<Poco::Int64>(o.updatedSec));
  j->set("data", d);
  return text(j);
}

std::string shopeeOrderDetail(const std::vector<EmuOrder>& orders) {
  auto j = object();
  j->set("error", "");
  j->set("message", "");
  j->set("request_id", "b937c04e554847789cbf3fe33a0ad5f1");
  auto list = array();
  for (const auto& o : orders) {
    auto d = object();
    d->set("order_sn", o.id);
    d->set("order_status", statusOf(o));
    d->set("create_time", static_cast<Poco::Int64>(o.createdSec));
    d->set("update_time", static_cast<Poco::Int64>(o.updatedSec));
    d->set("region", "SG");
    d->set("currency", "SGD");
    auto items = array();
    for (const auto& l : o.lines) {
      auto it = object();
      std::string a, b;
      if (pairOf(l.channelSku, a, b)) {
        it->set("item_id", num(a));
        it->set("model_id", num(b));
        it->set("model_sku", "");
      } else {
        it->set("item_id", hashId(l.channelSku));
        it->set("model_id", 0);
        it->set("model_sku", l.channelSku);
      }
      it->set("item_sku", "");
      it->set("item_name", "Item " + l.channelSku);
      it->set("model_quantity_purchased", static_cast<Poco::Int64>(l.qty));
      items->add(it);
    }
    d->set("item_list", items);
    auto a = object();
    a->set("name", "Siti Rahman");
    a->set("phone", "6598765432");
    a->set("town", "");
    a->set("district", "");
    a->set("city", cityOf(o));
    a->set("state", "");
    a->set("region", countryOf(o));
    a->set("zipcode", postalCode(o, "018956"));
    a->set("full_address", "8 Marina View, #20-01");
    d->set("recipient_address", a);
    list->add(d);
  }
  auto resp = object();
  resp->set("order_list", list);
  j->set("response", resp);
  return text(j);
}

std::string tiktokWebhook(const EmuOrder& o, const std::string& notificationId) {
  auto j = object();
  j->set("type", 1);
  if (!notificationId.empty()) j->set("tts_notification_id", notificationId);
  j->set("shop_id", "7494049642642441621");
  j->set("timestamp", static_cast<Poco::Int64>(o.updatedSec));
  auto d = object();
  d->set("is_on_hold_order", false);
  d->set("order_id", o.id);
  d->set("order_status", statusOf(o));
  d->set("update_time", static_cast<Poco::Int64>(o.updatedSec));
  j->set("data", d);
  return text(j);
}

std::string tiktokOrderDetail(const std::vector<EmuOrder>& orders) {
  auto j = object();
  j->set("code", 0);
  j->set("message", "Success");
  j->set("request_id", "202203070749000101890810281E8C70B7");
  auto list = array();
  for (const auto& o : orders) {
    auto d = object();
    d->set("id", o.id);
    d->set("status", statusOf(o));
    d->set("create_time", static_cast<Poco::Int64>(o.createdSec));
    d->set("update_time", static_cast<Poco::Int64>(o.updatedSec));
    auto items = array();
    const auto unitIds = lineIds(o);
    for (std::size_t i = 0; i < o.lines.size(); ++i) {
      const auto& l = o.lines[i];
      std::string product, sku;
      const bool ids = pairOf(l.channelSku, product, sku);
      for (const auto& unit : unitIds[i]) {
        auto it = object();
        it->set("id", unit);
        it->set("product_id", ids ? product : std::to_string(hashId(l.channelSku)));
        it->set("sku_id", ids ? sku : std::to_string(hashId(l.channelSku) + 1));
        it->set("seller_sku", ids ? "" : l.channelSku);
        it->set("display_status", o.shipped.count(unit) ? std::string("AWAITING_COLLECTION") : statusOf(o));
        items->add(it);
      }
    }
    d->set("line_items", items);
    auto a = object();
    a->set("name", "Nguyen Van An");
    a->set("phone_number", "(+65)91234567");
    a->set("address_line1", "21 Lower Kent Ridge Road");
    a->set("address_line2", "");
    a->set("postal_code", postalCode(o, "119077"));
    a->set("region_code", countryOf(o));
    auto districts = array();
    auto country = object();
    country->set("address_level_name", "Country");
    country->set("address_name", "Singapore");
    districts->add(country);
    if (!o.badAddress) {
      auto city = object();
      city->set("address_level_name", "City");
      city->set("address_name", cityOf(o));
      districts->add(city);
    }
    a->set("district_info", districts);
    d->set("recipient_address", a);
    list->add(d);
  }
  auto data = object();
  data->set("orders", list);
  j->set("data", data);
  return text(j);
}

std::string amazonOrders(const std::vector<EmuOrder>& orders, const std::string& nextToken,
                         const std::string& lastUpdatedBefore, bool withPii) {
  auto j = object();
  auto p = object();
  auto list = array();
  for (const auto& o : orders) {
    auto d = object();
    d->set("AmazonOrderId", o.id);
    d->set("PurchaseDate", isoUtc(o.createdSec));
    d->set("LastUpdateDate", isoUtc(o.updatedSec));
    d->set("OrderStatus", statusOf(o));
    d->set("FulfillmentChannel", "MFN");
    d->set("ShipmentServiceLevelCategory", "Standard");
    auto a = object();
    if (withPii) {
      a->set("Name", "Mei Lin");
      a->set("AddressLine1", "2 Science Park Drive");
      a->set("Phone", "+65 6777 1234");
    }
    a->set("City", cityOf(o));
    a->set("PostalCode", postalCode(o, "118222"));
    a->set("CountryCode", countryOf(o));
    d->set("ShippingAddress", a);
    list->add(d);
  }
  p->set("Orders", list);
  if (!nextToken.empty()) p->set("NextToken", nextToken);
  if (!lastUpdatedBefore.empty()) p->set("LastUpdatedBefore", lastUpdatedBefore);
  j->set("payload", p);
  return text(j);
}

std::string amazonOrderItems(const EmuOrder& o) {
  auto j = object();
  auto p = object();
  p->set("AmazonOrderId", o.id);
  auto items = array();
  const auto ids = lineIds(o);
  std::size_t n = 0;
  for (const auto& l : o.lines) {
    auto it = object();
    it->set("ASIN", "B0" + std::to_string(hashId(l.channelSku)).substr(0, 8));
    it->set("SellerSKU", l.channelSku);
    it->set("OrderItemId", ids[n++].front());
    it->set("Title", "Item " + l.channelSku);
    it->set("QuantityOrdered", static_cast<Poco::Int64>(o.cancelled ? 0 : l.qty));
    items->add(it);
  }
  p->set("OrderItems", items);
  j->set("payload", p);
  return text(j);
}

}  // namespace wms::channelemu
