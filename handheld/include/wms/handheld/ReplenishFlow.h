// ReplenishFlow: refilling pick faces from reserve, as a state machine.
//
// Enter at the start prompt -> `replenish.request`; the server's
// `replenish.task` lists the moves, most urgent first. Each move in turn:
// scan its reserve location (`from`), scan the item (one of the move's
// barcodes), type the quantity taken (Enter: the move's), scan the pick
// face (`to`) -> `replenish.confirm`. The confirmation is optimistic: the
// next move follows at once (so the work goes on offline, the events wait
// in the outbox); every `replenish.task` the server sends replaces the list
// (the move in hand stays in hand; a move confirmed but not yet answered
// is left out while the list shows it as it was when confirmed). No moves:
// the task's note is shown and Enter asks again.
//
// K skips the move in hand before its item is scanned (it goes to the end
// of the list). Esc goes back one step. Refused here, nothing sent: a
// wrong location, an item that is not the move's, a quantity of 0 or more
// than the move's. A refused confirmation puts its move back at the front
// with the server's message (if no other move was begun meanwhile; else
// the message alone).
//
// Pure state machine: no I/O, no clock. Not thread-safe (one owner).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wms/handheld/Gs1.h"
#include "wms/handheld/Workflow.h"

namespace wms::handheld {

enum class ReplenishPhase {
  Idle,      // no moves: Enter asks for work
  WaitTask,  // replenish.request sent, waiting for replenish.task
  ScanFrom,  // go to the move's reserve location and scan it
  ScanItem,  // scan the item there
  Quantity,  // type the units taken (Enter: the move's)
  ScanTo,    // take them to the pick face and scan it
};
const char* toString(ReplenishPhase phase) noexcept;

// A confirmation sent and not yet answered, with the move it came from.
struct SentMove {
  protocol::ReplenishMove move;
  protocol::ReplenishConfirm confirm;

  friend bool operator==(const SentMove&, const SentMove&) = default;
};

// The persistent state: survives an app restart as it is.
struct ReplenishState {
  ReplenishPhase phase = ReplenishPhase::Idle;
  std::vector<protocol::ReplenishMove> moves;  // the list; the move in hand is the first (ScanFrom..ScanTo)
  std::optional<std::string> note;             // of the last task
  int qty = 0;                                 // units taken (ScanTo)
  std::vector<SentMove> sent;                  // unanswered confirmations, oldest first
  std::string result;                          // what the last move did

  friend bool operator==(const ReplenishState&, const ReplenishState&) = default;
};

class ReplenishFlow {
 public:
  struct Options {
    std::string device;  // commands for other devices are ignored
    Gs1ParseOptions gs1;
  };

  explicit ReplenishFlow(Options options);

  // One input; returns what to do. Never throws on any input.
  Effects handle(const Input& input);

  Screen screen() const;
  ReplenishPhase phase() const noexcept { return state_.phase; }
  // ScanFrom: the reserve location; ScanItem and Quantity: the item
  // (`quantity` the move's units); ScanTo: the pick face. nullopt elsewhere.
  std::optional<StepExpectation> expectation() const;
  bool wantsNumber() const noexcept { return state_.phase == ReplenishPhase::Quantity; }

  const ReplenishState& state() const noexcept { return state_; }
  // Puts a saved state back. Invalid (nothing changes) if it is
  // inconsistent: no move where the phase works one, a quantity outside
  // 1..the move's at ScanTo, too many unanswered confirmations.
  Status restore(ReplenishState state);

  // Units are in hand (taken from reserve, not yet on the face).
  bool busy() const noexcept;

 private:
  Effects onKey(Key key);
  Effects onScan(const Barcode& barcode);
  Effects onNumber(int value);
  Effects onServer(const protocol::Message& message);
  Effects onOutcome(const EventOutcome& outcome);
  Effects request();
  Effects confirm();
  Effects fail(std::string message);
  void atNextMove();

  Options options_;
  ReplenishState state_;
  std::string error_;
  std::string message_;
};

}  // namespace wms::handheld
