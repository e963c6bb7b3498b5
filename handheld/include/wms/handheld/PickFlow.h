// PickFlow: picking a batch, stop by stop, as a state machine.
//
// For each stop, in walking order: go to the location and scan its label ->
// scan the item (any of the SKU's barcodes; GS1 lot/expiry checked against
// the stop) -> count the quantity (one scan per unit, or, once the item was
// scanned, the total typed on the keypad) -> put into each tote the stop
// feeds (the screen shows its cart slot "A1" and tote code; only a scan of
// that tote confirms the put, Enter does not) -> `pick.confirm` -> next
// stop. At any step before the puts: S reports a short pick (reason menu;
// the units counted by scans at this stop are what was picked, 0 if the
// item was not scanned; then their puts) -> `pick.short`; K skips the stop
// (it moves to the end of the walk). When no stop is open, `batch.done` is
// sent and the picker is told to take the cart to packing.
//
// Every quantity confirmed is backed by a scan of the item and every put
// by a scan of its tote. A code typed on the keypad (Barcode::typed) for a
// location, item or tote counts as a scan only when the batch's task allows
// typed codes (TaskAssign::typedCodes); the confirmation then names the
// steps that were typed (`typed`). Otherwise it is refused.
//
// Server commands: `task.assign` starts a batch (when none is in progress;
// otherwise it waits as the next batch; the same batch at the same or a
// lower rev changes nothing, a higher rev is merged and reopens a done
// batch when it brings open stops), `task.update` applies only with a rev
// above the current one (removed stops leave the walk, added stops join it
// by their seq), `task.cancel` clears the batch and tells the picker to
// return the cart. Commands for another device are ignored with a log line.
//
// Picking never waits for the server: a confirmation counts at once and is
// synced later. When the server refuses one (a rejected ack): an Invalid
// refusal (wrong location/item/quantity as the server sees it) puts the stop
// back into the walk as the next stop, with the server's message, to be
// redone; after `maxRedos` refusals of one stop, or any other refusal
// (conflict, not found, forbidden: redoing cannot help), the stop is marked
// for the supervisor and the walk goes on. docs/handheld.md has the details.
//
// Pure state machine: no I/O, no clock. Not thread-safe (one owner).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "wms/handheld/Gs1.h"
#include "wms/handheld/Workflow.h"

namespace wms::handheld {

enum class StopStatus {
  Open,       // still to pick
  Confirmed,  // picked in full, pick.confirm sent
  Short,      // pick.short sent
  Flagged,    // refused by the server and left for the supervisor
};
// "open", "confirmed", "short", "flagged"
const char* toString(StopStatus status) noexcept;

struct StopState {
  protocol::PickStop stop;
  StopStatus status = StopStatus::Open;
  bool skipped = false;   // skipped at least once (it comes back at the end)
  bool synced = false;    // the server acknowledged its confirmation
  int refusals = 0;       // confirmations of it the server refused
  std::string note;       // the server's last refusal message

  friend bool operator==(const StopState&, const StopState&) = default;
};

// Where the flow stands between stops; a stop in progress is not persisted
// (after a restart the picker starts that stop again at its location).
enum class PickPhase {
  Idle,           // no batch: waiting for work
  ScanLocation,   // go to the location and scan its label
  ScanItem,       // scan the item
  Quantity,       // count units: scan each or type the total
  Put,            // put into the tote shown and scan it
  ShortReason,    // short pick: choose the reason (1-4); the units scanned are the picked ones
  Done,           // every stop done, batch.done sent: take the cart to packing
  Cancelled,      // the server withdrew the batch: return the cart
};
const char* toString(PickPhase phase) noexcept;

// A batch this handheld finished (batch.done made), remembered after the
// picker moved on: the server may offer it again before its done event
// reaches it (after a broker or wmsd restart it re-sends the device's
// assigned work), and such an offer must not send the picker round the
// batch a second time. An offer with a higher revision is the server's
// change after the device finished (stops added after a short): only its
// stops not done here are taken.
struct FinishedBatch {
  std::string batchId;
  int rev = 0;
  std::vector<std::string> doneStops;  // confirmed or short here

  friend bool operator==(const FinishedBatch&, const FinishedBatch&) = default;
};

// The persistent state of the flow: what survives an app restart.
struct PickState {
  enum class Stage { Idle, Working, Done, Cancelled };
  Stage stage = Stage::Idle;
  std::string batchId;
  std::string waveId;
  int rev = 0;
  std::vector<protocol::CartTote> totes;
  bool typedCodes = false;                  // the batch's task allows typed codes
  std::vector<StopState> walk;              // walking order; skipped stops moved to the end
  bool doneSent = false;                    // batch.done sent for the current walk
  std::optional<protocol::TaskAssign> next; // a batch that arrived while this one was in progress
  std::string notice;                       // why the batch ended (cancel reason), shown until Enter
  std::vector<FinishedBatch> finished;      // the last kMaxFinished batches finished here, oldest first

  static constexpr std::size_t kMaxFinished = 8;

  friend bool operator==(const PickState&, const PickState&) = default;
};

class PickFlow {
 public:
  struct Options {
    std::string device;          // this handheld's id; commands for others are ignored
    Gs1ParseOptions gs1;         // referenceYear for GS1 dates
    int maxRedos = 2;            // refusals of one stop before it is left for the supervisor
    std::string cartDestination = "packing";  // where a finished cart goes ("take the cart to ...")
  };

  explicit PickFlow(Options options);

  // One input; returns what to do. Never throws on any input.
  Effects handle(const Input& input);

  Screen screen() const;
  PickPhase phase() const noexcept { return phase_; }
  // The step takes a number (quantity, reason choice): digits typed on the
  // terminal are a NumberEntry, not a scan.
  bool wantsNumber() const noexcept {
    return phase_ == PickPhase::Quantity || phase_ == PickPhase::ShortReason;
  }
  // What the current step wants scanned (nullopt when nothing is wanted).
  std::optional<StepExpectation> expectation() const;

  const PickState& state() const noexcept { return state_; }
  // Puts a saved state back (phase: the first open stop's location, or the
  // saved stage). Invalid (and nothing changes) if the state is
  // inconsistent: stops without puts, puts to totes not on the cart,
  // duplicate stop ids, a working stage without a batch.
  Status restore(PickState state);

  // A batch is being picked (signing out would abandon it).
  bool busy() const noexcept { return state_.stage == PickState::Stage::Working; }
  // The stop being worked on, or nullptr.
  const StopState* currentStop() const;
  // Stops not open / all stops of the batch.
  int stopsDone() const;
  int stopsTotal() const { return static_cast<int>(state_.walk.size()); }

 private:
  struct PutTask {
    std::string tote;
    std::string slot;
    int qty = 0;
  };

  Effects onKey(Key key);
  Effects onNumber(int value);
  Effects onScan(const Barcode& barcode);
  Effects onServer(const protocol::Message& message);
  Effects onOutcome(const EventOutcome& outcome);
  Effects assign(const protocol::TaskAssign& task);
  Effects update(const protocol::TaskUpdate& update);
  Effects cancel(const protocol::TaskCancel& cancel);
  Effects startBatch(const protocol::TaskAssign& task);
  // A fresh state for the next batch, keeping what outlives batches.
  PickState freshState() const;
  void rememberFinished();
  Effects mergeAssign(const protocol::TaskAssign& task);
  Effects beginPuts(int picked, bool isShort);
  Effects finishStop();
  Effects nextStop(Effects effects);
  void reopen(Effects& fx, std::string message);
  Effects fail(std::string message);
  void resetStep();
  void dropItem();
  std::string putHint() const;
  int currentIndex() const;
  std::string slotOf(const std::string& tote) const;
  ScanExpectation expectationFor(PickPhase phase) const;

  Options options_;
  PickState state_;
  PickPhase phase_ = PickPhase::Idle;
  // The stop in progress (not persisted).
  int count_ = 0;                      // units counted by scans of the item (a typed total is not a count)
  std::string scannedLocation_;
  std::optional<ScanMatch> item_;      // the first item scan of the stop
  std::set<protocol::ScanStep> typed_; // steps of this stop whose code was typed
  std::optional<protocol::ShortReason> shortReason_;
  int shortPicked_ = 0;
  std::vector<PutTask> puts_;
  std::size_t putIndex_ = 0;
  bool putsForShort_ = false;
  // Screen texts.
  std::string error_;
  std::string message_;
};

}  // namespace wms::handheld
