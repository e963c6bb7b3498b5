#include "wms/handheld/ReceiveFlow.h"

#include <algorithm>

#include "Scans.h"
#include "Text.h"

namespace wms::handheld {

const char* toString(ReceivePhase phase) noexcept {
  switch (phase) {
    case ReceivePhase::ScanDock: return "scan-dock";
    case ReceivePhase::ScanOrder: return "scan-order";
    case ReceivePhase::WaitTask: return "wait-task";
    case ReceivePhase::Receive: return "receive";
    case ReceivePhase::Quantity: return "quantity";
  }
  return "scan-dock";
}

ReceiveFlow::ReceiveFlow(Options options) : options_(std::move(options)) {
  if (options_.dock && text::isId(*options_.dock)) {
    state_.dock = *options_.dock;
    state_.phase = ReceivePhase::ScanOrder;
  }
}

bool ReceiveFlow::busy() const noexcept {
  return state_.phase == ReceivePhase::WaitTask || state_.phase == ReceivePhase::Receive ||
         state_.phase == ReceivePhase::Quantity;
}

int ReceiveFlow::pendingUnits(std::size_t line) const {
  int n = 0;
  for (const auto& p : state_.pending)
    if (p.line == static_cast<int>(line) && !p.damaged && state_.task && p.po == state_.task->po) n += p.qty;
  return n;
}

// Units of a line still to come; a blind line (no ordered quantity) always
// has some, as far as the device knows.
int ReceiveFlow::unitsLeft(std::size_t line) const {
  const auto& l = state_.task->lines[line];
  if (!l.qty) return 1;
  return std::max(0, *l.qty - l.received - pendingUnits(line));
}

std::optional<std::size_t> ReceiveFlow::lineToExpect() const {
  if (!state_.task) return std::nullopt;
  if (state_.phase == ReceivePhase::Quantity && state_.scanned)
    return static_cast<std::size_t>(state_.scanned->line);
  if (state_.phase != ReceivePhase::Receive) return std::nullopt;
  for (std::size_t i = 0; i < state_.task->lines.size(); ++i)
    if (unitsLeft(i) > 0) return i;
  return std::nullopt;
}

std::optional<StepExpectation> ReceiveFlow::expectation() const {
  const auto line = lineToExpect();
  if (!line) return std::nullopt;
  const auto& l = state_.task->lines[*line];
  StepExpectation e;
  e.expected.target = ScanTarget::Item;
  e.expected.sku = l.sku;
  e.expected.itemBarcodes = l.barcodes;
  e.text = l.barcodes.empty() ? l.sku : l.barcodes.front();
  e.quantity = std::max(1, l.qty ? unitsLeft(*line) : 1);
  e.remaining = e.quantity;
  return e;
}

Effects ReceiveFlow::fail(std::string message) {
  error_ = std::move(message);
  Effects fx;
  fx.signal = Signal::Bad;
  return fx;
}

Effects ReceiveFlow::handle(const Input& input) {
  return std::visit(scans::Overloaded{
                        [&](const KeyPress& k) { return onKey(k.key); },
                        [&](const NumberEntry& n) { return onNumber(n.value); },
                        [&](const ScanInput& s) { return onScan(s.barcode); },
                        [&](const ScanFailed& f) { return fail("could not read a barcode: " + f.reason); },
                        [&](const protocol::Message& m) { return onServer(m); },
                        [&](const EventOutcome& o) { return onOutcome(o); },
                    },
                    input);
}

Effects ReceiveFlow::onScan(const Barcode& barcode) {
  const std::string code(text::trimmed(barcode.text));
  switch (state_.phase) {
    case ReceivePhase::ScanDock: {
      if (!text::isId(code)) return fail("'" + text::shown(barcode.text) + "' is not a location code");
      state_.dock = code;
      state_.phase = ReceivePhase::ScanOrder;
      error_.clear();
      message_ = "goods land at " + code;
      Effects fx;
      fx.signal = Signal::Good;
      fx.stateChanged = true;
      return fx;
    }
    case ReceivePhase::ScanOrder: {
      if (!text::isId(code))
        return fail("'" + text::shown(barcode.text) + "' is not an order reference (1-64 characters, no spaces)");
      protocol::ReceiveRequest req;
      req.po = code;
      state_.phase = ReceivePhase::WaitTask;
      state_.requested = code;
      state_.task.reset();
      state_.damaged.clear();
      state_.scanned.reset();
      error_.clear();
      message_ = "asking for order " + code;
      Effects fx;
      fx.events.push_back(std::move(req));
      fx.signal = Signal::Good;
      fx.stateChanged = true;
      fx.log.push_back("receive.request for " + code);
      return fx;
    }
    case ReceivePhase::WaitTask: return fail("waiting for order " + state_.requested + " (Esc cancels)");
    case ReceivePhase::Quantity: return fail("type the quantity of the case first (Esc drops it)");
    case ReceivePhase::Receive: break;
  }
  if (auto sscc = scans::ssccOf(barcode, options_.gs1)) return receivePallet(*sscc);
  return receiveCase(barcode);
}

Effects ReceiveFlow::receivePallet(const std::string& sscc) {
  auto& units = state_.task->units;
  const auto at = std::find(units.begin(), units.end(), sscc);
  if (at == units.end())
    return fail("SSCC " + sscc + " is not one order " + state_.task->po + " waits for (received already?)");
  units.erase(at);
  protocol::ReceiveConfirm c;
  c.po = state_.task->po;
  c.sscc = sscc;
  c.location = state_.dock;
  state_.pending.push_back({c.po, -1, sscc, 0, false});
  error_.clear();
  message_ = "pallet " + sscc + " received";
  Effects fx;
  fx.events.push_back(std::move(c));
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  fx.log.push_back("receive.confirm of SSCC " + sscc + " for " + state_.task->po);
  return fx;
}

Effects ReceiveFlow::receiveCase(const Barcode& barcode) {
  const auto& lines = state_.task->lines;
  const auto match = scans::matchLines(barcode, lines, options_.gs1);
  if (match.lines.empty()) {
    if (match.invalid) return fail(match.invalid->message);
    return fail(text::shown(barcode.text) + " is not on order " + state_.task->po + ": set the case aside");
  }
  // Like the server: the first line of the SKU with units still to come.
  std::optional<std::size_t> take;
  for (auto i : match.lines)
    if (!take && unitsLeft(i) > 0) take = i;
  if (!take) take = match.lines.front();
  auto sent = scans::asSent(barcode, options_.gs1);
  if (!sent) return fail("'" + text::shown(barcode.text) + "' cannot be sent as a barcode");
  state_.scanned = ScannedCase{static_cast<int>(*take), *sent, false};
  state_.phase = ReceivePhase::Quantity;
  error_.clear();
  message_ = lines[*take].sku + ": type the quantity (D = damaged)";
  Effects fx;
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  return fx;
}

Effects ReceiveFlow::onNumber(int value) {
  if (state_.phase != ReceivePhase::Quantity || !state_.scanned) return fail("no quantity is asked now: scan a case");
  if (value <= 0) return fail("a quantity of 0 receives nothing: type the units in the case");
  if (value > options_.maxQty)
    return fail(std::to_string(value) + " is more than one scan may receive (" + std::to_string(options_.maxQty) + ")");
  const auto& s = *state_.scanned;
  const auto& line = state_.task->lines[static_cast<std::size_t>(s.line)];
  protocol::ReceiveConfirm c;
  c.po = state_.task->po;
  c.barcode = s.barcode;
  c.qty = value;
  c.location = state_.dock;
  c.condition = s.damaged ? protocol::ItemCondition::Damaged : protocol::ItemCondition::Good;
  state_.pending.push_back({c.po, s.line, s.barcode, value, s.damaged});
  message_ = text::units(value) + " of " + line.sku + (s.damaged ? " set aside as damaged" : " received");
  Effects fx;
  fx.log.push_back("receive.confirm " + std::to_string(value) + " x " + line.sku + (s.damaged ? " (damaged)" : "") +
                   " for " + c.po);
  fx.events.push_back(std::move(c));
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  state_.scanned.reset();
  state_.phase = ReceivePhase::Receive;
  error_.clear();
  return fx;
}

Effects ReceiveFlow::onKey(Key key) {
  Effects fx;
  switch (key) {
    case Key::Damaged:
      if (state_.phase != ReceivePhase::Quantity || !state_.scanned) return fail("scan the damaged case first");
      state_.scanned->damaged = !state_.scanned->damaged;
      error_.clear();
      message_ = state_.scanned->damaged ? "damaged: it is set aside, never stock" : "not damaged after all";
      fx.signal = Signal::Good;
      fx.stateChanged = true;
      return fx;
    case Key::Escape:
      if (state_.phase == ReceivePhase::Quantity) {
        state_.scanned.reset();
        state_.phase = ReceivePhase::Receive;
        error_.clear();
        message_ = "case dropped: scan it again";
        fx.stateChanged = true;
        return fx;
      }
      if (state_.phase == ReceivePhase::WaitTask) {
        message_ = "request for " + state_.requested + " dropped";
        state_.phase = ReceivePhase::ScanOrder;
        state_.requested.clear();
        error_.clear();
        fx.stateChanged = true;
        return fx;
      }
      if (state_.phase == ReceivePhase::ScanOrder && !options_.dock) {
        // Another dock: the configured one cannot be changed here.
        state_.phase = ReceivePhase::ScanDock;
        state_.dock.clear();
        error_.clear();
        message_.clear();
        fx.stateChanged = true;
      }
      return fx;
    case Key::Enter:
      switch (state_.phase) {
        case ReceivePhase::Receive: {
          const std::string po = state_.task->po;
          state_.result = "order " + po + " done";
          if (!state_.pending.empty())
            state_.result += ", " + std::to_string(state_.pending.size()) + " receipt(s) not answered yet";
          state_.phase = ReceivePhase::ScanOrder;
          state_.task.reset();
          state_.damaged.clear();
          state_.requested.clear();
          error_.clear();
          message_.clear();
          fx.stateChanged = true;
          fx.log.push_back("receiving of " + po + " ended");
          return fx;
        }
        case ReceivePhase::Quantity: return fail("type the quantity of the case (Esc drops it)");
        case ReceivePhase::WaitTask: return fail("waiting for the server");
        case ReceivePhase::ScanOrder: return fail("scan a purchase order");
        case ReceivePhase::ScanDock: return fail("scan the dock location");
      }
      return fx;
    case Key::SignOut:
      return fx;
    default:
      return fail(std::string("key '") + toString(key) + "' does nothing while receiving");
  }
}

Effects ReceiveFlow::onServer(const protocol::Message& message) {
  Effects fx;
  const auto* task = scans::commandFor<protocol::ReceiveTask>(message, options_.device, "receive", fx);
  if (!task) return fx;
  if (state_.phase != ReceivePhase::WaitTask || task->po != state_.requested) {
    fx.log.push_back("ignored receive.task of order " + text::shown(task->po) + " (not waiting for it)");
    return fx;
  }
  state_.task = *task;
  state_.damaged.assign(task->lines.size(), 0);
  // Receipts of this order still unanswered (sent before a restart or an
  // earlier visit) are not in the task's counts yet; their SSCCs stay off
  // the list.
  for (const auto& p : state_.pending)
    if (p.po == task->po && p.line < 0) std::erase(state_.task->units, p.code);
  state_.phase = ReceivePhase::Receive;
  error_.clear();
  message_ = "scan each case, or a pallet's SSCC";
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  fx.log.push_back("receive.task: order " + task->po + ", " + std::to_string(task->lines.size()) + " line(s), " +
                   std::to_string(task->units.size()) + " unit(s) announced");
  return fx;
}

Effects ReceiveFlow::onOutcome(const EventOutcome& o) {
  Effects fx;
  const bool refused = o.result == protocol::AckResult::Rejected;
  const std::string why = o.error ? o.error->message : "no reason given";
  if (const auto* req = std::get_if<protocol::ReceiveRequest>(&o.event)) {
    if (!refused) return fx;
    fx.log.push_back("receive.request refused: " + why);
    if (state_.phase == ReceivePhase::WaitTask && req->po == state_.requested) {
      state_.phase = ReceivePhase::ScanOrder;
      state_.requested.clear();
      message_.clear();
      error_ = req->po + ": " + why;
      fx.signal = Signal::Bad;
      fx.stateChanged = true;
    }
    return fx;
  }
  const auto* c = std::get_if<protocol::ReceiveConfirm>(&o.event);
  if (!c) return fx;
  const std::string code = c->sscc ? *c->sscc : c->barcode.value_or("");
  const bool damaged = c->condition == protocol::ItemCondition::Damaged;
  const auto at = std::find_if(state_.pending.begin(), state_.pending.end(), [&](const PendingReceipt& p) {
    return p.po == c->po && p.code == code && p.qty == c->qty.value_or(0) && p.damaged == damaged &&
           (p.line < 0) == c->sscc.has_value();
  });
  if (at == state_.pending.end()) return fx;
  const PendingReceipt p = *at;
  state_.pending.erase(at);
  fx.stateChanged = true;
  const bool current = state_.task && state_.task->po == p.po;
  if (!refused) {
    if (current && p.line >= 0 && static_cast<std::size_t>(p.line) < state_.task->lines.size()) {
      const auto line = static_cast<std::size_t>(p.line);
      if (p.damaged) state_.damaged[line] = std::min(state_.damaged[line] + p.qty, protocol::kMaxQty);
      else state_.task->lines[line].received = std::min(state_.task->lines[line].received + p.qty, protocol::kMaxQty);
    }
    return fx;
  }
  // Refused: the count it added is taken back (it was only pending) and a
  // refused pallet is on the list again.
  if (current && p.line == -1 && std::find(state_.task->units.begin(), state_.task->units.end(), p.code) ==
                                     state_.task->units.end())
    state_.task->units.push_back(p.code);
  const std::string what = p.line == -1 ? "pallet " + p.code : text::units(p.qty) + " of " + text::shown(p.code);
  error_ = "refused, " + what + " not received: " + why;
  fx.signal = Signal::Bad;
  fx.log.push_back("receive.confirm refused (" + what + "): " + why);
  return fx;
}

Status ReceiveFlow::restore(ReceiveState s) {
  auto bad = [](std::string m) { return makeError(ErrorKind::Invalid, "saved receive state: " + std::move(m)); };
  if (s.phase != ReceivePhase::ScanDock && !text::isId(s.dock)) return bad("no dock location");
  if (s.phase == ReceivePhase::WaitTask && !text::isId(s.requested)) return bad("waiting without an order reference");
  const bool needsTask = s.phase == ReceivePhase::Receive || s.phase == ReceivePhase::Quantity;
  if (needsTask != s.task.has_value()) return bad("phase " + std::string(toString(s.phase)) + " and the order disagree");
  const std::size_t lines = s.task ? s.task->lines.size() : 0;
  if (s.task && lines == 0) return bad("an order without lines");
  if (s.damaged.size() != lines) return bad("damaged counts do not match the order's lines");
  for (int n : s.damaged)
    if (n < 0 || n > protocol::kMaxQty) return bad("a damaged count out of range");
  for (const auto& p : s.pending) {
    if (!text::isId(p.po) || p.code.empty() || p.code.size() > protocol::kMaxBarcodeLength) return bad("a bad receipt");
    const bool sscc = p.line == -1;
    if (sscc ? p.qty != 0 : (p.qty < 1 || p.qty > protocol::kMaxQty)) return bad("a receipt's quantity out of range");
    // Lines of the current order must exist; those of an order left
    // before are only waited for.
    const bool here = s.task && p.po == s.task->po;
    if (p.line < -1 || (here && p.line >= static_cast<int>(lines))) return bad("a receipt of an unknown line");
  }
  if ((s.phase == ReceivePhase::Quantity) != s.scanned.has_value()) return bad("a scanned case outside its step");
  if (s.scanned && (s.scanned->line < 0 || s.scanned->line >= static_cast<int>(lines) || s.scanned->barcode.empty() ||
                    s.scanned->barcode.size() > protocol::kMaxBarcodeLength))
    return bad("a scanned case of an unknown line");
  if (options_.dock && s.phase == ReceivePhase::ScanDock) {
    s.dock = *options_.dock;
    s.phase = ReceivePhase::ScanOrder;
  }
  state_ = std::move(s);
  error_.clear();
  message_.clear();
  return {};
}

Screen ReceiveFlow::screen() const {
  Screen sc;
  sc.mode = "RECEIVE";
  sc.error = error_;
  sc.message = message_;
  switch (state_.phase) {
    case ReceivePhase::ScanDock:
      sc.prompt = "SCAN DOCK";
      sc.keys = "Q=sign out";
      break;
    case ReceivePhase::ScanOrder:
      sc.prompt = "SCAN ORDER";
      sc.fields.push_back({"Dock", state_.dock, false});
      if (!state_.result.empty()) sc.fields.push_back({"Last", state_.result, false});
      sc.keys = options_.dock ? "Q=sign out" : "Esc=other dock Q=sign out";
      break;
    case ReceivePhase::WaitTask:
      sc.prompt = "WAIT FOR ORDER";
      sc.fields.push_back({"Scanned", state_.requested, true});
      sc.keys = "Esc=cancel";
      break;
    case ReceivePhase::Receive:
    case ReceivePhase::Quantity: {
      const auto& t = *state_.task;
      const bool quantity = state_.phase == ReceivePhase::Quantity;
      sc.prompt = quantity ? (state_.scanned->damaged ? "QTY DAMAGED" : "TYPE QTY") : "SCAN CASE OR SSCC";
      sc.fields.push_back({"Order", t.po + " " + t.supplier, false});
      sc.fields.push_back({"Dock", state_.dock, false});
      for (std::size_t i = 0; i < t.lines.size(); ++i) {
        const auto& l = t.lines[i];
        std::string count = std::to_string(l.received + pendingUnits(i));
        if (l.qty) count += "/" + std::to_string(*l.qty);
        if (state_.damaged[i] > 0) count += " +" + std::to_string(state_.damaged[i]) + " dmg";
        const bool now = quantity ? state_.scanned->line == static_cast<int>(i) : (l.qty && unitsLeft(i) > 0);
        sc.fields.push_back({l.sku, count, now});
      }
      if (!t.units.empty()) sc.fields.push_back({"SSCCs", std::to_string(t.units.size()) + " to come", false});
      sc.keys = quantity ? "D=damaged Esc=drop" : "Enter=order done";
      break;
    }
  }
  return sc;
}

}  // namespace wms::handheld
