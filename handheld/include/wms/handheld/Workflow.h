// Workflow: the vocabulary shared by the handheld's state machines
// (SignInFlow.h, PickFlow.h, PackFlow.h, ReceiveFlow.h, PutawayFlow.h, ReplenishFlow.h,
// CountFlow.h): what goes in (a scan, a key, a
// number typed on the keypad, a command from the server, the server's answer
// to an event), what comes out (events to send, feedback, log lines) and the
// screen model a UI draws.
//
// The state machines do no I/O and read no clock: the app feeds them inputs
// and carries out their effects (outbox, MQTT, beeper, screen). Pure values;
// thread-safe as values are.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "wms/common/Result.h"
#include "wms/handheld/Barcode.h"
#include "wms/handheld/ScanMatch.h"
#include "wms/protocol/Messages.h"

namespace wms::handheld {

// ---- Inputs -------------------------------------------------------------------

// Command keys. On the terminal a command is its letter alone on the input
// line followed by Enter (S, K, C, L, U, D, Q), or a function key (see Tui.h).
enum class Key {
  Enter,        // confirm the step (empty input line + Enter)
  Escape,       // back / cancel the step
  Short,        // S: report a short pick
  Skip,         // K: skip this stop; it comes back at the end of the walk
  CloseCarton,  // C: close the carton being packed
  Label,        // L: request (or reprint) the shipping label
  Undo,         // U: take the last scanned unit out of the carton
  Damaged,      // D: the case being received is damaged (toggles)
  SignOut,      // Q: sign out
};
// "enter", "escape", "short", "skip", "close", "label", "undo", "damaged",
// "signout".
const char* toString(Key key) noexcept;

struct KeyPress {
  Key key = Key::Enter;
};

// A number typed on the keypad and confirmed with Enter: a quantity or a
// menu choice (0..999999).
struct NumberEntry {
  int value = 0;
};

// A barcode read by the camera decoder, a scan engine or a keyboard wedge,
// or typed on the keypad (Barcode::typed).
struct ScanInput {
  Barcode barcode;
};

// The trigger was pulled but nothing could be read (unreadable frame,
// decoder failure); `reason` says why.
struct ScanFailed {
  std::string reason;
};

// The server's answer to an event this device sent: the event as it was
// sent (looked up by the ack's event id) and the ack's result and error.
struct EventOutcome {
  protocol::Message event;
  protocol::AckResult result = protocol::AckResult::Applied;
  std::optional<Error> error;  // with Rejected
};

// Everything a flow reacts to. Server commands (task.assign, task.update,
// task.cancel, pack.task, label.ready, receive.task, putaway.task, replenish.task,
// count.task) arrive as
// protocol::Message.
using Input = std::variant<KeyPress, NumberEntry, ScanInput, ScanFailed, protocol::Message, EventOutcome>;

// ---- Effects ------------------------------------------------------------------

// What the picker should hear/see besides the screen: a good-read beep
// (green LED) or an error buzz (red LED). See Feedback.h.
enum class Signal { None, Good, Bad };

struct Effects {
  // Events to send, in order. The app fills in device, ts and event_id,
  // stores them in the outbox and sends them until acknowledged.
  std::vector<protocol::Message> events;
  Signal signal = Signal::None;
  // Lines for the device log (ignored commands, state changes).
  std::vector<std::string> log;
  // The flow's persistent state changed (the app saves it with the events).
  bool stateChanged = false;

  // Appends other's events and log, takes its signal if it has one.
  void merge(Effects other);
};

// ---- Screen -------------------------------------------------------------------

struct ScreenField {
  std::string label;   // "Go to", "Item", "Qty", "Tote"
  std::string value;   // "A-01-02-3"
  bool strong = false; // the value to act on now (drawn bold)
};

// What the screen shows, independent of its size (Layout.h fits it to
// 20x16, 40x8 or bigger).
struct Screen {
  std::string mode;      // "SIGN IN", "PICK", "PACK", "RECEIVE", "PUTAWAY", "REPLENISH", "COUNT"
  std::string progress;  // "stop 3/12", "2/5 units"
  std::string prompt;    // the big instruction: "SCAN LOCATION"
  std::vector<ScreenField> fields;
  std::string message;   // information ("stop skipped: it comes back at the end")
  std::string error;     // the last error, until the next successful step
  std::string keys;      // the keys that work now: "S=short K=skip"
  bool secretInput = false;  // what is typed now is a secret (a PIN): the keypad line shows '*'s

  // Every text of the screen, one per line (for logs and test assertions).
  std::string text() const;
};

// What the current step expects to be scanned, for a simulated picker and
// for script shortcuts (@location, @item, @tote): the expectation a scan is
// checked against, and the text a correct label carries.
struct StepExpectation {
  ScanExpectation expected;  // target, code / SKU barcodes
  std::string text;          // what a correct label reads (location code, first barcode, tote)
  int quantity = 0;          // units the step is about: the stop's (item, quantity), the put's (tote), a line's left
                             // (pack, receive; 1 when receiving blind), the put-away task's (put-away),
                             // the move's (replenish); 0 when counting
  int remaining = 0;         // of those, still to count (quantity step), else equal to quantity
};

}  // namespace wms::handheld
