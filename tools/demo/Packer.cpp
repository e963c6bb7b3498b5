#include "Packer.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>

namespace wms::demo {
namespace {

Error stepFailed(const std::string& step, std::int64_t orderId, const Error& e) {
  return Error{e.kind, "order " + std::to_string(orderId) + ": " + step + ": " + e.message};
}

}  // namespace

Result<Shipped> packAndShip(apiclient::Client& client, std::int64_t orderId, const std::string& station) {
  const std::string id = std::to_string(orderId);
  auto view = client.call("POST", "/api/v1/packing/sessions",
                          R"({"code":"SO-)" + id + R"(","station":")" + station + R"("})");
  if (!view) return stepFailed("open session", orderId, view.error());
  const std::string session = "/api/v1/packing/sessions/" + view->json->get("session_id").toString();

  // The barcode to scan for each line: the first GTIN, else the SKU code.
  std::map<int, std::string> scanText;
  auto lines = view->json->getArray("lines");
  for (unsigned i = 0; i < lines->size(); ++i) {
    auto l = lines->getObject(i);
    auto codes = l->getArray("barcodes");
    scanText[l->getValue<int>("line_no")] =
        codes && codes->size() > 0 ? codes->getElement<std::string>(0) : l->getValue<std::string>("sku");
  }

  Shipped out;
  auto suggestion = view->json->getObject("suggestion");
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

  auto booked = client.call("POST", "/api/v1/packing/orders/" + id + "/shipment",
                            R"({"station":")" + station + R"(","print":true})");
  if (!booked) return stepFailed("book shipment", orderId, booked.error());
  const std::string shipmentId = booked->json->getObject("shipment")->get("id").toString();
  auto shipped = client.call("POST", "/api/v1/packing/orders/" + id + "/ship",
                             R"({"shipment_id":)" + shipmentId + R"(,"idempotency_key":"demo-ship-)" + id + R"("})");
  if (!shipped) return stepFailed("ship", orderId, shipped.error());
  out.trackingNumber = shipped->json->getValue<std::string>("tracking_number");
  return out;
}

}  // namespace wms::demo
