// Telling a channel its order shipped, in each channel's own call shape
// (docs/channels.md, "Orders shipped", lists the calls and their sources).
#include <map>
#include <set>

#include "ChannelApi.h"
#include "JsonReader.h"
#include "wms/channels/Signatures.h"

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

// Lazada and TikTok give one item row per unit; an order line we keep (and
// the line id it arrived with) stands for all rows of the same SKU. Picks
// `qty` unit ids per line among the rows not shipped yet.
struct UnitRow {
  std::string id;
  std::string key;  // the SKU the row is for
  bool open = false;
  bool shipped = false;
};

Result<std::vector<std::string>> pickUnits(const std::vector<UnitRow>& rows, const ShippedNotice& n,
                                           const std::string& what, bool& alreadyShipped) {
  std::vector<std::string> ids;
  std::set<std::string> taken;
  bool allShipped = true;
  for (const auto& [lineId, qty] : unitsByLine(n)) {
    const UnitRow* line = nullptr;
    for (const auto& r : rows) {
      if (r.id == lineId) line = &r;
    }
    if (!line) return Error{ErrorKind::Invalid, what + ": the order has no item " + lineId};
    std::int64_t want = qty, shipped = 0;
    for (const auto& r : rows) {
      if (r.key != line->key || taken.count(r.id)) continue;
      if (r.shipped) {
        ++shipped;
      } else if (r.open && want > 0) {
        ids.push_back(r.id);
        taken.insert(r.id);
        --want;
      }
    }
    if (shipped < qty) allShipped = false;
  }
  alreadyShipped = ids.empty() && allShipped;
  return ids;
}

}  // namespace

Status ChannelApi::pushFulfilment(const ShippedNotice& n) {
  switch (channel_) {
    case domain::Channel::Shopify: {
      // Fulfillments are made against the order's fulfillment orders: find
      // the fulfillment order line items of our lines first.
      auto fos = call("GET", "/admin/api/2024-01/orders/" + urlEncode(n.externalId) + "/fulfillment_orders.json", {},
                      {{"X-Shopify-Access-Token", settings_.accessToken}});
      if (!fos) return fos.error();
      auto r = json::Reader::parse(*fos, "Shopify fulfillment orders");
      if (!r) return r.error();
      auto wanted = unitsByLine(n);
      std::map<std::string, std::vector<std::pair<std::string, std::int64_t>>> byOrder;  // fo id -> (fo line id, qty)
      std::int64_t remaining = 0, fulfilledBefore = 0;
      for (const auto& [line, qty] : wanted) remaining += qty;
      for (auto& fo : r->objects("fulfillment_orders", Need::Required, 100)) {
        const std::string foId = fo.id("id");
        const std::string status = fo.text("status", Need::Optional, 64);
        for (auto& li : fo.objects("line_items", Need::Required, 2000)) {
          auto it = wanted.find(li.id("line_item_id"));
          if (it == wanted.end()) continue;
          const std::int64_t open = li.integer("fulfillable_quantity", Need::Required);
          const std::int64_t total = li.integer("quantity", Need::Optional, open);
          fulfilledBefore += std::max<std::int64_t>(0, total - open);
          if (status != "open" && status != "in_progress") continue;
          const std::int64_t take = std::min(open, it->second);
          if (take <= 0) continue;
          byOrder[foId].emplace_back(li.id("id"), take);
          it->second -= take;
          remaining -= take;
        }
      }
      if (auto st = r->status(); !st) return st.error();
      if (byOrder.empty()) {
        // Nothing left to fulfil: done already (our earlier push whose answer was lost).
        if (fulfilledBefore > 0) return {};
        return Error{ErrorKind::Invalid, "Shopify order " + n.externalId + " has no open fulfillment order line for the lines shipped"};
      }
      std::string groups;
      for (const auto& [foId, items] : byOrder) {
        std::string list;
        for (const auto& [id, qty] : items)
          list += (list.empty() ? "" : ",") + std::string("{\"id\":") + jsonId(id) + ",\"quantity\":" + std::to_string(qty) + "}";
        groups += (groups.empty() ? "" : ",") + std::string("{\"fulfillment_order_id\":") + jsonId(foId) +
                  ",\"fulfillment_order_line_items\":[" + list + "]}";
      }
      const std::string body = "{\"fulfillment\":{\"line_items_by_fulfillment_order\":[" + groups +
                               "],\"tracking_info\":{\"number\":" + jsonString(n.trackingNumber) +
                               ",\"company\":" + jsonString(carrierLabel(n)) + "},\"notify_customer\":true}}";
      auto created = call("POST", "/admin/api/2024-01/fulfillments.json", body,
                          {{"X-Shopify-Access-Token", settings_.accessToken}});
      if (!created) return created.error();
      return {};
    }
    case domain::Channel::Lazada: {
      // SetStatusToPackedByMarketplace, then SetStatusToReadyToShip with our
      // tracking number, for the order's item rows (one per unit).
      auto items = call("GET", lazadaQuery("/order/items/get", {{"order_id", n.externalId}}), {}, {});
      if (!items) return items.error();
      auto r = json::Reader::parse(*items, "Lazada GetOrderItems response");
      if (!r) return r.error();
      if (r->has("code") && r->id("code") != "0")
        return Error{ErrorKind::Invalid, "Lazada GetOrderItems: error " + r->id("code") + ": " + r->text("message", Need::Optional, 300)};
      std::vector<UnitRow> rows;
      for (auto& item : r->objects("data", Need::Required, 5000)) {
        UnitRow u;
        u.id = item.id("order_item_id");
        u.key = item.text("sku", Need::Optional, 255) + "\n" + item.id("sku_id", Need::Optional);
        const std::string status = item.text("status", Need::Optional, 64);
        u.open = status == "pending" || status == "packed" || status == "repacked" || status == "topack" ||
                 status == "toship" || status == "unpaid";
        u.shipped = status == "ready_to_ship" || status == "shipped" || status == "delivered";
        rows.push_back(std::move(u));
      }
      if (auto st = r->status(); !st) return st.error();
      bool already = false;
      auto ids = pickUnits(rows, n, "Lazada order " + n.externalId, already);
      if (!ids) return ids.error();
      if (ids->empty()) {
        if (already) return {};
        return Error{ErrorKind::Invalid, "Lazada order " + n.externalId + " has no items left to ship"};
      }
      const std::string itemIds = jsonArrayOf(*ids);
      auto check = [&](const Result<std::string>& reply, const std::string& what) -> Status {
        if (!reply) return reply.error();
        auto p = json::Reader::parse(*reply, "Lazada " + what + " response");
        if (!p) return p.error();
        const std::string code = p->has("code") ? p->id("code") : "0";
        if (code != "0")
          return Error{ErrorKind::Invalid, "Lazada " + what + ": error " + code + ": " + p->text("message", Need::Optional, 300)};
        return {};
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
      auto p = json::Reader::parse(*reply, "Shopee ship_order response");
      if (!p) return p.error();
      if (auto err = p->text("error", Need::Optional, 200); !err.empty())
        return Error{ErrorKind::Invalid, "Shopee ship_order: " + err + ": " + p->text("message", Need::Optional, 300)};
      return {};
    }
    case domain::Channel::TikTok: {
      // Mark Package As Shipped: the order's line item ids (one per unit)
      // with our tracking number and shipping provider.
      auto detail = call("GET", tiktokQuery("/order/202309/orders", {{"ids", n.externalId}}, ""), {},
                         {{"x-tts-access-token", settings_.accessToken}});
      if (!detail) return detail.error();
      auto r = json::Reader::parse(*detail, "TikTok Shop Get Order Detail");
      if (!r) return r.error();
      if (auto code = r->integer("code", Need::Optional, 0); code != 0)
        return Error{ErrorKind::Invalid, "TikTok Shop Get Order Detail: error " + std::to_string(code) + ": " + r->text("message", Need::Optional, 300)};
      std::vector<UnitRow> rows;
      for (auto& o : r->object("data", Need::Required).objects("orders", Need::Required, 50)) {
        if (o.id("id") != n.externalId) continue;
        for (auto& item : o.objects("line_items", Need::Required, 5000)) {
          UnitRow u;
          u.id = item.id("id");
          u.key = item.id("sku_id");
          const std::string status = item.text("display_status", Need::Optional, 64);
          u.open = status == "AWAITING_SHIPMENT" || status == "UNPAID" || status == "ON_HOLD" || status == "PARTIALLY_SHIPPING";
          u.shipped = status == "AWAITING_COLLECTION" || status == "IN_TRANSIT" || status == "DELIVERED" || status == "COMPLETED";
          rows.push_back(std::move(u));
        }
      }
      if (auto st = r->status(); !st) return st.error();
      bool already = false;
      auto ids = pickUnits(rows, n, "TikTok Shop order " + n.externalId, already);
      if (!ids) return ids.error();
      if (ids->empty()) {
        if (already) return {};
        return Error{ErrorKind::Invalid, "TikTok Shop order " + n.externalId + " has no line items left to ship"};
      }
      std::string idList;
      for (const auto& id : *ids) idList += (idList.empty() ? "" : ",") + jsonString(id);
      const std::string path = "/fulfillment/202309/orders/" + urlEncode(n.externalId) + "/packages";
      const std::string body = "{\"order_line_item_ids\":[" + idList + "],\"tracking_number\":" +
                               jsonString(n.trackingNumber) + ",\"shipping_provider_id\":" + jsonString(n.carrierCode) + "}";
      auto reply = call("POST", tiktokQuery(path, {}, body), body, {{"x-tts-access-token", settings_.accessToken}});
      if (!reply) return reply.error();
      auto p = json::Reader::parse(*reply, "TikTok Shop Mark Package As Shipped response");
      if (!p) return p.error();
      if (auto code = p->integer("code", Need::Optional, 0); code != 0)
        return Error{ErrorKind::Invalid, "TikTok Shop Mark Package As Shipped: error " + std::to_string(code) + ": " +
                                             p->text("message", Need::Optional, 300)};
      return {};
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
                         ",\"carrierCode\":" + jsonString(n.carrierCode) + ",\"carrierName\":" + jsonString(carrierLabel(n)) +
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
