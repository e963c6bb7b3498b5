#include "wms/handheld/PutawayFlow.h"

#include "Scans.h"
#include "Text.h"
#include "wms/common/TextChecks.h"

namespace wms::handheld {

const char* toString(PutawayPhase phase) noexcept {
  switch (phase) {
    case PutawayPhase::ScanFrom: return "scan-from";
    case PutawayPhase::ScanItem: return "scan-item";
    case PutawayPhase::WaitTask: return "wait-task";
    case PutawayPhase::ScanTo: return "scan-to";
    case PutawayPhase::Reason: return "reason";
    case PutawayPhase::Quantity: return "quantity";
  }
  return "scan-from";
}

const std::vector<std::string>& putawayReasons() {
  static const std::vector<std::string> reasons{"suggestion full", "suggestion blocked", "other"};
  return reasons;
}

PutawayFlow::PutawayFlow(Options options) : options_(std::move(options)) {
  if (options_.dock && text::isId(*options_.dock)) {
    state_.from = *options_.dock;
    state_.phase = PutawayPhase::ScanItem;
  }
}

bool PutawayFlow::busy() const noexcept {
  return state_.phase != PutawayPhase::ScanFrom && state_.phase != PutawayPhase::ScanItem;
}

std::optional<StepExpectation> PutawayFlow::expectation() const {
  StepExpectation e;
  e.expected.target = ScanTarget::Location;
  if (state_.phase == PutawayPhase::ScanFrom && options_.dock) {
    e.expected.code = e.text = *options_.dock;
    return e;
  }
  if (!state_.task || (state_.phase != PutawayPhase::ScanTo && state_.phase != PutawayPhase::Quantity))
    return std::nullopt;
  const std::string to = state_.phase == PutawayPhase::Quantity ? state_.to : state_.task->to.value_or("");
  if (to.empty()) return std::nullopt;
  e.expected.code = e.text = to;
  e.quantity = e.remaining = state_.task->qty;
  return e;
}

Effects PutawayFlow::fail(std::string message) {
  error_ = std::move(message);
  Effects fx;
  fx.signal = Signal::Bad;
  return fx;
}

void PutawayFlow::reset(PutawayPhase phase) {
  state_.phase = phase;
  state_.scanned.clear();
  state_.task.reset();
  state_.to.clear();
  state_.reason.clear();
}

Effects PutawayFlow::handle(const Input& input) {
  return std::visit(scans::Overloaded{
                        [&](const KeyPress& k) { return onKey(k.key); },
                        [&](const NumberEntry& n) { return onNumber(n.value); },
                        [&](const ScanInput& s) { return onScan(s.barcode, s.barcode.typed); },
                        [&](const ScanFailed& f) { return fail("could not read a barcode: " + f.reason); },
                        [&](const protocol::Message& m) { return onServer(m); },
                        [&](const EventOutcome& o) { return onOutcome(o); },
                    },
                    input);
}

Effects PutawayFlow::onScan(const Barcode& barcode, bool typed) {
  const std::string code(text::trimmed(barcode.text));
  Effects fx;
  switch (state_.phase) {
    case PutawayPhase::ScanFrom:
      if (!text::isId(code)) return fail("'" + text::shown(barcode.text) + "' is not a location code");
      state_.from = code;
      reset(PutawayPhase::ScanItem);
      error_.clear();
      message_ = "put away from " + code;
      fx.signal = Signal::Good;
      fx.stateChanged = true;
      return fx;
    case PutawayPhase::ScanItem: {
      auto sent = scans::asSent(barcode, options_.gs1);
      if (!sent) return fail("'" + text::shown(barcode.text) + "' cannot be sent as a barcode");
      protocol::PutawayRequest req;
      req.location = state_.from;
      req.barcode = *sent;
      reset(PutawayPhase::WaitTask);
      state_.scanned = *sent;
      error_.clear();
      message_ = "asking where it goes";
      fx.events.push_back(std::move(req));
      fx.signal = Signal::Good;
      fx.stateChanged = true;
      fx.log.push_back("putaway.request for " + text::shown(*sent) + " at " + state_.from);
      return fx;
    }
    case PutawayPhase::WaitTask: return fail("waiting for the server (Esc cancels)");
    case PutawayPhase::ScanTo: {
      if (!text::isId(code)) return fail("'" + text::shown(barcode.text) + "' is not a location code");
      if (code == state_.from) return fail("that is where it is now: scan where it goes");
      state_.to = code;
      state_.reason.clear();
      const bool suggested = state_.task->to && *state_.task->to == code;
      state_.phase = suggested ? PutawayPhase::Quantity : PutawayPhase::Reason;
      error_.clear();
      message_ = suggested ? "type the quantity, Enter for all " + std::to_string(state_.task->qty)
                           : "not the suggestion: why? 1 full, 2 blocked, 3 other, or type it";
      fx.signal = Signal::Good;
      fx.stateChanged = true;
      return fx;
    }
    case PutawayPhase::Reason:
      if (!typed) return fail("type the reason, or choose 1, 2 or 3");
      return withReason(code);
    case PutawayPhase::Quantity: return fail("type the quantity (Esc goes back)");
  }
  return fx;
}

Effects PutawayFlow::withReason(std::string reason) {
  if (reason.empty()) return fail("the reason is empty: type it, or choose 1, 2 or 3");
  if (reason.size() > protocol::kMaxTextLength)
    return fail("the reason is longer than " + std::to_string(protocol::kMaxTextLength) + " characters");
  for (char c : reason)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return fail("the reason holds a control character");
  if (!isValidUtf8(reason)) return fail("the reason is not valid text (UTF-8)");
  state_.reason = std::move(reason);
  state_.phase = PutawayPhase::Quantity;
  error_.clear();
  message_ = "type the quantity, Enter for all " + std::to_string(state_.task->qty);
  Effects fx;
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  return fx;
}

Effects PutawayFlow::onNumber(int value) {
  if (state_.phase == PutawayPhase::Reason) {
    const auto& menu = putawayReasons();
    if (value < 1 || value > static_cast<int>(menu.size())) return fail("choose 1, 2 or 3, or type the reason");
    return withReason(menu[static_cast<std::size_t>(value - 1)]);
  }
  if (state_.phase != PutawayPhase::Quantity) return fail("no number is asked now");
  return confirm(value);
}

Effects PutawayFlow::confirm(int qty) {
  const auto& t = *state_.task;
  if (qty <= 0) return fail("a quantity of 0 moves nothing");
  if (qty > t.qty) return fail("only " + text::units(t.qty) + " of " + t.sku + " wait at " + t.from);
  protocol::PutawayConfirm c;
  c.sku = t.sku;
  c.from = t.from;
  c.to = state_.to;
  c.qty = qty;
  c.lot = t.lot;
  c.expiry = t.expiry;
  if (!state_.reason.empty()) c.reason = state_.reason;
  state_.lastTask = t;
  state_.lastSent = c;
  state_.result = text::units(qty) + " of " + t.sku + " to " + state_.to;
  Effects fx;
  fx.log.push_back("putaway.confirm " + std::to_string(qty) + " x " + t.sku + " " + t.from + " -> " + state_.to +
                   (c.reason ? " (" + *c.reason + ")" : ""));
  fx.events.push_back(std::move(c));
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  reset(PutawayPhase::ScanItem);
  error_.clear();
  message_ = "put away: " + state_.result;
  return fx;
}

Effects PutawayFlow::onKey(Key key) {
  Effects fx;
  switch (key) {
    case Key::Enter:
      if (state_.phase == PutawayPhase::Quantity) return confirm(state_.task->qty);
      if (state_.phase == PutawayPhase::Reason) return fail("choose 1, 2 or 3, or type the reason");
      return fail(state_.phase == PutawayPhase::ScanTo ? "scan the location it goes to" : "scan first");
    case Key::Escape:
      switch (state_.phase) {
        case PutawayPhase::Quantity:
        case PutawayPhase::Reason:
          state_.phase = PutawayPhase::ScanTo;
          state_.to.clear();
          state_.reason.clear();
          message_ = "scan the location it goes to";
          break;
        case PutawayPhase::ScanTo:
        case PutawayPhase::WaitTask:
          reset(PutawayPhase::ScanItem);
          message_ = "dropped: scan the next item";
          break;
        case PutawayPhase::ScanItem:
          if (options_.dock) return fx;
          reset(PutawayPhase::ScanFrom);
          state_.from.clear();
          message_.clear();
          break;
        case PutawayPhase::ScanFrom: return fx;
      }
      error_.clear();
      fx.stateChanged = true;
      return fx;
    case Key::SignOut: return fx;
    default: return fail(std::string("key '") + toString(key) + "' does nothing while putting away");
  }
}

Effects PutawayFlow::onServer(const protocol::Message& message) {
  Effects fx;
  const auto* task = scans::commandFor<protocol::PutawayTask>(message, options_.device, "put-away", fx);
  if (!task) return fx;
  if (state_.phase != PutawayPhase::WaitTask || task->from != state_.from) {
    fx.log.push_back("ignored putaway.task of " + text::shown(task->sku) + " (not waiting for one)");
    return fx;
  }
  state_.task = *task;
  state_.phase = PutawayPhase::ScanTo;
  error_.clear();
  message_ = task->to ? "take it to " + *task->to : "no suggestion (" + text::shown(task->rule) + "): scan any location";
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  fx.log.push_back("putaway.task: " + std::to_string(task->qty) + " x " + task->sku + " -> " +
                   task->to.value_or("(none)") + " (" + text::shown(task->rule) + ")");
  return fx;
}

Effects PutawayFlow::onOutcome(const EventOutcome& o) {
  Effects fx;
  const std::string why = o.error ? o.error->message : "no reason given";
  if (const auto* req = std::get_if<protocol::PutawayRequest>(&o.event)) {
    if (o.result != protocol::AckResult::Rejected) return fx;
    fx.log.push_back("putaway.request refused: " + why);
    if (state_.phase == PutawayPhase::WaitTask && req->barcode == state_.scanned) {
      reset(PutawayPhase::ScanItem);
      message_.clear();
      error_ = why;
      fx.signal = Signal::Bad;
      fx.stateChanged = true;
    }
    return fx;
  }
  const auto* c = std::get_if<protocol::PutawayConfirm>(&o.event);
  if (!c || !state_.lastSent) return fx;
  auto sent = *state_.lastSent;
  sent.device = c->device;
  sent.ts = c->ts;
  sent.eventId = c->eventId;
  if (sent != *c) return fx;  // an older confirmation's answer
  const auto task = state_.lastTask;
  state_.lastSent.reset();
  state_.lastTask.reset();
  fx.stateChanged = true;
  if (o.result != protocol::AckResult::Rejected) return fx;
  fx.signal = Signal::Bad;
  fx.log.push_back("putaway.confirm refused: " + why);
  state_.result = "refused: " + why;
  error_ = "put-away of " + c->sku + " to " + c->to + " refused: " + why;
  // Back to the destination of that task, unless another item was begun.
  if (state_.phase == PutawayPhase::ScanItem && task) {
    state_.task = task;
    state_.scanned.clear();
    state_.phase = PutawayPhase::ScanTo;
    message_ = "scan where it goes";
  }
  return fx;
}

Status PutawayFlow::restore(PutawayState s) {
  auto bad = [](std::string m) { return makeError(ErrorKind::Invalid, "saved put-away state: " + std::move(m)); };
  if (s.phase != PutawayPhase::ScanFrom && !text::isId(s.from)) return bad("no dock location");
  if (s.phase == PutawayPhase::WaitTask && (s.scanned.empty() || s.scanned.size() > protocol::kMaxBarcodeLength))
    return bad("waiting without a scanned item");
  const bool needsTask =
      s.phase == PutawayPhase::ScanTo || s.phase == PutawayPhase::Reason || s.phase == PutawayPhase::Quantity;
  if (needsTask != s.task.has_value()) return bad("phase " + std::string(toString(s.phase)) + " and the task disagree");
  const bool needsTo = s.phase == PutawayPhase::Reason || s.phase == PutawayPhase::Quantity;
  if (needsTo != text::isId(s.to)) return bad("a destination outside its steps");
  if (s.phase == PutawayPhase::Quantity && s.reason.empty() && (!s.task->to || *s.task->to != s.to))
    return bad("a destination other than the suggestion without a reason");
  if (s.reason.size() > protocol::kMaxTextLength) return bad("the reason is too long");
  if (s.lastSent.has_value() != s.lastTask.has_value()) return bad("a confirmation without its task");
  if (options_.dock && s.phase == PutawayPhase::ScanFrom) {
    s.from = *options_.dock;
    s.phase = PutawayPhase::ScanItem;
  }
  state_ = std::move(s);
  error_.clear();
  message_.clear();
  return {};
}

Screen PutawayFlow::screen() const {
  Screen sc;
  sc.mode = "PUTAWAY";
  sc.error = error_;
  sc.message = message_;
  auto taskFields = [&] {
    const auto& t = *state_.task;
    sc.fields.push_back({"Item", t.sku + " " + t.description, false});
    if (t.lot) sc.fields.push_back({"Lot", *t.lot + (t.expiry ? " exp " + *t.expiry : ""), false});
    sc.fields.push_back({"Qty", std::to_string(t.qty) + " at " + t.from, false});
    sc.fields.push_back({"To", t.to.value_or("(none)"), state_.phase == PutawayPhase::ScanTo});
    sc.fields.push_back({"Rule", t.rule, false});
  };
  switch (state_.phase) {
    case PutawayPhase::ScanFrom:
      sc.prompt = "SCAN DOCK";
      sc.keys = "Q=sign out";
      break;
    case PutawayPhase::ScanItem:
      sc.prompt = "SCAN ITEM";
      sc.fields.push_back({"From", state_.from, false});
      if (!state_.result.empty()) sc.fields.push_back({"Last", state_.result, false});
      sc.keys = options_.dock ? "Q=sign out" : "Esc=other dock Q=sign out";
      break;
    case PutawayPhase::WaitTask:
      sc.prompt = "WAIT FOR TASK";
      sc.fields.push_back({"Scanned", text::shown(state_.scanned), true});
      sc.keys = "Esc=cancel";
      break;
    case PutawayPhase::ScanTo:
      sc.prompt = "SCAN DESTINATION";
      taskFields();
      sc.keys = "Esc=drop";
      break;
    case PutawayPhase::Reason: {
      sc.prompt = "WHY NOT SUGGESTION";
      taskFields();
      sc.fields.push_back({"Going to", state_.to, false});
      const auto& menu = putawayReasons();
      for (std::size_t i = 0; i < menu.size(); ++i) sc.fields.push_back({std::to_string(i + 1), menu[i], false});
      sc.keys = "1-3 or type  Esc=back";
      break;
    }
    case PutawayPhase::Quantity:
      sc.prompt = "TYPE QTY";
      taskFields();
      sc.fields.push_back({"Going to", state_.to, true});
      if (!state_.reason.empty()) sc.fields.push_back({"Reason", state_.reason, false});
      sc.keys = "Enter=all Esc=back";
      break;
  }
  return sc;
}

}  // namespace wms::handheld
