// What a packer scanned, as text from a USB keyboard-wedge scanner or a
// handheld: a GTIN (EAN-8, UPC-A, EAN-13, ITF-14 digits), GS1 element
// strings (GS1-128, DataBar, DataMatrix: raw with GS separators, optionally
// led by a symbology identifier such as "]C1", or in the human-readable
// "(01)...(10)..." form), or an internal code (a SKU's own barcode or code).
//
// interpretScan is the gate for that outside input: it cleans what a wedge
// adds (the Enter at the end, surrounding spaces), checks the length before
// reading further, refuses control characters and invalid UTF-8, verifies
// GTIN check digits, and parses GS1 data with the shared GS1 library
// (wms::gs1::parse, as the handheld does), so a packing station and a handheld read a
// label the same way.
//
// Pure functions over values: no I/O, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "wms/common/Result.h"

namespace wms::packing {

// Longest scan accepted (the protocol's barcode limit); longer input is
// refused unread.
inline constexpr std::size_t kMaxScanBytes = 256;

enum class CodeKind {
  Gtin,      // 8, 12, 13 or 14 digits with a correct GS1 check digit
  Gs1,       // GS1 element strings carrying a GTIN (AI 01)
  Internal,  // anything else printable: compared as text
};

// "gtin", "gs1", "internal".
const char* toString(CodeKind kind) noexcept;

struct ScannedCode {
  std::string text;  // the scan as cleaned (no trailing Enter, no surrounding spaces)
  CodeKind kind = CodeKind::Internal;
  // What lookups compare: the GTIN as 14 digits for Gtin and Gs1 (so an
  // EAN-13 and the same GTIN in a GS1-128's AI 01 are the same item), the
  // text itself for Internal (matching domain::barcodeKey).
  std::string key;
  // From GS1 data, when present.
  std::optional<std::string> lot;     // AI 10
  std::optional<std::string> serial;  // AI 21
  std::optional<std::string> expiry;  // AI 17 as "YYYY-MM-DD"

  friend bool operator==(const ScannedCode&, const ScannedCode&) = default;
};

// Interprets one scan. Errors, each with a message a packer can act on:
// Invalid for an empty scan, a GTIN whose check digit is wrong ("check digit
// is 4, expected 3: scan again"), GS1 data without a GTIN (an SSCC carton
// label is named as such) or with a bad value; Malformed for control
// characters (other than the GS1 separator GS), invalid UTF-8 or GS1 data
// that cannot be parsed; TooLarge beyond kMaxScanBytes.
Result<ScannedCode> interpretScan(std::string_view text);

}  // namespace wms::packing
