// Planning each channel's fulfilment call from its own view of the order
// (src/payloads/Fulfilment.cpp): which fulfillment order line items or unit
// rows the shipped lines stand for. Broken answers are in fixtures/broken
// (PayloadsTest checks them all).
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "wms/channels/Payloads.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::channels;
using wms::testsupport::readFile;

namespace {

std::string fixture(const std::string& name) {
  return readFile(std::filesystem::path(WMS_SOURCE_DIR) / "tests/server/channels/fixtures" / name);
}

ShippedNotice shipped(const std::string& order, std::vector<std::pair<std::string, std::int64_t>> lines) {
  ShippedNotice n;
  n.externalId = order;
  n.trackingNumber = "JT0001234567";
  for (auto& [id, qty] : lines) n.lines.push_back({id, "SKU", qty});
  return n;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fulfilment_plans)

BOOST_AUTO_TEST_CASE(shopify_plan_covers_the_lines_across_open_fulfillment_orders_up_to_what_is_fulfillable) {
  auto plan = planShopifyFulfilment(fixture("shopify/graphql-fulfillment-orders.json"),
                                    shipped("450789469", {{"466157049", 3}, {"518995019", 1}}));
  BOOST_REQUIRE_MESSAGE(plan.ok(), (plan.ok() ? "" : plan.error().message));
  BOOST_TEST(!plan->alreadyFulfilled);
  BOOST_REQUIRE(plan->byFulfillmentOrder.size() == 2u);
  BOOST_TEST(plan->byFulfillmentOrder[0].first == "gid://shopify/FulfillmentOrder/1046000789");
  const auto& first = plan->byFulfillmentOrder[0].second;
  BOOST_REQUIRE(first.size() == 2u);
  BOOST_TEST(first[0].first == "gid://shopify/FulfillmentOrderLineItem/1058737482");
  BOOST_TEST(first[0].second == 1);  // only 1 of its 3 remains to be fulfilled
  BOOST_TEST(first[1].first == "gid://shopify/FulfillmentOrderLineItem/1058737483");
  BOOST_TEST(first[1].second == 1);
  BOOST_TEST(plan->byFulfillmentOrder[1].first == "gid://shopify/FulfillmentOrder/1046000790");
  BOOST_REQUIRE(plan->byFulfillmentOrder[1].second.size() == 1u);
  BOOST_TEST(plan->byFulfillmentOrder[1].second[0].second == 2);
}

BOOST_AUTO_TEST_CASE(shopify_plan_of_lines_fulfilled_already_says_so_instead_of_failing) {
  auto plan = planShopifyFulfilment(fixture("shopify/graphql-fulfillment-orders.json"),
                                    shipped("450789469", {{"703073504", 1}}));
  BOOST_REQUIRE(plan.ok());
  BOOST_TEST(plan->alreadyFulfilled);
  BOOST_TEST(plan->byFulfillmentOrder.empty());
}

BOOST_AUTO_TEST_CASE(lazada_plan_takes_one_open_row_per_unit_of_the_lines_sku_and_never_a_cancelled_one) {
  const std::string items = fixture("lazada/get-order-items.json");
  auto plan = planLazadaUnits(items, shipped("260422900198363", {{"260422900298363", 2}}));
  BOOST_REQUIRE_MESSAGE(plan.ok(), (plan.ok() ? "" : plan.error().message));
  BOOST_TEST(plan->unitIds == (std::vector<std::string>{"260422900298363", "260422900298364"}), boost::test_tools::per_element());
  // More than the order has: what there is.
  auto more = planLazadaUnits(items, shipped("260422900198363", {{"260422900298364", 5}}));
  BOOST_REQUIRE(more.ok());
  BOOST_TEST(more->unitIds.size() == 2u);
  // The cancelled cable: nothing to ship, and not shipped before either.
  auto cancelled = planLazadaUnits(items, shipped("260422900198363", {{"260422900298365", 1}}));
  BOOST_REQUIRE(cancelled.ok());
  BOOST_TEST(cancelled->unitIds.empty());
  BOOST_TEST(!cancelled->alreadyShipped);
}

BOOST_AUTO_TEST_CASE(lazada_plan_of_rows_ready_to_ship_already_says_so) {
  const std::string items = replaceAll(fixture("lazada/get-order-items.json"), "\"pending\"", "\"ready_to_ship\"");
  auto plan = planLazadaUnits(items, shipped("260422900198363", {{"260422900298363", 2}}));
  BOOST_REQUIRE(plan.ok());
  BOOST_TEST(plan->unitIds.empty());
  BOOST_TEST(plan->alreadyShipped);
}

BOOST_AUTO_TEST_CASE(tiktok_plan_takes_the_line_items_of_the_same_sku_and_refuses_another_order) {
  const std::string detail = fixture("tiktok/order-detail.json");
  auto plan = planTikTokUnits(detail, shipped("576461413038785752", {{"577087614418520000", 2}, {"577087614418520002", 1}}));
  BOOST_REQUIRE_MESSAGE(plan.ok(), (plan.ok() ? "" : plan.error().message));
  BOOST_TEST(plan->unitIds == (std::vector<std::string>{"577087614418520000", "577087614418520001", "577087614418520002"}),
             boost::test_tools::per_element());
  auto other = planTikTokUnits(detail, shipped("576461413038785753", {{"577087614418520000", 1}}));
  BOOST_REQUIRE(!other.ok());
  BOOST_TEST(other.error().message.find("has no order 576461413038785753") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
