#include "ChannelRoutes.h"

#include "Json.h"
#include "Mapping.h"
#include "wms/domain/Csv.h"

namespace wms::server::http {
namespace {

using json::stringify;

Response ok(const Poco::JSON::Object::Ptr& body, int status = 200) { return Response::json(status, stringify(body)); }

Result<domain::Channel> channelOf(const std::string& text) {
  auto c = domain::channelFromString(text);
  if (!c) return Error{ErrorKind::NotFound, "no channel '" + text + "'"};
  return *c;
}

Poco::JSON::Object::Ptr toJson(const channels::ListingView& v) {
  auto o = json::object();
  o->set("channel", domain::toString(v.listing.channel));
  o->set("sku", v.listing.sku);
  o->set("channel_sku", v.listing.channelSku);
  o->set("listing_ref", v.listing.listingRef);
  o->set("buffer", v.listing.policy.buffer);
  o->set("cap", v.listing.policy.cap ? Poco::Dynamic::Var(*v.listing.policy.cap) : Poco::Dynamic::Var());
  o->set("percent", v.listing.policy.percent);
  o->set("available", v.available);
  o->set("atp", v.atp);
  o->set("pushed", v.pushed ? Poco::Dynamic::Var(*v.pushed) : Poco::Dynamic::Var());
  o->set("pushed_at", v.pushedAtMs ? Poco::Dynamic::Var(json::isoTime(v.pushedAtMs)) : Poco::Dynamic::Var());
  o->set("pending", v.pending ? Poco::Dynamic::Var(*v.pending) : Poco::Dynamic::Var());
  o->set("attempts", v.attempts);
  o->set("last_error", v.lastError);
  o->set("in_sync", !v.pending && v.pushed && *v.pushed == v.atp);
  o->set("refused_since", v.refusedAtMs ? Poco::Dynamic::Var(json::isoTime(v.refusedAtMs)) : Poco::Dynamic::Var());
  return o;
}

Poco::JSON::Object::Ptr toJson(const channels::ReturnRecord& r) {
  auto o = json::object();
  o->set("return_id", r.input.returnId);
  o->set("order_id", r.orderId ? Poco::Dynamic::Var(r.orderId) : Poco::Dynamic::Var());
  o->set("pos_sale_id", r.input.posSaleId.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.input.posSaleId));
  o->set("location", r.input.location);
  o->set("received_at", json::isoTime(r.receivedAtMs));
  o->set("restocked", r.restocked);
  o->set("written_off", r.writtenOff);
  o->set("replayed", r.replayed);
  auto lines = json::array();
  for (const auto& l : r.input.lines) {
    auto lo = json::object();
    lo->set("sku", l.sku);
    lo->set("qty", l.qty);
    lo->set("condition", l.condition == channels::ReturnCondition::Sellable ? "sellable" : "damaged");
    if (!l.lot.empty()) lo->set("lot", l.lot);
    if (!l.expiry.empty()) lo->set("expiry", l.expiry);
    lines->add(lo);
  }
  o->set("lines", lines);
  if (!r.input.note.empty()) o->set("note", r.input.note);
  return o;
}

}  // namespace

void addChannelRoutes(Router& router, const ServerConfig& config, Metrics& metrics, channels::ChannelHub& hub) {
  const std::size_t maxBody = config.maxBodyBytes;

  router.add(
      "POST", "/api/v1/channels/{channel}/webhooks",
      [&hub, &metrics](const Request& req) {
        auto channel = channelOf(req.params[0]);
        if (!channel) return Response::error(channel.error());
        channels::WebhookRequest w{*channel, req.headers, req.body};
        auto r = hub.handleWebhook(w);
        metrics.add("channel_webhooks_total",
                    "channel=\"" + req.params[0] + "\",status=\"" + std::to_string(r.status) + "\"");
        // Shopee's acknowledgement has no body at all.
        if (r.body.empty()) return Response::text(r.status, "");
        return Response::json(r.status, r.body);
      },
      maxBody);

  router.add("GET", "/api/v1/channels", [&hub](const Request&) {
    auto all = hub.status();
    if (!all) return Response::error(all.error());
    auto o = json::object();
    auto arr = json::array();
    for (const auto& c : *all) {
      auto co = json::object();
      co->set("channel", domain::toString(c.channel));
      co->set("enabled", c.enabled);
      co->set("listings", c.listings);
      co->set("pending_pushes", c.pendingPushes);
      co->set("out_of_sync", c.outOfSync);
      co->set("pending_fetches", c.pendingFetches);
      co->set("orders_seen", c.ordersSeen);
      co->set("pushes_ok", c.pushesOk);
      co->set("pushes_failed", c.pushesFailed);
      co->set("pending_fulfilments", c.pendingFulfilments);
      co->set("fulfilments_sent", c.fulfilmentsSent);
      co->set("refused_pushes", c.refusedPushes);
      auto refusals = json::array();
      for (const auto& r : c.refusals) {
        auto ro = json::object();
        ro->set("sku", r.sku);
        ro->set("reason", r.reason);
        ro->set("since", json::isoTime(r.sinceMs));
        ro->set("attempts", r.attempts);
        refusals->add(ro);
      }
      co->set("refusals", refusals);
      co->set("last_error", c.lastError);
      arr->add(co);
    }
    o->set("channels", arr);
    return ok(o);
  });

  auto listingRoute = [&hub](const Request& req, bool onlyOutOfSync) {
    auto channel = channelOf(req.params[0]);
    if (!channel) return Response::error(channel.error());
    auto rows = hub.listings(*channel, onlyOutOfSync || req.q("out_of_sync") == "1" || req.q("out_of_sync") == "true");
    if (!rows) return Response::error(rows.error());
    auto o = json::object();
    o->set("channel", req.params[0]);
    if (onlyOutOfSync) o->set("in_sync", rows->empty());
    auto arr = json::array();
    for (const auto& v : *rows) arr->add(toJson(v));
    o->set(onlyOutOfSync ? "out_of_sync" : "items", arr);
    return ok(o);
  };
  router.add("GET", "/api/v1/channels/{channel}/listings", [listingRoute](const Request& req) { return listingRoute(req, false); });
  router.add("GET", "/api/v1/channels/{channel}/sync", [listingRoute](const Request& req) { return listingRoute(req, true); });

  // Shipped orders and whether the channel has been told (newest first).
  router.add("GET", "/api/v1/channels/{channel}/fulfilments", [&hub](const Request& req) {
    auto channel = channelOf(req.params[0]);
    if (!channel) return Response::error(channel.error());
    auto rows = hub.fulfilments(*channel, req.q("pending") == "1" || req.q("pending") == "true");
    if (!rows) return Response::error(rows.error());
    auto arr = json::array();
    for (const auto& f : *rows) {
      auto fo = json::object();
      fo->set("external_id", f.notice.externalId);
      fo->set("order_id", static_cast<Poco::Int64>(f.notice.orderId));
      fo->set("shipment_id", static_cast<Poco::Int64>(f.notice.shipmentId));
      fo->set("carrier", f.notice.carrierCode);
      fo->set("tracking_number", f.notice.trackingNumber);
      auto lines = json::array();
      for (const auto& l : f.notice.lines) {
        auto lo = json::object();
        lo->set("external_line_id", l.externalLineId);
        lo->set("sku", l.sku);
        lo->set("qty", static_cast<Poco::Int64>(l.qty));
        lines->add(lo);
      }
      fo->set("lines", lines);
      fo->set("sent", f.sent);
      fo->set("sent_at", f.sent ? Poco::Dynamic::Var(static_cast<Poco::Int64>(f.sentAtMs)) : Poco::Dynamic::Var());
      fo->set("attempts", f.attempts);
      fo->set("last_error", f.lastError);
      fo->set("refused_at",
              f.refusedAtMs ? Poco::Dynamic::Var(static_cast<Poco::Int64>(f.refusedAtMs)) : Poco::Dynamic::Var());
      arr->add(fo);
    }
    auto o = json::object();
    o->set("channel", req.params[0]);
    o->set("items", arr);
    return ok(o);
  });
  // A refused notice is not retried by itself: a person fixes the cause on
  // the channel, then sends it again.
  router.add("POST", "/api/v1/channels/{channel}/fulfilments/{order}/retry", [&hub](const Request& req) {
    auto channel = channelOf(req.params[0]);
    if (!channel) return Response::error(channel.error());
    if (auto st = hub.retryFulfilment(*channel, req.params[1]); !st) return Response::error(st.error());
    auto o = json::object();
    o->set("channel", req.params[0]);
    o->set("external_id", req.params[1]);
    o->set("status", "queued");
    return ok(o, 202);
  });

  router.add(
      "PUT", "/api/v1/channels/{channel}/listings/{sku}",
      [&hub](const Request& req) {
        auto channel = channelOf(req.params[0]);
        if (!channel) return Response::error(channel.error());
        auto r = json::readBody(req.body);
        if (!r) return Response::error(r.error());
        channels::Listing l;
        l.channel = *channel;
        l.sku = req.params[1];
        l.channelSku = r->text("channel_sku", json::Need::Required, 200);
        l.listingRef = r->text("listing_ref", json::Need::Optional, 200);
        l.policy.buffer = r->integer("buffer", json::Need::Optional);
        const std::int64_t cap = r->integer("cap", json::Need::Optional);
        if (r->has("cap")) l.policy.cap = cap;
        l.policy.percent = static_cast<int>(r->integer("percent", json::Need::Optional, {}, 100));
        if (auto st = r->finish(); !st) return Response::error(st.error());
        auto v = hub.putListing(l);
        if (!v) return Response::error(v.error());
        return ok(toJson(*v));
      },
      maxBody);
  router.add("DELETE", "/api/v1/channels/{channel}/listings/{sku}", [&hub](const Request& req) {
    auto channel = channelOf(req.params[0]);
    if (!channel) return Response::error(channel.error());
    if (auto st = hub.deleteListing(*channel, req.params[1]); !st) return Response::error(st.error());
    auto o = json::object();
    o->set("deleted", true);
    return ok(o);
  });

  router.add(
      "PUT", "/api/v1/channels/{channel}/sku-map/{channel_sku}",
      [&hub](const Request& req) {
        auto channel = channelOf(req.params[0]);
        if (!channel) return Response::error(channel.error());
        auto r = json::readBody(req.body);
        if (!r) return Response::error(r.error());
        std::string sku = r->text("sku", json::Need::Required, 100);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        auto m = hub.putMapping({*channel, req.params[1], sku});
        if (!m) return Response::error(m.error());
        auto o = json::object();
        o->set("channel", req.params[0]);
        o->set("channel_sku", m->channelSku);
        o->set("sku", m->sku);
        return ok(o);
      },
      maxBody);
  router.add("GET", "/api/v1/channels/{channel}/sku-map", [&hub](const Request& req) {
    auto channel = channelOf(req.params[0]);
    if (!channel) return Response::error(channel.error());
    auto rows = hub.mappings(*channel);
    if (!rows) return Response::error(rows.error());
    auto o = json::object();
    auto arr = json::array();
    for (const auto& m : *rows) {
      auto mo = json::object();
      mo->set("channel_sku", m.channelSku);
      mo->set("sku", m.sku);
      arr->add(mo);
    }
    o->set("items", arr);
    return ok(o);
  });

  router.add(
      "POST", "/api/v1/orders/{id}/release-hold",
      [&hub](const Request& req) {
        auto id = domain::parseInt64(req.params[0]);
        if (!id || *id <= 0) return Response::error(Error{ErrorKind::NotFound, "no order '" + req.params[0] + "'"});
        auto order = hub.releaseHold(*id);
        if (!order) return Response::error(order.error());
        return ok(json::toJson(*order));
      },
      maxBody);

  router.add(
      "POST", "/api/v1/pos/sales",
      [&hub](const Request& req) {
        auto r = json::readBody(req.body);
        if (!r) return Response::error(r.error());
        channels::PosSale sale;
        sale.saleId = r->text("sale_id", json::Need::Required, 200);
        sale.location = r->text("location", json::Need::Required, 100);
        for (auto& l : r->objects("lines", json::Need::Required, 500)) {
          channels::PosLine line;
          line.sku = l.text("sku", json::Need::Required, 100);
          line.qty = l.integer("qty", json::Need::Required);
          line.lot = l.text("lot", json::Need::Optional, 100);
          line.expiry = l.text("expiry", json::Need::Optional, 20);
          sale.lines.push_back(std::move(line));
        }
        if (auto st = r->finish(); !st) return Response::error(st.error());
        auto result = hub.posSale(sale);
        if (!result) return Response::error(result.error());
        auto o = json::object();
        o->set("sale_id", result->saleId);
        o->set("replayed", result->replayed);
        auto ids = json::array();
        for (auto id : result->ledgerIds) ids->add(id);
        o->set("ledger_ids", ids);
        return ok(o, result->replayed ? 200 : 201);
      },
      maxBody);

  router.add(
      "POST", "/api/v1/returns",
      [&hub](const Request& req) {
        auto r = json::readBody(req.body);
        if (!r) return Response::error(r.error());
        channels::ReturnInput in;
        in.returnId = r->text("return_id", json::Need::Required, 200);
        in.orderId = r->integer("order_id", json::Need::Optional);
        std::string channel = r->text("channel", json::Need::Optional, 20);
        in.externalId = r->text("external_id", json::Need::Optional, 200);
        in.posSaleId = r->text("pos_sale_id", json::Need::Optional, 200);
        in.location = r->text("location", json::Need::Required, 100);
        in.note = r->text("note", json::Need::Optional, 1000);
        for (auto& l : r->objects("lines", json::Need::Required, 500)) {
          channels::ReturnLine line;
          line.sku = l.text("sku", json::Need::Required, 100);
          line.qty = l.integer("qty", json::Need::Required);
          std::string condition = l.text("condition", json::Need::Required, 20);
          if (condition == "sellable") line.condition = channels::ReturnCondition::Sellable;
          else if (condition == "damaged") line.condition = channels::ReturnCondition::Damaged;
          else if (!condition.empty())
            return Response::error(Error{ErrorKind::Invalid, l.path() + ".condition must be sellable or damaged"});
          line.lot = l.text("lot", json::Need::Optional, 100);
          line.expiry = l.text("expiry", json::Need::Optional, 20);
          in.lines.push_back(std::move(line));
        }
        if (auto st = r->finish(); !st) return Response::error(st.error());
        if (!channel.empty()) {
          in.channel = domain::channelFromString(channel);
          if (!in.channel) return Response::error(Error{ErrorKind::Invalid, "unknown channel '" + channel + "'"});
        }
        auto result = hub.receiveReturn(in);
        if (!result) return Response::error(result.error());
        return ok(toJson(*result), result->replayed ? 200 : 201);
      },
      maxBody);
  router.add("GET", "/api/v1/returns/{id}", [&hub](const Request& req) {
    auto result = hub.getReturn(req.params[0]);
    if (!result) return Response::error(result.error());
    return ok(toJson(*result));
  });
}

}  // namespace wms::server::http
