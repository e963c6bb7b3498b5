#include "wms/handheld/PickFlow.h"

#include <algorithm>
#include <map>
#include <set>
#include <type_traits>

#include "Scans.h"
#include "Text.h"

namespace wms::handheld {
namespace {

using scans::Overloaded;

bool isWorkingPhase(PickPhase p) {
  return p == PickPhase::ScanLocation || p == PickPhase::ScanItem || p == PickPhase::Quantity ||
         p == PickPhase::Put || p == PickPhase::ShortReason;
}

// A stop whose step has gone past "scan the location": new stops are never
// put in front of it.
bool stopStarted(PickPhase p) { return isWorkingPhase(p) && p != PickPhase::ScanLocation; }

const char* reasonText(protocol::ShortReason r) {
  switch (r) {
    case protocol::ShortReason::Empty: return "location empty";
    case protocol::ShortReason::Damaged: return "damaged";
    case protocol::ShortReason::NotFound: return "not found";
    case protocol::ShortReason::Other: return "other";
  }
  return "other";
}

// True if `text` may travel as the protocol's `barcode` field (1-256 bytes,
// no control characters but GS).
bool protocolBarcode(std::string_view text) {
  if (text.empty() || text.size() > protocol::kMaxBarcodeLength) return false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != 0x1D) || u == 0x7F) return false;
  }
  return true;
}


}  // namespace

const char* toString(StopStatus status) noexcept {
  switch (status) {
    case StopStatus::Open: return "open";
    case StopStatus::Confirmed: return "confirmed";
    case StopStatus::Short: return "short";
    case StopStatus::Flagged: return "flagged";
  }
  return "open";
}

const char* toString(PickPhase phase) noexcept {
  switch (phase) {
    case PickPhase::Idle: return "idle";
    case PickPhase::ScanLocation: return "scan-location";
    case PickPhase::ScanItem: return "scan-item";
    case PickPhase::Quantity: return "quantity";
    case PickPhase::Put: return "put";
    case PickPhase::ShortReason: return "short-reason";
    case PickPhase::Done: return "done";
    case PickPhase::Cancelled: return "cancelled";
  }
  return "idle";
}

PickFlow::PickFlow(Options options) : options_(std::move(options)) {}

// ---- Queries ------------------------------------------------------------------

int PickFlow::currentIndex() const {
  for (std::size_t i = 0; i < state_.walk.size(); ++i)
    if (state_.walk[i].status == StopStatus::Open) return static_cast<int>(i);
  return -1;
}

const StopState* PickFlow::currentStop() const {
  if (state_.stage != PickState::Stage::Working) return nullptr;
  const int i = currentIndex();
  return i < 0 ? nullptr : &state_.walk[static_cast<std::size_t>(i)];
}

int PickFlow::stopsDone() const {
  return static_cast<int>(std::count_if(state_.walk.begin(), state_.walk.end(),
                                        [](const StopState& s) { return s.status != StopStatus::Open; }));
}

std::string PickFlow::slotOf(const std::string& tote) const {
  for (const auto& t : state_.totes)
    if (t.tote == tote) return t.slot;
  return "?";
}

ScanExpectation PickFlow::expectationFor(PickPhase phase) const {
  ScanExpectation e;
  const StopState* s = currentStop();
  if (!s) return e;
  if (phase == PickPhase::ScanLocation) {
    e.target = ScanTarget::Location;
    e.code = s->stop.location;
  } else if (phase == PickPhase::Put) {
    e.target = ScanTarget::Tote;
    e.code = putIndex_ < puts_.size() ? puts_[putIndex_].tote : std::string();
  } else {
    e.target = ScanTarget::Item;
    e.sku = s->stop.sku;
    e.itemBarcodes = s->stop.barcodes;
  }
  return e;
}

std::optional<StepExpectation> PickFlow::expectation() const {
  const StopState* s = currentStop();
  if (!s) return std::nullopt;
  StepExpectation out;
  switch (phase_) {
    case PickPhase::ScanLocation:
      out.expected = expectationFor(phase_);
      out.text = s->stop.location;
      return out;
    case PickPhase::ScanItem:
    case PickPhase::Quantity:
      out.expected = expectationFor(phase_);
      out.text = s->stop.barcodes.empty() ? std::string() : s->stop.barcodes.front();
      out.quantity = s->stop.qty;
      out.remaining = phase_ == PickPhase::Quantity ? s->stop.qty - count_ : s->stop.qty;
      return out;
    case PickPhase::Put:
      if (putIndex_ >= puts_.size()) return std::nullopt;
      out.expected = expectationFor(phase_);
      out.text = puts_[putIndex_].tote;
      out.quantity = puts_[putIndex_].qty;
      out.remaining = out.quantity;
      return out;
    default:
      return std::nullopt;
  }
}

// ---- Inputs -------------------------------------------------------------------

Effects PickFlow::handle(const Input& input) {
  return std::visit(Overloaded{
                        [&](const KeyPress& k) { return onKey(k.key); },
                        [&](const NumberEntry& n) { return onNumber(n.value); },
                        [&](const ScanInput& s) { return onScan(s.barcode); },
                        [&](const ScanFailed& f) {
                          if (!isWorkingPhase(phase_)) return fail("could not read a barcode: " + f.reason);
                          return fail("could not read a barcode: " + f.reason + "; scan again");
                        },
                        [&](const protocol::Message& m) { return onServer(m); },
                        [&](const EventOutcome& o) { return onOutcome(o); },
                    },
                    input);
}

Effects PickFlow::fail(std::string message) {
  error_ = std::move(message);
  Effects fx;
  fx.signal = Signal::Bad;
  return fx;
}

void PickFlow::resetStep() {
  count_ = 0;
  scannedLocation_.clear();
  item_.reset();
  typed_.clear();
  shortReason_.reset();
  shortPicked_ = 0;
  puts_.clear();
  putIndex_ = 0;
  putsForShort_ = false;
}

// The item scans of the stop are undone (Escape back to the item).
void PickFlow::dropItem() {
  count_ = 0;
  item_.reset();
  typed_.erase(protocol::ScanStep::Item);
}

// What the Put step wants, for the refusals of anything but that scan.
std::string PickFlow::putHint() const {
  if (puts_.empty()) return "scan the tote";
  const auto& p = puts_[std::min(putIndex_, puts_.size() - 1)];
  return "scan tote " + p.tote + " in slot " + p.slot;
}

Effects PickFlow::onKey(Key key) {
  const StopState* stop = currentStop();
  switch (key) {
    case Key::Enter:
      switch (phase_) {
        case PickPhase::Done:
        case PickPhase::Cancelled: {
          Effects fx;
          state_.notice.clear();
          error_.clear();
          message_.clear();
          if (state_.next) {
            auto next = *state_.next;
            return startBatch(next);
          }
          state_ = freshState();
          phase_ = PickPhase::Idle;
          fx.stateChanged = true;
          return fx;
        }
        case PickPhase::Quantity:
          if (stop && count_ == stop->stop.qty) return beginPuts(count_, false);
          return fail("counted " + std::to_string(count_) + " of " + std::to_string(stop ? stop->stop.qty : 0) +
                      ": scan each unit or type the quantity");
        case PickPhase::Put:
          // Only the scan of the tote confirms a put: Enter would confirm
          // whatever tote the units went into (also after a wrong one was scanned).
          return fail(putHint() + " to confirm the put");
        case PickPhase::ScanLocation:
          return fail("scan the label of location " + (stop ? stop->stop.location : std::string()));
        case PickPhase::ScanItem:
          return fail("scan the item");
        case PickPhase::ShortReason:
          return fail("choose a reason: 1 empty, 2 damaged, 3 not found, 4 other");
        case PickPhase::Idle:
          return Effects{};
      }
      return Effects{};
    case Key::Escape:
      error_.clear();
      switch (phase_) {
        case PickPhase::ScanItem:
          resetStep();
          phase_ = PickPhase::ScanLocation;
          return Effects{};
        case PickPhase::Quantity:
          dropItem();
          phase_ = PickPhase::ScanItem;
          return Effects{};
        case PickPhase::Put:
          if (putIndex_ > 0) {
            return fail("finish the puts: " + std::to_string(puts_.size() - putIndex_) + " tote(s) to go; " +
                        putHint());
          }
          puts_.clear();
          if (putsForShort_) {
            putsForShort_ = false;
            shortReason_.reset();
            phase_ = PickPhase::ShortReason;
          } else {
            // Back to counting: the units scanned still count, a typed total does not.
            phase_ = PickPhase::Quantity;
            if (stop && stop->stop.qty == 1) {
              dropItem();
              phase_ = PickPhase::ScanItem;
            }
          }
          return Effects{};
        case PickPhase::ShortReason:
          shortReason_.reset();
          phase_ = item_ ? (count_ > 0 && stop && stop->stop.qty > 1 ? PickPhase::Quantity : PickPhase::ScanItem)
                         : (scannedLocation_.empty() ? PickPhase::ScanLocation : PickPhase::ScanItem);
          if (phase_ == PickPhase::ScanItem) dropItem();
          return Effects{};
        default:
          return Effects{};
      }
    case Key::Short:
      if (!stop || !(phase_ == PickPhase::ScanLocation || phase_ == PickPhase::ScanItem ||
                     phase_ == PickPhase::Quantity))
        return fail(phase_ == PickPhase::Put ? "finish the puts first: " + putHint()
                                             : std::string("there is no stop to report short"));
      // What was picked is what was counted by scans: a short reports no
      // unit that was not scanned, and can only be short of the asked quantity.
      if (phase_ == PickPhase::Quantity && count_ >= stop->stop.qty)
        return fail("all " + std::to_string(stop->stop.qty) +
                    " are counted: press Enter to put them, or Esc to count again");
      error_.clear();
      shortPicked_ = phase_ == PickPhase::Quantity ? count_ : 0;
      phase_ = PickPhase::ShortReason;
      return Effects{};
    case Key::Skip: {
      if (!stop || !(phase_ == PickPhase::ScanLocation || phase_ == PickPhase::ScanItem ||
                     phase_ == PickPhase::Quantity))
        return fail(phase_ == PickPhase::Put ? "finish the puts first: " + putHint()
                                             : std::string("there is no stop to skip"));
      const int open = static_cast<int>(std::count_if(state_.walk.begin(), state_.walk.end(), [](const StopState& s) {
        return s.status == StopStatus::Open;
      }));
      if (open < 2) return fail("nothing else to pick: pick this stop or report a short pick (S)");
      const auto i = static_cast<std::size_t>(currentIndex());
      StopState moved = state_.walk[i];
      moved.skipped = true;
      state_.walk.erase(state_.walk.begin() + static_cast<std::ptrdiff_t>(i));
      state_.walk.push_back(moved);
      resetStep();
      error_.clear();
      message_ = "skipped " + moved.stop.location + ": it comes back at the end";
      phase_ = PickPhase::ScanLocation;
      Effects fx;
      fx.stateChanged = true;
      fx.log.push_back("stop " + moved.stop.stopId + " skipped");
      return fx;
    }
    case Key::CloseCarton:
    case Key::Label:
    case Key::Undo:
      return fail(std::string("key '") + toString(key) + "' is for packing");
    case Key::Damaged:
      return fail("key 'damaged' is for receiving");
    case Key::SignOut:
      return Effects{};  // the app signs out (SignInFlow) when the flow is not busy
  }
  return Effects{};
}

Effects PickFlow::onNumber(int value) {
  const StopState* stop = currentStop();
  switch (phase_) {
    case PickPhase::Quantity: {
      const int qty = stop ? stop->stop.qty : 0;
      if (value > qty)
        return fail("quantity " + std::to_string(value) + " is more than the " + std::to_string(qty) +
                    " asked at this stop");
      if (value <= 0) return fail("quantity must be at least 1; press S to report a short pick");
      if (value < qty)
        return fail(std::to_string(value) + " is less than the " + std::to_string(qty) +
                    " asked: pick them all or press S for a short pick");
      error_.clear();
      // The typed total stands for the units in hand once the item itself
      // was scanned here (Quantity follows the item scan); count_ stays the
      // scanned count, so a later short cannot claim the typed units.
      return beginPuts(value, false);
    }
    case PickPhase::ShortReason: {
      static const protocol::ShortReason reasons[] = {protocol::ShortReason::Empty, protocol::ShortReason::Damaged,
                                                      protocol::ShortReason::NotFound, protocol::ShortReason::Other};
      if (value < 1 || value > 4) return fail("choose a reason: 1 empty, 2 damaged, 3 not found, 4 other");
      error_.clear();
      shortReason_ = reasons[value - 1];
      return beginPuts(shortPicked_, true);
    }
    case PickPhase::Put:
      return fail(putHint() + " to confirm the put");
    default:
      return fail("no quantity is asked now");
  }
}

Effects PickFlow::onScan(const Barcode& barcode) {
  const StopState* stop = currentStop();
  switch (phase_) {
    case PickPhase::Idle:
      return fail("no batch yet: wait for work");
    case PickPhase::Done:
      return fail("the batch is done: take the cart to " + options_.cartDestination + ", then press Enter");
    case PickPhase::Cancelled:
      return fail("the batch was cancelled: return the cart, then press Enter");
    case PickPhase::ShortReason:
      return fail("choose a reason first: 1 empty, 2 damaged, 3 not found, 4 other");
    default:
      break;
  }
  if (!stop) return fail("no stop to scan for");
  const auto& s = stop->stop;
  if (barcode.typed && !state_.typedCodes) {
    // Checked before the code itself: a refused typed code says nothing
    // about whether it was the right one.
    const std::string wanted = phase_ == PickPhase::ScanLocation ? "scan the label of location " + s.location
                               : phase_ == PickPhase::Put        ? putHint()
                                                                 : std::string("scan the item's barcode");
    return fail("typed codes are not allowed here: " + wanted);
  }

  if (phase_ == PickPhase::ScanLocation) {
    auto m = matchScan(barcode, expectationFor(phase_), options_.gs1);
    if (!m) {
      if (m.error().kind == ErrorKind::Conflict)
        return fail("wrong location: scanned " + text::shown(barcode.text) + ", go to " + s.location);
      return fail(m.error().message);
    }
    error_.clear();
    message_.clear();
    scannedLocation_ = s.location;
    if (barcode.typed) typed_.insert(protocol::ScanStep::Location);
    phase_ = PickPhase::ScanItem;
    Effects fx;
    fx.signal = Signal::Good;
    return fx;
  }

  if (phase_ == PickPhase::ScanItem || phase_ == PickPhase::Quantity) {
    auto m = matchScan(barcode, expectationFor(phase_), options_.gs1);
    if (!m) return fail(m.error().message);
    if (m->gs1) {
      if (s.lot) {
        auto lot = m->gs1->lot();
        if (lot && *lot != *s.lot) return fail("wrong lot: scanned lot " + text::shown(*lot) + ", this stop takes lot " + *s.lot);
      }
      if (s.minExpiry) {
        auto expiry = m->gs1->expiry();
        if (expiry && expiry->iso() < *s.minExpiry)
          return fail("expires " + expiry->iso() + ": this stop needs items expiring on " + *s.minExpiry + " or later");
      }
    }
    if (phase_ == PickPhase::Quantity && count_ + 1 > s.qty)
      return fail("that makes " + std::to_string(count_ + 1) + ": this stop asks " + std::to_string(s.qty) +
                  "; put one back");
    error_.clear();
    if (barcode.typed) typed_.insert(protocol::ScanStep::Item);
    if (phase_ == PickPhase::ScanItem) {
      item_ = std::move(m).value();
      count_ = 1;
    } else {
      ++count_;
    }
    if (count_ >= s.qty) return beginPuts(count_, false);
    phase_ = PickPhase::Quantity;
    Effects fx;
    fx.signal = Signal::Good;
    return fx;
  }

  // Put: the tote shown, by scan.
  if (putIndex_ >= puts_.size()) return fail("nothing to put");
  const auto& put = puts_[putIndex_];
  auto m = matchScan(barcode, expectationFor(phase_), options_.gs1);
  if (!m) {
    if (m.error().kind == ErrorKind::Conflict) {
      const std::string scanned(text::trimmed(barcode.text));
      const std::string slot = slotOf(scanned);
      return fail("wrong tote: scanned " + text::shown(scanned) + (slot == "?" ? "" : " (" + slot + ")") +
                  ", put into " + put.slot + " (" + put.tote + ")");
    }
    return fail(m.error().message);
  }
  error_.clear();
  if (barcode.typed) typed_.insert(protocol::ScanStep::Tote);
  ++putIndex_;
  if (putIndex_ >= puts_.size()) return finishStop();
  Effects fx;
  fx.signal = Signal::Good;
  return fx;
}

Effects PickFlow::beginPuts(int picked, bool isShort) {
  // The one gate to the puts: no unit goes into a tote unless the item was
  // scanned at this stop, and a short puts no more than the units scanned.
  if (picked > 0 && !item_) return fail("scan the item first");
  if (isShort && picked > count_)
    return fail("only " + std::to_string(count_) + " counted by scan: a short reports no more than that");
  const StopState* stop = currentStop();
  puts_.clear();
  putIndex_ = 0;
  putsForShort_ = isShort;
  if (stop) {
    // One put per tote, in the order the task lists them; a short pick
    // fills the first puts first.
    int left = picked;
    std::map<std::string, std::size_t> byTote;
    for (const auto& p : stop->stop.puts) {
      const int q = isShort ? std::min(left, p.qty) : p.qty;
      left -= isShort ? q : 0;
      if (q <= 0) continue;
      auto it = byTote.find(p.tote);
      if (it == byTote.end()) {
        byTote[p.tote] = puts_.size();
        puts_.push_back({p.tote, slotOf(p.tote), q});
      } else {
        puts_[it->second].qty += q;
      }
    }
  }
  if (puts_.empty()) return finishStop();
  phase_ = PickPhase::Put;
  Effects fx;
  fx.signal = Signal::Good;
  return fx;
}

Effects PickFlow::finishStop() {
  Effects fx;
  const int i = currentIndex();
  if (i < 0 || state_.stage != PickState::Stage::Working) return fx;
  const bool isShort = putsForShort_ || shortReason_.has_value();
  if (!isShort && !item_) return fail("scan the item first");  // beginPuts stops this earlier
  StopState& st = state_.walk[static_cast<std::size_t>(i)];
  std::vector<protocol::TotePut> puts;
  for (const auto& p : puts_) puts.push_back({p.tote, p.qty});
  if (!isShort) {
    protocol::PickConfirm c;
    c.batchId = state_.batchId;
    c.stopId = st.stop.stopId;
    c.qty = st.stop.qty;
    c.puts = std::move(puts);
    c.location = st.stop.location;
    c.barcode = protocolBarcode(item_->barcode.text) ? item_->barcode.text : item_->matched;
    if (item_->gs1) {
      if (auto lot = item_->gs1->lot(); lot && text::isId(*lot)) c.lot = *lot;
      if (auto expiry = item_->gs1->expiry()) c.expiry = expiry->iso();
    }
    c.typed.assign(typed_.begin(), typed_.end());
    fx.events.push_back(std::move(c));
    st.status = StopStatus::Confirmed;
    message_ = "picked " + text::units(st.stop.qty) + " at " + st.stop.location;
    fx.log.push_back("stop " + st.stop.stopId + " confirmed: " + std::to_string(st.stop.qty) + " of " + st.stop.sku);
  } else {
    protocol::PickShort sh;
    sh.batchId = state_.batchId;
    sh.stopId = st.stop.stopId;
    sh.qtyPicked = shortPicked_;
    sh.puts = std::move(puts);
    sh.reason = shortReason_.value_or(protocol::ShortReason::Other);
    if (sh.reason == protocol::ShortReason::Other) sh.note = "reported as 'other' on the handheld";
    sh.typed.assign(typed_.begin(), typed_.end());
    fx.events.push_back(std::move(sh));
    st.status = StopStatus::Short;
    message_ = "short at " + st.stop.location + ": " + std::to_string(shortPicked_) + " of " +
               std::to_string(st.stop.qty) + " (" + reasonText(shortReason_.value_or(protocol::ShortReason::Other)) + ")";
    fx.log.push_back("stop " + st.stop.stopId + " short: " + std::to_string(shortPicked_) + " of " +
                     std::to_string(st.stop.qty));
  }
  st.synced = false;
  st.note.clear();
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  return nextStop(std::move(fx));
}

Effects PickFlow::nextStop(Effects fx) {
  resetStep();
  if (currentIndex() >= 0) {
    phase_ = PickPhase::ScanLocation;
    return fx;
  }
  if (state_.stage == PickState::Stage::Working) {
    if (!state_.doneSent) {
      protocol::BatchDone done;
      done.batchId = state_.batchId;
      fx.events.push_back(done);
      state_.doneSent = true;
      rememberFinished();
      fx.log.push_back("batch " + state_.batchId + " done");
    }
    state_.stage = PickState::Stage::Done;
    fx.stateChanged = true;
  }
  phase_ = state_.stage == PickState::Stage::Done ? PickPhase::Done : PickPhase::Idle;
  return fx;
}

// ---- Server commands ------------------------------------------------------------

Effects PickFlow::onServer(const protocol::Message& message) {
  Effects fx;
  const std::string_view type = protocol::typeName(message);
  const bool command = std::holds_alternative<protocol::TaskAssign>(message) ||
                       std::holds_alternative<protocol::TaskUpdate>(message) ||
                       std::holds_alternative<protocol::TaskCancel>(message);
  if (!command) {
    if (std::holds_alternative<protocol::PackTask>(message) || std::holds_alternative<protocol::LabelReady>(message))
      fx.log.push_back("ignored " + std::string(type) + ": this handheld is in pick mode");
    return fx;
  }
  const auto& device = protocol::baseOf(message).device;
  if (device != options_.device) {
    fx.log.push_back("ignored " + std::string(type) + " for device " + text::shown(device) + " (this is " +
                     options_.device + ")");
    return fx;
  }
  if (const auto* a = std::get_if<protocol::TaskAssign>(&message)) return assign(*a);
  if (const auto* u = std::get_if<protocol::TaskUpdate>(&message)) return update(*u);
  return cancel(std::get<protocol::TaskCancel>(message));
}

Effects PickFlow::assign(const protocol::TaskAssign& offered) {
  Effects fx;
  const bool inHand = state_.stage != PickState::Stage::Idle && offered.batchId == state_.batchId;
  auto known = std::find_if(state_.finished.begin(), state_.finished.end(),
                            [&](const FinishedBatch& f) { return f.batchId == offered.batchId; });
  protocol::TaskAssign task = offered;
  if (!inHand && known != state_.finished.end()) {
    // Offered again before its batch.done reached the server, or after.
    if (offered.rev <= known->rev) {
      fx.log.push_back("ignored task.assign of batch " + offered.batchId + " rev " + std::to_string(offered.rev) +
                       ": finished here at rev " + std::to_string(known->rev));
      return fx;
    }
    const std::set<std::string> done(known->doneStops.begin(), known->doneStops.end());
    std::erase_if(task.stops, [&](const protocol::PickStop& s) { return done.count(s.stopId) > 0; });
    if (task.stops.empty()) {
      fx.log.push_back("ignored task.assign of batch " + offered.batchId + " rev " + std::to_string(offered.rev) +
                       ": every stop in it was done here");
      return fx;
    }
    fx.log.push_back("batch " + offered.batchId + " finished here comes back at rev " + std::to_string(offered.rev) +
                     " with " + std::to_string(task.stops.size()) + " stop(s) not done here");
    state_.finished.erase(known);
    fx.stateChanged = true;
  }
  if (state_.stage == PickState::Stage::Idle) {
    fx.merge(startBatch(task));
    return fx;
  }
  if (task.batchId == state_.batchId) {
    if (state_.stage == PickState::Stage::Cancelled) {
      fx.log.push_back("ignored task.assign of cancelled batch " + task.batchId);
      return fx;
    }
    if (task.rev <= state_.rev) {
      fx.log.push_back("task.assign of batch " + task.batchId + " rev " + std::to_string(task.rev) +
                       " changes nothing (have rev " + std::to_string(state_.rev) + ")");
      return fx;
    }
    return mergeAssign(task);
  }
  // Another batch while this one is not finished with: it waits.
  if (state_.next && state_.next->batchId == task.batchId && task.rev <= state_.next->rev) {
    fx.log.push_back("task.assign of waiting batch " + task.batchId + " changes nothing");
    return fx;
  }
  state_.next = task;
  fx.stateChanged = true;
  fx.log.push_back("batch " + task.batchId + " waits until batch " + state_.batchId + " is finished");
  if (state_.stage != PickState::Stage::Working) message_ = "next batch ready: press Enter";
  return fx;
}

PickState PickFlow::freshState() const {
  PickState s;
  // Copied, then swapped in: GCC 12 for aarch64 takes the copy-assignment
  // of the (empty) vector for a null dereference (-Wnull-dereference).
  std::vector<FinishedBatch> kept = state_.finished;
  s.finished.swap(kept);
  return s;
}

void PickFlow::rememberFinished() {
  FinishedBatch f;
  f.batchId = state_.batchId;
  f.rev = state_.rev;
  for (const auto& st : state_.walk) {
    if (st.status == StopStatus::Confirmed || st.status == StopStatus::Short) f.doneStops.push_back(st.stop.stopId);
  }
  auto& list = state_.finished;
  std::erase_if(list, [&](const FinishedBatch& old) { return old.batchId == f.batchId; });
  list.push_back(std::move(f));
  if (list.size() > PickState::kMaxFinished)
    list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(list.size() - PickState::kMaxFinished));
}

Effects PickFlow::startBatch(const protocol::TaskAssign& task) {
  Effects fx;
  PickState s = freshState();
  s.stage = PickState::Stage::Working;
  s.batchId = task.batchId;
  s.waveId = task.waveId;
  s.rev = task.rev;
  s.totes = task.totes;
  s.typedCodes = task.typedCodes;
  std::set<std::string> seen;
  for (const auto& stop : task.stops) {
    if (!seen.insert(stop.stopId).second) continue;
    StopState st;
    st.stop = stop;
    s.walk.push_back(std::move(st));
  }
  state_ = std::move(s);
  error_.clear();
  message_ = "new batch " + task.batchId + ": " + std::to_string(state_.walk.size()) + " stops";
  fx.stateChanged = true;
  fx.signal = Signal::Good;
  fx.log.push_back("batch " + task.batchId + " rev " + std::to_string(task.rev) + ": " +
                   std::to_string(state_.walk.size()) + " stops, " + std::to_string(task.totes.size()) + " totes");
  return nextStop(std::move(fx));
}

Effects PickFlow::mergeAssign(const protocol::TaskAssign& task) {
  Effects fx;
  const int cur = currentIndex();
  const std::string current = cur >= 0 ? state_.walk[static_cast<std::size_t>(cur)].stop.stopId : std::string();
  std::map<std::string, const protocol::PickStop*> incoming;
  for (const auto& s : task.stops) incoming.emplace(s.stopId, &s);
  // Open stops the server no longer lists are gone; done ones stay (their
  // confirmations may still be on the way).
  bool currentGone = false;
  std::erase_if(state_.walk, [&](const StopState& st) {
    const bool gone = st.status == StopStatus::Open && !incoming.count(st.stop.stopId);
    if (gone && st.stop.stopId == current) currentGone = true;
    return gone;
  });
  std::set<std::string> known;
  for (auto& st : state_.walk) {
    known.insert(st.stop.stopId);
    auto it = incoming.find(st.stop.stopId);
    if (it != incoming.end() && st.status == StopStatus::Open) {
      const bool changed = !(st.stop == *it->second);
      st.stop = *it->second;
      if (changed && st.stop.stopId == current && stopStarted(phase_)) currentGone = true;
    }
  }
  for (const auto& s : task.stops) {
    if (known.count(s.stopId)) continue;
    StopState st;
    st.stop = s;
    state_.walk.push_back(std::move(st));
  }
  state_.rev = task.rev;
  state_.totes = task.totes;
  state_.typedCodes = task.typedCodes;
  fx.stateChanged = true;
  fx.log.push_back("batch " + task.batchId + " now at rev " + std::to_string(task.rev));
  if (currentGone) {
    message_ = "the batch changed: start this stop again";
    resetStep();
    phase_ = PickPhase::ScanLocation;
  }
  if (currentIndex() < 0) return nextStop(std::move(fx));
  // Open stops after the batch was done: picking goes on, as after a
  // task.update that adds stops.
  if (state_.stage == PickState::Stage::Done) reopen(fx, "batch changed: more to pick");
  if (!isWorkingPhase(phase_)) phase_ = PickPhase::ScanLocation;
  return fx;
}

Effects PickFlow::update(const protocol::TaskUpdate& u) {
  Effects fx;
  const bool active = state_.stage == PickState::Stage::Working || state_.stage == PickState::Stage::Done;
  if (!active || u.batchId != state_.batchId) {
    fx.log.push_back("ignored task.update of batch " + u.batchId + " (not the batch in hand)");
    return fx;
  }
  if (u.rev <= state_.rev) {
    fx.log.push_back("ignored task.update of batch " + u.batchId + " rev " + std::to_string(u.rev) +
                     " (have rev " + std::to_string(state_.rev) + ")");
    return fx;
  }
  const int cur = currentIndex();
  const std::string current = cur >= 0 ? state_.walk[static_cast<std::size_t>(cur)].stop.stopId : std::string();
  bool currentRemoved = false;
  std::string removedAt;
  for (const auto& id : u.removeStops) {
    auto it = std::find_if(state_.walk.begin(), state_.walk.end(),
                           [&](const StopState& st) { return st.stop.stopId == id; });
    if (it == state_.walk.end()) continue;
    if (it->status != StopStatus::Open) {
      fx.log.push_back("task.update removes stop " + id + ", which is already " + toString(it->status));
      continue;
    }
    if (id == current) {
      currentRemoved = true;
      removedAt = it->stop.location;
    }
    state_.walk.erase(it);
  }
  for (const auto& add : u.addStops) {
    if (std::any_of(state_.walk.begin(), state_.walk.end(),
                    [&](const StopState& st) { return st.stop.stopId == add.stopId; }))
      continue;
    StopState st;
    st.stop = add;
    // By seq among the stops still to walk, never in front of the stop in
    // hand, and in front of skipped stops (they stay at the end).
    std::size_t from = 0;
    const int now = currentRemoved ? -1 : currentIndex();
    if (now >= 0) from = static_cast<std::size_t>(now) + 1;
    std::size_t at = state_.walk.size();
    for (std::size_t j = from; j < state_.walk.size(); ++j) {
      const auto& w = state_.walk[j];
      if (w.status != StopStatus::Open) continue;
      if (w.skipped || w.stop.seq > add.seq) {
        at = j;
        break;
      }
    }
    state_.walk.insert(state_.walk.begin() + static_cast<std::ptrdiff_t>(at), std::move(st));
  }
  state_.rev = u.rev;
  fx.stateChanged = true;
  message_ = "batch changed: " + text::shown(u.reason, 80);
  fx.log.push_back("task.update of batch " + u.batchId + " rev " + std::to_string(u.rev) + ": -" +
                   std::to_string(u.removeStops.size()) + " +" + std::to_string(u.addStops.size()) + " stops");
  if (currentRemoved) {
    message_ = "the stop at " + removedAt + " was removed: " + text::shown(u.reason, 80);
    resetStep();
    fx.signal = Signal::Bad;
    if (isWorkingPhase(phase_)) phase_ = PickPhase::ScanLocation;
  }
  if (currentIndex() >= 0) {
    if (state_.stage == PickState::Stage::Done)
      reopen(fx, "batch changed: more to pick (" + text::shown(u.reason, 80) + ")");
    if (!isWorkingPhase(phase_)) phase_ = PickPhase::ScanLocation;
    return fx;
  }
  return nextStop(std::move(fx));
}

// The batch is open again (stops added after the last one was done); its
// batch.done will be sent again when these are done.
void PickFlow::reopen(Effects& fx, std::string message) {
  state_.stage = PickState::Stage::Working;
  state_.doneSent = false;
  resetStep();
  phase_ = PickPhase::ScanLocation;
  fx.signal = Signal::Bad;
  fx.stateChanged = true;
  message_ = std::move(message);
}

Effects PickFlow::cancel(const protocol::TaskCancel& c) {
  Effects fx;
  if (state_.next && state_.next->batchId == c.batchId) {
    state_.next.reset();
    fx.stateChanged = true;
    fx.log.push_back("waiting batch " + c.batchId + " cancelled: " + c.reason);
    return fx;
  }
  const bool active = state_.stage == PickState::Stage::Working || state_.stage == PickState::Stage::Done;
  if (!active || c.batchId != state_.batchId) {
    fx.log.push_back("ignored task.cancel of batch " + c.batchId + " (not the batch in hand)");
    return fx;
  }
  const bool picking = state_.stage == PickState::Stage::Working;
  auto next = state_.next;
  state_ = freshState();
  state_.stage = PickState::Stage::Cancelled;
  state_.batchId = c.batchId;
  state_.notice = c.reason;
  state_.next = next;
  resetStep();
  phase_ = PickPhase::Cancelled;
  error_.clear();
  message_.clear();
  fx.stateChanged = true;
  fx.signal = picking ? Signal::Bad : Signal::None;
  fx.log.push_back("batch " + c.batchId + " cancelled: " + c.reason);
  return fx;
}

// ---- The server's answers ------------------------------------------------------

Effects PickFlow::onOutcome(const EventOutcome& o) {
  Effects fx;
  std::string batchId, stopId;
  if (const auto* c = std::get_if<protocol::PickConfirm>(&o.event)) {
    batchId = c->batchId;
    stopId = c->stopId;
  } else if (const auto* s = std::get_if<protocol::PickShort>(&o.event)) {
    batchId = s->batchId;
    stopId = s->stopId;
  } else if (const auto* d = std::get_if<protocol::BatchDone>(&o.event)) {
    if (o.result != protocol::AckResult::Rejected) {
      fx.log.push_back("batch " + d->batchId + " closed on the server");
      return fx;
    }
    const std::string why = o.error ? o.error->message : "no reason given";
    fx.log.push_back("batch.done of " + d->batchId + " refused: " + why);
    if (d->batchId == state_.batchId && state_.stage == PickState::Stage::Done) {
      error_ = "the server did not close batch " + d->batchId + ": " + why + "; tell your supervisor";
      fx.signal = Signal::Bad;
    }
    return fx;
  } else {
    return fx;
  }
  const bool active = state_.stage == PickState::Stage::Working || state_.stage == PickState::Stage::Done;
  auto it = std::find_if(state_.walk.begin(), state_.walk.end(),
                         [&](const StopState& st) { return st.stop.stopId == stopId; });
  if (!active || batchId != state_.batchId || it == state_.walk.end()) {
    fx.log.push_back(std::string(protocol::typeName(o.event)) + " of batch " + batchId + " stop " + stopId + ": " +
                     std::string(protocol::toString(o.result)) +
                     (o.error ? " (" + o.error->message + ")" : std::string()) + "; no longer in hand");
    return fx;
  }
  if (it->status == StopStatus::Open) {
    fx.log.push_back("outcome for stop " + stopId + ", which is open again; ignored");
    return fx;
  }
  if (o.result != protocol::AckResult::Rejected) {
    if (!it->synced) {
      it->synced = true;
      fx.stateChanged = true;
    }
    return fx;
  }
  const std::string why = o.error ? o.error->message : "no reason given";
  ++it->refusals;
  it->note = why;
  it->synced = true;
  fx.stateChanged = true;
  fx.signal = Signal::Bad;
  const bool redo = o.error && o.error->kind == ErrorKind::Invalid && it->refusals <= options_.maxRedos;
  fx.log.push_back("stop " + stopId + " refused by the server (" + (o.error ? toString(o.error->kind) : "?") +
                   "): " + why + (redo ? "; to be picked again" : "; left for the supervisor"));
  if (!redo) {
    it->status = StopStatus::Flagged;
    error_ = "server refused the stop at " + it->stop.location + ": " + why + "; left for your supervisor";
    return fx;
  }
  // Back into the walk as the next stop (after the one in hand, if any).
  StopState again = *it;
  again.status = StopStatus::Open;
  again.synced = false;
  state_.walk.erase(it);
  std::size_t at = 0;
  const int cur = currentIndex();
  if (cur >= 0) at = static_cast<std::size_t>(cur) + (stopStarted(phase_) ? 1 : 0);
  state_.walk.insert(state_.walk.begin() + static_cast<std::ptrdiff_t>(at), std::move(again));
  error_ = "server refused the stop at " + state_.walk[at].stop.location + ": " + why + "; pick it again";
  if (state_.stage == PickState::Stage::Done) {
    state_.stage = PickState::Stage::Working;
    state_.doneSent = false;
  }
  if (!stopStarted(phase_)) {
    resetStep();
    phase_ = PickPhase::ScanLocation;
  }
  return fx;
}

// ---- Persistence -------------------------------------------------------------

Status PickFlow::restore(PickState s) {
  auto bad = [](std::string m) { return makeError(ErrorKind::Invalid, "saved pick state: " + std::move(m)); };
  if (s.stage != PickState::Stage::Idle && s.batchId.empty()) return bad("a batch stage without a batch id");
  std::set<std::string> totes, ids;
  for (const auto& t : s.totes) totes.insert(t.tote);
  for (const auto& st : s.walk) {
    if (!ids.insert(st.stop.stopId).second) return bad("stop " + st.stop.stopId + " is listed twice");
    if (st.stop.puts.empty()) return bad("stop " + st.stop.stopId + " has no puts");
    if (st.stop.qty <= 0) return bad("stop " + st.stop.stopId + " has no quantity");
    int sum = 0;
    for (const auto& p : st.stop.puts) {
      if (p.qty <= 0) return bad("stop " + st.stop.stopId + " has a put without quantity");
      sum += p.qty;
    }
    if (sum != st.stop.qty) return bad("stop " + st.stop.stopId + ": puts add up to " + std::to_string(sum));
  }
  if (s.stage == PickState::Stage::Working && s.walk.empty()) return bad("a batch in progress without stops");
  if (s.stage == PickState::Stage::Idle && !s.walk.empty()) return bad("stops without a batch");
  if (s.rev < 0) return bad("negative revision");
  state_ = std::move(s);
  resetStep();
  error_.clear();
  message_.clear();
  switch (state_.stage) {
    case PickState::Stage::Idle: phase_ = PickPhase::Idle; break;
    case PickState::Stage::Working:
      if (currentIndex() >= 0) {
        phase_ = PickPhase::ScanLocation;
      } else {
        state_.stage = PickState::Stage::Done;
        phase_ = PickPhase::Done;
      }
      break;
    case PickState::Stage::Done: phase_ = PickPhase::Done; break;
    case PickState::Stage::Cancelled: phase_ = PickPhase::Cancelled; break;
  }
  return {};
}

// ---- Screen ------------------------------------------------------------------

Screen PickFlow::screen() const {
  Screen sc;
  sc.mode = "PICK";
  sc.error = error_;
  sc.message = message_;
  const StopState* st = currentStop();
  if (st) sc.progress = "stop " + std::to_string(stopsDone() + 1) + "/" + std::to_string(stopsTotal());
  auto itemText = [](const protocol::PickStop& s) { return s.sku + " " + s.description; };
  switch (phase_) {
    case PickPhase::Idle:
      sc.prompt = "WAIT FOR WORK";
      if (sc.message.empty()) sc.message = "no batch yet: it appears here when assigned";
      sc.keys = "Q=sign out";
      break;
    case PickPhase::ScanLocation: {
      const auto& s = st->stop;
      sc.prompt = "SCAN LOCATION";
      sc.fields.push_back({"Go to", s.location, true});
      sc.fields.push_back({"Item", itemText(s), false});
      sc.fields.push_back({"Qty", std::to_string(s.qty), false});
      if (s.lot) sc.fields.push_back({"Lot", *s.lot, false});
      if (!st->note.empty()) sc.fields.push_back({"Redo", st->note, false});
      else if (st->skipped) sc.fields.push_back({"", "(skipped before)", false});
      sc.keys = "S=short K=skip";
      break;
    }
    case PickPhase::ScanItem:
    case PickPhase::Quantity: {
      const auto& s = st->stop;
      sc.prompt = phase_ == PickPhase::ScanItem ? "SCAN ITEM" : "SCAN EACH OR TYPE QTY";
      sc.fields.push_back({"At", s.location, false});
      sc.fields.push_back({"Item", itemText(s), phase_ == PickPhase::ScanItem});
      sc.fields.push_back({"Qty", phase_ == PickPhase::Quantity
                                      ? std::to_string(count_) + " of " + std::to_string(s.qty)
                                      : std::to_string(s.qty),
                           phase_ == PickPhase::Quantity});
      // The code under the bars, for keying it in when a label will not
      // scan; only where typed codes are allowed.
      if (phase_ == PickPhase::ScanItem && state_.typedCodes && !s.barcodes.empty())
        sc.fields.push_back({"Code", s.barcodes.front(), false});
      if (s.lot) sc.fields.push_back({"Lot", *s.lot, false});
      if (s.minExpiry) sc.fields.push_back({"Expiry", "from " + *s.minExpiry, false});
      sc.keys = phase_ == PickPhase::ScanItem ? "S=short K=skip Esc=back" : "S=short K=skip Esc=back";
      break;
    }
    case PickPhase::Put: {
      const auto& p = puts_[std::min(putIndex_, puts_.size() - 1)];
      sc.prompt = "PUT INTO " + p.slot;
      sc.fields.push_back({"Tote", p.slot + " " + p.tote, true});
      sc.fields.push_back({"Put", text::units(p.qty), true});
      sc.fields.push_back({"Item", itemText(st->stop), false});
      if (puts_.size() > 1)
        sc.fields.push_back({"Totes", std::to_string(putIndex_ + 1) + " of " + std::to_string(puts_.size()), false});
      sc.keys = "scan tote";
      break;
    }
    case PickPhase::ShortReason:
      sc.prompt = "SHORT: WHY?";
      sc.fields.push_back({"", "1 empty", false});
      sc.fields.push_back({"", "2 damaged", false});
      sc.fields.push_back({"", "3 not found", false});
      sc.fields.push_back({"", "4 other", false});
      // What the short reports as picked: the units scanned (last, so that
      // a small screen drops it before the reasons).
      sc.fields.push_back({"Picked",
                           std::to_string(shortPicked_) + " of " + std::to_string(st->stop.qty) + " scanned",
                           false});
      sc.keys = "1-4 Enter  Esc=back";
      break;
    case PickPhase::Done: {
      int confirmed = 0, shorts = 0, flagged = 0;
      for (const auto& s : state_.walk) {
        confirmed += s.status == StopStatus::Confirmed;
        shorts += s.status == StopStatus::Short;
        flagged += s.status == StopStatus::Flagged;
      }
      sc.prompt = "BATCH DONE";
      sc.fields.push_back({"Batch", state_.batchId, false});
      sc.fields.push_back({"Stops", std::to_string(confirmed) + " picked, " + std::to_string(shorts) + " short" +
                                        (flagged ? ", " + std::to_string(flagged) + " refused" : ""),
                           false});
      sc.fields.push_back({"Cart to", options_.cartDestination, true});
      if (state_.next) sc.message = "next batch ready: press Enter";
      sc.keys = "Enter=next";
      break;
    }
    case PickPhase::Cancelled:
      sc.prompt = "BATCH CANCELLED";
      sc.fields.push_back({"Batch", state_.batchId, false});
      sc.fields.push_back({"Why", state_.notice, false});
      sc.fields.push_back({"Return cart to", options_.cartDestination, true});
      sc.keys = "Enter=ok";
      break;
  }
  return sc;
}

}  // namespace wms::handheld
