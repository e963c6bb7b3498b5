// A real database in a temporary folder with the services over it, plus a
// small catalogue: what the service tests start from.
#pragma once

#include <boost/test/unit_test.hpp>

#include <memory>

#include "wms/server/CatalogService.h"
#include "wms/server/OrderService.h"
#include "wms/server/StockService.h"
#include "wms/stock/OrderIntake.h"
#include "wms/store/Database.h"
#include "wms/testsupport/TempDir.h"

namespace wms::testsupport {

struct ServiceFixture {
  TempDir dir;
  std::unique_ptr<store::Database> db;
  wms::stock::StockEvents events;  // nobody listens: no channels here
  std::unique_ptr<wms::stock::OrderIntake> intake;
  std::unique_ptr<server::CatalogService> catalog;
  std::unique_ptr<server::StockService> stock;
  std::unique_ptr<server::OrderService> orders;

  explicit ServiceFixture(domain::ShortagePolicy policy = domain::ShortagePolicy::Reject) : dir("wms-svc") {
    store::DatabaseOptions o;
    o.path = dir / "wms.db";
    o.durability = store::Durability::Normal;  // tests check logic, not fsync
    auto opened = store::Database::open(o);
    BOOST_REQUIRE(opened.ok());
    db = std::move(*opened);
    catalog = std::make_unique<server::CatalogService>(*db);
    intake = std::make_unique<wms::stock::OrderIntake>(events, wms::stock::IntakeOptions{policy});
    stock = std::make_unique<server::StockService>(*db, events);
    orders = std::make_unique<server::OrderService>(*db, *intake);
    for (const char* loc : {"A-01-01-1", "A-01-02-1", "B-01-01-1"}) {
      BOOST_REQUIRE(catalog->putLocation({loc, std::string(1, loc[0]), domain::LocationKind::Pick}).ok());
    }
    for (const char* sku : {"APPLE", "BREAD", "CHEESE"}) {
      domain::Sku s;
      s.code = sku;
      BOOST_REQUIRE(catalog->putSku(s).ok());
    }
  }

  void receive(const std::string& sku, const std::string& loc, std::int64_t qty) {
    auto r = stock->adjust({sku, loc, "", "", qty, domain::AdjustReason::Receipt, "", ""});
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  }

  domain::SkuStock totals(const std::string& sku) {
    auto v = stock->skuStock(sku);
    BOOST_REQUIRE(v.ok());
    return v->totals;
  }

  static domain::NewOrder order(const std::string& ext, std::vector<domain::NewOrderLine> lines,
                                domain::Channel channel = domain::Channel::Shopify) {
    domain::NewOrder o;
    o.channel = channel;
    o.externalId = ext;
    o.shipTo = {"Ann Tan", "", "1 Orchard Rd", "", "Singapore", "", "238823", "SG", "", ""};
    o.lines = std::move(lines);
    return o;
  }

  void requireAuditClean() {
    auto audit = stock->audit();
    BOOST_REQUIRE(audit.ok());
    for (const auto& v : audit->violations) BOOST_ERROR(v.sku << ": " << v.message);
  }
};

}  // namespace wms::testsupport
