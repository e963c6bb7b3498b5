// The stock core's moves on a real SQLite file: each keeps the totals, the
// locations, the order lines and the ledger in step, names who caused it,
// calls the stock-changed hook, and changes nothing when it refuses.
#define BOOST_TEST_MODULE server_stock
#include <boost/test/unit_test.hpp>

#include <memory>

#include "wms/packing/Schema.h"
#include "wms/stock/Moves.h"
#include "wms/stock/OrderIntake.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/Database.h"
#include "wms/store/OrderRepository.h"
#include "wms/store/StockRepository.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;

namespace {

// Records what the hook heard.
struct Heard final : stock::StockListener {
  std::vector<std::string> inTx, afterCommit;
  void changedInTx(store::Tx&, const std::vector<std::string>& skus) override {
    inTx.insert(inTx.end(), skus.begin(), skus.end());
  }
  void committed(const std::vector<std::string>& skus) override {
    afterCommit.insert(afterCommit.end(), skus.begin(), skus.end());
  }
};

struct World {
  testsupport::TempDir dir{"wms-stock"};
  std::unique_ptr<store::Database> db;
  stock::StockEvents events;
  Heard heard;
  const stock::Actor who = stock::Actor::person("B-100");

  World() {
    store::DatabaseOptions o;
    o.path = dir / "wms.db";
    o.durability = store::Durability::Normal;
    o.schemas.push_back(packing::packingSchema());  // picked_units
    auto opened = store::Database::open(o);
    BOOST_REQUIRE(opened.ok());
    db = std::move(*opened);
    events.subscribe(heard);
    require(write([&](store::Tx& tx, stock::Moves&) -> Status {
      store::CatalogRepository catalog(tx);
      for (const char* loc : {"A-01-01-1", "A-01-02-1", "DOCK-1"})
        if (auto s = catalog.upsertLocation({loc, "A", domain::LocationKind::Pick}); !s) return s;
      if (auto s = catalog.upsertLocation({stock::toteLocation("T-1"), "TOTES", domain::LocationKind::Tote}); !s)
        return s;
      for (const char* code : {"MUG", "TEA"}) {
        domain::Sku sku;
        sku.code = code;
        if (auto s = catalog.upsertSku(sku); !s) return s;
      }
      return {};
    }));
  }

  template <class F>
  Status write(F&& work) {
    return db->write([&](store::Tx& tx) -> Status {
      stock::Moves moves(tx, events, who);
      return work(tx, moves);
    });
  }
  void require(const Status& st) { BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message)); }

  domain::SkuStock totals(const std::string& sku) {
    domain::SkuStock out;
    require(db->read([&](store::Tx& tx) -> Status {
      out = store::StockRepository(tx).skuStock(sku).value_or(domain::SkuStock{});
      return {};
    }));
    return out;
  }
  std::int64_t at(const std::string& sku, const std::string& location) {
    std::int64_t n = 0;
    require(db->read([&](store::Tx& tx) -> Status {
      for (const auto& r : store::StockRepository(tx).at(sku, location)) n += r.qty;
      return {};
    }));
    return n;
  }
  std::vector<domain::LedgerEntry> ledger() {
    std::vector<domain::LedgerEntry> out;
    require(db->read([&](store::Tx& tx) -> Status {
      out = store::StockRepository(tx).ledger("", 0, 1000);
      return {};
    }));
    return out;
  }
  void requireInvariants() {
    std::vector<domain::SkuFigures> figures;
    require(db->read([&](store::Tx& tx) -> Status {
      figures = store::StockRepository(tx).figures();
      return {};
    }));
    for (const auto& v : domain::checkInvariants(figures)) BOOST_ERROR(v.sku << ": " << v.message);
  }
  domain::Order order(domain::OrderId id) {
    std::optional<domain::Order> o;
    require(db->read([&](store::Tx& tx) -> Status {
      o = store::OrderRepository(tx).find(id);
      return {};
    }));
    BOOST_REQUIRE(o);
    return *o;
  }
  domain::OrderId reservedOrder(const std::string& ext, const std::string& sku, std::int64_t qty) {
    domain::Order o;
    o.channel = domain::Channel::Shopee;
    o.externalId = ext;
    o.status = domain::OrderStatus::Allocated;
    o.lines.push_back({1, sku, "", qty, 0, 0, 0, 0});
    require(write([&](store::Tx&, stock::Moves& m) { return m.insertReserved(o); }));
    return o.id;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(every_ledger_row_names_who_caused_it_and_the_hook_hears_the_sku) {
  World w;
  w.require(w.write([&](store::Tx&, stock::Moves& m) -> Status {
    auto id = m.receive({"MUG", "DOCK-1", "", "", 0}, 10, "asn:7", "asn:7/1", "");
    if (!id) return id.error();
    BOOST_TEST(m.changed().count("MUG") == 1u);
    return {};
  }));
  auto ledger = w.ledger();
  BOOST_REQUIRE_EQUAL(ledger.size(), 1u);
  BOOST_TEST(ledger[0].actor == "person:B-100");
  BOOST_TEST(ledger[0].idempotencyKey == "asn:7/1");
  BOOST_TEST((ledger[0].cause == domain::LedgerCause::Receipt));
  BOOST_TEST(w.heard.inTx == std::vector<std::string>{"MUG"});
  BOOST_TEST(w.totals("MUG").onHand == 10);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(a_refused_move_changes_nothing_and_names_the_problem) {
  World w;
  w.require(w.write([&](store::Tx&, stock::Moves& m) { return m.receive({"MUG", "A-01-01-1", "", "", 0}, 3, "r", {}, {}).ok() ? Status{} : Status{Error{ErrorKind::Internal, "receive"}}; }));
  const auto before = w.ledger().size();
  auto st = w.write([&](store::Tx&, stock::Moves& m) -> Status {
    auto r = m.changeOnHand({{"MUG", "A-01-01-1", "", "", 0}, -5, domain::LedgerCause::Damage, "adjustment:damage", {}, {}});
    BOOST_REQUIRE(!r);
    BOOST_CHECK(r.error().kind == ErrorKind::InsufficientStock);
    auto unknown = m.changeOnHand({{"NOPE", "A-01-01-1", "", "", 0}, 1, domain::LedgerCause::Receipt, "x", {}, {}});
    BOOST_REQUIRE(!unknown);
    BOOST_TEST(unknown.error().message.find("NOPE") != std::string::npos);
    auto tote = m.changeOnHand({{"MUG", stock::toteLocation("T-1"), "", "", 0}, 1, domain::LedgerCause::Receipt, "x", {}, {}});
    BOOST_REQUIRE(!tote);
    BOOST_TEST(tote.error().message.find("totes") != std::string::npos);
    return {};
  });
  w.require(st);
  BOOST_TEST(w.ledger().size() == before);
  BOOST_TEST(w.totals("MUG").onHand == 3);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(pick_moves_units_into_the_tote_and_ship_takes_them_out_once) {
  World w;
  w.require(w.write([&](store::Tx&, stock::Moves& m) { return m.receive({"MUG", "A-01-01-1", "", "", 0}, 5, "r", {}, {}).ok() ? Status{} : Status{Error{ErrorKind::Internal, "receive"}}; }));
  const auto id = w.reservedOrder("o1", "MUG", 3);
  BOOST_TEST(w.totals("MUG").allocated == 3);
  w.require(w.write([&](store::Tx&, stock::Moves& m) {
    return m.pick({id, 1, {"MUG", "A-01-01-1", "", "", 0}, "T-1", 3, "batch:1/stop:1", ""});
  }));
  BOOST_TEST(w.at("MUG", "A-01-01-1") == 2);
  BOOST_TEST(w.at("MUG", stock::toteLocation("T-1")) == 3);
  BOOST_TEST(w.totals("MUG").onHand == 5);  // a pick moves units, it does not take them
  BOOST_TEST(w.order(id).lines[0].picked == 3);
  // Picking beyond the line is refused and changes nothing.
  auto beyond = w.write([&](store::Tx&, stock::Moves& m) {
    return m.pick({id, 1, {"MUG", "A-01-01-1", "", "", 0}, "T-1", 1, "batch:1/stop:2", ""});
  });
  BOOST_TEST(!beyond.ok());
  BOOST_TEST(w.at("MUG", "A-01-01-1") == 2);

  // Shipping takes them out of the tote, off on-hand and allocated; the
  // same shipment's line cannot ship twice (the reservation is gone).
  auto ship = [&]() {
    return w.write([&](store::Tx& tx, stock::Moves& m) -> Status {
      auto o = store::OrderRepository(tx).find(id);
      return m.ship(*o, {id, 1, 3, "order:1", "ship-1", "shipment 1"});
    });
  };
  w.require(ship());
  BOOST_TEST(w.at("MUG", stock::toteLocation("T-1")) == 0);
  BOOST_TEST(w.totals("MUG").onHand == 2);
  BOOST_TEST(w.totals("MUG").allocated == 0);
  BOOST_TEST(w.order(id).lines[0].shipped == 3);
  auto again = ship();
  BOOST_REQUIRE(!again.ok());
  BOOST_CHECK(again.error().kind == ErrorKind::Conflict);
  BOOST_TEST(w.totals("MUG").onHand == 2);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(a_short_frees_the_missing_units_and_a_write_off_never_takes_reserved_units) {
  World w;
  w.require(w.write([&](store::Tx&, stock::Moves& m) { return m.receive({"TEA", "A-01-02-1", "", "", 0}, 4, "r", {}, {}).ok() ? Status{} : Status{Error{ErrorKind::Internal, "receive"}}; }));
  const auto first = w.reservedOrder("o1", "TEA", 3);
  w.reservedOrder("o2", "TEA", 1);
  w.require(w.write([&](store::Tx& tx, stock::Moves& m) -> Status {
    auto o = store::OrderRepository(tx).find(first);
    return m.shortLine(*o, 1, 3, "short pick at A-01-02-1");
  }));
  auto line = w.order(first).lines[0];
  BOOST_TEST(line.shortQty == 3);
  BOOST_TEST(line.allocated == 0);
  BOOST_TEST(w.totals("TEA").allocated == 1);
  // The shelf "has" 4; the picker found none. 3 are free to write off, the
  // unit order o2 holds is not (it waits for the count).
  w.require(w.write([&](store::Tx&, stock::Moves& m) -> Status {
    auto n = m.writeOffMissing({"TEA", "A-01-02-1", "", "", 0}, 4, domain::LedgerCause::CycleCount, "short:batch:1", "");
    if (!n) return n.error();
    BOOST_TEST(*n == 3);
    return {};
  }));
  BOOST_TEST(w.totals("TEA").onHand == 1);
  BOOST_TEST(w.totals("TEA").allocated == 1);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(a_transfer_moves_units_between_locations_and_a_count_books_the_difference) {
  World w;
  w.require(w.write([&](store::Tx&, stock::Moves& m) { return m.receive({"MUG", "DOCK-1", "", "", 0}, 6, "asn:1", {}, {}).ok() ? Status{} : Status{Error{ErrorKind::Internal, "receive"}}; }));
  w.require(w.write([&](store::Tx&, stock::Moves& m) {
    return m.transfer({"MUG", "DOCK-1", "", "", 0}, "A-01-01-1", 4, "putaway:1", "");
  }));
  BOOST_TEST(w.at("MUG", "DOCK-1") == 2);
  BOOST_TEST(w.at("MUG", "A-01-01-1") == 4);
  BOOST_TEST(w.totals("MUG").onHand == 6);
  auto tooMany = w.write([&](store::Tx&, stock::Moves& m) {
    return m.transfer({"MUG", "DOCK-1", "", "", 0}, "A-01-01-1", 3, "putaway:2", "");
  });
  BOOST_TEST(!tooMany.ok());
  w.require(w.write([&](store::Tx&, stock::Moves& m) -> Status {
    auto d = m.count({"MUG", "A-01-01-1", "", "", 0}, 3, "count:1", "");
    if (!d) return d.error();
    BOOST_TEST(*d == -1);
    return {};
  }));
  BOOST_TEST(w.at("MUG", "A-01-01-1") == 3);
  BOOST_TEST(w.totals("MUG").onHand == 5);
  BOOST_TEST((w.ledger().back().cause == domain::LedgerCause::CycleCount));
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(intake_reserves_atomically_and_the_same_channel_order_again_changes_nothing) {
  World w;
  w.require(w.write([&](store::Tx&, stock::Moves& m) { return m.receive({"MUG", "A-01-01-1", "", "", 0}, 2, "r", {}, {}).ok() ? Status{} : Status{Error{ErrorKind::Internal, "receive"}}; }));
  stock::OrderIntake intake(w.events);
  domain::NewOrder o;
  o.channel = domain::Channel::Lazada;
  o.externalId = "L-1";
  o.shipTo = {"Ann Tan", "", "1 Orchard Rd", "", "Singapore", "", "238823", "SG", "", ""};
  o.lines = {{"MUG", 2, "1"}};
  auto run = [&](const domain::NewOrder& order) {
    Result<stock::IntakeResult> out = Error{ErrorKind::Internal, "not run"};
    auto st = w.db->write([&](store::Tx& tx) -> Status {
      out = intake.create(tx, stock::Actor::integration("lazada"), order);
      return out ? Status{} : Status{out.error()};
    });
    return out;
  };
  auto first = run(o);
  BOOST_REQUIRE(first);
  BOOST_TEST(first->created);
  auto again = run(o);
  BOOST_REQUIRE(again);
  BOOST_TEST(!again->created);
  BOOST_TEST(w.totals("MUG").allocated == 2);
  // The last units are gone: another order is refused whole, nothing stored.
  o.externalId = "L-2";
  auto refused = run(o);
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(refused.error().kind == ErrorKind::InsufficientStock);
  BOOST_TEST(w.totals("MUG").allocated == 2);
  BOOST_TEST(w.ledger().back().actor == "integration:lazada");
  w.requireInvariants();
}
