// Crash points: where the chaos day (tools/run-demo --chaos) has wmsd kill
// itself with SIGKILL in the middle of an operation, inside its database
// transaction, so that the day shows a ship confirmation or a wave release
// cut off half-way leaving nothing half-done (the transaction never
// commits; the client's retry or the device's resend does it once).
//
// Armed only by the environment variable WMS_CRASH_POINTS, read once per
// process: comma-separated `name:chance` pairs, e.g. "ship:0.002,release:0.03"
// (the chance per pass, 0 to 1). Unset, as everywhere but the chaos day,
// every point is a no-op costing one atomic load. A malformed value arms
// nothing and says so once on stderr.
//
// Threading: thread-safe.
#pragma once

#include <string_view>

namespace wms::store {

class Tx;

// A pass through the crash point `name`, inside `tx` (a write transaction
// not yet committed). Armed for `name`, it kills the process (SIGKILL) with
// the given chance, after one line on stderr naming the point.
void crashPoint(Tx& tx, std::string_view name);

}  // namespace wms::store
