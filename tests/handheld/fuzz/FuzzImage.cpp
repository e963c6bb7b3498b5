// libFuzzer target: image files (src/frames/ImageFile.cpp over stb_image).
// Limits are kept small so each run stays cheap.
#include <cstddef>
#include <cstdint>

#include "wms/handheld/ImageFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wms::handheld::ImageLimits limits;
  limits.maxFileBytes = 1u << 20;
  limits.maxPixels = 1'000'000;
  (void)wms::handheld::decodeImage({data, size}, limits);
  return 0;
}
