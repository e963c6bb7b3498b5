// Order intake: creating, holding, releasing and cancelling orders, keyed by
// channel and external id, each inside a caller's write transaction with its
// stock moves (Moves.h). The channels (webhooks, polling, store sales), the
// REST API (through OrderService) and the waves call it; nothing else
// creates or cancels an order.
//
// Every call validates its input once, is atomic (an error leaves the
// transaction as it was) and idempotent where the key says so: the same
// (channel, external id) again returns the stored order with created = false
// and changes nothing. The stock-changed hook is called inside the
// transaction; the caller calls StockEvents::committed(changedSkus) after its
// commit.
//
// Threading: constant after construction, except onCancelReleased (set once
// at start-up, before any call); the calls run on the database's writer.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/stock/Events.h"
#include "wms/stock/Moves.h"
#include "wms/store/Tx.h"

namespace wms::stock {

struct IntakeOptions {
  // An order that cannot be fully reserved: refused, or stored backordered.
  domain::ShortagePolicy defaultShortagePolicy = domain::ShortagePolicy::Reject;
};

struct IntakeResult {
  domain::Order order;
  bool created = true;                   // false: the order existed already (nothing changed)
  std::vector<std::string> changedSkus;  // SKUs whose available quantity changed
};

class OrderIntake {
 public:
  explicit OrderIntake(const StockEvents& events, IntakeOptions options = {}) : events_(events), options_(options) {}

  const StockEvents& events() const { return events_; }
  const IntakeOptions& options() const { return options_; }

  // Validates, reserves (or backorders, per the order's or the default
  // policy) and stores an order. Invalid (fields, unknown SKU, naming the
  // line), InsufficientStock under the reject policy (naming each short SKU
  // with what is available; nothing stored). `idempotencyKey` (optional) is
  // a second key besides (channel, external id).
  Result<IntakeResult> create(store::Tx& tx, const Actor& who, const domain::NewOrder& order,
                              const std::string& idempotencyKey = {});
  // Stores an order as Held with `reason`, reserving nothing. Its line SKUs
  // may be channel SKU text not in the catalogue (1..64 printable ASCII).
  Result<IntakeResult> createHeld(store::Tx& tx, const Actor& who, const domain::NewOrder& order,
                                  const std::string& reason);
  // Cancels an order not yet picked and frees what it holds; a released
  // order is first taken off its pick list (onCancelReleased). Cancelling a
  // cancelled order changes nothing; Conflict once picking has started. A
  // held order with picked units in totes (one intercepted below) is
  // cancelled only with `returnTo`, the location its units go back to
  // (Moves::returnFromTotes); without it, Conflict naming the totes.
  Result<IntakeResult> cancel(store::Tx& tx, const Actor& who, domain::OrderId id, const std::string& reason,
                              const std::string& returnTo = {});
  // The channel cancelled an order whose picking has started (picking,
  // picked or packed, or held with picked units, not shipped): it must not
  // ship. It is held with the
  // reason, taken off the pick lists it is still on (onCancelReleased), and
  // the allocation of units not yet picked is freed; the picked units stay
  // reserved in their totes until a person cancels it with a location to
  // put them back to. Conflict if it shipped already (too late).
  Result<IntakeResult> intercept(store::Tx& tx, const Actor& who, domain::OrderId id, const std::string& reason);
  // A held order's lines get these SKUs (line number, SKU in the catalogue),
  // then it is reserved as a new order would be (Allocated, or Backordered
  // under that policy); with no SKUs given nothing is remapped (an order held
  // because its units were not at the pick locations). Conflict if it is not
  // held, has picked units in totes, or a remapped line holds stock;
  // InsufficientStock under the reject policy (it stays held).
  Result<IntakeResult> releaseHold(store::Tx& tx, const Actor& who, domain::OrderId id,
                                   const std::vector<std::pair<int, std::string>>& lineSkus);

  // Called inside the cancelling transaction for an order that is on a pick
  // list (status released), to take it off.
  void onCancelReleased(std::function<Status(store::Tx&, domain::OrderId)> hook) { cancelReleased_ = std::move(hook); }

 private:
  const StockEvents& events_;
  const IntakeOptions options_;
  std::function<Status(store::Tx&, domain::OrderId)> cancelReleased_;
};

}  // namespace wms::stock
