// The packing endpoints' JSON. POCO's JSON parser is wrapped here: its
// exceptions become error values and never leave this file.
#include "wms/packing/Json.h"
#include "wms/common/TextChecks.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <set>
#include <sstream>

#include "wms/domain/Ids.h"

namespace wms::packing::json {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::size_t kMaxDepth = 8;  // the requests need 1

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}
Error malformed(std::string message) {
  return Error{ErrorKind::Malformed, std::move(message)};
}

// One JSON object read field by field; fields never read are reported as
// unknown by finish().
class Reader {
 public:
  static Result<Reader> parse(std::string_view body) {
    if (body.size() > kMaxRequestBytes)
      return Error{ErrorKind::TooLarge,
                   "request body is larger than " + std::to_string(kMaxRequestBytes) + " bytes"};
    std::string_view trimmed = body;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\n' ||
                                trimmed.front() == '\r' || trimmed.front() == '\t'))
      trimmed.remove_prefix(1);
    if (trimmed.empty()) return Reader(new Object());
    if (!isValidUtf8(body)) return malformed("request body is not valid UTF-8");
    if (jsonNestingDepth(body) > kMaxDepth)
      return malformed("request body is nested deeper than " + std::to_string(kMaxDepth) + " levels");
    try {
      Poco::JSON::Parser parser;
      parser.setDepth(kMaxDepth + 1);
      Poco::Dynamic::Var root = parser.parse(std::string(body));
      if (root.type() != typeid(Object::Ptr)) return malformed("request body must be a JSON object");
      Object::Ptr obj = root.extract<Object::Ptr>();
      if (!obj) return malformed("request body must be a JSON object");
      return Reader(obj);
    } catch (const Poco::Exception& e) {
      return malformed("request body is not valid JSON: " + e.displayText());
    } catch (const std::exception& e) {
      return malformed(std::string("request body is not valid JSON: ") + e.what());
    }
  }

  // A string field; absent or null is "" (an error if required).
  Status text(const std::string& key, std::string& out, bool required, std::size_t maxBytes) {
    read_.insert(key);
    if (!obj_->has(key) || obj_->isNull(key)) {
      if (required) return invalid(key + " is required");
      return {};
    }
    try {
      Poco::Dynamic::Var v = obj_->get(key);
      if (!v.isString()) return invalid(key + " must be a string");
      std::string s = v.extract<std::string>();
      if (s.size() > maxBytes) return invalid(key + " is longer than " + std::to_string(maxBytes) + " bytes");
      if (required && s.empty()) return invalid(key + " is required");
      out = std::move(s);
    } catch (const Poco::Exception& e) {
      return invalid(key + " could not be read: " + e.displayText());
    }
    return {};
  }

  // A whole number field in [lo, hi]; absent or null leaves `out` unchanged
  // and `present` false (an error if required).
  Status integer(const std::string& key, std::int64_t& out, std::int64_t lo, std::int64_t hi, bool required,
                 bool* present = nullptr) {
    read_.insert(key);
    if (present) *present = false;
    if (!obj_->has(key) || obj_->isNull(key)) {
      if (required) return invalid(key + " is required");
      return {};
    }
    const std::string range =
        key + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    try {
      Poco::Dynamic::Var v = obj_->get(key);
      if (!v.isInteger() || v.isBoolean()) return invalid(range);
      // Large unsigned values would wrap in a signed conversion.
      if (!v.isSigned() && v.convert<Poco::UInt64>() > static_cast<Poco::UInt64>(hi)) return invalid(range);
      const auto x = v.convert<Poco::Int64>();
      if (x < lo || x > hi) return invalid(range);
      out = x;
      if (present) *present = true;
    } catch (const Poco::Exception&) {
      return invalid(range);
    }
    return {};
  }

  Status flag(const std::string& key, bool& out) {
    read_.insert(key);
    if (!obj_->has(key) || obj_->isNull(key)) return {};
    try {
      Poco::Dynamic::Var v = obj_->get(key);
      if (!v.isBoolean()) return invalid(key + " must be true or false");
      out = v.convert<bool>();
    } catch (const Poco::Exception&) {
      return invalid(key + " must be true or false");
    }
    return {};
  }

  // An array of objects, each read by `each(reader, index)`.
  Status objects(const std::string& key, std::size_t maxItems,
                 const std::function<Status(Reader&, const std::string&)>& each) {
    read_.insert(key);
    if (!obj_->has(key) || obj_->isNull(key)) return {};
    if (!obj_->isArray(key)) return invalid(key + " must be an array");
    Array::Ptr arr = obj_->getArray(key);
    if (arr->size() > maxItems) return invalid(key + " has more than " + std::to_string(maxItems) + " items");
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const std::string at = key + "[" + std::to_string(i) + "]";
      if (!arr->isObject(i)) return invalid(at + " must be an object");
      Reader r(arr->getObject(i));
      if (auto st = each(r, at); !st) return st;
      if (auto st = r.finish(at + "."); !st) return st;
    }
    return {};
  }

  Status finish(const std::string& prefix = {}) const {
    std::vector<std::string> names;
    obj_->getNames(names);
    for (const auto& name : names) {
      if (!read_.count(name)) return invalid("unknown field " + prefix + name);
    }
    return {};
  }

 private:
  explicit Reader(Object::Ptr obj) : obj_(std::move(obj)) {}
  Object::Ptr obj_;
  std::set<std::string> read_;
};

// Prefixes a nested reader's messages with the element's path.
Status at(const std::string& path, Status st) {
  if (st) return st;
  return Error{st.error().kind, path + "." + st.error().message};
}

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
  auto r = Reader::parse(body);
  if (!r) return r.error();
  StartRequest out;
  if (auto st = r->text("code", out.code, true, 300); !st) return st.error();
  if (auto st = r->text("station", out.station, false, 64); !st) return st.error();
  if (auto st = r->finish(); !st) return st.error();
  return out;
}

Result<ScanRequest> parseScanRequest(std::string_view body) {
  auto r = Reader::parse(body);
  if (!r) return r.error();
  ScanRequest out;
  if (auto st = r->text("text", out.text, true, 300); !st) return st.error();
  if (auto st = r->integer("qty", out.qty, 1, domain::kMaxQuantity, false); !st) return st.error();
  if (auto st = r->finish(); !st) return st.error();
  return out;
}

Result<RemoveRequest> parseRemoveRequest(std::string_view body) {
  auto r = Reader::parse(body);
  if (!r) return r.error();
  RemoveRequest out;
  std::int64_t line = 0;
  if (auto st = r->integer("line_no", line, 1, 1'000'000, true); !st) return st.error();
  out.lineNo = static_cast<int>(line);
  if (auto st = r->integer("qty", out.qty, 1, domain::kMaxQuantity, false); !st) return st.error();
  if (auto st = r->finish(); !st) return st.error();
  return out;
}

Result<std::string> parseOpenCartonRequest(std::string_view body) {
  auto r = Reader::parse(body);
  if (!r) return r.error();
  std::string type;
  if (auto st = r->text("carton_type", type, true, 32); !st) return st.error();
  if (auto st = r->finish(); !st) return st.error();
  return type;
}

Result<std::optional<std::int64_t>> parseCloseCartonRequest(std::string_view body) {
  auto r = Reader::parse(body);
  if (!r) return r.error();
  std::int64_t weight = 0;
  bool present = false;
  if (auto st = r->integer("weight_g", weight, 1, 1'000'000, false, &present); !st) return st.error();
  if (auto st = r->finish(); !st) return st.error();
  return present ? std::optional<std::int64_t>(weight) : std::nullopt;
}

Status parseEmptyRequest(std::string_view body) {
  auto r = Reader::parse(body);
  if (!r) return r.error();
  return r->finish();
}

Result<ShipmentRequestBody> parseShipmentRequest(std::string_view body) {
  auto r = Reader::parse(body);
  if (!r) return r.error();
  ShipmentRequestBody out;
  if (auto st = r->text("station", out.station, false, 64); !st) return st.error();
  if (auto st = r->text("printer", out.printer, false, 64); !st) return st.error();
  if (auto st = r->flag("print", out.print); !st) return st.error();
  if (auto st = r->finish(); !st) return st.error();
  return out;
}

Result<ShipConfirmation> parseShipRequest(std::string_view body, domain::OrderId orderId,
                                          std::string_view headerKey) {
  auto r = Reader::parse(body);
  if (!r) return r.error();
  ShipConfirmation out;
  out.orderId = orderId;
  if (auto st = r->integer("shipment_id", out.shipmentId, 1, INT64_MAX, false); !st) return st.error();
  std::string key;
  if (auto st = r->text("idempotency_key", key, false, 128); !st) return st.error();
  if (!key.empty() && !headerKey.empty() && key != headerKey)
    return invalid("idempotency_key and the Idempotency-Key header differ");
  out.idempotencyKey = key.empty() ? std::string(headerKey) : key;
  std::set<std::int64_t> seen;
  auto st = r->objects("lines", 1000, [&](Reader& line, const std::string& path) -> Status {
    ShipLineQty l;
    std::int64_t no = 0;
    if (auto s = at(path, line.integer("line_no", no, 1, 1'000'000, true)); !s) return s;
    if (auto s = at(path, line.integer("qty", l.qty, 1, domain::kMaxQuantity, true)); !s) return s;
    l.lineNo = static_cast<int>(no);
    out.lines.push_back(l);
    return {};
  });
  if (!st) return st.error();
  if (auto s = r->finish(); !s) return s.error();
  if (out.idempotencyKey.empty())
    return invalid("idempotency_key (or an Idempotency-Key header) is required");
  return out;
}

Result<std::string> parseReprintRequest(std::string_view body) {
  auto r = Reader::parse(body);
  if (!r) return r.error();
  std::string printer;
  if (auto st = r->text("printer", printer, false, 64); !st) return st.error();
  if (auto st = r->finish(); !st) return st.error();
  return printer;
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
