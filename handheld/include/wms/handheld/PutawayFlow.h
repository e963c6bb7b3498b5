// PutawayFlow: putting received goods away from the dock, as a state
// machine.
//
// The dock or staging location is configured (`Options::dock`) or scanned
// first. Scan an item waiting there -> `putaway.request {location,
// barcode}` -> the server's `putaway.task` shows the SKU, the units waiting,
// the suggested location and why (its rule) -> scan the location the units
// go to:
//
//  - the suggestion: type the quantity (Enter: all of the task's) ->
//    `putaway.confirm`;
//  - another location, or any when the server suggests none: the reason
//    first, a number of the menu (1 suggestion full, 2 suggestion blocked,
//    3 other) or a typed line, then the quantity -> `putaway.confirm` with
//    the reason.
//
// The confirmation is optimistic: the flow goes on to the next item at
// once. A refused confirmation brings the task back at the destination
// step with the server's message (if no other item was started meanwhile;
// else the message alone). A refused request goes back to the item prompt
// with the message. Esc goes back one step (from the destination, drops the
// task). Refused here, nothing sent: a quantity of 0 or more than the task
// has, an empty reason.
//
// Pure state machine: no I/O, no clock. Not thread-safe (one owner).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wms/handheld/Gs1.h"
#include "wms/handheld/Workflow.h"

namespace wms::handheld {

enum class PutawayPhase {
  ScanFrom,  // scan the dock or staging location (none configured)
  ScanItem,  // scan an item waiting there
  WaitTask,  // putaway.request sent, waiting for putaway.task
  ScanTo,    // scan the destination location
  Reason,    // not the suggestion: why (menu number or typed line)
  Quantity,  // type the quantity (Enter: the task's)
};
const char* toString(PutawayPhase phase) noexcept;

// The reasons of the menu, by number (1..3).
const std::vector<std::string>& putawayReasons();

// The persistent state: survives an app restart as it is.
struct PutawayState {
  PutawayPhase phase = PutawayPhase::ScanFrom;
  std::string from;                            // the dock or staging location
  std::string scanned;                         // the item's barcode as sent
  std::optional<protocol::PutawayTask> task;   // ScanTo, Reason, Quantity
  std::string to;                              // the destination scanned (Reason, Quantity)
  std::string reason;                          // given for a destination other than the suggestion
  std::optional<protocol::PutawayTask> lastTask;     // of the last confirmation sent,
  std::optional<protocol::PutawayConfirm> lastSent;  // kept until it is answered
  std::string result;                          // what the last put-away did

  friend bool operator==(const PutawayState&, const PutawayState&) = default;
};

class PutawayFlow {
 public:
  struct Options {
    std::string device;                // commands for other devices are ignored
    std::optional<std::string> dock;   // configured dock location: no location prompt
    Gs1ParseOptions gs1;
  };

  explicit PutawayFlow(Options options);

  // One input; returns what to do. Never throws on any input.
  Effects handle(const Input& input);

  Screen screen() const;
  PutawayPhase phase() const noexcept { return state_.phase; }
  // At ScanTo and Quantity: a location step for the suggestion (the
  // destination scanned, at Quantity), `quantity` the task's units; at
  // ScanFrom with a configured dock, that location. nullopt elsewhere.
  std::optional<StepExpectation> expectation() const;
  // The step takes a number (Reason, Quantity).
  bool wantsNumber() const noexcept {
    return state_.phase == PutawayPhase::Reason || state_.phase == PutawayPhase::Quantity;
  }

  const PutawayState& state() const noexcept { return state_; }
  // Puts a saved state back. Invalid (nothing changes) if it is
  // inconsistent: no location past ScanFrom, no task (or no barcode while
  // waiting) where the phase needs one, no destination at Reason or
  // Quantity, a destination other than the suggestion without a reason at
  // Quantity, a confirmation without its task.
  Status restore(PutawayState state);

  // An item is being put away (signing out would leave it half done).
  bool busy() const noexcept;

 private:
  Effects onKey(Key key);
  Effects onScan(const Barcode& barcode, bool typed);
  Effects onNumber(int value);
  Effects onServer(const protocol::Message& message);
  Effects onOutcome(const EventOutcome& outcome);
  Effects withReason(std::string reason);
  Effects confirm(int qty);
  Effects fail(std::string message);
  void reset(PutawayPhase phase);

  Options options_;
  PutawayState state_;
  std::string error_;
  std::string message_;
};

}  // namespace wms::handheld
