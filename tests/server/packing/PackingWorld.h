// A real database in a temporary folder with the packing schema, a small
// catalogue, stock at pick locations, and helpers that reserve and pick
// orders through the stock core's own moves (wms/stock/Moves.h: the intake's
// reservation, the pick handler's pick into a tote, a short for what was not
// picked), so that the packing services start from the state wmsd leaves.
#pragma once

#include <boost/test/unit_test.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "wms/domain/Stock.h"
#include "wms/packing/PackingConfig.h"
#include "wms/packing/Shipping.h"
#include "wms/stock/Events.h"
#include "wms/store/Database.h"
#include "wms/testsupport/TempDir.h"

namespace wms::packing::test {

// Records what the shipping service told its listener.
class RecordingEvents final : public ShipmentEvents {
 public:
  void shippedInTx(store::Tx&, const ShipResult& result) override;
  void committed(const ShipResult& result) override;
  std::vector<ShipResult> inTx() const;
  std::vector<ShipResult> afterCommit() const;

 private:
  mutable std::mutex mutex_;
  std::vector<ShipResult> inTx_, committed_;
};

struct OrderLineSpec {
  std::string sku;
  std::int64_t qty = 0;
};

class PackingWorld {
 public:
  // `settings` are packing.* / printing.* keys on top of a complete ship-from.
  explicit PackingWorld(std::map<std::string, std::string> settings = {});
  ~PackingWorld();

  store::Database& db() { return *db_; }
  ShippingService& shipping() { return *shipping_; }
  RecordingEvents& events() { return events_; }
  const PackingConfig& config() const { return config_; }
  const testsupport::TempDir& dir() const { return dir_; }

  // Closes the database and opens the same file again (a restart).
  void reopen();

  void addSku(const std::string& code, const std::vector<std::string>& barcodes, domain::Dimensions dims,
              std::int64_t weightG);
  void receive(const std::string& sku, const std::string& location, std::int64_t qty);

  // A stored order with the lines, status allocated, every line reserved.
  domain::OrderId allocatedOrder(const std::string& externalId, const std::vector<OrderLineSpec>& lines,
                                 domain::Address shipTo = defaultShipTo(),
                                 domain::Channel channel = domain::Channel::Shopee);
  // Moves qty units of a line from its pick location into a tote.
  void pick(domain::OrderId id, int lineNo, const std::string& tote, std::int64_t qty);
  // Marks the order picked: what was not picked of a line is short.
  void finishPicking(domain::OrderId id);
  // allocatedOrder + every line picked in full into `tote` + finishPicking.
  domain::OrderId pickedOrder(const std::string& externalId, const std::vector<OrderLineSpec>& lines,
                              const std::string& tote, domain::Address shipTo = defaultShipTo(),
                              domain::Channel channel = domain::Channel::Shopee);

  domain::Order order(domain::OrderId id);
  domain::SkuStock totals(const std::string& sku);
  std::int64_t at(const std::string& sku, const std::string& location);
  std::vector<domain::LedgerEntry> ledger(const std::string& sku);
  // Every broken invariant (StockRepository::figures + domain::checkInvariants).
  void requireInvariants();
  std::int64_t count(const std::string& sql);

  static domain::Address defaultShipTo();

 private:
  void open();
  testsupport::TempDir dir_;
  std::map<std::string, std::string> settings_;
  PackingConfig config_;
  RecordingEvents events_;
  stock::StockEvents stockEvents_;  // nobody listens: no channels here
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<ShippingService> shipping_;
};

// The pick location every SKU of the world is stocked at.
inline constexpr const char* kPickLocation = "A-01-01-1";

}  // namespace wms::packing::test
