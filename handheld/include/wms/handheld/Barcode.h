// Barcode: what a decode produced, whichever way it came in (camera frame,
// image file or a hardware scan engine), and the sets of barcode formats a
// scan step expects.
//
// Pure values; no I/O. Thread-safe as values are.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wms::handheld {

// The formats a warehouse meets. Names follow ZXing's (formatName()).
enum class BarcodeFormat : std::uint8_t {
  Ean8,
  Ean13,
  UpcA,
  UpcE,
  Code128,  // also GS1-128 (symbology identifier ]C1)
  Code39,
  Itf,      // Interleaved 2 of 5, incl. ITF-14
  DataBar,  // GS1 DataBar Omnidirectional
  DataBarExpanded,
  DataMatrix,
  QrCode,
};
inline constexpr int kBarcodeFormatCount = 11;

// ZXing's name of the format ("EAN-13", "Code128", "DataBarExpanded", "QRCode").
const char* formatName(BarcodeFormat format) noexcept;
// The format named by formatName(); also accepts case and '-'/'_' variants.
std::optional<BarcodeFormat> formatFromName(std::string_view name) noexcept;
// True for the two-dimensional formats (DataMatrix, QR Code).
bool isMatrix(BarcodeFormat format) noexcept;

// A set of formats (a bit set). Empty means "none"; use FormatSet::all().
class FormatSet {
 public:
  constexpr FormatSet() = default;
  FormatSet(std::initializer_list<BarcodeFormat> formats) noexcept;
  static FormatSet all() noexcept;
  static constexpr FormatSet fromBits(std::uint32_t bits) noexcept { return FormatSet(bits & kAllBits); }

  bool contains(BarcodeFormat f) const noexcept { return (bits_ & bit(f)) != 0; }
  bool empty() const noexcept { return bits_ == 0; }
  FormatSet& add(BarcodeFormat f) noexcept {
    bits_ |= bit(f);
    return *this;
  }
  FormatSet operator|(FormatSet o) const noexcept { return FormatSet(bits_ | o.bits_); }
  FormatSet operator&(FormatSet o) const noexcept { return FormatSet(bits_ & o.bits_); }
  std::uint32_t bits() const noexcept { return bits_; }
  std::vector<BarcodeFormat> formats() const;
  // "EAN-13, Code128" (formatName()s in enum order); "none" when empty.
  std::string toString() const;
  friend bool operator==(FormatSet, FormatSet) = default;

 private:
  static constexpr std::uint32_t kAllBits = (1u << kBarcodeFormatCount) - 1;
  static constexpr std::uint32_t bit(BarcodeFormat f) { return 1u << static_cast<unsigned>(f); }
  constexpr explicit FormatSet(std::uint32_t bits) : bits_(bits) {}
  std::uint32_t bits_ = 0;
};

// What a workflow step asks the picker or packer to scan.
enum class ScanTarget { Location, Item, Tote };
const char* toString(ScanTarget target) noexcept;

// The formats a label of that kind is printed in. Decoding only these is
// what makes a step's decode fast: Location = Code128, Code39, QR Code,
// DataMatrix; Item = EAN/UPC, Code128 (GS1-128), ITF-14, GS1 DataBar,
// DataMatrix (GS1); Tote = Code128, Code39, QR Code.
FormatSet formatsFor(ScanTarget target) noexcept;

// One barcode found in a frame or read by a scan engine.
struct Barcode {
  BarcodeFormat format = BarcodeFormat::Code128;
  std::string text;       // the content as UTF-8, as the decoder returned it
  std::string symbology;  // AIM symbology identifier, e.g. "]C1"; may be empty
  // Corners in frame pixels (top-left, top-right, bottom-right, bottom-left,
  // x then y); all zero for scan-engine reads.
  std::array<int, 8> corners{};
  // Typed on the keypad (interpretTypedLine), not read from a symbol: the
  // pick flow accepts a typed location, item or tote code only where the
  // task allows it, and reports it as typed.
  bool typed = false;

  // True if the symbology identifier says the content is GS1 data
  // (]C1, ]e0, ]d2, ]Q3, ]J1).
  bool isGs1() const noexcept;
  friend bool operator==(const Barcode&, const Barcode&) = default;
};

}  // namespace wms::handheld
