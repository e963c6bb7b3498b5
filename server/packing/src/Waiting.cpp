// Why a picked or packed order has not shipped yet, as far as the packing
// tables tell: the watchdog's explanation for the packing stages.
#include "wms/packing/Shipping.h"
#include "wms/store/Query.h"

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

}  // namespace wms::packing
