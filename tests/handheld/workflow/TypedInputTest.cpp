// What a typed line means: Enter, one-letter commands, quantities, scans.
#include <boost/test/unit_test.hpp>

#include "wms/handheld/TypedInput.h"

using namespace wms;
using namespace wms::handheld;

BOOST_AUTO_TEST_SUITE(typed_input)

BOOST_AUTO_TEST_CASE(an_empty_line_is_enter_and_single_letters_are_commands_in_any_case) {
  auto r = interpretTypedLine("", false);
  BOOST_REQUIRE(r);
  BOOST_CHECK(std::get<KeyPress>(*r).key == Key::Enter);
  const std::pair<const char*, Key> commands[] = {{"S", Key::Short},       {"k", Key::Skip},  {"C", Key::CloseCarton},
                                                  {"l", Key::Label},       {"U", Key::Undo},  {"q", Key::SignOut}};
  for (auto [text, key] : commands) {
    auto c = interpretTypedLine(text, true);
    BOOST_REQUIRE(c);
    BOOST_CHECK(std::get<KeyPress>(*c).key == key);
  }
  // A wedge's trailing CR is not part of the scan.
  BOOST_CHECK(std::get<KeyPress>(*interpretTypedLine("\r", false)).key == Key::Enter);
}

BOOST_AUTO_TEST_CASE(short_digit_strings_are_numbers_only_when_the_step_takes_one) {
  auto n = interpretTypedLine("12", true);
  BOOST_REQUIRE(n);
  BOOST_TEST(std::get<NumberEntry>(*n).value == 12);
  BOOST_TEST(std::get<NumberEntry>(*interpretTypedLine("100000", true)).value == 100000);
  // Not asked for a number: digits are a barcode (Code 128 without a valid check digit).
  auto s = interpretTypedLine("12", false);
  BOOST_REQUIRE(s);
  BOOST_TEST(std::get<ScanInput>(*s).barcode.text == "12");
  // An EAN typed while counting is a scan of the unit, not a quantity.
  auto ean = interpretTypedLine("4006381333931", true);
  BOOST_REQUIRE(ean);
  BOOST_CHECK(std::get<ScanInput>(*ean).barcode.format == BarcodeFormat::Ean13);
}

BOOST_AUTO_TEST_CASE(scans_keep_their_symbology_identifier_and_gs1_separators) {
  auto r = interpretTypedLine("]C1010950110153000310LOT42\x1d" "17250600", false);
  BOOST_REQUIRE(r);
  const auto& b = std::get<ScanInput>(*r).barcode;
  BOOST_CHECK(b.format == BarcodeFormat::Code128);
  BOOST_TEST(b.symbology == "]C1");
  BOOST_TEST(b.isGs1());
  auto loc = interpretTypedLine("A-01-02-3", false);
  BOOST_TEST(std::get<ScanInput>(*loc).barcode.text == "A-01-02-3");
}

BOOST_AUTO_TEST_CASE(a_typed_code_is_marked_typed_so_the_pick_flow_can_tell_it_from_a_scan) {
  auto r = interpretTypedLine("T-000381", false);
  BOOST_REQUIRE(r);
  BOOST_TEST(std::get<ScanInput>(*r).barcode.typed);
  auto gs1 = interpretTypedLine("]C1010950110153000310LOT42", true);
  BOOST_REQUIRE(gs1);
  BOOST_TEST(std::get<ScanInput>(*gs1).barcode.typed);
  // What a decoder or scan engine reads is not.
  BOOST_TEST(!Barcode{}.typed);
}

BOOST_AUTO_TEST_CASE(lines_that_cannot_be_a_scan_are_errors_naming_why) {
  auto ctl = interpretTypedLine(std::string("AB\x07" "C"), false);
  BOOST_REQUIRE(!ctl);
  BOOST_CHECK(ctl.error().kind == ErrorKind::Malformed);
  auto big = interpretTypedLine(std::string(kMaxTypedLine + 1, 'A'), false);
  BOOST_REQUIRE(!big);
  BOOST_CHECK(big.error().kind == ErrorKind::TooLarge);
  auto truncated = interpretTypedLine("]C", false);
  BOOST_TEST(!truncated);
}

BOOST_AUTO_TEST_SUITE_END()
