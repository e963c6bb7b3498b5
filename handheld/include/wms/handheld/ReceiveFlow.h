// ReceiveFlow: receiving a purchase order at the dock, as a state machine.
//
// The dock (or staging) location the goods land in is configured
// (`Options::dock`) or scanned first. Scan a purchase order's reference ->
// `receive.request` -> the server's `receive.task` shows the supplier and
// each line's received (and ordered, unless receiving blind) units. Then,
// as often as the truck needs:
//
//  - scan a pallet's or carton's SSCC (GS1 AI 00, or 18 bare digits) that
//    the task still lists -> `receive.confirm {sscc}`; the unit leaves the
//    list at once;
//  - scan a case (a GTIN, GS1 element strings with AI 01/10/17/15, or the
//    SKU's own code; matched to the order's lines as ScanMatch.h does) ->
//    type its quantity (D marks it damaged first; Esc drops the scan) ->
//    `receive.confirm {barcode as scanned, qty, location, condition}`.
//
// Counts are optimistic: what was sent shows at once as pending, becomes
// received when the server applies it (or says it was applied before), and
// is taken back, with the server's message, when the server refuses it (a
// refused pallet comes back on the list). Refused here, nothing sent (bad
// signal, a message): an item not on the order, a quantity of 0 or above
// `maxQty`, an SSCC the task does not list. Enter with no case waiting for
// its quantity ends the order (back to the order prompt); Esc while waiting
// for the task drops the request.
//
// Pure state machine: no I/O, no clock. Not thread-safe (one owner).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wms/handheld/Gs1.h"
#include "wms/handheld/Workflow.h"

namespace wms::handheld {

enum class ReceivePhase {
  ScanDock,   // scan the dock or staging location (none configured)
  ScanOrder,  // scan a purchase order's reference
  WaitTask,   // receive.request sent, waiting for receive.task
  Receive,    // scan a case or a pallet's SSCC
  Quantity,   // a case was scanned: type its quantity (D: damaged)
};
const char* toString(ReceivePhase phase) noexcept;

// A receive.confirm sent and not yet answered: what to count (or undo)
// when its ack comes.
struct PendingReceipt {
  std::string po;
  int line = -1;        // task line index of a case; -1 for an SSCC
  std::string code;     // the barcode as sent, or the SSCC
  int qty = 0;          // a case's units; 0 for an SSCC
  bool damaged = false;

  friend bool operator==(const PendingReceipt&, const PendingReceipt&) = default;
};

// The case scanned, waiting for its quantity.
struct ScannedCase {
  int line = 0;          // task line index it matched
  std::string barcode;   // as receive.confirm sends it
  bool damaged = false;

  friend bool operator==(const ScannedCase&, const ScannedCase&) = default;
};

// The persistent state: survives an app restart as it is.
struct ReceiveState {
  ReceivePhase phase = ReceivePhase::ScanDock;
  std::string dock;                          // where the goods land
  std::string requested;                     // the order reference scanned
  std::optional<protocol::ReceiveTask> task; // `received` counts what the server applied
  std::vector<int> damaged;                  // damaged units applied per task line (this device)
  std::vector<PendingReceipt> pending;       // sent, not yet acknowledged, in sending order
  std::optional<ScannedCase> scanned;        // at Quantity
  std::string result;                        // how the last order ended

  friend bool operator==(const ReceiveState&, const ReceiveState&) = default;
};

class ReceiveFlow {
 public:
  struct Options {
    std::string device;                // commands for other devices are ignored
    std::optional<std::string> dock;   // configured dock location: no dock prompt
    int maxQty = 10000;                // the most units one case scan may receive
    Gs1ParseOptions gs1;
  };

  explicit ReceiveFlow(Options options);

  // One input; returns what to do. Never throws on any input.
  Effects handle(const Input& input);

  Screen screen() const;
  ReceivePhase phase() const noexcept { return state_.phase; }
  // At Receive and Quantity: the first line with units still to come (any
  // line when blind) as an item step, `quantity` its units left (1 when
  // blind). nullopt elsewhere.
  std::optional<StepExpectation> expectation() const;
  // The step takes a number (Quantity).
  bool wantsNumber() const noexcept { return state_.phase == ReceivePhase::Quantity; }

  const ReceiveState& state() const noexcept { return state_; }
  // Puts a saved state back. Invalid (nothing changes) if it is
  // inconsistent: a phase past ScanOrder without a task (WaitTask without a
  // reference), no dock past ScanDock, counts that do not match the task's
  // lines, a pending case or scanned case of an unknown line.
  Status restore(ReceiveState state);

  // An order is being received (signing out would leave it half done).
  bool busy() const noexcept;

  // Units of task line `line` sent but not yet acknowledged (good ones).
  int pendingUnits(std::size_t line) const;

 private:
  Effects onKey(Key key);
  Effects onScan(const Barcode& barcode);
  Effects onNumber(int value);
  Effects onServer(const protocol::Message& message);
  Effects onOutcome(const EventOutcome& outcome);
  Effects receivePallet(const std::string& sscc);
  Effects receiveCase(const Barcode& barcode);
  Effects fail(std::string message);
  std::optional<std::size_t> lineToExpect() const;
  int unitsLeft(std::size_t line) const;

  Options options_;
  ReceiveState state_;
  std::string error_;
  std::string message_;
};

}  // namespace wms::handheld
