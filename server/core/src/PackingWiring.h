// Internal: the packing library (wms::packing) inside wmsd: shipments feed
// the stock sync, and handhelds in pack mode talk to it over MQTT
// (pack.request -> pack.task, pack.confirm, label.request -> label.ready,
// ship.confirm).
#pragma once

#include "wms/channels/ChannelHub.h"
#include "wms/packing/PrintJobs.h"
#include "wms/packing/Shipping.h"
#include "wms/packing/StationScans.h"
#include "wms/server/DeviceGateway.h"
#include "wms/stock/Events.h"
#include "wms/server/WaveService.h"

namespace wms::server {

// What a shipment means beyond its stock moves (which fire the stock hook
// themselves): once the hub is attached, the channel is told the order
// shipped (its fulfilment notice is recorded in the same transaction); once
// the waves are attached, the totes the shipment emptied go back to the
// pool. After the commit the stock listeners and the pushers are woken.
class ShipmentStockEvents final : public packing::ShipmentEvents {
 public:
  explicit ShipmentStockEvents(const stock::StockEvents& stock) : stock_(stock) {}
  // Before the first shipment; the hub and the waves must outlive this object.
  void attach(channels::ChannelHub* hub) { hub_ = hub; }
  void attach(WaveService* waves) { waves_ = waves; }
  void shippedInTx(store::Tx& tx, const packing::ShipResult& result) override;
  void committed(const packing::ShipResult& result) override;

 private:
  const stock::StockEvents& stock_;
  channels::ChannelHub* hub_ = nullptr;
  WaveService* waves_ = nullptr;
};

// Registers the pack-mode event handlers with the gateway, and that of the
// packing stations' wedge reads (station.scan, kept in `stationScans` for
// the station's page). `printing` may be null (no printers configured):
// labels are then booked but not printed.
void registerPackingHandlers(DeviceGateway& gateway, packing::ShippingService& shipping,
                             packing::StationScans& stationScans, packing::LabelPrinting* printing);

}  // namespace wms::server
