#include "Packer.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>

namespace wms::demo {
namespace {

Error stepFailed(const std::string& step, std::int64_t orderId, const Error& e) {
  return Error{e.kind, "order " + std::to_string(orderId) + ": " + step + ": " + e.message};
}

// Whether a session already holds work: an earlier call was cut after
// some of its steps.
bool startedAlready(const Poco::JSON::Object& view) {
  auto cartons = view.getArray("cartons");
  if (cartons && cartons->size() > 0) return true;
  auto lines = view.getArray("lines");
  for (unsigned i = 0; lines && i < lines->size(); ++i)
    if (lines->getObject(i)->optValue<std::int64_t>("packed", 0) > 0) return true;
  return false;
}

// A session of the order with nothing in it yet, or a view that is no
// longer open (packed meanwhile: nothing to do here).
Result<Poco::JSON::Object::Ptr> freshSession(apiclient::Client& client, std::int64_t orderId,
                                             const std::string& station) {
  const std::string start = R"({"code":"SO-)" + std::to_string(orderId) + R"(","station":")" + station + R"("})";
  for (int round = 0; round < 2; ++round) {
    auto view = client.call("POST", "/api/v1/packing/sessions", start);
    if (!view) return stepFailed("open session", orderId, view.error());
    if (view->json->optValue<std::string>("state", "") != "open" || !startedAlready(*view->json)) return view->json;
    // Steps of a cut call are in it, and which of them the server took is
    // not known: starting over is simpler than reconciling them.
    const std::string id = view->json->get("session_id").toString();
    if (auto r = client.call("POST", "/api/v1/packing/sessions/" + id + "/abandon", "{}"); !r)
      return stepFailed("abandon half-done session " + id, orderId, r.error());
  }
  return Error{ErrorKind::Conflict, "order " + std::to_string(orderId) + ": its new session is not empty"};
}

// Packs a picked order: its cartons as suggested, scanned by barcode.
Status pack(apiclient::Client& client, std::int64_t orderId, const std::string& station, Shipped& out) {
  const std::string id = std::to_string(orderId);
  auto started = freshSession(client, orderId, station);
  if (!started) return started.error();
  const auto& view = *started;
  if (view->optValue<std::string>("state", "") != "open") return {};  // packed meanwhile
  const std::string session = "/api/v1/packing/sessions/" + view->get("session_id").toString();

  // The barcode to scan for each line: the first GTIN, else the SKU code.
  std::map<int, std::string> scanText;
  auto lines = view->getArray("lines");
  for (unsigned i = 0; i < lines->size(); ++i) {
    auto l = lines->getObject(i);
    auto codes = l->getArray("barcodes");
    scanText[l->getValue<int>("line_no")] =
        codes && codes->size() > 0 ? codes->getElement<std::string>(0) : l->getValue<std::string>("sku");
  }

  auto suggestion = view->getObject("suggestion");
  auto cartons = suggestion ? suggestion->getArray("cartons") : nullptr;
  if (!cartons || cartons->size() == 0) return Error{ErrorKind::Conflict, "order " + id + ": nothing to pack"};
  for (unsigned c = 0; c < cartons->size(); ++c) {
    auto carton = cartons->getObject(c);
    auto opened = client.call("POST", session + "/cartons",
                              R"({"carton_type":")" + carton->getValue<std::string>("carton_type") + R"("})");
    if (!opened) return stepFailed("open carton", orderId, opened.error());
    auto items = carton->getArray("items");
    for (unsigned k = 0; k < items->size(); ++k) {
      auto item = items->getObject(k);
      const int qty = item->getValue<int>("qty");
      auto scanned = client.call("POST", session + "/scans",
                                 R"({"text":")" + scanText[item->getValue<int>("line_no")] +
                                     R"(","qty":)" + std::to_string(qty) + "}");
      if (!scanned) return stepFailed("scan", orderId, scanned.error());
      auto last = scanned->json->getObject("last_scan");
      if (!last || !last->getValue<bool>("ok"))
        return Error{ErrorKind::Conflict, "order " + id + ": the station refused a scan: " +
                                              (last ? last->getValue<std::string>("message") : "no answer")};
      out.units += qty;
    }
    auto closed = client.call("POST", session + "/cartons/close", "{}");
    if (!closed) return stepFailed("close carton", orderId, closed.error());
    ++out.cartons;
  }
  auto packed = client.call("POST", session + "/complete", "{}");
  if (!packed) return stepFailed("complete", orderId, packed.error());
  return {};
}

// Ships a packed order: its booked shipment, or one booked now (a booking
// asked for again returns the booked one), confirmed with the order's key.
Status ship(apiclient::Client& client, std::int64_t orderId, const std::string& station, Shipped& out) {
  const std::string id = std::to_string(orderId);
  std::string shipmentId;
  // Looked up first: booking again would print the labels again.
  auto found = client.send("GET", "/api/v1/packing/orders/" + id + "/shipment");
  if (!found) return stepFailed("find shipment", orderId, found.error());
  if (found->status == 200 && found->json) {
    shipmentId = found->json->get("id").toString();
  } else if (found->status == 404) {
    auto booked = client.call("POST", "/api/v1/packing/orders/" + id + "/shipment",
                              R"({"station":")" + station + R"(","print":true})");
    if (!booked) return stepFailed("book shipment", orderId, booked.error());
    shipmentId = booked->json->getObject("shipment")->get("id").toString();
  } else {
    const auto kind = found->status >= 500 ? ErrorKind::Unavailable : ErrorKind::Invalid;
    return Error{kind, "order " + id + ": find shipment: HTTP " + std::to_string(found->status) + " " + found->body};
  }
  auto shipped = client.call("POST", "/api/v1/packing/orders/" + id + "/ship",
                             R"({"shipment_id":)" + shipmentId + R"(,"idempotency_key":"demo-ship-)" + id + R"("})");
  if (!shipped) return stepFailed("ship", orderId, shipped.error());
  out.trackingNumber = shipped->json->optValue<std::string>("tracking_number", "");
  return {};
}

}  // namespace

Result<Shipped> packAndShip(apiclient::Client& client, std::int64_t orderId, const std::string& station) {
  const std::string id = std::to_string(orderId);
  auto order = client.call("GET", "/api/v1/orders/" + id);
  if (!order) return stepFailed("read its status", orderId, order.error());
  const std::string status = order->json->optValue<std::string>("status", "");
  Shipped out;
  if (status == "shipped") return out;
  if (status == "picked") {
    if (auto st = pack(client, orderId, station, out); !st) return st.error();
  } else if (status != "packed") {
    return Error{ErrorKind::Conflict, "order " + id + " is " + status};
  }
  if (auto st = ship(client, orderId, station, out); !st) return st.error();
  return out;
}

}  // namespace wms::demo
