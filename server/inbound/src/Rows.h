// Internal: reading and writing the inbound tables inside a Tx, and the
// small checks the services share. No rules here beyond what the tables
// hold; the services decide.
#pragma once

#include <cstdint>
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

PoStatus statusOf(const std::string& text);
// Inserts a validated order; Conflict for a reference or an SSCC already used.
Result<std::int64_t> insertOrder(store::Tx& tx, const PurchaseOrderInput& input);
// NotFound for an unknown id.
Result<PurchaseOrder> load(store::Tx& tx, std::int64_t id);

// The receipts written under an idempotency key, in order.
std::vector<Receipt> receiptsByKey(store::Tx& tx, const std::string& key);
std::int64_t insertReceipt(store::Tx& tx, const Receipt& receipt, const std::string& key, const std::string& actor);

}  // namespace wms::inbound::rows
