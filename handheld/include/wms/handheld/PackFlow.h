// PackFlow: packing an order at a station, as a state machine.
//
// Scan a tote or an order -> `pack.request` -> the server's `pack.task` ->
// scan each item into the open carton (verified against the order: an item
// not in the order and a unit more than a line needs are refused) -> C
// closes the carton (a new one opens while units are left) -> when every
// unit is in a closed carton, `pack.confirm` with the cartons -> L (or
// Enter) sends `label.request` -> `label.ready` shows carrier and tracking
// -> Enter confirms the shipped quantities with `ship.confirm` -> the next
// order. U takes the last scanned unit out of the open carton; Escape twice
// abandons an order before it is packed. S twice reports every unit not
// scanned yet as missing (`pack.short`): the server holds the order for the
// supervisor, and the order ends here.
//
// A scanned code is a tote if it starts with one of `totePrefixes`
// (default "T-", "TOTE-"; wmsd's totes are T-0001...), else an order id.
// Carton ids are "<order>-C<n>" (or "C<n>" when that would not fit in 64
// characters), carton types the pack task's suggestion or `defaultCarton`.
//
// Refusals: a rejected `pack.request` goes back to the first prompt with
// the server's message; a rejected `label.request` stays at the label step
// (L tries again); a rejected `pack.confirm`, `pack.short` or `ship.confirm` ends the
// order with the message for the supervisor (the same data would be
// refused again).
//
// Pure state machine: no I/O, no clock. Not thread-safe (one owner).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wms/handheld/Gs1.h"
#include "wms/handheld/Workflow.h"

namespace wms::handheld {

enum class PackPhase {
  ScanStart,  // scan a tote or an order
  WaitTask,   // pack.request sent, waiting for pack.task
  Verify,     // scan each item into the open carton
  Label,      // packed: request the label (L or Enter)
  WaitLabel,  // label.request sent, waiting for label.ready
  Ship,       // label ready: Enter confirms the shipped quantities
  Done,       // shipped (or ended with an error); Enter or a scan starts the next
};
const char* toString(PackPhase phase) noexcept;

// The persistent state: survives an app restart as it is.
struct PackState {
  PackPhase phase = PackPhase::ScanStart;
  std::string requested;                     // the tote or order scanned
  std::optional<protocol::PackTask> task;
  std::vector<int> packed;                   // units verified per task line (all cartons)
  std::vector<protocol::PackCarton> cartons; // closed cartons
  std::vector<int> openScans;                // task line index of each unit in the open carton, in scan order
  std::optional<protocol::LabelReady> label;
  std::string result;                        // how the last order ended

  friend bool operator==(const PackState&, const PackState&) = default;
};

class PackFlow {
 public:
  struct Options {
    std::string device;                              // commands for other devices are ignored
    std::optional<std::string> station;              // sent with pack.request
    std::vector<std::string> totePrefixes{"T-", "TOTE-"};
    std::string defaultCarton = "BOX";
    Gs1ParseOptions gs1;
  };

  explicit PackFlow(Options options);

  // One input; returns what to do. Never throws on any input.
  Effects handle(const Input& input);

  Screen screen() const;
  PackPhase phase() const noexcept { return state_.phase; }
  // What the current step wants scanned: nullopt except at ScanStart (any
  // tote/order label) and Verify (an item still missing; its first barcode).
  std::optional<StepExpectation> expectation() const;

  // Packing takes no numbers: every unit is scanned.
  bool wantsNumber() const noexcept { return false; }

  const PackState& state() const noexcept { return state_; }
  // Puts a saved state back. Invalid (nothing changes) if it is
  // inconsistent: a phase past ScanStart without a task, counts that do not
  // match the task's lines, scans of unknown lines, more than a line needs.
  Status restore(PackState state);

  // An order is being packed (signing out would abandon it).
  bool busy() const noexcept;

 private:
  Effects onKey(Key key);
  Effects onScan(const Barcode& barcode);
  Effects onServer(const protocol::Message& message);
  Effects onOutcome(const EventOutcome& outcome);
  Effects closeCarton();
  Effects requestLabel();
  Effects confirmShipped();
  Effects reportShort();
  Effects fail(std::string message);
  int unitsLeft() const;
  int openCount(int line) const;
  std::string cartonId(std::size_t number) const;

  Options options_;
  PackState state_;
  bool abandonArmed_ = false;
  bool shortArmed_ = false;  // S pressed once: the next S reports the short
  std::string error_;
  std::string message_;
};

}  // namespace wms::handheld
