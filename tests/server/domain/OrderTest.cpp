#include <boost/test/unit_test.hpp>

#include "wms/domain/Order.h"

using namespace wms::domain;

namespace {
NewOrder goodOrder() {
  NewOrder o;
  o.channel = Channel::Shopify;
  o.externalId = "5001";
  o.shipTo = {"Ann Tan", "", "1 Orchard Rd", "", "Singapore", "", "238823", "SG", "", ""};
  o.lines = {{"A1", 2, ""}, {"B2", 1, ""}};
  return o;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(orders)

BOOST_AUTO_TEST_CASE(a_complete_order_is_valid) { BOOST_TEST(validateNewOrder(goodOrder()).ok()); }

BOOST_AUTO_TEST_CASE(errors_name_the_field_path) {
  auto o = goodOrder();
  o.lines[1].qty = 0;
  auto st = validateNewOrder(o);
  BOOST_REQUIRE(!st.ok());
  BOOST_TEST(st.error().message == "lines[1].qty must be a positive whole number, got 0");

  o = goodOrder();
  o.shipTo.postalCode.clear();
  st = validateNewOrder(o);
  BOOST_REQUIRE(!st.ok());
  BOOST_TEST(st.error().message == "ship_to.postal_code is required");
}

BOOST_AUTO_TEST_CASE(negative_quantities_and_empty_orders_are_refused) {
  auto o = goodOrder();
  o.lines[0].qty = -3;
  BOOST_TEST(!validateNewOrder(o).ok());
  o.lines.clear();
  BOOST_TEST(!validateNewOrder(o).ok());
}

BOOST_AUTO_TEST_CASE(store_pickup_needs_only_a_name) {
  auto o = goodOrder();
  o.serviceLevel = ServiceLevel::StorePickup;
  o.shipTo = Address{};
  o.shipTo.name = "Ann";
  BOOST_TEST(validateNewOrder(o).ok());
}

BOOST_AUTO_TEST_CASE(a_postal_code_is_required_only_where_addresses_have_one) {
  auto o = goodOrder();
  o.shipTo.postalCode.clear();
  for (const char* country : {"VN", "HK", "MO", "AE", "QA"}) {
    o.shipTo.country = country;
    BOOST_TEST(validateNewOrder(o).ok(), country);
  }
  for (const char* country : {"SG", "MY", "TH", "ID", "PH", "US", ""}) {
    o.shipTo.country = country;
    BOOST_TEST(!validateNewOrder(o).ok(), country);
  }
  BOOST_TEST(postalCodeRequired("SG"));
  BOOST_TEST(!postalCodeRequired("VN"));
  BOOST_TEST(postalCodeRequired("vn"));  // codes are upper case; a lower-case one is not recognised
}

BOOST_AUTO_TEST_CASE(country_must_be_an_iso_code) {
  auto o = goodOrder();
  o.shipTo.country = "Singapore";
  BOOST_TEST(!validateNewOrder(o).ok());
}

BOOST_AUTO_TEST_CASE(quantities_are_summed_per_sku_in_first_seen_order) {
  auto sums = quantitiesBySku({{"B", 1, ""}, {"A", 2, ""}, {"B", 4, ""}});
  BOOST_REQUIRE(sums.size() == 2u);
  BOOST_TEST(sums[0].first == "B");
  BOOST_TEST(sums[0].second == 5);
  BOOST_TEST(sums[1].second == 2);
}

BOOST_AUTO_TEST_CASE(only_orders_not_yet_picked_can_be_cancelled) {
  BOOST_TEST(isCancellable(OrderStatus::Allocated));
  BOOST_TEST(isCancellable(OrderStatus::Backordered));
  BOOST_TEST(!isCancellable(OrderStatus::Picking));
  BOOST_TEST(!isCancellable(OrderStatus::Shipped));
}

BOOST_AUTO_TEST_CASE(enum_names_round_trip) {
  for (auto c : kAllChannels) BOOST_CHECK(channelFromString(toString(c)) == c);
  BOOST_CHECK(!channelFromString("ebay"));
  BOOST_CHECK(orderStatusFromString("backordered") == OrderStatus::Backordered);
}

BOOST_AUTO_TEST_SUITE_END()
