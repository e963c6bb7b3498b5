// The one place that talks to ZXing's writer; its exceptions stop here.
#define ZX_USE_UTF8
#include "wms/labels/Barcode.h"
#include "wms/common/TextChecks.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <exception>

#include "Text.h"

namespace wms::labels {
namespace {

// ZXing's Code 128 writer reads U+00F1 as "FNC1 here"; it is how GS1-128 is
// asked for through the MultiFormatWriter API.
constexpr std::string_view kZxingFnc1 = "\xC3\xB1";

// MultiFormatWriter's 0..8 scale; 4 is QR error correction level M (15 %),
// the level the ZPL writer asks the printer for too.
constexpr int kQrEccLevel = 4;

// Keeps ZXing's Code 128 writer away from input it mishandles: it would
// silently accept some non-ASCII bytes as Latin-1.
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
  if (data.size() > 80) {
    return makeError(ErrorKind::TooLarge, std::string(toString(symbology)) + " data is " +
                                              std::to_string(data.size()) + " characters, at most 80 fit");
  }
  return {};
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
  std::string input;
  ZXing::BarcodeFormat format = ZXing::BarcodeFormat::Code128;
  switch (symbology) {
    case Symbology::Code128:
    case Symbology::Gs1_128: {
      if (auto status = checkCode128(symbology, data); !status) return status.error();
      input =
          symbology == Symbology::Gs1_128 ? std::string(kZxingFnc1) + std::string(data) : std::string(data);
      break;
    }
    case Symbology::QrCode:
      if (!isValidUtf8(data)) return makeError(ErrorKind::Invalid, "QR Code data is not valid UTF-8");
      format = ZXing::BarcodeFormat::QRCode;
      input = std::string(data);
      break;
  }
  try {
    ZXing::MultiFormatWriter writer(format);
    writer.setMargin(0);
    if (symbology == Symbology::QrCode) {
      // Plain ASCII stays without an ECI header (smaller symbol, read by
      // every scanner); anything else is marked as UTF-8.
      const bool ascii = std::all_of(input.begin(), input.end(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      if (!ascii) writer.setEncoding(ZXing::CharacterSet::UTF8);
      writer.setEccLevel(kQrEccLevel);
    }
    const ZXing::BitMatrix bits = writer.encode(input, 0, 0);
    ModuleMatrix matrix;
    matrix.width = bits.width();
    // The 1D writer repeats the single row to the requested height; keep one.
    matrix.height = symbology == Symbology::QrCode ? bits.height() : 1;
    matrix.dark.resize(static_cast<std::size_t>(matrix.width) * matrix.height);
    for (int y = 0; y < matrix.height; ++y) {
      for (int x = 0; x < matrix.width; ++x) {
        matrix.dark[static_cast<std::size_t>(y) * matrix.width + x] = bits.get(x, y) ? 1 : 0;
      }
    }
    if (matrix.width <= 0 || matrix.height <= 0) {
      return makeError(ErrorKind::Internal,
                       std::string(toString(symbology)) + " encoder returned an empty symbol");
    }
    return matrix;
  } catch (const std::exception& e) {
    return makeError(ErrorKind::Invalid,
                     std::string("cannot encode as ") + toString(symbology) + ": " + e.what());
  }
}

}  // namespace wms::labels
