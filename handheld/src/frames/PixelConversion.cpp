// Camera pixel layouts to luminance frames. Kept apart from the V4L2 code so
// that it can be tested without a device.
#include <cstring>

#include "wms/handheld/V4l2Camera.h"

namespace wms::handheld {
namespace {

Status checkLayout(std::size_t dataSize, int width, int height, int bytesPerLine, int bytesPerPixel,
                   const char* name) {
  if (auto st = checkFrameSize(width, height); !st) return st;
  auto rowBytes = static_cast<std::int64_t>(width) * bytesPerPixel;
  if (bytesPerLine < rowBytes)
    return makeError(ErrorKind::Invalid, std::string(name) + " row pitch " + std::to_string(bytesPerLine) +
                                             " is smaller than a row of " + std::to_string(rowBytes) +
                                             " bytes");
  // The last row needs only its pixels, not the padding after them.
  auto needed = static_cast<std::int64_t>(bytesPerLine) * (height - 1) + rowBytes;
  if (static_cast<std::int64_t>(dataSize) < needed)
    return makeError(ErrorKind::Invalid, std::string(name) + " buffer of " + std::to_string(dataSize) +
                                             " bytes is too short for " + std::to_string(width) + "x" +
                                             std::to_string(height) + " (needs " + std::to_string(needed) +
                                             ")");
  return {};
}

}  // namespace

Result<Frame> greyToFrame(std::span<const std::uint8_t> data, int width, int height, int bytesPerLine) {
  if (auto st = checkLayout(data.size(), width, height, bytesPerLine, 1, "GREY"); !st) return st.error();
  std::vector<std::uint8_t> out(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y)
    std::memcpy(out.data() + static_cast<std::size_t>(y) * width,
                data.data() + static_cast<std::size_t>(y) * bytesPerLine, static_cast<std::size_t>(width));
  return Frame::fromPixels(width, height, std::move(out));
}

Result<Frame> yuyvToFrame(std::span<const std::uint8_t> data, int width, int height, int bytesPerLine) {
  if (width % 2 != 0)
    return makeError(ErrorKind::Invalid,
                     "YUYV width " + std::to_string(width) + " is odd (pixels come in pairs)");
  if (auto st = checkLayout(data.size(), width, height, bytesPerLine, 2, "YUYV"); !st) return st.error();
  std::vector<std::uint8_t> out(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  // Y0 U Y1 V: luminance is every other byte; chroma is not needed to decode.
  for (int y = 0; y < height; ++y) {
    const std::uint8_t* row = data.data() + static_cast<std::size_t>(y) * bytesPerLine;
    std::uint8_t* dst = out.data() + static_cast<std::size_t>(y) * width;
    for (int x = 0; x < width; ++x) dst[x] = row[2 * x];
  }
  return Frame::fromPixels(width, height, std::move(out));
}

}  // namespace wms::handheld
