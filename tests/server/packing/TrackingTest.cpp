// Tests for server/packing/src/Tracking.cpp: UPU S10 tracking numbers and
// SSCCs.
#include <boost/test/unit_test.hpp>
#include <string>

#include "wms/labels/Gs1.h"
#include "wms/packing/Tracking.h"

using namespace wms;
using namespace wms::packing;

namespace {

std::string eight(int n) {
  std::string s = std::to_string(n);
  return std::string(8 - s.size(), '0') + s;
}

// The rule written out once more, independently: weights 8 6 4 2 3 5 9 7.
int reference(const std::string& d) {
  const int w[8] = {8, 6, 4, 2, 3, 5, 9, 7};
  int s = 0;
  for (int i = 0; i < 8; ++i) s += (d[static_cast<std::size_t>(i)] - '0') * w[i];
  int c = 11 - s % 11;
  return c == 10 ? 0 : c == 11 ? 5 : c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tracking)

BOOST_AUTO_TEST_CASE(the_s10_check_digit_follows_the_upu_worked_example) {
  BOOST_TEST(s10CheckDigit("47312482") == 9);  // S = 200, 11 - 2 = 9
  BOOST_TEST(s10CheckDigit("12345678") == 5);  // EE123456785SG
  BOOST_TEST(validateS10("EE123456785SG").ok());
}

BOOST_AUTO_TEST_CASE(remainders_of_one_and_zero_map_to_check_digits_zero_and_five) {
  bool sawTen = false, sawEleven = false;
  for (int n = 0; n < 200 && !(sawTen && sawEleven); ++n) {
    const std::string d = eight(n);
    int sum = 0;
    const int w[8] = {8, 6, 4, 2, 3, 5, 9, 7};
    for (int i = 0; i < 8; ++i) sum += (d[static_cast<std::size_t>(i)] - '0') * w[i];
    if (sum % 11 == 1) {  // C = 10
      BOOST_TEST(s10CheckDigit(d) == 0);
      sawTen = true;
    }
    if (sum % 11 == 0) {  // C = 11
      BOOST_TEST(s10CheckDigit(d) == 5);
      sawEleven = true;
    }
  }
  BOOST_TEST(sawTen);
  BOOST_TEST(sawEleven);
  for (int n = 0; n < 100000; n += 7) BOOST_TEST_REQUIRE(s10CheckDigit(eight(n)) == reference(eight(n)));
}

BOOST_AUTO_TEST_CASE(makeS10_builds_thirteen_characters_that_validate) {
  auto t = makeS10("CP", 42, "TH");
  BOOST_REQUIRE(t.ok());
  BOOST_TEST(*t == "CP00000042" + std::to_string(reference("00000042")) + "TH");
  BOOST_TEST(t->size() == 13u);
  BOOST_TEST(validateS10(*t).ok());
  BOOST_TEST(makeS10("CP", 99'999'999, "TH").ok());
  BOOST_TEST(!makeS10("CP", 100'000'000, "TH").ok());
  BOOST_TEST(!makeS10("cp", 1, "TH").ok());
  BOOST_TEST(!makeS10("CP", 1, "THA").ok());
  BOOST_TEST(!makeS10("C1", 1, "TH").ok());
}

BOOST_AUTO_TEST_CASE(validateS10_names_what_is_wrong) {
  BOOST_TEST(validateS10("EE123456784SG").error().message == "S10 check digit is 4, expected 5");
  BOOST_TEST(validateS10("EE12345678SG").error().message.find("13 characters") != std::string::npos);
  BOOST_TEST(validateS10("E1123456785SG").error().message.find("two capital letters") != std::string::npos);
  BOOST_TEST(validateS10("EE12345678XSG").error().message.find("nine digits") != std::string::npos);
  BOOST_TEST(validateS10("EE123456785S1").error().message.find("country") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(ssccs_are_eighteen_digits_with_a_gs1_check_digit) {
  auto s = makeSscc(1, "0614141", 123456789);
  BOOST_REQUIRE(s.ok());
  BOOST_TEST(*s == "106141411234567897");  // the GS1 General Specifications' example
  BOOST_TEST(labels::normalizeSscc(*s).ok());
  auto longPrefix = makeSscc(0, "0614141999", 5);
  BOOST_REQUIRE(longPrefix.ok());
  BOOST_TEST(longPrefix->substr(0, 11) == "00614141999");
  BOOST_TEST(longPrefix->size() == 18u);
}

BOOST_AUTO_TEST_CASE(the_sscc_serial_range_depends_on_the_company_prefix_length) {
  BOOST_TEST(maxSsccSerial("0614141") == 999'999'999);
  BOOST_TEST(maxSsccSerial("0614141999") == 999'999);
  BOOST_TEST(makeSscc(0, "0614141999", 999'999).ok());
  BOOST_TEST(!makeSscc(0, "0614141999", 1'000'000).ok());
  BOOST_TEST(!makeSscc(10, "0614141", 1).ok());
  BOOST_TEST(!makeSscc(0, "061414", 1).ok());
  BOOST_TEST(!makeSscc(0, "06141A1", 1).ok());
}

BOOST_AUTO_TEST_SUITE_END()
