// CountFlow: cycle counts, blind, as a state machine.
//
// At the start prompt, Enter -> `count.request {}` (the counts waiting), or
// scan the location the counter stands at -> `count.request {location}`
// (count it now). The server's `count.task` lists the counts by location.
// Scan the location of the first one; then each count at that location in
// turn: the item is shown (scanning it first is optional, it must be the
// count's), type the units counted (0: empty) -> `count.confirm`. A count
// the server wants again is flagged "COUNT AGAIN". Blind: no recorded
// figure is ever shown (the task carries none).
//
// Confirmations are optimistic: the next count follows at once (offline
// too: the events wait in the outbox); every `count.task` replaces the list
// (a count confirmed but not yet answered is left out while the list shows
// it as it was when counted, i.e. with the same `recount` flag; the
// location in hand stays in hand). K skips the location in hand (its counts go to the
// end). Esc goes back one step. A refused confirmation shows the server's
// message and puts its count back first (unless another location was begun).
//
// Pure state machine: no I/O, no clock. Not thread-safe (one owner).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wms/handheld/Gs1.h"
#include "wms/handheld/Workflow.h"

namespace wms::handheld {

enum class CountPhase {
  Idle,          // Enter asks for counts; a location scan asks to count it
  WaitTask,      // count.request sent, waiting for count.task
  ScanLocation,  // go to the first count's location and scan it
  Count,         // type the units counted of the first count there
};
const char* toString(CountPhase phase) noexcept;

// A confirmation sent and not yet answered, with the count it is of.
struct SentCount {
  protocol::CountItem item;
  int counted = 0;

  friend bool operator==(const SentCount&, const SentCount&) = default;
};

// The persistent state: survives an app restart as it is.
struct CountState {
  CountPhase phase = CountPhase::Idle;
  std::vector<protocol::CountItem> counts;  // the list; the count in hand is the first at `location`
  std::optional<std::string> note;          // of the last task
  std::string location;                     // scanned (Count)
  bool itemScanned = false;                 // the count's item was scanned (Count)
  std::vector<SentCount> sent;              // unanswered confirmations, oldest first
  std::string result;                       // what the last count did

  friend bool operator==(const CountState&, const CountState&) = default;
};

class CountFlow {
 public:
  struct Options {
    std::string device;  // commands for other devices are ignored
    Gs1ParseOptions gs1;
  };

  explicit CountFlow(Options options);

  // One input; returns what to do. Never throws on any input.
  Effects handle(const Input& input);

  Screen screen() const;
  CountPhase phase() const noexcept { return state_.phase; }
  // ScanLocation: the first count's location; Count: its item (`quantity`
  // 0: the figure is the counter's to find). nullopt elsewhere.
  std::optional<StepExpectation> expectation() const;
  bool wantsNumber() const noexcept { return state_.phase == CountPhase::Count; }

  const CountState& state() const noexcept { return state_; }
  // Puts a saved state back. Invalid (nothing changes) if it is
  // inconsistent: no count where the phase needs one, a Count phase whose
  // location has no count, a location outside Count, too many unanswered
  // confirmations.
  Status restore(CountState state);

  // Never: a count not finished is simply counted again later.
  bool busy() const noexcept { return false; }

 private:
  Effects onKey(Key key);
  Effects onScan(const Barcode& barcode);
  Effects onNumber(int value);
  Effects onServer(const protocol::Message& message);
  Effects onOutcome(const EventOutcome& outcome);
  Effects request(std::optional<std::string> location);
  Effects fail(std::string message);
  // The count in hand: the first at the scanned location (Count).
  const protocol::CountItem* current() const;
  void atNextCount();

  Options options_;
  CountState state_;
  std::string error_;
  std::string message_;
};

}  // namespace wms::handheld
