// Barcode symbols as module matrices, encoded by our own encoders written
// from the specifications: Code 128 (ISO/IEC 15417), GS1-128 (GS1 General
// Specifications, FNC1 in first position) and QR Code model 2 (ISO/IEC
// 18004). docs/labels.md describes the choices they make.
//
// A ModuleMatrix holds one bit per module (the narrowest bar or cell); the
// renderers draw each module as a whole number of dots so that bar widths
// stay exact. No I/O, no third-party library; failures are values, no
// exception crosses this API.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::labels {

enum class Symbology {
  Code128,  // data: printable ASCII, at most 80 characters (tracking number, location codes);
            // code sets B and C chosen for the fewest symbol characters
  Gs1_128,  // data: a GS1 element string of digits ("00" + SSCC), at most 80; FNC1 is added
  QrCode,   // data: any UTF-8 text; level M, smallest version 1..40, one segment
            // (numeric, alphanumeric or byte), ECI 26 (UTF-8) before non-ASCII bytes
};

// "Code 128", "GS1-128", "QR Code".
const char* toString(Symbology symbology) noexcept;

// Dark/light modules of a symbol without quiet zone. Linear symbols have
// height 1 (one row describes every bar).
struct ModuleMatrix {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> dark;  // row-major, 1 = dark, width * height entries

  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y) * width + x] != 0; }
  bool isLinear() const { return height == 1; }
};

// The quiet zone a symbol needs on each side, in modules (10 for Code 128 /
// GS1-128, 4 for QR Code).
int quietZoneModules(Symbology symbology) noexcept;

// Encodes data. Invalid if the data is empty or cannot be encoded in that
// symbology (the message says which character or why); TooLarge if it does
// not fit the symbology at all (over 80 characters of Code 128 / GS1-128,
// more than QR Code version 40-M holds).
Result<ModuleMatrix> encodeBarcode(Symbology symbology, std::string_view data);

}  // namespace wms::labels
