// Tests for labels/src/Barcode.cpp and the encoders under labels/src/barcode/
// (Code 128 / GS1-128, QR Code, Reed-Solomon): every symbol is read back with
// ZXing-C++'s reader from a raster of the module matrix; ZXing's writer is
// the reference the encoders replaced (widths, QR symbols).
#define ZX_USE_UTF8
#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include "LabelsTestSupport.h"
#include "barcode/Code128.h"
#include "barcode/QrCode.h"
#include "barcode/ReedSolomon.h"
#include "wms/labels/Barcode.h"

using namespace wms;
using namespace wms::labels;
using namespace wms::labels::test;
namespace enc = wms::labels::barcode;  // "barcode" is also the suite's name

namespace {

// ZXing 1.4's writer, as labels/src/Barcode.cpp used it before our encoders.
ZXing::BitMatrix zxingSymbol(Symbology symbology, const std::string& data) {
  const bool qr = symbology == Symbology::QrCode;
  ZXing::MultiFormatWriter writer(qr ? ZXing::BarcodeFormat::QRCode : ZXing::BarcodeFormat::Code128);
  writer.setMargin(0);
  if (qr) {
    writer.setEccLevel(4);  // level M
    for (char c : data) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        writer.setEncoding(ZXing::CharacterSet::UTF8);
        break;
      }
    }
  }
  return writer.encode(symbology == Symbology::Gs1_128 ? "\xC3\xB1" + data : data, 0, 0);
}

// The 15 format information bits of a QR symbol, copy 1 (around the top left
// finder) or copy 2 (below the top right and right of the bottom left
// finder), bit 0 first as ISO/IEC 18004 figure 25 numbers them; unmasked.
int qrFormatBits(const ModuleMatrix& m, int copy) {
  const int n = m.width;
  int bits = 0;
  auto dark = [&](int x, int y) { return m.at(x, y); };
  for (int i = 0; i < 15; ++i) {
    bool bit = false;
    if (copy == 1) {
      bit = i <= 5 ? dark(8, i) : i == 6 ? dark(8, 7) : i == 7 ? dark(8, 8) : i == 8 ? dark(7, 8) : dark(14 - i, 8);
    } else {
      bit = i <= 7 ? dark(n - 1 - i, 8) : dark(8, n - 15 + i);
    }
    if (bit) bits |= 1 << i;
  }
  return bits ^ 0x5412;
}

int qrMask(const ModuleMatrix& m) { return (qrFormatBits(m, 1) >> 10) & 7; }
int qrLevelBits(const ModuleMatrix& m) { return (qrFormatBits(m, 1) >> 13) & 3; }

std::string repeat(const std::string& unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

// Encodes, reads back, and checks the text (and for QR the square size).
void checkRoundTrip(Symbology symbology, const std::string& data, int scale = 3) {
  BOOST_TEST_CONTEXT(toString(symbology) << " '" << (data.size() > 60 ? data.substr(0, 60) + "..." : data)
                                         << "' (" << data.size() << " bytes)") {
    auto matrix = encodeBarcode(symbology, data);
    BOOST_REQUIRE_MESSAGE(matrix.ok(), why(matrix));
    const Decoded decoded = decodeWhole(rasterOf(matrix.value(), symbology, scale), symbology);
    BOOST_TEST(decoded.found);
    if (data.size() <= 200) {
      BOOST_TEST(decoded.text == data);
    } else {
      BOOST_TEST((decoded.text == data));  // without printing kilobytes of text
    }
    if (symbology == Symbology::QrCode) {
      BOOST_TEST(matrix->width == matrix->height);
      BOOST_TEST(decoded.ecLevel == "M");
    } else {
      BOOST_TEST(matrix->height == 1);
      BOOST_TEST(decoded.symbologyIdentifier == (symbology == Symbology::Gs1_128 ? "]C1" : "]C0"));
    }
  }
}

}  // namespace

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

BOOST_AUTO_TEST_CASE(code128_carries_every_printable_ascii_character) {
  std::string all;
  for (char c = 0x20; c <= 0x7E; ++c) all.push_back(c);
  // At most 80 characters a symbol: the set in two overlapping halves, both
  // ways round, and every character between two letters.
  checkRoundTrip(Symbology::Code128, all.substr(0, 80));
  checkRoundTrip(Symbology::Code128, all.substr(all.size() - 80));
  checkRoundTrip(Symbology::Code128, std::string(all.rbegin(), all.rbegin() + 80));
  for (char c : all) checkRoundTrip(Symbology::Code128, std::string("x") + c + "Y");
}

BOOST_AUTO_TEST_CASE(code128_digit_runs_of_any_length_and_place_decode_back) {
  for (const std::string data :
       {"1", "12", "123", "1234", "12345", "123456", "1234567", "A1", "A12", "A123", "A1234", "A12345",
        "A123456", "1A", "12A", "123A", "1234A", "12345A", "123456A", "AB12CD", "AB123CD", "AB1234CD",
        "AB12345CD", "AB123456CD", "1234AB5678", "9A87654321", "a1b22c333d4444e55555f666666",
        "00000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000"}) {
    checkRoundTrip(Symbology::Code128, data, 2);
  }
}

BOOST_AUTO_TEST_CASE(code128_uses_code_set_c_where_it_saves_characters) {
  // Modules: 11 per symbol character (start, data, code changes, check) + 13 for stop.
  auto width = [](const std::string& data) { return encodeBarcode(Symbology::Code128, data)->width; };
  BOOST_TEST(width("123456") == 11 * 5 + 13);       // start C, 12 34 56, check
  BOOST_TEST(width("1234567") == 11 * 7 + 13);      // one code change for the odd digit
  BOOST_TEST(width("AB123456CD") == 11 * 11 + 13);  // B, A B, code C, 12 34 56, code B, C D
  BOOST_TEST(width("AB1234CD") == 11 * 10 + 13);    // no saving: stays in B
  BOOST_TEST(width("1Z999AA10123456784") == 11 * 16 + 13);  // B for 1Z999AA1, C for 0123456784
  // ISO/IEC 15417 check character: start B + "AIM" -> 45.
  BOOST_TEST(enc::code128Symbols("AIM", false) == (std::vector<int>{104, 33, 41, 45, 45}));
  // No data (never asked for through the API, found by the fuzzer): start B, check.
  BOOST_TEST(enc::code128Symbols("", false) == (std::vector<int>{104, 1}));
}

BOOST_AUTO_TEST_CASE(code128_is_never_wider_than_zxings_writer) {
  for (const std::string data :
       {"KEX1234567890", "1Z999AA10123456784", "A", "abc-XYZ-000", "T-0001", "12AB", "1234AB", "A1B2C3D4",
        "LOC-01-02-03", "99999999999X", "X1234567890123456789Y", "RR123456785TH", "{ops}~[12345]"}) {
    auto ours = encodeBarcode(Symbology::Code128, data);
    BOOST_REQUIRE(ours.ok());
    BOOST_TEST_CONTEXT(data) { BOOST_TEST(ours->width <= zxingSymbol(Symbology::Code128, data).width()); }
  }
  for (const std::string data : {"00106141411234567897", "0112345678901231", "01123456789012311012345"}) {
    auto ours = encodeBarcode(Symbology::Gs1_128, data);
    BOOST_REQUIRE(ours.ok());
    BOOST_TEST_CONTEXT(data) { BOOST_TEST(ours->width <= zxingSymbol(Symbology::Gs1_128, data).width()); }
  }
}

BOOST_AUTO_TEST_CASE(code_set_a_and_shift_carry_control_characters_inside_the_encoder) {
  // The API accepts printable ASCII only; the encoder itself handles all of
  // ASCII: start A for control characters, a shift for a lone one in B.
  for (const std::string& data : {std::string("A\tB"), std::string("ab\tcd"), std::string("\x01\x02" "abc\x1f")}) {
    const std::vector<int> symbols = enc::code128Symbols(data, false);
    const std::vector<std::uint8_t> modules = enc::code128Modules(symbols);
    ModuleMatrix m;
    m.width = static_cast<int>(modules.size());
    m.height = 1;
    m.dark = modules;
    const Decoded decoded = decodeWhole(rasterOf(m, Symbology::Code128, 2), Symbology::Code128);
    BOOST_TEST_CONTEXT(data.size() << " bytes") {
      BOOST_TEST(decoded.found);
      BOOST_TEST(decoded.text == data);
    }
  }
  BOOST_TEST(enc::code128Symbols("A\tB", false).front() == enc::kCode128StartA);
  BOOST_TEST(enc::code128Symbols("ab\tcd", false)[3] == enc::kCode128Shift);
}

BOOST_AUTO_TEST_CASE(gs1_128_element_strings_read_back_as_gs1_with_fnc1_first) {
  // SSCC: start C, FNC1, ten digit pairs, check (ISO/IEC 15417 mod 103: 34).
  BOOST_TEST(enc::code128Symbols("00106141411234567897", true) ==
             (std::vector<int>{105, 102, 0, 10, 61, 41, 41, 12, 34, 56, 78, 97, 34}));
  for (const std::string data : {"00106141411234567897", "0112345678901231", "01123456789012311012345", "1", "123"}) {
    checkRoundTrip(Symbology::Gs1_128, data, 2);
  }
}

BOOST_AUTO_TEST_CASE(reed_solomon_matches_the_iso_18004_worked_example) {
  // ISO/IEC 18004 annex I: "01234567" as 1-M.
  const std::vector<std::uint8_t> data = {0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11,
                                          0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11};
  BOOST_TEST(enc::rsErrorCorrection(data, 10) ==
             (std::vector<std::uint8_t>{0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55}));
}

BOOST_AUTO_TEST_CASE(qr_code_reads_back_in_every_mode_and_script) {
  BOOST_TEST((enc::qrModeFor("0123456789") == enc::QrMode::Numeric));
  BOOST_TEST((enc::qrModeFor("SO-2024 $%*+./:") == enc::QrMode::Alphanumeric));
  BOOST_TEST((enc::qrModeFor("so-2024") == enc::QrMode::Byte));
  for (const std::string data :
       {"0", "0123456789012345678", "SO-2024-000042 $%*+./:", "HELLO WORLD", "hello, world! {|}~\"'",
        "คำสั่งซื้อ 42 ถนนสุขุมวิท กรุงเทพมหานคร", "王小明 北京市朝阳区建国路88号", "Ünïcödé ñ €", "a\u00A0b"}) {
    checkRoundTrip(Symbology::QrCode, data);
  }
}

BOOST_AUTO_TEST_CASE(utf8_text_has_an_eci_header_and_ascii_does_not) {
  // 1-M holds 16 data codewords: 14 bytes after mode and count, 13 after an
  // ECI designator (12 bits) too.
  auto size = [](const std::string& data) { return encodeBarcode(Symbology::QrCode, data)->width; };
  BOOST_TEST(size(repeat("a", 14)) == 21);
  BOOST_TEST(size(repeat("a", 15)) == 25);
  BOOST_TEST(size("ก" + repeat("a", 10)) == 21);  // 13 bytes
  BOOST_TEST(size("ก" + repeat("a", 11)) == 25);  // 14 bytes: no room for the ECI in version 1
}

BOOST_AUTO_TEST_CASE(qr_version_is_the_smallest_that_holds_the_data) {
  // Byte capacities at level M (ISO/IEC 18004 table 7): the previous
  // version's capacity + 1 and the version's own capacity both give that
  // version, one more byte the next.
  struct Case {
    int version;
    std::size_t previousCapacity;
    std::size_t capacity;
  };
  for (const Case c : {Case{1, 0, 14}, Case{2, 14, 26}, Case{7, 106, 122}, Case{10, 180, 213},
                       Case{27, 1059, 1125}, Case{40, 2213, 2331}}) {
    for (const std::size_t length : {c.previousCapacity + 1, c.capacity}) {
      const std::string data = repeat("q", length);
      auto matrix = encodeBarcode(Symbology::QrCode, data);
      BOOST_REQUIRE_MESSAGE(matrix.ok(), why(matrix));
      BOOST_TEST_CONTEXT("version " << c.version << ", " << length << " bytes") {
        BOOST_TEST(matrix->width == 17 + 4 * c.version);
      }
      checkRoundTrip(Symbology::QrCode, data);
    }
    if (c.version < 40) {
      BOOST_TEST(encodeBarcode(Symbology::QrCode, repeat("q", c.capacity + 1))->width == 17 + 4 * (c.version + 1));
    }
  }
}

BOOST_AUTO_TEST_CASE(every_qr_version_1_to_40_reads_back_at_its_capacity) {
  // Capacity of each version from its block table; the reader checks the
  // block structure, alignment and version information of every version.
  for (int v = enc::kQrMinVersion; v <= enc::kQrMaxVersion; ++v) {
    const int countBits = v <= 9 ? 8 : 16;
    const std::size_t capacity =
        static_cast<std::size_t>((enc::qrBlocksLevelM(v).dataCodewords() * 8 - 4 - countBits) / 8);
    std::string data;
    for (std::size_t i = 0; i < capacity; ++i) data.push_back(static_cast<char>('a' + (i * 7 + v) % 26));
    auto symbol = enc::encodeQrCode(data);
    BOOST_REQUIRE(symbol.ok());
    BOOST_TEST(symbol->version == v);
    checkRoundTrip(Symbology::QrCode, data);
  }
}

BOOST_AUTO_TEST_CASE(qr_one_byte_over_version_40_m_is_too_large) {
  const std::pair<std::string, std::size_t> cases[] = {{"7", 5596}, {"K", 3391}, {"k", 2331}};
  for (const auto& [unit, capacity] : cases) {
    BOOST_TEST_CONTEXT(unit << " x " << capacity) {
      auto fits = encodeBarcode(Symbology::QrCode, repeat(unit, capacity));
      BOOST_REQUIRE(fits.ok());
      BOOST_TEST(fits->width == 177);
      auto over = encodeBarcode(Symbology::QrCode, repeat(unit, capacity + 1));
      BOOST_REQUIRE(!over.ok());
      BOOST_TEST(over.error().kind == ErrorKind::TooLarge);
    }
  }
  checkRoundTrip(Symbology::QrCode, repeat("7", 5596), 3);
  // UTF-8: 2330 bytes after the ECI header.
  BOOST_TEST(encodeBarcode(Symbology::QrCode, "ก" + repeat("k", 2327)).ok());
  BOOST_TEST(encodeBarcode(Symbology::QrCode, "ก" + repeat("k", 2328)).error().kind == ErrorKind::TooLarge);
}

BOOST_AUTO_TEST_CASE(qr_format_information_says_level_m_and_all_eight_masks_get_chosen) {
  std::set<int> masks;
  for (int i = 0; i < 200; ++i) {
    const std::string data = "SO-" + std::to_string(1000 + i * 37) + (i % 2 ? "-x" : "") + repeat("9", i % 40);
    auto matrix = encodeBarcode(Symbology::QrCode, data);
    BOOST_REQUIRE(matrix.ok());
    BOOST_TEST(qrFormatBits(matrix.value(), 1) == qrFormatBits(matrix.value(), 2));
    BOOST_TEST(qrLevelBits(matrix.value()) == 0);  // 00 = M
    masks.insert(qrMask(matrix.value()));
  }
  BOOST_TEST(masks.size() == 8u);
  // A forced mask shows in the format information and still reads back.
  for (int mask = 0; mask < 8; ++mask) {
    auto symbol = enc::encodeQrCode("LOC:A-01-02", mask);
    BOOST_REQUIRE(symbol.ok());
    BOOST_TEST(qrMask(symbol->matrix) == mask);
    const Decoded decoded = decodeWhole(rasterOf(symbol->matrix, Symbology::QrCode, 3), Symbology::QrCode);
    BOOST_TEST(decoded.text == "LOC:A-01-02");
  }
}

BOOST_AUTO_TEST_CASE(qr_symbols_equal_zxings_writer_module_for_module) {
  // Same mode, version and mask choice (penalty rules) as ZXing 1.4, which
  // drew the previews before; a newer ZXing writer may choose differently.
  const std::vector<std::string> inputs = {"SO-2024-000042", "0123456789", "https://wms.example/o/42?x=1",
                                           "คำสั่งซื้อ 42 王小明", repeat("ab", 300), repeat("7", 1000)};
  for (const std::string& data : inputs) {
    auto ours = encodeBarcode(Symbology::QrCode, data);
    BOOST_REQUIRE(ours.ok());
    const ZXing::BitMatrix theirs = zxingSymbol(Symbology::QrCode, data);
    BOOST_REQUIRE(ours->width == theirs.width());
    int differing = 0;
    for (int y = 0; y < ours->height; ++y) {
      for (int x = 0; x < ours->width; ++x) differing += ours->at(x, y) != theirs.get(x, y) ? 1 : 0;
    }
    BOOST_TEST_CONTEXT(data.substr(0, 30)) { BOOST_TEST(differing == 0); }
  }
}

BOOST_AUTO_TEST_CASE(too_large_and_invalid_data_are_error_values_with_their_kind) {
  auto huge = encodeBarcode(Symbology::QrCode, std::string(8000, '7'));
  BOOST_REQUIRE(!huge.ok());
  BOOST_TEST(huge.error().kind == ErrorKind::TooLarge);
  BOOST_TEST(encodeBarcode(Symbology::Gs1_128, std::string(81, '0')).error().kind == ErrorKind::TooLarge);
  BOOST_TEST(encodeBarcode(Symbology::Code128, std::string(80, 'A')).ok());
  BOOST_TEST(encodeBarcode(Symbology::Gs1_128, "").error().kind == ErrorKind::Invalid);
  BOOST_TEST(encodeBarcode(Symbology::QrCode, "").error().kind == ErrorKind::Invalid);
  BOOST_TEST(encodeBarcode(Symbology::Code128, "AB\x7F").error().message ==
             "Code 128 data has a character that is not printable ASCII at position 3");
  BOOST_TEST(encodeBarcode(Symbology::QrCode, "ok\xC3").error().kind == ErrorKind::Invalid);
}

BOOST_AUTO_TEST_SUITE_END()
