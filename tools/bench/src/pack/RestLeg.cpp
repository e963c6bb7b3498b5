#include "RestLeg.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "wms/apiclient/Client.h"

namespace wms::bench::pack {
namespace {

using Clock = std::chrono::steady_clock;

struct Packed {
  int cartons = 0;
  std::int64_t units = 0;
};

// One order through the routes; the error names the step that failed.
Result<Packed> packOne(apiclient::Client& client, std::int64_t orderId, const std::string& station,
                       std::vector<double>& scanMs) {
  const std::string id = std::to_string(orderId);
  auto failed = [&](const std::string& step, const Error& e) {
    return Error{e.kind, "order " + id + ": " + step + ": " + e.message};
  };
  auto view = client.call("POST", "/api/v1/packing/sessions",
                          R"({"code":"SO-)" + id + R"(","station":")" + station + R"("})");
  if (!view) return failed("open session", view.error());
  if (!view->json) return Error{ErrorKind::Internal, "order " + id + ": the session answer is not JSON"};
  const std::string session = "/api/v1/packing/sessions/" + view->json->get("session_id").toString();

  // The barcode to scan for each line: its first, else the SKU code.
  std::map<int, std::string> scanText;
  auto lines = view->json->getArray("lines");
  for (unsigned i = 0; lines && i < lines->size(); ++i) {
    auto l = lines->getObject(i);
    auto codes = l->getArray("barcodes");
    scanText[l->getValue<int>("line_no")] =
        codes && codes->size() > 0 ? codes->getElement<std::string>(0) : l->getValue<std::string>("sku");
  }
  auto suggestion = view->json->getObject("suggestion");
  auto cartons = suggestion ? suggestion->getArray("cartons") : nullptr;
  if (!cartons || cartons->size() == 0) return Error{ErrorKind::Conflict, "order " + id + ": nothing to pack"};
  Packed out;
  for (unsigned c = 0; c < cartons->size(); ++c) {
    auto carton = cartons->getObject(c);
    auto opened = client.call("POST", session + "/cartons",
                              R"({"carton_type":")" + carton->getValue<std::string>("carton_type") + R"("})");
    if (!opened) return failed("open carton", opened.error());
    auto items = carton->getArray("items");
    for (unsigned k = 0; k < items->size(); ++k) {
      auto item = items->getObject(k);
      const std::string text = scanText[item->getValue<int>("line_no")];
      // One request per unit: each unit is verified by its own scan, as on
      // the handheld.
      for (int u = 0; u < item->getValue<int>("qty"); ++u) {
        const auto t0 = Clock::now();
        auto scanned = client.call("POST", session + "/scans", R"({"text":")" + text + R"(","qty":1})");
        scanMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!scanned) return failed("scan", scanned.error());
        auto last = scanned->json ? scanned->json->getObject("last_scan") : nullptr;
        if (!last || !last->getValue<bool>("ok"))
          return Error{ErrorKind::Conflict, "order " + id + ": the station refused a scan of " + text};
        ++out.units;
      }
    }
    auto closed = client.call("POST", session + "/cartons/close", "{}");
    if (!closed) return failed("close carton", closed.error());
    ++out.cartons;
  }
  if (auto r = client.call("POST", session + "/complete", "{}"); !r) return failed("complete", r.error());
  auto booked = client.call("POST", "/api/v1/packing/orders/" + id + "/shipment",
                            R"({"station":")" + station + R"(","print":true})");
  if (!booked) return failed("book shipment", booked.error());
  auto shipment = booked->json ? booked->json->getObject("shipment") : nullptr;
  if (!shipment) return Error{ErrorKind::Internal, "order " + id + ": the booking names no shipment"};
  auto shipped = client.call("POST", "/api/v1/packing/orders/" + id + "/ship",
                             R"({"shipment_id":)" + shipment->get("id").toString() +
                                 R"(,"idempotency_key":"bench-ship-)" + id + R"("})");
  if (!shipped) return failed("ship", shipped.error());
  return out;
}

}  // namespace

RestLegResult runRestLeg(const std::string& api, const std::vector<std::int64_t>& orders, int stations,
                         const std::string& stationPrefix) {
  RestLegResult result;
  result.orders = static_cast<int>(orders.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;  // protects result
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int k = 1; k <= stations; ++k) {
    char station[64];
    std::snprintf(station, sizeof station, "%s%02d", stationPrefix.c_str(), k);
    threads.emplace_back([&, name = std::string(station)] {
      apiclient::Client client(api);
      std::vector<double> mine;
      for (std::size_t i; (i = next++) < orders.size();) {
        auto r = packOne(client, orders[i], name, mine);
        std::lock_guard lock(mutex);
        if (r) {
          ++result.shipped;
          result.cartons += r->cartons;
          result.units += r->units;
        } else {
          ++result.failures;
          if (result.errors.size() < 5) result.errors.push_back(r.error().message);
        }
      }
      std::lock_guard lock(mutex);
      result.scanMs.insert(result.scanMs.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return result;
}

}  // namespace wms::bench::pack
