// Tests for server/packing/src/Scan.cpp: what a wedge scanner or a handheld
// typed, read the way the packing verifier needs it.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "wms/packing/Scan.h"

using namespace wms;
using namespace wms::packing;

namespace {

ScannedCode ok(std::string_view text) {
  auto r = interpretScan(text);
  BOOST_REQUIRE_MESSAGE(r.ok(), std::string(text) << ": " << (r.ok() ? "" : r.error().message));
  return *r;
}

Error fails(std::string_view text) {
  auto r = interpretScan(text);
  BOOST_REQUIRE_MESSAGE(!r.ok(), "expected an error for '" << text << "'");
  return r.error();
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scan)

BOOST_AUTO_TEST_CASE(gtins_of_every_length_become_the_same_fourteen_digit_key) {
  BOOST_TEST(ok("036000291452").key == "00036000291452");    // UPC-A
  BOOST_TEST(ok("0036000291452").key == "00036000291452");   // the same as EAN-13
  BOOST_TEST(ok("00036000291452").key == "00036000291452");  // and as GTIN-14
  BOOST_TEST(ok("12345670").key == "00000012345670");        // EAN-8
  BOOST_TEST((ok("8851234567898").kind == CodeKind::Gtin));
}

BOOST_AUTO_TEST_CASE(the_enter_a_wedge_types_and_surrounding_spaces_are_dropped) {
  auto c = ok("  8851234567898\r\n");
  BOOST_TEST(c.text == "8851234567898");
  BOOST_TEST(c.key == "08851234567898");
}

BOOST_AUTO_TEST_CASE(a_wrong_gtin_check_digit_is_a_misread_naming_the_expected_digit) {
  auto e = fails("8851234567891");
  BOOST_TEST((e.kind == ErrorKind::Invalid));
  BOOST_TEST(e.message.find("check digit is 1, expected 8") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(gs1_element_strings_give_the_gtin_lot_expiry_and_serial) {
  auto c =
      ok("]C101095011015300031725063010LOT42\x1d"
         "21SN7");
  BOOST_TEST((c.kind == CodeKind::Gs1));
  BOOST_TEST(c.key == "09501101530003");
  BOOST_TEST(c.lot.value_or("") == "LOT42");
  BOOST_TEST(c.serial.value_or("") == "SN7");
  BOOST_TEST(c.expiry.value_or("") == "2025-06-30");
}

BOOST_AUTO_TEST_CASE(gs1_in_human_readable_form_and_without_fnc1_is_read_too) {
  BOOST_TEST(ok("(01)09501101530003(10)LOT42").key == "09501101530003");
  // A wedge that drops FNC1 sends bare digits: AI 01 and 17 are fixed length.
  auto d = ok("010950110153000317250630");
  BOOST_TEST(d.key == "09501101530003");
  BOOST_TEST(d.expiry.value_or("") == "2025-06-30");
}

BOOST_AUTO_TEST_CASE(symbology_identifiers_that_do_not_mark_gs1_are_stripped) {
  BOOST_TEST(ok("]E08851234567898").key == "08851234567898");
  BOOST_TEST(ok("]C0SKU-ABC").key == "SKU-ABC");
}

BOOST_AUTO_TEST_CASE(a_carton_label_is_named_as_such_not_taken_for_an_item) {
  auto e = fails("]C100106141411234567897");
  BOOST_TEST(e.message.find("carton label (SSCC 106141411234567897)") != std::string::npos);
  BOOST_TEST(fails("00106141411234567897").message.find("carton label") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_gs1_data_is_unreadable_with_the_parsers_reason) {
  auto e = fails("]C10109501101530004");  // GTIN check digit wrong
  BOOST_TEST(e.message.find("unreadable GS1 data") != std::string::npos);
  BOOST_TEST(e.message.find("check digit") != std::string::npos);
  BOOST_TEST(fails("(10)LOT42").message.find("without a GTIN") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(internal_codes_are_kept_as_typed) {
  auto c = ok("BIG-001");
  BOOST_TEST((c.kind == CodeKind::Internal));
  BOOST_TEST(c.key == "BIG-001");
  BOOST_TEST(ok("12345").key == "12345");        // digits, but no GTIN length
  BOOST_TEST(ok("ชุดของขวัญ").key == "ชุดของขวัญ");  // any printable text
}

BOOST_AUTO_TEST_CASE(control_characters_invalid_utf8_empty_and_oversized_scans_are_refused) {
  auto ctl = fails(
      "88512\x07"
      "34567898");
  BOOST_TEST((ctl.kind == ErrorKind::Malformed));
  BOOST_TEST(ctl.message.find("control character 0x07 at position 6") != std::string::npos);
  BOOST_TEST((fails("\xff\xfe").kind == ErrorKind::Malformed));
  BOOST_TEST((fails("").kind == ErrorKind::Invalid));
  BOOST_TEST((fails(" \r\n").kind == ErrorKind::Invalid));
  BOOST_TEST((fails(std::string(257, 'A')).kind == ErrorKind::TooLarge));
  BOOST_TEST((fails(std::string(1 << 20, '9')).kind == ErrorKind::TooLarge));
  BOOST_TEST(ok(std::string(256, 'A')).key.size() == 256u);
}

// Broken scans kept as fixtures: each NAME.scan has NAME.err beside it with
// the error kind on the first line and a part of the message on the second.
BOOST_AUTO_TEST_CASE(every_broken_scan_fixture_fails_with_its_recorded_error) {
  const std::filesystem::path dir = std::filesystem::path(WMS_PACKING_TEST_DIR) / "fixtures/scans";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".scan") continue;
    auto errFile = entry.path();
    errFile.replace_extension(".err");
    std::istringstream expected(readFile(errFile));
    std::string kind, part;
    std::getline(expected, kind);
    std::getline(expected, part);
    auto r = interpretScan(readFile(entry.path()));
    BOOST_TEST_CONTEXT(entry.path().filename()) {
      BOOST_TEST_REQUIRE(!r.ok());
      BOOST_TEST(toString(r.error().kind) == kind);
      BOOST_TEST(r.error().message.find(part) != std::string::npos, r.error().message);
    }
    ++checked;
  }
  BOOST_TEST(checked >= 6);
}

BOOST_AUTO_TEST_SUITE_END()
