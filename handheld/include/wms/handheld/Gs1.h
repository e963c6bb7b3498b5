// GS1 on the handheld: the shared GS1 library (wms/gs1/Gs1.h) under the
// names the handheld's code uses, plus reading the GS1 content of a decoded
// barcode, which knows how each format reports it.
//
// Pure functions over values: no I/O, no clock, thread-safe.
#pragma once

#include <string_view>

#include "wms/common/Result.h"
#include "wms/gs1/Gs1.h"
#include "wms/handheld/Barcode.h"

namespace wms::handheld {

using Gs1Date = gs1::Date;
using Gs1Element = gs1::Element;
using Gs1Data = gs1::Data;
using Gs1ParseOptions = gs1::ParseOptions;
inline constexpr std::size_t kMaxGs1Length = gs1::kMaxLength;

// gs1::parse.
inline Result<Gs1Data> parseGs1(std::string_view text, const Gs1ParseOptions& options = {}) {
  return gs1::parse(text, options);
}

// Parses the GS1 content of a decoded barcode, knowing how each format
// reports it (ZXing returns a GS1 DataBar's GTIN-14 without its AI 01).
// Errors as gs1::parse, plus Invalid if the barcode does not carry GS1 data.
Result<Gs1Data> parseGs1(const Barcode& barcode, const Gs1ParseOptions& options = {});

inline bool hasValidGs1CheckDigit(std::string_view digits) noexcept { return gs1::hasValidCheckDigit(digits); }
inline int gs1CheckDigit(std::string_view digits) noexcept { return gs1::checkDigit(digits); }

}  // namespace wms::handheld
