#include "wms/packing/Rest.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "wms/packing/Json.h"

namespace wms::packing {
namespace {

using http::Request;
using http::Response;

// What the endpoints work on; the caller of addPackingRoutes keeps them
// alive as long as the router.
struct Services {
  ShippingService& shipping;
  PackSessionService& sessions;
  StationScans& stationScans;
  LabelPrinting* printing;  // null: no printers
};

// An id in a path: 1..18 digits, more than 0 (wms::http).
std::optional<std::int64_t> idOf(const std::string& s) { return http::positiveId(s); }

Response ok(std::string body) {
  return Response::json(200, std::move(body));
}

Response notFound(std::string what) {
  return Response::error({ErrorKind::NotFound, std::move(what)});
}

// "no pack session 'x1'": an id that cannot be one names no resource. The
// text is the client's, cut short so that a long path is not echoed back.
Response noSuch(const std::string& noun, const std::string& raw) {
  return notFound("no " + noun + " '" + raw.substr(0, 40) + "'");
}

template <class T, class F>
Response answer(const Result<T>& r, F&& write) {
  if (!r) return Response::error(r.error());
  return ok(write(*r));
}

// ---- the endpoints, in the order of docs/packing.md ----

using Plain = Response (*)(const Services&, const Request&);
// `id` is the path's first {placeholder}, already checked by idOf.
using WithId = Response (*)(const Services&, const Request&, std::int64_t id);

Response config(const Services& s, const Request&) {
  return ok(json::configToJson(s.shipping.config()));
}

Response startSession(const Services& s, const Request& req) {
  auto body = json::parseStartRequest(req.body);
  if (!body) return Response::error(body.error());
  return answer(s.sessions.start(body->code, body->station), json::sessionToJson);
}

Response session(const Services& s, const Request&, std::int64_t id) {
  return answer(s.sessions.get(id), json::sessionToJson);
}

Response scan(const Services& s, const Request& req, std::int64_t id) {
  auto body = json::parseScanRequest(req.body);
  if (!body) return Response::error(body.error());
  return answer(s.sessions.scan(id, body->text, body->qty), json::sessionToJson);
}

Response removeUnits(const Services& s, const Request& req, std::int64_t id) {
  auto body = json::parseRemoveRequest(req.body);
  if (!body) return Response::error(body.error());
  return answer(s.sessions.remove(id, body->lineNo, body->qty), json::sessionToJson);
}

Response openCarton(const Services& s, const Request& req, std::int64_t id) {
  auto cartonType = json::parseOpenCartonRequest(req.body);
  if (!cartonType) return Response::error(cartonType.error());
  return answer(s.sessions.openCarton(id, *cartonType), json::sessionToJson);
}

Response closeCarton(const Services& s, const Request& req, std::int64_t id) {
  auto weight = json::parseCloseCartonRequest(req.body);
  if (!weight) return Response::error(weight.error());
  return answer(s.sessions.closeCarton(id, *weight), json::sessionToJson);
}

Response completeSession(const Services& s, const Request& req, std::int64_t id) {
  if (auto st = json::parseEmptyRequest(req.body); !st) return Response::error(st.error());
  return answer(s.sessions.complete(id), json::sessionToJson);
}

Response abandonSession(const Services& s, const Request& req, std::int64_t id) {
  if (auto st = json::parseEmptyRequest(req.body); !st) return Response::error(st.error());
  return answer(s.sessions.abandon(id), json::sessionToJson);
}

Response shipmentOfOrder(const Services& s, const Request&, std::int64_t orderId) {
  auto shipment = s.shipping.shipmentOfOrder(orderId);
  if (!shipment) return Response::error(shipment.error());
  if (!*shipment) return notFound("order " + std::to_string(orderId) + " has no shipment yet");
  return ok(json::shipmentToJson(**shipment));
}

// Books the shipment, then prints its labels if asked. A print that fails
// (or no printer) still answers 200 with the shipment: the booking stands,
// and print_error says why nothing printed.
Response bookShipment(const Services& s, const Request& req, std::int64_t orderId) {
  auto body = json::parseShipmentRequest(req.body);
  if (!body) return Response::error(body.error());
  auto shipment = s.shipping.createShipment(orderId);
  if (!shipment) return Response::error(shipment.error());
  std::vector<PrintJobView> jobs;
  std::optional<Error> printError;
  if (body->print) {
    if (!s.printing) {
      printError = Error{ErrorKind::Invalid, "no printer is configured (printing.printer.<ID>.uri)"};
    } else {
      auto printed = s.printing->printShipment(shipment->id, body->station, body->printer);
      if (printed)
        jobs = std::move(*printed);
      else
        printError = printed.error();
    }
  }
  return ok(json::shipmentAndJobsToJson(*shipment, jobs, printError));
}

// The idempotency key comes from the body or the Idempotency-Key header.
Response ship(const Services& s, const Request& req, std::int64_t orderId) {
  auto confirmation = json::parseShipRequest(req.body, orderId, req.header("idempotency-key"));
  if (!confirmation) return Response::error(confirmation.error());
  if (!req.caller.empty()) confirmation->who = stock::Actor{req.caller};  // the ledger names who shipped
  return answer(s.shipping.confirmShipment(*confirmation), json::shipResultToJson);
}

// A short at packing: the order is held for a supervisor (Shipping.h).
Response reportShort(const Services& s, const Request& req, std::int64_t orderId) {
  auto report = json::parseShortRequest(req.body, orderId);
  if (!report) return Response::error(report.error());
  if (!req.caller.empty()) report->who = stock::Actor{req.caller};
  return answer(s.shipping.reportShort(*report), json::packShortToJson);
}

// The supervisor's answer to a short at packing: pack what is left.
Response packWhatIsLeft(const Services& s, const Request& req, std::int64_t orderId) {
  if (auto st = json::parseEmptyRequest(req.body); !st) return Response::error(st.error());
  return answer(s.shipping.packWhatIsLeft(orderId, req.caller.empty() ? "rest-api" : req.caller),
                json::packTaskToJson);
}

Response shipment(const Services& s, const Request&, std::int64_t id) {
  return answer(s.shipping.shipment(id), json::shipmentToJson);
}

Response printJobsOfShipment(const Services& s, const Request&, std::int64_t id) {
  if (!s.printing) return ok(json::printJobsToJson({}));
  return answer(s.printing->jobsOfShipment(id), json::printJobsToJson);
}

// /shipments/{id}/cartons/{carton}/{file}: the carton's label as a PNG, PDF
// or ZPL file.
Response cartonLabel(const Services& s, const Request& req, std::int64_t shipmentId) {
  const std::string& cartonText = req.params.at(1);
  const std::string& file = req.params.at(2);
  const auto carton = idOf(cartonText);
  if (!carton || *carton > 999) return noSuch("carton", cartonText);
  static const struct {
    const char* file;
    labels::DocumentFormat format;
    const char* type;
  } kFiles[] = {{"label.png", labels::DocumentFormat::Png, "image/png"},
                {"label.pdf", labels::DocumentFormat::Pdf, "application/pdf"},
                {"label.zpl", labels::DocumentFormat::Zpl, "text/plain; charset=utf-8"}};
  const auto* kind =
      std::find_if(std::begin(kFiles), std::end(kFiles), [&](const auto& f) { return file == f.file; });
  if (kind == std::end(kFiles))
    return notFound("no '" + file.substr(0, 40) + "': use label.png, label.pdf or label.zpl");
  auto label = s.shipping.label(shipmentId, static_cast<int>(*carton));
  if (!label) return Response::error(label.error());
  auto bytes = renderLabel(*label, kind->format);
  if (!bytes) return Response::error(bytes.error());
  return Response::text(200, std::move(*bytes), kind->type);
}

// Print jobs live in the spooler: without printers there are none.
Response printJob(const Services& s, const Request& req, std::int64_t id) {
  if (!s.printing) return notFound("no print job " + req.params[0] + ": no printer is configured");
  const auto job = static_cast<labels::JobId>(id);
  auto view = s.printing->job(job);
  if (!view) return Response::error(view.error());
  auto attempts = s.printing->attempts(job);
  return ok(json::printJobToJson(*view, attempts ? *attempts : std::vector<labels::AttemptRecord>{}));
}

Response reprint(const Services& s, const Request& req, std::int64_t id) {
  if (!s.printing) return notFound("no print job " + req.params[0] + ": no printer is configured");
  auto printer = json::parseReprintRequest(req.body);
  if (!printer) return Response::error(printer.error());
  return answer(s.printing->reprint(static_cast<labels::JobId>(id), *printer),
                [](const PrintJobView& v) { return json::printJobToJson(v); });
}

// Orders packed and not shipped (at one station with ?station=), longest
// waiting first; ?limit= 1..500, default 100.
Response unshipped(const Services& s, const Request& req) {
  const std::string station = req.q("station");
  const bool stationOk = station.size() <= 64 && std::all_of(station.begin(), station.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == ':';
  });
  if (!stationOk)
    return Response::error({ErrorKind::Invalid, "station must be at most 64 of [A-Za-z0-9_.:-], got '" +
                                                    station.substr(0, 40) + "'"});
  int limit = 100;
  if (const std::string text = req.q("limit"); !text.empty()) {
    const auto v = idOf(text);
    if (!v || *v > 500) return Response::error({ErrorKind::Invalid, "limit must be a whole number from 1 to 500"});
    limit = static_cast<int>(*v);
  }
  return answer(s.shipping.unshipped(station, limit), json::unshippedToJson);
}

// The station's waiting wedge reads, taken by its page (StationScans).
Response takeStationScans(const Services& s, const Request& req) {
  const std::string& station = req.params.at(0);
  if (!isValidStationId(station)) return noSuch("packing station", station);
  auto page = json::parseTakeScansRequest(req.body);
  if (!page) return Response::error(page.error());
  return answer(s.stationScans.take(station, *page), json::takenScansToJson);
}

// The handler of a route: `endpoint` on the services.
http::Handler on(const Services& s, Plain endpoint) {
  return [s, endpoint](const Request& req) { return endpoint(s, req); };
}

// The same for a route whose first {placeholder} is the id of a `noun`: an
// id that cannot be one is 404 naming it, before the endpoint runs.
http::Handler on(const Services& s, const char* noun, WithId endpoint) {
  return [s, noun, endpoint](const Request& req) {
    const auto id = idOf(req.params.at(0));
    if (!id) return noSuch(noun, req.params.at(0));
    return endpoint(s, req, *id);
  };
}

}  // namespace

void addPackingRoutes(http::Router& router, ShippingService& shipping, PackSessionService& sessions,
                      StationScans& stationScans, LabelPrinting* printing, std::size_t maxBody) {
  const Services s{shipping, sessions, stationScans, printing};
  const char* const kSession = "pack session";
  router.add("GET", "/api/v1/packing/config", on(s, config), maxBody);
  router.add("POST", "/api/v1/packing/sessions", on(s, startSession), maxBody);
  router.add("GET", "/api/v1/packing/sessions/{id}", on(s, kSession, session), maxBody);
  router.add("POST", "/api/v1/packing/sessions/{id}/scans", on(s, kSession, scan), maxBody);
  router.add("POST", "/api/v1/packing/sessions/{id}/remove", on(s, kSession, removeUnits), maxBody);
  router.add("POST", "/api/v1/packing/sessions/{id}/cartons", on(s, kSession, openCarton), maxBody);
  router.add("POST", "/api/v1/packing/sessions/{id}/cartons/close", on(s, kSession, closeCarton), maxBody);
  router.add("POST", "/api/v1/packing/sessions/{id}/complete", on(s, kSession, completeSession), maxBody);
  router.add("POST", "/api/v1/packing/sessions/{id}/abandon", on(s, kSession, abandonSession), maxBody);
  router.add("GET", "/api/v1/packing/unshipped", on(s, unshipped), maxBody);
  router.add("POST", "/api/v1/packing/stations/{station}/scans/take", on(s, takeStationScans), maxBody);
  router.add("GET", "/api/v1/packing/orders/{id}/shipment", on(s, "order", shipmentOfOrder), maxBody);
  router.add("POST", "/api/v1/packing/orders/{id}/shipment", on(s, "order", bookShipment), maxBody);
  router.add("POST", "/api/v1/packing/orders/{id}/ship", on(s, "order", ship), maxBody);
  router.add("POST", "/api/v1/packing/orders/{id}/short", on(s, "order", reportShort), maxBody);
  router.add("POST", "/api/v1/packing/orders/{id}/pack-what-is-left", on(s, "order", packWhatIsLeft), maxBody);
  router.add("GET", "/api/v1/packing/shipments/{id}", on(s, "shipment", shipment), maxBody);
  router.add("GET", "/api/v1/packing/shipments/{id}/print-jobs", on(s, "shipment", printJobsOfShipment),
             maxBody);
  router.add("GET", "/api/v1/packing/shipments/{id}/cartons/{carton}/{file}", on(s, "shipment", cartonLabel),
             maxBody);
  router.add("GET", "/api/v1/packing/print-jobs/{id}", on(s, "print job", printJob), maxBody);
  router.add("POST", "/api/v1/packing/print-jobs/{id}/reprint", on(s, "print job", reprint), maxBody);
}

}  // namespace wms::packing
