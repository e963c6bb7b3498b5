#include "wms/handheld/FlowState.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <initializer_list>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "wms/protocol/Codec.h"

namespace wms::handheld {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// A field that is missing or of the wrong type: reported as Malformed.
struct Broken : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---- Writing -------------------------------------------------------------------

Array::Ptr strings(const std::vector<std::string>& v) {
  Array::Ptr a = new Array;
  for (const auto& s : v) a->add(s);
  return a;
}

Object::Ptr stopJson(const protocol::PickStop& s) {
  Object::Ptr o = new Object;
  o->set("stop_id", s.stopId);
  o->set("seq", s.seq);
  o->set("location", s.location);
  o->set("sku", s.sku);
  o->set("description", s.description);
  o->set("barcodes", strings(s.barcodes));
  o->set("qty", s.qty);
  if (s.lot) o->set("lot", *s.lot);
  if (s.minExpiry) o->set("min_expiry", *s.minExpiry);
  Array::Ptr puts = new Array;
  for (const auto& p : s.puts) {
    Object::Ptr po = new Object;
    po->set("tote", p.tote);
    po->set("qty", p.qty);
    po->set("order_id", p.orderId);
    po->set("line_id", p.lineId);
    puts->add(po);
  }
  o->set("puts", puts);
  return o;
}

Array::Ptr totesJson(const std::vector<protocol::CartTote>& totes) {
  Array::Ptr a = new Array;
  for (const auto& t : totes) {
    Object::Ptr o = new Object;
    o->set("slot", t.slot);
    o->set("tote", t.tote);
    a->add(o);
  }
  return a;
}

std::string text(const Object::Ptr& o) {
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

const char* stageName(PickState::Stage s) {
  switch (s) {
    case PickState::Stage::Idle: return "idle";
    case PickState::Stage::Working: return "working";
    case PickState::Stage::Done: return "done";
    case PickState::Stage::Cancelled: return "cancelled";
  }
  return "idle";
}

// ---- Reading -------------------------------------------------------------------

class Reader {
 public:
  explicit Reader(Object::Ptr o, std::string where) : o_(std::move(o)), where_(std::move(where)) {}

  std::string str(const std::string& key) const {
    auto v = o_->get(key);
    if (!v.isString()) throw Broken(where_ + "." + key + " must be a string");
    return v.extract<std::string>();
  }
  std::optional<std::string> optStr(const std::string& key) const {
    if (!o_->has(key) || o_->isNull(key)) return std::nullopt;
    return str(key);
  }
  long long integer(const std::string& key, long long lo, long long hi) const {
    auto v = o_->get(key);
    if (!v.isInteger()) throw Broken(where_ + "." + key + " must be an integer");
    long long n = 0;
    try {
      n = v.convert<long long>();
    } catch (const Poco::Exception&) {
      throw Broken(where_ + "." + key + " is out of range");
    }
    if (n < lo || n > hi) throw Broken(where_ + "." + key + " is out of range");
    return n;
  }
  bool flag(const std::string& key) const {
    auto v = o_->get(key);
    if (!v.isBoolean()) throw Broken(where_ + "." + key + " must be true or false");
    return v.extract<bool>();
  }
  Array::Ptr array(const std::string& key) const {
    auto a = o_->getArray(key);
    if (!a) throw Broken(where_ + "." + key + " must be an array");
    return a;
  }
  Object::Ptr object(const std::string& key) const {
    auto x = o_->getObject(key);
    if (!x) throw Broken(where_ + "." + key + " must be an object");
    return x;
  }
  bool has(const std::string& key) const { return o_->has(key) && !o_->isNull(key); }
  std::string where(const std::string& key) const { return where_ + "." + key; }

 private:
  Object::Ptr o_;
  std::string where_;
};

Object::Ptr objectAt(const Array::Ptr& a, std::size_t i, const std::string& where) {
  auto o = a->getObject(static_cast<unsigned>(i));
  if (!o) throw Broken(where + "[" + std::to_string(i) + "] must be an object");
  return o;
}

std::vector<std::string> readStrings(const Array::Ptr& a, const std::string& where) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    auto v = a->get(static_cast<unsigned>(i));
    if (!v.isString()) throw Broken(where + "[" + std::to_string(i) + "] must be a string");
    out.push_back(v.extract<std::string>());
  }
  return out;
}

constexpr long long kInt = std::numeric_limits<int>::max();

protocol::PickStop readStop(const Object::Ptr& o, const std::string& where) {
  Reader r(o, where);
  protocol::PickStop s;
  s.stopId = r.str("stop_id");
  s.seq = static_cast<int>(r.integer("seq", 0, kInt));
  s.location = r.str("location");
  s.sku = r.str("sku");
  s.description = r.str("description");
  s.barcodes = readStrings(r.array("barcodes"), r.where("barcodes"));
  s.qty = static_cast<int>(r.integer("qty", 0, kInt));
  s.lot = r.optStr("lot");
  s.minExpiry = r.optStr("min_expiry");
  auto puts = r.array("puts");
  for (std::size_t i = 0; i < puts->size(); ++i) {
    Reader p(objectAt(puts, i, r.where("puts")), r.where("puts") + "[" + std::to_string(i) + "]");
    s.puts.push_back({p.str("tote"), static_cast<int>(p.integer("qty", 0, kInt)), p.str("order_id"),
                      p.str("line_id")});
  }
  return s;
}

std::vector<protocol::CartTote> readTotes(const Array::Ptr& a, const std::string& where) {
  std::vector<protocol::CartTote> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    Reader t(objectAt(a, i, where), where + "[" + std::to_string(i) + "]");
    out.push_back({t.str("slot"), t.str("tote")});
  }
  return out;
}

Object::Ptr parseObject(std::string_view text) {
  if (text.size() > kMaxStateBytes) throw std::length_error("state is larger than the limit");
  Poco::JSON::Parser parser;
  auto v = parser.parse(std::string(text));
  auto o = v.extract<Object::Ptr>();
  if (!o) throw Broken("state is not a JSON object");
  return o;
}

// Protocol rules on the parts that came from the server, checked by the
// protocol's own validator: the stops as the adds of an update, a whole
// task.assign, pack.task and label.ready as they are.
Status validateStops(const std::vector<StopState>& walk) {
  for (std::size_t from = 0; from < walk.size(); from += protocol::kMaxStops) {
    protocol::TaskUpdate u;
    u.device = "state";
    u.batchId = "state";
    u.rev = 2;
    u.reason = "saved state";
    for (std::size_t i = from; i < walk.size() && i < from + protocol::kMaxStops; ++i) u.addStops.push_back(walk[i].stop);
    if (auto st = protocol::validate(u); !st) return st;
  }
  return {};
}

template <class T>
Status validateMessage(T m) {
  m.device = "state";
  m.ts = 0;
  return protocol::validate(m);
}

// A saved protocol message (stored as its wire text) of type T.
template <class T>
Result<T> savedMessage(const Reader& r, const std::string& key, const char* what) {
  auto m = protocol::decode(r.str(key));
  if (!m) return makeError(m.error().kind, "saved state: " + std::string(what) + ": " + m.error().message);
  const auto* t = std::get_if<T>(&*m);
  if (!t) return makeError(ErrorKind::Invalid, "saved state: " + std::string(what) + " is not a " + std::string(protocol::typeName(*m)));
  return *t;
}

// The phase named `text` among `phases` (by their toString()).
template <class Phase>
std::optional<Phase> phaseNamed(const std::string& text, std::initializer_list<Phase> phases) {
  for (auto p : phases)
    if (text == toString(p)) return p;
  return std::nullopt;
}

std::string boundedText(const Reader& r, const std::string& key, std::size_t max) {
  auto v = r.str(key);
  if (v.size() > max) throw Broken(r.where(key) + " is too long");
  return v;
}

template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Broken& e) {
    return makeError(ErrorKind::Malformed, std::string("saved state: ") + e.what());
  } catch (const std::length_error&) {
    return makeError(ErrorKind::TooLarge, "saved state is over " + std::to_string(kMaxStateBytes) + " bytes");
  } catch (const Poco::Exception& e) {
    return makeError(ErrorKind::Malformed, "saved state is not valid JSON: " + e.displayText());
  } catch (const std::exception& e) {
    return makeError(ErrorKind::Malformed, std::string("saved state is unreadable: ") + e.what());
  }
}

}  // namespace

std::string encodePickState(const PickState& s) {
  Object::Ptr o = new Object;
  o->set("stage", std::string(stageName(s.stage)));
  o->set("batch_id", s.batchId);
  o->set("wave_id", s.waveId);
  o->set("rev", s.rev);
  o->set("totes", totesJson(s.totes));
  o->set("typed_codes", s.typedCodes);
  Array::Ptr walk = new Array;
  for (const auto& st : s.walk) {
    Object::Ptr w = new Object;
    w->set("stop", stopJson(st.stop));
    w->set("status", std::string(toString(st.status)));
    w->set("skipped", st.skipped);
    w->set("synced", st.synced);
    w->set("refusals", st.refusals);
    w->set("note", st.note);
    walk->add(w);
  }
  o->set("walk", walk);
  o->set("done_sent", s.doneSent);
  if (s.next) o->set("next", protocol::encode(*s.next));
  o->set("notice", s.notice);
  Array::Ptr finished = new Array;
  for (const auto& f : s.finished) {
    Object::Ptr b = new Object;
    b->set("batch_id", f.batchId);
    b->set("rev", f.rev);
    Array::Ptr done = new Array;
    for (const auto& id : f.doneStops) done->add(id);
    b->set("done_stops", done);
    finished->add(b);
  }
  o->set("finished", finished);
  return text(o);
}

Result<PickState> decodePickState(std::string_view input) {
  return guarded([&]() -> Result<PickState> {
    auto o = parseObject(input);
    Reader r(o, "pick");
    PickState s;
    const std::string stage = r.str("stage");
    if (stage == "idle") s.stage = PickState::Stage::Idle;
    else if (stage == "working") s.stage = PickState::Stage::Working;
    else if (stage == "done") s.stage = PickState::Stage::Done;
    else if (stage == "cancelled") s.stage = PickState::Stage::Cancelled;
    else return makeError(ErrorKind::Invalid, "saved state: unknown stage '" + stage.substr(0, 20) + "'");
    s.batchId = r.str("batch_id");
    s.waveId = r.str("wave_id");
    s.rev = static_cast<int>(r.integer("rev", 0, kInt));
    s.totes = readTotes(r.array("totes"), "pick.totes");
    // Absent in states saved before typed codes were a setting: not allowed.
    s.typedCodes = r.has("typed_codes") && r.flag("typed_codes");
    auto walk = r.array("walk");
    for (std::size_t i = 0; i < walk->size(); ++i) {
      const std::string where = "pick.walk[" + std::to_string(i) + "]";
      Reader w(objectAt(walk, i, "pick.walk"), where);
      StopState st;
      st.stop = readStop(w.object("stop"), where + ".stop");
      const std::string status = w.str("status");
      if (status == "open") st.status = StopStatus::Open;
      else if (status == "confirmed") st.status = StopStatus::Confirmed;
      else if (status == "short") st.status = StopStatus::Short;
      else if (status == "flagged") st.status = StopStatus::Flagged;
      else return makeError(ErrorKind::Invalid, "saved state: " + where + ".status is unknown");
      st.skipped = w.flag("skipped");
      st.synced = w.flag("synced");
      st.refusals = static_cast<int>(w.integer("refusals", 0, 1000000));
      st.note = w.str("note");
      s.walk.push_back(std::move(st));
    }
    s.doneSent = r.flag("done_sent");
    if (r.has("next")) {
      auto next = protocol::decode(r.str("next"));
      if (!next) return makeError(next.error().kind, "saved state: next batch: " + next.error().message);
      const auto* task = std::get_if<protocol::TaskAssign>(&*next);
      if (!task) return makeError(ErrorKind::Invalid, "saved state: next batch is not a task.assign");
      s.next = *task;
    }
    s.notice = r.str("notice");
    // Absent in states saved before finished batches were remembered.
    if (r.has("finished")) {
      auto finished = r.array("finished");
      if (finished->size() > PickState::kMaxFinished)
        return makeError(ErrorKind::Invalid, "saved state: more than " + std::to_string(PickState::kMaxFinished) +
                                                 " finished batches");
      for (std::size_t i = 0; i < finished->size(); ++i) {
        const std::string where = "pick.finished[" + std::to_string(i) + "]";
        Reader b(objectAt(finished, i, "pick.finished"), where);
        FinishedBatch f;
        f.batchId = b.str("batch_id");
        f.rev = static_cast<int>(b.integer("rev", 0, kInt));
        f.doneStops = readStrings(b.array("done_stops"), where + ".done_stops");
        s.finished.push_back(std::move(f));
      }
    }
    if (auto st = validateStops(s.walk); !st)
      return makeError(ErrorKind::Invalid, "saved state: " + st.error().message);
    if (s.stage != PickState::Stage::Idle) {
      protocol::TaskCancel ids;  // batch id as the protocol wants ids
      ids.device = "state";
      ids.batchId = s.batchId;
      ids.reason = "x";
      if (auto st = protocol::validate(ids); !st) return makeError(ErrorKind::Invalid, "saved state: bad batch id");
    }
    return s;
  });
}

std::string encodePackState(const PackState& s) {
  Object::Ptr o = new Object;
  o->set("phase", std::string(toString(s.phase)));
  o->set("requested", s.requested);
  if (s.task) o->set("task", protocol::encode(*s.task));
  Array::Ptr packed = new Array;
  for (int n : s.packed) packed->add(n);
  o->set("packed", packed);
  if (!s.cartons.empty()) {
    protocol::PackConfirm c;
    c.device = "state";
    c.eventId = "state";
    c.orderId = s.task ? s.task->orderId : "state";
    c.cartons = s.cartons;
    o->set("cartons", protocol::encode(c));
  }
  Array::Ptr open = new Array;
  for (int n : s.openScans) open->add(n);
  o->set("open_scans", open);
  if (s.label) o->set("label", protocol::encode(*s.label));
  o->set("result", s.result);
  return text(o);
}

Result<PackState> decodePackState(std::string_view input) {
  return guarded([&]() -> Result<PackState> {
    auto o = parseObject(input);
    Reader r(o, "pack");
    PackState s;
    auto phase = phaseNamed(r.str("phase"), {PackPhase::ScanStart, PackPhase::WaitTask, PackPhase::Verify,
                                             PackPhase::Label, PackPhase::WaitLabel, PackPhase::Ship, PackPhase::Done});
    if (!phase) return makeError(ErrorKind::Invalid, "saved state: unknown pack phase");
    s.phase = *phase;
    s.requested = r.str("requested");
    if (r.has("task")) {
      auto m = protocol::decode(r.str("task"));
      if (!m) return makeError(m.error().kind, "saved state: pack task: " + m.error().message);
      const auto* task = std::get_if<protocol::PackTask>(&*m);
      if (!task) return makeError(ErrorKind::Invalid, "saved state: task is not a pack.task");
      s.task = *task;
    }
    auto packed = r.array("packed");
    for (std::size_t i = 0; i < packed->size(); ++i) {
      auto v = packed->get(static_cast<unsigned>(i));
      if (!v.isInteger()) return makeError(ErrorKind::Malformed, "saved state: packed counts must be integers");
      const auto n = v.convert<long long>();
      if (n < 0 || n > protocol::kMaxQty) return makeError(ErrorKind::Invalid, "saved state: packed count out of range");
      s.packed.push_back(static_cast<int>(n));
    }
    if (r.has("cartons")) {
      auto m = protocol::decode(r.str("cartons"));
      if (!m) return makeError(m.error().kind, "saved state: cartons: " + m.error().message);
      const auto* c = std::get_if<protocol::PackConfirm>(&*m);
      if (!c) return makeError(ErrorKind::Invalid, "saved state: cartons are not a pack.confirm");
      s.cartons = c->cartons;
    }
    auto open = r.array("open_scans");
    for (std::size_t i = 0; i < open->size(); ++i) {
      auto v = open->get(static_cast<unsigned>(i));
      if (!v.isInteger()) return makeError(ErrorKind::Malformed, "saved state: open scans must be integers");
      const auto n = v.convert<long long>();
      if (n < 0 || n > static_cast<long long>(protocol::kMaxLines))
        return makeError(ErrorKind::Invalid, "saved state: open scan out of range");
      s.openScans.push_back(static_cast<int>(n));
    }
    if (r.has("label")) {
      auto m = protocol::decode(r.str("label"));
      if (!m) return makeError(m.error().kind, "saved state: label: " + m.error().message);
      const auto* l = std::get_if<protocol::LabelReady>(&*m);
      if (!l) return makeError(ErrorKind::Invalid, "saved state: label is not a label.ready");
      s.label = *l;
    }
    s.result = r.str("result");
    return s;
  });
}

std::string encodeReceiveState(const ReceiveState& s) {
  Object::Ptr o = new Object;
  o->set("phase", std::string(toString(s.phase)));
  o->set("dock", s.dock);
  o->set("requested", s.requested);
  if (s.task) o->set("task", protocol::encode(*s.task));
  Array::Ptr damaged = new Array;
  for (int n : s.damaged) damaged->add(n);
  o->set("damaged", damaged);
  Array::Ptr pending = new Array;
  for (const auto& p : s.pending) {
    Object::Ptr po = new Object;
    po->set("po", p.po);
    po->set("line", p.line);
    po->set("code", p.code);
    po->set("qty", p.qty);
    po->set("damaged", p.damaged);
    pending->add(po);
  }
  o->set("pending", pending);
  if (s.scanned) {
    Object::Ptr c = new Object;
    c->set("line", s.scanned->line);
    c->set("barcode", s.scanned->barcode);
    c->set("damaged", s.scanned->damaged);
    o->set("scanned", c);
  }
  o->set("result", s.result);
  return text(o);
}

Result<ReceiveState> decodeReceiveState(std::string_view input) {
  return guarded([&]() -> Result<ReceiveState> {
    auto o = parseObject(input);
    Reader r(o, "receive");
    ReceiveState s;
    auto phase = phaseNamed(r.str("phase"), {ReceivePhase::ScanDock, ReceivePhase::ScanOrder, ReceivePhase::WaitTask,
                                             ReceivePhase::Receive, ReceivePhase::Quantity});
    if (!phase) return makeError(ErrorKind::Invalid, "saved state: unknown receive phase");
    s.phase = *phase;
    s.dock = boundedText(r, "dock", protocol::kMaxIdLength);
    s.requested = boundedText(r, "requested", protocol::kMaxIdLength);
    if (r.has("task")) {
      auto task = savedMessage<protocol::ReceiveTask>(r, "task", "receive task");
      if (!task) return task.error();
      s.task = std::move(task).value();
    }
    auto damaged = r.array("damaged");
    if (damaged->size() > protocol::kMaxLines) return makeError(ErrorKind::Invalid, "saved state: too many damaged counts");
    for (std::size_t i = 0; i < damaged->size(); ++i) {
      auto v = damaged->get(static_cast<unsigned>(i));
      if (!v.isInteger()) return makeError(ErrorKind::Malformed, "saved state: damaged counts must be integers");
      const auto n = v.convert<long long>();
      if (n < 0 || n > protocol::kMaxQty) return makeError(ErrorKind::Invalid, "saved state: damaged count out of range");
      s.damaged.push_back(static_cast<int>(n));
    }
    auto pending = r.array("pending");
    for (std::size_t i = 0; i < pending->size(); ++i) {
      Reader p(objectAt(pending, i, "receive.pending"), "receive.pending[" + std::to_string(i) + "]");
      PendingReceipt pr;
      pr.po = boundedText(p, "po", protocol::kMaxIdLength);
      pr.line = static_cast<int>(p.integer("line", -1, static_cast<long long>(protocol::kMaxLines)));
      pr.code = boundedText(p, "code", protocol::kMaxBarcodeLength);
      pr.qty = static_cast<int>(p.integer("qty", 0, protocol::kMaxQty));
      pr.damaged = p.flag("damaged");
      s.pending.push_back(std::move(pr));
    }
    if (r.has("scanned")) {
      Reader c(r.object("scanned"), "receive.scanned");
      ScannedCase sc;
      sc.line = static_cast<int>(c.integer("line", 0, static_cast<long long>(protocol::kMaxLines)));
      sc.barcode = boundedText(c, "barcode", protocol::kMaxBarcodeLength);
      sc.damaged = c.flag("damaged");
      s.scanned = std::move(sc);
    }
    s.result = boundedText(r, "result", protocol::kMaxTextLength);
    return s;
  });
}

std::string encodePutawayState(const PutawayState& s) {
  Object::Ptr o = new Object;
  o->set("phase", std::string(toString(s.phase)));
  o->set("from", s.from);
  o->set("scanned", s.scanned);
  if (s.task) o->set("task", protocol::encode(*s.task));
  o->set("to", s.to);
  o->set("reason", s.reason);
  if (s.lastTask) o->set("last_task", protocol::encode(*s.lastTask));
  if (s.lastSent) {
    auto sent = *s.lastSent;  // encoded as an event: it needs a device and an id
    sent.device = "state";
    sent.eventId = "state";
    o->set("last_sent", protocol::encode(sent));
  }
  o->set("result", s.result);
  return text(o);
}

Result<PutawayState> decodePutawayState(std::string_view input) {
  return guarded([&]() -> Result<PutawayState> {
    auto o = parseObject(input);
    Reader r(o, "putaway");
    PutawayState s;
    auto phase = phaseNamed(r.str("phase"), {PutawayPhase::ScanFrom, PutawayPhase::ScanItem, PutawayPhase::WaitTask,
                                             PutawayPhase::ScanTo, PutawayPhase::Reason, PutawayPhase::Quantity});
    if (!phase) return makeError(ErrorKind::Invalid, "saved state: unknown put-away phase");
    s.phase = *phase;
    s.from = boundedText(r, "from", protocol::kMaxIdLength);
    s.scanned = boundedText(r, "scanned", protocol::kMaxBarcodeLength);
    if (r.has("task")) {
      auto task = savedMessage<protocol::PutawayTask>(r, "task", "put-away task");
      if (!task) return task.error();
      s.task = std::move(task).value();
    }
    s.to = boundedText(r, "to", protocol::kMaxIdLength);
    s.reason = boundedText(r, "reason", protocol::kMaxTextLength);
    if (r.has("last_task")) {
      auto task = savedMessage<protocol::PutawayTask>(r, "last_task", "last put-away task");
      if (!task) return task.error();
      s.lastTask = std::move(task).value();
    }
    if (r.has("last_sent")) {
      auto sent = savedMessage<protocol::PutawayConfirm>(r, "last_sent", "last put-away");
      if (!sent) return sent.error();
      s.lastSent = std::move(sent).value();
      s.lastSent->device.clear();
      s.lastSent->eventId.clear();
    }
    s.result = boundedText(r, "result", protocol::kMaxTextLength);
    return s;
  });
}

namespace {

// A list of moves or counts is saved as the task message that carries it
// (so the protocol's own validation checks it when read back).
template <class Task>
std::string savedTask(Task task) {
  task.device = "state";
  task.ts = 0;
  return protocol::encode(task);
}

template <class Event>
std::string savedEvent(Event event) {  // an event needs a device and an id
  event.device = "state";
  event.eventId = "state";
  return protocol::encode(event);
}

}  // namespace

std::string encodeReplenishState(const ReplenishState& s) {
  Object::Ptr o = new Object;
  o->set("phase", std::string(toString(s.phase)));
  protocol::ReplenishTask list;
  list.moves = s.moves;
  list.note = s.note;
  o->set("list", savedTask(list));
  o->set("qty", s.qty);
  Array::Ptr sent = new Array;
  for (const auto& x : s.sent) {
    Object::Ptr so = new Object;
    protocol::ReplenishTask move;
    move.moves = {x.move};
    so->set("move", savedTask(move));
    so->set("confirm", savedEvent(x.confirm));
    sent->add(so);
  }
  o->set("sent", sent);
  o->set("result", s.result);
  return text(o);
}

Result<ReplenishState> decodeReplenishState(std::string_view input) {
  return guarded([&]() -> Result<ReplenishState> {
    auto o = parseObject(input);
    Reader r(o, "replenish");
    ReplenishState s;
    auto phase = phaseNamed(r.str("phase"), {ReplenishPhase::Idle, ReplenishPhase::WaitTask, ReplenishPhase::ScanFrom,
                                             ReplenishPhase::ScanItem, ReplenishPhase::Quantity, ReplenishPhase::ScanTo});
    if (!phase) return makeError(ErrorKind::Invalid, "saved state: unknown replenish phase");
    s.phase = *phase;
    auto list = savedMessage<protocol::ReplenishTask>(r, "list", "replenish moves");
    if (!list) return list.error();
    s.moves = list->moves;
    s.note = list->note;
    s.qty = static_cast<int>(r.integer("qty", 0, protocol::kMaxQty));
    auto sent = r.array("sent");
    for (std::size_t i = 0; i < sent->size(); ++i) {
      Reader x(objectAt(sent, i, "replenish.sent"), "replenish.sent[" + std::to_string(i) + "]");
      auto move = savedMessage<protocol::ReplenishTask>(x, "move", "sent move");
      if (!move) return move.error();
      if (move->moves.size() != 1) return makeError(ErrorKind::Invalid, "saved state: a sent move is not one move");
      auto confirm = savedMessage<protocol::ReplenishConfirm>(x, "confirm", "sent confirmation");
      if (!confirm) return confirm.error();
      SentMove sm{move->moves.front(), std::move(confirm).value()};
      sm.confirm.device.clear();
      sm.confirm.eventId.clear();
      s.sent.push_back(std::move(sm));
    }
    s.result = boundedText(r, "result", protocol::kMaxTextLength);
    return s;
  });
}

std::string encodeCountState(const CountState& s) {
  Object::Ptr o = new Object;
  o->set("phase", std::string(toString(s.phase)));
  protocol::CountTask list;
  list.counts = s.counts;
  list.note = s.note;
  o->set("list", savedTask(list));
  o->set("location", s.location);
  o->set("item_scanned", s.itemScanned);
  Array::Ptr sent = new Array;
  for (const auto& x : s.sent) {
    Object::Ptr so = new Object;
    protocol::CountTask item;
    item.counts = {x.item};
    so->set("item", savedTask(item));
    so->set("counted", x.counted);
    sent->add(so);
  }
  o->set("sent", sent);
  o->set("result", s.result);
  return text(o);
}

Result<CountState> decodeCountState(std::string_view input) {
  return guarded([&]() -> Result<CountState> {
    auto o = parseObject(input);
    Reader r(o, "count");
    CountState s;
    auto phase =
        phaseNamed(r.str("phase"), {CountPhase::Idle, CountPhase::WaitTask, CountPhase::ScanLocation, CountPhase::Count});
    if (!phase) return makeError(ErrorKind::Invalid, "saved state: unknown count phase");
    s.phase = *phase;
    auto list = savedMessage<protocol::CountTask>(r, "list", "counts");
    if (!list) return list.error();
    s.counts = list->counts;
    s.note = list->note;
    s.location = boundedText(r, "location", protocol::kMaxIdLength);
    s.itemScanned = r.flag("item_scanned");
    auto sent = r.array("sent");
    for (std::size_t i = 0; i < sent->size(); ++i) {
      Reader x(objectAt(sent, i, "count.sent"), "count.sent[" + std::to_string(i) + "]");
      auto item = savedMessage<protocol::CountTask>(x, "item", "sent count");
      if (!item) return item.error();
      if (item->counts.size() != 1) return makeError(ErrorKind::Invalid, "saved state: a sent count is not one count");
      s.sent.push_back({item->counts.front(), static_cast<int>(x.integer("counted", 0, protocol::kMaxQty))});
    }
    s.result = boundedText(r, "result", protocol::kMaxTextLength);
    return s;
  });
}

}  // namespace wms::handheld
