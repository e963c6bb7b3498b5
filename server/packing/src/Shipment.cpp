// Booking a packed order's shipment and making its labels.
#include <algorithm>

#include "Rows.h"
#include "wms/packing/Shipping.h"
#include "wms/packing/Tracking.h"
#include "wms/store/OrderRepository.h"

namespace wms::packing {
namespace {

Error conflict(std::string message) {
  return Error{ErrorKind::Conflict, std::move(message)};
}
std::string n(std::int64_t v) {
  return std::to_string(v);
}

labels::Address labelAddress(const domain::Address& a) {
  labels::Address out;
  out.name = a.name;
  out.company = a.company;
  out.line1 = a.line1;
  out.line2 = a.line2;
  out.city = a.city;
  out.region = a.region;
  out.postalCode = a.postalCode;
  out.country = a.country;
  out.phone = a.phone;
  return out;
}

// At most `max` code points of valid UTF-8 (an id kept whole in the order
// may be longer than the label's field).
std::string clip(const std::string& s, std::size_t max) {
  std::size_t chars = 0, i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    if (chars == max) return s.substr(0, i);
    ++chars;
    i += len;
  }
  return s;
}

bool trackingUsable(const std::string& t) {
  return !t.empty() && t.size() <= labels::kMaxTrackingChars && std::all_of(t.begin(), t.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

struct ShippingService::Prepared {
  std::optional<ShipmentView> existing;  // the order already has a shipment: nothing to book
  Carrier* carrier = nullptr;
  ShipmentRequest request;
  std::vector<CartonRecord> cartons;
};

Result<ShippingService::Prepared> ShippingService::prepareShipment(store::Tx& tx, domain::OrderId id) {
  store::OrderRepository orders(tx);
  auto order = orders.find(id);
  if (!order) return Error{ErrorKind::NotFound, "no order " + n(id)};
  Prepared p;
  auto shipments = rows::shipmentsOf(tx, id);
  // A booked shipment is reused (a second label request reprints); a
  // shipped one is shown unless the order is packed again for the rest.
  if (!shipments.empty() &&
      (shipments.back().state == ShipmentState::Booked || order->status != domain::OrderStatus::Packed)) {
    auto view = shipment(tx, shipments.back().id);
    if (!view) return view.error();
    p.existing = std::move(*view);
    return p;
  }
  if (order->status != domain::OrderStatus::Packed)
    return conflict("order " + n(id) + " is " + domain::toString(order->status) +
                    ": only a packed order ships");

  p.cartons.clear();
  for (auto& c : rows::cartons(tx, id)) {
    if (c.shipmentId == 0) p.cartons.push_back(std::move(c));
  }
  if (p.cartons.empty()) return conflict("order " + n(id) + " is packed but has no carton to ship");
  if (p.cartons.size() > 999) return conflict("order " + n(id) + " has more than 999 cartons");

  auto carrier = carrierFor(order->carrier);
  if (!carrier) return carrier.error();
  p.carrier = *carrier;

  auto& r = p.request;
  r.orderId = id;
  r.orderReference = orderReference(id);
  r.channel = order->channel;
  r.channelOrderId = clip(order->externalId, 64);
  r.serviceLevel = order->serviceLevel;
  r.shipFrom = config_.shipFrom;
  r.shipTo = labelAddress(order->shipTo);
  r.email = order->shipTo.email;
  if (order->serviceLevel == domain::ServiceLevel::StorePickup) {
    // Collected at the store: the parcel goes to the store's own address.
    auto& to = r.shipTo;
    if (to.line1.empty()) to.line1 = config_.shipFrom.line1;
    if (to.city.empty()) to.city = config_.shipFrom.city;
    if (to.postalCode.empty()) to.postalCode = config_.shipFrom.postalCode;
    if (to.country.empty()) to.country = config_.shipFrom.country;
  }

  // The label must be printable before anything is booked: a missing
  // address field stops here with its name, and nothing is booked.
  labels::ShippingLabel probe;
  probe.shipFrom = r.shipFrom;
  probe.shipTo = r.shipTo;
  probe.orderReference = r.orderReference;
  probe.channel = r.channel;
  probe.channelOrderId = r.channelOrderId;
  probe.carrier = "carrier";
  probe.service = "service";
  probe.trackingNumber = "0";
  probe.weightGrams = 1;
  probe.cartonNumber = 1;
  probe.cartonCount = static_cast<int>(p.cartons.size());
  probe.sscc = "000000000000000000";
  if (auto st = labels::validateLabel(probe); !st) {
    std::string message = "order " + n(id) + " cannot be labelled: " + st.error().message;
    if (st.error().message.rfind("ship_from", 0) == 0)
      message += " (set packing.ship_from.* in the server's config)";
    return Error{ErrorKind::Invalid, message};
  }

  // SSCCs are ours, not the carrier's: assigned once per carton and kept,
  // so a booking that is retried labels the same cartons the same way.
  TxSerialSource serials(tx);
  const std::string sequence = "sscc." + n(config_.ssccExtension) + "." + config_.gs1CompanyPrefix;
  for (auto& c : p.cartons) {
    if (c.sscc.empty()) {
      auto serial = serials.next(sequence, maxSsccSerial(config_.gs1CompanyPrefix));
      if (!serial) return serial.error();
      auto sscc = makeSscc(config_.ssccExtension, config_.gs1CompanyPrefix, *serial);
      if (!sscc) return sscc.error();
      c.sscc = *sscc;
      rows::setCartonSscc(tx, id, c.number, c.sscc);
    }
    Parcel parcel;
    parcel.cartonNumber = static_cast<int>(r.parcels.size()) + 1;
    parcel.cartonType = c.cartonType;
    if (const CartonType* t = config_.cartons.find(c.cartonType)) parcel.dims = t->inner;
    parcel.weightG = c.labelWeightG();
    parcel.sscc = c.sscc;
    r.parcels.push_back(std::move(parcel));
  }
  return p;
}

Result<ShipmentView> ShippingService::recordShipment(store::Tx& tx, const Prepared& p, const Booking& b) {
  const std::string who = "carrier " + p.carrier->code();
  if (b.parcels.size() != p.request.parcels.size())
    return Error{ErrorKind::Internal, who + " booked " + n(static_cast<std::int64_t>(b.parcels.size())) +
                                          " parcels for " +
                                          n(static_cast<std::int64_t>(p.request.parcels.size()))};
  if (b.carrierName.empty() || b.carrierName.size() > 64 || b.service.empty() || b.service.size() > 64)
    return Error{ErrorKind::Internal, who + " answered without a usable carrier name or service"};
  for (const auto& parcel : b.parcels) {
    if (!trackingUsable(parcel.trackingNumber))
      return Error{ErrorKind::Internal,
                   who + " answered an unusable tracking number '" + clip(parcel.trackingNumber, 40) + "'"};
  }

  rows::ShipmentRow row;
  row.orderId = p.request.orderId;
  row.state = ShipmentState::Booked;
  row.carrier = p.carrier->code();
  row.carrierName = b.carrierName;
  row.service = b.service;
  row.trackingNumber = b.trackingNumber.empty() ? b.parcels.front().trackingNumber : b.trackingNumber;
  const std::int64_t shipmentId = rows::insertShipment(tx, row);

  for (std::size_t i = 0; i < p.cartons.size(); ++i) {
    const auto& c = p.cartons[i];
    const auto& parcel = b.parcels[i];
    labels::ShippingLabel l;
    l.shipFrom = p.request.shipFrom;
    l.shipTo = p.request.shipTo;
    l.orderReference = p.request.orderReference;
    l.channel = p.request.channel;
    l.channelOrderId = p.request.channelOrderId;
    l.carrier = b.carrierName;
    l.service = b.service;
    l.trackingNumber = parcel.trackingNumber;
    l.weightGrams = c.labelWeightG();
    l.cartonNumber = static_cast<int>(i) + 1;  // n of m within this shipment
    l.cartonCount = static_cast<int>(p.cartons.size());
    l.sscc = c.sscc;
    if (auto st = labels::validateLabel(l); !st)
      return Error{ErrorKind::Internal,
                   "label of carton " + n(c.number) + " is not valid: " + st.error().message};
    rows::setCartonBooking(tx, p.request.orderId, c.number, shipmentId, parcel.trackingNumber,
                           labels::labelToJson(l));
  }
  return shipment(tx, shipmentId);
}

Result<ShipmentView> ShippingService::createShipment(store::Tx& tx, domain::OrderId id) {
  auto p = prepareShipment(tx, id);
  if (!p) return p.error();
  if (p->existing) return *p->existing;
  if (p->carrier->remote())
    return conflict("carrier " + p->carrier->code() +
                    " books over the network: create the shipment outside a transaction");
  TxSerialSource serials(tx);
  auto booking = p->carrier->book(p->request, serials);
  if (!booking) return booking.error();
  return recordShipment(tx, *p, *booking);
}

Result<ShipmentView> ShippingService::createShipment(domain::OrderId id) {
  Result<ShipmentView> out = Error{ErrorKind::Internal, "not run"};
  std::optional<Prepared> remote;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    auto p = prepareShipment(tx, id);
    if (!p) {
      out = p.error();
      return p.error();
    }
    if (p->existing) {
      out = *p->existing;
      return {};
    }
    if (p->carrier->remote()) {
      remote = std::move(*p);  // its SSCCs commit now; the booking follows outside
      return {};
    }
    TxSerialSource serials(tx);
    auto booking = p->carrier->book(p->request, serials);
    if (!booking) {
      out = booking.error();
      return booking.error();
    }
    out = recordShipment(tx, *p, *booking);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  if (!remote) return out;

  DatabaseSerialSource serials(db_);
  auto booking = remote->carrier->book(remote->request, serials);
  if (!booking) return booking.error();
  st = db_.write([&](store::Tx& tx) -> Status {
    // Another request may have booked the order meanwhile: keep that one.
    auto again = prepareShipment(tx, id);
    if (!again) {
      out = again.error();
      return again.error();
    }
    if (again->existing) {
      out = *again->existing;
      return {};
    }
    out = recordShipment(tx, *remote, *booking);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace wms::packing
