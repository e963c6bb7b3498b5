#include "wms/packing/Rest.h"

#include "wms/common/HttpStatus.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "wms/packing/Json.h"

namespace wms::packing {
namespace {

constexpr std::string_view kPrefix = "/api/v1/packing";

std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// An id in a path: 1..18 digits.
std::optional<std::int64_t> idOf(const std::string& s) {
  if (s.empty() || s.size() > 18 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const std::int64_t v = std::stoll(s);
  if (v <= 0) return std::nullopt;
  return v;
}

RestResponse ok(std::string body, int status = 200) {
  return RestResponse{status, "application/json", std::move(body)};
}

RestResponse notFound(const std::string& what) {
  return PackingRoutes::error({ErrorKind::NotFound, what});
}

RestResponse methodNotAllowed(const RestRequest& r) {
  RestResponse out = PackingRoutes::error({ErrorKind::Malformed, r.method + " is not allowed on " + r.path});
  out.status = 405;
  return out;
}

template <class T, class F>
RestResponse answer(const Result<T>& r, F&& write, int status = 200) {
  if (!r) return PackingRoutes::error(r.error());
  return ok(write(*r), status);
}

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      static const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace

PackingRoutes::PackingRoutes(ShippingService& shipping, PackSessionService& sessions, LabelPrinting* printing)
    : shipping_(shipping), sessions_(sessions), printing_(printing) {}

RestResponse PackingRoutes::error(const Error& e) {
  const int status = httpStatusOf(e.kind);
  return RestResponse{
      status, "application/json",
      "{\"error\":" + jsonString(toString(e.kind)) + ",\"detail\":" + jsonString(e.message) + "}"};
}

std::optional<RestResponse> PackingRoutes::handle(const RestRequest& r) {
  if (r.path.rfind(kPrefix, 0) != 0) return std::nullopt;
  if (r.path.size() > kPrefix.size() && r.path[kPrefix.size()] != '/') return std::nullopt;
  const auto seg = segments(std::string_view(r.path).substr(kPrefix.size()));
  const bool get = r.method == "GET", post = r.method == "POST";
  if (seg.empty()) return std::nullopt;
  const std::string& what = seg[0];

  if (what == "config" && seg.size() == 1) {
    if (!get) return methodNotAllowed(r);
    return ok(json::configToJson(shipping_.config()));
  }

  if (what == "sessions") {
    if (seg.size() == 1) {
      if (!post) return methodNotAllowed(r);
      auto req = json::parseStartRequest(r.body);
      if (!req) return error(req.error());
      return answer(sessions_.start(req->code, req->station), json::sessionToJson);
    }
    auto id = idOf(seg[1]);
    if (!id) return notFound("no pack session '" + seg[1].substr(0, 40) + "'");
    const std::string step = seg.size() >= 3 ? seg[2] : "";
    if (seg.size() == 2) {
      if (!get) return methodNotAllowed(r);
      return answer(sessions_.get(*id), json::sessionToJson);
    }
    if (step == "scans" && seg.size() == 3) {
      if (!post) return methodNotAllowed(r);
      auto req = json::parseScanRequest(r.body);
      if (!req) return error(req.error());
      return answer(sessions_.scan(*id, req->text, req->qty), json::sessionToJson);
    }
    if (step == "remove" && seg.size() == 3) {
      if (!post) return methodNotAllowed(r);
      auto req = json::parseRemoveRequest(r.body);
      if (!req) return error(req.error());
      return answer(sessions_.remove(*id, req->lineNo, req->qty), json::sessionToJson);
    }
    if (step == "cartons" && seg.size() == 3) {
      if (!post) return methodNotAllowed(r);
      auto req = json::parseOpenCartonRequest(r.body);
      if (!req) return error(req.error());
      return answer(sessions_.openCarton(*id, *req), json::sessionToJson);
    }
    if (step == "cartons" && seg.size() == 4 && seg[3] == "close") {
      if (!post) return methodNotAllowed(r);
      auto req = json::parseCloseCartonRequest(r.body);
      if (!req) return error(req.error());
      return answer(sessions_.closeCarton(*id, *req), json::sessionToJson);
    }
    if ((step == "complete" || step == "abandon") && seg.size() == 3) {
      if (!post) return methodNotAllowed(r);
      if (auto st = json::parseEmptyRequest(r.body); !st) return error(st.error());
      return answer(step == "complete" ? sessions_.complete(*id) : sessions_.abandon(*id),
                    json::sessionToJson);
    }
    return std::nullopt;
  }

  if (what == "orders" && seg.size() == 3) {
    auto id = idOf(seg[1]);
    if (!id) return notFound("no order '" + seg[1].substr(0, 40) + "'");
    if (seg[2] == "shipment") {
      if (get) {
        auto s = shipping_.shipmentOfOrder(*id);
        if (!s) return error(s.error());
        if (!*s) return notFound("order " + std::to_string(*id) + " has no shipment yet");
        return ok(json::shipmentToJson(**s));
      }
      if (!post) return methodNotAllowed(r);
      auto req = json::parseShipmentRequest(r.body);
      if (!req) return error(req.error());
      auto shipment = shipping_.createShipment(*id);
      if (!shipment) return error(shipment.error());
      std::vector<PrintJobView> jobs;
      std::optional<Error> printError;
      if (req->print) {
        if (!printing_) {
          printError = Error{ErrorKind::Invalid, "no printer is configured (printing.printer.<ID>.uri)"};
        } else {
          auto printed = printing_->printShipment(shipment->id, req->station, req->printer);
          if (printed)
            jobs = std::move(*printed);
          else
            printError = printed.error();
        }
      }
      return ok(json::shipmentAndJobsToJson(*shipment, jobs, printError));
    }
    if (seg[2] == "ship") {
      if (!post) return methodNotAllowed(r);
      auto header = r.headers.find("idempotency-key");
      auto req = json::parseShipRequest(r.body, *id, header == r.headers.end() ? "" : header->second);
      if (!req) return error(req.error());
      return answer(shipping_.confirmShipment(*req), json::shipResultToJson);
    }
    return std::nullopt;
  }

  if (what == "shipments" && seg.size() >= 2) {
    auto id = idOf(seg[1]);
    if (!id) return notFound("no shipment '" + seg[1].substr(0, 40) + "'");
    if (seg.size() == 2) {
      if (!get) return methodNotAllowed(r);
      return answer(shipping_.shipment(*id), json::shipmentToJson);
    }
    if (seg.size() == 3 && seg[2] == "print-jobs") {
      if (!get) return methodNotAllowed(r);
      if (!printing_) return ok(json::printJobsToJson({}));
      return answer(printing_->jobsOfShipment(*id), json::printJobsToJson);
    }
    if (seg.size() == 5 && seg[2] == "cartons") {
      if (!get) return methodNotAllowed(r);
      auto carton = idOf(seg[3]);
      if (!carton || *carton > 999) return notFound("no carton '" + seg[3].substr(0, 40) + "'");
      const std::string& file = seg[4];
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
      const labels::DocumentFormat format = kind->format;
      const std::string type = kind->type;
      auto label = shipping_.label(*id, static_cast<int>(*carton));
      if (!label) return error(label.error());
      auto bytes = renderLabel(*label, format);
      if (!bytes) return error(bytes.error());
      return RestResponse{200, type, std::move(*bytes)};
    }
    return std::nullopt;
  }

  if (what == "print-jobs" && seg.size() >= 2) {
    auto id = idOf(seg[1]);
    if (!id) return notFound("no print job '" + seg[1].substr(0, 40) + "'");
    if (!printing_)
      return error({ErrorKind::NotFound, "no print job " + seg[1] + ": no printer is configured"});
    const auto job = static_cast<labels::JobId>(*id);
    if (seg.size() == 2) {
      if (!get) return methodNotAllowed(r);
      auto v = printing_->job(job);
      if (!v) return error(v.error());
      auto attempts = printing_->attempts(job);
      return ok(json::printJobToJson(*v, attempts ? *attempts : std::vector<labels::AttemptRecord>{}));
    }
    if (seg.size() == 3 && seg[2] == "reprint") {
      if (!post) return methodNotAllowed(r);
      auto printer = json::parseReprintRequest(r.body);
      if (!printer) return error(printer.error());
      return answer(printing_->reprint(job, *printer),
                    [](const PrintJobView& v) { return json::printJobToJson(v); });
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace wms::packing
