// The catalogue: SKUs, their barcodes and the locations that hold stock.
// Plain data and pure rules; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::domain {

enum class BarcodeKind { Gtin8, Gtin12, Gtin13, Gtin14, Internal };

const char* toString(BarcodeKind kind) noexcept;  // "gtin8", ..., "internal"

// A barcode of a SKU. `key` is what lookups use: GTINs are normalised to 14
// digits (a GTIN-12 printed as UPC-A and the same GTIN in a GS1 DataBar's AI 01
// are the same key); internal codes are kept as they are.
struct Barcode {
  std::string value;  // as given (and as printed)
  BarcodeKind kind = BarcodeKind::Internal;
  std::string key;
};

// Classifies and validates a barcode value: 8, 12, 13 or 14 digits are GTINs
// and must carry a correct check digit; anything else must be an internal code
// (1..48 of [A-Za-z0-9._-], not all digits). Errors name the problem.
Result<Barcode> classifyBarcode(std::string_view value);

// The lookup key of any scanned/typed code: GTIN-8/12/13/14 with a valid check
// digit become 14 digits; other text is returned unchanged.
std::string barcodeKey(std::string_view scanned);

struct Dimensions {
  std::int64_t lengthMm = 0;
  std::int64_t widthMm = 0;
  std::int64_t heightMm = 0;
  std::int64_t volumeCm3() const { return (lengthMm * widthMm * heightMm + 999) / 1000; }
};

struct Sku {
  std::string code;
  std::string description;
  std::vector<Barcode> barcodes;
  std::int64_t weightG = 0;
  Dimensions dims;
  bool lotTracked = false;
  bool expiryTracked = false;
};

// The most barcodes one SKU may have: what a handheld's task carries for an
// item (protocol::kMaxBarcodes, checked where both are known). More would be
// accepted here and silently missing on the floor.
inline constexpr std::size_t kMaxBarcodesPerSku = 32;

// Validates a SKU as a whole (code, description, at most kMaxBarcodesPerSku
// barcodes unique within it, non-negative weight and dimensions).
Status validateSku(const Sku& sku);

enum class LocationKind { Pick, Reserve, Store, Staging, Tote, Dock };

const char* toString(LocationKind kind) noexcept;
std::optional<LocationKind> locationKindFromString(std::string_view text) noexcept;

struct Location {
  std::string code;
  std::string zone;
  LocationKind kind = LocationKind::Pick;
};

Status validateLocation(const Location& location);

}  // namespace wms::domain
