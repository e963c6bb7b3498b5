#include "WorkerIo.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace wms::handheld::detail {

IoStatus writeAll(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  while (size > 0) {
    ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EPIPE || errno == ECONNRESET ? IoStatus::Closed : IoStatus::Failed;
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return IoStatus::Ok;
}

IoStatus readExact(int fd, void* data, std::size_t size, const Deadline& deadline) {
  auto* p = static_cast<std::uint8_t*>(data);
  while (size > 0) {
    if (deadline) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return IoStatus::TimedOut;
      pollfd pfd{fd, POLLIN, 0};
      int r = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left.count() + 1, 1 << 30)));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return IoStatus::Failed;
      if (r == 0) continue;  // re-checks the deadline
    }
    ssize_t n = ::recv(fd, p, size, 0);
    if (n == 0) return IoStatus::Closed;
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == ECONNRESET ? IoStatus::Closed : IoStatus::Failed;
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return IoStatus::Ok;
}

}  // namespace wms::handheld::detail
