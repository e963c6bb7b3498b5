// Barcode symbols as module matrices, encoded by ZXing-C++'s writer.
//
// A ModuleMatrix holds one bit per module (the narrowest bar or cell); the
// renderers draw each module as a whole number of dots so that bar widths
// stay exact. No I/O. ZXing exceptions never cross this API.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::labels {

enum class Symbology {
  Code128,  // data: printable ASCII (the tracking number, location codes)
  Gs1_128,  // data: a GS1 element string of digits ("00" + SSCC); FNC1 is added
  QrCode,   // data: any UTF-8 text (error correction level M)
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
// not fit the symbology at all.
Result<ModuleMatrix> encodeBarcode(Symbology symbology, std::string_view data);

}  // namespace wms::labels
