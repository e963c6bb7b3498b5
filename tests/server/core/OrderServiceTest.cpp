#include <boost/test/unit_test.hpp>

#include "ServiceFixture.h"

using namespace wms;
using wms::testsupport::ServiceFixture;

BOOST_AUTO_TEST_SUITE(order_service)

BOOST_AUTO_TEST_CASE(an_order_reserves_its_units_from_the_central_stock) {
  ServiceFixture f;
  f.receive("APPLE", "A-01-01-1", 10);
  auto r = f.orders->create(ServiceFixture::order("1001", {{"APPLE", 3, ""}, {"APPLE", 2, ""}}));
  BOOST_REQUIRE(r.ok());
  BOOST_TEST(r->created);
  BOOST_CHECK(r->order.status == domain::OrderStatus::Allocated);
  auto t = f.totals("APPLE");
  BOOST_TEST(t.onHand == 10);
  BOOST_TEST(t.allocated == 5);
  BOOST_TEST(t.available() == 5);
  f.requireAuditClean();
}

BOOST_AUTO_TEST_CASE(an_order_that_cannot_be_filled_is_rejected_whole_and_changes_nothing) {
  ServiceFixture f;
  f.receive("APPLE", "A-01-01-1", 5);
  f.receive("BREAD", "A-01-02-1", 1);
  auto r = f.orders->create(ServiceFixture::order("1002", {{"APPLE", 2, ""}, {"BREAD", 2, ""}}));
  BOOST_REQUIRE(!r.ok());
  BOOST_CHECK(r.error().kind == ErrorKind::InsufficientStock);
  BOOST_TEST(r.error().message == "not enough stock: BREAD wanted 2, available 1");
  BOOST_TEST(f.totals("APPLE").allocated == 0);
  BOOST_TEST(!f.orders->getByExternal(domain::Channel::Shopify, "1002").ok());
  f.requireAuditClean();
}

BOOST_AUTO_TEST_CASE(a_backordered_order_is_allocated_when_stock_arrives) {
  ServiceFixture f(domain::ShortagePolicy::Backorder);
  auto r = f.orders->create(ServiceFixture::order("1003", {{"CHEESE", 4, ""}}));
  BOOST_REQUIRE(r.ok());
  BOOST_CHECK(r->order.status == domain::OrderStatus::Backordered);
  BOOST_TEST(f.totals("CHEESE").allocated == 0);
  f.receive("CHEESE", "B-01-01-1", 3);
  BOOST_CHECK(f.orders->get(r->order.id)->status == domain::OrderStatus::Backordered);
  f.receive("CHEESE", "B-01-01-1", 1);
  auto after = f.orders->get(r->order.id);
  BOOST_CHECK(after->status == domain::OrderStatus::Allocated);
  BOOST_TEST(f.totals("CHEESE").allocated == 4);
  f.requireAuditClean();
}

BOOST_AUTO_TEST_CASE(the_same_channel_order_delivered_twice_is_stored_and_reserved_once) {
  ServiceFixture f;
  f.receive("APPLE", "A-01-01-1", 10);
  auto first = f.orders->create(ServiceFixture::order("2001", {{"APPLE", 4, ""}}));
  auto second = f.orders->create(ServiceFixture::order("2001", {{"APPLE", 4, ""}}));
  BOOST_REQUIRE(first.ok());
  BOOST_REQUIRE(second.ok());
  BOOST_TEST(!second->created);
  BOOST_TEST(second->order.id == first->order.id);
  BOOST_TEST(f.totals("APPLE").allocated == 4);
  // The same external id on another channel is another order.
  BOOST_TEST(f.orders->create(ServiceFixture::order("2001", {{"APPLE", 1, ""}}, domain::Channel::Lazada))->created);
}

BOOST_AUTO_TEST_CASE(an_idempotency_key_returns_the_first_answer) {
  ServiceFixture f;
  f.receive("APPLE", "A-01-01-1", 10);
  auto a = f.orders->create(ServiceFixture::order("3001", {{"APPLE", 1, ""}}), "key-1");
  auto b = f.orders->create(ServiceFixture::order("3002", {{"APPLE", 1, ""}}), "key-1");
  BOOST_REQUIRE(a.ok());
  BOOST_REQUIRE(b.ok());
  BOOST_TEST(b->order.id == a->order.id);
  BOOST_TEST(!b->created);
  BOOST_TEST(f.totals("APPLE").allocated == 1);
}

BOOST_AUTO_TEST_CASE(an_unknown_sku_is_refused_naming_the_line) {
  ServiceFixture f;
  auto r = f.orders->create(ServiceFixture::order("4001", {{"APPLE", 1, ""}, {"NOPE", 1, ""}}));
  BOOST_REQUIRE(!r.ok());
  BOOST_CHECK(r.error().kind == ErrorKind::Invalid);
  BOOST_TEST(r.error().message == "lines[1].sku: no SKU 'NOPE' in the catalogue");
}

BOOST_AUTO_TEST_CASE(cancelling_frees_the_reservation_once) {
  ServiceFixture f;
  f.receive("APPLE", "A-01-01-1", 10);
  auto r = f.orders->create(ServiceFixture::order("5001", {{"APPLE", 6, ""}}));
  BOOST_REQUIRE(r.ok());
  BOOST_REQUIRE(f.orders->cancel(r->order.id, "customer changed mind").ok());
  BOOST_REQUIRE(f.orders->cancel(r->order.id, "again").ok());
  BOOST_TEST(f.totals("APPLE").allocated == 0);
  auto o = f.orders->get(r->order.id);
  BOOST_CHECK(o->status == domain::OrderStatus::Cancelled);
  BOOST_TEST(o->holdReason == "customer changed mind");
  f.requireAuditClean();
  BOOST_CHECK(f.orders->cancel(999, "").error().kind == ErrorKind::NotFound);
}

BOOST_AUTO_TEST_SUITE_END()
