// `wms-handheld` (without --decode): the scanner client. The logic lives
// here so the executable stays a thin shell and tests can call it.
//
//   wms-handheld [--config FILE] [--broker URI] [--device ID]
//                [--password P | --password-file FILE] [--ca-file FILE]
//                [--db FILE] [--mode pick|pack|receive|putaway] [--badge BADGE]
//                [--station ID] [--dock LOC]
//                [--tote-prefix P]... [--cart-to TEXT] [--log FILE]
//                [--camera /dev/videoN | --frames DIR]
//                [--script FILE|- [--size COLSxROWS]]
//
// Without --script it runs the terminal UI (Tui.h); with it, the headless
// mode (Script.h) prints the screen after each command on `out`. A config
// file holds the same settings as `key = value` lines (broker, device,
// password, password_file, ca_file, db, mode, badge, station, dock,
// tote_prefix, cart_to, log, camera, frames, size); options on the command line win.
// Without --broker the app runs offline: everything waits in the outbox.
// --db defaults to "<device>.outbox.db" in the current folder.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::handheld {

// Runs the client. Returns 0 on a clean quit or a script that passed, 1 for
// a failed script or a client that could not start (outbox unusable,
// terminal unusable), 2 for unusable arguments (explained on `err`).
int runHandheldCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

std::string handheldCommandUsage();

// Reads a config file's text: `key = value` lines, '#' comments, blank
// lines. Errors (Invalid, TooLarge) name the line; unknown keys are errors
// so that a typo cannot go unnoticed.
Result<std::map<std::string, std::string>> parseHandheldConfig(std::string_view text);

}  // namespace wms::handheld
