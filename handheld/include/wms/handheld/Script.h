// The headless mode of wms-handheld (`--script FILE`): a script of scans,
// keys and waits drives the real app (workflow, outbox, MQTT), and the
// screen is printed as text after every step so that tests and the fleet
// tools can assert on it.
//
// One command per line; blank lines and lines starting with '#' are
// skipped. TEXT is the rest of the line; in `scan` and `type`, "<GS>"
// stands for the GS1 separator and @location, @item, @tote, @qty for what
// the current step expects (the stop's location code, the SKU's first
// barcode, the tote to put into, the quantity the step confirms: the
// stop's total while counting, the put's at a tote).
//
//   scan TEXT               a scan as a scan engine sends it (an AIM
//                           identifier such as ]C1 may lead)
//   type TEXT               a line typed on the keypad, then Enter
//                           (TypedInput.h: quantities, S/K/C/L/U/Q, scans)
//   enter | esc             the Enter / Escape key
//   key NAME                enter, escape, short, skip, close, label,
//                           undo, damaged, signout
//   frame FILE              an image through the decoder, as the trigger
//   wait-for TEXT [SECONDS] poll until the screen shows TEXT (default 30 s)
//   wait-online [SECONDS]   until connected to the broker
//   wait-synced [SECONDS]   until connected and nothing waits in the outbox
//   sleep MS                keep polling for MS milliseconds
//   expect TEXT             fail unless the screen shows TEXT
//   expect-not TEXT         fail if the screen shows TEXT
//   signal FILE             create FILE (tells a test a point was reached)
//   await-file FILE [SECONDS]  poll until FILE exists (a test says go on)
//   print                   print the screen
//   stats                   print the sync counters as one JSON line
//
// Output: "> COMMAND" for each command, then the screen as panelText(),
// with "# " log lines and "[good]"/"[bad]" feedback in between as they
// happen. A failed wait or expect prints "FAILED: ..." and stops (exit 1).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/handheld/Decoder.h"
#include "wms/handheld/Handheld.h"

namespace wms::handheld {

struct ScriptCommand {
  enum class Kind {
    Scan, Type, Key, Frame, WaitFor, WaitOnline, WaitSynced, Sleep, Expect, ExpectNot, Signal, AwaitFile,
    Print, Stats,
  };
  Kind kind = Kind::Print;
  std::string arg;                        // TEXT, FILE, key name
  Key key = Key::Enter;                   // for Kind::Key
  std::chrono::milliseconds timeout{30000};
  int line = 0;                           // in the script, from 1
  std::string source;                     // the line as written
};

// Longest script accepted (the file is outside input).
inline constexpr std::size_t kMaxScriptBytes = 4u << 20;

// Parses a script. Errors (Invalid, Malformed, TooLarge) name the line:
// "script line 4: unknown command 'scna'".
Result<std::vector<ScriptCommand>> parseScript(std::string_view text);

struct ScriptOptions {
  int columns = 20;
  int rows = 16;
  Decoder* decoder = nullptr;             // for `frame`; null: frame commands fail
  std::filesystem::path baseDir;          // relative FILEs are relative to this
  // Called whenever the script polls the app (waits, sleeps, between
  // commands): the firmware bridge's client feeds its scans and keys here.
  std::function<void()> idle;
};

// Runs a parsed script against the app. Returns 0 when every command
// passed, 1 at the first failed wait/expect or an unusable command (e.g.
// @item with nothing expected, an unreadable frame file).
int runScript(Handheld& app, DeviceLink* link, const std::vector<ScriptCommand>& script,
              const ScriptOptions& options, std::ostream& out);

// The sync counters as one JSON object (the `stats` command).
std::string statsJson(const SyncStats& stats, std::size_t outbox);

}  // namespace wms::handheld
