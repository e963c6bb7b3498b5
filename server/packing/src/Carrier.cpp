#include "wms/packing/Carrier.h"

#include <stdexcept>

#include "wms/packing/Tracking.h"
#include "wms/store/Query.h"

namespace wms::packing {

Result<std::int64_t> TxSerialSource::next(const std::string& sequence, std::int64_t max) {
  // One statement: insert the first value or add one, and read it back.
  std::int64_t value = 0;
  store::Query q(tx_,
                 "INSERT INTO packing_sequences(name, value) VALUES (?, 1) "
                 "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value");
  q.bind(sequence);
  if (q.step()) {
    value = q.integer(0);
    q.run();  // finish the statement: RETURNING completes the insert on the last step
  }
  if (value > max)
    return Error{ErrorKind::Conflict,
                 "sequence " + sequence + " is used up (" + std::to_string(max) + " values)"};
  return value;
}

Result<std::int64_t> DatabaseSerialSource::next(const std::string& sequence, std::int64_t max) {
  std::int64_t value = 0;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    TxSerialSource inner(tx);
    auto v = inner.next(sequence, max);
    if (!v) return v.error();
    value = *v;
    return {};
  });
  if (!st) return st.error();
  return value;
}

BuiltInCarrier::BuiltInCarrier(BuiltInCarrierOptions options) : options_(std::move(options)) {
  if (options_.code.empty() || options_.name.empty())
    throw std::invalid_argument("BuiltInCarrier: code and name are required");
  if (!makeS10(options_.serviceIndicator, 0, options_.country))
    throw std::invalid_argument("BuiltInCarrier: service indicator and country must be two capital letters");
}

Result<Booking> BuiltInCarrier::book(const ShipmentRequest& request, SerialSource& serials) {
  if (request.parcels.empty() || request.parcels.size() > 999)
    return Error{ErrorKind::Invalid,
                 "a shipment has 1..999 parcels, got " + std::to_string(request.parcels.size())};
  Booking b;
  b.carrier = options_.code;
  b.carrierName = options_.name;
  switch (request.serviceLevel) {
    case domain::ServiceLevel::Express:
      b.service = "Express";
      break;
    case domain::ServiceLevel::StorePickup:
      b.service = "Store pickup";
      break;
    case domain::ServiceLevel::Standard:
      b.service = "Standard";
      break;
  }
  const std::string sequence = "s10." + options_.serviceIndicator + "." + options_.country;
  for (const auto& p : request.parcels) {
    auto serial = serials.next(sequence, 99'999'999);
    if (!serial) return serial.error();
    auto tracking = makeS10(options_.serviceIndicator, *serial, options_.country);
    if (!tracking) return tracking.error();
    b.parcels.push_back({p.cartonNumber, *tracking, std::nullopt});
  }
  b.trackingNumber = b.parcels.front().trackingNumber;
  return b;
}

}  // namespace wms::packing
