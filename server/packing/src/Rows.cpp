#include "Rows.h"

#include <Poco/Data/Session.h>

#include <map>

#include "wms/store/Query.h"
#include "wms/store/Session.h"

using namespace Poco::Data::Keywords;

namespace wms::packing::rows {
namespace {

Poco::Int64 i64(std::int64_t v) {
  return static_cast<Poco::Int64>(v);
}

ShipmentState stateFrom(const std::string& s) {
  return s == "shipped" ? ShipmentState::Shipped : ShipmentState::Booked;
}

std::vector<ShipmentRow> selectShipments(store::Tx& tx, const std::string& where, Poco::Int64 key) {
  std::vector<Poco::Int64> ids, orders, created, shipped;
  std::vector<std::string> states, carriers, names, services, tracking, keys, policies;
  store::sessionOf(tx)
      << "SELECT id, order_id, state, carrier, carrier_name, service, tracking_number, created_at, "
         "shipped_at, confirm_key, release_policy FROM shipments WHERE " +
             where + " ORDER BY id",
      bind(key), into(ids), into(orders), into(states), into(carriers), into(names), into(services),
      into(tracking), into(created), into(shipped), into(keys), into(policies), now;
  std::vector<ShipmentRow> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out.push_back({ids[i], orders[i], stateFrom(states[i]), carriers[i], names[i], services[i], tracking[i],
                   created[i], shipped[i], keys[i], policies[i]});
  }
  return out;
}

}  // namespace

std::vector<PickedRow> pickedUnits(store::Tx& tx, domain::OrderId orderId) {
  std::vector<Poco::Int64> lines, qty, shipped;
  std::vector<std::string> totes, skus, lots, expiries;
  store::sessionOf(tx)
      << "SELECT line_no, tote, sku, lot, expiry, qty, shipped FROM picked_units WHERE order_id = ? "
         "ORDER BY line_no, tote, expiry, lot",
      bind(i64(orderId)), into(lines), into(totes), into(skus), into(lots), into(expiries), into(qty),
      into(shipped), now;
  std::vector<PickedRow> out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out.push_back({static_cast<int>(lines[i]), totes[i], skus[i], lots[i], expiries[i], qty[i], shipped[i]});
  return out;
}

std::vector<domain::OrderId> ordersInTote(store::Tx& tx, const std::string& tote) {
  std::vector<Poco::Int64> ids;
  store::sessionOf(tx)
      << "SELECT DISTINCT order_id FROM picked_units WHERE tote = ? AND qty > shipped ORDER BY "
         "order_id",
      bind(tote), into(ids), now;
  return {ids.begin(), ids.end()};
}


std::vector<CartonRecord> cartons(store::Tx& tx, domain::OrderId orderId, std::int64_t shipmentId) {
  auto& s = store::sessionOf(tx);
  std::vector<Poco::Int64> numbers, weights, estimated, shipments;
  std::vector<std::string> ids, types, ssccs, tracking;
  s << "SELECT carton_no, carton_id, carton_type, weight_g, estimated_weight_g, shipment_id, sscc, "
       "tracking_number "
       "FROM cartons WHERE order_id = ? AND (? = 0 OR shipment_id = ?) ORDER BY carton_no",
      bind(i64(orderId)), bind(i64(shipmentId)), bind(i64(shipmentId)), into(numbers), into(ids), into(types),
      into(weights), into(estimated), into(shipments), into(ssccs), into(tracking), now;
  std::vector<CartonRecord> out;
  std::map<int, std::size_t> index;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    CartonRecord c;
    c.number = static_cast<int>(numbers[i]);
    c.cartonId = ids[i];
    c.cartonType = types[i];
    c.weightG = weights[i];
    c.estimatedWeightG = estimated[i];
    c.shipmentId = shipments[i];
    c.sscc = ssccs[i];
    c.trackingNumber = tracking[i];
    index[c.number] = out.size();
    out.push_back(std::move(c));
  }
  if (out.empty()) return out;
  std::vector<Poco::Int64> cartonNos, lines, qty;
  std::vector<std::string> skus;
  s << "SELECT carton_no, line_no, sku, qty FROM carton_items WHERE order_id = ? ORDER BY carton_no, rowid",
      bind(i64(orderId)), into(cartonNos), into(lines), into(skus), into(qty), now;
  for (std::size_t i = 0; i < cartonNos.size(); ++i) {
    auto it = index.find(static_cast<int>(cartonNos[i]));
    if (it == index.end()) continue;
    out[it->second].items.push_back({static_cast<int>(lines[i]), skus[i], qty[i]});
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
  std::vector<std::string> json;
  store::sessionOf(tx) << "SELECT label_json FROM cartons WHERE shipment_id = ? AND carton_no = ?",
      bind(i64(shipmentId)), bind(i64(number)), into(json), now;
  if (json.empty() || json[0].empty()) return std::nullopt;
  return json[0];
}

std::optional<ShipmentRow> shipment(store::Tx& tx, std::int64_t id) {
  auto rows = selectShipments(tx, "id = ?", i64(id));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<ShipmentRow> shipmentsOf(store::Tx& tx, domain::OrderId orderId) {
  return selectShipments(tx, "order_id = ?", i64(orderId));
}

std::int64_t insertShipment(store::Tx& tx, const ShipmentRow& r) {
  Poco::Int64 id = 0;
  store::writeSessionOf(tx) << "INSERT INTO shipments(order_id, state, carrier, carrier_name, service, "
                               "tracking_number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      bind(i64(r.orderId)), bind(std::string(toString(r.state))), bind(r.carrier), bind(r.carrierName),
      bind(r.service), bind(r.trackingNumber), bind(i64(tx.nowMs())), into(id), now;
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
  std::vector<Poco::Int64> lines, qty, released, left;
  std::vector<std::string> skus;
  store::sessionOf(tx)
      << "SELECT line_no, sku, qty, released, left_in_tote FROM shipped_lines WHERE shipment_id = ? "
         "ORDER BY line_no",
      bind(i64(shipmentId)), into(lines), into(skus), into(qty), into(released), into(left), now;
  std::vector<ShippedLine> out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out.push_back({static_cast<int>(lines[i]), skus[i], "", qty[i], released[i], left[i]});
  return out;
}

void endOpenSessions(store::Tx& tx, domain::OrderId orderId, const std::string& state) {
  store::exec(tx, "UPDATE pack_sessions SET state = ?, updated_at = ? WHERE order_id = ? AND state = 'open'",
              state, tx.nowMs(), orderId);
}

}  // namespace wms::packing::rows
