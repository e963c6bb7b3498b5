#include "FakePrinter.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "wms/testsupport/Ports.h"

namespace wms::labels::test {

FakePrinter::FakePrinter(Mode mode, std::string statusReply, std::uint16_t port)
    : mode_(mode), statusReply_(std::move(statusReply)) {
  listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listenFd_ < 0) throw std::runtime_error("FakePrinter: socket failed");
  const int yes = 1;
  ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listenFd_, 8) != 0) {
    ::close(listenFd_);
    throw std::runtime_error("FakePrinter: cannot listen on 127.0.0.1:" + std::to_string(port));
  }
  socklen_t len = sizeof addr;
  ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  if (::pipe2(wakeFd_, O_CLOEXEC) != 0) {
    ::close(listenFd_);
    throw std::runtime_error("FakePrinter: pipe failed");
  }
  thread_ = std::thread([this] { run(); });
}

FakePrinter::~FakePrinter() {
  const char stop = 'x';
  (void)!::write(wakeFd_[1], &stop, 1);
  thread_.join();
  ::close(listenFd_);
  ::close(wakeFd_[0]);
  ::close(wakeFd_[1]);
}

std::vector<std::string> FakePrinter::jobs() const {
  std::lock_guard lock(mutex_);
  return jobs_;
}

bool FakePrinter::waitForJobs(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return jobs_.size() >= count; });
}

std::string FakePrinter::readyStatus() {
  return "\x02"
         "030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
         "\x02"
         "001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n"
         "\x02"
         "1234,0\x03\r\n";
}

void FakePrinter::run() {
  while (true) {
    pollfd fds[2] = {{listenFd_, POLLIN, 0}, {wakeFd_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::string received = serve(fd);
    ::close(fd);
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(received));
    }
    changed_.notify_all();
  }
}

std::string FakePrinter::serve(int fd) {
  std::string received;
  if (mode_ == Mode::HangUp) return received;
  bool answered = false;
  char buffer[4096];
  while (true) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wakeFd_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return received;  // stopping: leave the wake byte for run()
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return received;
    received.append(buffer, static_cast<std::size_t>(n));
    if (mode_ == Mode::AnswerStatus && !answered && received.find("~HS") != std::string::npos) {
      answered = true;
      if (!statusReply_.empty()) (void)!::send(fd, statusReply_.data(), statusReply_.size(), MSG_NOSIGNAL);
    }
  }
}

std::uint16_t closedPort() {
  return wms::testsupport::freeLoopbackPort();
}

}  // namespace wms::labels::test
