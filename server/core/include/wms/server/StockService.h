// Use cases of the central stock: looking at it, adjusting it with a reason,
// importing receipts, the ledger, and the invariant audit. Changes go
// through the stock core's moves (wms/stock/Moves.h).
//
// Threading: all methods may be called from any thread concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Stock.h"
#include "wms/server/CatalogService.h"
#include "wms/stock/Events.h"
#include "wms/stock/Moves.h"
#include "wms/store/Database.h"

namespace wms::server {

struct SkuStockView {
  domain::SkuStock totals;
  std::vector<domain::StockAtLocation> locations;
};

struct AdjustmentResult {
  std::int64_t ledgerId = 0;
  domain::SkuStock totals;  // after the adjustment
  bool replayed = false;    // same idempotency key seen before: nothing changed now
};

struct AuditReport {
  std::size_t skusChecked = 0;
  std::vector<domain::InvariantViolation> violations;
};

class StockService {
 public:
  // The database and the stock-changed hook must outlive the service.
  StockService(store::Database& db, const stock::StockEvents& events) : db_(db), events_(events) {}

  Result<SkuStockView> skuStock(const std::string& sku);  // NotFound if unknown
  Result<std::vector<domain::SkuStock>> list(const std::string& afterSku, int limit);
  Result<std::vector<domain::StockAtLocation>> atLocation(const std::string& location);

  // Changes on-hand stock at one location, with a ledger row naming the
  // reason. Errors: Invalid (fields, unknown SKU or location, missing lot or
  // expiry of a tracked SKU), InsufficientStock (would go negative or below
  // what orders have reserved). Units received may fill backorders at once.
  // `who` is named on the ledger row (the caller the HTTP edge proved).
  Result<AdjustmentResult> adjust(const domain::Adjustment& adjustment,
                                  const stock::Actor& who = stock::Actor::integration("rest-api"));

  // Imports stock receipts from CSV (domain/Csv.h), as adjust() per row.
  Result<ImportReport> importStock(const std::string& csv, ImportMode mode, const std::string& idempotencyKey);

  Result<std::vector<domain::LedgerEntry>> ledger(const std::string& sku, std::int64_t afterId, int limit);

  // Checks every invariant of every SKU (domain/Stock.h).
  Result<AuditReport> audit();

 private:
  store::Database& db_;
  const stock::StockEvents& events_;
};

}  // namespace wms::server
