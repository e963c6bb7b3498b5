// Internal: wmsd's HTTP edge, the POCO adapter around the one router
// (wms::http::Router, common/http). For each request it matches the route,
// reads the body within that route's limit (413 above it), lets the router
// answer, writes the response, and counts it; no exception reaches POCO.
//
// The route files of server/core name the router's types by their short
// names in this namespace; they are the same types packing registers with.
#pragma once

#include "wms/http/Router.h"
#include "wms/identity/Gate.h"
#include "wms/server/Metrics.h"

namespace Poco::Net {
class HTTPRequestHandlerFactory;
}

namespace wms::server::http {

using wms::http::Handler;
using wms::http::Request;
using wms::http::Response;
using wms::http::Router;

class ConnectionRegistry;

// Builds POCO request handlers that dispatch through the router, each
// request through the gate first (Host, who, CSRF, body type) and its
// response through the gate after (security headers, audit trail). The
// router (set up before the server starts), the gate and the metrics must
// outlive the factory. Counts requests by status in metrics
// (http_requests_total) and refusals by reason (http_refused_total).
// With `connections` (Connections.h; it must outlive the factory too), a
// request's body must arrive within its body time-out or gets a 408.
// Thread-safe: POCO calls the handlers it makes from its worker threads.
Poco::Net::HTTPRequestHandlerFactory* makeHandlerFactory(const Router& router, const identity::Gate& gate,
                                                         Metrics& metrics, ConnectionRegistry* connections = nullptr);

}  // namespace wms::server::http
