#include "wms/handheld/CountFlow.h"

#include <algorithm>

#include "Scans.h"
#include "Text.h"
#include "wms/common/TextChecks.h"

namespace wms::handheld {
namespace {

// Confirmations kept for their answers (see ReplenishFlow.cpp).
constexpr std::size_t kMaxUnanswered = 1000;

std::string itemText(const protocol::CountItem& c) {
  return c.sku + " " + c.description + (c.lot ? " lot " + *c.lot : "") + (c.expiry ? " exp " + *c.expiry : "");
}

}  // namespace

const char* toString(CountPhase phase) noexcept {
  switch (phase) {
    case CountPhase::Idle: return "idle";
    case CountPhase::WaitTask: return "wait-task";
    case CountPhase::ScanLocation: return "scan-location";
    case CountPhase::Count: return "count";
  }
  return "idle";
}

CountFlow::CountFlow(Options options) : options_(std::move(options)) {}

const protocol::CountItem* CountFlow::current() const {
  if (state_.phase != CountPhase::Count) return nullptr;
  for (const auto& c : state_.counts)
    if (c.location == state_.location) return &c;
  return nullptr;
}

void CountFlow::atNextCount() {
  state_.itemScanned = false;
  const bool more = std::any_of(state_.counts.begin(), state_.counts.end(),
                                [&](const protocol::CountItem& c) { return c.location == state_.location; });
  if (state_.phase == CountPhase::Count && more) return;
  state_.location.clear();
  state_.phase = state_.counts.empty() ? CountPhase::Idle : CountPhase::ScanLocation;
}

std::optional<StepExpectation> CountFlow::expectation() const {
  StepExpectation e;
  if (state_.phase == CountPhase::ScanLocation && !state_.counts.empty()) {
    e.expected.target = ScanTarget::Location;
    e.expected.code = e.text = state_.counts.front().location;
    return e;
  }
  const auto* c = current();
  if (!c) return std::nullopt;
  e.expected.target = ScanTarget::Item;
  e.expected.sku = c->sku;
  e.expected.itemBarcodes = c->barcodes;
  e.text = c->barcodes.empty() ? c->sku : c->barcodes.front();
  return e;
}

Effects CountFlow::fail(std::string message) {
  error_ = std::move(message);
  Effects fx;
  fx.signal = Signal::Bad;
  return fx;
}

Effects CountFlow::handle(const Input& input) {
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

Effects CountFlow::request(std::optional<std::string> location) {
  protocol::CountRequest req;
  req.location = std::move(location);
  state_.phase = CountPhase::WaitTask;
  error_.clear();
  message_ = req.location ? "asking for the counts of " + *req.location : "asking for counts";
  Effects fx;
  fx.log.push_back("count.request" + (req.location ? " at " + *req.location : std::string()));
  fx.events.push_back(std::move(req));
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  return fx;
}

Effects CountFlow::onScan(const Barcode& barcode) {
  const std::string code(text::trimmed(barcode.text));
  switch (state_.phase) {
    case CountPhase::Idle:
      if (!text::isId(code)) return fail("'" + text::shown(barcode.text) + "' is not a location code");
      return request(code);
    case CountPhase::WaitTask: return fail("waiting for the server");
    case CountPhase::ScanLocation: {
      const auto& next = state_.counts.front().location;
      if (code != next) return fail("wrong location: scanned " + text::shown(code) + ", go to " + next);
      state_.location = code;
      state_.phase = CountPhase::Count;
      state_.itemScanned = false;
      error_.clear();
      message_ = "count the item and type how many (0: empty)";
      Effects fx;
      fx.signal = Signal::Good;
      fx.stateChanged = true;
      return fx;
    }
    case CountPhase::Count: {
      const auto* c = current();
      auto match = scans::matchLines(barcode, std::vector<protocol::CountItem>{*c}, options_.gs1);
      if (match.lines.empty())
        return fail(match.invalid ? match.invalid->message : "not " + c->sku + ": count " + c->description);
      state_.itemScanned = true;
      error_.clear();
      message_ = "type how many " + c->sku + " are here (0: empty)";
      Effects fx;
      fx.signal = Signal::Good;
      fx.stateChanged = true;
      return fx;
    }
  }
  return {};
}

Effects CountFlow::onNumber(int value) {
  const auto* c = current();
  if (!c) return fail("no number is asked now");
  if (value < 0 || value > protocol::kMaxQty)
    return fail("a count is 0 to " + std::to_string(protocol::kMaxQty) + " units");
  const auto item = *c;
  protocol::CountConfirm confirm;
  confirm.countId = item.countId;
  confirm.counted = value;
  state_.sent.push_back({item, value});
  if (state_.sent.size() > kMaxUnanswered) state_.sent.erase(state_.sent.begin());
  std::erase_if(state_.counts, [&](const protocol::CountItem& x) { return x.countId == item.countId; });
  state_.result = item.sku + " at " + item.location + ": " + (value == 0 ? "empty" : text::units(value));
  Effects fx;
  fx.log.push_back("count.confirm " + std::to_string(item.countId) + " " + item.sku + " at " + item.location + ": " +
                   std::to_string(value));
  fx.events.push_back(std::move(confirm));
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  atNextCount();
  error_.clear();
  message_ = "counted: " + state_.result;
  return fx;
}

Effects CountFlow::onKey(Key key) {
  Effects fx;
  switch (key) {
    case Key::Enter:
      if (state_.phase == CountPhase::Idle) return request(std::nullopt);
      if (state_.phase == CountPhase::Count) return fail("type the units counted (0: empty)");
      return fail(state_.phase == CountPhase::WaitTask ? "waiting for the server" : "scan the location first");
    case Key::Skip: {
      if (state_.phase != CountPhase::ScanLocation && state_.phase != CountPhase::Count)
        return fail("nothing to skip");
      const std::string at = state_.phase == CountPhase::Count ? state_.location : state_.counts.front().location;
      std::stable_partition(state_.counts.begin(), state_.counts.end(),
                            [&](const protocol::CountItem& c) { return c.location != at; });
      state_.phase = CountPhase::ScanLocation;
      state_.location.clear();
      state_.itemScanned = false;
      error_.clear();
      message_ = at + " skipped: it comes back at the end";
      fx.stateChanged = true;
      return fx;
    }
    case Key::Escape:
      if (state_.phase == CountPhase::Count && state_.itemScanned) state_.itemScanned = false;
      else if (state_.phase == CountPhase::Count) {
        state_.phase = CountPhase::ScanLocation;
        state_.location.clear();
      } else if (state_.phase == CountPhase::WaitTask) {
        state_.phase = CountPhase::Count;  // atNextCount() finds where the list stands
        atNextCount();
      } else return fx;
      error_.clear();
      message_.clear();
      fx.stateChanged = true;
      return fx;
    case Key::SignOut: return fx;
    default: return fail(std::string("key '") + toString(key) + "' does nothing while counting");
  }
}

Effects CountFlow::onServer(const protocol::Message& message) {
  Effects fx;
  const auto* task = scans::commandFor<protocol::CountTask>(message, options_.device, "count", fx);
  if (!task) return fx;
  std::vector<protocol::CountItem> counts;
  for (const auto& c : task->counts) {
    // Counted here and not yet answered, listed as it was when counted: a
    // list from before the server saw the count. (wmsd may send the list
    // that answers a count before its ack; a count to do again then comes
    // back with `recount` set, and is kept.)
    if (std::any_of(state_.sent.begin(), state_.sent.end(), [&](const SentCount& s) {
          return s.item.countId == c.countId && s.item.recount == c.recount;
        }))
      continue;
    counts.push_back(c);
  }
  // The location in hand stays first.
  if (state_.phase == CountPhase::Count)
    std::stable_partition(counts.begin(), counts.end(),
                          [&](const protocol::CountItem& c) { return c.location == state_.location; });
  const bool wasCounting = state_.phase == CountPhase::Count;
  state_.counts = std::move(counts);
  state_.note = task->note;
  if (state_.phase == CountPhase::WaitTask || state_.phase == CountPhase::Idle) state_.phase = CountPhase::ScanLocation;
  atNextCount();
  if (state_.phase == CountPhase::Idle) message_ = task->note.value_or("nothing to count");
  else if (state_.phase == CountPhase::ScanLocation) message_ = "go to " + state_.counts.front().location;
  fx.signal = wasCounting ? Signal::None : Signal::Good;
  fx.stateChanged = true;
  fx.log.push_back("count.task: " + std::to_string(task->counts.size()) + " count(s)" +
                   (task->note ? " (" + *task->note + ")" : ""));
  return fx;
}

Effects CountFlow::onOutcome(const EventOutcome& o) {
  Effects fx;
  const std::string why = o.error ? o.error->message : "no reason given";
  if (std::holds_alternative<protocol::CountRequest>(o.event)) {
    if (o.result != protocol::AckResult::Rejected) return fx;
    fx.log.push_back("count.request refused: " + why);
    if (state_.phase == CountPhase::WaitTask) {
      state_.phase = CountPhase::ScanLocation;
      atNextCount();
      error_ = why;
      fx.signal = Signal::Bad;
      fx.stateChanged = true;
    }
    return fx;
  }
  const auto* c = std::get_if<protocol::CountConfirm>(&o.event);
  if (!c) return fx;
  auto it = std::find_if(state_.sent.begin(), state_.sent.end(), [&](const SentCount& s) {
    return s.item.countId == c->countId && s.counted == c->counted;
  });
  if (it == state_.sent.end()) return fx;
  const auto item = it->item;
  state_.sent.erase(it);
  fx.stateChanged = true;
  if (o.result != protocol::AckResult::Rejected) return fx;
  fx.signal = Signal::Bad;
  fx.log.push_back("count.confirm refused: " + why);
  state_.result = "refused: " + why;
  error_ = "count of " + item.sku + " at " + item.location + " refused: " + why;
  if (state_.phase != CountPhase::Count || state_.location == item.location) {
    std::erase_if(state_.counts, [&](const protocol::CountItem& x) { return x.countId == item.countId; });
    state_.counts.insert(state_.counts.begin(), item);
    state_.itemScanned = false;  // the count in hand is now that one
    if (state_.phase != CountPhase::Count) {
      state_.phase = CountPhase::ScanLocation;
      atNextCount();
    }
  }
  return fx;
}

Status CountFlow::restore(CountState s) {
  auto bad = [](std::string m) { return makeError(ErrorKind::Invalid, "saved count state: " + std::move(m)); };
  if ((s.phase == CountPhase::ScanLocation || s.phase == CountPhase::Count) && s.counts.empty())
    return bad("phase " + std::string(toString(s.phase)) + " without a count");
  if (s.phase == CountPhase::Idle && !s.counts.empty()) return bad("counts waiting at the start prompt");
  if (s.phase == CountPhase::Count &&
      std::none_of(s.counts.begin(), s.counts.end(), [&](const protocol::CountItem& c) { return c.location == s.location; }))
    return bad("counting at a location without a count");
  if (s.phase != CountPhase::Count && (!s.location.empty() || s.itemScanned))
    return bad("a location outside the count step");
  if (s.sent.size() > kMaxUnanswered) return bad("too many unanswered confirmations");
  for (const auto& x : s.sent)
    if (x.counted < 0 || x.counted > protocol::kMaxQty) return bad("a count out of range");
  state_ = std::move(s);
  error_.clear();
  message_.clear();
  return {};
}

Screen CountFlow::screen() const {
  Screen sc;
  sc.mode = "COUNT";
  sc.error = error_;
  sc.message = message_;
  if (!state_.counts.empty()) sc.progress = std::to_string(state_.counts.size()) + " to count";
  switch (state_.phase) {
    case CountPhase::Idle:
      sc.prompt = "ENTER OR SCAN HERE";
      if (state_.note) sc.fields.push_back({"Note", *state_.note, false});
      if (!state_.result.empty()) sc.fields.push_back({"Last", state_.result, false});
      sc.keys = "Enter=ask Q=sign out";
      break;
    case CountPhase::WaitTask:
      sc.prompt = "WAIT FOR COUNTS";
      sc.keys = "Esc=cancel";
      break;
    case CountPhase::ScanLocation: {
      const auto& next = state_.counts.front();
      sc.prompt = "SCAN LOCATION";
      sc.fields.push_back({"Go to", next.location, true});
      const auto here = std::count_if(state_.counts.begin(), state_.counts.end(),
                                      [&](const protocol::CountItem& c) { return c.location == next.location; });
      sc.fields.push_back({"Counts", std::to_string(here) + " there", false});
      if (!state_.result.empty()) sc.fields.push_back({"Last", state_.result, false});
      sc.keys = "K=skip Q=sign out";
      break;
    }
    case CountPhase::Count: {
      const auto* c = current();
      sc.prompt = c->recount ? "COUNT AGAIN" : "COUNT ITEM";
      sc.fields.push_back({"At", state_.location, false});
      sc.fields.push_back({"Item", itemText(*c), true});
      if (c->recount) sc.fields.push_back({"Recount", "count again: the first count was off", false});
      sc.fields.push_back({"Scanned", state_.itemScanned ? "yes" : "no (optional)", false});
      sc.keys = "type qty (0=empty) K=skip Esc=back";
      break;
    }
  }
  return sc;
}

}  // namespace wms::handheld
