// Use cases of orders for the REST API: taking an order in (with its atomic
// reservation of the central stock), looking at orders, cancelling and
// releasing holds. Each call is one write transaction over the stock core's
// order intake (wms/stock/OrderIntake.h), which owns the rules; this class
// adds the transaction, the wake-up of the stock listeners after the commit,
// and the name of who acted (the REST API, until people sign in).
//
// Reservation is all-or-nothing per order and atomic across concurrent
// callers: all writes run on the database's single writer, so two orders
// racing for the last unit never both get it.
//
// Threading: all methods may be called from any thread concurrently.
#pragma once

#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/stock/OrderIntake.h"
#include "wms/store/Database.h"
#include "wms/store/OrderRepository.h"

namespace wms::server {

struct CreateOrderResult {
  domain::Order order;
  bool created = true;  // false: the order existed (same channel + external id, or idempotency key)
};

class OrderService {
 public:
  // The database and the intake must outlive the service.
  OrderService(store::Database& db, stock::OrderIntake& intake) : db_(db), intake_(intake) {}

  // Validates, reserves and stores an order. Errors: Invalid (fields, unknown
  // SKU), InsufficientStock under the Reject policy (naming each short SKU
  // with what is available; nothing stored). Creating the same channel order
  // again returns the stored one with created = false and changes nothing.
  // `who` is named on the ledger rows (the caller the HTTP edge proved).
  Result<CreateOrderResult> create(const domain::NewOrder& order, const std::string& idempotencyKey = {},
                                   const stock::Actor& who = stock::Actor::integration("rest-api"));

  Result<domain::Order> get(domain::OrderId id);  // NotFound if unknown
  Result<domain::Order> getByExternal(domain::Channel channel, const std::string& externalId);
  Result<std::vector<domain::Order>> list(const store::OrderFilter& filter);

  // Cancels an order not yet picked and frees its reservation. Cancelling a
  // cancelled order changes nothing; Conflict once picking has started. A
  // held order with picked units in totes (intercepted after its channel
  // cancelled it) needs `returnTo`, the location its units go back to.
  Result<domain::Order> cancel(domain::OrderId id, const std::string& reason, const std::string& returnTo = {},
                               const stock::Actor& who = stock::Actor::integration("rest-api"));

 private:
  // One write over the intake; wakes the listeners after the commit.
  template <class F>
  Result<stock::IntakeResult> write(F&& work);

  store::Database& db_;
  stock::OrderIntake& intake_;
};

}  // namespace wms::server
