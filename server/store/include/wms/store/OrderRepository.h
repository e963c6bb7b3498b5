// Orders and their lines in the store. Valid only within its Tx.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/store/Tx.h"

namespace wms::stock {
class Moves;
}

namespace wms::store {

struct OrderFilter {
  std::optional<domain::Channel> channel;
  std::optional<domain::OrderStatus> status;
  std::string sku;              // orders with a line of this SKU ("" = any)
  domain::OrderId afterId = 0;  // keyset pagination: ids greater than this
  int limit = 100;
};

class OrderRepository {
 public:
  explicit OrderRepository(Tx& tx) : tx_(tx) {}

  // Stores a new order with its lines; returns its id. Conflict if the
  // (channel, external id) pair exists.
  Result<domain::OrderId> insert(const domain::Order& order);

  std::optional<domain::Order> find(domain::OrderId id);
  std::optional<domain::Order> findByExternal(domain::Channel channel, const std::string& externalId);
  // Just the id of a channel's order, if stored (cheaper than findByExternal).
  std::optional<domain::OrderId> idByExternal(domain::Channel channel, const std::string& externalId);
  // Orders matching the filter, by id ascending.
  std::vector<domain::Order> list(const OrderFilter& filter);
  // Number of orders per status.
  std::vector<std::pair<domain::OrderStatus, std::int64_t>> countByStatus();
  // Ids and last-update times (ms) of up to `limit` orders in `status` that
  // have not changed since `beforeMs`, oldest first: work that has stopped.
  std::vector<std::pair<domain::OrderId, std::int64_t>> unchangedSince(domain::OrderStatus status,
                                                                       std::int64_t beforeMs, int limit);

  // Sets an order's status; an actual change is recorded in its history
  // (history()) and counts as the order moving on (updated_at).
  void setStatus(domain::OrderId id, domain::OrderStatus status, const std::string& holdReason = {});

  // The statuses an order entered, oldest first, with when (ms).
  std::vector<std::pair<domain::OrderStatus, std::int64_t>> history(domain::OrderId id);
  // The longest time any order spent between entering `from` and entering
  // the next status after it, with that order; nullopt if no order has left
  // `from` yet. Over every order's history: for reports, not hot paths.
  struct StageWait {
    domain::OrderId order = 0;
    domain::OrderStatus next = domain::OrderStatus::Allocated;
    std::int64_t ms = 0;
  };
  std::optional<StageWait> longestWaitIn(domain::OrderStatus from);
  // Points a line at another SKU (a held channel order whose channel SKU is
  // now mapped). Only for lines that hold, picked and shipped nothing.
  void setLineSku(domain::OrderId id, int lineNo, const std::string& sku);
  // The order's ship-to address, as the channel corrected it.
  void setShipTo(domain::OrderId id, const domain::Address& address);

 private:
  // Writes a line's counters (allocated, picked, shortQty, shipped); the
  // order counts as updated (a pick is progress even without a new status).
  // Only the stock core's moves change them, with the stock they stand for.
  friend class wms::stock::Moves;
  void updateLine(domain::OrderId id, const domain::OrderLine& line);

  void loadLines(domain::Order& order);
  Tx& tx_;
};

}  // namespace wms::store
