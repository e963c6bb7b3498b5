// Tests src/match/ScanMatch.cpp: the right location, tote and item (through
// any of the SKU's barcodes) match; the wrong ones give a reason a picker can
// act on; GS1 lot and expiry come back for the pick confirmation.
#define BOOST_TEST_MODULE handheld_match
#include <boost/test/unit_test.hpp>

#include "HandheldTestPrinting.h"
#include "wms/handheld/ScanMatch.h"

using namespace wms;
using namespace wms::handheld;

namespace {

constexpr char GS = '\x1d';

Barcode code(BarcodeFormat f, std::string text, std::string sym) {
  return Barcode{f, std::move(text), std::move(sym), {}};
}

ScanExpectation item(std::vector<std::string> barcodes) {
  return ScanExpectation{ScanTarget::Item, {}, "SKU-TEA-100", std::move(barcodes)};
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_expected_location_label_matches_and_another_names_both) {
  ScanExpectation at{ScanTarget::Location, "A-01-02-3", {}, {}};
  auto ok = matchScan(code(BarcodeFormat::Code128, "A-01-02-3", "]C0"), at);
  BOOST_TEST_REQUIRE(ok.ok());
  BOOST_TEST(ok->matched == "A-01-02-3");

  auto wrong = matchScan(code(BarcodeFormat::QrCode, "A-01-02-4", "]Q1"), at);
  BOOST_TEST_REQUIRE(!wrong.ok());
  BOOST_TEST(wrong.error().kind == ErrorKind::Conflict);
  BOOST_TEST(wrong.error().message == "wrong location: scanned A-01-02-4, expected A-01-02-3");
}

BOOST_AUTO_TEST_CASE(a_barcode_of_the_wrong_kind_for_the_step_is_refused_as_such) {
  ScanExpectation at{ScanTarget::Location, "A-01-02-3", {}, {}};
  auto r = matchScan(code(BarcodeFormat::Ean13, "4006381333931", "]E0"), at);
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().kind == ErrorKind::Invalid);
  BOOST_TEST(r.error().message ==
             "scanned EAN-13 barcode 4006381333931 where a location label is expected "
             "(Code128, Code39, DataMatrix, QRCode)");
  auto tote = matchScan(code(BarcodeFormat::DataBar, "09501101530003", "]e0"),
                        ScanExpectation{ScanTarget::Tote, "TOTE-1", {}, {}});
  BOOST_TEST(tote.error().message.find("a tote label is expected") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(gs1_location_and_tote_labels_match_by_gln_or_sscc) {
  auto gln = matchScan(code(BarcodeFormat::Code128, "4140950110153007", "]C1"),
                       ScanExpectation{ScanTarget::Location, "0950110153007", {}, {}});
  BOOST_TEST(gln.ok());
  auto sscc = matchScan(code(BarcodeFormat::Code128, "00095011010000000018", "]C1"),
                        ScanExpectation{ScanTarget::Tote, "095011010000000018", {}, {}});
  BOOST_TEST(sscc.ok());
}

BOOST_AUTO_TEST_CASE(an_item_matches_through_any_registered_gtin_whatever_its_printed_length) {
  auto sku = item({"TEA-INTERNAL-7", "04006381333931", "036000291452"});
  auto ean = matchScan(code(BarcodeFormat::Ean13, "4006381333931", "]E0"), sku);
  BOOST_TEST_REQUIRE(ean.ok());
  BOOST_TEST(ean->matched == "04006381333931");
  BOOST_TEST(*ean->gtin == "04006381333931");

  auto itf = matchScan(code(BarcodeFormat::Itf, "00036000291452", "]I1"), sku);
  BOOST_TEST(itf.ok());
  auto internal = matchScan(code(BarcodeFormat::Code128, "TEA-INTERNAL-7", "]C0"), sku);
  BOOST_TEST_REQUIRE(internal.ok());
  BOOST_TEST(!internal->gtin.has_value());
}

BOOST_AUTO_TEST_CASE(upc_e_is_expanded_before_comparing) {
  auto upca = expandUpcE("06543217");
  BOOST_TEST_REQUIRE(upca.ok());
  BOOST_TEST(*upca == "065100004327");
  BOOST_TEST(*expandUpcE("01234505") == "012000003455");
  BOOST_TEST(*expandUpcE("01234531") == "012300000451");
  BOOST_TEST(*expandUpcE("01234543") == "012340000053");
  BOOST_TEST(expandUpcE("21234505").error().message == "UPC-E 21234505 has number system 2, expected 0 or 1");
  BOOST_TEST(expandUpcE("06543218").error().message == "UPC-E 06543218 check digit is 8, expected 7");
  auto r = matchScan(code(BarcodeFormat::UpcE, "06543217", "]E0"), item({"065100004327"}));
  BOOST_TEST(r.ok());
}

BOOST_AUTO_TEST_CASE(gs1_item_scans_return_lot_expiry_and_serial_for_the_confirmation) {
  auto sku = item({"9501101530003"});
  Barcode b = code(BarcodeFormat::Code128,
                   std::string("0109501101530003") + "10LOT42" + GS + "17250600" + "21S9", "]C1");
  auto r = matchScan(b, sku, Gs1ParseOptions{2025});
  BOOST_TEST_REQUIRE(r.ok(), (r ? "" : r.error().message));
  BOOST_TEST(*r->gtin == "09501101530003");
  BOOST_TEST(*r->gs1->lot() == "LOT42");
  BOOST_TEST(r->gs1->expiry()->iso() == "2025-06-30");
  BOOST_TEST(*r->gs1->serial() == "S9");

  auto dataBar = matchScan(code(BarcodeFormat::DataBar, "09501101530003", "]e0"), sku);
  BOOST_TEST(dataBar.ok());
  auto expanded =
      matchScan(code(BarcodeFormat::DataBarExpanded, "(01)09501101530003(3103)000450", "]e0"), sku);
  BOOST_TEST_REQUIRE(expanded.ok());
  BOOST_TEST(*expanded->gs1->netWeightKg() == 0.45);
}

BOOST_AUTO_TEST_CASE(a_different_item_is_a_conflict_listing_the_skus_barcodes) {
  auto r = matchScan(code(BarcodeFormat::Ean13, "4006381333931", "]E0"), item({"9501101530003", "12345670"}));
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().kind == ErrorKind::Conflict);
  BOOST_TEST(r.error().message ==
             "wrong item: scanned GTIN 04006381333931, which is not a barcode of SKU SKU-TEA-100 "
             "(9501101530003, 12345670)");
}

BOOST_AUTO_TEST_CASE(bad_gs1_data_in_an_item_scan_is_invalid_with_the_gs1_reason) {
  auto r = matchScan(code(BarcodeFormat::DataMatrix, "0109501101530004", "]d2"), item({"9501101530003"}));
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().kind == ErrorKind::Invalid);
  BOOST_TEST(r.error().message == "GS1 data: AI 01 check digit is 4, expected 3");
}

BOOST_AUTO_TEST_CASE(gtin_normalisation_pads_to_14_and_checks_the_digit) {
  BOOST_TEST(*normalizeGtin("96385074") == "00000096385074");
  BOOST_TEST(*normalizeGtin("036000291452") == "00036000291452");
  BOOST_TEST(normalizeGtin("4006381333932").error().message ==
             "GTIN 4006381333932 check digit is 2, expected 1");
  BOOST_TEST(normalizeGtin("12345").error().kind == ErrorKind::Invalid);
  BOOST_TEST(normalizeGtin("40063813339a1").error().kind == ErrorKind::Invalid);
}

BOOST_AUTO_TEST_CASE(of_several_barcodes_in_a_frame_the_matching_one_wins) {
  auto sku = item({"9501101530003"});
  std::vector<Barcode> frame{code(BarcodeFormat::Code128, "A-01-02-3", "]C0"),
                             code(BarcodeFormat::Ean13, "4006381333931", "]E0"),
                             code(BarcodeFormat::DataBar, "09501101530003", "]e0")};
  auto r = matchAnyScan(frame, sku);
  BOOST_TEST_REQUIRE(r.ok());
  BOOST_TEST(r->barcode.format == BarcodeFormat::DataBar);

  frame.pop_back();
  auto none = matchAnyScan(frame, sku);
  BOOST_TEST_REQUIRE(!none.ok());
  // The Code 128 is an item kind too, so its mismatch is what is reported.
  BOOST_TEST(none.error().message.rfind("wrong item: scanned code A-01-02-3", 0) == 0, none.error().message);
  BOOST_TEST(matchAnyScan({}, sku).error().message == "nothing was scanned");
}

BOOST_AUTO_TEST_CASE(an_empty_expected_label_code_is_a_misuse) {
  BOOST_CHECK_THROW((void)matchScan(code(BarcodeFormat::Code128, "A", "]C0"),
                                    ScanExpectation{ScanTarget::Location, " ", {}, {}}),
                    std::invalid_argument);
}
