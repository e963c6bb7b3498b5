#include "Mapping.h"

namespace wms::server::json {

Poco::JSON::Object::Ptr toJson(const domain::Sku& sku) {
  auto o = object();
  o->set("sku", sku.code);
  o->set("description", sku.description);
  auto barcodes = array();
  for (const auto& b : sku.barcodes) {
    auto bo = object();
    bo->set("value", b.value);
    bo->set("kind", domain::toString(b.kind));
    barcodes->add(bo);
  }
  o->set("barcodes", barcodes);
  o->set("weight_g", sku.weightG);
  o->set("length_mm", sku.dims.lengthMm);
  o->set("width_mm", sku.dims.widthMm);
  o->set("height_mm", sku.dims.heightMm);
  o->set("lot_tracked", sku.lotTracked);
  o->set("expiry_tracked", sku.expiryTracked);
  return o;
}

Poco::JSON::Object::Ptr toJson(const domain::Location& l) {
  auto o = object();
  o->set("code", l.code);
  o->set("zone", l.zone);
  o->set("kind", domain::toString(l.kind));
  return o;
}

Poco::JSON::Object::Ptr toJson(const domain::SkuStock& s) {
  auto o = object();
  o->set("sku", s.sku);
  o->set("on_hand", s.onHand);
  o->set("allocated", s.allocated);
  o->set("available", s.available());
  return o;
}

Poco::JSON::Object::Ptr toJson(const domain::StockAtLocation& s) {
  auto o = object();
  o->set("sku", s.sku);
  o->set("location", s.location);
  o->set("lot", s.lot);
  o->set("expiry", s.expiry);
  o->set("qty", s.qty);
  return o;
}

Poco::JSON::Object::Ptr toJson(const domain::LedgerEntry& e) {
  auto o = object();
  o->set("id", e.id);
  o->set("at", isoTime(e.atMs));
  o->set("sku", e.sku);
  o->set("location", e.location);
  o->set("lot", e.lot);
  o->set("expiry", e.expiry);
  o->set("delta_on_hand", e.deltaOnHand);
  o->set("delta_allocated", e.deltaAllocated);
  o->set("cause", domain::toString(e.cause));
  o->set("reference", e.reference);
  o->set("idempotency_key", e.idempotencyKey);
  o->set("note", e.note);
  o->set("actor", e.actor);
  return o;
}

Poco::JSON::Object::Ptr toJson(const domain::Address& a) {
  auto o = object();
  o->set("name", a.name);
  o->set("company", a.company);
  o->set("line1", a.line1);
  o->set("line2", a.line2);
  o->set("city", a.city);
  o->set("region", a.region);
  o->set("postal_code", a.postalCode);
  o->set("country", a.country);
  o->set("phone", a.phone);
  o->set("email", a.email);
  return o;
}

Poco::JSON::Object::Ptr toJson(const domain::Order& order) {
  auto o = object();
  o->set("id", order.id);
  o->set("channel", domain::toString(order.channel));
  o->set("external_id", order.externalId);
  o->set("status", domain::toString(order.status));
  o->set("service_level", domain::toString(order.serviceLevel));
  o->set("carrier", order.carrier);
  o->set("priority", order.priority);
  o->set("hold_reason", order.holdReason);
  o->set("ship_to", toJson(order.shipTo));
  auto lines = array();
  for (const auto& l : order.lines) {
    auto lo = object();
    lo->set("line_no", l.lineNo);
    lo->set("sku", l.sku);
    lo->set("external_line_id", l.externalLineId);
    lo->set("qty", l.qty);
    lo->set("allocated", l.allocated);
    lo->set("picked", l.picked);
    lo->set("short", l.shortQty);
    lo->set("shipped", l.shipped);
    lines->add(lo);
  }
  o->set("lines", lines);
  o->set("created_at", isoTime(order.createdAtMs));
  o->set("updated_at", isoTime(order.updatedAtMs));
  return o;
}

Poco::JSON::Object::Ptr toJson(const ImportReport& r) {
  auto o = object();
  o->set("rows", static_cast<Poco::UInt64>(r.rows));
  o->set("applied", static_cast<Poco::UInt64>(r.applied));
  o->set("replayed", r.replayed);
  auto errors = array();
  for (const auto& e : r.errors) {
    auto eo = object();
    eo->set("line", static_cast<Poco::UInt64>(e.line));
    eo->set("message", e.message);
    errors->add(eo);
  }
  o->set("errors", errors);
  return o;
}

Result<domain::Sku> skuFromJson(std::string_view body, const std::string& codeFromPath) {
  auto parsed = readBody(body);
  if (!parsed) return parsed.error();
  ObjectReader& r = *parsed;
  domain::Sku sku;
  sku.code = r.text("sku", codeFromPath.empty() ? Need::Required : Need::Optional, 100);
  if (!codeFromPath.empty()) {
    if (!sku.code.empty() && sku.code != codeFromPath)
      return Error{ErrorKind::Invalid, "sku in the body ('" + sku.code + "') differs from the path ('" + codeFromPath + "')"};
    sku.code = codeFromPath;
  }
  sku.description = r.text("description", Need::Optional, 1000);
  auto barcodes = r.strings("barcodes", Need::Optional, 50);
  sku.weightG = r.integer("weight_g");
  sku.dims.lengthMm = r.integer("length_mm");
  sku.dims.widthMm = r.integer("width_mm");
  sku.dims.heightMm = r.integer("height_mm");
  sku.lotTracked = r.flag("lot_tracked");
  sku.expiryTracked = r.flag("expiry_tracked");
  if (auto st = r.finish(); !st) return st.error();
  for (std::size_t i = 0; i < barcodes.size(); ++i) {
    auto b = domain::classifyBarcode(barcodes[i]);
    if (!b) return Error{ErrorKind::Invalid, "barcodes[" + std::to_string(i) + "]: " + b.error().message};
    sku.barcodes.push_back(*b);
  }
  return sku;
}

Result<domain::Location> locationFromJson(std::string_view body, const std::string& codeFromPath) {
  auto parsed = readBody(body);
  if (!parsed) return parsed.error();
  ObjectReader& r = *parsed;
  domain::Location loc;
  loc.code = r.text("code", codeFromPath.empty() ? Need::Required : Need::Optional, 100);
  if (!codeFromPath.empty()) {
    if (!loc.code.empty() && loc.code != codeFromPath)
      return Error{ErrorKind::Invalid, "code in the body differs from the path"};
    loc.code = codeFromPath;
  }
  loc.zone = r.text("zone", Need::Optional, 100);
  std::string kind = r.text("kind", Need::Optional, 20);
  if (auto st = r.finish(); !st) return st.error();
  if (!kind.empty()) {
    auto k = domain::locationKindFromString(kind);
    if (!k) return Error{ErrorKind::Invalid, "kind must be pick, reserve, store, staging or dock"};
    loc.kind = *k;
  }
  return loc;
}

domain::Address addressFromJson(ObjectReader& a) {
  domain::Address addr;
  addr.name = a.text("name", Need::Optional, 2000);
  addr.company = a.text("company", Need::Optional, 2000);
  addr.line1 = a.text("line1", Need::Optional, 2000);
  addr.line2 = a.text("line2", Need::Optional, 2000);
  addr.city = a.text("city", Need::Optional, 1000);
  addr.region = a.text("region", Need::Optional, 1000);
  addr.postalCode = a.text("postal_code", Need::Optional, 100);
  addr.country = a.text("country", Need::Optional, 10);
  addr.phone = a.text("phone", Need::Optional, 100);
  addr.email = a.text("email", Need::Optional, 1000);
  return addr;
}

Result<domain::NewOrder> newOrderFromJson(std::string_view body) {
  auto parsed = readBody(body);
  if (!parsed) return parsed.error();
  ObjectReader& r = *parsed;
  domain::NewOrder o;
  std::string channel = r.text("channel", Need::Optional, 20);
  o.externalId = r.text("external_id", Need::Required, 200);
  std::string level = r.text("service_level", Need::Optional, 20);
  o.carrier = r.text("carrier", Need::Optional, 200);
  o.priority = static_cast<int>(r.integer("priority", Need::Optional));
  std::string onShortage = r.text("on_shortage", Need::Optional, 20);
  auto shipTo = r.object("ship_to");
  o.shipTo = addressFromJson(shipTo);
  for (auto& line : r.objects("lines", Need::Required, domain::kMaxOrderLines)) {
    domain::NewOrderLine l;
    l.sku = line.text("sku", Need::Required, 100);
    l.qty = line.integer("qty", Need::Required);
    l.externalLineId = line.text("external_line_id", Need::Optional, 200);
    o.lines.push_back(l);
  }
  if (auto st = r.finish(); !st) return st.error();
  if (!channel.empty()) {
    auto c = domain::channelFromString(channel);
    if (!c) return Error{ErrorKind::Invalid, "channel must be one of shopify, lazada, shopee, tiktok, amazon, pos, manual"};
    o.channel = *c;
  }
  if (!level.empty()) {
    auto l = domain::serviceLevelFromString(level);
    if (!l) return Error{ErrorKind::Invalid, "service_level must be standard, express or store_pickup"};
    o.serviceLevel = *l;
  }
  if (!onShortage.empty()) {
    auto p = domain::shortagePolicyFromString(onShortage);
    if (!p) return Error{ErrorKind::Invalid, "on_shortage must be reject or backorder"};
    o.onShortage = *p;
  }
  return o;
}

Result<domain::Adjustment> adjustmentFromJson(std::string_view body) {
  auto parsed = readBody(body);
  if (!parsed) return parsed.error();
  ObjectReader& r = *parsed;
  domain::Adjustment a;
  a.sku = r.text("sku", Need::Required, 100);
  a.location = r.text("location", Need::Required, 100);
  a.lot = r.text("lot", Need::Optional, 100);
  a.expiry = r.text("expiry", Need::Optional, 20);
  a.delta = r.integer("delta", Need::Required);
  std::string reason = r.text("reason", Need::Required, 20);
  a.note = r.text("note", Need::Optional, 2000);
  a.idempotencyKey = r.text("idempotency_key", Need::Optional, 200);
  if (auto st = r.finish(); !st) return st.error();
  auto rs = domain::adjustReasonFromString(reason);
  if (!rs)
    return Error{ErrorKind::Invalid, "reason must be one of receipt, count, damage, correction, return, found, lost"};
  a.reason = *rs;
  return a;
}

}  // namespace wms::server::json
