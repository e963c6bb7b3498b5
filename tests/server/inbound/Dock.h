// The dock the inbound tests work on: a real SQLite file with the inbound
// schema, a dock, a staging lane, pick faces and reserve locations, and three
// SKUs: MUG (EAN-13 8851234567898), VITC (EAN-8 96385074, lot and expiry
// tracked), TEE (036000291452).
#pragma once

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <tuple>

#include "wms/domain/Catalog.h"
#include "wms/inbound/Counts.h"
#include "wms/inbound/Putaway.h"
#include "wms/inbound/Receiving.h"
#include "wms/inbound/Replenishment.h"
#include "wms/inbound/Schema.h"
#include "wms/stock/Moves.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/Database.h"
#include "wms/store/Query.h"
#include "wms/testsupport/TempDir.h"

namespace wms::inbound::test {

// A pallet's SSCC with a valid check digit, and another.
constexpr const char* kPallet = "106141411234567897";
constexpr const char* kOtherPallet = "106141411234567880";


struct Dock {
  testsupport::TempDir dir{"wms-inbound"};
  std::unique_ptr<store::Database> db;
  stock::StockEvents events;
  std::unique_ptr<ReceivingService> receiving;

  explicit Dock(InboundConfig config = {}) {
    store::DatabaseOptions o;
    o.path = dir.path() / "wms.db";
    o.durability = store::Durability::Normal;
    o.schemas.push_back(inboundSchema());
    auto opened = store::Database::open(o);
    BOOST_REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().message));
    db = std::move(*opened);
    auto st = db->write([&](store::Tx& tx) -> Status {
      store::CatalogRepository c(tx);
      for (auto [code, zone, kind] : {std::tuple{"DOCK-1", "D", domain::LocationKind::Dock},
                                      std::tuple{"STAGE-1", "D", domain::LocationKind::Staging},
                                      std::tuple{"A-01-01-1", "A", domain::LocationKind::Pick},
                                      std::tuple{"A-01-02-1", "A", domain::LocationKind::Pick},
                                      std::tuple{"A-09-01-3", "A", domain::LocationKind::Reserve},
                                      std::tuple{"A-09-02-3", "A", domain::LocationKind::Reserve},
                                      std::tuple{"B-09-01-3", "B", domain::LocationKind::Reserve}}) {
        if (auto s = c.upsertLocation({code, zone, kind}); !s) return s;
      }
      for (auto [code, barcode, tracked] : {std::tuple{"MUG", "8851234567898", false}, std::tuple{"VITC", "96385074", true},
                                            std::tuple{"TEE", "036000291452", false}}) {
        domain::Sku s;
        s.code = code;
        s.description = std::string("Test ") + code;
        s.barcodes.push_back(*domain::classifyBarcode(barcode));
        s.lotTracked = s.expiryTracked = tracked;
        if (auto r = c.upsertSku(s); !r) return r;
      }
      return {};
    });
    BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
    receiving = std::make_unique<ReceivingService>(*db, events, config);
  }

  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    auto st = db->read([&](store::Tx& tx) -> Status {
      store::Query q(tx, sql);
      if (q.step()) n = q.integer(0);
      return {};
    });
    BOOST_REQUIRE(st.ok());
    return n;
  }
  // Puts stock at a location directly (opening stock), as an import does.
  void stockAt(const std::string& sku, const std::string& location, std::int64_t qty, const std::string& lot = {},
               const std::string& expiry = {}) {
    auto st = db->write([&](store::Tx& tx) -> Status {
      stock::Moves moves(tx, events, stock::Actor::integration("test"));
      auto r = moves.receive({sku, location, lot, expiry, 0}, qty, "test", {}, {});
      return r ? Status{} : Status{r.error()};
    });
    BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
  }

  std::int64_t onHand(const std::string& sku) { return count("SELECT COALESCE(SUM(qty), 0) FROM stock WHERE sku = '" + sku + "'"); }
  std::int64_t at(const std::string& sku, const std::string& location) {
    return count("SELECT COALESCE(SUM(qty), 0) FROM stock WHERE sku = '" + sku + "' AND location = '" + location + "'");
  }

  // PO-1 from Acme: 24 mugs (all on the announced pallet), 10 VITC of lot L1.
  PurchaseOrder order(const std::string& reference = "PO-1", const std::string& sscc = kPallet) {
    PurchaseOrderInput in;
    in.reference = reference;
    in.supplier = "Acme Foods";
    in.expectedDate = "2026-12-07";
    in.lines = {{"MUG", 24, "", ""}, {"VITC", 10, "L1", "2028-05-31"}};
    in.units = {{sscc, {{1, 24}}}};
    auto po = receiving->create(in);
    BOOST_REQUIRE_MESSAGE(po.ok(), (po.ok() ? "" : po.error().message));
    return *po;
  }
};

}  // namespace wms::inbound::test
