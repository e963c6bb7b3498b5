// Reading the GS1 content of a decoded barcode (the parsing itself is the
// shared GS1 library's).
#include <algorithm>

#include "wms/handheld/Gs1.h"

namespace wms::handheld {

Result<Gs1Data> parseGs1(const Barcode& barcode, const Gs1ParseOptions& options) {
  if (!barcode.isGs1())
    return makeError(ErrorKind::Invalid,
                     std::string(formatName(barcode.format)) + " barcode" +
                         (barcode.symbology.empty() ? "" : " (" + barcode.symbology + ")") +
                         " does not carry GS1 data");
  // ZXing reports a GS1 DataBar Omnidirectional as the bare GTIN-14.
  if (barcode.format == BarcodeFormat::DataBar && barcode.text.size() == 14 &&
      std::all_of(barcode.text.begin(), barcode.text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return parseGs1("01" + barcode.text, options);
  return parseGs1(barcode.text, options);
}

}  // namespace wms::handheld
