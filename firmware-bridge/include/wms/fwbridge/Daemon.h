// The command line of wms-fwbridge, kept in the library so the executable
// stays a thin shell and tests can start it in-process.
//
//   wms-fwbridge [--config FILE] [--socket PATH] [--mcu TTY] [--mcu-baud N]
//                [--ssi TTY] [--ssi-baud N] [--wedge DEV]... [--rules FILE]
//
// Options override the config file's keys (Bridge.h: parseBridgeConfig).
// With `broker`, `device` and `station` set, wedge scans are also published
// over MQTT as `station.scan` events (docs/protocol.md). Runs until SIGINT
// or SIGTERM; logs go to `err` (journald adds the time).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace wms::fwbridge {

// Returns 0 after a clean stop, 1 when the bridge could not start, 2 for
// unusable arguments (explained on `err`).
int runDaemon(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace wms::fwbridge
