// Planning a fulfilment call from the channel's own view of the order
// (pure): which fulfillment order line items (Shopify, from its GraphQL
// fulfillmentOrders answer) or unit rows (Lazada, TikTok) the notice's lines
// stand for.
#include <map>
#include <set>

#include "../PayloadJson.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {
namespace {

using json::Need;

// The notice's units by the channel's line id.
std::map<std::string, std::int64_t> unitsByLine(const ShippedNotice& n) {
  std::map<std::string, std::int64_t> out;
  for (const auto& l : n.lines) out[l.externalLineId] += l.qty;
  return out;
}

struct UnitRow {
  std::string id;
  std::string key;  // the SKU the row is for
  bool open = false;
  bool shipped = false;
};

Result<UnitPlan> pickUnits(const std::vector<UnitRow>& rows, const ShippedNotice& n, const std::string& what) {
  UnitPlan plan;
  std::set<std::string> taken;
  bool allShipped = true;
  for (const auto& [lineId, qty] : unitsByLine(n)) {
    const UnitRow* line = nullptr;
    for (const auto& r : rows) {
      if (r.id == lineId) line = &r;
    }
    if (!line) return Error{ErrorKind::Invalid, what + ": the order has no item " + lineId.substr(0, 100)};
    std::int64_t want = qty, shipped = 0;
    for (const auto& r : rows) {
      if (r.key != line->key || taken.count(r.id)) continue;
      if (r.shipped) {
        ++shipped;
      } else if (r.open && want > 0) {
        plan.unitIds.push_back(r.id);
        taken.insert(r.id);
        --want;
      }
    }
    if (shipped < qty) allShipped = false;
  }
  plan.alreadyShipped = plan.unitIds.empty() && allShipped;
  return plan;
}

}  // namespace

Result<ShopifyFulfilmentPlan> planShopifyFulfilment(std::string_view body, const ShippedNotice& n) {
  auto r = readPayload(body, "Shopify fulfillmentOrders answer");
  if (!r) return r.error();
  auto data = r->object("data", Need::Required);
  if (r->ok() && !data.has("order"))
    return Error{ErrorKind::Invalid,
                 "Shopify has no order " + n.externalId.substr(0, 100) + " (data.order is null)"};
  auto wanted = unitsByLine(n);
  ShopifyFulfilmentPlan plan;
  std::map<std::string, std::size_t> index;  // fulfillment order id -> its place in the plan
  std::int64_t fulfilledBefore = 0;
  auto orders = data.object("order", Need::Required).object("fulfillmentOrders", Need::Required);
  // A page cut short could hide the open lines: refuse rather than plan on half the order.
  auto morePages = [](json::ObjectReader& list) {
    return list.object("pageInfo").flag("hasNextPage", false);
  };
  if (morePages(orders)) orders.fail("pageInfo", "has more fulfillment orders than one page (not supported)");
  for (auto& fo : orders.objects("nodes", Need::Required, 100)) {
    const std::string foId = fo.text("id", Need::NonEmpty, 200);
    const std::string status = fo.text("status", Need::Required, 64);
    auto lines = fo.object("lineItems", Need::Required);
    if (morePages(lines)) lines.fail("pageInfo", "has more line items than one page (not supported)");
    for (auto& li : lines.objects("nodes", Need::Required, 2000)) {
      const std::string itemId = li.text("id", Need::NonEmpty, 200);
      const std::int64_t total = li.integer("totalQuantity", Need::Required, {0, 1000000000});
      const std::int64_t open = li.integer("remainingQuantity", Need::Required, {0, 1000000000});
      const std::string lineGid = li.object("lineItem", Need::Required).text("id", Need::NonEmpty, 200);
      if (!li.ok()) continue;
      if (total < open) {
        li.fail("remainingQuantity", "must be from 0 to totalQuantity");
        continue;
      }
      const std::string lineId = shopifyGidNumber("LineItem", lineGid);
      if (lineId.empty()) {
        li.fail("lineItem", "id must be a gid://shopify/LineItem/ id");
        continue;
      }
      auto it = wanted.find(lineId);
      if (it == wanted.end()) continue;
      fulfilledBefore += total - open;
      if (status != "OPEN" && status != "IN_PROGRESS") continue;
      const std::int64_t take = std::min(open, it->second);
      if (take <= 0) continue;
      auto [slot, added] = index.emplace(foId, plan.byFulfillmentOrder.size());
      if (added) plan.byFulfillmentOrder.push_back({foId, {}});
      plan.byFulfillmentOrder[slot->second].second.emplace_back(itemId, take);
      it->second -= take;
    }
  }
  if (auto st = r->status(); !st) return st.error();
  if (plan.byFulfillmentOrder.empty()) {
    if (fulfilledBefore > 0) {
      plan.alreadyFulfilled = true;
      return plan;
    }
    return Error{ErrorKind::Invalid,
                 "Shopify order " + n.externalId + " has no open fulfillment order line for the lines shipped"};
  }
  return plan;
}

Result<UnitPlan> planLazadaUnits(std::string_view body, const ShippedNotice& n) {
  auto r = readPayload(body, "Lazada GetOrderItems response");
  if (!r) return r.error();
  if (r->has("code") && r->id("code") != "0")
    return Error{ErrorKind::Invalid, "Lazada GetOrderItems: error " + r->id("code").substr(0, 64) + ": " +
                                         r->text("message", Need::Optional, 300)};
  std::vector<UnitRow> rows;
  for (auto& item : r->objects("data", Need::Required, 5000)) {
    UnitRow u;
    u.id = item.id("order_item_id");
    u.key = item.text("sku", Need::Optional, 255) + "\n" + item.id("sku_id", Need::Optional);
    const std::string status = item.text("status", Need::Optional, 64);
    u.open = status == "unpaid" || status == "pending" || status == "packed" || status == "repacked" ||
             status == "topack" || status == "toship";
    u.shipped = status == "ready_to_ship" || status == "shipped" || status == "delivered";
    rows.push_back(std::move(u));
  }
  if (auto st = r->status(); !st) return st.error();
  return pickUnits(rows, n, "Lazada order " + n.externalId);
}

Result<UnitPlan> planTikTokUnits(std::string_view body, const ShippedNotice& n) {
  auto r = readPayload(body, "TikTok Shop Get Order Detail");
  if (!r) return r.error();
  if (auto code = r->integer("code", Need::Optional); code != 0)
    return Error{ErrorKind::Invalid, "TikTok Shop Get Order Detail: error " + std::to_string(code) + ": " +
                                         r->text("message", Need::Optional, 300)};
  std::vector<UnitRow> rows;
  bool found = false;
  for (auto& o : r->object("data", Need::Required).objects("orders", Need::Required, 50)) {
    if (o.id("id") != n.externalId) continue;
    found = true;
    for (auto& item : o.objects("line_items", Need::Required, 5000)) {
      UnitRow u;
      u.id = item.id("id");
      u.key = item.id("sku_id");
      const std::string status = item.text("display_status", Need::Optional, 64);
      u.open = status == "UNPAID" || status == "ON_HOLD" || status == "AWAITING_SHIPMENT" || status == "PARTIALLY_SHIPPING";
      u.shipped = status == "AWAITING_COLLECTION" || status == "IN_TRANSIT" || status == "DELIVERED" || status == "COMPLETED";
      rows.push_back(std::move(u));
    }
  }
  if (auto st = r->status(); !st) return st.error();
  if (!found) return Error{ErrorKind::Invalid, "Get Order Detail: data.orders has no order " + n.externalId};
  return pickUnits(rows, n, "TikTok Shop order " + n.externalId);
}

}  // namespace wms::channels
