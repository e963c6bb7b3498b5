// Identifiers and the rules every identifier from outside must satisfy.
//
// SKU and location codes are restricted to a safe alphabet so that they can
// appear in topics, file names, labels and URLs without escaping. Free text
// (descriptions, names, notes) is any valid UTF-8 without control characters.
// All functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wms/common/Result.h"

namespace wms::domain {

using OrderId = std::int64_t;

inline constexpr std::size_t kMaxSkuLength = 64;
inline constexpr std::size_t kMaxLocationLength = 32;
inline constexpr std::size_t kMaxExternalIdLength = 128;
inline constexpr std::size_t kMaxTextLength = 500;
inline constexpr std::int64_t kMaxQuantity = 1'000'000;

// A code of 1..maxLength characters from [A-Za-z0-9._-], starting with a
// letter or digit. `what` names the field in the error ("sku", "location").
Status checkCode(std::string_view value, std::string_view what, std::size_t maxLength);

inline Status checkSku(std::string_view sku) { return checkCode(sku, "sku", kMaxSkuLength); }
inline Status checkLocationCode(std::string_view code) {
  return checkCode(code, "location", kMaxLocationLength);
}

// An external id from a channel: 1..128 printable ASCII characters.
Status checkExternalId(std::string_view value, std::string_view what);

// Free text: valid UTF-8, no control characters except none, at most maxChars
// code points. Empty is allowed unless `required`.
Status checkText(std::string_view value, std::string_view what, std::size_t maxChars = kMaxTextLength,
                 bool required = false);

// A quantity that must be 1..kMaxQuantity.
Status checkPositiveQuantity(std::int64_t qty, std::string_view what);

}  // namespace wms::domain
