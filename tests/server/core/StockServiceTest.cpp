#include <boost/test/unit_test.hpp>

#include "ServiceFixture.h"

using namespace wms;
using wms::testsupport::ServiceFixture;

BOOST_AUTO_TEST_SUITE(stock_service)

BOOST_AUTO_TEST_CASE(every_adjustment_writes_a_ledger_row_naming_its_cause) {
  ServiceFixture f;
  f.receive("APPLE", "A-01-01-1", 10);
  auto r = f.stock->adjust({"APPLE", "A-01-01-1", "", "", -2, domain::AdjustReason::Damage, "crushed", ""});
  BOOST_REQUIRE(r.ok());
  auto ledger = f.stock->ledger("APPLE", 0, 100);
  BOOST_REQUIRE(ledger.ok());
  BOOST_REQUIRE(ledger->size() == 2u);
  BOOST_CHECK((*ledger)[0].cause == domain::LedgerCause::Receipt);
  BOOST_CHECK((*ledger)[1].cause == domain::LedgerCause::Damage);
  BOOST_TEST((*ledger)[1].deltaOnHand == -2);
  BOOST_TEST((*ledger)[1].note == "crushed");
  f.requireAuditClean();
}

BOOST_AUTO_TEST_CASE(stock_never_goes_negative_at_a_location) {
  ServiceFixture f;
  f.receive("APPLE", "A-01-01-1", 3);
  auto r = f.stock->adjust({"APPLE", "A-01-01-1", "", "", -4, domain::AdjustReason::Lost, "", ""});
  BOOST_REQUIRE(!r.ok());
  BOOST_CHECK(r.error().kind == ErrorKind::InsufficientStock);
  auto other = f.stock->adjust({"APPLE", "A-01-02-1", "", "", -1, domain::AdjustReason::Lost, "", ""});
  BOOST_REQUIRE(!other.ok());
  BOOST_TEST(f.totals("APPLE").onHand == 3);
  f.requireAuditClean();
}

BOOST_AUTO_TEST_CASE(reserved_units_cannot_be_adjusted_away) {
  ServiceFixture f;
  f.receive("APPLE", "A-01-01-1", 5);
  BOOST_REQUIRE(f.orders->create(ServiceFixture::order("1", {{"APPLE", 4, ""}})).ok());
  auto r = f.stock->adjust({"APPLE", "A-01-01-1", "", "", -2, domain::AdjustReason::Lost, "", ""});
  BOOST_REQUIRE(!r.ok());
  BOOST_CHECK(r.error().kind == ErrorKind::InsufficientStock);
  BOOST_TEST(f.stock->adjust({"APPLE", "A-01-01-1", "", "", -1, domain::AdjustReason::Lost, "", ""}).ok());
  BOOST_TEST(f.totals("APPLE").available() == 0);
  f.requireAuditClean();
}

BOOST_AUTO_TEST_CASE(an_adjustment_replayed_with_its_key_changes_nothing) {
  ServiceFixture f;
  domain::Adjustment a{"BREAD", "A-01-02-1", "", "", 7, domain::AdjustReason::Receipt, "", "rcv-77"};
  auto first = f.stock->adjust(a);
  auto again = f.stock->adjust(a);
  BOOST_REQUIRE(first.ok());
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again->replayed);
  BOOST_TEST(again->ledgerId == first->ledgerId);
  BOOST_TEST(f.totals("BREAD").onHand == 7);
}

BOOST_AUTO_TEST_CASE(unknown_sku_or_location_and_untracked_lots_are_refused) {
  ServiceFixture f;
  BOOST_TEST(f.stock->adjust({"NOPE", "A-01-01-1", "", "", 1, domain::AdjustReason::Receipt, "", ""}).error().message ==
             "no SKU 'NOPE' in the catalogue");
  BOOST_TEST(f.stock->adjust({"APPLE", "Z-99", "", "", 1, domain::AdjustReason::Receipt, "", ""}).error().message ==
             "no location 'Z-99'");
  BOOST_TEST(!f.stock->adjust({"APPLE", "A-01-01-1", "L1", "", 1, domain::AdjustReason::Receipt, "", ""}).ok());
}

BOOST_AUTO_TEST_CASE(lot_and_expiry_tracked_skus_keep_stock_per_lot) {
  ServiceFixture f;
  domain::Sku milk;
  milk.code = "MILK";
  milk.lotTracked = true;
  milk.expiryTracked = true;
  BOOST_REQUIRE(f.catalog->putSku(milk).ok());
  BOOST_TEST(!f.stock->adjust({"MILK", "A-01-01-1", "", "", 1, domain::AdjustReason::Receipt, "", ""}).ok());
  BOOST_REQUIRE(f.stock->adjust({"MILK", "A-01-01-1", "L7", "2027-03-01", 4, domain::AdjustReason::Receipt, "", ""}).ok());
  BOOST_REQUIRE(f.stock->adjust({"MILK", "A-01-01-1", "L8", "2027-04-01", 2, domain::AdjustReason::Receipt, "", ""}).ok());
  auto view = f.stock->skuStock("MILK");
  BOOST_REQUIRE(view.ok());
  BOOST_TEST(view->locations.size() == 2u);
  BOOST_TEST(view->totals.onHand == 6);
  f.requireAuditClean();
}

BOOST_AUTO_TEST_CASE(an_all_or_nothing_import_with_a_bad_row_applies_nothing_and_names_the_line) {
  ServiceFixture f;
  auto report = f.stock->importStock("sku,location,qty\nAPPLE,A-01-01-1,5\nAPPLE,NOWHERE,5\nBREAD,A-01-02-1,2\n",
                                     server::ImportMode::AllOrNothing, "");
  BOOST_REQUIRE(report.ok());
  BOOST_TEST(report->applied == 0u);
  BOOST_REQUIRE(report->errors.size() == 1u);
  BOOST_TEST(report->errors[0].line == 3u);
  BOOST_TEST(f.totals("APPLE").onHand == 0);
  BOOST_TEST(f.totals("BREAD").onHand == 0);
  f.requireAuditClean();
}

BOOST_AUTO_TEST_CASE(a_skip_bad_import_applies_the_good_rows_and_reports_the_bad) {
  ServiceFixture f;
  auto report = f.stock->importStock("sku,location,qty\nAPPLE,A-01-01-1,5\nAPPLE,NOWHERE,5\nBREAD,A-01-02-1,x\n",
                                     server::ImportMode::SkipBad, "");
  BOOST_REQUIRE(report.ok());
  BOOST_TEST(report->applied == 1u);
  BOOST_TEST(report->errors.size() == 2u);
  BOOST_TEST(f.totals("APPLE").onHand == 5);
  f.requireAuditClean();
}

BOOST_AUTO_TEST_CASE(the_same_import_twice_with_its_key_receives_once) {
  ServiceFixture f;
  const std::string csv = "sku,location,qty\nAPPLE,A-01-01-1,5\n";
  auto first = f.stock->importStock(csv, server::ImportMode::AllOrNothing, "sha-1");
  auto second = f.stock->importStock(csv, server::ImportMode::AllOrNothing, "sha-1");
  BOOST_REQUIRE(first.ok());
  BOOST_REQUIRE(second.ok());
  BOOST_TEST(second->replayed);
  BOOST_TEST(second->applied == 1u);
  BOOST_TEST(f.totals("APPLE").onHand == 5);
}

BOOST_AUTO_TEST_CASE(a_catalogue_import_cannot_steal_another_skus_barcode) {
  ServiceFixture f;
  BOOST_REQUIRE(f.catalog->addBarcode("APPLE", "4006381333931").ok());
  auto report = f.catalog->importCatalogue("sku,description,barcodes\nDURIAN,Durian,4006381333931\n",
                                           server::ImportMode::AllOrNothing, "");
  BOOST_REQUIRE(report.ok());
  BOOST_REQUIRE(report->errors.size() == 1u);
  BOOST_TEST(report->errors[0].message == "barcode '4006381333931' already belongs to SKU 'APPLE'");
  BOOST_TEST(!f.catalog->getSku("DURIAN").ok());
  BOOST_TEST(f.catalog->lookupBarcode("04006381333931")->code == "APPLE");
}

BOOST_AUTO_TEST_SUITE_END()
