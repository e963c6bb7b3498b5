#include <boost/test/unit_test.hpp>

#include "LabelsTestSupport.h"
#include "wms/labels/Barcode.h"

using namespace wms;
using namespace wms::labels;
using namespace wms::labels::test;

BOOST_AUTO_TEST_SUITE(barcode)

BOOST_AUTO_TEST_CASE(code128_modules_decode_back_to_the_exact_data) {
  for (const std::string data : {"KEX1234567890", "1Z999AA10123456784", "A", "abc-XYZ-000", "T-0001"}) {
    auto matrix = encodeBarcode(Symbology::Code128, data);
    BOOST_REQUIRE(matrix.ok());
    BOOST_TEST(matrix->height == 1);
    const Decoded decoded = decodeWhole(rasterOf(matrix.value(), Symbology::Code128, 2), Symbology::Code128);
    BOOST_TEST_CONTEXT(data) {
      BOOST_TEST(decoded.found);
      BOOST_TEST(decoded.text == data);
      BOOST_TEST(decoded.symbologyIdentifier == "]C0");
    }
  }
}

BOOST_AUTO_TEST_CASE(gs1_128_starts_with_fnc1_and_reads_as_a_gs1_symbol) {
  auto matrix = encodeBarcode(Symbology::Gs1_128, "00106141411234567897");
  BOOST_REQUIRE(matrix.ok());
  // Start C, FNC1, ten digit pairs, check, stop: 13 x 11 + 13 modules.
  BOOST_TEST(matrix->width == 156);
  const Decoded decoded = decodeWhole(rasterOf(matrix.value(), Symbology::Gs1_128, 2), Symbology::Gs1_128);
  BOOST_TEST(decoded.found);
  BOOST_TEST(decoded.text == "00106141411234567897");
  BOOST_TEST(decoded.symbologyIdentifier == "]C1");  // ]C1 = FNC1 in first position
}

BOOST_AUTO_TEST_CASE(qr_code_carries_ascii_and_utf8_text_exactly) {
  for (const std::string data : {"SO-2024-000042", "SO-^XZ~JA_\\1", "คำสั่งซื้อ 42 王小明"}) {
    auto matrix = encodeBarcode(Symbology::QrCode, data);
    BOOST_REQUIRE(matrix.ok());
    BOOST_TEST(matrix->width == matrix->height);
    const Decoded decoded = decodeWhole(rasterOf(matrix.value(), Symbology::QrCode, 3), Symbology::QrCode);
    BOOST_TEST_CONTEXT(data) {
      BOOST_TEST(decoded.found);
      BOOST_TEST(decoded.text == data);
    }
  }
}

BOOST_AUTO_TEST_CASE(data_a_symbology_cannot_hold_is_an_error_value_not_an_exception) {
  BOOST_TEST(encodeBarcode(Symbology::Code128, "").error().kind == ErrorKind::Invalid);
  auto thai = encodeBarcode(Symbology::Code128, "ก");
  BOOST_REQUIRE(!thai.ok());
  BOOST_TEST(thai.error().message.find("not printable ASCII at position 1") != std::string::npos);
  BOOST_TEST(encodeBarcode(Symbology::Code128, std::string("A\x01", 2)).error().kind == ErrorKind::Invalid);
  BOOST_TEST(encodeBarcode(Symbology::Code128, std::string(81, 'A')).error().kind == ErrorKind::TooLarge);
  BOOST_TEST(encodeBarcode(Symbology::Gs1_128, "00ABC").error().message ==
             "GS1-128 element string must be digits only");
  BOOST_TEST(encodeBarcode(Symbology::QrCode, "\xff\xfe").error().message ==
             "QR Code data is not valid UTF-8");
  auto huge = encodeBarcode(Symbology::QrCode, std::string(8000, '7'));
  BOOST_TEST(!huge.ok());
}

BOOST_AUTO_TEST_CASE(quiet_zones_follow_the_symbology_specs) {
  BOOST_TEST(quietZoneModules(Symbology::Code128) == 10);
  BOOST_TEST(quietZoneModules(Symbology::Gs1_128) == 10);
  BOOST_TEST(quietZoneModules(Symbology::QrCode) == 4);
}

BOOST_AUTO_TEST_SUITE_END()
