// The terminal UI (ncurses) of wms-handheld, made for a handheld's small
// screen (Layout.h: 20x16, 40x8, bigger terminals get a centred panel).
//
// Keys: what is typed goes to the keypad line at the bottom; Enter submits
// it (TypedInput.h: an empty line confirms, digits are quantities, S K C L
// U Q alone are commands, anything else is a scan - which is what a
// keyboard-wedge scanner or the firmware bridge types). Backspace edits,
// Escape clears the line or goes back a step. Function keys act at once:
// F1 trigger (read a frame from the camera or frames folder), F2 short,
// F3 skip, F4 close carton, F5 label, F6 undo, F7 damaged, F10 quit. Ctrl-C or
// SIGTERM or SIGHUP quits too (signal handlers only set a flag). When
// standard input or output is not a terminal (piped into tee), it draws on
// and reads from /dev/tty.
//
// Threading: runs on the calling thread (the app's thread) until quit.
#pragma once

#include <functional>
#include <optional>

#include "wms/handheld/Frame.h"
#include "wms/handheld/Handheld.h"

namespace wms::handheld {

struct TuiOptions {
  // The trigger: reads one frame and turns it into an input (FrameInput.h);
  // empty when there is no camera or frames folder.
  std::function<Input(const std::optional<StepExpectation>&)> trigger;
  // Called on every turn of the loop (about every 50 ms), on the loop's
  // thread: the firmware bridge's client feeds its scans and keys from here.
  std::function<void()> idle;
};

// Runs the interactive loop on the controlling terminal. Returns the exit
// code: 0 after a quit, 1 if the terminal could not be set up.
int runTui(Handheld& app, DeviceLink* link, const TuiOptions& options);

}  // namespace wms::handheld
