#include "PackingWorld.h"

#include "wms/domain/Stock.h"
#include "wms/packing/Schema.h"
#include "wms/stock/Moves.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/OrderRepository.h"
#include "wms/store/Query.h"
#include "wms/store/StockRepository.h"

namespace wms::packing::test {
namespace {

const stock::Actor kTestActor = stock::Actor::system("packing-test");

}  // namespace

void RecordingEvents::shippedInTx(store::Tx&, const ShipResult& result) {
  std::lock_guard lock(mutex_);
  inTx_.push_back(result);
}
void RecordingEvents::committed(const ShipResult& result) {
  std::lock_guard lock(mutex_);
  committed_.push_back(result);
}
std::vector<ShipResult> RecordingEvents::inTx() const {
  std::lock_guard lock(mutex_);
  return inTx_;
}
std::vector<ShipResult> RecordingEvents::afterCommit() const {
  std::lock_guard lock(mutex_);
  return committed_;
}

domain::Address PackingWorld::defaultShipTo() {
  return {"Somchai Jaidee", "",   "123/45 Sukhumvit Soi 21", "Khlong Toei Nuea",   "Bangkok", "",
          "10110",          "TH", "+66 81 234 5678",         "somchai@example.com"};
}

PackingWorld::PackingWorld(std::map<std::string, std::string> settings) : dir_("wms-packing") {
  settings_ = {{"packing.ship_from.name", "Acme Fulfilment Warehouse"},
               {"packing.ship_from.line1", "99/1 Moo 4, Bangna-Trad Road km 23"},
               {"packing.ship_from.city", "Bang Sao Thong"},
               {"packing.ship_from.region", "Samut Prakan"},
               {"packing.ship_from.postal_code", "10570"},
               {"packing.ship_from.country", "TH"},
               {"packing.gs1_company_prefix", "0614141"}};
  for (const auto& [k, v] : settings) settings_[k] = v;
  auto config = packingConfigFrom(settings_);
  BOOST_REQUIRE_MESSAGE(config.ok(), (config.ok() ? "" : config.error().message));
  config_ = *config;
  open();

  auto st = db_->write([&](store::Tx& tx) -> Status {
    store::CatalogRepository catalog(tx);
    for (const char* loc : {kPickLocation, "A-01-02-1"}) {
      if (auto s = catalog.upsertLocation({loc, "A", domain::LocationKind::Pick}); !s) return s;
    }
    return {};
  });
  BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
  addSku("MUG", {"8851234567898"}, {120, 90, 100}, 350);
  addSku("TEE", {"036000291452"}, {300, 250, 20}, 200);
  addSku("BOOK", {"9780306406157"}, {240, 160, 30}, 500);
  addSku("CAN", {"09501101530003"}, {66, 66, 115}, 400);
  addSku("BIG", {"BIG-001"}, {900, 700, 600}, 15000);
  for (const char* sku : {"MUG", "TEE", "BOOK", "CAN", "BIG"}) receive(sku, kPickLocation, 100);
}

PackingWorld::~PackingWorld() {
  shipping_.reset();
  db_.reset();
}

void PackingWorld::open() {
  store::DatabaseOptions o;
  o.path = dir_ / "wms.db";
  o.durability = store::Durability::Normal;  // tests check logic, not fsync
  o.schemas.push_back(packingSchema());
  auto db = store::Database::open(o);
  BOOST_REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.error().message));
  db_ = std::move(*db);
  shipping_ = std::make_unique<ShippingService>(*db_, config_, stockEvents_, events_);
}

void PackingWorld::reopen() {
  shipping_.reset();
  db_.reset();
  open();
}

void PackingWorld::addSku(const std::string& code, const std::vector<std::string>& barcodes,
                          domain::Dimensions dims, std::int64_t weightG) {
  auto st = db_->write([&](store::Tx& tx) -> Status {
    domain::Sku s;
    s.code = code;
    s.description = "Test item " + code;
    for (const auto& b : barcodes) {
      auto c = domain::classifyBarcode(b);
      if (!c) return c.error();
      s.barcodes.push_back(*c);
    }
    s.dims = dims;
    s.weightG = weightG;
    return store::CatalogRepository(tx).upsertSku(s);
  });
  BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
}

void PackingWorld::receive(const std::string& sku, const std::string& location, std::int64_t qty) {
  auto st = db_->write([&](store::Tx& tx) -> Status {
    stock::Moves moves(tx, stockEvents_, kTestActor);
    auto id = moves.receive({sku, location, "", "", 0}, qty, "test", {}, {});
    if (!id) return id.error();
    return {};
  });
  BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
}

domain::OrderId PackingWorld::allocatedOrder(const std::string& externalId,
                                             const std::vector<OrderLineSpec>& lines, domain::Address shipTo,
                                             domain::Channel channel) {
  domain::OrderId id = 0;
  auto st = db_->write([&](store::Tx& tx) -> Status {
    domain::Order o;
    o.channel = channel;
    o.externalId = externalId;
    o.status = domain::OrderStatus::Allocated;
    o.shipTo = shipTo;
    int no = 0;
    for (const auto& l : lines) {
      domain::OrderLine ol;
      ol.lineNo = ++no;
      ol.sku = l.sku;
      ol.qty = l.qty;
      o.lines.push_back(ol);
    }
    // The stock core's intake move: stored with every line reserved.
    stock::Moves moves(tx, stockEvents_, kTestActor);
    if (auto s = moves.insertReserved(o); !s) return s;
    id = o.id;
    return {};
  });
  BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
  return id;
}

void PackingWorld::pick(domain::OrderId id, int lineNo, const std::string& tote, std::int64_t qty) {
  auto st = db_->write([&](store::Tx& tx) -> Status {
    store::OrderRepository orders(tx);
    auto o = orders.find(id);
    if (!o) return Error{ErrorKind::NotFound, "no order"};
    const domain::OrderLine* line = nullptr;
    for (const auto& l : o->lines) {
      if (l.lineNo == lineNo) line = &l;
    }
    if (!line) return Error{ErrorKind::NotFound, "no line"};
    // A tote is a location of kind tote (the waves' tote pool makes them).
    if (auto s = store::CatalogRepository(tx).upsertLocation({stock::toteLocation(tote), "TOTES", domain::LocationKind::Tote}); !s)
      return s;
    // The pick handler's move, exactly.
    stock::Moves moves(tx, stockEvents_, kTestActor);
    if (auto s = moves.pick({id, lineNo, {line->sku, kPickLocation, "", "", 0}, tote, qty, "order:" + std::to_string(id), ""});
        !s)
      return s;
    orders.setStatus(id, domain::OrderStatus::Picking);
    return {};
  });
  BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
}

void PackingWorld::finishPicking(domain::OrderId id) {
  auto st = db_->write([&](store::Tx& tx) -> Status {
    store::OrderRepository orders(tx);
    auto o = orders.find(id);
    if (!o) return Error{ErrorKind::NotFound, "no order"};
    // What was not picked of a line is short, as the pick handler records a
    // short pick (its allocation is freed).
    stock::Moves moves(tx, stockEvents_, kTestActor);
    for (const auto& l : std::vector<domain::OrderLine>(o->lines)) {
      if (l.qty - l.picked - l.shortQty <= 0) continue;
      if (auto s = moves.shortLine(*o, l.lineNo, l.qty - l.picked - l.shortQty, "test: not picked"); !s) return s;
    }
    orders.setStatus(id, domain::OrderStatus::Picked);
    return {};
  });
  BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
}

domain::OrderId PackingWorld::pickedOrder(const std::string& externalId,
                                          const std::vector<OrderLineSpec>& lines, const std::string& tote,
                                          domain::Address shipTo, domain::Channel channel) {
  auto id = allocatedOrder(externalId, lines, std::move(shipTo), channel);
  for (std::size_t i = 0; i < lines.size(); ++i) pick(id, static_cast<int>(i) + 1, tote, lines[i].qty);
  finishPicking(id);
  return id;
}

domain::Order PackingWorld::order(domain::OrderId id) {
  std::optional<domain::Order> out;
  auto st = db_->read([&](store::Tx& tx) -> Status {
    out = store::OrderRepository(tx).find(id);
    return {};
  });
  BOOST_REQUIRE(st.ok());
  BOOST_REQUIRE(out.has_value());
  return *out;
}

domain::SkuStock PackingWorld::totals(const std::string& sku) {
  std::optional<domain::SkuStock> out;
  auto st = db_->read([&](store::Tx& tx) -> Status {
    out = store::StockRepository(tx).skuStock(sku);
    return {};
  });
  BOOST_REQUIRE(st.ok());
  BOOST_REQUIRE(out.has_value());
  return *out;
}

std::int64_t PackingWorld::at(const std::string& sku, const std::string& location) {
  std::int64_t total = 0;
  auto st = db_->read([&](store::Tx& tx) -> Status {
    for (const auto& s : store::StockRepository(tx).at(sku, location)) total += s.qty;
    return {};
  });
  BOOST_REQUIRE(st.ok());
  return total;
}

std::vector<domain::LedgerEntry> PackingWorld::ledger(const std::string& sku) {
  std::vector<domain::LedgerEntry> out;
  auto st = db_->read([&](store::Tx& tx) -> Status {
    out = store::StockRepository(tx).ledger(sku, 0, 100000);
    return {};
  });
  BOOST_REQUIRE(st.ok());
  return out;
}

void PackingWorld::requireInvariants() {
  std::vector<domain::SkuFigures> figures;
  auto st = db_->read([&](store::Tx& tx) -> Status {
    figures = store::StockRepository(tx).figures();
    return {};
  });
  BOOST_REQUIRE(st.ok());
  BOOST_REQUIRE(!figures.empty());
  for (const auto& v : domain::checkInvariants(figures)) BOOST_ERROR(v.sku << ": " << v.message);
}

std::int64_t PackingWorld::count(const std::string& sql) {
  std::int64_t n = 0;
  auto st = db_->read([&](store::Tx& tx) -> Status {
    n = store::queryInteger(tx, sql).value_or(0);
    return {};
  });
  BOOST_REQUIRE(st.ok());
  return n;
}

}  // namespace wms::packing::test
