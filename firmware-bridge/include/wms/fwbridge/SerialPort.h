// The OS side of the bridge's devices: an owned file descriptor and a serial
// port (UART or USB CDC tty) set to raw mode at a baud rate. The one place
// termios is called; its errors become values here.
//
// Threading: a SerialPort is used by one thread (the bridge's loop).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "wms/common/Result.h"

namespace wms::fwbridge {

// Owns one file descriptor and closes it. Movable, not copyable.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  int release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

// Baud rates the bridge sets: 9600 to 921600. Errors: Invalid naming the
// accepted ones.
Status checkBaud(int baud);

class SerialPort {
 public:
  // Opens `path` non-blocking, without becoming its controlling terminal,
  // for exclusive use (TIOCEXCL: a second bridge cannot share it), raw mode
  // (no echo, no line editing, no CR/LF translation, 8N1, no flow control)
  // at `baud`. Errors: NotFound (no such device yet: unplugged), Forbidden
  // (permissions), Invalid (not a tty, bad baud), Unavailable (busy, other).
  static Result<SerialPort> open(const std::string& path, int baud);

  // Reads what is there: 0 when nothing is waiting. Errors: Unavailable when
  // the device went away (EIO, end of file), with the reason.
  Result<std::size_t> read(std::span<std::uint8_t> buffer);
  // Writes what the driver takes now (maybe less than all, maybe 0).
  // Errors: Unavailable when the device went away.
  Result<std::size_t> write(std::span<const std::uint8_t> bytes);

  int fd() const noexcept { return fd_.get(); }
  const std::string& path() const noexcept { return path_; }

 private:
  SerialPort(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  UniqueFd fd_;
  std::string path_;
};

}  // namespace wms::fwbridge
