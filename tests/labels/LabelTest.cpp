#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "LabelsTestSupport.h"
#include "wms/labels/Label.h"

using namespace wms;
using namespace wms::labels;
using namespace wms::labels::test;

namespace {

std::string basicJson() {
  return readText(sourcePath("labels/examples/basic-th.json"));
}

// The basic example with one JSON fragment replaced, for single-field cases.
std::string withReplaced(const std::string& from, const std::string& to) {
  std::string json = basicJson();
  const auto at = json.find(from);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "fragment not in the example: " + from);
  json.replace(at, from.size(), to);
  return json;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(label_json)

BOOST_AUTO_TEST_CASE(every_example_parses_and_passes_validation) {
  const auto names = exampleNames();
  BOOST_REQUIRE_GE(names.size(), 6u);
  for (const auto& name : names) {
    auto label = parseLabelJson(readText(sourcePath("labels/examples/" + name + ".json")));
    BOOST_TEST_CONTEXT(name) {
      BOOST_REQUIRE_MESSAGE(label.ok(), why(label));
      BOOST_TEST(validateLabel(label.value()).ok());
    }
  }
}

BOOST_AUTO_TEST_CASE(basic_example_reads_every_field) {
  const ShippingLabel l = exampleLabel("basic-th");
  BOOST_TEST(l.shipFrom.name == "Acme Fulfilment Warehouse");
  BOOST_TEST(l.shipFrom.region == "Samut Prakan");
  BOOST_TEST(l.shipTo.line2 == "Khlong Toei Nuea, Watthana");
  BOOST_TEST(l.shipTo.postalCode == "10110");
  BOOST_TEST(l.shipTo.country == "TH");
  BOOST_TEST(l.orderReference == "SO-2024-000042");
  BOOST_TEST(l.channel == Channel::Shopee);
  BOOST_TEST(l.channelOrderId == "240501ABCDEF12");
  BOOST_TEST(l.carrier == "Kerry Express");
  BOOST_TEST(l.service == "Next Day");
  BOOST_TEST(l.trackingNumber == "KEX1234567890");
  BOOST_TEST(l.weightGrams == 1250);
  BOOST_TEST(l.cartonNumber == 1);
  BOOST_TEST(l.cartonCount == 2);
  BOOST_TEST(l.sscc == "106141411234567897");  // 17 digits given, check digit 7 appended
}

BOOST_AUTO_TEST_CASE(every_example_round_trips_through_label_to_json) {
  for (const auto& name : exampleNames()) {
    const ShippingLabel original = exampleLabel(name);
    auto again = parseLabelJson(labelToJson(original));
    BOOST_TEST_CONTEXT(name) {
      BOOST_REQUIRE_MESSAGE(again.ok(), why(again));
      BOOST_TEST((again.value() == original));
    }
  }
}

BOOST_AUTO_TEST_CASE(each_broken_fixture_is_rejected_with_its_expected_message) {
  // Each fixture has a .expect beside it: the error kind, then a piece of
  // the message that names the problem.
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(sourcePath("tests/labels/fixtures/bad"))) {
    if (entry.path().extension() == ".expect") continue;
    auto expectFile = entry.path();
    expectFile.replace_extension(".expect");
    std::string expect = readText(expectFile);
    while (!expect.empty() && expect.back() == '\n') expect.pop_back();
    const std::string kind = expect.substr(0, expect.find(' '));
    const std::string message = expect.substr(expect.find(' ') + 1);
    auto result = parseLabelJson(readText(entry.path()));
    BOOST_TEST_CONTEXT(entry.path().filename().string()) {
      BOOST_REQUIRE(!result.ok());
      BOOST_TEST(toString(result.error().kind) == kind);
      BOOST_TEST(result.error().message.find(message) != std::string::npos,
                 "message \"" << result.error().message << "\" lacks \"" << message << "\"");
    }
    ++checked;
  }
  BOOST_TEST(checked >= 30);
}

BOOST_AUTO_TEST_CASE(missing_required_fields_are_named_by_their_json_path) {
  // labelToJson leaves out empty address fields, so clearing a field in the
  // model gives a document where that key is absent.
  const std::pair<std::string (*)(ShippingLabel&), std::string> cases[] = {
      {[](ShippingLabel& l) { return l.shipTo.postalCode = ""; }, "ship_to.postal_code is required"},
      {[](ShippingLabel& l) { return l.shipTo.line1 = ""; }, "ship_to.line1 is required"},
      {[](ShippingLabel& l) { return l.shipTo.country = ""; }, "ship_to.country is required"},
      {[](ShippingLabel& l) { return l.shipFrom.name = ""; }, "ship_from.name is required"},
      {[](ShippingLabel& l) { return l.trackingNumber = ""; }, "tracking_number is required"},
      {[](ShippingLabel& l) { return l.orderReference = ""; }, "order.reference is required"},
      {[](ShippingLabel& l) { return l.service = ""; }, "carrier.service is required"},
      {[](ShippingLabel& l) { return l.sscc = ""; }, "sscc is required"},
  };
  for (const auto& [clear, message] : cases) {
    ShippingLabel label = exampleLabel("basic-th");
    clear(label);
    auto result = parseLabelJson(labelToJson(label));
    BOOST_TEST_CONTEXT(message) {
      BOOST_REQUIRE(!result.ok());
      BOOST_TEST(result.error().kind == ErrorKind::Invalid);
      BOOST_TEST(result.error().message == message);
    }
  }
  auto noWeight = parseLabelJson(withReplaced("\"weight_grams\": 1250,", ""));
  BOOST_REQUIRE(!noWeight.ok());
  BOOST_TEST(noWeight.error().message == "weight_grams is required");
}

BOOST_AUTO_TEST_CASE(a_name_of_200_characters_is_accepted) {
  const std::string name(200, 'N');
  auto result = parseLabelJson(withReplaced("\"Somchai Jaidee\"", "\"" + name + "\""));
  BOOST_REQUIRE(result.ok());
  BOOST_TEST(result->shipTo.name == name);
}

BOOST_AUTO_TEST_CASE(control_characters_right_to_left_and_cjk_text_are_accepted_as_given) {
  auto result =
      parseLabelJson(withReplaced("\"Somchai Jaidee\"", "\"A\\u0007B\\u0000C\\tD \\u202Eמשה 王小明 محمد\""));
  BOOST_REQUIRE(result.ok());
  BOOST_TEST(result->shipTo.name == std::string("A\aB") + '\0' + "C\tD \u202Eמשה 王小明 محمد");
}

BOOST_AUTO_TEST_CASE(a_17_digit_sscc_gets_its_check_digit_and_an_18_digit_one_is_verified) {
  auto seventeen = parseLabelJson(withReplaced("\"10614141123456789\"", "\"00614141000000001\""));
  BOOST_REQUIRE(seventeen.ok());
  BOOST_TEST(seventeen->sscc.size() == 18u);
  auto eighteen = parseLabelJson(withReplaced("\"10614141123456789\"", "\"" + seventeen->sscc + "\""));
  BOOST_REQUIRE(eighteen.ok());
  BOOST_TEST(eighteen->sscc == seventeen->sscc);
}

BOOST_AUTO_TEST_CASE(a_document_over_64_kib_is_too_large_before_parsing) {
  std::string json = withReplaced("\"Somchai Jaidee\"", "\"" + std::string(kMaxLabelJsonBytes, ' ') + "x\"");
  auto result = parseLabelJson(json);
  BOOST_REQUIRE(!result.ok());
  BOOST_TEST(result.error().kind == ErrorKind::TooLarge);
  BOOST_TEST(result.error().message.find("at most 65536") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(null_optional_fields_read_as_empty) {
  auto result = parseLabelJson(withReplaced("\"company\": \"Acme Retail Co., Ltd.\"", "\"company\": null"));
  BOOST_REQUIRE(result.ok());
  BOOST_TEST(result->shipFrom.company.empty());
}

BOOST_AUTO_TEST_CASE(validate_label_applies_the_parser_rules_to_labels_built_in_code) {
  ShippingLabel label = exampleLabel("basic-th");
  BOOST_TEST(validateLabel(label).ok());
  label.sscc = label.sscc.substr(0, 17);
  auto status = validateLabel(label);
  BOOST_REQUIRE(!status.ok());
  BOOST_TEST(status.error().message == "sscc must have 18 digits");
  label = exampleLabel("basic-th");
  label.shipTo.city = " ";
  BOOST_TEST(validateLabel(label).error().message == "ship_to.city is required");
  label = exampleLabel("basic-th");
  label.cartonCount = 1000;
  BOOST_TEST(validateLabel(label).error().message == "carton.count must be between 1 and 999, got 1000");
}

BOOST_AUTO_TEST_CASE(channel_names_have_json_and_display_forms) {
  BOOST_TEST(std::string(toString(Channel::TikTok)) == "tiktok");
  BOOST_TEST(std::string(displayName(Channel::TikTok)) == "TikTok Shop");
  BOOST_TEST(std::string(toString(Channel::Pos)) == "pos");
  BOOST_TEST(std::string(displayName(Channel::Manual)) == "Manual order");
}

// Labels name a channel with the order model's own enum, so a manually keyed
// order prints as what it is rather than as a store sale.
BOOST_AUTO_TEST_CASE(every_sales_channel_round_trips_through_label_json) {
  for (SalesChannel c : kAllSalesChannels) {
    ShippingLabel label = exampleLabel("basic-th");
    label.channel = c;
    auto back = parseLabelJson(labelToJson(label));
    BOOST_TEST_REQUIRE(back.ok(), toString(c));
    BOOST_TEST((back->channel == c));
  }
  ShippingLabel label = exampleLabel("basic-th");
  auto json = labelToJson(label);
  const auto at = json.find(std::string("\"") + toString(label.channel) + "\"");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  json.replace(at, std::string(toString(label.channel)).size() + 2, "\"ebay\"");
  auto refused = parseLabelJson(json);
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error().message == "order.channel must be one of shopify, lazada, shopee, tiktok, amazon, pos, manual");
}

BOOST_AUTO_TEST_SUITE_END()
