// Receiving at the dock: purchase orders with their advance shipping notice
// (the pallets and cartons the supplier announced, by SSCC, with what each
// holds), and receipts against them, line by line from a scan or a whole
// announced pallet in one scan.
//
// Received goods land in a dock or staging location (never a pick face):
// put-away moves them on. A receipt is a stock move (stock::Moves::receive,
// cause receipt), so it fills backorders and every channel hears the new
// figure. Damaged units are recorded on the receipt against the supplier
// at the quarantine location and do not become stock: nothing damaged is
// ever sold.
//
// Every receipt carries an idempotency key (a handheld's event id, a REST
// client's key): the same key again changes nothing and answers the first
// receipt. Refusals change nothing; an item that is not in the catalogue is
// also raised as a supervisor exception (kind receipt_unknown_item), and
// closing an order with units missing raises receipt_short.
//
// Threading: a ReceivingService may be used from any number of threads (all
// state is in the database; each call is one transaction).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/stock/Events.h"
#include "wms/stock/Moves.h"
#include "wms/store/Database.h"

namespace wms::inbound {

struct InboundConfig {
  // A line may be received up to this much over what was ordered (percent
  // of the ordered quantity, rounded down; 0: not a unit more).
  int overReceiptPercent = 10;
  // Where damaged units are set aside (recorded on the receipt; no stock).
  std::string quarantineLocation = "QUARANTINE";
  // Receivers count what arrived without seeing what was ordered (the
  // handheld's task leaves the ordered quantities out).
  bool blind = false;
};

// From wmsd's settings: inbound.over_receipt_percent (0..100, default 10),
// inbound.quarantine_location (a location code, default QUARANTINE),
// inbound.blind_receiving (true or false, default false).
// Invalid naming the key for a bad value.
Result<InboundConfig> inboundConfigFrom(const std::map<std::string, std::string>& settings);

// What a purchase order expects of one SKU.
struct PoLineInput {
  std::string sku;
  std::int64_t qty = 0;  // 1..1000000
  std::string lot;       // "" when not known
  std::string expiry;    // "YYYY-MM-DD", "" when not known
};

// A pallet or carton the supplier announced: its SSCC and what it holds.
struct PoUnitInput {
  std::string sscc;  // 18 digits with a valid GS1 check digit
  struct Content {
    int lineNo = 0;  // 1-based, into the order's lines
    std::int64_t qty = 0;
  };
  std::vector<Content> contents;  // 1..1000
};

struct PurchaseOrderInput {
  std::string reference;     // the supplier's or buyer's PO number, unique (1..64 printable)
  std::string supplier;      // 1..200 characters
  std::string expectedDate;  // "YYYY-MM-DD", "" when not known
  std::string note;
  std::vector<PoLineInput> lines;  // 1..1000
  std::vector<PoUnitInput> units;  // 0..1000: the advance shipping notice
};

enum class PoStatus { Open, Receiving, Closed };
const char* toString(PoStatus status) noexcept;  // "open", "receiving", "closed"

struct PoLine {
  int lineNo = 0;
  std::string sku;
  std::int64_t qty = 0;
  std::string lot, expiry;
  std::int64_t received = 0;  // good units received
  std::int64_t damaged = 0;   // set aside at quarantine
  std::int64_t open() const { return qty > received ? qty - received : 0; }
};

struct PoUnit {
  std::string sscc;
  std::vector<PoUnitInput::Content> contents;
  std::int64_t receivedAtMs = 0;  // 0 until received
  std::string location;           // where it was received
};

struct PurchaseOrder {
  std::int64_t id = 0;
  std::string reference, supplier, expectedDate, note;
  PoStatus status = PoStatus::Open;
  std::int64_t createdAtMs = 0;
  std::vector<PoLine> lines;
  std::vector<PoUnit> units;
};

// One receipt as a dock worker or a handheld reports it.
struct ReceiptInput {
  std::int64_t poId = 0;
  // What was scanned on the case: a GTIN, GS1 element strings (AI 01 GTIN,
  // 10 lot, 17 expiry or 15 best-before), or the SKU's own code. Either
  // `scan` or `sku`.
  std::string scan;
  std::string sku;
  std::string lot;     // "" unless typed; a scan's AI 10 fills it
  std::string expiry;  // likewise AI 17 (or 15)
  std::int64_t qty = 0;
  std::string location;  // a dock or staging location (ignored for damaged units)
  bool damaged = false;
  std::string idempotencyKey;  // required, 1..128 printable ASCII
  stock::Actor who = stock::Actor::integration("rest-api");
};

struct Receipt {
  std::int64_t id = 0;
  std::int64_t poId = 0;
  std::string poReference;
  int lineNo = 0;
  std::string sku, lot, expiry;
  std::int64_t qty = 0;
  bool damaged = false;
  std::string location;
  std::string sscc;  // when received as a whole unit
  std::int64_t atMs = 0;
};

struct ReceiptResult {
  bool duplicate = false;  // the key was used before: these are the first answer's receipts
  std::vector<Receipt> receipts;
  std::vector<std::string> changedSkus;  // for StockEvents::committed
};

// A supervisor exception that a refusal asks for (an item not in the
// catalogue): raised in a transaction that commits although the receipt
// is refused.
struct RaiseOnRefusal {
  std::string kind, reference, message;
};

struct PoSummary {
  std::int64_t id = 0;
  std::string reference, supplier, expectedDate;
  PoStatus status = PoStatus::Open;
  std::int64_t ordered = 0, received = 0, damaged = 0;  // units over all lines
};

struct CloseResult {
  PurchaseOrder order;
  std::vector<PoLine> short_;  // lines received below what was ordered
};

class ReceivingService {
 public:
  // `db` and `events` must outlive the service.
  ReceivingService(store::Database& db, const stock::StockEvents& events, InboundConfig config = {});

  // Stores a purchase order with its advance shipping notice. Invalid
  // naming the field: a SKU not in the catalogue, a quantity out of range,
  // a bad lot or date, an expiry already past, an SSCC with a bad check
  // digit or repeated, unit contents naming no line or over the line's
  // quantity; Conflict for a reference or an SSCC already used.
  Result<PurchaseOrder> create(const PurchaseOrderInput& input);

  // CSV with a header: reference,supplier,expected_date,sku,qty,lot,expiry,sscc
  // (one row per line; rows of one reference make one order; a row's sscc
  // puts that line's whole quantity on that announced unit). All or
  // nothing: an error names the row. Returns the orders created.
  Result<std::vector<PurchaseOrder>> importCsv(std::string_view text);

  Result<PurchaseOrder> get(std::int64_t id);
  // Newest first; `status` "" for all, `query` matches reference, supplier
  // or a SKU of a line (substring); limit clamped to 1..500.
  Result<std::vector<PoSummary>> list(const std::string& status, const std::string& query, int limit);

  // See ReceiptInput. Errors (nothing changes): Invalid for a missing key,
  // a bad quantity, a scan that cannot be read, a GTIN or SKU that is not on
  // the order, a lot or expiry that contradicts it, an expiry already
  // past, a location that is not a dock or staging location; NotFound for
  // an unknown order or an item not in the catalogue (also raised as an
  // exception); Conflict for a closed order, a receipt over the line's
  // tolerance, a key used for another order.
  Result<ReceiptResult> receive(const ReceiptInput& input);

  // The whole announced unit `sscc` of order `poId`, in one scan, into
  // `location`. NotFound for an SSCC on no notice; Conflict for one that
  // belongs to another order or was received already (naming when and
  // where), or a closed order; the rest as receive().
  Result<ReceiptResult> receiveUnit(std::int64_t poId, const std::string& sscc, const std::string& location,
                                    const std::string& idempotencyKey, const stock::Actor& who);

  // The forms wmsd's MQTT handlers use, inside the write transaction that
  // records the device's event: the same rules; `raise` is set when the
  // refusal asks for a supervisor exception (the caller raises it outside
  // the refused work). After the commit, received(result).
  Result<ReceiptResult> receive(store::Tx& tx, const ReceiptInput& input, std::optional<RaiseOnRefusal>& raise);
  Result<ReceiptResult> receiveUnit(store::Tx& tx, std::int64_t poId, const std::string& sscc,
                                    const std::string& location, const std::string& idempotencyKey,
                                    const stock::Actor& who);
  void received(const ReceiptResult& result);
  Result<PurchaseOrder> get(store::Tx& tx, std::int64_t id);
  // The order with this reference; NotFound naming it.
  Result<std::int64_t> findByReference(store::Tx& tx, const std::string& reference);
  const InboundConfig& config() const { return config_; }

  // Closes the order: nothing more is received against it. Lines received
  // short are listed and raised as one receipt_short exception.
  Result<CloseResult> close(std::int64_t id);

 private:
  struct Impl;
  store::Database& db_;
  const stock::StockEvents& events_;
  const InboundConfig config_;
};

}  // namespace wms::inbound
