// Internal: the moves of stock inside one write transaction, each keeping
// sku_stock, stock-at-location, order lines and the ledger in step. Every
// service that changes stock goes through these, so the invariants are kept
// in one place.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/domain/Stock.h"
#include "wms/store/Tx.h"

namespace wms::server::ops {

// Adds (delta > 0) or removes (delta < 0) on-hand units at a location, with
// its ledger row. InsufficientStock if the location or the SKU's unallocated
// stock cannot give the units. Returns the ledger id.
Result<std::int64_t> changeOnHandAt(store::Tx& tx, const domain::StockAtLocation& where, std::int64_t delta,
                                    domain::LedgerCause cause, const std::string& reference,
                                    const std::string& idempotencyKey, const std::string& note);

// Shortages of an order against the current available stock: (sku, wanted,
// available) for each SKU that cannot be fully reserved.
struct Shortage {
  std::string sku;
  std::int64_t wanted = 0;
  std::int64_t available = 0;
};
std::vector<Shortage> shortagesOf(store::Tx& tx, const std::vector<domain::OrderLine>& lines);

// Reserves every line of an order in full (precondition: shortagesOf is
// empty), updating the lines and writing ledger rows.
Status reserveAll(store::Tx& tx, domain::Order& order);

// Frees whatever the order's lines hold, with ledger rows naming the cause
// (release) and the reason in the note.
Status releaseAll(store::Tx& tx, domain::Order& order, const std::string& note);

// Allocates backordered orders that hold a line of one of `skus`, oldest
// first, now that stock arrived. Returns the ids of orders allocated.
Result<std::vector<domain::OrderId>> fillBackorders(store::Tx& tx, const std::set<std::string>& skus);

std::string orderRef(domain::OrderId id);

}  // namespace wms::server::ops
