// Internal: reading and writing the packing tables inside a Tx. No rules
// here beyond what the tables hold; the services decide.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wms/domain/Order.h"
#include "wms/packing/Shipping.h"
#include "wms/store/Tx.h"

namespace wms::packing::rows {

// One picked_units row.
struct PickedRow {
  int lineNo = 0;
  std::string tote;
  std::string sku;
  std::string lot;
  std::string expiry;
  std::int64_t qty = 0;
  std::int64_t shipped = 0;
};

// The order's picked_units rows, by line, tote, lot, expiry.
std::vector<PickedRow> pickedUnits(store::Tx& tx, domain::OrderId orderId);
// Orders with unshipped picked units in a tote.
std::vector<domain::OrderId> ordersInTote(store::Tx& tx, const std::string& tote);

// Cartons of an order (all, or only those of one shipment when shipmentId > 0).
std::vector<CartonRecord> cartons(store::Tx& tx, domain::OrderId orderId, std::int64_t shipmentId = 0);
void insertCarton(store::Tx& tx, domain::OrderId orderId, const CartonRecord& carton);
void setCartonSscc(store::Tx& tx, domain::OrderId orderId, int number, const std::string& sscc);
void setCartonBooking(store::Tx& tx, domain::OrderId orderId, int number, std::int64_t shipmentId,
                      const std::string& tracking, const std::string& labelJson);
std::optional<std::string> cartonLabelJson(store::Tx& tx, std::int64_t shipmentId, int number);

struct ShipmentRow {
  std::int64_t id = 0;
  domain::OrderId orderId = 0;
  ShipmentState state = ShipmentState::Booked;
  std::string carrier;
  std::string carrierName;
  std::string service;
  std::string trackingNumber;
  std::int64_t createdAtMs = 0;
  std::int64_t shippedAtMs = 0;
  std::string confirmKey;
  std::string releasePolicy;
};

std::optional<ShipmentRow> shipment(store::Tx& tx, std::int64_t id);
// The order's shipments, oldest first.
std::vector<ShipmentRow> shipmentsOf(store::Tx& tx, domain::OrderId orderId);
std::int64_t insertShipment(store::Tx& tx, const ShipmentRow& row);
void markShipped(store::Tx& tx, std::int64_t id, std::int64_t atMs, const std::string& key,
                 const std::string& policy);

void insertShippedLine(store::Tx& tx, std::int64_t shipmentId, const ShippedLine& line);
std::vector<ShippedLine> shippedLines(store::Tx& tx, std::int64_t shipmentId);

// Open pack sessions of the order end as packed.
void endOpenSessions(store::Tx& tx, domain::OrderId orderId, const std::string& state);

}  // namespace wms::packing::rows
