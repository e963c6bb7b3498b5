#include "wms/domain/Catalog.h"

#include "wms/gs1/Gs1.h"

#include <algorithm>
#include <set>

#include "wms/domain/Ids.h"

namespace wms::domain {
namespace {

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error invalid(std::string message) { return Error{ErrorKind::Invalid, std::move(message)}; }

}  // namespace

const char* toString(BarcodeKind kind) noexcept {
  switch (kind) {
    case BarcodeKind::Gtin8: return "gtin8";
    case BarcodeKind::Gtin12: return "gtin12";
    case BarcodeKind::Gtin13: return "gtin13";
    case BarcodeKind::Gtin14: return "gtin14";
    case BarcodeKind::Internal: return "internal";
  }
  return "internal";
}

Result<Barcode> classifyBarcode(std::string_view value) {
  if (value.empty()) return invalid("barcode is empty");
  if (allDigits(value)) {
    BarcodeKind kind;
    switch (value.size()) {
      case 8: kind = BarcodeKind::Gtin8; break;
      case 12: kind = BarcodeKind::Gtin12; break;
      case 13: kind = BarcodeKind::Gtin13; break;
      case 14: kind = BarcodeKind::Gtin14; break;
      default:
        return invalid("barcode '" + std::string(value) +
                       "' is all digits but not 8, 12, 13 or 14 long, so it is no GTIN");
    }
    int expected = gs1::checkDigit(value.substr(0, value.size() - 1));
    int actual = value.back() - '0';
    if (expected != actual)
      return invalid("barcode '" + std::string(value) + "' has check digit " + std::to_string(actual) +
                     ", expected " + std::to_string(expected));
    std::string key(14 - value.size(), '0');
    key += value;
    return Barcode{std::string(value), kind, key};
  }
  if (value.size() > 48) return invalid("barcode is longer than 48 characters");
  if (auto st = checkCode(value, "barcode", 48); !st) return st.error();
  return Barcode{std::string(value), BarcodeKind::Internal, std::string(value)};
}

std::string barcodeKey(std::string_view scanned) {
  auto b = classifyBarcode(scanned);
  if (b.ok()) return b->key;
  return std::string(scanned);
}

Status validateSku(const Sku& sku) {
  if (auto st = checkSku(sku.code); !st) return st;
  if (auto st = checkText(sku.description, "description", 200); !st) return st;
  if (sku.barcodes.size() > kMaxBarcodesPerSku)
    return invalid("a SKU has at most " + std::to_string(kMaxBarcodesPerSku) + " barcodes (what a handheld takes), not " +
                   std::to_string(sku.barcodes.size()));
  std::set<std::string> keys;
  for (const auto& b : sku.barcodes) {
    if (!keys.insert(b.key).second) return invalid("barcode '" + b.value + "' is listed twice");
  }
  if (sku.weightG < 0) return invalid("weight_g must not be negative");
  if (sku.dims.lengthMm < 0 || sku.dims.widthMm < 0 || sku.dims.heightMm < 0)
    return invalid("dimensions must not be negative");
  if (sku.weightG > 10'000'000 || sku.dims.lengthMm > 100'000 || sku.dims.widthMm > 100'000 ||
      sku.dims.heightMm > 100'000)
    return invalid("weight or dimensions are implausibly large");
  return {};
}

const char* toString(LocationKind kind) noexcept {
  switch (kind) {
    case LocationKind::Pick: return "pick";
    case LocationKind::Reserve: return "reserve";
    case LocationKind::Store: return "store";
    case LocationKind::Staging: return "staging";
    case LocationKind::Tote: return "tote";
    case LocationKind::Dock: return "dock";
  }
  return "pick";
}

std::optional<LocationKind> locationKindFromString(std::string_view text) noexcept {
  for (auto k : {LocationKind::Pick, LocationKind::Reserve, LocationKind::Store, LocationKind::Staging,
                 LocationKind::Tote, LocationKind::Dock}) {
    if (text == toString(k)) return k;
  }
  return std::nullopt;
}

Status validateLocation(const Location& location) {
  if (auto st = checkLocationCode(location.code); !st) return st;
  if (!location.zone.empty()) {
    if (auto st = checkCode(location.zone, "zone", 32); !st) return st;
  }
  return {};
}

}  // namespace wms::domain
