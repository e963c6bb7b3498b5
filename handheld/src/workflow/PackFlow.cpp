#include "wms/handheld/PackFlow.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <type_traits>

#include "Scans.h"
#include "Text.h"

namespace wms::handheld {
namespace {

using scans::Overloaded;

int total(const std::vector<int>& v) { return std::accumulate(v.begin(), v.end(), 0); }

}  // namespace

const char* toString(PackPhase phase) noexcept {
  switch (phase) {
    case PackPhase::ScanStart: return "scan-start";
    case PackPhase::WaitTask: return "wait-task";
    case PackPhase::Verify: return "verify";
    case PackPhase::Label: return "label";
    case PackPhase::WaitLabel: return "wait-label";
    case PackPhase::Ship: return "ship";
    case PackPhase::Done: return "done";
  }
  return "scan-start";
}

PackFlow::PackFlow(Options options) : options_(std::move(options)) {}

bool PackFlow::busy() const noexcept {
  return state_.phase != PackPhase::ScanStart && state_.phase != PackPhase::Done;
}

int PackFlow::unitsLeft() const {
  if (!state_.task) return 0;
  int left = 0;
  for (std::size_t i = 0; i < state_.task->lines.size() && i < state_.packed.size(); ++i)
    left += state_.task->lines[i].qty - state_.packed[i];
  return left;
}

int PackFlow::openCount(int line) const {
  return static_cast<int>(std::count(state_.openScans.begin(), state_.openScans.end(), line));
}

std::string PackFlow::cartonId(std::size_t number) const {
  const std::string n = "C" + std::to_string(number);
  if (!state_.task) return n;
  const std::string full = state_.task->orderId + "-" + n;
  return full.size() <= protocol::kMaxIdLength ? full : n;
}

std::optional<StepExpectation> PackFlow::expectation() const {
  if (state_.phase != PackPhase::Verify || !state_.task) return std::nullopt;
  for (std::size_t i = 0; i < state_.task->lines.size(); ++i) {
    const auto& line = state_.task->lines[i];
    if (state_.packed[i] >= line.qty) continue;
    StepExpectation e;
    e.expected.target = ScanTarget::Item;
    e.expected.sku = line.sku;
    e.expected.itemBarcodes = line.barcodes;
    e.text = line.barcodes.empty() ? line.sku : line.barcodes.front();
    e.quantity = line.qty - state_.packed[i];
    e.remaining = e.quantity;
    return e;
  }
  return std::nullopt;
}

Effects PackFlow::fail(std::string message) {
  error_ = std::move(message);
  Effects fx;
  fx.signal = Signal::Bad;
  return fx;
}

Effects PackFlow::handle(const Input& input) {
  return std::visit(Overloaded{
                        [&](const KeyPress& k) {
                          if (k.key != Key::Escape) abandonArmed_ = false;
                          if (k.key != Key::Short) shortArmed_ = false;
                          return onKey(k.key);
                        },
                        [&](const NumberEntry&) {
                          abandonArmed_ = shortArmed_ = false;
                          return fail("no number is asked while packing: scan each item");
                        },
                        [&](const ScanInput& s) {
                          abandonArmed_ = shortArmed_ = false;
                          return onScan(s.barcode);
                        },
                        [&](const ScanFailed& f) { return fail("could not read a barcode: " + f.reason); },
                        [&](const protocol::Message& m) { return onServer(m); },
                        [&](const EventOutcome& o) { return onOutcome(o); },
                    },
                    input);
}

Effects PackFlow::onScan(const Barcode& barcode) {
  switch (state_.phase) {
    case PackPhase::ScanStart:
    case PackPhase::Done: {
      const std::string code(text::trimmed(barcode.text));
      if (!text::isId(code))
        return fail("'" + text::shown(barcode.text) + "' is not a tote or order code (1-64 characters, no spaces)");
      const bool tote = std::any_of(options_.totePrefixes.begin(), options_.totePrefixes.end(),
                                    [&](const std::string& p) { return !p.empty() && text::startsWith(code, p); });
      protocol::PackRequest req;
      if (tote) req.tote = code;
      else req.orderId = code;
      req.station = options_.station;
      state_ = PackState{};
      state_.phase = PackPhase::WaitTask;
      state_.requested = code;
      error_.clear();
      message_ = std::string("asking for the order in ") + (tote ? "tote " : "order ") + code;
      Effects fx;
      fx.events.push_back(req);
      fx.signal = Signal::Good;
      fx.stateChanged = true;
      fx.log.push_back(std::string("pack.request for ") + (tote ? "tote " : "order ") + code);
      return fx;
    }
    case PackPhase::WaitTask:
      return fail("waiting for the order of " + state_.requested + " (Esc cancels)");
    case PackPhase::Verify:
      break;
    default:
      return fail("the order is packed: " + std::string(state_.phase == PackPhase::Ship ? "press Enter when shipped"
                                                                                          : "get its label first"));
  }

  const auto& lines = state_.task->lines;
  const auto match = scans::matchLines(barcode, lines, options_.gs1);
  std::optional<std::size_t> take;
  for (auto i : match.lines)
    if (!take && state_.packed[i] < lines[i].qty) take = i;
  if (!take) {
    if (!match.lines.empty()) {
      const auto full = match.lines.front();
      const auto& l = lines[full];
      return fail("over-scan: " + l.sku + " already has " + std::to_string(state_.packed[full]) + " of " +
                  std::to_string(l.qty) + "; take that one out");
    }
    // A barcode of the wrong kind or with bad GS1 data says so; anything
    // else readable is an item that is not in this order.
    if (match.invalid) return fail(match.invalid->message);
    return fail("wrong item: " + text::shown(barcode.text) + " is not in order " + state_.task->orderId);
  }
  ++state_.packed[*take];
  state_.openScans.push_back(static_cast<int>(*take));
  error_.clear();
  const auto& l = lines[*take];
  message_ = l.sku + ": " + std::to_string(state_.packed[*take]) + " of " + std::to_string(l.qty);
  if (unitsLeft() == 0) message_ = "every item scanned: close the carton (C)";
  Effects fx;
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  return fx;
}

Effects PackFlow::onKey(Key key) {
  switch (key) {
    case Key::Enter:
      switch (state_.phase) {
        case PackPhase::Verify:
          if (unitsLeft() == 0) return closeCarton();
          return fail(text::units(unitsLeft()) + " still to scan; C closes this carton and opens another");
        case PackPhase::Label: return requestLabel();
        case PackPhase::Ship: return confirmShipped();
        case PackPhase::Done: {
          state_ = PackState{};
          error_.clear();
          message_.clear();
          Effects fx;
          fx.stateChanged = true;
          return fx;
        }
        case PackPhase::WaitTask:
        case PackPhase::WaitLabel: return fail("waiting for the server");
        case PackPhase::ScanStart: return fail("scan a tote or an order");
      }
      return Effects{};
    case Key::CloseCarton:
      if (state_.phase != PackPhase::Verify) return fail("no carton is open");
      return closeCarton();
    case Key::Label:
      if (state_.phase == PackPhase::Label || state_.phase == PackPhase::Ship) return requestLabel();
      return fail(state_.phase == PackPhase::Verify ? "pack every item first" : "no order to label");
    case Key::Undo: {
      if (state_.phase != PackPhase::Verify || state_.openScans.empty())
        return fail("nothing to take out of the open carton");
      const int line = state_.openScans.back();
      state_.openScans.pop_back();
      --state_.packed[static_cast<std::size_t>(line)];
      error_.clear();
      message_ = "took one " + state_.task->lines[static_cast<std::size_t>(line)].sku + " out";
      Effects fx;
      fx.signal = Signal::Good;
      fx.stateChanged = true;
      return fx;
    }
    case Key::Escape:
      if (state_.phase == PackPhase::WaitTask) {
        message_ = "request for " + state_.requested + " dropped";
        state_ = PackState{};
        error_.clear();
        Effects fx;
        fx.stateChanged = true;
        return fx;
      }
      if (state_.phase == PackPhase::Verify) {
        if (!abandonArmed_) {
          abandonArmed_ = true;
          return fail("press Esc again to abandon order " + state_.task->orderId);
        }
        abandonArmed_ = false;
        const std::string order = state_.task->orderId;
        state_ = PackState{};
        error_.clear();
        message_ = "order " + order + " abandoned: put its items back in the tote";
        Effects fx;
        fx.stateChanged = true;
        fx.log.push_back("order " + order + " abandoned before packing");
        return fx;
      }
      return Effects{};
    case Key::Short:
      if (state_.phase != PackPhase::Verify) return fail("nothing is being packed to be short");
      if (!shortArmed_) {
        shortArmed_ = true;
        return fail("press S again to report the " + text::units(unitsLeft()) +
                    " not scanned as missing; the order is held for the supervisor");
      }
      shortArmed_ = false;
      return reportShort();
    case Key::Skip:
      return fail(std::string("key '") + toString(key) + "' is for picking");
    case Key::Damaged:
      return fail("key 'damaged' is for receiving; S reports units short");
    case Key::SignOut:
      return Effects{};
  }
  return Effects{};
}

Effects PackFlow::closeCarton() {
  if (state_.openScans.empty()) return fail("the carton is empty: scan items into it first");
  if (state_.cartons.size() >= protocol::kMaxCartons)
    return fail("an order takes at most " + std::to_string(protocol::kMaxCartons) + " cartons");
  const auto& lines = state_.task->lines;
  protocol::PackCarton carton;
  carton.cartonId = cartonId(state_.cartons.size() + 1);
  carton.cartonType = state_.task->carton.value_or(options_.defaultCarton);
  // Items by SKU (two lines of one SKU are one item of the carton), in the
  // order the lines are listed.
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int n = openCount(static_cast<int>(i));
    if (n == 0) continue;
    auto it = at.find(lines[i].sku);
    if (it == at.end()) {
      at[lines[i].sku] = carton.items.size();
      carton.items.push_back({lines[i].sku, n});
    } else {
      carton.items[it->second].qty += n;
      if (carton.items[it->second].qty > protocol::kMaxQty)
        return fail("more than " + std::to_string(protocol::kMaxQty) + " of one SKU in a carton");
    }
  }
  state_.cartons.push_back(std::move(carton));
  state_.openScans.clear();
  error_.clear();
  Effects fx;
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  if (unitsLeft() > 0) {
    message_ = "carton " + std::to_string(state_.cartons.size()) + " closed; scan the rest into carton " +
               std::to_string(state_.cartons.size() + 1);
    return fx;
  }
  protocol::PackConfirm confirm;
  confirm.orderId = state_.task->orderId;
  confirm.cartons = state_.cartons;
  fx.events.push_back(std::move(confirm));
  fx.log.push_back("order " + state_.task->orderId + " packed in " + std::to_string(state_.cartons.size()) +
                   " carton(s)");
  state_.phase = PackPhase::Label;
  message_ = "packed in " + std::to_string(state_.cartons.size()) + " carton(s): get the label (L)";
  return fx;
}

// Every unit not scanned yet is short (missing): the server takes them off
// the stock and holds the order, so it never ships less unnoticed. The
// units scanned stay in their cartons for whoever packs what is left.
Effects PackFlow::reportShort() {
  const auto& lines = state_.task->lines;
  protocol::PackShort report;
  report.orderId = state_.task->orderId;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int missing = lines[i].qty - state_.packed[i];
    if (missing > 0) report.lines.push_back({lines[i].lineId, lines[i].sku, missing, protocol::PackShortReason::Missing});
  }
  if (report.lines.empty()) return fail("every unit is scanned: close the carton (C)");
  const int units = unitsLeft();
  Effects fx;
  fx.events.push_back(std::move(report));
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  fx.log.push_back("order " + state_.task->orderId + " short at packing: " + text::units(units) + " missing");
  state_.result = "order " + state_.task->orderId + " reported short (" + text::units(units) +
                  "): held for the supervisor; put it on the problem shelf";
  state_.phase = PackPhase::Done;
  error_.clear();
  message_.clear();
  return fx;
}

Effects PackFlow::requestLabel() {
  protocol::LabelRequest req;
  req.orderId = state_.task->orderId;
  Effects fx;
  fx.events.push_back(std::move(req));
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  if (state_.phase == PackPhase::Label) state_.phase = PackPhase::WaitLabel;
  error_.clear();
  message_ = state_.label ? "label asked for again" : "label requested";
  return fx;
}

Effects PackFlow::confirmShipped() {
  if (!state_.label) return fail("no label yet");
  protocol::ShipConfirm ship;
  ship.orderId = state_.task->orderId;
  ship.shipmentId = state_.label->shipmentId;
  for (const auto& c : state_.cartons) ship.cartons.push_back(c.cartonId);
  for (std::size_t i = 0; i < state_.task->lines.size(); ++i) {
    if (state_.packed[i] <= 0) continue;
    const auto& l = state_.task->lines[i];
    ship.lines.push_back({l.lineId, l.sku, state_.packed[i]});
  }
  Effects fx;
  fx.events.push_back(std::move(ship));
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  fx.log.push_back("order " + state_.task->orderId + " shipped as " + state_.label->shipmentId);
  state_.result = "order " + state_.task->orderId + " shipped: " + std::to_string(state_.cartons.size()) +
                  " carton(s), " + state_.label->carrier + " " + state_.label->tracking;
  state_.phase = PackPhase::Done;
  error_.clear();
  message_.clear();
  return fx;
}

Effects PackFlow::onServer(const protocol::Message& message) {
  Effects fx;
  const std::string type(protocol::typeName(message));
  const bool mine = std::holds_alternative<protocol::PackTask>(message) ||
                    std::holds_alternative<protocol::LabelReady>(message);
  if (!mine) {
    if (std::holds_alternative<protocol::TaskAssign>(message) || std::holds_alternative<protocol::TaskUpdate>(message) ||
        std::holds_alternative<protocol::TaskCancel>(message))
      fx.log.push_back("ignored " + type + ": this handheld is in pack mode");
    return fx;
  }
  const auto& device = protocol::baseOf(message).device;
  if (device != options_.device) {
    fx.log.push_back("ignored " + type + " for device " + text::shown(device) + " (this is " + options_.device + ")");
    return fx;
  }
  if (const auto* task = std::get_if<protocol::PackTask>(&message)) {
    if (state_.phase != PackPhase::WaitTask) {
      fx.log.push_back("ignored pack.task of order " + task->orderId + " (not waiting for one)");
      return fx;
    }
    state_.task = *task;
    state_.packed.assign(task->lines.size(), 0);
    state_.cartons.clear();
    state_.openScans.clear();
    state_.label.reset();
    state_.phase = PackPhase::Verify;
    error_.clear();
    message_ = "scan each item of order " + task->orderId;
    fx.signal = Signal::Good;
    fx.stateChanged = true;
    fx.log.push_back("pack.task: order " + task->orderId + ", " + std::to_string(task->lines.size()) + " line(s)");
    return fx;
  }
  const auto& ready = std::get<protocol::LabelReady>(message);
  if (!state_.task || ready.orderId != state_.task->orderId ||
      (state_.phase != PackPhase::WaitLabel && state_.phase != PackPhase::Ship && state_.phase != PackPhase::Label)) {
    fx.log.push_back("ignored label.ready of order " + ready.orderId);
    return fx;
  }
  state_.label = ready;
  state_.phase = PackPhase::Ship;
  error_.clear();
  message_ = "label ready" + (ready.printer ? " on " + *ready.printer : std::string());
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  return fx;
}

Effects PackFlow::onOutcome(const EventOutcome& o) {
  Effects fx;
  if (o.result != protocol::AckResult::Rejected) return fx;
  const std::string why = o.error ? o.error->message : "no reason given";
  const std::string type(protocol::typeName(o.event));
  fx.log.push_back(type + " refused: " + why);
  if (const auto* req = std::get_if<protocol::PackRequest>(&o.event)) {
    const std::string code = req->tote ? *req->tote : req->orderId.value_or("");
    if (state_.phase == PackPhase::WaitTask && code == state_.requested) {
      state_ = PackState{};
      fx.stateChanged = true;
      fx.signal = Signal::Bad;
      message_.clear();
      error_ = code + ": " + why;
    }
    return fx;
  }
  std::string order;
  if (const auto* c = std::get_if<protocol::PackConfirm>(&o.event)) order = c->orderId;
  else if (const auto* r = std::get_if<protocol::PackShort>(&o.event)) order = r->orderId;
  else if (const auto* l = std::get_if<protocol::LabelRequest>(&o.event)) order = l->orderId;
  else if (const auto* s = std::get_if<protocol::ShipConfirm>(&o.event)) order = s->orderId;
  else return fx;
  fx.signal = Signal::Bad;
  if (std::holds_alternative<protocol::LabelRequest>(o.event)) {
    if (state_.task && state_.task->orderId == order && state_.phase == PackPhase::WaitLabel) {
      state_.phase = state_.label ? PackPhase::Ship : PackPhase::Label;
      fx.stateChanged = true;
    }
    error_ = "no label for order " + order + ": " + why + "; L tries again";
    return fx;
  }
  // A refused pack or ship confirmation cannot be fixed by sending it
  // again: the order ends here and the supervisor sorts it out.
  error_ = "order " + order + " refused: " + why + "; tell your supervisor";
  if (state_.task && state_.task->orderId == order) {
    state_.result = error_;
    state_.phase = PackPhase::Done;
    fx.stateChanged = true;
  }
  return fx;
}

Status PackFlow::restore(PackState s) {
  auto bad = [](std::string m) { return makeError(ErrorKind::Invalid, "saved pack state: " + std::move(m)); };
  const bool needsTask = s.phase != PackPhase::ScanStart && s.phase != PackPhase::WaitTask && s.phase != PackPhase::Done;
  if (needsTask && !s.task) return bad("phase " + std::string(toString(s.phase)) + " without an order");
  if (s.phase == PackPhase::WaitTask && !text::isId(s.requested)) return bad("waiting without a requested code");
  if (s.task) {
    const auto& lines = s.task->lines;
    if (lines.empty()) return bad("an order without lines");
    if (s.packed.size() != lines.size()) return bad("packed counts do not match the order's lines");
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (s.packed[i] < 0 || s.packed[i] > lines[i].qty) return bad("line " + lines[i].lineId + " count out of range");
    std::vector<int> open(lines.size(), 0);
    for (int i : s.openScans) {
      if (i < 0 || static_cast<std::size_t>(i) >= lines.size()) return bad("a scan of an unknown line");
      if (++open[static_cast<std::size_t>(i)] > s.packed[static_cast<std::size_t>(i)])
        return bad("more scans than units counted");
    }
    if ((s.phase == PackPhase::Label || s.phase == PackPhase::WaitLabel || s.phase == PackPhase::Ship) &&
        total(s.packed) != std::accumulate(lines.begin(), lines.end(), 0,
                                           [](int a, const protocol::PackLine& l) { return a + l.qty; }))
      return bad("packed phase with units left");
    if (s.phase == PackPhase::Ship && !s.label) return bad("ship phase without a label");
  } else if (!s.packed.empty() || !s.openScans.empty() || !s.cartons.empty()) {
    return bad("counts without an order");
  }
  state_ = std::move(s);
  abandonArmed_ = shortArmed_ = false;
  error_.clear();
  message_.clear();
  return {};
}

Screen PackFlow::screen() const {
  Screen sc;
  sc.mode = "PACK";
  sc.error = error_;
  sc.message = message_;
  const auto& t = state_.task;
  switch (state_.phase) {
    case PackPhase::ScanStart:
    case PackPhase::Done:
      sc.prompt = "SCAN TOTE OR ORDER";
      if (!state_.result.empty()) sc.fields.push_back({"Last", state_.result, false});
      sc.keys = state_.phase == PackPhase::Done ? "scan next  Q=sign out" : "Q=sign out";
      break;
    case PackPhase::WaitTask:
      sc.prompt = "WAIT FOR ORDER";
      sc.fields.push_back({"Scanned", state_.requested, true});
      sc.keys = "Esc=cancel";
      break;
    case PackPhase::Verify: {
      int want = 0;
      for (const auto& l : t->lines) want += l.qty;
      sc.progress = std::to_string(total(state_.packed)) + "/" + std::to_string(want) + " units";
      sc.prompt = unitsLeft() > 0 ? "SCAN ITEMS" : "CLOSE CARTON";
      sc.fields.push_back({"Order", t->orderId + " " + t->channel, false});
      sc.fields.push_back({"Carton", std::to_string(state_.cartons.size() + 1) + " " +
                                         t->carton.value_or(options_.defaultCarton) + ": " +
                                         text::units(static_cast<int>(state_.openScans.size())),
                           false});
      for (std::size_t i = 0; i < t->lines.size(); ++i) {
        const auto& l = t->lines[i];
        sc.fields.push_back({l.sku, std::to_string(state_.packed[i]) + "/" + std::to_string(l.qty),
                             state_.packed[i] < l.qty});
      }
      sc.keys = "C=close U=undo S=short Esc=abandon";
      break;
    }
    case PackPhase::Label:
      sc.prompt = "GET LABEL";
      sc.fields.push_back({"Order", t->orderId, false});
      sc.fields.push_back({"Cartons", std::to_string(state_.cartons.size()), false});
      sc.keys = "L or Enter=label";
      break;
    case PackPhase::WaitLabel:
      sc.prompt = "WAIT FOR LABEL";
      sc.fields.push_back({"Order", t->orderId, false});
      break;
    case PackPhase::Ship: {
      sc.prompt = "CONFIRM SHIPPED";
      sc.fields.push_back({"Order", t->orderId, false});
      sc.fields.push_back({"Carrier", state_.label->carrier, false});
      sc.fields.push_back({"Tracking", state_.label->tracking, true});
      if (state_.label->printer) sc.fields.push_back({"Printer", *state_.label->printer, false});
      sc.fields.push_back({"Ship", std::to_string(state_.cartons.size()) + " carton(s), " +
                                       text::units(total(state_.packed)),
                           false});
      sc.keys = "Enter=shipped L=reprint";
      break;
    }
  }
  return sc;
}

}  // namespace wms::handheld
