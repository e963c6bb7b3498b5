// Why a picked or packed order has not shipped yet, as far as the packing
// tables tell: the watchdog's explanation for the packing stages.
#include "wms/packing/Shipping.h"
#include "wms/store/Query.h"

#include <algorithm>

namespace wms::packing {

std::string ShippingService::whyNotShipped(store::Tx& tx, domain::OrderId id) {
  const auto ago = [&](std::int64_t ms) {
    const auto s = std::max<std::int64_t>(0, (tx.nowMs() - ms) / 1000);
    return s < 120 ? std::to_string(s) + " s" : std::to_string(s / 60) + " min";
  };
  {
    store::Query session(tx, "SELECT station, updated_at FROM pack_sessions WHERE order_id = ? AND state = 'open'");
    session.bind(static_cast<std::int64_t>(id));
    if (session.step()) {
      const auto station = session.text(0);
      return "a pack session is open at station " + (station.empty() ? std::string("(none named)") : station) +
             ", last scan " + ago(session.integer(1)) + " ago: the pack was not confirmed";
    }
  }
  store::Query shipment(tx, "SELECT id, state FROM shipments WHERE order_id = ? ORDER BY id DESC LIMIT 1");
  shipment.bind(static_cast<std::int64_t>(id));
  if (!shipment.step()) {
    store::Query cartons(tx, "SELECT COUNT(*) FROM cartons WHERE order_id = ?");
    cartons.bind(static_cast<std::int64_t>(id));
    const bool packed = cartons.step() && cartons.integer(0) > 0;
    std::string totes;
    store::Query q(tx, "SELECT DISTINCT tote FROM picked_units WHERE order_id = ? AND qty > shipped ORDER BY tote");
    q.bind(static_cast<std::int64_t>(id));
    while (q.step()) totes += (totes.empty() ? "" : ", ") + q.text(0);
    if (!packed)
      return "not packed: no station has started it" + (totes.empty() ? std::string() : " (in tote " + totes + ")");
    return "packed, but no shipment was booked: its label was never asked for";
  }
  const auto shipmentId = shipment.integer(0);
  store::Query failed(tx,
                      "SELECT j.printer, j.last_error FROM shipment_print_jobs s JOIN print_jobs j ON j.id = s.job_id "
                      "WHERE s.shipment_id = ? AND j.state IN ('failed', 'waiting') ORDER BY j.id DESC LIMIT 1");
  failed.bind(shipmentId);
  if (failed.step())
    return "shipment " + std::to_string(shipmentId) + ": its label did not print on " + failed.text(0) + " (" +
           failed.text(1) + ")";
  return "shipment " + std::to_string(shipmentId) + " is booked and its label printed, but the ship confirmation has "
         "not come";
}

std::vector<UnshippedOrder> ShippingService::unshipped(store::Tx& tx, const std::string& station, int limit) {
  limit = std::clamp(limit, 1, 500);
  // The station is that of the session that packed the order (the latest,
  // should an order have been reopened; a handheld bound to a station
  // records one as it packs); an order packed with no station (the REST
  // pack call, a handheld bound to none) has none.
  store::Query q(tx,
                 "SELECT id, updated_at, station FROM (SELECT o.id, o.updated_at, "
                 "COALESCE((SELECT s.station FROM pack_sessions s WHERE s.order_id = o.id AND s.state = 'packed' "
                 "ORDER BY s.id DESC LIMIT 1), '') AS station FROM orders o WHERE o.status = 'packed') AS p "
                 "WHERE ? = '' OR station = ? ORDER BY updated_at, id LIMIT ?");
  q.bind(station).bind(station).bind(static_cast<std::int64_t>(limit));
  std::vector<UnshippedOrder> out;
  while (q.step()) {
    UnshippedOrder u;
    u.orderId = static_cast<domain::OrderId>(q.integer(0));
    u.orderReference = orderReference(u.orderId);
    u.packedAtMs = q.integer(1);
    u.waitingSeconds = std::max<std::int64_t>(0, (tx.nowMs() - u.packedAtMs) / 1000);
    u.station = q.text(2);
    out.push_back(std::move(u));
  }
  for (auto& u : out) {
    if (auto s = shipmentOfOrder(tx, u.orderId); s && *s) {
      u.shipment = std::move(**s);
      u.shipment->cartons.clear();
    }
    u.reason = whyNotShipped(tx, u.orderId);
  }
  return out;
}

Result<std::vector<UnshippedOrder>> ShippingService::unshipped(const std::string& station, int limit) {
  std::vector<UnshippedOrder> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = unshipped(tx, station, limit);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace wms::packing
