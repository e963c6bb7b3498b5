// Frame: one 8-bit luminance image from a camera or an image file, and the
// FrameSource interface every source of frames implements.
//
// Frames own their pixels; rows are packed (stride == width).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wms/common/Result.h"

namespace wms::handheld {

// The largest frame accepted anywhere (camera, file, decoder): a side of at
// most kMaxFrameSide pixels and at most kMaxFramePixels pixels in all.
inline constexpr int kMaxFrameSide = 16384;
inline constexpr std::int64_t kMaxFramePixels = 40'000'000;

class Frame {
 public:
  // An empty 0x0 frame.
  Frame() = default;

  // Takes ownership of `pixels` (width * height luminance bytes, row after
  // row). Fails with Invalid if a side is not positive, TooLarge beyond the
  // limits above, or Invalid if the byte count does not match.
  static Result<Frame> fromPixels(int width, int height, std::vector<std::uint8_t> pixels);

  int width() const noexcept { return width_; }
  int height() const noexcept { return height_; }
  int stride() const noexcept { return width_; }
  bool empty() const noexcept { return pixels_.empty(); }
  const std::uint8_t* data() const noexcept { return pixels_.data(); }
  const std::vector<std::uint8_t>& pixels() const noexcept { return pixels_; }
  std::uint8_t at(int x, int y) const { return pixels_.at(static_cast<std::size_t>(y) * width_ + x); }

 private:
  Frame(int width, int height, std::vector<std::uint8_t> pixels)
      : width_(width), height_(height), pixels_(std::move(pixels)) {}
  int width_ = 0;
  int height_ = 0;
  std::vector<std::uint8_t> pixels_;
};

// Checks a frame size against the limits; the error names the size.
Status checkFrameSize(std::int64_t width, std::int64_t height);

// A source of frames: a camera, a folder of images, a simulator.
//
// Threading: a source is used by one thread at a time.
class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // The next frame. A finite source that has no more frames returns an
  // Error of kind NotFound; other errors (an unreadable file, a camera
  // that went away) name the cause and the source stays usable if it can.
  virtual Result<Frame> next() = 0;
  // A short description for logs ("/dev/video0 1280x720 YUYV", "dir /tmp/x").
  virtual std::string describe() const = 0;
};

}  // namespace wms::handheld
