#include "Scans.h"

#include <algorithm>

#include "Text.h"
#include "wms/common/TextChecks.h"
#include "wms/protocol/Messages.h"

namespace wms::handheld::scans {
namespace {

bool isGs1(const Barcode& barcode) {
  return barcode.format == BarcodeFormat::DataBar || barcode.format == BarcodeFormat::DataBarExpanded ||
         barcode.symbology == "]C1" || barcode.symbology == "]d2" || barcode.symbology == "]e0" ||
         barcode.symbology == "]Q3" || text::startsWith(text::trimmed(barcode.text), "(") ||
         barcode.text.find('\x1d') != std::string::npos;
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::string> asSent(const Barcode& barcode, const Gs1ParseOptions& options) {
  if (isGs1(barcode)) {
    if (auto data = parseGs1(barcode, options); data && !data->elements().empty()) {
      auto readable = data->humanReadable();
      if (readable.size() <= protocol::kMaxBarcodeLength) return readable;
    }
  }
  const std::string code(text::trimmed(barcode.text));
  if (code.empty() || code.size() > protocol::kMaxBarcodeLength || !isValidUtf8(code)) return std::nullopt;
  for (char c : code) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != 0x1D) || u == 0x7F) return std::nullopt;
  }
  return code;
}

std::optional<std::string> ssccOf(const Barcode& barcode, const Gs1ParseOptions& options) {
  const std::string_view code = text::trimmed(barcode.text);
  if (code.size() == 18 && allDigits(code) && !isGs1(barcode))
    return hasValidGs1CheckDigit(code) ? std::optional<std::string>(std::string(code)) : std::nullopt;
  auto data = parseGs1(barcode, options);
  if (!data || data->gtin()) return std::nullopt;
  return data->sscc();
}

}  // namespace wms::handheld::scans
