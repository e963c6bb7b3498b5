// The central stock: per-SKU totals, stock per location (with lot and expiry
// where tracked), and the append-only ledger every change is written to.
// Plain data and pure rules; no I/O.
//
// Invariants, for every SKU (see ../shared/brief.md):
//   on_hand   = sum of stock over locations (totes included)
//   0 <= allocated <= on_hand;  available = on_hand - allocated >= 0
//   on_hand   = sum of the ledger's delta_on_hand
//   allocated = sum of the ledger's delta_allocated
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::domain {

struct SkuStock {
  std::string sku;
  std::int64_t onHand = 0;
  std::int64_t allocated = 0;
  std::int64_t available() const { return onHand - allocated; }
};

struct StockAtLocation {
  std::string sku;
  std::string location;
  std::string lot;     // "" when the SKU is not lot-tracked
  std::string expiry;  // "YYYY-MM-DD", "" when not expiry-tracked
  std::int64_t qty = 0;
};

// Why the stock changed. Every ledger row names one.
enum class LedgerCause {
  Receipt,      // goods received
  Adjustment,   // a person corrected the figure (with a reason)
  CycleCount,   // a count found a different figure
  Damage,       // written off as damaged
  Reservation,  // an order reserved units (allocated +)
  Release,      // a reservation was freed (allocated -): cancel, short, policy
  Pick,         // units moved from a location into a tote (on_hand unchanged)
  Ship,         // units left the building (on_hand -, allocated -)
  Return,       // a customer return restocked after inspection
  PosSale,      // sold at the store till, decremented at once
  Transfer,     // moved between locations (on_hand unchanged)
};

const char* toString(LedgerCause cause) noexcept;  // "receipt", "adjustment", ...
std::optional<LedgerCause> ledgerCauseFromString(std::string_view text) noexcept;

struct LedgerEntry {
  std::int64_t id = 0;
  std::int64_t atMs = 0;
  std::string sku;
  std::string location;  // "" for allocation-only rows
  std::string lot;
  std::string expiry;
  std::int64_t deltaOnHand = 0;
  std::int64_t deltaAllocated = 0;
  LedgerCause cause = LedgerCause::Adjustment;
  std::string reference;       // e.g. "order:42", "import:catalogue.csv", "adjustment"
  std::string idempotencyKey;  // unique per applied event; "" for derived rows
  std::string note;
  std::string actor;  // who caused it: "person:B-100", "device:HH-07", "integration:shopify", "system:waves"
};

// Why a person adjusts stock by hand (maps onto a ledger cause).
enum class AdjustReason { Receipt, Count, Damage, Correction, Return, Found, Lost };
const char* toString(AdjustReason reason) noexcept;
std::optional<AdjustReason> adjustReasonFromString(std::string_view text) noexcept;
LedgerCause causeOf(AdjustReason reason) noexcept;

// A change of on-hand stock at one location.
struct Adjustment {
  std::string sku;
  std::string location;
  std::string lot;
  std::string expiry;
  std::int64_t delta = 0;  // non-zero; negative takes stock away
  AdjustReason reason = AdjustReason::Correction;
  std::string note;
  std::string idempotencyKey;  // optional; a second adjustment with the same key changes nothing
};

// Field checks that need no database: codes, non-zero delta within limits,
// lot and expiry syntax, note text.
Status validateAdjustment(const Adjustment& adjustment);

// A calendar date "YYYY-MM-DD" that exists.
Status checkDate(std::string_view value, std::string_view what);

// Per-SKU figures gathered from the store, compared by checkInvariants.
struct SkuFigures {
  std::string sku;
  std::int64_t onHand = 0;
  std::int64_t allocated = 0;
  std::int64_t sumAtLocations = 0;
  std::int64_t ledgerOnHand = 0;
  std::int64_t ledgerAllocated = 0;
  std::int64_t openOrderAllocation = 0;  // sum of allocated-not-shipped over open orders
};

struct InvariantViolation {
  std::string sku;
  std::string message;
};

// Every broken invariant, one entry each, with the figures in the message.
std::vector<InvariantViolation> checkInvariants(const std::vector<SkuFigures>& figures);

}  // namespace wms::domain
