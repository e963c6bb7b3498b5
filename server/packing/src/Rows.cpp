#include "Rows.h"

#include <map>

#include "wms/store/Query.h"

namespace wms::packing::rows {
namespace {

ShipmentState stateFrom(const std::string& s) {
  return s == "shipped" ? ShipmentState::Shipped : ShipmentState::Booked;
}

std::vector<ShipmentRow> selectShipments(store::Tx& tx, const std::string& where, std::int64_t key) {
  store::Query q(tx,
                 "SELECT id, order_id, state, carrier, carrier_name, service, tracking_number, created_at, "
                 "shipped_at, confirm_key, release_policy FROM shipments WHERE " +
                     where + " ORDER BY id");
  q.bind(key);
  std::vector<ShipmentRow> out;
  while (q.step()) {
    out.push_back({q.integer(0), q.integer(1), stateFrom(q.text(2)), q.text(3), q.text(4), q.text(5), q.text(6),
                   q.integer(7), q.integer(8), q.text(9), q.text(10)});
  }
  return out;
}

}  // namespace

std::vector<PickedRow> pickedUnits(store::Tx& tx, domain::OrderId orderId) {
  store::Query q(tx,
                 "SELECT line_no, tote, sku, lot, expiry, qty, shipped FROM picked_units WHERE order_id = ? "
                 "ORDER BY line_no, tote, expiry, lot");
  q.bind(orderId);
  std::vector<PickedRow> out;
  while (q.step())
    out.push_back({static_cast<int>(q.integer(0)), q.text(1), q.text(2), q.text(3), q.text(4), q.integer(5),
                   q.integer(6)});
  return out;
}

std::vector<domain::OrderId> ordersInTote(store::Tx& tx, const std::string& tote) {
  store::Query q(tx,
                 "SELECT DISTINCT order_id FROM picked_units WHERE tote = ? AND qty > shipped ORDER BY "
                 "order_id");
  q.bind(tote);
  std::vector<domain::OrderId> out;
  while (q.step()) out.push_back(q.integer(0));
  return out;
}


std::vector<CartonRecord> cartons(store::Tx& tx, domain::OrderId orderId, std::int64_t shipmentId) {
  std::vector<CartonRecord> out;
  std::map<int, std::size_t> index;
  {
    store::Query q(tx,
                   "SELECT carton_no, carton_id, carton_type, weight_g, estimated_weight_g, shipment_id, sscc, "
                   "tracking_number "
                   "FROM cartons WHERE order_id = ? AND (? = 0 OR shipment_id = ?) ORDER BY carton_no");
    q.bind(orderId).bind(shipmentId).bind(shipmentId);
    while (q.step()) {
      CartonRecord c;
      c.number = static_cast<int>(q.integer(0));
      c.cartonId = q.text(1);
      c.cartonType = q.text(2);
      c.weightG = q.integer(3);
      c.estimatedWeightG = q.integer(4);
      c.shipmentId = q.integer(5);
      c.sscc = q.text(6);
      c.trackingNumber = q.text(7);
      index[c.number] = out.size();
      out.push_back(std::move(c));
    }
  }
  if (out.empty()) return out;
  store::Query q(
      tx, "SELECT carton_no, line_no, sku, qty FROM carton_items WHERE order_id = ? ORDER BY carton_no, rowid");
  q.bind(orderId);
  while (q.step()) {
    auto it = index.find(static_cast<int>(q.integer(0)));
    if (it == index.end()) continue;
    out[it->second].items.push_back({static_cast<int>(q.integer(1)), q.text(2), q.integer(3)});
  }
  return out;
}

void insertCarton(store::Tx& tx, domain::OrderId orderId, const CartonRecord& c) {
  store::exec(
      tx,
      "INSERT INTO cartons(order_id, carton_no, carton_id, carton_type, weight_g, estimated_weight_g, "
      "packed_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      orderId, c.number, c.cartonId, c.cartonType, c.weightG, c.estimatedWeightG, tx.nowMs());
  for (const auto& item : c.items) {
    store::exec(tx, "INSERT INTO carton_items(order_id, carton_no, line_no, sku, qty) VALUES (?, ?, ?, ?, ?)",
                orderId, c.number, item.lineNo, item.sku, item.qty);
  }
}

void setCartonSscc(store::Tx& tx, domain::OrderId orderId, int number, const std::string& sscc) {
  store::exec(tx, "UPDATE cartons SET sscc = ? WHERE order_id = ? AND carton_no = ?", sscc, orderId, number);
}

void setCartonBooking(store::Tx& tx, domain::OrderId orderId, int number, std::int64_t shipmentId,
                      const std::string& tracking, const std::string& labelJson) {
  store::exec(
      tx,
      "UPDATE cartons SET shipment_id = ?, tracking_number = ?, label_json = ? WHERE order_id = ? AND "
      "carton_no = ?",
      shipmentId, tracking, labelJson, orderId, number);
}

std::optional<std::string> cartonLabelJson(store::Tx& tx, std::int64_t shipmentId, int number) {
  store::Query q(tx, "SELECT label_json FROM cartons WHERE shipment_id = ? AND carton_no = ?");
  q.bind(shipmentId).bind(number);
  if (!q.step()) return std::nullopt;
  std::string json = q.text(0);
  if (json.empty()) return std::nullopt;
  return json;
}

std::optional<ShipmentRow> shipment(store::Tx& tx, std::int64_t id) {
  auto rows = selectShipments(tx, "id = ?", id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<ShipmentRow> shipmentsOf(store::Tx& tx, domain::OrderId orderId) {
  return selectShipments(tx, "order_id = ?", orderId);
}

std::int64_t insertShipment(store::Tx& tx, const ShipmentRow& r) {
  std::int64_t id = 0;
  store::Query q(tx,
                 "INSERT INTO shipments(order_id, state, carrier, carrier_name, service, "
                 "tracking_number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.bind(r.orderId)
      .bind(std::string(toString(r.state)))
      .bind(r.carrier)
      .bind(r.carrierName)
      .bind(r.service)
      .bind(r.trackingNumber)
      .bind(tx.nowMs());
  if (q.step()) {
    id = q.integer(0);
    q.run();  // finish the statement: RETURNING completes the insert on the last step
  }
  return id;
}

void markShipped(store::Tx& tx, std::int64_t id, std::int64_t atMs, const std::string& key,
                 const std::string& policy) {
  store::exec(tx,
              "UPDATE shipments SET state = 'shipped', shipped_at = ?, confirm_key = ?, release_policy = ? "
              "WHERE id = ?",
              atMs, key, policy, id);
}

void insertShippedLine(store::Tx& tx, std::int64_t shipmentId, const ShippedLine& l) {
  store::exec(
      tx,
      "INSERT INTO shipped_lines(shipment_id, line_no, sku, qty, released, left_in_tote) VALUES (?, ?, "
      "?, ?, ?, "
      "?)",
      shipmentId, l.lineNo, l.sku, l.shipped, l.released, l.leftInTote);
}

std::vector<ShippedLine> shippedLines(store::Tx& tx, std::int64_t shipmentId) {
  store::Query q(tx,
                 "SELECT line_no, sku, qty, released, left_in_tote FROM shipped_lines WHERE shipment_id = ? "
                 "ORDER BY line_no");
  q.bind(shipmentId);
  std::vector<ShippedLine> out;
  while (q.step())
    out.push_back({static_cast<int>(q.integer(0)), q.text(1), "", q.integer(2), q.integer(3), q.integer(4)});
  return out;
}

void endOpenSessions(store::Tx& tx, domain::OrderId orderId, const std::string& state) {
  store::exec(tx, "UPDATE pack_sessions SET state = ?, updated_at = ? WHERE order_id = ? AND state = 'open'",
              state, tx.nowMs(), orderId);
}

}  // namespace wms::packing::rows
