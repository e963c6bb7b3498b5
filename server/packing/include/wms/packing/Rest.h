// The packing REST endpoints as one transport-free handler: wmsd's HTTP
// router hands every request under /api/v1/packing/ to handle() and writes
// back the answer (status, content type, body). docs/packing.md is the
// contract the packing-station page relies on.
//
// Errors are {"error": KIND, "detail": MESSAGE} with the status of
// docs/api.md: malformed 400, not_found 404, conflict and
// insufficient_stock 409, too_large 413, invalid 422, unavailable 503,
// internal 500. A method a path does not take is 405.
//
// Threading: handle() may be called from any number of threads; the
// services it is given must outlive it.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "wms/packing/PackSession.h"
#include "wms/packing/PrintJobs.h"
#include "wms/packing/Shipping.h"

namespace wms::packing {

struct RestRequest {
  std::string method;  // "GET", "POST"
  std::string path;    // without the query, e.g. "/api/v1/packing/sessions/7/scans"
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
};

struct RestResponse {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
};

class PackingRoutes {
 public:
  // `printing` may be null (no printers): shipments are still booked, and
  // print requests answer that no printer is configured.
  PackingRoutes(ShippingService& shipping, PackSessionService& sessions, LabelPrinting* printing);

  // The answer to a request under /api/v1/packing/, or std::nullopt if the
  // path is not one of the packing endpoints (the router goes on).
  std::optional<RestResponse> handle(const RestRequest& request);

  // The error body and status for an Error (docs/api.md).
  static RestResponse error(const Error& error);

 private:
  ShippingService& shipping_;
  PackSessionService& sessions_;
  LabelPrinting* printing_;
};

}  // namespace wms::packing
