#include "wms/handheld/Barcode.h"

#include <cctype>

namespace wms::handheld {
namespace {

constexpr const char* kNames[kBarcodeFormatCount] = {"EAN-8",           "EAN-13",     "UPC-A", "UPC-E",
                                                     "Code128",         "Code39",     "ITF",   "DataBar",
                                                     "DataBarExpanded", "DataMatrix", "QRCode"};

// Lower-case letters and digits only, so that "ean_13", "EAN-13" and "Ean13" compare equal.
std::string folded(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const char* formatName(BarcodeFormat format) noexcept {
  auto i = static_cast<int>(format);
  return i >= 0 && i < kBarcodeFormatCount ? kNames[i] : "unknown";
}

std::optional<BarcodeFormat> formatFromName(std::string_view name) noexcept {
  try {
    std::string key = folded(name);
    for (int i = 0; i < kBarcodeFormatCount; ++i)
      if (folded(kNames[i]) == key) return static_cast<BarcodeFormat>(i);
    if (key == "gs1128") return BarcodeFormat::Code128;
    if (key == "itf14") return BarcodeFormat::Itf;
  } catch (...) {  // allocation failure: treat as unknown
  }
  return std::nullopt;
}

bool isMatrix(BarcodeFormat format) noexcept {
  return format == BarcodeFormat::DataMatrix || format == BarcodeFormat::QrCode;
}

FormatSet::FormatSet(std::initializer_list<BarcodeFormat> formats) noexcept {
  for (auto f : formats) add(f);
}

FormatSet FormatSet::all() noexcept {
  return FormatSet(kAllBits);
}

std::vector<BarcodeFormat> FormatSet::formats() const {
  std::vector<BarcodeFormat> out;
  for (int i = 0; i < kBarcodeFormatCount; ++i)
    if (contains(static_cast<BarcodeFormat>(i))) out.push_back(static_cast<BarcodeFormat>(i));
  return out;
}

std::string FormatSet::toString() const {
  std::string out;
  for (auto f : formats()) {
    if (!out.empty()) out += ", ";
    out += formatName(f);
  }
  return out.empty() ? "none" : out;
}

const char* toString(ScanTarget target) noexcept {
  switch (target) {
    case ScanTarget::Location:
      return "location";
    case ScanTarget::Item:
      return "item";
    case ScanTarget::Tote:
      return "tote";
  }
  return "unknown";
}

FormatSet formatsFor(ScanTarget target) noexcept {
  using F = BarcodeFormat;
  switch (target) {
    case ScanTarget::Location:
      return {F::Code128, F::Code39, F::QrCode, F::DataMatrix};
    case ScanTarget::Item:
      return {F::Ean8,    F::Ean13,           F::UpcA,      F::UpcE, F::Code128, F::Itf,
              F::DataBar, F::DataBarExpanded, F::DataMatrix};
    case ScanTarget::Tote:
      return {F::Code128, F::Code39, F::QrCode};
  }
  return {};
}

bool Barcode::isGs1() const noexcept {
  return symbology == "]C1" || symbology == "]e0" || symbology == "]d2" || symbology == "]Q3" ||
         symbology == "]J1";
}

}  // namespace wms::handheld
