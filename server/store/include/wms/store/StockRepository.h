// The central stock (per SKU), stock per location, the append-only ledger
// and idempotency keys. Valid only within the Tx it was built on.
//
// The writes are the primitive moves; they keep each table's own rule
// (nothing negative, allocated <= on_hand) and report a violation as an
// error value without changing anything. They are private: only the stock
// core (wms::stock::Moves) makes them, and keeps the tables in step with
// each other (a location change with its on-hand change and its ledger row,
// the order lines' allocation with sku_stock). figures() verifies it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Stock.h"
#include "wms/store/Tx.h"

namespace wms::stock {
class Moves;
}

namespace wms::store {

class StockRepository {
 public:
  explicit StockRepository(Tx& tx) : tx_(tx) {}

  std::optional<domain::SkuStock> skuStock(const std::string& sku);
  std::vector<domain::SkuStock> listSkuStock(const std::string& afterSku, int limit);
  // Stock rows with qty > 0 for a SKU ("" = any) at a location ("" = any).
  std::vector<domain::StockAtLocation> at(const std::string& sku, const std::string& location);

  // Ledger rows for a SKU ("" = all) with id > afterId, oldest first.
  std::vector<domain::LedgerEntry> ledger(const std::string& sku, std::int64_t afterId, int limit);

  // Per-SKU figures for checking the invariants.
  std::vector<domain::SkuFigures> figures();

 private:
  friend class wms::stock::Moves;

  // Adds delta to the stock of (sku, location, lot, expiry), creating the row.
  // InsufficientStock (nothing changed) if the result would be negative.
  Status changeAtLocation(const domain::StockAtLocation& key, std::int64_t delta);
  // Adds delta to a SKU's on-hand. InsufficientStock if on_hand would drop
  // below zero or below what is allocated.
  Status changeOnHand(const std::string& sku, std::int64_t delta);
  // Reserves qty if available >= qty, atomically; false (nothing changed) if not.
  bool reserve(const std::string& sku, std::int64_t qty);
  // Frees qty of allocation. InsufficientStock if less is allocated.
  Status release(const std::string& sku, std::int64_t qty);
  // Ship: takes qty off both on_hand and allocated.
  Status consumeAllocated(const std::string& sku, std::int64_t qty);

  // Flags a location's stock of a SKU for a cycle count (e.g. after a short pick).
  void requestCount(const std::string& sku, const std::string& location);

  // Appends a ledger row; returns its id. The ledger cannot be updated or
  // deleted (the database refuses).
  std::int64_t appendLedger(const domain::LedgerEntry& entry);

  Tx& tx_;
};

// Keys of applied events, each with the answer given, so that the same event
// arriving again changes nothing and gets the same answer.
class IdempotencyRepository {
 public:
  explicit IdempotencyRepository(Tx& tx) : tx_(tx) {}
  // The stored answer if the key was already used.
  std::optional<std::string> find(const std::string& key);
  // Records the key in the current transaction (so it commits, or rolls back,
  // with the effect). Conflict if the key is already recorded.
  Status claim(const std::string& key, const std::string& result);

 private:
  Tx& tx_;
};

}  // namespace wms::store
