// The packing REST endpoints, registered as routes on wmsd's one router
// (wms::http::Router): the packing-station page's API. docs/packing.md is
// the contract the page relies on.
//
// Errors are the router's one body, {"error": KIND, "detail": MESSAGE},
// with the status of docs/api.md (httpStatusOf): malformed 400, not_found
// 404, conflict and insufficient_stock 409, too_large 413, invalid 422,
// unavailable 503, internal 500; a method a path does not take is the
// router's 405. An id in a path that cannot be one (not 1 to 18 digits, or
// 0; a carton over 999) is 404 naming it ("no pack session 'x'").
#pragma once

#include <cstddef>

#include "wms/http/Router.h"
#include "wms/packing/PackSession.h"
#include "wms/packing/PrintJobs.h"
#include "wms/packing/Shipping.h"
#include "wms/packing/StationScans.h"

namespace wms::packing {

// Adds every endpoint under /api/v1/packing/ to the router, each with the
// body limit `maxBody` (wmsd gives http.max_body_bytes; the request readers
// refuse bodies over 64 KiB themselves). `printing` may be null (no
// printers): shipments are still booked, print requests answer that no
// printer is configured. The services must outlive the router; the routes
// may be called from any number of threads at once, as the services may.
void addPackingRoutes(http::Router& router, ShippingService& shipping, PackSessionService& sessions,
                      StationScans& stationScans, LabelPrinting* printing,
                      std::size_t maxBody = http::Router::kDefaultMaxBody);

}  // namespace wms::packing
