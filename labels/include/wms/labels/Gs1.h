// GS1 helpers for the Serial Shipping Container Code (SSCC) on carton labels.
// Pure functions; no I/O.
#pragma once

#include <string>
#include <string_view>

#include "wms/common/Result.h"

namespace wms::labels {

// The GS1 mod-10 check digit of a digit string (the digits that precede the
// check digit). Throws std::invalid_argument if `digits` is empty or holds
// anything but '0'..'9' (a misuse: callers validate first).
int gs1CheckDigit(std::string_view digits);

// A complete 18-digit SSCC from 17 digits (check digit appended) or 18
// digits (check digit verified). Invalid if the length is wrong, a character
// is not a digit, or the check digit does not match (the message gives the
// expected digit).
Result<std::string> normalizeSscc(std::string_view digits);

// The GS1-128 element string of an SSCC: AI "00" followed by the 18 digits,
// without FNC1 (the barcode encoder adds it). The SSCC must be normalized.
std::string ssccElementString(std::string_view sscc);

// The human-readable interpretation printed under the SSCC barcode:
// "(00) " followed by the 18 digits.
std::string ssccHumanReadable(std::string_view sscc);

}  // namespace wms::labels
