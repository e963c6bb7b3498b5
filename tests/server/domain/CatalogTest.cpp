#include <boost/test/unit_test.hpp>

#include "wms/domain/Catalog.h"
#include "wms/domain/Ids.h"
#include "wms/gs1/Gs1.h"

#include <vector>

using namespace wms::domain;

BOOST_AUTO_TEST_SUITE(catalog)

BOOST_AUTO_TEST_CASE(gs1_check_digit_matches_published_examples) {
  // GS1's own examples: GTIN-13 4006381333931, GTIN-12 036000291452, GTIN-8 96385074.
  BOOST_TEST(wms::gs1::checkDigit("400638133393") == 1);
  BOOST_TEST(wms::gs1::checkDigit("03600029145") == 2);
  BOOST_TEST(wms::gs1::checkDigit("9638507") == 4);
}

BOOST_AUTO_TEST_CASE(gtins_are_classified_by_length_and_normalised_to_fourteen_digits) {
  auto ean = classifyBarcode("4006381333931");
  BOOST_REQUIRE(ean.ok());
  BOOST_CHECK(ean->kind == BarcodeKind::Gtin13);
  BOOST_TEST(ean->key == "04006381333931");
  auto upc = classifyBarcode("036000291452");
  BOOST_REQUIRE(upc.ok());
  BOOST_CHECK(upc->kind == BarcodeKind::Gtin12);
  BOOST_TEST(upc->key == "00036000291452");
  BOOST_TEST(barcodeKey("00036000291452") == barcodeKey("036000291452"));
}

BOOST_AUTO_TEST_CASE(a_gtin_with_a_wrong_check_digit_is_refused_with_the_expected_digit) {
  auto bad = classifyBarcode("4006381333932");
  BOOST_REQUIRE(!bad.ok());
  BOOST_TEST(bad.error().message.find("expected 1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(digit_strings_of_other_lengths_are_not_gtins) {
  BOOST_TEST(!classifyBarcode("12345").ok());
  auto internal = classifyBarcode("BIN-42");
  BOOST_REQUIRE(internal.ok());
  BOOST_CHECK(internal->kind == BarcodeKind::Internal);
}

BOOST_AUTO_TEST_CASE(codes_refuse_sql_and_path_metacharacters) {
  for (std::string bad : std::vector<std::string>{"A'1", "A;DROP", "A 1", "../x", "", "-A", "A\"", std::string(65, 'A')}) {
    BOOST_TEST(!checkSku(bad).ok(), bad);
  }
  BOOST_TEST(checkSku("SKU-001_a.b").ok());
}

BOOST_AUTO_TEST_CASE(free_text_must_be_utf8_without_control_characters) {
  BOOST_TEST(checkText("กรุงเทพฯ 北京 Hà Nội", "name").ok());
  BOOST_TEST(!checkText("bad\x01text", "name").ok());
  BOOST_TEST(!checkText("\xC0\xAF", "name").ok());           // overlong '/'
  BOOST_TEST(!checkText("\xED\xA0\x80", "name").ok());       // surrogate
  BOOST_TEST(!checkText(std::string(201, 'x'), "name", 200).ok());
}

BOOST_AUTO_TEST_CASE(a_sku_may_not_list_the_same_barcode_twice) {
  Sku sku;
  sku.code = "A1";
  sku.barcodes = {*classifyBarcode("036000291452"), *classifyBarcode("00036000291452")};
  BOOST_TEST(!validateSku(sku).ok());
}

BOOST_AUTO_TEST_SUITE_END()

// Issue 20: a SKU with 40 barcodes was accepted and only 32 reached the
// handheld, so a picker scanning one of the other 8 was refused.
BOOST_AUTO_TEST_CASE(a_sku_takes_at_most_the_barcodes_a_handheld_takes) {
  Sku sku;
  sku.code = "MANY";
  sku.description = "many barcodes";
  for (int i = 0; i < static_cast<int>(kMaxBarcodesPerSku); ++i) {
    auto b = classifyBarcode("CODE-" + std::to_string(i));
    BOOST_REQUIRE(b.ok());
    sku.barcodes.push_back(*b);
  }
  BOOST_TEST(validateSku(sku).ok());
  sku.barcodes.push_back(*classifyBarcode("CODE-X"));
  auto st = validateSku(sku);
  BOOST_REQUIRE(!st.ok());
  BOOST_TEST(st.error().message.find("at most 32 barcodes") != std::string::npos, st.error().message);
}
