// Internal: what changed, for the dashboard (docs/api.md, "Live changes"):
//
//   GET /api/v1/changes?since=ID   the changes after ID as JSON (the board's
//                                  polling fallback; tests)
//   GET /api/v1/changes/stream     the same as Server-Sent Events, live
//
// Both read the ChangeFeed the store's commit hook fills. A malformed ID
// (query or Last-Event-ID) is a 400 naming what is wrong; a well-formed one
// the feed no longer holds, or from another run of wmsd, is a resync (the
// client reloads everything), never an error.
#pragma once

#include <chrono>

#include "HandlerFactory.h"
#include "wms/server/ChangeFeed.h"

namespace wms::server::http {

struct StreamTiming {
  // At most one change event per this (a burst of commits is one event).
  std::chrono::milliseconds coalesce{200};
  // A comment line after this much silence: it keeps proxies from closing
  // the stream and finds a client that vanished (its write fails).
  std::chrono::milliseconds keepAlive{15000};
  // The reconnect delay the stream asks EventSource for (`retry:`).
  std::chrono::milliseconds retry{1000};
  // A stream ends after this; the browser reconnects through the gate (a
  // signed-out or disabled person's board stops there) and resumes from
  // its Last-Event-ID without reloading.
  std::chrono::milliseconds maxLife{10 * 60 * 1000};
};

// The feed must outlive the router; its stop() ends every stream.
void addChangeRoutes(Router& router, const ChangeFeed& feed, StreamTiming timing = {});

}  // namespace wms::server::http
