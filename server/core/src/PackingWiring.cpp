#include "PackingWiring.h"

#include <Poco/Logger.h>

#include <set>

#include "wms/domain/Csv.h"
#include "wms/protocol/Codec.h"
#include "wms/store/DeviceRepository.h"

namespace wms::server {
namespace {

Poco::Logger& log() { return Poco::Logger::get("wmsd.packing"); }

Result<domain::OrderId> orderOf(packing::ShippingService& shipping, store::Tx& tx, const std::string& code) {
  return shipping.findOrder(tx, code);
}

// Our line id on the wire: the order reference and the line number as in
// the pack task ("SO-42-1"), or the bare line number as in a task.assign's
// puts ("1"). An id of another order's reference names no line of this one.
std::optional<int> lineNoOf(const std::string& lineId, const std::string& reference) {
  std::string_view number = lineId;
  const std::string prefix = reference + "-";
  if (number.substr(0, prefix.size()) == prefix) number.remove_prefix(prefix.size());
  auto n = domain::parseInt64(number);
  if (!n || *n <= 0 || *n > 100000) return std::nullopt;
  return static_cast<int>(*n);
}

}  // namespace

void ShipmentStockEvents::shippedInTx(store::Tx& tx, const packing::ShipResult& result) {
  if (waves_) waves_->orderShippedInTx(tx, result.orderId);
  if (!hub_) return;
  channels::ShippedNotice notice;
  notice.channel = result.channel;
  notice.externalId = result.externalId;
  notice.orderId = result.orderId;
  notice.shipmentId = result.shipmentId;
  notice.carrierCode = result.carrier;
  notice.carrierName = result.carrierName;
  notice.service = result.service;
  notice.trackingNumber = result.trackingNumber;
  notice.parcelTrackingNumbers = result.parcelTrackingNumbers;
  notice.shippedAtMs = result.shippedAtMs;
  for (const auto& l : result.lines) {
    if (l.shipped > 0) notice.lines.push_back({l.externalLineId, l.sku, l.shipped});
  }
  hub_->orderShippedInTx(tx, notice);
}

void ShipmentStockEvents::committed(const packing::ShipResult& result) {
  // The pushers are woken once: a shipment changes stock, and the
  // stock-changed hook's commit wakes them for the figures and the notice
  // alike. Only a shipment that changed no figure needs its own wake.
  stock_.committed(result.changedSkus);
  if (hub_ && result.changedSkus.empty()) hub_->shippedCommitted();
}

void registerPackingHandlers(DeviceGateway& gateway, packing::ShippingService& shipping,
                             packing::StationScans& stationScans, packing::LabelPrinting* printing) {
  // A wedge read at a packing station waits for the station's page, which
  // takes it as if typed (packing::StationScans). The bridge is the
  // station's own account and signs nobody in: the page's packer is who
  // acts on the read.
  gateway.handle<protocol::StationScan>([&stationScans](store::Tx& tx, const DeviceContext& ctx,
                                                        const protocol::StationScan& msg, Replies&) -> Status {
    return stationScans.recordInTx(tx, {msg.station, ctx.device, msg.barcode, msg.symbology.value_or(""), msg.ts});
  });

  gateway.handle<protocol::PackRequest>([&shipping](store::Tx& tx, const DeviceContext& ctx, const protocol::PackRequest& msg,
                                             Replies& replies) -> Status {
    const std::string code = msg.tote ? *msg.tote : msg.orderId.value_or("");
    // The station the packer scanned at binds the device to it: its labels
    // print there, its packs count there, and supervisors see it there.
    if (msg.station && *msg.station != ctx.station) store::DeviceRepository(tx).setStation(ctx.device, *msg.station);
    auto id = orderOf(shipping, tx, code);
    if (!id) return id.error();
    auto task = shipping.packTask(tx, *id);
    if (!task) return task.error();
    protocol::PackTask out;
    out.device = ctx.device;
    out.ts = tx.nowMs();
    out.orderId = std::to_string(task->orderId);
    out.channel = domain::toString(task->channel);
    if (!task->totes.empty()) out.tote = task->totes.front();
    if (!task->suggestion.cartons.empty()) out.carton = task->suggestion.cartons.front().cartonType;
    for (const auto& l : task->lines) {
      if (l.toPack <= 0) continue;
      protocol::PackLine line;
      line.lineId = task->reference + "-" + std::to_string(l.lineNo);
      line.sku = l.sku;
      line.description = protocol::fitText(l.description.empty() ? l.sku : l.description);
      for (const auto& b : l.barcodes)
        if (line.barcodes.size() < protocol::kMaxBarcodes) line.barcodes.push_back(b);
      if (line.barcodes.empty()) line.barcodes.push_back(l.sku);
      line.qty = static_cast<int>(l.toPack);
      out.lines.push_back(std::move(line));
    }
    if (out.lines.empty()) return Error{ErrorKind::Conflict, "order " + out.orderId + " has nothing left to pack"};
    replies.send(std::move(out));
    return {};
  });

  gateway.handle<protocol::PackConfirm>([&shipping](store::Tx& tx, const DeviceContext& ctx, const protocol::PackConfirm& msg,
                                             Replies&) -> Status {
    auto id = orderOf(shipping, tx, msg.orderId);
    if (!id) return id.error();
    std::vector<packing::PackedCarton> cartons;
    for (const auto& c : msg.cartons) {
      packing::PackedCarton carton;
      carton.cartonId = c.cartonId;
      carton.cartonType = c.cartonType;
      if (c.weightGrams) carton.weightG = *c.weightGrams;
      for (const auto& item : c.items) carton.items.push_back({0, item.sku, item.qty});
      cartons.push_back(std::move(carton));
    }
    auto packed = shipping.packOrder(tx, *id, cartons, ctx.station);
    if (!packed) return packed.error();
    return {};
  });

  gateway.handle<protocol::PackShort>([&shipping](store::Tx& tx, const DeviceContext& ctx, const protocol::PackShort& msg,
                                           Replies& replies) -> Status {
    auto id = orderOf(shipping, tx, msg.orderId);
    if (!id) return id.error();
    packing::PackShortReport report;
    report.orderId = *id;
    report.station = ctx.station;
    report.note = msg.note.value_or("");
    report.who = stock::Actor::device(ctx.device + (ctx.badge.empty() ? std::string() : "/" + ctx.badge));
    for (const auto& l : msg.lines) {
      auto lineNo = lineNoOf(l.lineId, shipping.orderReference(*id));
      if (!lineNo)
        return Error{ErrorKind::Invalid, "line id '" + l.lineId + "' names no line of " + shipping.orderReference(*id)};
      report.lines.push_back({*lineNo, l.sku, l.qty,
                              l.reason == protocol::PackShortReason::Missing ? packing::PackShortReason::Missing
                                                                             : packing::PackShortReason::Damaged});
    }
    auto result = shipping.reportShort(tx, report);
    if (!result) return result.error();
    replies.afterCommit([&shipping, done = *result] { shipping.shortCommitted(done); });
    return {};
  });

  gateway.handle<protocol::LabelRequest>([&shipping, printing](store::Tx& tx, const DeviceContext& ctx,
                                                        const protocol::LabelRequest& msg, Replies& replies) -> Status {
    auto id = orderOf(shipping, tx, msg.orderId);
    if (!id) return id.error();
    auto existing = shipping.shipmentOfOrder(tx, *id);
    if (!existing) return existing.error();
    auto shipment = *existing ? Result<packing::ShipmentView>(**existing) : shipping.createShipment(tx, *id);
    if (!shipment) return shipment.error();
    protocol::LabelReady ready;
    ready.device = ctx.device;
    ready.ts = tx.nowMs();
    ready.orderId = std::to_string(*id);
    ready.shipmentId = std::to_string(shipment->id);
    ready.carrier = shipment->carrier;
    ready.tracking = shipment->trackingNumber;
    // The device's station chooses the printer; a device bound to none is
    // its own station (packing.station.<device>.printer, else the default).
    const std::string station = ctx.station.empty() ? ctx.device : ctx.station;
    std::string printerId;
    if (printing) {
      auto p = printing->printerFor(station, msg.printer.value_or(""));
      if (!p) return p.error();
      printerId = *p;
      ready.printer = printerId;
    } else {
      ready.url = "/api/v1/packing/shipments/" + std::to_string(shipment->id);
    }
    replies.send(ready);
    if (printing) {
      // Printing opens transactions of its own, so it waits for this commit.
      const auto shipmentId = shipment->id;
      replies.afterCommit([printing, shipmentId, station, printerId] {
        auto jobs = printing->printShipment(shipmentId, station, printerId);
        if (!jobs) log().warning("printing shipment %Ld failed: %s", static_cast<Poco::Int64>(shipmentId), jobs.error().message);
      });
    }
    return {};
  });

  gateway.handle<protocol::ShipConfirm>([&shipping](store::Tx& tx, const DeviceContext& ctx, const protocol::ShipConfirm& msg,
                                             Replies& replies) -> Status {
    auto id = orderOf(shipping, tx, msg.orderId);
    if (!id) return id.error();
    packing::ShipConfirmation confirmation;
    confirmation.orderId = *id;
    const std::string reference = shipping.orderReference(*id);
    // The ids the label.ready gave: a shipment id that is not one is refused,
    // not read as "the order's shipment".
    const auto shipmentId = domain::parseInt64(msg.shipmentId);
    if (!shipmentId || *shipmentId <= 0)
      return Error{ErrorKind::Invalid, "shipment_id '" + msg.shipmentId + "' names no shipment (label.ready gives it)"};
    confirmation.shipmentId = *shipmentId;
    std::set<std::string> cartons;
    for (const auto& c : shipping.cartonsOf(tx, *id)) cartons.insert(c.cartonId);
    for (const auto& c : msg.cartons)
      if (!cartons.count(c)) return Error{ErrorKind::Invalid, "carton '" + c + "' is not one of " + reference + "'s cartons"};
    for (const auto& l : msg.lines) {
      auto lineNo = lineNoOf(l.lineId, reference);
      if (!lineNo) return Error{ErrorKind::Invalid, "line id '" + l.lineId + "' names no line of " + reference};
      confirmation.lines.push_back({*lineNo, l.qty});
    }
    confirmation.idempotencyKey = ctx.device + ":" + msg.eventId;
    confirmation.who = stock::Actor::device(ctx.device + (ctx.badge.empty() ? std::string() : "/" + ctx.badge));
    auto result = shipping.confirmShipment(tx, confirmation);
    if (!result) return result.error();
    if (!result->duplicate) {
      auto shipped = *result;
      replies.afterCommit([&shipping, shipped] { shipping.shipped(shipped); });
    }
    return {};
  });
}

}  // namespace wms::server
