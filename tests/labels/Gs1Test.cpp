#include <boost/test/unit_test.hpp>
#include <stdexcept>

#include "LabelsTestSupport.h"
#include "wms/labels/Gs1.h"

using namespace wms;
using namespace wms::labels;

BOOST_AUTO_TEST_SUITE(gs1)

BOOST_AUTO_TEST_CASE(check_digit_matches_published_gtin_and_sscc_examples) {
  BOOST_TEST(gs1CheckDigit("590123412345") == 7);       // EAN-13 5901234123457
  BOOST_TEST(gs1CheckDigit("400638133393") == 1);       // EAN-13 4006381333931
  BOOST_TEST(gs1CheckDigit("9638507") == 4);            // EAN-8 96385074
  BOOST_TEST(gs1CheckDigit("10614141123456789") == 7);  // SSCC 106141411234567897
  BOOST_TEST(gs1CheckDigit("00000000000000000") == 0);
}

BOOST_AUTO_TEST_CASE(every_single_digit_change_of_an_sscc_is_caught) {
  const std::string sscc = normalizeSscc("30614141000012345").value();
  for (std::size_t i = 0; i < 18; ++i) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == sscc[i]) continue;
      std::string changed = sscc;
      changed[i] = d;
      BOOST_TEST(!normalizeSscc(changed).ok(), "change at " << i << " to " << d << " not caught");
    }
  }
}

BOOST_AUTO_TEST_CASE(normalize_appends_or_verifies_the_check_digit) {
  BOOST_TEST(normalizeSscc("10614141123456789").value() == "106141411234567897");
  BOOST_TEST(normalizeSscc("106141411234567897").value() == "106141411234567897");
  auto wrong = normalizeSscc("106141411234567891");
  BOOST_REQUIRE(!wrong.ok());
  BOOST_TEST(wrong.error().kind == ErrorKind::Invalid);
  BOOST_TEST(wrong.error().message == "sscc check digit is 1, expected 7");
  BOOST_TEST(normalizeSscc("1234").error().message == "sscc must have 17 or 18 digits, got 4 characters");
  BOOST_TEST(normalizeSscc("1061414112345678a").error().message == "sscc must contain only digits");
  BOOST_TEST(!normalizeSscc("").ok());
}

BOOST_AUTO_TEST_CASE(check_digit_of_non_digits_is_a_misuse) {
  BOOST_CHECK_THROW(gs1CheckDigit(""), std::invalid_argument);
  BOOST_CHECK_THROW(gs1CheckDigit("12a"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(element_string_and_human_readable_carry_ai_00) {
  BOOST_TEST(ssccElementString("106141411234567897") == "00106141411234567897");
  BOOST_TEST(ssccHumanReadable("106141411234567897") == "(00) 106141411234567897");
}

BOOST_AUTO_TEST_SUITE_END()
