// Carriers: who takes the parcels and gives them tracking numbers.
//
// A Carrier books one shipment (all cartons of an order) and answers with a
// tracking number per parcel. Real carriers (DHL, J&T, Ninja Van, Flash,
// Kerry...) implement it over their booking APIs; the built-in carrier
// assigns UPU S10 tracking numbers itself, from a sequence stored in the
// database, so the path from packing to shipped is real end to end without
// an outside service.
//
// Carriers that allot the shipper a range of numbers draw serials from the
// SerialSource given to book(); it hands out each value once, also across
// restarts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Catalog.h"
#include "wms/domain/Order.h"
#include "wms/labels/Label.h"
#include "wms/labels/Printer.h"
#include "wms/store/Database.h"
#include "wms/store/Tx.h"

namespace wms::packing {

// Named counters that only go up.
class SerialSource {
 public:
  virtual ~SerialSource() = default;
  // The next value (1, 2, ...) of the named sequence. Conflict if it would
  // exceed `max` (the range is used up); Unavailable if the store fails.
  virtual Result<std::int64_t> next(const std::string& sequence, std::int64_t max) = 0;
};

// Draws from packing_sequences inside a write transaction: the value
// commits (or rolls back) with the rest of the caller's work. Valid only
// inside the work function that received the Tx.
class TxSerialSource final : public SerialSource {
 public:
  explicit TxSerialSource(store::Tx& tx) : tx_(tx) {}
  Result<std::int64_t> next(const std::string& sequence, std::int64_t max) override;

 private:
  store::Tx& tx_;
};

// Draws from packing_sequences in a write transaction of its own (for
// bookings made outside a transaction). A value drawn for a booking that
// then fails is not reused. Thread-safe (Database::write). Must not be used
// inside a Database work function.
class DatabaseSerialSource final : public SerialSource {
 public:
  explicit DatabaseSerialSource(store::Database& db) : db_(db) {}
  Result<std::int64_t> next(const std::string& sequence, std::int64_t max) override;

 private:
  store::Database& db_;
};

// One carton of a shipment, as the carrier needs it.
struct Parcel {
  int cartonNumber = 0;  // 1..count
  std::string cartonType;
  domain::Dimensions dims;   // outer size if known (the carton's inner size otherwise)
  std::int64_t weightG = 0;  // >= 1
  std::string sscc;          // 18 digits
};

struct ShipmentRequest {
  domain::OrderId orderId = 0;
  std::string orderReference;  // printed on the label, e.g. "SO-42"
  domain::Channel channel = domain::Channel::Manual;
  std::string channelOrderId;
  domain::ServiceLevel serviceLevel = domain::ServiceLevel::Standard;
  labels::Address shipFrom;
  labels::Address shipTo;
  std::string email;
  std::vector<Parcel> parcels;  // 1..999
};

struct ParcelBooking {
  int cartonNumber = 0;
  std::string trackingNumber;  // 1..30 of [A-Za-z0-9-] (it is printed as Code 128)
  // The carrier's own label for the parcel, if it supplies one (then it is
  // printed instead of ours).
  std::optional<labels::PrintDocument> carrierLabel;
};

struct Booking {
  std::string carrier;                 // the carrier's code, e.g. "builtin"
  std::string carrierName;             // printed: "WMS Post"
  std::string service;                 // printed: "Standard", "Express"
  std::string trackingNumber;          // the shipment's (its first parcel's) number
  std::vector<ParcelBooking> parcels;  // one per parcel of the request, same order
};

class Carrier {
 public:
  virtual ~Carrier() = default;
  // The code orders name the carrier by (orders.carrier), e.g. "builtin".
  virtual std::string code() const = 0;
  // True if book() talks to an outside service: then it may block and must
  // not be called inside a Database work function.
  virtual bool remote() const = 0;
  // Books the shipment. Invalid if the request is unusable for this carrier
  // (the message names the field), Unavailable if the carrier cannot be
  // reached, Conflict if it refuses. A failed booking books nothing.
  virtual Result<Booking> book(const ShipmentRequest& request, SerialSource& serials) = 0;
};

struct BuiltInCarrierOptions {
  std::string code = "builtin";
  std::string name = "WMS Post";        // printed on the label
  std::string serviceIndicator = "CP";  // S10 letters (CA-CZ: parcels)
  std::string country = "TH";           // S10 country of the issuer
};

// Assigns one S10 tracking number per parcel from the sequence
// "s10.<indicator>.<country>" (serials 1..99,999,999). Local: never blocks.
class BuiltInCarrier final : public Carrier {
 public:
  // Throws std::invalid_argument for an indicator or country that is not two
  // capital letters, or an empty code or name (a misuse: config validates).
  explicit BuiltInCarrier(BuiltInCarrierOptions options = {});
  std::string code() const override { return options_.code; }
  bool remote() const override { return false; }
  Result<Booking> book(const ShipmentRequest& request, SerialSource& serials) override;

 private:
  BuiltInCarrierOptions options_;  // constant after construction
};

}  // namespace wms::packing
