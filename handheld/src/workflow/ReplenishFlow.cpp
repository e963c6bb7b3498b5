#include "wms/handheld/ReplenishFlow.h"

#include <algorithm>

#include "Scans.h"
#include "Text.h"

namespace wms::handheld {
namespace {

// Confirmations kept for their answers; more than this unanswered and the
// oldest is forgotten (its refusal is then only logged by the app).
constexpr std::size_t kMaxUnanswered = 1000;

bool sameMove(const protocol::ReplenishMove& a, const protocol::ReplenishMove& b) {
  return a.sku == b.sku && a.from == b.from && a.to == b.to && a.lot == b.lot;
}

bool sentFor(const protocol::ReplenishConfirm& c, const protocol::ReplenishMove& m) {
  return c.sku == m.sku && c.from == m.from && c.to == m.to && c.lot == m.lot;
}

}  // namespace

const char* toString(ReplenishPhase phase) noexcept {
  switch (phase) {
    case ReplenishPhase::Idle: return "idle";
    case ReplenishPhase::WaitTask: return "wait-task";
    case ReplenishPhase::ScanFrom: return "scan-from";
    case ReplenishPhase::ScanItem: return "scan-item";
    case ReplenishPhase::Quantity: return "quantity";
    case ReplenishPhase::ScanTo: return "scan-to";
  }
  return "idle";
}

ReplenishFlow::ReplenishFlow(Options options) : options_(std::move(options)) {}

bool ReplenishFlow::busy() const noexcept { return state_.phase == ReplenishPhase::ScanTo; }

std::optional<StepExpectation> ReplenishFlow::expectation() const {
  if (state_.moves.empty()) return std::nullopt;
  const auto& m = state_.moves.front();
  StepExpectation e;
  e.quantity = e.remaining = m.qty;
  switch (state_.phase) {
    case ReplenishPhase::ScanFrom:
    case ReplenishPhase::ScanTo:
      e.expected.target = ScanTarget::Location;
      e.expected.code = e.text = state_.phase == ReplenishPhase::ScanFrom ? m.from : m.to;
      return e;
    case ReplenishPhase::ScanItem:
    case ReplenishPhase::Quantity:
      e.expected.target = ScanTarget::Item;
      e.expected.sku = m.sku;
      e.expected.itemBarcodes = m.barcodes;
      e.text = m.barcodes.empty() ? m.sku : m.barcodes.front();
      return e;
    default: return std::nullopt;
  }
}

Effects ReplenishFlow::fail(std::string message) {
  error_ = std::move(message);
  Effects fx;
  fx.signal = Signal::Bad;
  return fx;
}

void ReplenishFlow::atNextMove() {
  state_.qty = 0;
  state_.phase = state_.moves.empty() ? ReplenishPhase::Idle : ReplenishPhase::ScanFrom;
}

Effects ReplenishFlow::handle(const Input& input) {
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

Effects ReplenishFlow::request() {
  state_.phase = ReplenishPhase::WaitTask;
  error_.clear();
  message_ = "asking for faces to refill";
  Effects fx;
  fx.events.push_back(protocol::ReplenishRequest{});
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  fx.log.push_back("replenish.request");
  return fx;
}

Effects ReplenishFlow::onScan(const Barcode& barcode) {
  const std::string code(text::trimmed(barcode.text));
  Effects fx;
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  switch (state_.phase) {
    case ReplenishPhase::Idle: return fail("press Enter to ask for work");
    case ReplenishPhase::WaitTask: return fail("waiting for the server");
    case ReplenishPhase::ScanFrom: {
      const auto& m = state_.moves.front();
      if (code != m.from) return fail("wrong location: scanned " + text::shown(code) + ", go to " + m.from);
      state_.phase = ReplenishPhase::ScanItem;
      error_.clear();
      message_ = "scan the item";
      return fx;
    }
    case ReplenishPhase::ScanItem:
    case ReplenishPhase::Quantity: {
      const auto& m = state_.moves.front();
      auto match = scans::matchLines(barcode, std::vector<protocol::ReplenishMove>{m}, options_.gs1);
      if (match.lines.empty())
        return fail(match.invalid ? match.invalid->message : "not " + m.sku + ": scan " + m.description);
      state_.phase = ReplenishPhase::Quantity;
      error_.clear();
      message_ = "type the quantity taken, Enter for " + std::to_string(m.qty);
      return fx;
    }
    case ReplenishPhase::ScanTo: {
      const auto& m = state_.moves.front();
      if (code != m.to) return fail("wrong location: scanned " + text::shown(code) + ", take it to " + m.to);
      return confirm();
    }
  }
  return fx;
}

Effects ReplenishFlow::onNumber(int value) {
  if (state_.phase != ReplenishPhase::Quantity) return fail("no number is asked now");
  const auto& m = state_.moves.front();
  if (value <= 0) return fail("a quantity of 0 moves nothing");
  if (value > m.qty) return fail("the move is " + text::units(m.qty) + ": take no more");
  state_.qty = value;
  state_.phase = ReplenishPhase::ScanTo;
  error_.clear();
  message_ = "take " + text::units(value) + " to " + m.to;
  Effects fx;
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  return fx;
}

Effects ReplenishFlow::confirm() {
  const auto m = state_.moves.front();
  protocol::ReplenishConfirm c;
  c.sku = m.sku;
  c.from = m.from;
  c.to = m.to;
  c.qty = state_.qty;
  c.lot = m.lot;
  c.expiry = m.expiry;
  state_.sent.push_back({m, c});
  if (state_.sent.size() > kMaxUnanswered) state_.sent.erase(state_.sent.begin());
  state_.moves.erase(state_.moves.begin());
  state_.result = text::units(c.qty) + " of " + m.sku + " " + m.from + " -> " + m.to;
  Effects fx;
  fx.log.push_back("replenish.confirm " + std::to_string(c.qty) + " x " + m.sku + " " + m.from + " -> " + m.to);
  fx.events.push_back(std::move(c));
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  atNextMove();
  error_.clear();
  message_ = "refilled: " + state_.result;
  return fx;
}

Effects ReplenishFlow::onKey(Key key) {
  Effects fx;
  switch (key) {
    case Key::Enter:
      if (state_.phase == ReplenishPhase::Idle) return request();
      if (state_.phase == ReplenishPhase::Quantity) return onNumber(state_.moves.front().qty);
      if (state_.phase == ReplenishPhase::WaitTask) return fail("waiting for the server");
      return fail("scan first");
    case Key::Skip:
      if (state_.phase != ReplenishPhase::ScanFrom && state_.phase != ReplenishPhase::ScanItem)
        return fail("only a move not yet taken can be skipped");
      std::rotate(state_.moves.begin(), state_.moves.begin() + 1, state_.moves.end());
      state_.phase = ReplenishPhase::ScanFrom;
      error_.clear();
      message_ = "move skipped: it comes back at the end";
      fx.stateChanged = true;
      return fx;
    case Key::Escape:
      switch (state_.phase) {
        case ReplenishPhase::ScanTo: state_.phase = ReplenishPhase::Quantity; break;
        case ReplenishPhase::Quantity: state_.phase = ReplenishPhase::ScanItem; break;
        case ReplenishPhase::ScanItem: state_.phase = ReplenishPhase::ScanFrom; break;
        case ReplenishPhase::WaitTask: atNextMove(); break;
        case ReplenishPhase::ScanFrom:
        case ReplenishPhase::Idle: return fx;
      }
      state_.qty = 0;
      error_.clear();
      message_.clear();
      fx.stateChanged = true;
      return fx;
    case Key::SignOut: return fx;
    default: return fail(std::string("key '") + toString(key) + "' does nothing while replenishing");
  }
}

Effects ReplenishFlow::onServer(const protocol::Message& message) {
  Effects fx;
  const auto* task = scans::commandFor<protocol::ReplenishTask>(message, options_.device, "replenish", fx);
  if (!task) return fx;
  const bool inHand = state_.phase == ReplenishPhase::ScanItem || state_.phase == ReplenishPhase::Quantity ||
                      state_.phase == ReplenishPhase::ScanTo;
  std::vector<protocol::ReplenishMove> moves;
  if (inHand) moves.push_back(state_.moves.front());
  for (const auto& m : task->moves) {
    if (inHand && sameMove(m, moves.front())) continue;
    // Confirmed here and not yet answered, listed as it was when confirmed:
    // a list from before the server saw the confirmation (it would be done
    // twice). A move still needed after it (a part was taken) has another
    // quantity, and is kept.
    if (std::any_of(state_.sent.begin(), state_.sent.end(), [&](const SentMove& s) { return s.move == m; }))
      continue;
    moves.push_back(m);
  }
  state_.moves = std::move(moves);
  state_.note = task->note;
  if (!inHand) atNextMove();
  if (state_.phase == ReplenishPhase::Idle) message_ = task->note.value_or("nothing to refill");
  else if (!inHand) message_ = "go to " + state_.moves.front().from;
  fx.signal = inHand ? Signal::None : Signal::Good;
  fx.stateChanged = true;
  fx.log.push_back("replenish.task: " + std::to_string(task->moves.size()) + " move(s)" +
                   (task->note ? " (" + *task->note + ")" : ""));
  return fx;
}

Effects ReplenishFlow::onOutcome(const EventOutcome& o) {
  Effects fx;
  const std::string why = o.error ? o.error->message : "no reason given";
  if (std::holds_alternative<protocol::ReplenishRequest>(o.event)) {
    if (o.result != protocol::AckResult::Rejected) return fx;
    fx.log.push_back("replenish.request refused: " + why);
    if (state_.phase == ReplenishPhase::WaitTask) {
      atNextMove();
      error_ = why;
      fx.signal = Signal::Bad;
      fx.stateChanged = true;
    }
    return fx;
  }
  const auto* c = std::get_if<protocol::ReplenishConfirm>(&o.event);
  if (!c) return fx;
  auto it = std::find_if(state_.sent.begin(), state_.sent.end(), [&](const SentMove& s) {
    auto sent = s.confirm;
    sent.device = c->device;
    sent.ts = c->ts;
    sent.eventId = c->eventId;
    return sent == *c;
  });
  if (it == state_.sent.end()) return fx;  // not one this state knows
  const auto move = it->move;
  state_.sent.erase(it);
  fx.stateChanged = true;
  if (o.result != protocol::AckResult::Rejected) return fx;
  fx.signal = Signal::Bad;
  fx.log.push_back("replenish.confirm refused: " + why);
  state_.result = "refused: " + why;
  error_ = "refill of " + c->sku + " " + c->from + " -> " + c->to + " refused: " + why;
  // Back to that move, unless another was begun.
  if (state_.phase == ReplenishPhase::Idle || state_.phase == ReplenishPhase::WaitTask ||
      state_.phase == ReplenishPhase::ScanFrom) {
    std::erase_if(state_.moves, [&](const protocol::ReplenishMove& m) { return sameMove(m, move); });
    state_.moves.insert(state_.moves.begin(), move);
    atNextMove();
    message_ = "go to " + move.from;
  }
  return fx;
}

Status ReplenishFlow::restore(ReplenishState s) {
  auto bad = [](std::string m) { return makeError(ErrorKind::Invalid, "saved replenish state: " + std::move(m)); };
  const bool working = s.phase == ReplenishPhase::ScanFrom || s.phase == ReplenishPhase::ScanItem ||
                       s.phase == ReplenishPhase::Quantity || s.phase == ReplenishPhase::ScanTo;
  if (working && s.moves.empty()) return bad("phase " + std::string(toString(s.phase)) + " without a move");
  if (s.phase == ReplenishPhase::Idle && !s.moves.empty()) return bad("moves waiting at the start prompt");
  if (s.phase == ReplenishPhase::ScanTo ? (s.qty < 1 || s.qty > s.moves.front().qty) : s.qty != 0)
    return bad("a quantity outside its step");
  if (s.sent.size() > kMaxUnanswered) return bad("too many unanswered confirmations");
  for (const auto& sm : s.sent)
    if (!sentFor(sm.confirm, sm.move)) return bad("a confirmation that is not its move's");
  state_ = std::move(s);
  error_.clear();
  message_.clear();
  return {};
}

Screen ReplenishFlow::screen() const {
  Screen sc;
  sc.mode = "REPLENISH";
  sc.error = error_;
  sc.message = message_;
  if (!state_.moves.empty() && state_.phase != ReplenishPhase::Idle && state_.phase != ReplenishPhase::WaitTask) {
    const auto& m = state_.moves.front();
    sc.progress = std::to_string(state_.moves.size()) + " to do";
    sc.fields.push_back({"From", m.from, state_.phase == ReplenishPhase::ScanFrom});
    sc.fields.push_back({"Item", m.sku + " " + m.description, state_.phase == ReplenishPhase::ScanItem});
    if (m.lot) sc.fields.push_back({"Lot", *m.lot + (m.expiry ? " exp " + *m.expiry : ""), false});
    sc.fields.push_back({"Qty", state_.phase == ReplenishPhase::ScanTo ? std::to_string(state_.qty) + " of " +
                                                                              std::to_string(m.qty)
                                                                        : std::to_string(m.qty),
                         state_.phase == ReplenishPhase::Quantity});
    sc.fields.push_back({"To", m.to, state_.phase == ReplenishPhase::ScanTo});
    sc.fields.push_back({"Why", m.reason, false});
  }
  switch (state_.phase) {
    case ReplenishPhase::Idle:
      sc.prompt = "PRESS ENTER FOR WORK";
      if (state_.note) sc.fields.push_back({"Note", *state_.note, false});
      if (!state_.result.empty()) sc.fields.push_back({"Last", state_.result, false});
      sc.keys = "Enter=ask Q=sign out";
      break;
    case ReplenishPhase::WaitTask:
      sc.prompt = "WAIT FOR TASK";
      sc.keys = "Esc=cancel";
      break;
    case ReplenishPhase::ScanFrom:
      sc.prompt = "SCAN RESERVE";
      sc.keys = "K=skip Q=sign out";
      break;
    case ReplenishPhase::ScanItem:
      sc.prompt = "SCAN ITEM";
      sc.keys = "K=skip Esc=back";
      break;
    case ReplenishPhase::Quantity:
      sc.prompt = "TYPE QTY";
      sc.keys = "Enter=all Esc=back";
      break;
    case ReplenishPhase::ScanTo:
      sc.prompt = "SCAN PICK FACE";
      sc.keys = "Esc=back";
      break;
  }
  return sc;
}

}  // namespace wms::handheld
