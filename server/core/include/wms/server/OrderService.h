// Use cases of orders: taking an order in (with its atomic reservation of
// the central stock), looking at orders, cancelling.
//
// Reservation is all-or-nothing per order and atomic across concurrent
// callers: all writes run on the database's single writer, so two orders
// racing for the last unit never both get it.
//
// Threading: all methods may be called from any thread concurrently.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/server/StockEvents.h"
#include "wms/store/Database.h"
#include "wms/store/OrderRepository.h"

namespace wms::server {

struct OrderOptions {
  domain::ShortagePolicy defaultShortagePolicy = domain::ShortagePolicy::Reject;
};

struct CreateOrderResult {
  domain::Order order;
  bool created = true;  // false: the order existed (same channel + external id, or idempotency key)
};

class OrderService {
 public:
  OrderService(store::Database& db, StockEvents& events, OrderOptions options = {})
      : db_(db), events_(events), options_(options) {}

  // Validates, reserves and stores an order. Errors: Invalid (fields, unknown
  // SKU), InsufficientStock under the Reject policy (naming each short SKU
  // with what is available; nothing stored). Creating the same channel order
  // again returns the stored one with created = false and changes nothing.
  Result<CreateOrderResult> create(const domain::NewOrder& order, const std::string& idempotencyKey = {});

  Result<domain::Order> get(domain::OrderId id);  // NotFound if unknown
  Result<domain::Order> getByExternal(domain::Channel channel, const std::string& externalId);
  Result<std::vector<domain::Order>> list(const store::OrderFilter& filter);

  // Cancels an order not yet picked and frees its reservation. Cancelling a
  // cancelled order changes nothing; Conflict once picking has started.
  Result<domain::Order> cancel(domain::OrderId id, const std::string& reason);
  // A supervisor releases a held order that nothing was picked for (e.g.
  // held because its units were not at the pick locations): it is reserved
  // again as a new order would be and waits for a wave. NotFound; Conflict
  // if it is not held or has picked units in totes; InsufficientStock under
  // the reject policy (it stays held).
  Result<domain::Order> releaseHold(domain::OrderId id);

  // --- Inside a caller's write transaction --------------------------------
  // For components that store their own records atomically with the order
  // (the channels' event ids and timestamps). Same rules as above; they call
  // StockEvents::changedInTx but not committed(): the caller calls
  // committed(changedSkus) after its write returned. An error leaves the
  // transaction as it was.
  struct InTx {
    domain::Order order;
    bool created = true;
    std::vector<std::string> changedSkus;
  };
  Result<InTx> createInTx(store::Tx& tx, const domain::NewOrder& order, const std::string& idempotencyKey = {});
  // Stores an order as Held with `reason`, reserving nothing. Its line SKUs
  // may be channel SKU text not in the catalogue (1..64 printable ASCII);
  // the address is kept as received. Same (channel, external id) again
  // returns the stored order with created = false.
  Result<InTx> createHeldInTx(store::Tx& tx, const domain::NewOrder& order, const std::string& reason);
  Result<InTx> cancelInTx(store::Tx& tx, domain::OrderId id, const std::string& reason);
  // A held order's lines get these SKUs (line number, SKU in the catalogue),
  // then it is reserved as a new order would be (Allocated, or Backordered
  // under that policy). Conflict if it is not held; InsufficientStock under
  // the reject policy (it stays held, nothing changes).
  Result<InTx> releaseHoldInTx(store::Tx& tx, domain::OrderId id,
                               const std::vector<std::pair<int, std::string>>& lineSkus);

  // Called inside the cancelling transaction for an order that is on a
  // pick list (status released), to take it off. Set once at start-up,
  // before any request (not thread-safe to set).
  void onCancelReleased(std::function<Status(store::Tx&, domain::OrderId)> hook) {
    releasedCancelHook_ = std::move(hook);
  }

 private:
  store::Database& db_;
  StockEvents& events_;
  OrderOptions options_;
  std::function<Status(store::Tx&, domain::OrderId)> releasedCancelHook_;
};

}  // namespace wms::server
