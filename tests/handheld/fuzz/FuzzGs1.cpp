// libFuzzer target: GS1 element strings (src/gs1/Gs1.cpp), raw and as the
// content of each barcode format. Any input must give a value or an Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "wms/handheld/Gs1.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto d = wms::handheld::parseGs1(text, wms::handheld::Gs1ParseOptions{2025});
  if (d) (void)d->humanReadable();
  for (const char* sym : {"]C1", "]e0", "]d2"}) {
    wms::handheld::Barcode b{wms::handheld::BarcodeFormat::DataBar, text, sym, {}};
    (void)wms::handheld::parseGs1(b);
  }
  return 0;
}
