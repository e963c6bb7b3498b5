#include "wms/testsupport/TcpProxy.h"
#include "wms/testsupport/Ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace wms::testsupport {
namespace {

// Everything readable on `from` goes to `to`; false once either side is done.
bool forward(int from, int to) {
  char buf[16384];
  const ssize_t n = ::recv(from, buf, sizeof buf, 0);
  if (n <= 0) return false;
  for (ssize_t sent = 0; sent < n;) {
    const ssize_t m = ::send(to, buf + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
    if (m <= 0) return false;
    sent += m;
  }
  return true;
}

}  // namespace

TcpProxy::TcpProxy(std::uint16_t target) : target_(target) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) throw std::runtime_error("TcpProxy: socket() failed");
  auto at = loopbackAddress(0);
  socklen_t len = sizeof at;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0 || ::listen(listener_, 64) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&at), &len) != 0) {
    ::close(listener_);
    throw std::runtime_error("TcpProxy: cannot listen on loopback");
  }
  port_ = ntohs(at.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

TcpProxy::~TcpProxy() {
  stopping_ = true;
  drop(true);
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> carriers;
  {
    std::lock_guard lock(mutex_);
    carriers.swap(carriers_);
  }
  for (auto& t : carriers) t.join();
  ::close(listener_);
}

void TcpProxy::drop(bool refuse) {
  if (refuse) refusing_ = true;
  std::lock_guard lock(mutex_);
  // Shut, not closed: the carrier thread owns the descriptors and closes
  // them once its poll sees the end.
  for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
}

void TcpProxy::allow() {
  refusing_ = false;
}

void TcpProxy::acceptLoop() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    if (refusing_ || stopping_) {
      ::close(client);
      continue;
    }
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto to = loopbackAddress(target_);
    if (server < 0 || ::connect(server, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      if (server >= 0) ::close(server);
      ::close(client);
      continue;
    }
    ++accepted_;
    std::lock_guard lock(mutex_);
    open_.insert(client);
    open_.insert(server);
    carriers_.emplace_back([this, client, server] { carry(client, server); });
  }
}

void TcpProxy::carry(int client, int server) {
  for (;;) {
    pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (::poll(p, 2, 100) < 0) break;
    if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && !forward(client, server)) break;
    if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) && !forward(server, client)) break;
    if (stopping_) break;
  }
  {
    std::lock_guard lock(mutex_);
    open_.erase(client);
    open_.erase(server);
  }
  ::close(client);
  ::close(server);
}

}  // namespace wms::testsupport
