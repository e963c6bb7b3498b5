#include "wms/protocol/Codec.h"
#include "wms/common/TextChecks.h"

#include <cassert>
#include <cctype>
#include <climits>
#include <concepts>
#include <map>
#include <set>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "Json.h"
#include "wms/protocol/EventIds.h"

// Each message's fields are described once, by a `fields(v, message)`
// function below: the JSON name, the struct member and its kind (id, text,
// integer range, list with its counts, nested object...), in wire order,
// plus the rules that tie fields together. Three visitors walk those
// descriptions: Checker (validate, and decode after reading), Encoder and
// Decoder.
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

// ---- field kinds -----------------------------------------------------------------
//
// A field is v("json_name", member, kind). The member's type says how it
// travels: a std::optional is absent (or null) on the wire when empty; a
// std::vector is a JSON array whose elements have the list's element kind.

// An identifier: 1..kMaxIdLength printable ASCII characters without spaces.
// With `distinctAs`, no two elements of the enclosing list may have the same
// value (the error calls the value by that name).
struct Id {
  const char* distinctAs = nullptr;
};
// UTF-8 without control characters, 1..maxBytes bytes (GS allowed in barcodes).
struct Text {
  std::size_t maxBytes;
  bool allowGs;
};
struct Date {};         // "YYYY-MM-DD", a calendar date
struct Url {};          // an id that starts with http:// or https://
struct DeviceId {};     // isValidDeviceId (Topics.h)
struct EventIdText {};  // isValidEventId (EventIds.h)
struct Int {            // an integer lo..hi
  std::int64_t lo, hi;
};
struct Flag {};         // a bool: absent or null means false; written only when true
struct Enum {           // an enum by its wire name (toString); distinctAs as for Id
  const char* distinctAs = nullptr;
};
struct ErrorCode {};    // an ErrorKind by its wire name
struct Object {};       // a nested object, described by its own fields()

// What an encoded list with no elements looks like.
enum class Empty { Written, Omitted };

// A list of min..max elements. A list that may be empty (min 0) may also be
// absent on the wire.
template <class Element>
struct List {
  std::size_t min, max;
  Element element;
  Empty empty;
};

template <class Element>
constexpr List<Element> listOf(Element element, std::size_t min, std::size_t max, Empty empty = Empty::Written) {
  return {min, max, element, empty};
}
constexpr List<Object> objects(std::size_t min, std::size_t max) { return listOf(Object{}, min, max); }

constexpr Id kId{};
constexpr Text kText{kMaxTextLength, false};
constexpr Text kBarcode{kMaxBarcodeLength, true};
constexpr Int kQty{1, kMaxQty};

// A list's per-element rule that does nothing.
struct NoRule {
  template <class C>
  void operator()(C&, std::size_t) const {}
};

// ---- the messages ------------------------------------------------------------------
//
// fields(v, m) for a message or a part of one, in wire order. v.rule(f) is a
// check across fields: only the Checker runs it, as f(checker), where it sees
// the path of the object being checked. A list may take a rule run after
// each of its elements, as f(checker, index) (the path is the element's).

// M is T or const T (the Checker and the Encoder read, the Decoder writes).
template <class M, class T>
concept Is = std::same_as<std::remove_const_t<M>, T>;

// `type` and `v` come first on the wire; the visitors handle them.
template <class V, class M>
void baseFields(V& v, M& m) {
  v("device", m.device, DeviceId{});
  v("ts", m.ts, Int{0, kMaxTimestamp});
}

template <class V, class M>
void eventFields(V& v, M& m) {
  baseFields(v, m);
  v("event_id", m.eventId, EventIdText{});
}

template <class V>
void fields(V& v, Is<CartTote> auto& t) {
  v("slot", t.slot, Id{"slot"});
  v("tote", t.tote, Id{"tote"});
}

template <class V>
void fields(V& v, Is<StopPut> auto& p) {
  v("tote", p.tote, kId);
  v("qty", p.qty, kQty);
  v("order_id", p.orderId, kId);
  v("line_id", p.lineId, kId);
  v.rule([&](auto& c) {
    if (c.batchTotes && !c.batchTotes->count(p.tote)) {
      invalid(c.at("tote") + " '" + shown(p.tote) + "' is not one of the batch's totes");
    }
  });
}

template <class V>
void fields(V& v, Is<PickStop> auto& s) {
  v("stop_id", s.stopId, Id{"stop_id"});
  v("seq", s.seq, Int{1, kMaxSeq});
  v("location", s.location, kId);
  v("sku", s.sku, kId);
  v("description", s.description, kText);
  v("barcodes", s.barcodes, listOf(kBarcode, 1, kMaxBarcodes));
  v("qty", s.qty, kQty);
  v("lot", s.lot, kId);
  v("min_expiry", s.minExpiry, Date{});
  v("puts", s.puts, objects(1, kMaxPuts));
  v.rule([&](auto& c) { c.quantitiesAddUp("puts", s.puts, "qty", s.qty); });
}

template <class V>
void fields(V& v, Is<TaskAssign> auto& m) {
  baseFields(v, m);
  v("batch_id", m.batchId, kId);
  v("wave_id", m.waveId, kId);
  v("rev", m.rev, Int{1, INT_MAX});
  v("totes", m.totes, objects(1, kMaxTotes));
  // Every put of every stop goes into one of these.
  v.rule([&](auto& c) {
    c.batchTotes.emplace();
    for (const auto& t : m.totes) c.batchTotes->insert(t.tote);
  });
  v("stops", m.stops, objects(1, kMaxStops), [&](auto& c, std::size_t i) {
    if (i > 0 && m.stops[i].seq <= m.stops[i - 1].seq) {
      invalid(c.at("seq") + " " + std::to_string(m.stops[i].seq) + " must be greater than the seq " +
              std::to_string(m.stops[i - 1].seq) + " of the stop before it (stops are in walking order)");
    }
  });
  v("typed_codes", m.typedCodes, Flag{});
}

template <class V>
void fields(V& v, Is<TaskUpdate> auto& m) {
  baseFields(v, m);
  v("batch_id", m.batchId, kId);
  v("rev", m.rev, Int{2, INT_MAX});
  v.rule([&](auto&) {
    if (m.addStops.empty() && m.removeStops.empty()) invalid("add_stops and remove_stops are both empty");
  });
  v("add_stops", m.addStops, objects(0, kMaxStops));
  v("remove_stops", m.removeStops, listOf(Id{"stop_id"}, 0, kMaxStops), [&](auto& c, std::size_t i) {
    for (const auto& added : m.addStops) {
      if (added.stopId == m.removeStops[i]) invalid(c.path() + " '" + shown(m.removeStops[i]) + "' is also in add_stops");
    }
  });
  v("reason", m.reason, kText);
}

template <class V>
void fields(V& v, Is<TaskCancel> auto& m) {
  baseFields(v, m);
  v("batch_id", m.batchId, kId);
  v("reason", m.reason, kText);
}

template <class V>
void fields(V& v, Is<PackLine> auto& l) {
  v("line_id", l.lineId, Id{"line_id"});
  v("sku", l.sku, kId);
  v("description", l.description, kText);
  v("barcodes", l.barcodes, listOf(kBarcode, 1, kMaxBarcodes));
  v("qty", l.qty, kQty);
}

template <class V>
void fields(V& v, Is<PackTask> auto& m) {
  baseFields(v, m);
  v("order_id", m.orderId, kId);
  v("channel", m.channel, kId);
  v("tote", m.tote, kId);
  v("carton", m.carton, kId);
  v("lines", m.lines, objects(1, kMaxLines));
}

template <class V>
void fields(V& v, Is<LabelReady> auto& m) {
  baseFields(v, m);
  v("order_id", m.orderId, kId);
  v("shipment_id", m.shipmentId, kId);
  v("carrier", m.carrier, kId);
  v("tracking", m.tracking, kId);
  v("printer", m.printer, kId);
  v("url", m.url, Url{});
  v.rule([&](auto&) {
    if (!m.printer && !m.url) invalid("at least one of printer and url is required");
  });
}

template <class V>
void fields(V& v, Is<Error> auto& e) {
  v("code", e.kind, ErrorCode{});
  v("message", e.message, kText);
}

template <class V>
void fields(V& v, Is<Ack> auto& m) {
  baseFields(v, m);
  v("event_id", m.eventId, EventIdText{});
  v("result", m.result, Enum{});
  v.rule([&](auto&) {
    if (m.result == AckResult::Rejected && !m.error) invalid("error is required when result is rejected");
    if (m.result != AckResult::Rejected && m.error) invalid("error must be absent unless result is rejected");
  });
  v("error", m.error, Object{});
}

template <class V>
void fields(V& v, Is<ServerError> auto& m) {
  baseFields(v, m);
  v("error", m.error, Object{});
}

template <class V>
void fields(V& v, Is<SignIn> auto& m) {
  eventFields(v, m);
  v("badge", m.badge, kId);
  v("mode", m.mode, Enum{});
  v("pin", m.pin, Id{});
  v.rule([&](auto& c) {
    // The value is never echoed: it is a secret.
    if (m.pin && (m.pin->size() < 4 || m.pin->size() > 12 ||
                  m.pin->find_first_not_of("0123456789") != std::string::npos))
      invalid(c.at("pin") + " must be 4 to 12 digits");
  });
}

template <class V>
void fields(V& v, Is<SignOut> auto& m) {
  eventFields(v, m);
}

template <class V>
void fields(V& v, Is<Scan> auto& m) {
  eventFields(v, m);
  v("barcode", m.barcode, kBarcode);
  v("symbology", m.symbology, kId);
  v("batch_id", m.batchId, kId);
  v("stop_id", m.stopId, kId);
}

template <class V>
void fields(V& v, Is<TotePut> auto& p) {
  v("tote", p.tote, Id{"tote"});
  v("qty", p.qty, kQty);
}

// The steps of a pick event whose code was typed: each at most once.
constexpr auto kTypedSteps = listOf(Enum{"step"}, 0, 3, Empty::Omitted);

template <class V>
void fields(V& v, Is<PickConfirm> auto& m) {
  eventFields(v, m);
  v("batch_id", m.batchId, kId);
  v("stop_id", m.stopId, kId);
  v("qty", m.qty, kQty);
  v("puts", m.puts, objects(1, kMaxPuts));
  v.rule([&](auto& c) { c.quantitiesAddUp("puts", m.puts, "qty", m.qty); });
  v("location", m.location, kId);
  v("barcode", m.barcode, kBarcode);
  v("lot", m.lot, kId);
  v("expiry", m.expiry, Date{});
  v("typed", m.typed, kTypedSteps);
}

template <class V>
void fields(V& v, Is<PickShort> auto& m) {
  eventFields(v, m);
  v("batch_id", m.batchId, kId);
  v("stop_id", m.stopId, kId);
  v("qty_picked", m.qtyPicked, Int{0, kMaxQty});
  v("puts", m.puts, objects(0, kMaxPuts));
  v.rule([&](auto& c) { c.quantitiesAddUp("puts", m.puts, "qty_picked", m.qtyPicked); });
  v("reason", m.reason, Enum{});
  v("note", m.note, kText);
  v("typed", m.typed, kTypedSteps);
}

template <class V>
void fields(V& v, Is<BatchDone> auto& m) {
  eventFields(v, m);
  v("batch_id", m.batchId, kId);
}

template <class V>
void fields(V& v, Is<PackRequest> auto& m) {
  eventFields(v, m);
  v.rule([&](auto&) {
    if (m.tote.has_value() == m.orderId.has_value()) invalid("exactly one of tote and order_id is required");
  });
  v("tote", m.tote, kId);
  v("order_id", m.orderId, kId);
  v("station", m.station, kId);
}

template <class V>
void fields(V& v, Is<PackItem> auto& i) {
  v("sku", i.sku, Id{"sku"});
  v("qty", i.qty, kQty);
}

template <class V>
void fields(V& v, Is<PackCarton> auto& c) {
  v("carton_id", c.cartonId, Id{"carton_id"});
  v("carton_type", c.cartonType, kId);
  v("weight_g", c.weightGrams, Int{1, 1000000});
  v("items", c.items, objects(1, kMaxCartonItems));
}

template <class V>
void fields(V& v, Is<PackConfirm> auto& m) {
  eventFields(v, m);
  v("order_id", m.orderId, kId);
  v("cartons", m.cartons, objects(1, kMaxCartons));
}

template <class V>
void fields(V& v, Is<PackShortLine> auto& l) {
  v("line_id", l.lineId, Id{"line_id"});
  v("sku", l.sku, kId);
  v("qty", l.qty, kQty);
  v("reason", l.reason, Enum{});
}

template <class V>
void fields(V& v, Is<PackShort> auto& m) {
  eventFields(v, m);
  v("order_id", m.orderId, kId);
  v("lines", m.lines, objects(1, kMaxLines));
  v("note", m.note, kText);
}

template <class V>
void fields(V& v, Is<ShipLine> auto& l) {
  v("line_id", l.lineId, Id{"line_id"});
  v("sku", l.sku, kId);
  v("qty", l.qty, kQty);
}

template <class V>
void fields(V& v, Is<ShipConfirm> auto& m) {
  eventFields(v, m);
  v("order_id", m.orderId, kId);
  v("shipment_id", m.shipmentId, kId);
  v("cartons", m.cartons, listOf(Id{"carton id"}, 1, kMaxCartons));
  v("lines", m.lines, objects(1, kMaxLines));
}

template <class V>
void fields(V& v, Is<LabelRequest> auto& m) {
  eventFields(v, m);
  v("order_id", m.orderId, kId);
  v("printer", m.printer, kId);
  v("format", m.format, Enum{});
}

template <class V>
void fields(V& v, Is<ReceiveLine> auto& l) {
  v("line_id", l.lineId, Id{"line_id"});
  v("sku", l.sku, kId);
  v("description", l.description, kText);
  v("barcodes", l.barcodes, listOf(kBarcode, 1, kMaxBarcodes));
  v("qty", l.qty, kQty);
  v("received", l.received, Int{0, kMaxQty});
  v("lot", l.lot, kId);
  v("expiry", l.expiry, Date{});
}

template <class V>
void fields(V& v, Is<ReceiveTask> auto& m) {
  baseFields(v, m);
  v("po", m.po, kId);
  v("supplier", m.supplier, kText);
  v("lines", m.lines, objects(1, kMaxLines));
  v("units", m.units, listOf(Id{"sscc"}, 0, kMaxCartons, Empty::Omitted));
}

template <class V>
void fields(V& v, Is<ReceiveRequest> auto& m) {
  eventFields(v, m);
  v("po", m.po, kId);
}

template <class V>
void fields(V& v, Is<ReceiveConfirm> auto& m) {
  eventFields(v, m);
  v("po", m.po, kId);
  v.rule([&](auto&) {
    if (m.barcode.has_value() == m.sscc.has_value()) invalid("exactly one of barcode and sscc is required");
    if (m.barcode && !m.qty) invalid("qty is required with barcode");
    if (m.sscc && m.qty) invalid("qty goes with barcode; an sscc is received whole");
  });
  v("barcode", m.barcode, kBarcode);
  v("sscc", m.sscc, kId);
  v("qty", m.qty, kQty);
  v("location", m.location, kId);
  v("condition", m.condition, Enum{});
}

template <class V>
void fields(V& v, Is<PutawayTask> auto& m) {
  baseFields(v, m);
  v("sku", m.sku, kId);
  v("description", m.description, kText);
  v("barcodes", m.barcodes, listOf(kBarcode, 1, kMaxBarcodes));
  v("from", m.from, kId);
  v("lot", m.lot, kId);
  v("expiry", m.expiry, Date{});
  v("qty", m.qty, kQty);
  v("to", m.to, kId);
  v("rule", m.rule, kText);
}

template <class V>
void fields(V& v, Is<PutawayRequest> auto& m) {
  eventFields(v, m);
  v("location", m.location, kId);
  v("barcode", m.barcode, kBarcode);
}

template <class V>
void fields(V& v, Is<PutawayConfirm> auto& m) {
  eventFields(v, m);
  v("sku", m.sku, kId);
  v("from", m.from, kId);
  v("to", m.to, kId);
  v("qty", m.qty, kQty);
  v("lot", m.lot, kId);
  v("expiry", m.expiry, Date{});
  v("reason", m.reason, kText);
}

template <class V>
void fields(V& v, Is<ReplenishMove> auto& m) {
  v("sku", m.sku, kId);
  v("description", m.description, kText);
  v("barcodes", m.barcodes, listOf(kBarcode, 1, kMaxBarcodes));
  v("from", m.from, kId);
  v("to", m.to, kId);
  v("lot", m.lot, kId);
  v("expiry", m.expiry, Date{});
  v("qty", m.qty, kQty);
  v("reason", m.reason, kText);
}

template <class V>
void fields(V& v, Is<ReplenishTask> auto& m) {
  baseFields(v, m);
  v("moves", m.moves, objects(0, kMaxStops));
  v("note", m.note, kText);
}

template <class V>
void fields(V& v, Is<CountItem> auto& c) {
  v("count_id", c.countId, Int{1, kMaxTimestamp});
  v("location", c.location, kId);
  v("sku", c.sku, kId);
  v("description", c.description, kText);
  v("barcodes", c.barcodes, listOf(kBarcode, 1, kMaxBarcodes));
  v("lot", c.lot, kId);
  v("expiry", c.expiry, Date{});
  v("recount", c.recount, Flag{});
}

template <class V>
void fields(V& v, Is<CountTask> auto& m) {
  baseFields(v, m);
  v("counts", m.counts, objects(0, kMaxStops));
  v("note", m.note, kText);
}

template <class V>
void fields(V& v, Is<ReplenishRequest> auto& m) {
  eventFields(v, m);
}

template <class V>
void fields(V& v, Is<ReplenishConfirm> auto& m) {
  eventFields(v, m);
  v("sku", m.sku, kId);
  v("from", m.from, kId);
  v("to", m.to, kId);
  v("qty", m.qty, kQty);
  v("lot", m.lot, kId);
  v("expiry", m.expiry, Date{});
  v.rule([&](auto&) {
    if (m.from == m.to) invalid("from and to are the same location");
  });
}

template <class V>
void fields(V& v, Is<CountRequest> auto& m) {
  eventFields(v, m);
  v("location", m.location, kId);
}

template <class V>
void fields(V& v, Is<CountConfirm> auto& m) {
  eventFields(v, m);
  v("count_id", m.countId, Int{1, kMaxTimestamp});
  v("counted", m.counted, Int{0, kMaxQty});
}

template <class V>
void fields(V& v, Is<StationScan> auto& m) {
  eventFields(v, m);
  v("station", m.station, kId);
  v("symbology", m.symbology, Text{3, false});
  v.rule([&](auto& c) {
    // An AIM symbology identifier: "]", the symbology's letter, a modifier.
    const auto& s = m.symbology;
    if (s && (s->size() != 3 || (*s)[0] != ']' || !std::isalpha(static_cast<unsigned char>((*s)[1])) ||
              !std::isalnum(static_cast<unsigned char>((*s)[2]))))
      invalid(c.at("symbology") + " '" + shown(*s) + "' is not an AIM identifier such as ]C1");
  });
  v("barcode", m.barcode, kBarcode);
}

template <class V>
void fields(V& v, Is<Presence> auto& m) {
  baseFields(v, m);
  v("state", m.state, Enum{});
  v("app", m.app, kId);
  v("user", m.user, kId);
}

template <class V>
void fields(V& v, Is<Heartbeat> auto& m) {
  baseFields(v, m);
  v("battery", m.battery, Int{0, 100});
  v("rssi", m.rssi, Int{-127, 0});
  v("outbox", m.outbox, Int{0, 1000000});
  v("batch_id", m.batchId, kId);
}

// The values of each enum, for decoding and for the error that lists them.
constexpr AckResult kAckResults[] = {AckResult::Applied, AckResult::Duplicate, AckResult::Rejected};
constexpr WorkMode kWorkModes[] = {WorkMode::Pick,    WorkMode::Pack,      WorkMode::Receive,
                                   WorkMode::Putaway, WorkMode::Replenish, WorkMode::Count};
constexpr ShortReason kShortReasons[] = {ShortReason::Empty, ShortReason::Damaged, ShortReason::NotFound,
                                         ShortReason::Other};
constexpr PackShortReason kPackShortReasons[] = {PackShortReason::Damaged, PackShortReason::Missing};
constexpr ItemCondition kItemConditions[] = {ItemCondition::Good, ItemCondition::Damaged};
constexpr ScanStep kScanSteps[] = {ScanStep::Location, ScanStep::Item, ScanStep::Tote};
constexpr LabelFormat kLabelFormats[] = {LabelFormat::Zpl, LabelFormat::Pdf, LabelFormat::Png};
constexpr PresenceState kPresenceStates[] = {PresenceState::Online, PresenceState::Offline};

std::span<const AckResult> valuesOf(AckResult) { return kAckResults; }
std::span<const WorkMode> valuesOf(WorkMode) { return kWorkModes; }
std::span<const ShortReason> valuesOf(ShortReason) { return kShortReasons; }
std::span<const PackShortReason> valuesOf(PackShortReason) { return kPackShortReasons; }
std::span<const ItemCondition> valuesOf(ItemCondition) { return kItemConditions; }
std::span<const ScanStep> valuesOf(ScanStep) { return kScanSteps; }
std::span<const LabelFormat> valuesOf(LabelFormat) { return kLabelFormats; }
std::span<const PresenceState> valuesOf(PresenceState) { return kPresenceStates; }

// ---- checks of single values -------------------------------------------------------

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

// ---- Checker: validate() and decode() --------------------------------------------

class Checker {
 public:
  template <class M>
  void message(const M& m) {
    fields(*this, m);
  }

  // For rules: the path of the object (or list element) being checked, ""
  // for the message itself, and the path of one of its fields.
  const std::string& path() const { return path_; }
  std::string at(std::string_view key) const { return field(path_, key); }

  // task.assign: the batch's tote codes, once its totes were checked.
  std::optional<std::set<std::string_view>> batchTotes;

  // The qty of each element of `list` adds up to `total`.
  template <class T>
  void quantitiesAddUp(std::string_view listKey, const std::vector<T>& list, std::string_view totalKey,
                       std::int64_t total) const {
    std::int64_t sum = 0;
    for (const T& x : list) sum += x.qty;
    if (sum != total) {
      invalid(at(listKey) + " quantities add up to " + std::to_string(sum) + ", not " + at(totalKey) + " " +
              std::to_string(total));
    }
  }

  template <class T, class K>
  void operator()(std::string_view key, const T& value, K kind) {
    check(at(key), value, kind);
  }
  template <class T, class K>
  void operator()(std::string_view key, const std::optional<T>& value, K kind) {
    if (value) check(at(key), *value, kind);
  }
  template <class T, class E, class Each = NoRule>
  void operator()(std::string_view key, const std::vector<T>& list, List<E> kind, Each each = {}) {
    const std::string path = at(key);
    checkCount(path, list.size(), kind.min, kind.max);
    seen_.emplace_back();
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string element = item(path, i);
      check(element, list[i], kind.element);
      if constexpr (!std::is_same_v<Each, NoRule>) {
        std::string outer = std::exchange(path_, std::move(element));
        each(*this, i);
        path_ = std::move(outer);
      }
    }
    seen_.pop_back();
  }
  template <class F>
  void rule(F f) {
    f(*this);
  }

 private:
  void check(const std::string& path, const std::string& v, Id kind) {
    checkId(path, v);
    distinct(path, kind.distinctAs, v);
  }
  void check(const std::string& path, const std::string& v, Text kind) {
    checkUtf8Text(path, v, kind.maxBytes, kind.allowGs);
  }
  void check(const std::string& path, const std::string& v, Date) { checkDate(path, v); }
  void check(const std::string& path, const std::string& v, Url) {
    checkId(path, v);
    if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
      invalid(path + " must be an http:// or https:// URL");
    }
  }
  void check(const std::string& path, const std::string& v, DeviceId) {
    if (!isValidDeviceId(v)) invalid(path + " must be 1-64 characters of [A-Za-z0-9_-], got '" + shown(v) + "'");
  }
  void check(const std::string& path, const std::string& v, EventIdText) {
    if (!isValidEventId(v)) invalid(path + " must be 1-64 characters of [A-Za-z0-9_.:-], got '" + shown(v) + "'");
  }
  void check(const std::string& path, std::int64_t v, Int kind) { checkRange(path, v, kind.lo, kind.hi); }
  void check(const std::string&, bool, Flag) {}
  template <class E>
    requires std::is_enum_v<E>
  void check(const std::string& path, E v, Enum kind) {
    distinct(path, kind.distinctAs, toString(v));
  }
  void check(const std::string&, ErrorKind, ErrorCode) {}
  template <class T>
  void check(const std::string& path, const T& object, Object) {
    std::string outer = std::exchange(path_, path);
    fields(*this, object);
    path_ = std::move(outer);
  }

  // A value that must be distinct within the innermost list being checked.
  void distinct(const std::string& path, const char* name, std::string_view value) {
    if (!name) return;
    assert(!seen_.empty() && "a distinct field outside a list");
    auto [it, fresh] = seen_.back().try_emplace({name, std::string(value)}, path);
    if (!fresh) invalid(path + " repeats " + name + " '" + shown(value) + "' of " + it->second);
  }

  std::string path_;
  // Per open list: (name, value) of its distinct values -> where first seen.
  std::vector<std::map<std::pair<std::string_view, std::string>, std::string>> seen_;
};

// ---- Encoder ---------------------------------------------------------------------

class Encoder {
 public:
  // Compact JSON: type, v, then the fields; absent optionals left out.
  template <class M>
  std::string message(std::string_view type, const M& m) {
    w_.beginObject();
    w_.key("type");
    w_.string(type);
    w_.key("v");
    w_.integer(kProtocolVersion);
    fields(*this, m);
    w_.endObject();
    return w_.take();
  }

  template <class T, class K>
  void operator()(std::string_view key, const T& value, K kind) {
    w_.key(key);
    write(value, kind);
  }
  template <class T, class K>
  void operator()(std::string_view key, const std::optional<T>& value, K kind) {
    if (value) (*this)(key, *value, kind);
  }
  void operator()(std::string_view key, bool value, Flag) {
    if (!value) return;
    w_.key(key);
    w_.boolean(true);
  }
  template <class T, class E, class Each = NoRule>
  void operator()(std::string_view key, const std::vector<T>& list, List<E> kind, Each = {}) {
    if (list.empty() && kind.empty == Empty::Omitted) return;
    w_.key(key);
    w_.beginArray();
    for (const T& x : list) write(x, kind.element);
    w_.endArray();
  }
  template <class F>
  void rule(F&&) {}

 private:
  template <class K>
  void write(const std::string& v, K) {
    w_.string(v);
  }
  void write(std::int64_t v, Int) { w_.integer(v); }
  template <class E, class K>
    requires std::is_enum_v<E>
  void write(E v, K) {
    w_.string(toString(v));
  }
  template <class T>
  void write(const T& object, Object) {
    w_.beginObject();
    fields(*this, object);
    w_.endObject();
  }

  json::Writer w_;
};

std::string encodeUnchecked(const Message& message) {
  return std::visit([type = typeName(message)](const auto& m) { return Encoder().message(type, m); }, message);
}

// Field checks, then the size of the encoding. Throws Reject.
std::string checkAndEncode(const Message& message) {
  try {
    std::visit([](const auto& m) { Checker().message(m); }, message);
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

// ---- Decoder ---------------------------------------------------------------------

// Reads the fields of one JSON object, checking JSON types; remembers which
// fields were read so that finish() can reject the rest. Values are checked
// afterwards, by the Checker.
class Decoder {
 public:
  Decoder(const Value& v, std::string path) : v_(v), path_(std::move(path)) {
    if (v.kind != Value::Kind::Object) {
      invalid((path_.empty() ? std::string("payload") : path_) + " must be an object, got " +
              std::string(json::kindName(v.kind)));
    }
    used_.assign(v.keys.size(), false);
  }

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

  // Rejects any field that was not read.
  void finish() const {
    for (std::size_t i = 0; i < used_.size(); ++i) {
      if (!used_[i]) invalid("unknown field '" + shown(field(path_, v_.keys[i])) + "'");
    }
  }

  template <class T, class K>
  void operator()(std::string_view key, T& out, K kind) {
    read(require(key), field(path_, key), out, kind);
  }
  template <class T, class K>
  void operator()(std::string_view key, std::optional<T>& out, K kind) {
    if (const Value* x = find(key)) read(*x, field(path_, key), out.emplace(), kind);
  }
  void operator()(std::string_view key, bool& out, Flag) {
    const Value* x = find(key);
    if (x && x->kind != Value::Kind::Bool) {
      invalid(field(path_, key) + " must be true or false, got " + std::string(json::kindName(x->kind)));
    }
    out = x && x->boolean;
  }
  template <class T, class E, class Each = NoRule>
  void operator()(std::string_view key, std::vector<T>& out, List<E> kind, Each = {}) {
    const Value* x = kind.min == 0 ? find(key) : &require(key);
    if (!x) return;
    const std::string path = field(path_, key);
    if (x->kind != Value::Kind::Array) invalid(path + " must be an array, got " + std::string(json::kindName(x->kind)));
    // Counts are checked again with their exact limits by the Checker; this
    // early bound keeps a huge array from being read at all.
    if (x->items.size() > kMaxStops + kMaxLines) {
      invalid(path + " has " + std::to_string(x->items.size()) + " entries, far over any limit");
    }
    out.reserve(x->items.size());
    for (std::size_t i = 0; i < x->items.size(); ++i) read(x->items[i], item(path, i), out.emplace_back(), kind.element);
  }
  template <class F>
  void rule(F&&) {}

 private:
  template <class K>
  static void read(const Value& x, const std::string& path, std::string& out, K) {
    out = asString(x, path);
  }
  static void read(const Value& x, const std::string& path, int& out, Int) {
    std::int64_t v = asInt64(x, path);
    if (v < INT_MIN || v > INT_MAX) invalid(path + " is out of range: " + std::to_string(v));
    out = static_cast<int>(v);
  }
  static void read(const Value& x, const std::string& path, std::int64_t& out, Int) { out = asInt64(x, path); }
  template <class E>
    requires std::is_enum_v<E>
  static void read(const Value& x, const std::string& path, E& out, Enum) {
    std::string s = asString(x, path);
    std::string allowed;
    for (E e : valuesOf(E{})) {
      if (s == toString(e)) {
        out = e;
        return;
      }
      allowed += (allowed.empty() ? "" : ", ") + std::string(toString(e));
    }
    invalid(path + " must be one of " + allowed + ", got '" + shown(s) + "'");
  }
  static void read(const Value& x, const std::string& path, ErrorKind& out, ErrorCode) {
    auto kind = errorKindFromString(asString(x, path));
    if (!kind) invalid(path + " " + kind.error().message);
    out = *kind;
  }
  template <class T>
  static void read(const Value& x, const std::string& path, T& out, Object) {
    Decoder d(x, path);
    fields(d, out);
    d.finish();
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

  const Value& v_;
  std::string path_;
  std::vector<bool> used_;
};

// The message of the given wire type with every field empty; nullopt for an
// unknown type.
std::optional<Message> emptyMessageOfType(std::string_view type) {
  return []<std::size_t... I>(std::string_view t, std::index_sequence<I...>) {
    std::optional<Message> found;
    (void)((typeName(Message(std::in_place_index<I>)) == t && (found.emplace(std::in_place_index<I>), true)) ||
           ...);
    return found;
  }(type, std::make_index_sequence<std::variant_size_v<Message>>{});
}

// The top-level string members of a payload that is one well-formed JSON
// object, read without the decoder's limits (size, depth, repeated keys) so
// that a refusal for those can still name the event it refuses. A member
// whose value is not a plain string (escapes included: no id or type needs
// them), or that repeats with a different value, maps to nullopt. nullopt if
// the payload is not one object (truncated, trailing bytes, not JSON).
// Linear in the payload, no recursion: nesting is only counted.
using TopLevelStrings = std::map<std::string, std::optional<std::string>, std::less<>>;
std::optional<TopLevelStrings> scanTopLevelStrings(std::string_view p) {
  std::size_t i = 0;
  auto ws = [&] {
    while (i < p.size() && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) ++i;
  };
  // A string starting at p[i] == '"'; true if it closed. `plain` says
  // whether it had no escapes; its text is appended to `out` if so.
  auto string = [&](std::string* out, bool& plain) {
    plain = true;
    for (++i; i < p.size(); ++i) {
      const char c = p[i];
      if (c == '"') {
        ++i;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        plain = false;
        if (++i == p.size()) return false;
      } else if (out && plain) {
        out->push_back(c);
      }
    }
    return false;
  };
  // Any value: strings and brackets are followed exactly, scalars are the
  // run of bytes up to the next delimiter.
  auto skipValue = [&] {
    std::size_t depth = 0;
    bool plain = true;
    do {
      ws();
      if (i == p.size()) return false;
      const char c = p[i];
      if (c == '"') {
        if (!string(nullptr, plain)) return false;
      } else if (c == '{' || c == '[') {
        ++depth, ++i;
        continue;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return false;
        --depth, ++i;
      } else if (c == ',' || c == ':') {
        if (depth == 0) return false;
        ++i;
        continue;
      } else {
        const std::size_t start = i;
        while (i < p.size() && std::string_view(" \t\n\r,:]}[{\"").find(p[i]) == std::string_view::npos) ++i;
        if (i == start) return false;
      }
    } while (depth > 0);
    return true;
  };
  TopLevelStrings members;
  ws();
  if (i == p.size() || p[i] != '{') return std::nullopt;
  ++i;
  ws();
  if (i < p.size() && p[i] == '}') {
    ++i;
  } else {
    for (;;) {
      ws();
      std::string key;
      bool plainKey = true;
      if (i == p.size() || p[i] != '"' || !string(&key, plainKey)) return std::nullopt;
      ws();
      if (i == p.size() || p[i] != ':') return std::nullopt;
      ++i;
      ws();
      std::optional<std::string> value;
      if (i < p.size() && p[i] == '"') {
        std::string text;
        bool plain = true;
        if (!string(&text, plain)) return std::nullopt;
        if (plain) value = std::move(text);
      } else if (!skipValue()) {
        return std::nullopt;
      }
      if (plainKey) {
        auto [at, fresh] = members.try_emplace(std::move(key), value);
        if (!fresh && at->second != value) at->second.reset();
      }
      ws();
      if (i < p.size() && p[i] == ',') {
        ++i;
        continue;
      }
      if (i < p.size() && p[i] == '}') {
        ++i;
        break;
      }
      return std::nullopt;
    }
  }
  ws();
  if (i != p.size()) return std::nullopt;
  return members;
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
    Decoder r(*doc, "");
    // The version first: a later version may have types this one lacks.
    const Value* v = r.find("v");
    if (!v) invalid("v (the protocol version) is required");
    if (v->kind != Value::Kind::Integer)
      invalid("v (the protocol version) must be an integer, got " + std::string(json::kindName(v->kind)) + " (this side speaks version " +
              std::to_string(kProtocolVersion) + ")");
    if (v->integer != kProtocolVersion)
      invalid("unsupported protocol version " + std::to_string(v->integer) + " (this side speaks version " +
              std::to_string(kProtocolVersion) + ")");
    std::string name;
    r("type", name, kId);  // a string; one of the known types:
    std::optional<Message> m = emptyMessageOfType(name);
    if (!m) invalid("unknown message type '" + shown(name) + "'");
    type = std::move(name);
    std::visit([&r](auto& x) { fields(r, x); }, *m);
    r.finish();
    std::visit([](const auto& x) { Checker().message(x); }, *m);
    return std::move(*m);
  } catch (const Reject& r) {
    return makeError(r.kind, type.empty() ? r.message : type + ": " + r.message);
  }
}

Result<Message> decodeFromTopic(std::string_view topic, std::string_view payload) {
  auto address = parseTopic(topic);
  if (!address) return address.error();
  auto wrongChannel = [&](std::string_view type, TopicKind expected) {
    return makeError(ErrorKind::Forbidden, std::string(type) + " does not belong on channel '" +
                                               std::string(toString(address->channel)) + "' (it goes on '" +
                                               std::string(toString(expected)) + "')");
  };
  auto message = decode(payload);
  if (!message) {
    // A known type on the wrong channel is refused as such whatever else is
    // wrong with its fields (docs/protocol.md, "Bad input": the order of
    // the checks), so the answer does not depend on, say, an extra event_id.
    if (message.error().kind != ErrorKind::Invalid) return message;
    if (auto members = scanTopLevelStrings(payload)) {
      auto type = members->find("type");
      std::optional<Message> m;
      if (type != members->end() && type->second) m = emptyMessageOfType(*type->second);
      if (m && topicKindOf(*m) != address->channel) return wrongChannel(*type->second, topicKindOf(*m));
    }
    return message;
  }
  if (TopicKind expected = topicKindOf(*message); expected != address->channel)
    return wrongChannel(typeName(*message), expected);
  const std::string& device = baseOf(*message).device;
  if (device != address->device) {
    return makeError(ErrorKind::Forbidden, "payload device '" + device + "' does not match the device '" +
                                               address->device + "' of topic " + std::string(topic));
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
  const auto members = scanTopLevelStrings(payload);
  if (!members) return std::nullopt;
  auto id = members->find("event_id");
  if (id == members->end() || !id->second || !isValidEventId(*id->second)) return std::nullopt;
  // A server message sent where events go is not an event: there is no
  // event of that id to stop resending.
  if (auto type = members->find("type"); type != members->end() && type->second) {
    if (auto m = emptyMessageOfType(*type->second); m && topicKindOf(*m) != TopicKind::Events) return std::nullopt;
  }
  return *id->second;
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
