// Tests src/gs1/Gs1.cpp: element strings in every form a handheld meets,
// check digits, dates (DD = 00), decimal AIs, and every broken fixture
// giving the error written beside it.
#define BOOST_TEST_MODULE handheld_gs1
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "HandheldTestPrinting.h"
#include "wms/handheld/Gs1.h"

using namespace wms;
using namespace wms::handheld;

namespace {

const std::filesystem::path kFixtures = std::filesystem::path(WMS_HANDHELD_FIXTURES) / "gs1";
constexpr char GS = '\x1d';

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string value(const Gs1Data& d, const std::string& ai) {
  const auto* e = d.find(ai);
  return e ? e->value : "<absent>";
}

}  // namespace

BOOST_AUTO_TEST_CASE(raw_element_string_with_gs_after_variable_values_parses_in_order) {
  auto d = parseGs1(std::string("0109501101530003") + "10LOT42" + GS + "17250630" + "21SN-9");
  BOOST_TEST_REQUIRE(d.ok(), (d ? "" : d.error().message));
  BOOST_TEST(d->elements().size() == 4u);
  BOOST_TEST(d->elements()[0].ai == "01");
  BOOST_TEST(*d->gtin() == "09501101530003");
  BOOST_TEST(*d->lot() == "LOT42");
  BOOST_TEST(*d->serial() == "SN-9");
  BOOST_TEST(d->expiry()->iso() == "2025-06-30");
}

BOOST_AUTO_TEST_CASE(symbology_identifiers_of_gs1_symbols_and_a_leading_fnc1_are_accepted) {
  for (std::string prefix : {"]C1", "]e0", "]d2", "]Q3", "]J1"}) {
    auto d = parseGs1(prefix + GS + "0109501101530003");
    BOOST_TEST_REQUIRE(d.ok(), prefix);
    BOOST_TEST(*d->gtin() == "09501101530003");
  }
}

BOOST_AUTO_TEST_CASE(human_readable_form_as_zxing_returns_databar_expanded_parses) {
  auto d = parseGs1("(01)09501101530003(3103)001750(15)250600(10)A(B)");
  BOOST_TEST_REQUIRE(d.ok(), (d ? "" : d.error().message));
  BOOST_TEST(*d->gtin() == "09501101530003");
  BOOST_TEST(value(*d, "3103") == "001750");
  BOOST_TEST(*d->netWeightKg() == 1.75);
  // '(' followed by something that is not an AI stays part of the value.
  BOOST_TEST(*d->lot() == "A(B)");
  BOOST_TEST(d->humanReadable() == "(01)09501101530003(3103)001750(15)250600(10)A(B)");
}

BOOST_AUTO_TEST_CASE(day_00_means_the_last_day_of_the_month_including_leap_february) {
  auto d = parseGs1("17240200");
  BOOST_TEST_REQUIRE(d.ok());
  BOOST_TEST(d->expiry()->iso() == "2024-02-29");
  BOOST_TEST(d->expiry()->dayWasZero);
  auto e = parseGs1("15250400");
  BOOST_TEST_REQUIRE(e.ok());
  BOOST_TEST(e->bestBefore()->iso() == "2025-04-30");
  auto leap = parseGs1("17240229");
  BOOST_TEST(leap.ok());
}

BOOST_AUTO_TEST_CASE(two_digit_years_follow_the_gs1_century_rule_around_the_reference_year) {
  auto at = [](const char* s, int ref) { return parseGs1(s, Gs1ParseOptions{ref})->expiry()->year; };
  BOOST_TEST(at("17990101", 2025) == 1999);  // 74 years ahead would be too far: last century
  BOOST_TEST(at("17750101", 2025) == 2075);  // 50 ahead: still this century
  BOOST_TEST(at("17760101", 2025) == 1976);  // 51 ahead: previous century
  BOOST_TEST(at("17010101", 2099) == 2101);  // 98 back: next century
  BOOST_TEST(at("17300101", 0) == 2030);     // no reference: 20YY
}

BOOST_AUTO_TEST_CASE(measure_and_price_ais_apply_their_implied_decimal_point) {
  auto d = parseGs1(std::string("3202001234") + "3922" + "1299" + GS + "3300012500");
  BOOST_TEST_REQUIRE(d.ok(), (d ? "" : d.error().message));
  BOOST_TEST(*d->find("3202")->number == 12.34);
  BOOST_TEST(*d->find("3922")->number == 12.99);
  BOOST_TEST(*d->find("3300")->number == 12500.0);
  BOOST_TEST(!d->netWeightKg().has_value());  // 320x is pounds
}

BOOST_AUTO_TEST_CASE(fixed_length_ais_need_no_separator_and_a_stray_one_is_tolerated) {
  auto d = parseGs1(std::string("00095011010000000018") + GS + "0109501101530003" + "17250630" + GS);
  BOOST_TEST_REQUIRE(d.ok(), (d ? "" : d.error().message));
  BOOST_TEST(*d->sscc() == "095011010000000018");
  BOOST_TEST(d->elements().size() == 3u);
}

BOOST_AUTO_TEST_CASE(company_internal_and_order_ais_take_variable_alphanumerics) {
  auto d = parseGs1(std::string("91ABC-123/x") + GS + "99" + std::string(90, 'Z') + GS + "400PO-1");
  BOOST_TEST_REQUIRE(d.ok(), (d ? "" : d.error().message));
  BOOST_TEST(value(*d, "91") == "ABC-123/x");
  BOOST_TEST(value(*d, "99").size() == 90u);
  BOOST_TEST(value(*d, "400") == "PO-1");
}

BOOST_AUTO_TEST_CASE(an_unknown_ai_with_a_known_length_is_kept_as_unknown_text) {
  auto d = parseGs1(std::string("0109501101530003") + "7003" + "2506301200" + GS + "10X");
  BOOST_TEST_REQUIRE(d.ok(), (d ? "" : d.error().message));
  BOOST_TEST(!d->find("7003")->known);
  BOOST_TEST(value(*d, "7003") == "2506301200");
  BOOST_TEST(*d->lot() == "X");
}

BOOST_AUTO_TEST_CASE(an_identical_repeat_is_merged_and_a_conflicting_one_refused) {
  auto same = parseGs1(std::string("10A") + GS + "10A");
  BOOST_TEST_REQUIRE(same.ok());
  BOOST_TEST(same->elements().size() == 1u);
  auto conflict = parseGs1(std::string("10A") + GS + "10B");
  BOOST_TEST(!conflict.ok());
}

BOOST_AUTO_TEST_CASE(check_digit_errors_name_the_ai_the_digit_found_and_the_one_expected) {
  auto d = parseGs1("0109501101530007");
  BOOST_TEST_REQUIRE(!d.ok());
  BOOST_TEST(d.error().kind == ErrorKind::Invalid);
  BOOST_TEST(d.error().message == "GS1 data: AI 01 check digit is 7, expected 3");
}

BOOST_AUTO_TEST_CASE(check_digit_helpers_agree_with_published_examples) {
  BOOST_TEST(gs1CheckDigit("0950110153000") == 3);
  BOOST_TEST(gs1CheckDigit("400638133393") == 1);  // EAN-13 4006381333931
  BOOST_TEST(gs1CheckDigit("03600029145") == 2);   // UPC-A 036000291452
  BOOST_TEST(gs1CheckDigit("1234567") == 0);       // EAN-8 12345670
  BOOST_TEST(gs1CheckDigit("12a") == -1);
  BOOST_TEST(hasValidGs1CheckDigit("96385074"));
  BOOST_TEST(!hasValidGs1CheckDigit("96385075"));
  BOOST_TEST(!hasValidGs1CheckDigit("7"));
}

BOOST_AUTO_TEST_CASE(oversized_input_is_refused_unread) {
  auto d = parseGs1(std::string(kMaxGs1Length + 1, '9'));
  BOOST_TEST_REQUIRE(!d.ok());
  BOOST_TEST(d.error().kind == ErrorKind::TooLarge);
}

BOOST_AUTO_TEST_CASE(barcodes_are_parsed_knowing_how_zxing_reports_each_format) {
  Barcode dataBar{BarcodeFormat::DataBar, "09501101530003", "]e0", {}};
  auto d = parseGs1(dataBar);
  BOOST_TEST_REQUIRE(d.ok());
  BOOST_TEST(*d->gtin() == "09501101530003");

  Barcode engineDataBar{BarcodeFormat::DataBar, "0109501101530003", "]e0", {}};
  BOOST_TEST(*parseGs1(engineDataBar)->gtin() == "09501101530003");

  Barcode gs1128{
      BarcodeFormat::Code128, std::string("0109501101530003") + "10L1" + GS + "17250630", "]C1", {}};
  BOOST_TEST(*parseGs1(gs1128)->lot() == "L1");

  Barcode plain{BarcodeFormat::Code128, "0109501101530003", "]C0", {}};
  auto notGs1 = parseGs1(plain);
  BOOST_TEST_REQUIRE(!notGs1.ok());
  BOOST_TEST(notGs1.error().message == "Code128 barcode (]C0) does not carry GS1 data");
}

BOOST_AUTO_TEST_CASE(every_valid_fixture_parses) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kFixtures)) {
    if (entry.path().extension() != ".gs1") continue;
    auto d = parseGs1(slurp(entry.path()));
    BOOST_TEST(d.ok(), entry.path().filename() << ": " << (d ? "" : d.error().message));
    ++n;
  }
  BOOST_TEST(n >= 10);
}

BOOST_AUTO_TEST_CASE(every_broken_fixture_fails_with_the_error_written_beside_it) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kFixtures / "broken")) {
    if (entry.path().extension() != ".gs1") continue;
    auto expected = slurp(std::filesystem::path(entry.path()).replace_extension(".err"));
    BOOST_TEST_REQUIRE(!expected.empty(), entry.path().filename() << " has no .err");
    auto d = parseGs1(slurp(entry.path()));
    BOOST_TEST_REQUIRE(!d.ok(), entry.path().filename() << " parsed");
    BOOST_TEST(d.error().message.find(expected) != std::string::npos,
               entry.path().filename()
                   << ": got '" << d.error().message << "', expected '" << expected << "'");
    ++n;
  }
  BOOST_TEST(n >= 20);
}
