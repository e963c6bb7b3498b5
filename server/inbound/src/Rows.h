// Internal: reading and writing the inbound tables inside a Tx, and the
// small checks the services share. No rules here beyond what the tables
// hold; the services decide.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/inbound/Receiving.h"
#include "wms/store/Tx.h"

namespace wms::inbound::rows {

inline Error invalid(std::string message) { return Error{ErrorKind::Invalid, std::move(message)}; }
inline Error conflict(std::string message) { return Error{ErrorKind::Conflict, std::move(message)}; }
inline std::string n(std::int64_t v) { return std::to_string(v); }

// 1..max printable ASCII characters without spaces.
Status checkPrintable(std::string_view value, const std::string& what, std::size_t max);
// 18 digits with a valid GS1 check digit.
Status checkSscc(std::string_view value, const std::string& what);
// The transaction's clock as a UTC date, "YYYY-MM-DD".
std::string today(store::Tx& tx);

// What a label scanned on a case says.
struct ScannedItem {
  std::optional<std::string> sku;  // nullopt: nothing in the catalogue has this code
  std::string code;                // what was looked up (the GTIN for GS1 data)
  std::string lot, expiry;         // from GS1 AI 10 and 17 (or 15)
};
// Reads a scan: GS1 element strings (AI 01 GTIN, 10, 17 or 15), a GTIN, or
// a SKU's own code. Invalid for an empty or over-long scan, control
// characters, GS1 data that cannot be parsed or has no GTIN (an SSCC is
// named as such).
Result<ScannedItem> readScan(store::Tx& tx, std::string scan);

PoStatus statusOf(const std::string& text);
// Inserts a validated order; Conflict for a reference or an SSCC already used.
Result<std::int64_t> insertOrder(store::Tx& tx, const PurchaseOrderInput& input);
// NotFound for an unknown id.
Result<PurchaseOrder> load(store::Tx& tx, std::int64_t id);

// The receipts written under an idempotency key, in order.
std::vector<Receipt> receiptsByKey(store::Tx& tx, const std::string& key);
std::int64_t insertReceipt(store::Tx& tx, const Receipt& receipt, const std::string& key, const std::string& actor);

}  // namespace wms::inbound::rows
