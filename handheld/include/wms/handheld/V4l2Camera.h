// V4l2Camera: frames from a Video4Linux2 camera (the handheld's imager), by
// memory-mapped streaming. GREY and YUYV devices are supported; both become
// luminance frames.
//
// Ownership: the camera owns its device descriptor and mapped buffers and
// releases them (stream off, unmap, close) on destruction. Not copyable.
// Threading: one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "wms/common/Result.h"
#include "wms/handheld/Frame.h"

namespace wms::handheld {

enum class CameraPixelFormat { Grey, Yuyv };

struct CameraOptions {
  std::filesystem::path device = "/dev/video0";
  int width = 1280;  // requested; the driver may pick the nearest it has
  int height = 720;
  int buffers = 4;                               // mmap buffers to request (the driver may adjust)
  std::chrono::milliseconds frameTimeout{2000};  // next() gives up after this
};

// Pixel conversions (pure; exposed for tests and other capture paths).
// `bytesPerLine` is the driver's row pitch. Errors: Invalid if the sizes do
// not fit the data (too short, pitch smaller than a row, odd YUYV width).
Result<Frame> greyToFrame(std::span<const std::uint8_t> data, int width, int height, int bytesPerLine);
Result<Frame> yuyvToFrame(std::span<const std::uint8_t> data, int width, int height, int bytesPerLine);

class V4l2Camera : public FrameSource {
 public:
  // Opens the device, negotiates GREY (else YUYV) at about the requested
  // size, maps the buffers and starts streaming. Errors: NotFound (no such
  // device), Unavailable (busy, permission), Invalid (not a capture device,
  // no streaming, neither GREY nor YUYV); messages name the device.
  static Result<std::unique_ptr<V4l2Camera>> open(const CameraOptions& options);
  ~V4l2Camera() override;
  V4l2Camera(const V4l2Camera&) = delete;
  V4l2Camera& operator=(const V4l2Camera&) = delete;

  // Waits up to frameTimeout for the next frame and returns it as luminance.
  // Errors: Unavailable on timeout or device failure (the camera may have
  // been unplugged); Malformed if the driver hands over a short buffer.
  Result<Frame> next() override;
  std::string describe() const override;

  int width() const noexcept;
  int height() const noexcept;
  CameraPixelFormat pixelFormat() const noexcept;

 private:
  struct State;
  explicit V4l2Camera(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace wms::handheld
