// Tests src/decode/Barcode.cpp: format names, sets and what each step takes.
#include <boost/test/unit_test.hpp>

#include "HandheldTestPrinting.h"
#include "wms/handheld/Barcode.h"

using namespace wms::handheld;

BOOST_AUTO_TEST_CASE(format_names_are_zxings_and_parse_back_loosely) {
  BOOST_TEST(std::string(formatName(BarcodeFormat::Ean13)) == "EAN-13");
  BOOST_TEST(std::string(formatName(BarcodeFormat::QrCode)) == "QRCode");
  BOOST_TEST(std::string(formatName(BarcodeFormat::DataBarExpanded)) == "DataBarExpanded");
  for (int i = 0; i < kBarcodeFormatCount; ++i) {
    auto f = static_cast<BarcodeFormat>(i);
    BOOST_TEST((formatFromName(formatName(f)) == f));
  }
  BOOST_TEST((formatFromName("ean_13") == BarcodeFormat::Ean13));
  BOOST_TEST((formatFromName("gs1-128") == BarcodeFormat::Code128));
  BOOST_TEST(!formatFromName("pdf417").has_value());
}

BOOST_AUTO_TEST_CASE(format_sets_combine_and_print_in_a_fixed_order) {
  FormatSet s{BarcodeFormat::QrCode, BarcodeFormat::Ean8};
  BOOST_TEST(s.toString() == "EAN-8, QRCode");
  BOOST_TEST(s.contains(BarcodeFormat::Ean8));
  BOOST_TEST(!s.contains(BarcodeFormat::Ean13));
  BOOST_TEST(((s & FormatSet{BarcodeFormat::Ean8}) == FormatSet{BarcodeFormat::Ean8}));
  BOOST_TEST(FormatSet().toString() == "none");
  BOOST_TEST(FormatSet::all().formats().size() == static_cast<std::size_t>(kBarcodeFormatCount));
  BOOST_TEST((FormatSet::fromBits(0xffffffffu) == FormatSet::all()));
}

BOOST_AUTO_TEST_CASE(each_step_takes_the_formats_its_labels_use) {
  BOOST_TEST(formatsFor(ScanTarget::Location).toString() == "Code128, Code39, DataMatrix, QRCode");
  BOOST_TEST(formatsFor(ScanTarget::Tote).toString() == "Code128, Code39, QRCode");
  FormatSet item = formatsFor(ScanTarget::Item);
  for (auto f : {BarcodeFormat::Ean8, BarcodeFormat::Ean13, BarcodeFormat::UpcA, BarcodeFormat::UpcE,
                 BarcodeFormat::Code128, BarcodeFormat::Itf, BarcodeFormat::DataBar,
                 BarcodeFormat::DataBarExpanded, BarcodeFormat::DataMatrix})
    BOOST_TEST(item.contains(f), formatName(f));
  BOOST_TEST(!item.contains(BarcodeFormat::QrCode));
}

BOOST_AUTO_TEST_CASE(gs1_is_recognised_by_symbology_identifier) {
  BOOST_TEST((Barcode{BarcodeFormat::Code128, "x", "]C1", {}}.isGs1()));
  BOOST_TEST(!(Barcode{BarcodeFormat::Code128, "x", "]C0", {}}.isGs1()));
  BOOST_TEST((Barcode{BarcodeFormat::DataMatrix, "x", "]d2", {}}.isGs1()));
  BOOST_TEST((Barcode{BarcodeFormat::QrCode, "x", "]Q3", {}}.isGs1()));
  BOOST_TEST((Barcode{BarcodeFormat::DataBar, "x", "]e0", {}}.isGs1()));
}
