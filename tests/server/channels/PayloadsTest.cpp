// Normalisation of each channel's payloads (fixtures in the channels'
// documented shapes, with the documentation's example ids), and every broken
// input kept in fixtures/broken with the error it must give.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "wms/channels/Payloads.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::channels;
using wms::testsupport::readFile;

namespace {

std::filesystem::path fixtures() { return std::filesystem::path(WMS_SOURCE_DIR) / "tests/server/channels/fixtures"; }
std::string fixture(const std::string& name) { return readFile(fixtures() / name); }

ShippedNotice shipped(const std::string& order, const std::string& line, std::int64_t qty) {
  ShippedNotice n;
  n.externalId = order;
  n.trackingNumber = "JT0001234567";
  n.lines = {{line, "SKU", qty}};
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(payloads)

BOOST_AUTO_TEST_CASE(shopify_order_is_normalised_with_its_id_kept_exactly) {
  auto o = parseShopifyOrder(fixture("shopify/orders-create.json"));
  BOOST_REQUIRE_MESSAGE(o.ok(), (o.ok() ? "" : o.error().message));
  BOOST_TEST(o->externalId == "820982911946154508");  // above 2^53: a double would give ...4500
  BOOST_TEST((o->state == OrderState::Open));
  BOOST_TEST(o->createdAtMs == 1640995200000);  // 2021-12-31T19:00:00-05:00 = 2022-01-01T00:00:00Z
  BOOST_REQUIRE(o->lines.size() == 2u);         // the gift card needs no shipping
  BOOST_TEST(o->lines[0].skuKeys == (std::vector<std::string>{"808950810", "IPOD2008PINK"}));
  BOOST_TEST(o->lines[0].externalLineId == "866550311766439020");
  BOOST_TEST(o->lines[1].skuKeys == (std::vector<std::string>{"IPOD2008BLACK"}));
  BOOST_TEST(o->lines[1].qty == 2);
  BOOST_TEST(o->shipTo.name == "Steve Shipper");
  BOOST_TEST(o->shipTo.postalCode == "40003");
  BOOST_TEST(o->shipTo.country == "US");
  BOOST_TEST(o->shipTo.company == "Shipping Company");
  BOOST_TEST((o->serviceLevel == domain::ServiceLevel::Standard));
}

BOOST_AUTO_TEST_CASE(shopify_ids_above_2_pow_53_survive_as_text_and_as_numbers) {
  const std::string body = R"({"id":9007199254740993,"created_at":"2026-11-11T00:00:00Z","updated_at":"2026-11-11T00:00:00Z",)"
                           R"("line_items":[{"id":"9007199254740995","variant_id":18446744073709551615,"quantity":1}]})";
  auto o = parseShopifyOrder(body);
  BOOST_REQUIRE_MESSAGE(o.ok(), (o.ok() ? "" : o.error().message));
  BOOST_TEST(o->externalId == "9007199254740993");
  BOOST_TEST(o->lines[0].externalLineId == "9007199254740995");
  BOOST_TEST(o->lines[0].skuKeys.front() == "18446744073709551615");  // the largest unsigned 64-bit id
}

BOOST_AUTO_TEST_CASE(shopify_cancelled_order_and_store_pickup) {
  auto c = parseShopifyOrder(fixture("shopify/orders-cancelled.json"));
  BOOST_REQUIRE(c.ok());
  BOOST_TEST((c->state == OrderState::Cancelled));
  BOOST_TEST(c->updatedAtMs == 1641028500000);
  auto p = parseShopifyOrder(fixture("shopify/store-pickup.json"));
  BOOST_REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
  BOOST_TEST((p->serviceLevel == domain::ServiceLevel::StorePickup));
  BOOST_TEST(p->shipTo.name == "Mei Lim");  // no shipping address: the customer's name
}

BOOST_AUTO_TEST_CASE(lazada_push_then_order_with_one_item_row_per_unit) {
  auto n = parseLazadaPush(fixture("lazada/push-trade-order.json"));
  BOOST_REQUIRE(n.ok());
  BOOST_TEST(n->aboutOrder);
  BOOST_TEST(n->orderId == "260422900198363");
  BOOST_TEST(n->status == "unpaid");
  BOOST_TEST(n->updatedAtMs == 1603698638000);
  auto o = parseLazadaOrder(fixture("lazada/get-order.json"), fixture("lazada/get-order-items.json"));
  BOOST_REQUIRE_MESSAGE(o.ok(), (o.ok() ? "" : o.error().message));
  BOOST_TEST(o->externalId == "260422900198363");
  BOOST_REQUIRE(o->lines.size() == 1u);  // two units of one SKU; the cancelled cable is not shipped
  BOOST_TEST(o->lines[0].qty == 2);
  BOOST_TEST(o->lines[0].skuKeys.front() == "PHONE-CASE-BLK");
  BOOST_TEST(o->shipTo.country == "VN");  // "Vietnam" by name
  BOOST_TEST(o->shipTo.name == "Nguyen Van A");
  BOOST_TEST(o->updatedAtMs == 1603698662000);  // 14:51:02 +0700
  BOOST_TEST((o->state == OrderState::Open));
}

BOOST_AUTO_TEST_CASE(lazada_order_with_every_item_cancelled_is_cancelled) {
  std::string items = fixture("lazada/get-order-items.json");
  for (std::size_t at; (at = items.find("\"pending\"")) != std::string::npos;) items.replace(at, 9, "\"canceled\"");
  auto o = parseLazadaOrder(fixture("lazada/get-order.json"), items);
  BOOST_REQUIRE(o.ok());
  BOOST_TEST((o->state == OrderState::Cancelled));
}

BOOST_AUTO_TEST_CASE(lazada_push_of_another_message_type_is_not_about_an_order) {
  auto n = parseLazadaPush(R"({"seller_id":"1","message_type":3,"data":{"anything":1},"timestamp":1})");
  BOOST_REQUIRE(n.ok());
  BOOST_TEST(!n->aboutOrder);
}

BOOST_AUTO_TEST_CASE(shopee_push_and_order_detail) {
  auto n = parseShopeePush(fixture("shopee/push-order-status.json"));
  BOOST_REQUIRE(n.ok());
  BOOST_TEST(n->orderId == "220810QYP6D1UB");
  BOOST_TEST(n->status == "READY_TO_SHIP");
  auto o = parseShopeeOrderDetail(fixture("shopee/get-order-detail.json"), "220810QYP6D1UB");
  BOOST_REQUIRE_MESSAGE(o.ok(), (o.ok() ? "" : o.error().message));
  BOOST_REQUIRE(o->lines.size() == 2u);
  BOOST_TEST(o->lines[0].skuKeys == (std::vector<std::string>{"BOTTLE-BLUE", "BOTTLE", "17582914:1000324712"}));
  BOOST_TEST(o->lines[0].qty == 2);
  BOOST_TEST(o->lines[1].skuKeys == (std::vector<std::string>{"17582915:0"}));
  BOOST_TEST(o->shipTo.city == "Singapore");  // no city: the state
  BOOST_TEST(o->shipTo.country == "SG");
  BOOST_TEST(o->shipTo.postalCode == "018956");
  BOOST_TEST(!parseShopeeOrderDetail(fixture("shopee/get-order-detail.json"), "OTHER").ok());
}

BOOST_AUTO_TEST_CASE(tiktok_webhook_and_order_detail_with_one_line_item_per_unit) {
  auto n = parseTikTokWebhook(fixture("tiktok/webhook-order-status.json"));
  BOOST_REQUIRE(n.ok());
  BOOST_TEST(n->eventKey == "7327112393057371910");
  BOOST_TEST(n->orderId == "576461413038785752");
  auto o = parseTikTokOrderDetail(fixture("tiktok/order-detail.json"), "576461413038785752");
  BOOST_REQUIRE_MESSAGE(o.ok(), (o.ok() ? "" : o.error().message));
  BOOST_REQUIRE(o->lines.size() == 2u);
  BOOST_TEST(o->lines[0].skuKeys == (std::vector<std::string>{"MUG-WHITE", "1729582718312380000:2729382476852921000", "2729382476852921000"}));
  BOOST_TEST(o->lines[0].qty == 2);
  BOOST_TEST(o->lines[1].skuKeys == (std::vector<std::string>{"1729582718312380001:2729382476852921001", "2729382476852921001"}));
  BOOST_TEST(o->shipTo.city == "Makati");
  BOOST_TEST(o->shipTo.region == "Metro Manila");
  BOOST_TEST(o->shipTo.country == "PH");
}

BOOST_AUTO_TEST_CASE(amazon_orders_keep_mfn_only_and_items_skip_cancelled_quantities) {
  auto page = parseAmazonOrders(fixture("amazon/get-orders.json"));
  BOOST_REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.error().message));
  BOOST_REQUIRE(page->orders.size() == 1u);
  BOOST_TEST(page->skippedAfn == 1u);
  BOOST_TEST(page->nextToken == "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4=");
  const auto& o = page->orders[0];
  BOOST_TEST(o.externalId == "902-3159896-1390916");
  BOOST_TEST((o.serviceLevel == domain::ServiceLevel::Express));  // Expedited
  BOOST_TEST(o.shipTo.country == "US");
  auto items = parseAmazonOrderItems(fixture("amazon/get-order-items.json"));
  BOOST_REQUIRE(items.ok());
  BOOST_REQUIRE(items->lines.size() == 2u);
  BOOST_TEST(items->lines[1].skuKeys.front() == "CBA_OTF_5");
  BOOST_TEST(items->lines[1].qty == 2);
}

BOOST_AUTO_TEST_CASE(timestamps_in_each_channels_format) {
  BOOST_TEST(*parseTimestamp("1970-01-01T00:00:00Z") == 0);
  BOOST_TEST(*parseTimestamp("2021-12-31T19:00:00-05:00") == 1640995200000);
  BOOST_TEST(*parseTimestamp("2022-01-01T00:00:00.250Z") == 1640995200250);
  BOOST_TEST(*parseTimestamp("2022-01-01 08:00:00 +0800") == 1640995200000);
  BOOST_TEST(*parseTimestamp("2024-02-29T00:00:00Z") == 1709164800000);
  for (const char* bad : {"", "2022-01-01", "2022-01-01T00:00:00", "2022-13-01T00:00:00Z", "2022-01-01T00:00:00+25:00",
                          "2022-01-01T00:00:00Zjunk", "2022-01-01T24:00:00Z", "２０２２-01-01T00:00:00Z"})
    BOOST_TEST(!parseTimestamp(bad).ok(), bad);
}

BOOST_AUTO_TEST_CASE(every_broken_fixture_is_refused_with_its_expected_message) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures() / "broken")) {
    if (entry.path().extension() != ".json") continue;
    const std::string body = readFile(entry.path());
    std::string expected = readFile(std::filesystem::path(entry.path()).replace_extension(".err"));
    const std::string parser = expected.substr(0, expected.find('\n'));
    std::string message = expected.substr(expected.find('\n') + 1);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    std::optional<wms::Error> error;
    auto take = [&](const auto& r) {
      if (!r.ok()) error = r.error();
    };
    if (parser == "shopify") take(parseShopifyOrder(body));
    else if (parser == "lazada-push") take(parseLazadaPush(body));
    else if (parser == "lazada-order") take(parseLazadaOrder(body, fixture("lazada/get-order-items.json")));
    else if (parser == "shopee-push") take(parseShopeePush(body));
    else if (parser == "shopee-detail") take(parseShopeeOrderDetail(body, "220810QYP6D1UB"));
    else if (parser == "tiktok-webhook") take(parseTikTokWebhook(body));
    else if (parser == "tiktok-detail") take(parseTikTokOrderDetail(body, "576461413038785752"));
    else if (parser == "amazon-orders") take(parseAmazonOrders(body));
    else if (parser == "amazon-items") take(parseAmazonOrderItems(body));
    else if (parser == "shopify-fulfillment-orders") take(planShopifyFulfilment(body, shipped("450789469", "466157049", 2)));
    else if (parser == "shopify-graphql") take(readShopifyGraphql(body, "inventorySetQuantities"));
    else if (parser == "lazada-units") take(planLazadaUnits(body, shipped("260422900198363", "260422900298363", 1)));
    else if (parser == "tiktok-units") take(planTikTokUnits(body, shipped("576461413038785752", "577087614418520000", 1)));
    else BOOST_FAIL("unknown parser " << parser << " in " << entry.path());
    BOOST_TEST_CONTEXT(entry.path().filename().string()) {
      BOOST_TEST_REQUIRE(error.has_value());
      BOOST_TEST(error->message.find(message) != std::string::npos, "'" << error->message << "' lacks '" << message << "'");
    }
    ++checked;
  }
  BOOST_TEST(checked >= 20);
}

BOOST_AUTO_TEST_CASE(tiktok_webhook_without_a_notification_id_is_keyed_by_order_status_and_time) {
  auto with = parseTikTokWebhook(fixture("tiktok/webhook-order-status.json"));
  auto without = parseTikTokWebhook(fixture("tiktok/webhook-order-status-no-id.json"));
  BOOST_REQUIRE(with.ok());
  BOOST_REQUIRE(without.ok());
  BOOST_TEST(with->eventKey == "7327112393057371910");
  BOOST_TEST(without->eventKey == "576461413038785752:AWAITING_SHIPMENT:1644412884000");
  BOOST_TEST(without->orderId == with->orderId);
  BOOST_TEST(without->aboutOrder);
}

BOOST_AUTO_TEST_CASE(platform_errors_of_the_platforms_side_are_transient_and_of_the_request_permanent) {
  BOOST_TEST((lazadaErrorKind("ISP", "InternalError", "") == ErrorKind::Unavailable));
  BOOST_TEST((lazadaErrorKind("SYSTEM", "ApiCallLimit", "") == ErrorKind::Unavailable));
  BOOST_TEST((lazadaErrorKind("ISV", "MissingParameter", "") == ErrorKind::Invalid));
  BOOST_TEST((lazadaErrorKind("SYSTEM", "IllegalAccessToken", "The specified access token is invalid") == ErrorKind::Invalid));
  BOOST_TEST((shopeeErrorKind("error_server", "") == ErrorKind::Unavailable));
  BOOST_TEST((shopeeErrorKind("error_busy", "") == ErrorKind::Unavailable));
  BOOST_TEST((shopeeErrorKind("error_param", "order_sn_list is invalid") == ErrorKind::Invalid));
  BOOST_TEST((shopeeErrorKind("error_auth", "Invalid access_token.") == ErrorKind::Invalid));
  BOOST_TEST((tiktokErrorKind(36009004, "Internal error, please try again later.") == ErrorKind::Unavailable));
  BOOST_TEST((tiktokErrorKind(21011001, "Order does not exist") == ErrorKind::Invalid));
}

BOOST_AUTO_TEST_CASE(a_lazada_backend_error_on_get_order_is_transient_a_request_error_is_not) {
  auto isp = parseLazadaOrder(fixture("lazada/error-isp.json"), fixture("lazada/get-order-items.json"));
  BOOST_REQUIRE(!isp.ok());
  BOOST_TEST((isp.error().kind == ErrorKind::Unavailable));
  BOOST_TEST(isp.error().message.find("(ISP)") != std::string::npos, isp.error().message);
  auto isv = parseLazadaOrder(fixture("lazada/error-isv.json"), fixture("lazada/get-order-items.json"));
  BOOST_REQUIRE(!isv.ok());
  BOOST_TEST((isv.error().kind == ErrorKind::Invalid));
  auto shopee = parseShopeeOrderDetail(fixture("shopee/error-server.json"), "201218V2Y6E59M");
  BOOST_REQUIRE(!shopee.ok());
  BOOST_TEST((shopee.error().kind == ErrorKind::Unavailable));
}

BOOST_AUTO_TEST_CASE(shopees_failure_list_with_an_empty_error_is_a_refusal_with_its_reason) {
  auto refused = readShopeeUpdateStock(fixture("shopee/update-stock-failure.json"));
  BOOST_REQUIRE(!refused.ok());
  BOOST_TEST((refused.error().kind == ErrorKind::Invalid));
  BOOST_TEST(refused.error().message == "Shopee update_stock refused model 4000001: model is under review");
  BOOST_TEST(readShopeeUpdateStock(fixture("shopee/update-stock-success.json")).ok());
  auto busy = readShopeeUpdateStock(fixture("shopee/error-server.json"));
  BOOST_REQUIRE(!busy.ok());
  BOOST_TEST((busy.error().kind == ErrorKind::Unavailable));
}

BOOST_AUTO_TEST_CASE(amazons_invalid_submission_answered_200_is_a_refusal_with_its_error_issues) {
  auto refused = readAmazonListingsSubmission(fixture("amazon/listings-patch-invalid.json"));
  BOOST_REQUIRE(!refused.ok());
  BOOST_TEST((refused.error().kind == ErrorKind::Invalid));
  BOOST_TEST(refused.error().message ==
             "Amazon patchListingsItem INVALID: 90220 'fulfillment_availability' is not valid for this listing");
  BOOST_TEST(readAmazonListingsSubmission(fixture("amazon/listings-patch-accepted.json")).ok());
  BOOST_TEST(!readAmazonListingsSubmission(R"({"sku":"X"})").ok());  // no status: unreadable, not success
}

BOOST_AUTO_TEST_SUITE_END()
