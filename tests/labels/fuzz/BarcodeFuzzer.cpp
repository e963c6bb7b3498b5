// libFuzzer target for encodeBarcode and our own encoders behind it
// (labels/src/barcode/): data comes from labels, order references and
// location names, i.e. from outside. The first byte picks the symbology, the
// rest is the data. Beyond "no crash, no exception": a symbol has the shape
// its spec gives it, a failure has a message, and the Code 128 encoder's
// check character holds for any ASCII with or without FNC1.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "barcode/Code128.h"
#include "barcode/QrCode.h"
#include "wms/labels/Barcode.h"

using namespace wms::labels;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Symbology symbology = data[0] % 3 == 0 ? Symbology::Code128
                              : data[0] % 3 == 1 ? Symbology::Gs1_128
                                                 : Symbology::QrCode;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  auto matrix = encodeBarcode(symbology, input);
  if (!matrix) {
    require(!matrix.error().message.empty());
  } else {
    const ModuleMatrix& m = matrix.value();
    require(m.width > 0 && m.height > 0);
    require(m.dark.size() == static_cast<std::size_t>(m.width) * static_cast<std::size_t>(m.height));
    if (symbology == Symbology::QrCode) {
      require(m.width == m.height && (m.width - 17) % 4 == 0 && m.width >= 21 && m.width <= 177);
      require(m.at(0, 0) && m.at(m.width - 1, 0) && m.at(0, m.height - 1));  // finder corners
    } else {
      require(m.height == 1 && (m.width - 13) % 11 == 0);
      require(m.at(0, 0) && m.at(m.width - 1, 0));  // a bar at both ends
    }
  }

  // The encoder itself takes all of ASCII: the check character must be
  // the mod-103 sum of what it chose, whatever code sets it chose.
  if (input.size() <= 200) {
    std::string ascii(input);
    for (char& c : ascii) c = static_cast<char>(c & 0x7F);
    const auto symbols = barcode::code128Symbols(ascii, (data[0] & 0x80) != 0);
    require(symbols.size() >= 2);
    long sum = symbols.front();
    for (std::size_t k = 1; k + 1 < symbols.size(); ++k) sum += static_cast<long>(k) * symbols[k];
    require(symbols.back() == sum % 103);
    require(barcode::code128Modules(symbols).size() == symbols.size() * 11 + 13);
  }
  return 0;
}
