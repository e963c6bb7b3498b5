// The ship confirmation: the one place where packed units leave the stock.
#include <algorithm>
#include <map>
#include <set>

#include "Rows.h"
#include "wms/domain/Ids.h"
#include "wms/packing/Schema.h"
#include "wms/packing/Shipping.h"
#include "wms/store/CrashPoint.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/OrderRepository.h"
#include "wms/stock/Moves.h"
#include "wms/store/StockRepository.h"

namespace wms::packing {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}
Error conflict(std::string message) {
  return Error{ErrorKind::Conflict, std::move(message)};
}
std::string n(std::int64_t v) {
  return std::to_string(v);
}

// Keys live in the store's idempotency table beside other components'.
std::string idempotencyKeyOf(const std::string& key) {
  return "packing.ship:" + key;
}

Status checkKey(const std::string& key) {
  if (key.empty()) return invalid("idempotency key is required");
  if (key.size() > 128 || !std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c < 0x7F; }))
    return invalid("idempotency key must be 1..128 printable ASCII characters");
  return {};
}

}  // namespace

void ShippingService::shipped(const ShipResult& result) {
  if (!result.duplicate) events_.committed(result);
}

Result<ShipResult> ShippingService::confirmShipment(store::Tx& tx, const ShipConfirmation& c) {
  if (auto st = checkKey(c.idempotencyKey); !st) return st.error();
  store::OrderRepository orders(tx);
  store::IdempotencyRepository keys(tx);

  // The stored answer of an earlier confirmation: the shipment's rows.
  auto answer = [&](const rows::ShipmentRow& s, const domain::Order& order) {
    ShipResult r;
    r.orderId = s.orderId;
    r.shipmentId = s.id;
    r.duplicate = true;
    r.orderStatus = order.status;
    r.channel = order.channel;
    r.externalId = order.externalId;
    r.carrier = s.carrier;
    r.carrierName = s.carrierName;
    r.service = s.service;
    r.trackingNumber = s.trackingNumber;
    for (const auto& carton : rows::cartons(tx, s.orderId, s.id))
      r.parcelTrackingNumbers.push_back(carton.trackingNumber);
    r.lines = rows::shippedLines(tx, s.id);
    for (auto& l : r.lines) {
      for (const auto& ol : order.lines) {
        if (ol.lineNo == l.lineNo) l.externalLineId = ol.externalLineId;
      }
    }
    r.policy = s.releasePolicy == "keep" ? UnshippedPolicy::Keep : UnshippedPolicy::Release;
    r.shippedAtMs = s.shippedAtMs;
    return r;
  };

  if (auto stored = keys.find(idempotencyKeyOf(c.idempotencyKey))) {
    auto s = rows::shipment(tx, std::stoll(*stored));
    if (!s) return Error{ErrorKind::Internal, "idempotency key '" + c.idempotencyKey + "' names no shipment"};
    if (s->orderId != c.orderId)
      return conflict("idempotency key '" + c.idempotencyKey + "' was used for order " + n(s->orderId) +
                      ", not order " + n(c.orderId));
    auto order = orders.find(s->orderId);
    if (!order) return Error{ErrorKind::Internal, "shipment " + n(s->id) + " names no order"};
    return answer(*s, *order);
  }

  auto order = orders.find(c.orderId);
  if (!order) return Error{ErrorKind::NotFound, "no order " + n(c.orderId)};
  auto shipments = rows::shipmentsOf(tx, c.orderId);

  // Which shipment: the one named, or the order's booked one.
  std::optional<rows::ShipmentRow> target;
  if (c.shipmentId != 0) {
    for (const auto& s : shipments) {
      if (s.id == c.shipmentId) target = s;
    }
    if (!target)
      return Error{ErrorKind::NotFound, "order " + n(c.orderId) + " has no shipment " + n(c.shipmentId)};
    if (target->state == ShipmentState::Shipped) return answer(*target, *order);
  } else {
    for (const auto& s : shipments) {
      if (s.state == ShipmentState::Booked) target = s;
    }
    if (!target && order->status == domain::OrderStatus::Shipped && !shipments.empty())
      return answer(shipments.back(), *order);
  }
  if (order->status != domain::OrderStatus::Packed)
    return conflict("order " + n(c.orderId) + " is " + domain::toString(order->status) +
                    ": only a packed order can ship");
  if (!target) return conflict("order " + n(c.orderId) + " has no booked shipment: print its label first");

  // What the shipment's cartons hold, per line.
  std::map<int, std::int64_t> packed;
  for (const auto& carton : rows::cartons(tx, c.orderId, target->id)) {
    for (const auto& item : carton.items) packed[item.lineNo] += item.qty;
  }
  std::map<int, domain::OrderLine*> lineByNo;
  for (auto& l : order->lines) lineByNo[l.lineNo] = &l;

  std::map<int, std::int64_t> ship;  // by line
  if (c.lines.empty()) {
    ship = packed;
  } else {
    if (c.lines.size() > 1000) return invalid("lines: at most 1000 lines");
    for (std::size_t i = 0; i < c.lines.size(); ++i) {
      const auto& l = c.lines[i];
      const std::string at = "lines[" + n(static_cast<std::int64_t>(i)) + "]";
      auto it = lineByNo.find(l.lineNo);
      if (it == lineByNo.end())
        return invalid(at + ".line_no: order " + n(c.orderId) + " has no line " + n(l.lineNo));
      if (l.qty < 1 || l.qty > domain::kMaxQuantity)
        return invalid(at + ".qty must be 1.." + n(domain::kMaxQuantity) + ", got " + n(l.qty));
      if (ship.count(l.lineNo)) return invalid(at + ": line " + n(l.lineNo) + " is listed twice");
      if (l.qty > packed[l.lineNo])
        return invalid(at + ": line " + n(l.lineNo) + " (" + it->second->sku + "): " + n(l.qty) +
                       " cannot ship, only " + n(packed[l.lineNo]) + " packed");
      ship[l.lineNo] = l.qty;
    }
  }

  stock::Moves moves(tx, stockEvents_, c.who);
  const std::string reference = "order:" + n(c.orderId);
  const std::string note =
      "shipment " + n(target->id) + ", " + target->carrierName + " " + target->trackingNumber;
  std::set<std::string> changed;
  bool keyWritten = false;

  ShipResult r;
  r.orderId = c.orderId;
  r.shipmentId = target->id;
  r.channel = order->channel;
  r.externalId = order->externalId;
  r.carrier = target->carrier;
  r.carrierName = target->carrierName;
  r.service = target->service;
  r.trackingNumber = target->trackingNumber;
  r.policy = config_.unshipped;
  r.shippedAtMs = tx.nowMs();
  for (const auto& carton : rows::cartons(tx, c.orderId, target->id))
    r.parcelTrackingNumbers.push_back(carton.trackingNumber);

  // Out of the totes that hold each line's units (the stock core's ship
  // move); the shipment's key on its first ledger row.
  for (auto& [lineNo, qty] : ship) {
    if (qty <= 0) continue;
    stock::ShipFromTotes move{c.orderId, lineNo, qty, reference, keyWritten ? "" : c.idempotencyKey, note};
    if (auto st = moves.ship(*order, move); !st) return st.error();
    keyWritten = true;
    changed.insert(lineByNo[lineNo]->sku);
  }

  // What the order still holds.
  store::ExceptionRepository exceptions(tx);
  const auto picked = moves.pickedUnits(c.orderId);
  bool stillReserved = false;
  for (auto& line : order->lines) {
    ShippedLine sl;
    sl.lineNo = line.lineNo;
    sl.sku = line.sku;
    sl.externalLineId = line.externalLineId;
    sl.shipped = ship.count(line.lineNo) ? ship[line.lineNo] : 0;
    std::map<std::string, std::int64_t> leftByTote;
    for (const auto& row : picked) {
      if (row.lineNo == line.lineNo && row.qty > row.shipped) {
        sl.leftInTote += row.qty - row.shipped;
        leftByTote[row.tote] += row.qty - row.shipped;
      }
    }
    if (line.allocated > 0) {
      if (config_.unshipped == UnshippedPolicy::Release) {
        auto released = moves.releaseLine(*order, line.lineNo, line.allocated,
                                           "not shipped with shipment " + n(target->id));
        if (!released) return released.error();
        sl.released = *released;
        changed.insert(line.sku);
      } else {
        stillReserved = true;
      }
    }
    for (const auto& [tote, units] : leftByTote) {
      exceptions.raise("unshipped_units", reference + ":line:" + n(line.lineNo) + ":tote:" + tote,
                       n(units) + " unit(s) of " + line.sku + " picked for order " +
                           orderReference(c.orderId) + " did not ship and remain in tote " + tote +
                           ": put them away or ship them");
    }
    if (sl.shipped > 0 || sl.released > 0 || sl.leftInTote > 0 || packed.count(line.lineNo)) {
      rows::insertShippedLine(tx, target->id, sl);
      r.lines.push_back(std::move(sl));
    }
  }

  r.orderStatus = stillReserved ? domain::OrderStatus::Allocated : domain::OrderStatus::Shipped;
  orders.setStatus(c.orderId, r.orderStatus);
  rows::markShipped(tx, target->id, r.shippedAtMs, c.idempotencyKey, toString(config_.unshipped));
  if (auto st = keys.claim(idempotencyKeyOf(c.idempotencyKey), n(target->id)); !st) return st.error();
  store::crashPoint(tx, "ship");  // the chaos day's kill -9 inside a ship confirmation
  r.changedSkus.assign(changed.begin(), changed.end());
  events_.shippedInTx(tx, r);
  return r;
}

Result<ShipResult> ShippingService::confirmShipment(const ShipConfirmation& c) {
  Result<ShipResult> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    out = confirmShipment(tx, c);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  shipped(*out);
  return out;
}

}  // namespace wms::packing
