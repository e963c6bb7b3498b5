// What the channels component needs from the order and stock services, as
// small interfaces (the server core implements them; this library does not
// depend on it). Every call runs inside the caller's write transaction, so
// that a channel's own records (the event it de-duplicates on, the channel's
// timestamp of the order) commit or roll back together with the effect.
//
// Implementations call the stock-events hook inside the transaction; the
// caller wakes whatever waits for the change after its write committed, using
// IntakeResult::changedSkus. Errors leave the transaction as it was.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/domain/Stock.h"
#include "wms/store/Tx.h"

namespace wms::channels {

struct IntakeResult {
  domain::Order order;
  bool created = true;                   // false: the order existed already (changed nothing)
  std::vector<std::string> changedSkus;  // SKUs whose available figure changed
};

class OrderIntake {
 public:
  virtual ~OrderIntake() = default;

  // Validates, reserves (or backorders, per `policy` or the server's default)
  // and stores an order. InsufficientStock under the reject policy (nothing
  // stored); Invalid for bad fields or an unknown SKU.
  virtual Result<IntakeResult> create(store::Tx& tx, const domain::NewOrder& order) = 0;
  // Stores an order with status Held and no reservation; line SKUs may be
  // channel SKU text that is not (yet) in the catalogue. Invalid only for
  // what cannot be stored (ids, quantities, text that is not UTF-8).
  virtual Result<IntakeResult> createHeld(store::Tx& tx, const domain::NewOrder& order, const std::string& reason) = 0;
  // Cancels an order and frees what it holds. Conflict once picking started.
  virtual Result<IntakeResult> cancel(store::Tx& tx, domain::OrderId id, const std::string& reason) = 0;
  // A held order's lines get these SKUs (line number, our SKU) and the order
  // is reserved (or backordered) as a new one would be. Conflict if it is not
  // held; InsufficientStock under the reject policy (it stays held).
  virtual Result<IntakeResult> releaseHold(store::Tx& tx, domain::OrderId id,
                                           const std::vector<std::pair<int, std::string>>& lineSkus) = 0;
};

class StockMoves {
 public:
  virtual ~StockMoves() = default;
  // Adds (delta > 0) or removes on-hand units at a location with a ledger row
  // naming `cause` and `reference`; units added may fill backorders. Invalid
  // (unknown SKU/location, lot/expiry not matching the SKU's tracking),
  // InsufficientStock (the location or the unreserved stock lacks the units).
  // Returns the ledger id.
  virtual Result<std::int64_t> changeOnHand(store::Tx& tx, const domain::StockAtLocation& where, std::int64_t delta,
                                            domain::LedgerCause cause, const std::string& reference,
                                            const std::string& note) = 0;
};

}  // namespace wms::channels
