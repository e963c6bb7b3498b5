// The JSON of the packing REST endpoints (docs/packing.md has the contract):
// strict readers for the request bodies and writers for the answers, so
// that wmsd's routes only parse, call the service and write.
//
// Readers are the gate for outside input: the size is checked before
// anything is parsed (TooLarge above kMaxRequestBytes), nesting deeper than
// 8 levels is refused before POCO's recursive parser sees it, and the body
// must be one JSON object (Malformed otherwise). Unknown fields, wrong types
// and out-of-range values are Invalid, the message naming the field
// ("qty must be a whole number from 1 to 1000000"). An empty body reads as
// {}. POCO's exceptions never leave this file.
//
// Pure functions over values: no I/O, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/labels/PrintSpooler.h"
#include "wms/packing/PackSession.h"
#include "wms/packing/PackingConfig.h"
#include "wms/packing/PrintJobs.h"
#include "wms/packing/Shipping.h"
#include "wms/packing/StationScans.h"

namespace wms::packing::json {

inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;

// ---- Requests -------------------------------------------------------------------

// POST /api/v1/packing/sessions
struct StartRequest {
  std::string code;     // the scanned tote or order code (required)
  std::string station;  // optional
};
Result<StartRequest> parseStartRequest(std::string_view body);

// POST /api/v1/packing/sessions/{id}/scans
struct ScanRequest {
  std::string text;      // the scan as typed by the wedge (required, <= 300 bytes)
  std::int64_t qty = 1;  // 1..1000000
};
Result<ScanRequest> parseScanRequest(std::string_view body);

// POST /api/v1/packing/sessions/{id}/remove
struct RemoveRequest {
  int lineNo = 0;
  std::int64_t qty = 1;
};
Result<RemoveRequest> parseRemoveRequest(std::string_view body);

// POST /api/v1/packing/sessions/{id}/cartons  -> the carton type
Result<std::string> parseOpenCartonRequest(std::string_view body);

// POST /api/v1/packing/sessions/{id}/cartons/close  -> the weight, if weighed
Result<std::optional<std::int64_t>> parseCloseCartonRequest(std::string_view body);

// POST .../complete and .../abandon: an empty object (or no body).
Status parseEmptyRequest(std::string_view body);

// POST /api/v1/packing/orders/{id}/shipment
struct ShipmentRequestBody {
  std::string station;
  std::string printer;  // "" = the station's or the default printer
  bool print = true;
};
Result<ShipmentRequestBody> parseShipmentRequest(std::string_view body);

// POST /api/v1/packing/orders/{id}/ship. The key comes from the body's
// "idempotency_key" or, if absent there, from the Idempotency-Key header
// (`headerKey`); if both are given they must be equal.
Result<ShipConfirmation> parseShipRequest(std::string_view body, domain::OrderId orderId,
                                          std::string_view headerKey);

// POST /api/v1/packing/orders/{id}/short: {"station", "note", "lines":
// [{"line_no" or "sku", "qty", "reason": "damaged" | "missing"}]}
Result<PackShortReport> parseShortRequest(std::string_view body, domain::OrderId orderId);

// POST /api/v1/packing/print-jobs/{id}/reprint -> the printer ("" = the same)
Result<std::string> parseReprintRequest(std::string_view body);

// POST /api/v1/packing/stations/{station}/scans/take: {"page"} (optional,
// the page's own id for the audit) -> the page id ("" if none)
Result<std::string> parseTakeScansRequest(std::string_view body);

// ---- Answers ----------------------------------------------------------------------

std::string sessionToJson(const SessionView& view);
std::string shipmentToJson(const ShipmentView& shipment);
// GET /api/v1/packing/unshipped: {"orders": [{order_id, order_reference,
// station, packed_at, waiting_s, shipment (or null), reason}]}
std::string unshippedToJson(const std::vector<UnshippedOrder>& orders);
// One job with its "attempt_log" (empty while nothing was tried).
std::string printJobToJson(const PrintJobView& job, const std::vector<labels::AttemptRecord>& attempts = {});
// {"scans": [{id, device, barcode, symbology, text, scanned_at, received_at}],
//  "expired": n}
std::string takenScansToJson(const TakenScans& taken);
// {"items": [job, ...]}
std::string printJobsToJson(const std::vector<PrintJobView>& jobs);
// {"shipment": ..., "print_jobs": [...], "print_error": null | {"error", "detail"}}
std::string shipmentAndJobsToJson(const ShipmentView& shipment, const std::vector<PrintJobView>& jobs,
                                  const std::optional<Error>& printError);
std::string shipResultToJson(const ShipResult& result);
// {"order_id", "order_status": "held", "hold_reason", "exception_id"}
std::string packShortToJson(const PackShortResult& result);
// {"order_id", "order_reference", "order_status", "totes", "lines":
// [{"line_no", "sku", "ordered", "short", "to_pack"}]}
std::string packTaskToJson(const PackTask& task);
// {"cartons": [...], "printers": [...], "default_printer", "stations": {...}}
std::string configToJson(const PackingConfig& config);

}  // namespace wms::packing::json
