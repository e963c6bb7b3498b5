// `wms-handheld --decode`: decode image files and print one JSON line per
// barcode found. The logic lives here so the executable stays a thin shell
// and tests can run it in-process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace wms::handheld {

// Runs the decode command with the arguments after `--decode`:
//
//   [--target location|item|tote | --formats NAME,NAME...] [--max N]
//   [--timeout MS] FILE|FOLDER...
//
// For each barcode: {"file","format","text","symbology","gs1"?,"gs1_error"?,
// "ms","pass","corners"} on `out`; for a file that cannot be read or whose
// decode failed: {"file","error"}. Folders are expanded to their image files.
// Returns 0 when the arguments were usable (even if nothing was found or
// some files failed), 2 for a usage error (explained on `err`).
int runDecodeCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The usage text of the decode command.
std::string decodeCommandUsage();

}  // namespace wms::handheld
