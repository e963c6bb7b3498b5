// The packing endpoints' JSON. POCO's JSON parser is wrapped here: its
// exceptions become error values and never leave this file.
#include "wms/packing/Json.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <sstream>

#include "wms/domain/Ids.h"
#include "wms/json/ObjectReader.h"

namespace wms::packing::json {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

using wms::json::Need;
using wms::json::ObjectReader;

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}

// Request bodies: at most kMaxRequestBytes, by the REST rules (wms::json).
Result<ObjectReader> read(std::string_view body) { return wms::json::parseRequestBody(body, kMaxRequestBytes); }

// ---- writing ----

Object::Ptr obj() {
  return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}
Array::Ptr arr() {
  return new Array();
}
Poco::Int64 i64(std::int64_t v) {
  return static_cast<Poco::Int64>(v);
}

std::string stringify(const Object::Ptr& o) {
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

std::string isoTime(std::int64_t ms) {
  if (ms <= 0) return {};
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

Poco::Dynamic::Var timeOrNull(std::int64_t ms) {
  if (ms <= 0) return Poco::Dynamic::Var();
  return isoTime(ms);
}

Array::Ptr strings(const std::vector<std::string>& values) {
  auto a = arr();
  for (const auto& v : values) a->add(v);
  return a;
}

Object::Ptr dimsJson(const domain::Dimensions& d) {
  auto o = obj();
  o->set("length_mm", i64(d.lengthMm));
  o->set("width_mm", i64(d.widthMm));
  o->set("height_mm", i64(d.heightMm));
  return o;
}

Array::Ptr contentsJson(const std::vector<CartonContent>& items) {
  auto a = arr();
  for (const auto& i : items) {
    auto o = obj();
    o->set("line_no", i.lineNo);
    o->set("sku", i.sku);
    o->set("qty", i64(i.qty));
    a->add(o);
  }
  return a;
}

Object::Ptr suggestionJson(const CartonSuggestion& s) {
  auto o = obj();
  auto cartons = arr();
  for (const auto& c : s.cartons) {
    auto co = obj();
    co->set("carton_type", c.cartonType);
    co->set("gross_weight_g", i64(c.grossWeightG));
    co->set("fill", c.fill);
    auto items = arr();
    for (const auto& i : c.items) {
      auto io = obj();
      io->set("line_no", i.lineNo);
      io->set("sku", i.sku);
      io->set("qty", i64(i.qty));
      items->add(io);
    }
    co->set("items", items);
    cartons->add(co);
  }
  o->set("cartons", cartons);
  o->set("split", s.split);
  o->set("notes", strings(s.notes));
  return o;
}

Object::Ptr cartonRecordJson(const CartonRecord& c) {
  auto o = obj();
  o->set("number", c.number);
  o->set("carton_id", c.cartonId);
  o->set("carton_type", c.cartonType);
  o->set("weight_g", c.weightG > 0 ? Poco::Dynamic::Var(i64(c.weightG)) : Poco::Dynamic::Var());
  o->set("estimated_weight_g", i64(c.estimatedWeightG));
  o->set("label_weight_g", i64(c.labelWeightG()));
  o->set("items", contentsJson(c.items));
  o->set("shipment_id", c.shipmentId > 0 ? Poco::Dynamic::Var(i64(c.shipmentId)) : Poco::Dynamic::Var());
  o->set("sscc", c.sscc.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.sscc));
  o->set("tracking_number",
         c.trackingNumber.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.trackingNumber));
  return o;
}

Object::Ptr shipmentObject(const ShipmentView& s) {
  auto o = obj();
  o->set("id", i64(s.id));
  o->set("order_id", i64(s.orderId));
  o->set("order_reference", s.orderReference);
  o->set("state", toString(s.state));
  o->set("carrier", s.carrier);
  o->set("carrier_name", s.carrierName);
  o->set("service", s.service);
  o->set("tracking_number", s.trackingNumber);
  o->set("created_at", timeOrNull(s.createdAtMs));
  o->set("shipped_at", timeOrNull(s.shippedAtMs));
  auto cartons = arr();
  for (const auto& c : s.cartons) cartons->add(cartonRecordJson(c));
  o->set("cartons", cartons);
  return o;
}

Object::Ptr scanReplyJson(const ScanReply& r) {
  auto o = obj();
  o->set("outcome", toString(r.outcome));
  o->set("ok", r.outcome == ScanOutcome::Accepted);
  o->set("line_no", r.lineNo > 0 ? Poco::Dynamic::Var(r.lineNo) : Poco::Dynamic::Var());
  o->set("sku", r.sku.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.sku));
  o->set("count", i64(r.count));
  o->set("packed", i64(r.packed));
  o->set("to_pack", i64(r.toPack));
  if (r.code) {
    auto c = obj();
    c->set("text", r.code->text);
    c->set("kind", toString(r.code->kind));
    c->set("key", r.code->key);
    c->set("lot", r.code->lot ? Poco::Dynamic::Var(*r.code->lot) : Poco::Dynamic::Var());
    c->set("serial", r.code->serial ? Poco::Dynamic::Var(*r.code->serial) : Poco::Dynamic::Var());
    c->set("expiry", r.code->expiry ? Poco::Dynamic::Var(*r.code->expiry) : Poco::Dynamic::Var());
    o->set("code", c);
  } else {
    o->set("code", Poco::Dynamic::Var());
  }
  o->set("message", r.message);
  return o;
}

// `attempts` (the attempt log) only for the answer about one job.
Object::Ptr printJobObject(const PrintJobView& j, const std::vector<labels::AttemptRecord>* attempts) {
  auto o = obj();
  o->set("id", i64(static_cast<std::int64_t>(j.id)));
  o->set("printer_id", j.printerId);
  o->set("printer", j.printer);
  o->set("title", j.title);
  o->set("format", labels::toString(j.format));
  o->set("state", labels::toString(j.state));
  o->set("attempts", j.attempts);
  o->set("max_attempts", j.maxAttempts);
  o->set("last_error", j.lastError.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(j.lastError));
  o->set("retry_at", timeOrNull(j.retryAtMs));
  o->set("reprint_of", j.reprintOf ? Poco::Dynamic::Var(i64(static_cast<std::int64_t>(*j.reprintOf)))
                                   : Poco::Dynamic::Var());
  o->set("shipment_id", j.shipmentId > 0 ? Poco::Dynamic::Var(i64(j.shipmentId)) : Poco::Dynamic::Var());
  o->set("carton_number", j.cartonNumber > 0 ? Poco::Dynamic::Var(j.cartonNumber) : Poco::Dynamic::Var());
  o->set("message", j.message);
  if (attempts) {
    auto a = arr();
    for (const auto& at : *attempts) {
      auto ao = obj();
      ao->set("attempt", at.attempt);
      ao->set(
          "at",
          isoTime(std::chrono::duration_cast<std::chrono::milliseconds>(at.at.time_since_epoch()).count()));
      ao->set("ok", at.ok);
      ao->set("error", at.ok ? Poco::Dynamic::Var() : Poco::Dynamic::Var(at.error));
      a->add(ao);
    }
    o->set("attempt_log", a);
  }
  return o;
}

}  // namespace

// ---- Requests -------------------------------------------------------------------

Result<StartRequest> parseStartRequest(std::string_view body) {
  auto r = read(body);
  if (!r) return r.error();
  StartRequest out;
  out.code = r->text("code", Need::NonEmpty, 300);
  out.station = r->text("station", Need::Optional, 64);
  if (auto st = r->finish(); !st) return st.error();
  return out;
}

Result<ScanRequest> parseScanRequest(std::string_view body) {
  auto r = read(body);
  if (!r) return r.error();
  ScanRequest out;
  out.text = r->text("text", Need::NonEmpty, 300);
  out.qty = r->integer("qty", Need::Optional, {1, domain::kMaxQuantity}, out.qty);
  if (auto st = r->finish(); !st) return st.error();
  return out;
}

Result<RemoveRequest> parseRemoveRequest(std::string_view body) {
  auto r = read(body);
  if (!r) return r.error();
  RemoveRequest out;
  out.lineNo = static_cast<int>(r->integer("line_no", Need::Required, {1, 1'000'000}));
  out.qty = r->integer("qty", Need::Optional, {1, domain::kMaxQuantity}, out.qty);
  if (auto st = r->finish(); !st) return st.error();
  return out;
}

Result<std::string> parseOpenCartonRequest(std::string_view body) {
  auto r = read(body);
  if (!r) return r.error();
  std::string type = r->text("carton_type", Need::NonEmpty, 32);
  if (auto st = r->finish(); !st) return st.error();
  return type;
}

Result<std::optional<std::int64_t>> parseCloseCartonRequest(std::string_view body) {
  auto r = read(body);
  if (!r) return r.error();
  const std::int64_t weight = r->integer("weight_g", Need::Optional, {1, 1'000'000});
  if (auto st = r->finish(); !st) return st.error();
  return r->has("weight_g") ? std::optional<std::int64_t>(weight) : std::nullopt;
}

Status parseEmptyRequest(std::string_view body) {
  auto r = read(body);
  if (!r) return r.error();
  return r->finish();
}

Result<ShipmentRequestBody> parseShipmentRequest(std::string_view body) {
  auto r = read(body);
  if (!r) return r.error();
  ShipmentRequestBody out;
  out.station = r->text("station", Need::Optional, 64);
  out.printer = r->text("printer", Need::Optional, 64);
  out.print = r->flag("print", out.print);
  if (auto st = r->finish(); !st) return st.error();
  return out;
}

Result<ShipConfirmation> parseShipRequest(std::string_view body, domain::OrderId orderId,
                                          std::string_view headerKey) {
  auto r = read(body);
  if (!r) return r.error();
  ShipConfirmation out;
  out.orderId = orderId;
  out.shipmentId = r->integer("shipment_id", Need::Optional, {1, INT64_MAX}, out.shipmentId);
  const std::string key = r->text("idempotency_key", Need::Optional, 128);
  if (auto st = r->status(); !st) return st.error();
  if (!key.empty() && !headerKey.empty() && key != headerKey)
    return invalid("idempotency_key and the Idempotency-Key header differ");
  out.idempotencyKey = key.empty() ? std::string(headerKey) : key;
  for (auto& line : r->objects("lines", Need::Optional, 1000)) {
    ShipLineQty l;
    l.lineNo = static_cast<int>(line.integer("line_no", Need::Required, {1, 1'000'000}));
    l.qty = line.integer("qty", Need::Required, {1, domain::kMaxQuantity});
    // Each line's unknown fields are named before the next line is read.
    if (!line.finish()) break;
    out.lines.push_back(l);
  }
  if (auto st = r->finish(); !st) return st.error();
  if (out.idempotencyKey.empty())
    return invalid("idempotency_key (or an Idempotency-Key header) is required");
  return out;
}

Result<PackShortReport> parseShortRequest(std::string_view body, domain::OrderId orderId) {
  auto r = read(body);
  if (!r) return r.error();
  PackShortReport out;
  out.orderId = orderId;
  out.station = r->text("station", Need::Optional, 64);
  out.note = r->text("note", Need::Optional, 200);
  for (auto& line : r->objects("lines", Need::Required, 1000)) {
    PackShortLine l;
    l.lineNo = static_cast<int>(line.integer("line_no", Need::Optional, {1, 1'000'000}, 0));
    l.sku = line.text("sku", Need::Optional, 64);
    l.qty = line.integer("qty", Need::Required, {1, domain::kMaxQuantity});
    const std::string reason = line.text("reason", Need::Required, 16);
    if (line.ok()) {
      auto parsed = packShortReasonFromString(reason);
      if (!parsed) line.fail("reason", "must be damaged or missing");
      else l.reason = *parsed;
    }
    if (line.ok() && l.lineNo == 0 && l.sku.empty()) line.fail("line_no", "or sku is required");
    if (!line.finish()) break;
    out.lines.push_back(std::move(l));
  }
  if (auto st = r->finish(); !st) return st.error();
  return out;
}

Result<std::string> parseReprintRequest(std::string_view body) {
  auto r = read(body);
  if (!r) return r.error();
  std::string printer = r->text("printer", Need::Optional, 64);
  if (auto st = r->finish(); !st) return st.error();
  return printer;
}

Result<std::string> parseTakeScansRequest(std::string_view body) {
  auto r = read(body);
  if (!r) return r.error();
  std::string page = r->text("page", Need::Optional, 64);
  if (auto st = r->finish(); !st) return st.error();
  return page;
}

// ---- Answers ----------------------------------------------------------------------

std::string sessionToJson(const SessionView& v) {
  auto o = obj();
  o->set("session_id", v.sessionId > 0 ? Poco::Dynamic::Var(i64(v.sessionId)) : Poco::Dynamic::Var());
  o->set("state", toString(v.state));
  o->set("station", v.station);

  auto order = obj();
  order->set("id", i64(v.task.orderId));
  order->set("reference", v.task.reference);
  order->set("channel", domain::toString(v.task.channel));
  order->set("external_id", v.task.externalId);
  order->set("status", domain::toString(v.task.status));
  order->set("service_level", domain::toString(v.task.serviceLevel));
  auto shipTo = obj();
  shipTo->set("name", v.task.shipToName);
  shipTo->set("city", v.task.shipToCity);
  shipTo->set("country", v.task.shipToCountry);
  order->set("ship_to", shipTo);
  order->set("totes", strings(v.task.totes));
  o->set("order", order);

  auto lines = arr();
  for (const auto& l : v.lines) {
    auto lo = obj();
    lo->set("line_no", l.lineNo);
    lo->set("sku", l.sku);
    lo->set("description", l.description);
    lo->set("ordered", i64(l.ordered));
    lo->set("to_pack", i64(l.toPack));
    lo->set("packed", i64(l.packed));
    lo->set("barcodes", strings(l.barcodes));
    for (const auto& tl : v.task.lines) {
      if (tl.lineNo != l.lineNo) continue;
      lo->set("picked", i64(tl.picked));
      lo->set("short", i64(tl.shortQty));
      lo->set("shipped", i64(tl.shipped));
      lo->set("unit_weight_g", i64(tl.weightG));
      lo->set("dims", dimsJson(tl.dims));
    }
    lines->add(lo);
  }
  o->set("lines", lines);

  auto cartons = arr();
  for (const auto& c : v.cartons) {
    auto co = obj();
    co->set("number", c.number);
    co->set("carton_type", c.cartonType);
    co->set("closed", c.closed);
    co->set("weight_g", c.weightG ? Poco::Dynamic::Var(i64(*c.weightG)) : Poco::Dynamic::Var());
    co->set("items", contentsJson(c.items));
    cartons->add(co);
  }
  o->set("cartons", cartons);
  o->set("open_carton", v.openCarton ? Poco::Dynamic::Var(*v.openCarton) : Poco::Dynamic::Var());
  o->set("complete", v.complete);
  auto missing = arr();
  for (const auto& m : v.missing) {
    auto mo = obj();
    mo->set("line_no", m.lineNo);
    mo->set("sku", m.sku);
    mo->set("to_pack", i64(m.toPack));
    mo->set("packed", i64(m.packed));
    mo->set("missing", i64(m.missing()));
    missing->add(mo);
  }
  o->set("missing", missing);
  o->set("suggestion", suggestionJson(v.suggestion));
  o->set("last_scan", v.lastScan ? Poco::Dynamic::Var(scanReplyJson(*v.lastScan)) : Poco::Dynamic::Var());
  auto packed = arr();
  for (const auto& c : v.packedCartons) packed->add(cartonRecordJson(c));
  o->set("packed_cartons", packed);
  o->set("shipment", v.shipment ? Poco::Dynamic::Var(shipmentObject(*v.shipment)) : Poco::Dynamic::Var());
  return stringify(o);
}

std::string shipmentToJson(const ShipmentView& shipment) {
  return stringify(shipmentObject(shipment));
}

std::string unshippedToJson(const std::vector<UnshippedOrder>& orders) {
  auto o = obj();
  auto items = arr();
  for (const auto& u : orders) {
    auto item = obj();
    item->set("order_id", i64(u.orderId));
    item->set("order_reference", u.orderReference);
    item->set("station", u.station.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(u.station));
    item->set("packed_at", timeOrNull(u.packedAtMs));
    item->set("waiting_s", i64(u.waitingSeconds));
    item->set("shipment", u.shipment ? Poco::Dynamic::Var(shipmentObject(*u.shipment)) : Poco::Dynamic::Var());
    item->set("reason", u.reason);
    items->add(item);
  }
  o->set("orders", items);
  return stringify(o);
}

std::string takenScansToJson(const TakenScans& taken) {
  auto o = obj();
  auto items = arr();
  for (const auto& s : taken.scans) {
    auto item = obj();
    item->set("id", i64(s.id));
    item->set("device", s.device);
    item->set("barcode", s.barcode);
    item->set("symbology", s.symbology);
    item->set("text", s.text);
    item->set("scanned_at", timeOrNull(s.scannedAtMs));
    item->set("received_at", timeOrNull(s.receivedAtMs));
    items->add(item);
  }
  o->set("scans", items);
  o->set("expired", i64(taken.expired));
  return stringify(o);
}

std::string printJobToJson(const PrintJobView& job, const std::vector<labels::AttemptRecord>& attempts) {
  return stringify(printJobObject(job, &attempts));
}

std::string printJobsToJson(const std::vector<PrintJobView>& jobs) {
  auto o = obj();
  auto items = arr();
  for (const auto& j : jobs) items->add(printJobObject(j, nullptr));
  o->set("items", items);
  return stringify(o);
}

std::string shipmentAndJobsToJson(const ShipmentView& shipment, const std::vector<PrintJobView>& jobs,
                                  const std::optional<Error>& printError) {
  auto o = obj();
  o->set("shipment", shipmentObject(shipment));
  auto items = arr();
  for (const auto& j : jobs) items->add(printJobObject(j, nullptr));
  o->set("print_jobs", items);
  if (printError) {
    auto e = obj();
    e->set("error", toString(printError->kind));
    e->set("detail", printError->message);
    o->set("print_error", e);
  } else {
    o->set("print_error", Poco::Dynamic::Var());
  }
  return stringify(o);
}

std::string shipResultToJson(const ShipResult& r) {
  auto o = obj();
  o->set("order_id", i64(r.orderId));
  o->set("shipment_id", i64(r.shipmentId));
  o->set("duplicate", r.duplicate);
  o->set("order_status", domain::toString(r.orderStatus));
  o->set("channel", domain::toString(r.channel));
  o->set("external_id", r.externalId);
  o->set("carrier", r.carrier);
  o->set("carrier_name", r.carrierName);
  o->set("service", r.service);
  o->set("tracking_number", r.trackingNumber);
  o->set("parcel_tracking_numbers", strings(r.parcelTrackingNumbers));
  auto lines = arr();
  for (const auto& l : r.lines) {
    auto lo = obj();
    lo->set("line_no", l.lineNo);
    lo->set("sku", l.sku);
    lo->set("shipped", i64(l.shipped));
    lo->set("released", i64(l.released));
    lo->set("left_in_tote", i64(l.leftInTote));
    lines->add(lo);
  }
  o->set("lines", lines);
  o->set("unshipped_allocation", toString(r.policy));
  o->set("shipped_at", timeOrNull(r.shippedAtMs));
  return stringify(o);
}

std::string packShortToJson(const PackShortResult& r) {
  auto o = obj();
  o->set("order_id", i64(r.orderId));
  o->set("order_status", "held");
  o->set("hold_reason", r.holdReason);
  o->set("exception_id", i64(r.exceptionId));
  return stringify(o);
}

std::string packTaskToJson(const PackTask& t) {
  auto o = obj();
  o->set("order_id", i64(t.orderId));
  o->set("order_reference", t.reference);
  o->set("order_status", domain::toString(t.status));
  o->set("totes", strings(t.totes));
  auto lines = arr();
  for (const auto& l : t.lines) {
    auto lo = obj();
    lo->set("line_no", l.lineNo);
    lo->set("sku", l.sku);
    lo->set("ordered", i64(l.ordered));
    lo->set("short", i64(l.shortQty));
    lo->set("to_pack", i64(l.toPack));
    lines->add(lo);
  }
  o->set("lines", lines);
  return stringify(o);
}

std::string configToJson(const PackingConfig& c) {
  auto o = obj();
  auto cartons = arr();
  for (const auto& t : c.cartons.types) {
    auto to = obj();
    to->set("code", t.code);
    to->set("name", t.name);
    to->set("kind", toString(t.kind));
    to->set("inner", dimsJson(t.inner));
    to->set("max_weight_g", i64(t.maxWeightG));
    to->set("tare_g", i64(t.tareG));
    cartons->add(to);
  }
  o->set("cartons", cartons);
  auto printers = arr();
  for (const auto& p : c.printers) {
    auto po = obj();
    po->set("id", p.id);
    po->set("uri", p.uri);
    po->set("format", labels::toString(p.format));
    po->set("size", labels::toString(p.size));
    po->set("dpi", static_cast<int>(p.dpi));
    printers->add(po);
  }
  o->set("printers", printers);
  o->set("default_printer",
         c.defaultPrinter.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.defaultPrinter));
  auto stations = obj();
  for (const auto& [station, printer] : c.stationPrinters) stations->set(station, printer);
  o->set("stations", stations);
  o->set("order_reference_prefix", c.orderReferencePrefix);
  return stringify(o);
}

}  // namespace wms::packing::json
