#include "SharedFrame.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

namespace wms::handheld::detail {

Result<SharedFrame> SharedFrame::create(std::size_t pixelBytes) {
  SharedFrame f;
  // Close-on-exec for whatever else the app starts; the worker is a fork
  // (no exec) and gets its own copy on descriptor 4.
  f.fd_ = ::memfd_create("wms-decode-frame", MFD_CLOEXEC);
  if (f.fd_ < 0)
    return makeError(ErrorKind::Unavailable, std::string("decoder: memfd_create: ") + std::strerror(errno));
  f.owner_ = true;
  if (!f.reserve(pixelBytes))
    return makeError(ErrorKind::Unavailable,
                     std::string("decoder: cannot size shared frame: ") + std::strerror(errno));
  new (f.base_) SharedControl();
  return f;
}

bool SharedFrame::attach(int fd) {
  unmap();
  fd_ = fd;
  owner_ = false;
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || st.st_size < static_cast<off_t>(kPixelsOffset)) return false;
  return map(static_cast<std::size_t>(st.st_size));
}

SharedFrame::~SharedFrame() {
  unmap();
  if (owner_ && fd_ >= 0) ::close(fd_);
}

SharedFrame::SharedFrame(SharedFrame&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      owner_(std::exchange(o.owner_, false)),
      base_(std::exchange(o.base_, nullptr)),
      mapped_(std::exchange(o.mapped_, 0)) {}

SharedFrame& SharedFrame::operator=(SharedFrame&& o) noexcept {
  if (this != &o) {
    unmap();
    if (owner_ && fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    owner_ = std::exchange(o.owner_, false);
    base_ = std::exchange(o.base_, nullptr);
    mapped_ = std::exchange(o.mapped_, 0);
  }
  return *this;
}

bool SharedFrame::reserve(std::size_t pixelBytes) {
  const std::size_t needed = kPixelsOffset + pixelBytes;
  if (needed <= mapped_) return true;
  if (owner_) {
    // Grow in steps so that frames of slowly rising size do not remap each time.
    std::size_t size = std::max(needed, mapped_ + mapped_ / 2);
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return false;
    return map(size);
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || static_cast<std::size_t>(st.st_size) < needed) return false;
  return map(static_cast<std::size_t>(st.st_size));
}

bool SharedFrame::map(std::size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) return false;
  unmap();
  base_ = static_cast<std::uint8_t*>(p);
  mapped_ = bytes;
  return true;
}

void SharedFrame::unmap() {
  if (base_) ::munmap(base_, mapped_);
  base_ = nullptr;
  mapped_ = 0;
}

}  // namespace wms::handheld::detail
