#include "wms/protocol/Codec.h"
#include "wms/common/TextChecks.h"

#include <climits>
#include <map>
#include <stdexcept>
#include <type_traits>

#include "Json.h"
#include "wms/protocol/EventIds.h"

namespace wms::protocol {
namespace {

using json::Value;

// Decoding and validation stop at the first problem. An exception keeps the
// many small checks readable; it never leaves this file (decode, validate and
// encode catch it).
struct Reject {
  ErrorKind kind;
  std::string message;
};

[[noreturn]] void invalid(std::string message) { throw Reject{ErrorKind::Invalid, std::move(message)}; }

std::string field(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string item(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// A value from the payload, safe and short enough for an error message.
std::string shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 40) out += "...";
  return out;
}

// ---- checks on decoded (or to-be-encoded) values ----------------------------

void checkId(const std::string& path, const std::string& v) {
  if (v.empty()) invalid(path + " must not be empty");
  if (v.size() > kMaxIdLength) {
    invalid(path + " is " + std::to_string(v.size()) + " characters long, at most " +
            std::to_string(kMaxIdLength) + " allowed");
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto c = static_cast<unsigned char>(v[i]);
    if (c < 0x21 || c > 0x7e) {
      invalid(path + " must be printable ASCII without spaces; character " + std::to_string(i + 1) +
              " is not");
    }
  }
}

void checkId(const std::string& path, const std::optional<std::string>& v) {
  if (v) checkId(path, *v);
}

void checkDeviceId(const std::string& path, const std::string& v) {
  if (!isValidDeviceId(v)) invalid(path + " must be 1-64 characters of [A-Za-z0-9_-], got '" + shown(v) + "'");
}

void checkEventId(const std::string& path, const std::string& v) {
  if (!isValidEventId(v)) invalid(path + " must be 1-64 characters of [A-Za-z0-9_.:-], got '" + shown(v) + "'");
}

void checkUtf8Text(const std::string& path, const std::string& v, std::size_t maxBytes, bool allowGs) {
  if (v.empty()) invalid(path + " must not be empty");
  if (v.size() > maxBytes) {
    invalid(path + " is " + std::to_string(v.size()) + " bytes long, at most " + std::to_string(maxBytes) +
            " allowed");
  }
  if (auto at = firstInvalidUtf8(v); at != std::string_view::npos) {
    invalid(path + " is not valid UTF-8 at byte " + std::to_string(at + 1));
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto c = static_cast<unsigned char>(v[i]);
    if ((c < 0x20 || c == 0x7f) && !(allowGs && c == 0x1d)) {
      invalid(path + " contains a control character at byte " + std::to_string(i + 1));
    }
  }
}

void checkText(const std::string& path, const std::string& v) { checkUtf8Text(path, v, kMaxTextLength, false); }

void checkText(const std::string& path, const std::optional<std::string>& v) {
  if (v) checkText(path, *v);
}

void checkBarcode(const std::string& path, const std::string& v) {
  checkUtf8Text(path, v, kMaxBarcodeLength, true);
}

void checkRange(const std::string& path, std::int64_t v, std::int64_t lo, std::int64_t hi) {
  if (v < lo || v > hi) {
    invalid(path + " must be an integer " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " +
            std::to_string(v));
  }
}

void checkCount(const std::string& path, std::size_t n, std::size_t lo, std::size_t hi) {
  if (n < lo || n > hi) {
    invalid(path + " must have " + std::to_string(lo) + ".." + std::to_string(hi) + " entries, got " +
            std::to_string(n));
  }
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

void checkDate(const std::string& path, const std::string& v) {
  auto digits = [&](std::size_t from, std::size_t n) {
    int x = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (v[i] < '0' || v[i] > '9') return -1;
      x = x * 10 + (v[i] - '0');
    }
    return x;
  };
  bool shape = v.size() == 10 && v[4] == '-' && v[7] == '-';
  int y = shape ? digits(0, 4) : -1, m = shape ? digits(5, 2) : -1, d = shape ? digits(8, 2) : -1;
  if (y < 1 || m < 1 || m > 12 || d < 1) invalid(path + " must be a date YYYY-MM-DD, got '" + shown(v) + "'");
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int maxDay = kDays[m - 1] + (m == 2 && isLeap(y) ? 1 : 0);
  if (d > maxDay) invalid(path + " is not a calendar date: '" + shown(v) + "'");
}

void checkDate(const std::string& path, const std::optional<std::string>& v) {
  if (v) checkDate(path, *v);
}

void checkUrl(const std::string& path, const std::string& v) {
  checkId(path, v);
  if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
    invalid(path + " must be an http:// or https:// URL");
  }
}

// Each value of a list-valued property must be distinct, e.g. stop ids.
class Distinct {
 public:
  explicit Distinct(std::string what) : what_(std::move(what)) {}
  void add(const std::string& path, const std::string& value) {
    auto [it, fresh] = seen_.emplace(value, path);
    if (!fresh) invalid(path + " repeats " + what_ + " '" + shown(value) + "' of " + it->second);
  }
  bool contains(const std::string& value) const { return seen_.count(value) != 0; }

 private:
  std::string what_;
  std::map<std::string, std::string> seen_;
};

void checkBase(const MessageBase& m) {
  checkDeviceId("device", m.device);
  checkRange("ts", m.ts, 0, kMaxTimestamp);
}

void checkEvent(const EventBase& m) {
  checkBase(m);
  checkEventId("event_id", m.eventId);
}

void checkBarcodes(const std::string& path, const std::vector<std::string>& barcodes) {
  checkCount(path, barcodes.size(), 1, kMaxBarcodes);
  for (std::size_t i = 0; i < barcodes.size(); ++i) checkBarcode(item(path, i), barcodes[i]);
}

// A stop on its own; `totes` (when known) are the batch's tote codes.
void checkStop(const std::string& p, const PickStop& s, const Distinct* totes) {
  checkId(field(p, "stop_id"), s.stopId);
  checkRange(field(p, "seq"), s.seq, 1, kMaxSeq);
  checkId(field(p, "location"), s.location);
  checkId(field(p, "sku"), s.sku);
  checkText(field(p, "description"), s.description);
  checkBarcodes(field(p, "barcodes"), s.barcodes);
  checkRange(field(p, "qty"), s.qty, 1, kMaxQty);
  checkId(field(p, "lot"), s.lot);
  checkDate(field(p, "min_expiry"), s.minExpiry);
  std::string puts = field(p, "puts");
  checkCount(puts, s.puts.size(), 1, kMaxPuts);
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < s.puts.size(); ++i) {
    const StopPut& put = s.puts[i];
    std::string q = item(puts, i);
    checkId(field(q, "tote"), put.tote);
    checkRange(field(q, "qty"), put.qty, 1, kMaxQty);
    checkId(field(q, "order_id"), put.orderId);
    checkId(field(q, "line_id"), put.lineId);
    if (totes && !totes->contains(put.tote)) {
      invalid(field(q, "tote") + " '" + shown(put.tote) + "' is not one of the batch's totes");
    }
    sum += put.qty;
  }
  if (sum != s.qty) {
    invalid(puts + " quantities add up to " + std::to_string(sum) + ", not " + field(p, "qty") + " " +
            std::to_string(s.qty));
  }
}

void checkTotePuts(const std::string& path, const std::vector<TotePut>& puts, std::size_t minCount,
                   std::int64_t expectedSum, const std::string& sumField) {
  checkCount(path, puts.size(), minCount, kMaxPuts);
  Distinct totes("tote");
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < puts.size(); ++i) {
    std::string q = item(path, i);
    checkId(field(q, "tote"), puts[i].tote);
    totes.add(field(q, "tote"), puts[i].tote);
    checkRange(field(q, "qty"), puts[i].qty, 1, kMaxQty);
    sum += puts[i].qty;
  }
  if (sum != expectedSum) {
    invalid(path + " quantities add up to " + std::to_string(sum) + ", not " + sumField + " " +
            std::to_string(expectedSum));
  }
}

// The steps a pick event says were typed: each at most once.
void checkTypedSteps(const std::string& path, const std::vector<ScanStep>& steps) {
  checkCount(path, steps.size(), 0, 3);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    for (std::size_t k = 0; k < i; ++k) {
      if (steps[k] == steps[i]) {
        invalid(item(path, i) + " repeats step '" + std::string(toString(steps[i])) + "' of " +
                item(path, k));
      }
    }
  }
}

void checkFields(const TaskAssign& m) {
  checkBase(m);
  checkId("batch_id", m.batchId);
  checkId("wave_id", m.waveId);
  checkRange("rev", m.rev, 1, INT_MAX);
  checkCount("totes", m.totes.size(), 1, kMaxTotes);
  Distinct slots("slot"), totes("tote");
  for (std::size_t i = 0; i < m.totes.size(); ++i) {
    std::string p = item("totes", i);
    checkId(field(p, "slot"), m.totes[i].slot);
    checkId(field(p, "tote"), m.totes[i].tote);
    slots.add(field(p, "slot"), m.totes[i].slot);
    totes.add(field(p, "tote"), m.totes[i].tote);
  }
  checkCount("stops", m.stops.size(), 1, kMaxStops);
  Distinct stopIds("stop_id");
  for (std::size_t i = 0; i < m.stops.size(); ++i) {
    std::string p = item("stops", i);
    checkStop(p, m.stops[i], &totes);
    stopIds.add(field(p, "stop_id"), m.stops[i].stopId);
    if (i > 0 && m.stops[i].seq <= m.stops[i - 1].seq) {
      invalid(field(p, "seq") + " " + std::to_string(m.stops[i].seq) + " must be greater than the seq " +
              std::to_string(m.stops[i - 1].seq) + " of the stop before it (stops are in walking order)");
    }
  }
}

void checkFields(const TaskUpdate& m) {
  checkBase(m);
  checkId("batch_id", m.batchId);
  checkRange("rev", m.rev, 2, INT_MAX);
  checkCount("add_stops", m.addStops.size(), 0, kMaxStops);
  checkCount("remove_stops", m.removeStops.size(), 0, kMaxStops);
  if (m.addStops.empty() && m.removeStops.empty()) invalid("add_stops and remove_stops are both empty");
  Distinct added("stop_id");
  for (std::size_t i = 0; i < m.addStops.size(); ++i) {
    std::string p = item("add_stops", i);
    checkStop(p, m.addStops[i], nullptr);
    added.add(field(p, "stop_id"), m.addStops[i].stopId);
  }
  Distinct removed("stop_id");
  for (std::size_t i = 0; i < m.removeStops.size(); ++i) {
    std::string p = item("remove_stops", i);
    checkId(p, m.removeStops[i]);
    removed.add(p, m.removeStops[i]);
    if (added.contains(m.removeStops[i])) {
      invalid(p + " '" + shown(m.removeStops[i]) + "' is also in add_stops");
    }
  }
  checkText("reason", m.reason);
}

void checkFields(const TaskCancel& m) {
  checkBase(m);
  checkId("batch_id", m.batchId);
  checkText("reason", m.reason);
}

void checkFields(const PackTask& m) {
  checkBase(m);
  checkId("order_id", m.orderId);
  checkId("channel", m.channel);
  checkId("tote", m.tote);
  checkId("carton", m.carton);
  checkCount("lines", m.lines.size(), 1, kMaxLines);
  Distinct lineIds("line_id");
  for (std::size_t i = 0; i < m.lines.size(); ++i) {
    std::string p = item("lines", i);
    const PackLine& l = m.lines[i];
    checkId(field(p, "line_id"), l.lineId);
    lineIds.add(field(p, "line_id"), l.lineId);
    checkId(field(p, "sku"), l.sku);
    checkText(field(p, "description"), l.description);
    checkBarcodes(field(p, "barcodes"), l.barcodes);
    checkRange(field(p, "qty"), l.qty, 1, kMaxQty);
  }
}

void checkFields(const LabelReady& m) {
  checkBase(m);
  checkId("order_id", m.orderId);
  checkId("shipment_id", m.shipmentId);
  checkId("carrier", m.carrier);
  checkId("tracking", m.tracking);
  checkId("printer", m.printer);
  if (m.url) checkUrl("url", *m.url);
  if (!m.printer && !m.url) invalid("at least one of printer and url is required");
}

void checkError(const std::string& path, const Error& e) { checkText(field(path, "message"), e.message); }

void checkFields(const Ack& m) {
  checkBase(m);
  checkEventId("event_id", m.eventId);
  if (m.result == AckResult::Rejected && !m.error) invalid("error is required when result is rejected");
  if (m.result != AckResult::Rejected && m.error) invalid("error must be absent unless result is rejected");
  if (m.error) checkError("error", *m.error);
}

void checkFields(const ServerError& m) {
  checkBase(m);
  checkError("error", m.error);
}

void checkFields(const SignIn& m) {
  checkEvent(m);
  checkId("badge", m.badge);
}

void checkFields(const SignOut& m) { checkEvent(m); }

void checkFields(const Scan& m) {
  checkEvent(m);
  checkBarcode("barcode", m.barcode);
  checkId("symbology", m.symbology);
  checkId("batch_id", m.batchId);
  checkId("stop_id", m.stopId);
}

void checkFields(const PickConfirm& m) {
  checkEvent(m);
  checkId("batch_id", m.batchId);
  checkId("stop_id", m.stopId);
  checkRange("qty", m.qty, 1, kMaxQty);
  checkTotePuts("puts", m.puts, 1, m.qty, "qty");
  checkId("location", m.location);
  checkBarcode("barcode", m.barcode);
  checkId("lot", m.lot);
  checkDate("expiry", m.expiry);
  checkTypedSteps("typed", m.typed);
}

void checkFields(const PickShort& m) {
  checkEvent(m);
  checkId("batch_id", m.batchId);
  checkId("stop_id", m.stopId);
  checkRange("qty_picked", m.qtyPicked, 0, kMaxQty);
  checkTotePuts("puts", m.puts, 0, m.qtyPicked, "qty_picked");
  checkText("note", m.note);
  checkTypedSteps("typed", m.typed);
}

void checkFields(const BatchDone& m) {
  checkEvent(m);
  checkId("batch_id", m.batchId);
}

void checkFields(const PackRequest& m) {
  checkEvent(m);
  if (m.tote.has_value() == m.orderId.has_value()) invalid("exactly one of tote and order_id is required");
  checkId("tote", m.tote);
  checkId("order_id", m.orderId);
  checkId("station", m.station);
}

void checkFields(const PackConfirm& m) {
  checkEvent(m);
  checkId("order_id", m.orderId);
  checkCount("cartons", m.cartons.size(), 1, kMaxCartons);
  Distinct cartonIds("carton_id");
  for (std::size_t i = 0; i < m.cartons.size(); ++i) {
    std::string p = item("cartons", i);
    const PackCarton& c = m.cartons[i];
    checkId(field(p, "carton_id"), c.cartonId);
    cartonIds.add(field(p, "carton_id"), c.cartonId);
    checkId(field(p, "carton_type"), c.cartonType);
    if (c.weightGrams) checkRange(field(p, "weight_g"), *c.weightGrams, 1, 1000000);
    std::string items = field(p, "items");
    checkCount(items, c.items.size(), 1, kMaxCartonItems);
    Distinct skus("sku");
    for (std::size_t k = 0; k < c.items.size(); ++k) {
      std::string q = item(items, k);
      checkId(field(q, "sku"), c.items[k].sku);
      skus.add(field(q, "sku"), c.items[k].sku);
      checkRange(field(q, "qty"), c.items[k].qty, 1, kMaxQty);
    }
  }
}

void checkFields(const ShipConfirm& m) {
  checkEvent(m);
  checkId("order_id", m.orderId);
  checkId("shipment_id", m.shipmentId);
  checkCount("cartons", m.cartons.size(), 1, kMaxCartons);
  Distinct cartonIds("carton id");
  for (std::size_t i = 0; i < m.cartons.size(); ++i) {
    checkId(item("cartons", i), m.cartons[i]);
    cartonIds.add(item("cartons", i), m.cartons[i]);
  }
  checkCount("lines", m.lines.size(), 1, kMaxLines);
  Distinct lineIds("line_id");
  for (std::size_t i = 0; i < m.lines.size(); ++i) {
    std::string p = item("lines", i);
    checkId(field(p, "line_id"), m.lines[i].lineId);
    lineIds.add(field(p, "line_id"), m.lines[i].lineId);
    checkId(field(p, "sku"), m.lines[i].sku);
    checkRange(field(p, "qty"), m.lines[i].qty, 1, kMaxQty);
  }
}

void checkFields(const LabelRequest& m) {
  checkEvent(m);
  checkId("order_id", m.orderId);
  checkId("printer", m.printer);
}

void checkFields(const Presence& m) {
  checkBase(m);
  checkId("app", m.app);
  checkId("user", m.user);
}

void checkFields(const Heartbeat& m) {
  checkBase(m);
  checkRange("battery", m.battery, 0, 100);
  checkRange("rssi", m.rssi, -127, 0);
  checkRange("outbox", m.outbox, 0, 1000000);
  checkId("batch_id", m.batchId);
}

// ---- encoding ------------------------------------------------------------------

class Encoder {
 public:
  void base(std::string_view type, const MessageBase& m) {
    w_.beginObject();
    str("type", type);
    num("v", kProtocolVersion);
    str("device", m.device);
    num("ts", m.ts);
  }
  void event(std::string_view type, const EventBase& m) {
    base(type, m);
    str("event_id", m.eventId);
  }
  void str(std::string_view key, std::string_view v) {
    w_.key(key);
    w_.string(v);
  }
  void opt(std::string_view key, const std::optional<std::string>& v) {
    if (v) str(key, *v);
  }
  void num(std::string_view key, std::int64_t v) {
    w_.key(key);
    w_.integer(v);
  }
  void flag(std::string_view key, bool v) {
    w_.key(key);
    w_.boolean(v);
  }
  // Optional arrays of steps: absent when empty.
  void steps(std::string_view key, const std::vector<ScanStep>& v) {
    if (v.empty()) return;
    w_.key(key);
    w_.beginArray();
    for (ScanStep s : v) w_.string(toString(s));
    w_.endArray();
  }
  void strings(std::string_view key, const std::vector<std::string>& v) {
    w_.key(key);
    w_.beginArray();
    for (const auto& s : v) w_.string(s);
    w_.endArray();
  }
  template <class T, class F>
  void objects(std::string_view key, const std::vector<T>& v, F each) {
    w_.key(key);
    w_.beginArray();
    for (const auto& x : v) {
      w_.beginObject();
      each(x);
      w_.endObject();
    }
    w_.endArray();
  }
  void error(const Error& e) {
    w_.key("error");
    w_.beginObject();
    str("code", toString(e.kind));
    str("message", e.message);
    w_.endObject();
  }
  void stops(std::string_view key, const std::vector<PickStop>& stops) {
    objects(key, stops, [this](const PickStop& s) {
      str("stop_id", s.stopId);
      num("seq", s.seq);
      str("location", s.location);
      str("sku", s.sku);
      str("description", s.description);
      strings("barcodes", s.barcodes);
      num("qty", s.qty);
      opt("lot", s.lot);
      opt("min_expiry", s.minExpiry);
      objects("puts", s.puts, [this](const StopPut& p) {
        str("tote", p.tote);
        num("qty", p.qty);
        str("order_id", p.orderId);
        str("line_id", p.lineId);
      });
    });
  }
  void totePuts(const std::vector<TotePut>& puts) {
    objects("puts", puts, [this](const TotePut& p) {
      str("tote", p.tote);
      num("qty", p.qty);
    });
  }
  std::string finish() {
    w_.endObject();
    return w_.take();
  }

  void body(const TaskAssign& m) {
    base("task.assign", m);
    str("batch_id", m.batchId);
    str("wave_id", m.waveId);
    num("rev", m.rev);
    objects("totes", m.totes, [this](const CartTote& t) {
      str("slot", t.slot);
      str("tote", t.tote);
    });
    stops("stops", m.stops);
    if (m.typedCodes) flag("typed_codes", true);
  }
  void body(const TaskUpdate& m) {
    base("task.update", m);
    str("batch_id", m.batchId);
    num("rev", m.rev);
    stops("add_stops", m.addStops);
    strings("remove_stops", m.removeStops);
    str("reason", m.reason);
  }
  void body(const TaskCancel& m) {
    base("task.cancel", m);
    str("batch_id", m.batchId);
    str("reason", m.reason);
  }
  void body(const PackTask& m) {
    base("pack.task", m);
    str("order_id", m.orderId);
    str("channel", m.channel);
    opt("tote", m.tote);
    opt("carton", m.carton);
    objects("lines", m.lines, [this](const PackLine& l) {
      str("line_id", l.lineId);
      str("sku", l.sku);
      str("description", l.description);
      strings("barcodes", l.barcodes);
      num("qty", l.qty);
    });
  }
  void body(const LabelReady& m) {
    base("label.ready", m);
    str("order_id", m.orderId);
    str("shipment_id", m.shipmentId);
    str("carrier", m.carrier);
    str("tracking", m.tracking);
    opt("printer", m.printer);
    opt("url", m.url);
  }
  void body(const Ack& m) {
    base("ack", m);
    str("event_id", m.eventId);
    str("result", toString(m.result));
    if (m.error) error(*m.error);
  }
  void body(const ServerError& m) {
    base("error", m);
    error(m.error);
  }
  void body(const SignIn& m) {
    event("signin", m);
    str("badge", m.badge);
    str("mode", toString(m.mode));
  }
  void body(const SignOut& m) { event("signout", m); }
  void body(const Scan& m) {
    event("scan", m);
    str("barcode", m.barcode);
    opt("symbology", m.symbology);
    opt("batch_id", m.batchId);
    opt("stop_id", m.stopId);
  }
  void body(const PickConfirm& m) {
    event("pick.confirm", m);
    str("batch_id", m.batchId);
    str("stop_id", m.stopId);
    num("qty", m.qty);
    totePuts(m.puts);
    str("location", m.location);
    str("barcode", m.barcode);
    opt("lot", m.lot);
    opt("expiry", m.expiry);
    steps("typed", m.typed);
  }
  void body(const PickShort& m) {
    event("pick.short", m);
    str("batch_id", m.batchId);
    str("stop_id", m.stopId);
    num("qty_picked", m.qtyPicked);
    totePuts(m.puts);
    str("reason", toString(m.reason));
    opt("note", m.note);
    steps("typed", m.typed);
  }
  void body(const BatchDone& m) {
    event("batch.done", m);
    str("batch_id", m.batchId);
  }
  void body(const PackRequest& m) {
    event("pack.request", m);
    opt("tote", m.tote);
    opt("order_id", m.orderId);
    opt("station", m.station);
  }
  void body(const PackConfirm& m) {
    event("pack.confirm", m);
    str("order_id", m.orderId);
    objects("cartons", m.cartons, [this](const PackCarton& c) {
      str("carton_id", c.cartonId);
      str("carton_type", c.cartonType);
      if (c.weightGrams) num("weight_g", *c.weightGrams);
      objects("items", c.items, [this](const PackItem& i) {
        str("sku", i.sku);
        num("qty", i.qty);
      });
    });
  }
  void body(const ShipConfirm& m) {
    event("ship.confirm", m);
    str("order_id", m.orderId);
    str("shipment_id", m.shipmentId);
    strings("cartons", m.cartons);
    objects("lines", m.lines, [this](const ShipLine& l) {
      str("line_id", l.lineId);
      str("sku", l.sku);
      num("qty", l.qty);
    });
  }
  void body(const LabelRequest& m) {
    event("label.request", m);
    str("order_id", m.orderId);
    opt("printer", m.printer);
    if (m.format) str("format", toString(*m.format));
  }
  void body(const Presence& m) {
    base("status", m);
    str("state", toString(m.state));
    str("app", m.app);
    opt("user", m.user);
  }
  void body(const Heartbeat& m) {
    base("heartbeat", m);
    num("battery", m.battery);
    num("rssi", m.rssi);
    num("outbox", m.outbox);
    opt("batch_id", m.batchId);
  }

 private:
  json::Writer w_;
};

std::string encodeUnchecked(const Message& message) {
  Encoder e;
  std::visit([&e](const auto& m) { e.body(m); }, message);
  return e.finish();
}

// Field checks, then the size of the encoding. Throws Reject.
std::string checkAndEncode(const Message& message) {
  try {
    std::visit([](const auto& m) { checkFields(m); }, message);
  } catch (Reject& r) {
    r.message = std::string(typeName(message)) + ": " + r.message;
    throw;
  }
  std::string out = encodeUnchecked(message);
  if (out.size() > kMaxPayloadBytes) {
    throw Reject{ErrorKind::TooLarge, std::string(typeName(message)) + ": encoded message is " +
                                          std::to_string(out.size()) + " bytes, the limit is " +
                                          std::to_string(kMaxPayloadBytes)};
  }
  return out;
}

// ---- decoding ------------------------------------------------------------------

// Reads the fields of one JSON object, checking JSON types; remembers which
// fields were read so that finish() can reject the rest.
class ObjectReader {
 public:
  ObjectReader(const Value& v, std::string path) : v_(v), path_(std::move(path)) {
    if (v.kind != Value::Kind::Object) {
      invalid((path_.empty() ? std::string("payload") : path_) + " must be an object, got " +
              std::string(json::kindName(v.kind)));
    }
    used_.assign(v.keys.size(), false);
  }

  const std::string& path() const { return path_; }

  // The value of key, or nullptr if absent or null.
  const Value* find(std::string_view key) {
    for (std::size_t i = 0; i < v_.keys.size(); ++i) {
      if (v_.keys[i] == key) {
        used_[i] = true;
        const Value& x = v_.items[i];
        return x.kind == Value::Kind::Null ? nullptr : &x;
      }
    }
    return nullptr;
  }

  const Value& require(std::string_view key) {
    const Value* x = find(key);
    if (!x) invalid(field(path_, key) + " is required");
    return *x;
  }

  std::string str(std::string_view key) { return asString(require(key), field(path_, key)); }

  std::optional<std::string> optStr(std::string_view key) {
    const Value* x = find(key);
    if (!x) return std::nullopt;
    return asString(*x, field(path_, key));
  }

  std::int64_t int64(std::string_view key) { return asInt64(require(key), field(path_, key)); }

  int integer(std::string_view key) { return asInt(require(key), field(path_, key)); }

  std::optional<int> optInteger(std::string_view key) {
    const Value* x = find(key);
    if (!x) return std::nullopt;
    return asInt(*x, field(path_, key));
  }

  std::optional<bool> optBoolean(std::string_view key) {
    const Value* x = find(key);
    if (!x) return std::nullopt;
    if (x->kind != Value::Kind::Bool) {
      invalid(field(path_, key) + " must be true or false, got " + std::string(json::kindName(x->kind)));
    }
    return x->boolean;
  }

  template <class E, std::size_t N>
  E enumeration(std::string_view key, const E (&values)[N]) {
    return asEnum(require(key), field(path_, key), values);
  }

  template <class E, std::size_t N>
  std::optional<E> optEnumeration(std::string_view key, const E (&values)[N]) {
    const Value* x = find(key);
    if (!x) return std::nullopt;
    return asEnum(*x, field(path_, key), values);
  }

  // An array of strings; `optional` arrays may be absent (= empty).
  std::vector<std::string> strings(std::string_view key, bool optional = false) {
    std::vector<std::string> out;
    const Value* arr = array(key, optional);
    if (!arr) return out;
    std::string p = field(path_, key);
    out.reserve(arr->items.size());
    for (std::size_t i = 0; i < arr->items.size(); ++i) out.push_back(asString(arr->items[i], item(p, i)));
    return out;
  }

  // An array of enum values by their wire names; `optional` arrays may be
  // absent (= empty).
  template <class E, std::size_t N>
  std::vector<E> enumerations(std::string_view key, const E (&values)[N], bool optional = false) {
    std::vector<E> out;
    const Value* arr = array(key, optional);
    if (!arr) return out;
    std::string p = field(path_, key);
    out.reserve(arr->items.size());
    for (std::size_t i = 0; i < arr->items.size(); ++i)
      out.push_back(asEnum(arr->items[i], item(p, i), values));
    return out;
  }

  // An array of objects, each read by read(ObjectReader&).
  template <class T, class F>
  std::vector<T> objects(std::string_view key, F read, bool optional = false) {
    std::vector<T> out;
    const Value* arr = array(key, optional);
    if (!arr) return out;
    std::string p = field(path_, key);
    out.reserve(arr->items.size());
    for (std::size_t i = 0; i < arr->items.size(); ++i) {
      ObjectReader r(arr->items[i], item(p, i));
      out.push_back(read(r));
      r.finish();
    }
    return out;
  }

  // Rejects any field that was not read.
  void finish() const {
    for (std::size_t i = 0; i < used_.size(); ++i) {
      if (!used_[i]) invalid("unknown field '" + shown(field(path_, v_.keys[i])) + "'");
    }
  }

 private:
  const Value* array(std::string_view key, bool optional) {
    const Value* x = optional ? find(key) : &require(key);
    if (!x) return nullptr;
    if (x->kind != Value::Kind::Array) {
      invalid(field(path_, key) + " must be an array, got " + std::string(json::kindName(x->kind)));
    }
    // Counts are checked again with their exact limits by validation; this
    // early bound keeps a huge array from being read at all.
    if (x->items.size() > kMaxStops + kMaxLines) {
      invalid(field(path_, key) + " has " + std::to_string(x->items.size()) + " entries, far over any limit");
    }
    return x;
  }

  static std::string asString(const Value& x, const std::string& path) {
    if (x.kind != Value::Kind::String) {
      invalid(path + " must be a string, got " + std::string(json::kindName(x.kind)));
    }
    return x.string;
  }

  static std::int64_t asInt64(const Value& x, const std::string& path) {
    if (x.kind == Value::Kind::Integer) return x.integer;
    if (x.kind == Value::Kind::Unsigned) invalid(path + " is out of range");
    if (x.kind == Value::Kind::Double) invalid(path + " must be a whole number written without fraction or exponent");
    invalid(path + " must be an integer, got " + std::string(json::kindName(x.kind)));
  }

  static int asInt(const Value& x, const std::string& path) {
    std::int64_t v = asInt64(x, path);
    if (v < INT_MIN || v > INT_MAX) invalid(path + " is out of range: " + std::to_string(v));
    return static_cast<int>(v);
  }

  template <class E, std::size_t N>
  static E asEnum(const Value& x, const std::string& path, const E (&values)[N]) {
    std::string s = asString(x, path);
    std::string allowed;
    for (E e : values) {
      if (s == toString(e)) return e;
      allowed += (allowed.empty() ? "" : ", ") + std::string(toString(e));
    }
    invalid(path + " must be one of " + allowed + ", got '" + shown(s) + "'");
  }

  const Value& v_;
  std::string path_;
  std::vector<bool> used_;
};

constexpr AckResult kAckResults[] = {AckResult::Applied, AckResult::Duplicate, AckResult::Rejected};
constexpr WorkMode kWorkModes[] = {WorkMode::Pick, WorkMode::Pack};
constexpr ShortReason kShortReasons[] = {ShortReason::Empty, ShortReason::Damaged, ShortReason::NotFound,
                                         ShortReason::Other};
constexpr ScanStep kScanSteps[] = {ScanStep::Location, ScanStep::Item, ScanStep::Tote};
constexpr LabelFormat kLabelFormats[] = {LabelFormat::Zpl, LabelFormat::Pdf, LabelFormat::Png};
constexpr PresenceState kPresenceStates[] = {PresenceState::Online, PresenceState::Offline};

void readBase(ObjectReader& r, MessageBase& m) {
  m.device = r.str("device");
  m.ts = r.int64("ts");
}

void readEvent(ObjectReader& r, EventBase& m) {
  readBase(r, m);
  m.eventId = r.str("event_id");
}

PickStop readStop(ObjectReader& r) {
  PickStop s;
  s.stopId = r.str("stop_id");
  s.seq = r.integer("seq");
  s.location = r.str("location");
  s.sku = r.str("sku");
  s.description = r.str("description");
  s.barcodes = r.strings("barcodes");
  s.qty = r.integer("qty");
  s.lot = r.optStr("lot");
  s.minExpiry = r.optStr("min_expiry");
  s.puts = r.objects<StopPut>("puts", [](ObjectReader& p) {
    StopPut put;
    put.tote = p.str("tote");
    put.qty = p.integer("qty");
    put.orderId = p.str("order_id");
    put.lineId = p.str("line_id");
    return put;
  });
  return s;
}

std::vector<TotePut> readTotePuts(ObjectReader& r, bool optional) {
  return r.objects<TotePut>(
      "puts",
      [](ObjectReader& p) {
        TotePut put;
        put.tote = p.str("tote");
        put.qty = p.integer("qty");
        return put;
      },
      optional);
}

Error readError(ObjectReader& parent) {
  ObjectReader r(parent.require("error"), field(parent.path(), "error"));
  std::string code = r.str("code");
  auto kind = errorKindFromString(code);
  if (!kind) invalid("error.code " + kind.error().message);
  Error e{*kind, r.str("message")};
  r.finish();
  return e;
}

constexpr std::string_view kTypeNames[] = {
    "task.assign", "task.update", "task.cancel",  "pack.task",    "label.ready",  "ack",
    "error",       "signin",      "signout",      "scan",         "pick.confirm", "pick.short",
    "batch.done",  "pack.request", "pack.confirm", "ship.confirm", "label.request", "status",
    "heartbeat"};

bool isKnownType(std::string_view type) {
  for (auto t : kTypeNames) {
    if (t == type) return true;
  }
  return false;
}

// One reader per type: reads exactly the documented fields.
Message readBody(std::string_view type, ObjectReader& r) {
  if (type == "task.assign") {
    TaskAssign m;
    readBase(r, m);
    m.batchId = r.str("batch_id");
    m.waveId = r.str("wave_id");
    m.rev = r.integer("rev");
    m.totes = r.objects<CartTote>("totes", [](ObjectReader& t) { return CartTote{t.str("slot"), t.str("tote")}; });
    m.stops = r.objects<PickStop>("stops", readStop);
    m.typedCodes = r.optBoolean("typed_codes").value_or(false);
    return m;
  }
  if (type == "task.update") {
    TaskUpdate m;
    readBase(r, m);
    m.batchId = r.str("batch_id");
    m.rev = r.integer("rev");
    m.addStops = r.objects<PickStop>("add_stops", readStop, true);
    m.removeStops = r.strings("remove_stops", true);
    m.reason = r.str("reason");
    return m;
  }
  if (type == "task.cancel") {
    TaskCancel m;
    readBase(r, m);
    m.batchId = r.str("batch_id");
    m.reason = r.str("reason");
    return m;
  }
  if (type == "pack.task") {
    PackTask m;
    readBase(r, m);
    m.orderId = r.str("order_id");
    m.channel = r.str("channel");
    m.tote = r.optStr("tote");
    m.carton = r.optStr("carton");
    m.lines = r.objects<PackLine>("lines", [](ObjectReader& l) {
      PackLine line;
      line.lineId = l.str("line_id");
      line.sku = l.str("sku");
      line.description = l.str("description");
      line.barcodes = l.strings("barcodes");
      line.qty = l.integer("qty");
      return line;
    });
    return m;
  }
  if (type == "label.ready") {
    LabelReady m;
    readBase(r, m);
    m.orderId = r.str("order_id");
    m.shipmentId = r.str("shipment_id");
    m.carrier = r.str("carrier");
    m.tracking = r.str("tracking");
    m.printer = r.optStr("printer");
    m.url = r.optStr("url");
    return m;
  }
  if (type == "ack") {
    Ack m;
    readBase(r, m);
    m.eventId = r.str("event_id");
    m.result = r.enumeration("result", kAckResults);
    if (r.find("error")) m.error = readError(r);
    return m;
  }
  if (type == "error") {
    ServerError m;
    readBase(r, m);
    m.error = readError(r);
    return m;
  }
  if (type == "signin") {
    SignIn m;
    readEvent(r, m);
    m.badge = r.str("badge");
    m.mode = r.enumeration("mode", kWorkModes);
    return m;
  }
  if (type == "signout") {
    SignOut m;
    readEvent(r, m);
    return m;
  }
  if (type == "scan") {
    Scan m;
    readEvent(r, m);
    m.barcode = r.str("barcode");
    m.symbology = r.optStr("symbology");
    m.batchId = r.optStr("batch_id");
    m.stopId = r.optStr("stop_id");
    return m;
  }
  if (type == "pick.confirm") {
    PickConfirm m;
    readEvent(r, m);
    m.batchId = r.str("batch_id");
    m.stopId = r.str("stop_id");
    m.qty = r.integer("qty");
    m.puts = readTotePuts(r, false);
    m.location = r.str("location");
    m.barcode = r.str("barcode");
    m.lot = r.optStr("lot");
    m.expiry = r.optStr("expiry");
    m.typed = r.enumerations("typed", kScanSteps, true);
    return m;
  }
  if (type == "pick.short") {
    PickShort m;
    readEvent(r, m);
    m.batchId = r.str("batch_id");
    m.stopId = r.str("stop_id");
    m.qtyPicked = r.integer("qty_picked");
    m.puts = readTotePuts(r, true);
    m.reason = r.enumeration("reason", kShortReasons);
    m.note = r.optStr("note");
    m.typed = r.enumerations("typed", kScanSteps, true);
    return m;
  }
  if (type == "batch.done") {
    BatchDone m;
    readEvent(r, m);
    m.batchId = r.str("batch_id");
    return m;
  }
  if (type == "pack.request") {
    PackRequest m;
    readEvent(r, m);
    m.tote = r.optStr("tote");
    m.orderId = r.optStr("order_id");
    m.station = r.optStr("station");
    return m;
  }
  if (type == "pack.confirm") {
    PackConfirm m;
    readEvent(r, m);
    m.orderId = r.str("order_id");
    m.cartons = r.objects<PackCarton>("cartons", [](ObjectReader& c) {
      PackCarton carton;
      carton.cartonId = c.str("carton_id");
      carton.cartonType = c.str("carton_type");
      carton.weightGrams = c.optInteger("weight_g");
      carton.items = c.objects<PackItem>("items", [](ObjectReader& i) { return PackItem{i.str("sku"), i.integer("qty")}; });
      return carton;
    });
    return m;
  }
  if (type == "ship.confirm") {
    ShipConfirm m;
    readEvent(r, m);
    m.orderId = r.str("order_id");
    m.shipmentId = r.str("shipment_id");
    m.cartons = r.strings("cartons");
    m.lines = r.objects<ShipLine>("lines", [](ObjectReader& l) {
      return ShipLine{l.str("line_id"), l.str("sku"), l.integer("qty")};
    });
    return m;
  }
  if (type == "label.request") {
    LabelRequest m;
    readEvent(r, m);
    m.orderId = r.str("order_id");
    m.printer = r.optStr("printer");
    m.format = r.optEnumeration("format", kLabelFormats);
    return m;
  }
  if (type == "status") {
    Presence m;
    readBase(r, m);
    m.state = r.enumeration("state", kPresenceStates);
    m.app = r.str("app");
    m.user = r.optStr("user");
    return m;
  }
  if (type == "heartbeat") {
    Heartbeat m;
    readBase(r, m);
    m.battery = r.integer("battery");
    m.rssi = r.integer("rssi");
    m.outbox = r.integer("outbox");
    m.batchId = r.optStr("batch_id");
    return m;
  }
  invalid("unknown message type '" + shown(type) + "'");
}

}  // namespace

Status validate(const Message& message) {
  try {
    (void)checkAndEncode(message);
  } catch (const Reject& r) {
    return makeError(r.kind, r.message);
  }
  return {};
}

std::string encode(const Message& message) {
  try {
    return checkAndEncode(message);
  } catch (const Reject& r) {
    throw std::invalid_argument("encode: " + r.message);
  }
}

Result<Message> decode(std::string_view payload) {
  if (payload.size() > kMaxPayloadBytes) {
    return makeError(ErrorKind::TooLarge, "payload is " + std::to_string(payload.size()) +
                                              " bytes, the limit is " + std::to_string(kMaxPayloadBytes));
  }
  if (payload.empty()) return makeError(ErrorKind::Malformed, "payload is empty");
  auto doc = json::parse(payload, kMaxJsonDepth);
  if (!doc) return doc.error();
  if (doc->kind != Value::Kind::Object) {
    return makeError(ErrorKind::Malformed,
                     "payload must be a JSON object, got " + std::string(json::kindName(doc->kind)));
  }
  std::string type;
  try {
    ObjectReader r(*doc, "");
    // The version first: a later version may have types this one lacks.
    const Value* v = r.find("v");
    if (!v) invalid("v (the protocol version) is required");
    if (v->kind != Value::Kind::Integer || v->integer != kProtocolVersion) {
      std::string got = v->kind == Value::Kind::Integer ? std::to_string(v->integer)
                                                         : "a " + std::string(json::kindName(v->kind));
      invalid("unsupported protocol version " + got + " (this side speaks version " +
              std::to_string(kProtocolVersion) + ")");
    }
    std::string name = r.str("type");
    if (!isKnownType(name)) invalid("unknown message type '" + shown(name) + "'");
    type = std::move(name);
    Message m = readBody(type, r);
    r.finish();
    std::visit([](const auto& x) { checkFields(x); }, m);
    return m;
  } catch (const Reject& r) {
    return makeError(r.kind, type.empty() ? r.message : type + ": " + r.message);
  }
}

Result<Message> decodeFromTopic(std::string_view topic, std::string_view payload) {
  auto address = parseTopic(topic);
  if (!address) return address.error();
  auto message = decode(payload);
  if (!message) return message;
  const std::string& device = baseOf(*message).device;
  if (device != address->device) {
    return makeError(ErrorKind::Forbidden, "payload device '" + device + "' does not match the device '" +
                                               address->device + "' of topic " + std::string(topic));
  }
  TopicKind expected = topicKindOf(*message);
  if (expected != address->channel) {
    return makeError(ErrorKind::Forbidden, std::string(typeName(*message)) + " does not belong on channel '" +
                                               std::string(toString(address->channel)) + "' (it goes on '" +
                                               std::string(toString(expected)) + "')");
  }
  return message;
}

std::string fitText(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    std::string_view piece = len ? text.substr(i, len) : std::string_view();
    bool ok = len != 0 && piece.size() == len && firstInvalidUtf8(piece) == std::string_view::npos &&
              !(len == 1 && (c < 0x20 || c == 0x7f));
    if (ok) {
      out.append(piece);
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  if (out.empty()) return "-";
  if (out.size() <= kMaxTextLength) return out;
  // Cut before a character that starts at or after the limit (out is valid UTF-8 now).
  std::size_t cut = kMaxTextLength - 3;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  return out + "...";
}

std::optional<std::string> peekEventId(std::string_view payload) {
  if (payload.size() > kMaxPayloadBytes) return std::nullopt;
  auto doc = json::parse(payload, kMaxJsonDepth);
  if (!doc || doc->kind != Value::Kind::Object) return std::nullopt;
  for (std::size_t i = 0; i < doc->keys.size(); ++i) {
    const Value& value = doc->items[i];
    if (doc->keys[i] == "event_id" && value.kind == Value::Kind::String && isValidEventId(value.string)) {
      return value.string;
    }
  }
  return std::nullopt;
}

Result<ErrorKind> errorKindFromString(std::string_view name) {
  static constexpr ErrorKind kKinds[] = {
      ErrorKind::Malformed,   ErrorKind::Invalid,   ErrorKind::NotFound,     ErrorKind::Conflict,
      ErrorKind::InsufficientStock, ErrorKind::TooLarge, ErrorKind::Unauthorized, ErrorKind::Forbidden,
      ErrorKind::Unavailable, ErrorKind::Internal};
  for (ErrorKind k : kKinds) {
    if (name == toString(k)) return k;
  }
  return makeError(ErrorKind::Invalid, "'" + shown(name) + "' is not an error code");
}

}  // namespace wms::protocol
