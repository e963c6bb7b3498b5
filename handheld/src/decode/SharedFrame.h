// The memory a Decoder and its worker share: a control block and the pixels
// of the frame being decoded, in a memfd that the worker inherits. Frames
// no longer stream through the socket (a 1280x720 frame took several
// context switches that way); the socket carries only small messages.
//
// The control block holds the pass the worker is in, so that after a crash
// the Decoder knows where it happened without a message per pass.
//
// Ownership: the parent creates it and keeps it across workers; each worker
// maps it again from the inherited descriptor. Not copyable.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "wms/common/Result.h"

namespace wms::handheld::detail {

struct SharedControl {
  std::atomic<std::uint32_t> pass{0};  // written by the worker before each pass
};
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);

class SharedFrame {
 public:
  // A new shared memory object able to hold `pixelBytes` (it grows later).
  // Errors: Unavailable if the system refuses.
  static Result<SharedFrame> create(std::size_t pixelBytes);
  // Maps an inherited descriptor (the worker side); false if it cannot.
  bool attach(int fd);

  SharedFrame() = default;
  ~SharedFrame();
  SharedFrame(const SharedFrame&) = delete;
  SharedFrame& operator=(const SharedFrame&) = delete;
  SharedFrame(SharedFrame&& other) noexcept;
  SharedFrame& operator=(SharedFrame&& other) noexcept;

  // Parent: makes room for `pixelBytes`, growing the object. Worker: maps
  // the object again if the parent has grown it. False if that fails.
  bool reserve(std::size_t pixelBytes);
  std::uint8_t* pixels() const noexcept { return base_ ? base_ + kPixelsOffset : nullptr; }
  SharedControl* control() const noexcept { return reinterpret_cast<SharedControl*>(base_); }
  int fd() const noexcept { return fd_; }

 private:
  static constexpr std::size_t kPixelsOffset = 64;
  bool map(std::size_t bytes);
  void unmap();
  int fd_ = -1;
  bool owner_ = false;
  std::uint8_t* base_ = nullptr;
  std::size_t mapped_ = 0;
};

}  // namespace wms::handheld::detail
