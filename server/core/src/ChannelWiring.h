// Internal: the channels component wired into the server: its OrderIntake
// and StockMoves over the order service and the stock moves, and the
// StockEvents hook that feeds its outbox.
#pragma once

#include "wms/channels/ChannelHub.h"
#include "wms/channels/OrderIntake.h"
#include "wms/server/OrderService.h"
#include "wms/server/StockEvents.h"

namespace wms::server {

class ChannelIntake final : public channels::OrderIntake, public channels::StockMoves {
 public:
  explicit ChannelIntake(OrderService& orders) : orders_(orders) {}

  Result<channels::IntakeResult> create(store::Tx& tx, const domain::NewOrder& order) override;
  Result<channels::IntakeResult> createHeld(store::Tx& tx, const domain::NewOrder& order,
                                            const std::string& reason) override;
  Result<channels::IntakeResult> cancel(store::Tx& tx, domain::OrderId id, const std::string& reason) override;
  Result<channels::IntakeResult> releaseHold(store::Tx& tx, domain::OrderId id,
                                             const std::vector<std::pair<int, std::string>>& lineSkus) override;
  Result<std::int64_t> changeOnHand(store::Tx& tx, const domain::StockAtLocation& where, std::int64_t delta,
                                    domain::LedgerCause cause, const std::string& reference,
                                    const std::string& note) override;

 private:
  OrderService& orders_;
};

// Forwards stock changes to the channels' outbox once the hub exists; before
// that (and without one) it listens to nothing.
class ChannelStockEvents final : public StockEvents {
 public:
  void attach(channels::ChannelHub* hub) { hub_ = hub; }
  void changedInTx(store::Tx& tx, const std::vector<std::string>& skus) override {
    if (hub_) hub_->changedInTx(tx, skus);
  }
  void committed(const std::vector<std::string>& skus) override {
    if (hub_) hub_->committed(skus);
  }

 private:
  channels::ChannelHub* hub_ = nullptr;
};

}  // namespace wms::server
