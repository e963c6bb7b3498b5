#include "wms/handheld/Frame.h"

namespace wms::handheld {

Status checkFrameSize(std::int64_t width, std::int64_t height) {
  std::string size = std::to_string(width) + "x" + std::to_string(height);
  if (width <= 0 || height <= 0) return makeError(ErrorKind::Invalid, "frame size " + size + " is empty");
  if (width > kMaxFrameSide || height > kMaxFrameSide)
    return makeError(ErrorKind::TooLarge, "frame size " + size + " exceeds the limit of " +
                                              std::to_string(kMaxFrameSide) + " pixels a side");
  if (width * height > kMaxFramePixels)
    return makeError(ErrorKind::TooLarge, "frame size " + size + " exceeds the limit of " +
                                              std::to_string(kMaxFramePixels) + " pixels");
  return {};
}

Result<Frame> Frame::fromPixels(int width, int height, std::vector<std::uint8_t> pixels) {
  if (auto st = checkFrameSize(width, height); !st) return st.error();
  auto expected = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  if (pixels.size() != expected)
    return makeError(ErrorKind::Invalid, "frame " + std::to_string(width) + "x" + std::to_string(height) +
                                             " needs " + std::to_string(expected) + " bytes, got " +
                                             std::to_string(pixels.size()));
  return Frame(width, height, std::move(pixels));
}

}  // namespace wms::handheld
