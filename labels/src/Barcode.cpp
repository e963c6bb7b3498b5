// encodeBarcode: checks the input rules and hands the data to our own
// encoders (barcode/Code128.cpp, barcode/QrCode.cpp).
#include "wms/labels/Barcode.h"

#include <exception>
#include <string>

#include "barcode/Code128.h"
#include "barcode/QrCode.h"
#include "wms/common/TextChecks.h"

namespace wms::labels {
namespace {

constexpr std::size_t kMaxCode128Characters = 80;

// Code 128 data on a label is printable ASCII (the encoder could carry
// control characters through code set A, but no label field needs them and
// a scanner's keyboard wedge would act on them); GS1-128 element strings
// here are digits only.
Status checkCode128(Symbology symbology, std::string_view data) {
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (c < 0x20 || c > 0x7E) {
      return makeError(ErrorKind::Invalid, std::string(toString(symbology)) +
                                               " data has a character that is not "
                                               "printable ASCII at position " +
                                               std::to_string(i + 1));
    }
    if (symbology == Symbology::Gs1_128 && (c < '0' || c > '9')) {
      return makeError(ErrorKind::Invalid, "GS1-128 element string must be digits only");
    }
  }
  if (data.size() > kMaxCode128Characters) {
    return makeError(ErrorKind::TooLarge, std::string(toString(symbology)) + " data is " +
                                              std::to_string(data.size()) + " characters, at most 80 fit");
  }
  return {};
}

Result<ModuleMatrix> encodeLinear(Symbology symbology, std::string_view data) {
  if (auto status = checkCode128(symbology, data); !status) return status.error();
  const std::vector<std::uint8_t> modules =
      barcode::code128Modules(barcode::code128Symbols(data, symbology == Symbology::Gs1_128));
  ModuleMatrix matrix;
  matrix.width = static_cast<int>(modules.size());
  matrix.height = 1;
  matrix.dark = modules;
  return matrix;
}

Result<ModuleMatrix> encodeQr(std::string_view data) {
  if (!isValidUtf8(data)) return makeError(ErrorKind::Invalid, "QR Code data is not valid UTF-8");
  auto symbol = barcode::encodeQrCode(data);
  if (!symbol) return symbol.error();
  return std::move(symbol->matrix);
}

}  // namespace

const char* toString(Symbology symbology) noexcept {
  switch (symbology) {
    case Symbology::Code128:
      return "Code 128";
    case Symbology::Gs1_128:
      return "GS1-128";
    case Symbology::QrCode:
      return "QR Code";
  }
  return "?";
}

int quietZoneModules(Symbology symbology) noexcept {
  return symbology == Symbology::QrCode ? 4 : 10;
}

Result<ModuleMatrix> encodeBarcode(Symbology symbology, std::string_view data) {
  if (data.empty()) return makeError(ErrorKind::Invalid, std::string(toString(symbology)) + " data is empty");
  // The encoders throw only on a bug of ours or when memory runs out; that
  // too stays behind this API.
  try {
    switch (symbology) {
      case Symbology::Code128:
      case Symbology::Gs1_128:
        return encodeLinear(symbology, data);
      case Symbology::QrCode:
        return encodeQr(data);
    }
    return makeError(ErrorKind::Invalid, "unknown symbology");
  } catch (const std::exception& e) {
    return makeError(ErrorKind::Internal, std::string("cannot encode as ") + toString(symbology) + ": " + e.what());
  }
}

}  // namespace wms::labels
