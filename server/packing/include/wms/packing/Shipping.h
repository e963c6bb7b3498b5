// Packing and shipping over the store: find the order behind a scanned tote
// or order code, give its pack task, record what was packed into which
// carton, book the shipment with a carrier (tracking numbers, SSCCs, the
// shipping label of every carton), and confirm what shipped, which takes the
// units off the central stock exactly once.
//
// Every operation comes twice: taking a store::Tx (for wmsd's MQTT handlers,
// which run inside the write transaction that records the device event) and
// taking no Tx (for REST: each runs in a transaction of its own). The Tx
// forms must be given a write Tx where they change something, and are valid
// only inside that work function.
//
// confirmShipment, in one transaction: takes the shipped units out of the
// tote locations that hold the order's units (picked_units), off the SKUs'
// on-hand and allocated, writes `ship` ledger rows, raises the lines'
// shipped and lowers their allocated; then deals with what the order still
// holds per PackingConfig::unshipped (release, or keep reserved for a later
// wave), raises a supervisor exception for picked units left in a tote, and
// records the idempotency key. A confirmation with a key already used, or
// for a shipment or an order already shipped, changes nothing and returns
// the first answer with duplicate = true.
//
// Threading: a ShippingService may be used from any number of threads (all
// state is in the database; carriers must be thread-safe). The events
// listener's shippedInTx runs on the database's writer thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/labels/Label.h"
#include "wms/packing/Carrier.h"
#include "wms/packing/Cartons.h"
#include "wms/packing/PackingConfig.h"
#include "wms/packing/Verification.h"
#include "wms/stock/Moves.h"
#include "wms/store/Database.h"
#include "wms/store/Tx.h"

namespace wms::packing {

// ---- What the operations answer --------------------------------------------

struct PackTaskLine {
  int lineNo = 0;
  std::string sku;
  std::string description;
  std::string externalLineId;
  std::int64_t ordered = 0;
  std::int64_t picked = 0;
  std::int64_t shortQty = 0;
  std::int64_t shipped = 0;
  std::int64_t toPack = 0;            // picked - shipped: what the packer must pack
  std::vector<std::string> barcodes;  // the SKU's barcodes as printed
  domain::Dimensions dims;
  std::int64_t weightG = 0;
};

struct PackTask {
  domain::OrderId orderId = 0;
  std::string reference;  // "SO-42" (config order_reference_prefix + id)
  domain::Channel channel = domain::Channel::Manual;
  std::string externalId;
  domain::OrderStatus status = domain::OrderStatus::Picked;
  domain::ServiceLevel serviceLevel = domain::ServiceLevel::Standard;
  std::string shipToName;
  std::string shipToCity;
  std::string shipToCountry;
  std::vector<std::string> totes;  // totes holding its unshipped units
  std::vector<PackTaskLine> lines;
  CartonSuggestion suggestion;  // for all units to pack (empty if none)

  // The lines as the pack verifier takes them.
  std::vector<VerifyLine> verifyLines() const;
};

// A packed carton as a packer or a handheld reports it.
struct PackedItem {
  int lineNo = 0;   // 0: by SKU (spread over the order's lines of that SKU, in line order)
  std::string sku;  // required when lineNo is 0; must match the line's SKU otherwise
  std::int64_t qty = 0;
};

struct PackedCarton {
  std::string cartonId;                 // unique within the order; "" = "C<n>"
  std::string cartonType;               // a code of the carton catalogue
  std::optional<std::int64_t> weightG;  // weighed gross weight, 1..1000000 g
  std::vector<PackedItem> items;        // 1..1000
};

struct CartonRecord {
  int number = 0;  // 1..count
  std::string cartonId;
  std::string cartonType;
  std::int64_t weightG = 0;           // weighed (0: not weighed)
  std::int64_t estimatedWeightG = 0;  // items + tare
  std::vector<CartonContent> items;
  std::int64_t shipmentId = 0;  // 0 until booked
  std::string sscc;             // 18 digits once booked
  std::string trackingNumber;   // once booked
  // The weight printed on the label: weighed, else estimated (at least 1 g).
  std::int64_t labelWeightG() const;
};

struct PackResult {
  domain::OrderId orderId = 0;
  std::vector<CartonRecord> cartons;
  std::vector<std::string> warnings;  // e.g. a carton over its weight limit (packed anyway)
};

enum class ShipmentState { Booked, Shipped };
const char* toString(ShipmentState state) noexcept;  // "booked", "shipped"

struct ShipmentView {
  std::int64_t id = 0;
  domain::OrderId orderId = 0;
  std::string orderReference;
  ShipmentState state = ShipmentState::Booked;
  std::string carrier;      // code
  std::string carrierName;  // printed name
  std::string service;
  std::string trackingNumber;
  std::int64_t createdAtMs = 0;
  std::int64_t shippedAtMs = 0;  // 0 until shipped
  std::vector<CartonRecord> cartons;
};

// An order packed and not yet shipped: what its packer still has to do.
struct UnshippedOrder {
  domain::OrderId orderId = 0;
  std::string orderReference;
  std::string station;                     // where it was packed ("" if not at a station session)
  std::int64_t packedAtMs = 0;             // when the order became packed
  std::int64_t waitingSeconds = 0;         // since then, by the server's clock
  std::optional<ShipmentView> shipment;    // its booked shipment (no cartons listed), if any
  std::string reason;                      // whyNotShipped
};

// Why units of a picked order cannot be packed.
enum class PackShortReason { Damaged, Missing };
const char* toString(PackShortReason reason) noexcept;  // "damaged", "missing"
std::optional<PackShortReason> packShortReasonFromString(std::string_view text) noexcept;

struct PackShortLine {
  int lineNo = 0;   // 0: by SKU (the first of the order's lines of that SKU with units to pack)
  std::string sku;  // required when lineNo is 0; must match the line's SKU otherwise
  std::int64_t qty = 0;
  PackShortReason reason = PackShortReason::Damaged;
};

// A packer found units of a picked order damaged or missing.
struct PackShortReport {
  domain::OrderId orderId = 0;
  std::vector<PackShortLine> lines;  // 1..1000, each line at most once
  std::string station;               // where ("" if not at a station)
  std::string note;                  // 0..200 characters, for the supervisor
  stock::Actor who = stock::Actor::integration("rest-api");
};

struct PackShortResult {
  domain::OrderId orderId = 0;
  std::string holdReason;                // what the order's hold says
  std::int64_t exceptionId = 0;          // the supervisor exception (kind pack_short)
  std::vector<std::string> changedSkus;  // for StockEvents::committed
};

// The hold of an order short at packing starts with this.
inline constexpr std::string_view kPackShortHold = "short at packing";

struct ShipLineQty {
  int lineNo = 0;
  std::int64_t qty = 0;  // 1..1000000
};

struct ShipConfirmation {
  domain::OrderId orderId = 0;
  std::int64_t shipmentId = 0;     // 0: the order's booked shipment
  std::vector<ShipLineQty> lines;  // empty: everything packed in the shipment
  std::string idempotencyKey;      // required: 1..128 printable ASCII characters
  // Who confirmed it (named in the ledger): a station's device, or the
  // caller the HTTP edge proved (a packer signed in, a token).
  stock::Actor who = stock::Actor::integration("rest-api");
};

struct ShippedLine {
  int lineNo = 0;
  std::string sku;
  std::string externalLineId;
  std::int64_t shipped = 0;     // by this confirmation
  std::int64_t released = 0;    // allocation freed by it (policy release)
  std::int64_t leftInTote = 0;  // picked units of the line still in a tote after it
};

struct ShipResult {
  domain::OrderId orderId = 0;
  std::int64_t shipmentId = 0;
  bool duplicate = false;  // this answer is the stored one; nothing changed now
  domain::OrderStatus orderStatus = domain::OrderStatus::Shipped;
  domain::Channel channel = domain::Channel::Manual;
  std::string externalId;  // the channel's order id
  std::string carrier;
  std::string carrierName;
  std::string service;
  std::string trackingNumber;
  std::vector<std::string> parcelTrackingNumbers;  // per carton, carton order
  std::vector<ShippedLine> lines;
  std::vector<std::string> changedSkus;  // SKUs whose on-hand or allocation changed (StockEvents::committed)
  UnshippedPolicy policy = UnshippedPolicy::Release;
  std::int64_t shippedAtMs = 0;
};

// Who hears that an order shipped: the channels (tell the marketplace, with
// the tracking number) and the waves (the totes it emptied). The stock sync
// hears of the units through the stock core's own hook.
// shippedInTx runs inside the confirming write transaction (record the
// notification durably with it: a transactional outbox); committed runs
// after the commit on the caller's thread. Neither runs for a duplicate.
class ShipmentEvents {
 public:
  virtual ~ShipmentEvents() = default;
  virtual void shippedInTx(store::Tx& tx, const ShipResult& result) = 0;
  virtual void committed(const ShipResult& result) = 0;
};

// Listens to nothing; for tools and tests.
class NoShipmentEvents final : public ShipmentEvents {
 public:
  void shippedInTx(store::Tx&, const ShipResult&) override {}
  void committed(const ShipResult&) override {}
};

class ShippingService {
 public:
  // `carriers` are not owned and must outlive the service; a built-in
  // carrier (config.builtInCarrier) is added unless one of them has its
  // code. Orders whose carrier field names no known carrier go with
  // config.defaultCarrier. `events` must outlive the service. Throws
  // std::invalid_argument if config.defaultCarrier is not among them.
  // The stock moves of shipping fire `stock` (the stock-changed hook).
  ShippingService(store::Database& db, PackingConfig config, const stock::StockEvents& stock, ShipmentEvents& events,
                  std::vector<Carrier*> carriers = {});
  ~ShippingService();
  ShippingService(const ShippingService&) = delete;
  ShippingService& operator=(const ShippingService&) = delete;

  const PackingConfig& config() const { return config_; }
  // "SO-42" for order 42.
  std::string orderReference(domain::OrderId id) const;

  // The order behind a scanned or typed code: a tote holding unshipped
  // picked units (its code, or its location "TOTE-..."), an order reference
  // ("SO-42"), an order id ("42") or a channel's order id. NotFound if none;
  // Conflict if the code is ambiguous (a tote with two orders' units).
  Result<domain::OrderId> findOrder(store::Tx& tx, std::string_view code);
  Result<domain::OrderId> findOrder(std::string_view code);

  // What to pack for an order that is picked (or, for display, packed or
  // shipped). NotFound for an unknown order; Conflict for an order not yet
  // picked ("order 42 is allocated: it is not picked yet").
  Result<PackTask> packTask(store::Tx& tx, domain::OrderId id);
  Result<PackTask> packTask(domain::OrderId id);

  // Records the cartons of a picked order and makes it packed. Every picked
  // unit must be in exactly one carton: more than a line's units to pack is
  // Invalid naming the line, fewer is Conflict listing the missing units by
  // line. Invalid for an unknown carton type, line or SKU, a bad quantity
  // or weight, duplicate carton ids. Conflict if the order is not picked.
  // Open pack sessions of the order end with it. `station`, for a pack
  // made without a session (a handheld bound to a station), records where
  // it was packed, so the station's list of what is not shipped has it.
  Result<PackResult> packOrder(store::Tx& tx, domain::OrderId id, const std::vector<PackedCarton>& cartons,
                               const std::string& station = {});
  Result<PackResult> packOrder(domain::OrderId id, const std::vector<PackedCarton>& cartons);

  // A short at packing (PackShortReport): the units leave the totes and
  // the stock (Moves::loseFromTotes: a damaged unit is written off as
  // damage, a missing one as an adjustment), the lines are short by them,
  // open pack sessions of the order end, and the order is held with a
  // supervisor exception (kind pack_short) instead of shipping less without
  // anyone deciding so. Errors (nothing changed): NotFound for an unknown
  // order; Conflict if it is not picked (packed already, held, cancelled)
  // or a line has fewer units to pack; Invalid for an unknown line or SKU,
  // a line named twice, a bad quantity or note.
  Result<PackShortResult> reportShort(store::Tx& tx, const PackShortReport& report);
  Result<PackShortResult> reportShort(const PackShortReport& report);
  // After the commit of the Tx form: the stock listeners hear of the SKUs.
  void shortCommitted(const PackShortResult& result);

  // The supervisor's answer to a short at packing: pack and ship what is
  // left. The order is picked again (its short lines ship less; the channel
  // is told what shipped) and the exception resolved. Conflict unless the
  // order is held by a short at packing (an order intercepted because its
  // channel cancelled it stays held); Conflict if nothing is left to pack
  // (cancel it instead).
  Result<PackTask> packWhatIsLeft(store::Tx& tx, domain::OrderId id, const std::string& who);
  Result<PackTask> packWhatIsLeft(domain::OrderId id, const std::string& who);

  // Books the packed order's shipment with its carrier: an SSCC and a
  // tracking number per carton, and each carton's shipping label (ship-from
  // from the config, ship-to from the order). If the order already has a
  // shipment, that one is returned and nothing is booked (asking again is
  // how a label is printed again). Invalid, before anything is booked, if an
  // address cannot go on a label ("ship_to.postal_code is required"; a
  // missing ship-from names its config key); Conflict if the order is not
  // packed. The Tx form refuses (Conflict) a carrier that books over the
  // network; the other form books it outside any transaction.
  Result<ShipmentView> createShipment(store::Tx& tx, domain::OrderId id);
  Result<ShipmentView> createShipment(domain::OrderId id);

  // See the top of this file. Errors (nothing changed): Invalid for a
  // missing key, an unknown line, a bad or repeated line, or a quantity
  // above what the shipment's cartons hold for the line ("line 1 (SKU-A):
  // 5 cannot ship, only 3 packed"); NotFound for an unknown order or
  // shipment; Conflict if the order is not packed or has no booked
  // shipment, or the key was used for another order. The Tx form calls
  // events.shippedInTx; its caller calls shipped(result) after the commit.
  Result<ShipResult> confirmShipment(store::Tx& tx, const ShipConfirmation& confirmation);
  Result<ShipResult> confirmShipment(const ShipConfirmation& confirmation);
  // events.committed for a result of the Tx form (nothing for a duplicate).
  void shipped(const ShipResult& result);

  // A shipment; NotFound if unknown.
  Result<ShipmentView> shipment(store::Tx& tx, std::int64_t shipmentId);
  Result<ShipmentView> shipment(std::int64_t shipmentId);
  // The order's latest shipment, if any. NotFound for an unknown order.
  Result<std::optional<ShipmentView>> shipmentOfOrder(store::Tx& tx, domain::OrderId id);
  Result<std::optional<ShipmentView>> shipmentOfOrder(domain::OrderId id);
  // The cartons of an order as packed (empty if not packed).
  std::vector<CartonRecord> cartonsOf(store::Tx& tx, domain::OrderId id);
  // Why a picked or packed order has not shipped, for a supervisor: a pack
  // session left open at a station, no station started it, a label that did
  // not print, a ship confirmation that has not come.
  std::string whyNotShipped(store::Tx& tx, domain::OrderId id);
  // Orders packed and not shipped, longest waiting first, at most `limit`
  // (clamped to 1..500); only those packed at `station` unless it is
  // empty. What the packing station lists so that nothing sits packed
  // unnoticed.
  std::vector<UnshippedOrder> unshipped(store::Tx& tx, const std::string& station, int limit);
  Result<std::vector<UnshippedOrder>> unshipped(const std::string& station, int limit);

  // The shipping label of one carton of a shipment, as booked (the same
  // label every time: reprints match). NotFound for an unknown shipment or
  // carton.
  Result<labels::ShippingLabel> label(store::Tx& tx, std::int64_t shipmentId, int cartonNumber);
  Result<labels::ShippingLabel> label(std::int64_t shipmentId, int cartonNumber);

 private:
  struct Prepared;
  Result<Carrier*> carrierFor(const std::string& requested);
  Result<Prepared> prepareShipment(store::Tx& tx, domain::OrderId id);
  Result<ShipmentView> recordShipment(store::Tx& tx, const Prepared& prepared, const Booking& booking);

  // Constant after construction.
  store::Database& db_;
  const PackingConfig config_;
  const stock::StockEvents& stockEvents_;
  ShipmentEvents& events_;
  std::unique_ptr<BuiltInCarrier> builtIn_;
  std::vector<Carrier*> carriers_;
};

}  // namespace wms::packing
