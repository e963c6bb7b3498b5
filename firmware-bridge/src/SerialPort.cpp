#include "wms/fwbridge/SerialPort.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wms::fwbridge {
namespace {

Result<speed_t> speedOf(int baud) {
  switch (baud) {
    case 9600:
      return speed_t{B9600};
    case 19200:
      return speed_t{B19200};
    case 38400:
      return speed_t{B38400};
    case 57600:
      return speed_t{B57600};
    case 115200:
      return speed_t{B115200};
    case 230400:
      return speed_t{B230400};
    case 460800:
      return speed_t{B460800};
    case 921600:
      return speed_t{B921600};
    default:
      return makeError(ErrorKind::Invalid,
                       "baud rate " + std::to_string(baud) +
                           " is not supported (9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)");
  }
}

std::string sysError(const std::string& what, int err) {
  return what + ": " + std::strerror(err);
}

}  // namespace

void UniqueFd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Status checkBaud(int baud) {
  auto s = speedOf(baud);
  if (!s) return s.error();
  return {};
}

Result<SerialPort> SerialPort::open(const std::string& path, int baud) {
  auto speed = speedOf(baud);
  if (!speed) return speed.error();
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    const int err = errno;
    const ErrorKind kind = err == ENOENT || err == ENODEV || err == ENXIO ? ErrorKind::NotFound
                           : err == EACCES || err == EPERM                ? ErrorKind::Forbidden
                                                                          : ErrorKind::Unavailable;
    return makeError(kind, sysError("cannot open " + path, err));
  }
  if (::isatty(fd.get()) == 0) return makeError(ErrorKind::Invalid, path + " is not a terminal device");
  if (::ioctl(fd.get(), TIOCEXCL) != 0)
    return makeError(ErrorKind::Unavailable, sysError(path + ": TIOCEXCL", errno));
  termios tio{};
  if (::tcgetattr(fd.get(), &tio) != 0)
    return makeError(ErrorKind::Unavailable, sysError(path + ": tcgetattr", errno));
  ::cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;  // ignore modem lines: a CDC gadget has none
  tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CRTSCTS);
  // VMIN 1 with O_NONBLOCK: an empty port reads as EAGAIN, so a read of 0
  // bytes means the device hung up (with VMIN 0 it would mean "no data").
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  if (::cfsetispeed(&tio, *speed) != 0 || ::cfsetospeed(&tio, *speed) != 0) {
    return makeError(ErrorKind::Invalid,
                     sysError(path + ": cannot set " + std::to_string(baud) + " baud", errno));
  }
  if (::tcsetattr(fd.get(), TCSANOW, &tio) != 0)
    return makeError(ErrorKind::Unavailable, sysError(path + ": tcsetattr", errno));
  // Bytes a previous session left in the driver would only be noise now.
  (void)::tcflush(fd.get(), TCIOFLUSH);
  return SerialPort(std::move(fd), path);
}

Result<std::size_t> SerialPort::read(std::span<std::uint8_t> buffer) {
  const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
  if (n > 0) return static_cast<std::size_t>(n);
  if (n == 0) return makeError(ErrorKind::Unavailable, path_ + " closed (end of file)");
  if (errno == EAGAIN || errno == EINTR) return std::size_t{0};
  return makeError(ErrorKind::Unavailable, sysError(path_ + " went away", errno));
}

Result<std::size_t> SerialPort::write(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return std::size_t{0};
  const ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
  if (n >= 0) return static_cast<std::size_t>(n);
  if (errno == EAGAIN || errno == EINTR) return std::size_t{0};
  return makeError(ErrorKind::Unavailable, sysError(path_ + " went away", errno));
}

}  // namespace wms::fwbridge
