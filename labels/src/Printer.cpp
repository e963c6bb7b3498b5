// Sockets and libcups are wrapped here; every error becomes a Status naming
// the printer, and descriptors/connections are closed by RAII owners.
#include "wms/labels/Printer.h"

#include <cups/cups.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "wms/labels/HostStatus.h"

namespace wms::labels {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

int remainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1'000'000));
}

// Waits for `events` on fd until the deadline. Returns 1 ready, 0 timeout,
// -1 error (errno set).
int waitFor(int fd, short events, Clock::time_point deadline) {
  while (true) {
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, remainingMs(deadline));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) return rc;
    return 1;
  }
}

std::string seconds(std::chrono::milliseconds ms) {
  const long long tenths = (ms.count() + 50) / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

class Connection {
 public:
  Connection(std::string printer, const RawTcpPrinter::Options& options)
      : printer_(std::move(printer)), o_(options) {}

  Status open() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(o_.port);
    const int rc = ::getaddrinfo(o_.host.c_str(), port.c_str(), &hints, &found);
    if (rc != 0) return unavailable(std::string("cannot resolve host: ") + ::gai_strerror(rc));
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> list(found, ::freeaddrinfo);
    std::string lastError = "no address";
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
      Fd fd(::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol));
      if (fd.get() < 0) {
        lastError = std::strerror(errno);
        continue;
      }
      if (::connect(fd.get(), a->ai_addr, a->ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
          lastError = std::strerror(errno);
          continue;
        }
        const int ready = waitFor(fd.get(), POLLOUT, Clock::now() + o_.connectTimeout);
        if (ready == 0) {
          lastError = "no answer within " + seconds(o_.connectTimeout);
          continue;
        }
        int error = 0;
        socklen_t len = sizeof error;
        if (ready < 0 || ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
          lastError = std::strerror(ready < 0 ? errno : error);
          continue;
        }
      }
      fd_ = std::move(fd);
      return {};
    }
    return unavailable("cannot connect: " + lastError);
  }

  Status writeAll(std::string_view data, const char* what) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const int ready = waitFor(fd_.get(), POLLOUT, Clock::now() + o_.ioTimeout);
      if (ready == 0) {
        return unavailable(std::string("stopped accepting ") + what + " after " + std::to_string(sent) +
                           " of " + std::to_string(data.size()) + " bytes (no progress for " +
                           seconds(o_.ioTimeout) + ")");
      }
      // MSG_NOSIGNAL: a printer that hangs up must not kill the process
      // with SIGPIPE.
      const ssize_t n =
          ready < 0 ? -1 : ::send(fd_.get(), data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
        return unavailable(std::string("connection lost while sending ") + what + " after " +
                           std::to_string(sent) + " of " + std::to_string(data.size()) +
                           " bytes: " + std::strerror(errno));
      }
      sent += static_cast<std::size_t>(n);
    }
    return {};
  }

  Status checkStatus() {
    if (auto s = writeAll("~HS", "the status request"); !s) return s;
    std::string answer;
    const Clock::time_point deadline = Clock::now() + o_.ioTimeout;
    char buffer[256];
    while (!hostStatusComplete(answer)) {
      if (answer.size() > kMaxHostStatusBytes) break;  // the parser reports it
      const int ready = waitFor(fd_.get(), POLLIN, deadline);
      if (ready == 0) {
        // A Zebra stays silent to ~HS while out of media or ribbon or with
        // the head open, so silence is reported as such.
        return unavailable("did not answer the status request within " + seconds(o_.ioTimeout) +
                           " (paper or ribbon out, head open, or not a ZPL printer?)");
      }
      const ssize_t n = ready < 0 ? -1 : ::recv(fd_.get(), buffer, sizeof buffer, 0);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n < 0)
        return unavailable(std::string("connection lost while reading its status: ") + std::strerror(errno));
      if (n == 0) return unavailable("closed the connection instead of answering the status request");
      answer.append(buffer, static_cast<std::size_t>(n));
    }
    auto status = parseZebraHostStatus(answer);
    if (!status) return unavailable("answered the status request with garbage: " + status.error().message);
    if (const std::string problem = status->problem(); !problem.empty())
      return unavailable("reports " + problem);
    return {};
  }

  // Half-closes and reads until the printer closes too, so the kernel never
  // answers late printer bytes with a reset that could cut the job short.
  void finish() {
    ::shutdown(fd_.get(), SHUT_WR);
    const Clock::time_point deadline = Clock::now() + o_.closeGrace;
    char buffer[256];
    while (waitFor(fd_.get(), POLLIN, deadline) > 0) {
      const ssize_t n = ::recv(fd_.get(), buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
    }
  }

 private:
  Error unavailable(const std::string& what) const {
    return makeError(ErrorKind::Unavailable, "printer " + printer_ + " " + what);
  }

  std::string printer_;
  const RawTcpPrinter::Options& o_;
  Fd fd_;
};

// libcups may write to a socket the server has closed; SIGPIPE is held back
// for this thread during the call and a pending one is discarded after.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    sigpending(&before_);
    pthread_sigmask(SIG_BLOCK, &pipe, &old_);
  }
  ~SigpipeGuard() {
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) && !sigismember(&before_, SIGPIPE)) {
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      const timespec zero{0, 0};
      sigtimedwait(&pipe, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t old_;
  sigset_t before_;
};

struct HttpCloser {
  void operator()(http_t* http) const { httpClose(http); }
};

bool validHost(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' ||
           c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
  });
}

bool validQueue(std::string_view queue) {
  if (queue.empty() || queue.size() > 127) return false;
  return std::all_of(queue.begin(), queue.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           c == '-' || c == '.' || c == '@';
  });
}

// "host", "host:port", "[v6]:port" -> host and port (0 if none).
bool splitHostPort(std::string_view text, std::string& host, int& port) {
  port = 0;
  std::size_t colon = text.rfind(':');
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    host = std::string(text.substr(1, close - 1));
    if (close + 1 == text.size()) return validHost(host);
    if (text[close + 1] != ':') return false;
    colon = close + 1;
  } else if (colon == std::string_view::npos || text.find(':') != colon) {
    // No port, or a bare IPv6 address.
    host = std::string(text);
    return validHost(host);
  } else {
    host = std::string(text.substr(0, colon));
  }
  const std::string_view digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5) return false;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    port = port * 10 + (c - '0');
  }
  return port >= 1 && port <= 65535 && validHost(host);
}

}  // namespace

const char* toString(DocumentFormat format) noexcept {
  switch (format) {
    case DocumentFormat::Zpl:
      return "zpl";
    case DocumentFormat::Pdf:
      return "pdf";
    case DocumentFormat::Png:
      return "png";
  }
  return "?";
}

RawTcpPrinter::RawTcpPrinter(Options options) : options_(std::move(options)) {
  if (options_.host.empty()) throw std::invalid_argument("RawTcpPrinter needs a host");
}

std::string RawTcpPrinter::name() const {
  const bool v6 = options_.host.find(':') != std::string::npos;
  return std::string(options_.checkStatus ? "tcp+status://" : "tcp://") + (v6 ? "[" : "") + options_.host +
         (v6 ? "]" : "") + ":" + std::to_string(options_.port);
}

Status RawTcpPrinter::send(const PrintDocument& document) {
  if (document.data.empty()) return makeError(ErrorKind::Invalid, "nothing to print: the document is empty");
  Connection connection(name(), options_);
  if (auto s = connection.open(); !s) return s;
  if (options_.checkStatus) {
    if (auto s = connection.checkStatus(); !s) return s;
  }
  if (auto s = connection.writeAll(document.data, "the job"); !s) return s;
  connection.finish();
  return {};
}

CupsPrinter::CupsPrinter(Options options) : options_(std::move(options)) {
  if (options_.queue.empty()) throw std::invalid_argument("CupsPrinter needs a queue");
}

std::string CupsPrinter::name() const {
  return options_.server.empty() ? "cups:" + options_.queue
                                 : "cups://" + options_.server + "/" + options_.queue;
}

Status CupsPrinter::send(const PrintDocument& document) {
  if (document.data.empty()) return makeError(ErrorKind::Invalid, "nothing to print: the document is empty");
  const auto unavailable = [&](const std::string& what) {
    return makeError(ErrorKind::Unavailable, "printer " + name() + " " + what);
  };
  std::string host;
  int port = 0;
  if (options_.server.empty()) {
    host = cupsServer();
    port = ippPort();
  } else if (!splitHostPort(options_.server, host, port)) {
    return makeError(ErrorKind::Invalid, "CUPS server \"" + options_.server + "\" is not host or host:port");
  }
  if (port == 0) port = ippPort();

  SigpipeGuard guard;
  const int timeoutMs = static_cast<int>(options_.timeout.count());
  std::unique_ptr<http_t, HttpCloser> http(httpConnect2(host.c_str(), port, nullptr, AF_UNSPEC,
                                                        HTTP_ENCRYPTION_IF_REQUESTED, 1, timeoutMs, nullptr));
  if (!http) return unavailable("cannot reach the CUPS server " + host + ": " + cupsLastErrorString());
  httpSetTimeout(http.get(), static_cast<double>(timeoutMs) / 1000.0, nullptr, nullptr);

  const char* title = document.title.empty() ? "label" : document.title.c_str();
  const int job = cupsCreateJob(http.get(), options_.queue.c_str(), title, 0, nullptr);
  if (job == 0) {
    if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) {
      return makeError(ErrorKind::NotFound,
                       "CUPS queue \"" + options_.queue + "\" does not exist on " + host);
    }
    return unavailable(std::string("refused the job: ") + cupsLastErrorString());
  }
  const char* format = document.format == DocumentFormat::Zpl   ? CUPS_FORMAT_RAW
                       : document.format == DocumentFormat::Pdf ? CUPS_FORMAT_PDF
                                                                : "image/png";
  if (cupsStartDocument(http.get(), options_.queue.c_str(), job, title, format, 1) != HTTP_STATUS_CONTINUE) {
    const std::string why = cupsLastErrorString();
    cupsCancelJob2(http.get(), options_.queue.c_str(), job, 0);
    return unavailable("did not take the document: " + why);
  }
  constexpr std::size_t kChunk = 64 * 1024;
  for (std::size_t offset = 0; offset < document.data.size(); offset += kChunk) {
    const std::size_t n = std::min(kChunk, document.data.size() - offset);
    if (cupsWriteRequestData(http.get(), document.data.data() + offset, n) != HTTP_STATUS_CONTINUE) {
      const std::string why = cupsLastErrorString();
      cupsFinishDocument(http.get(), options_.queue.c_str());
      cupsCancelJob2(http.get(), options_.queue.c_str(), job, 0);
      return unavailable("lost the connection while sending: " + why);
    }
  }
  if (cupsFinishDocument(http.get(), options_.queue.c_str()) > IPP_STATUS_OK_EVENTS_COMPLETE) {
    return unavailable(std::string("rejected the document: ") + cupsLastErrorString());
  }
  return {};
}

Result<std::unique_ptr<Printer>> makePrinter(std::string_view uri) {
  const std::string quoted = "\"" + std::string(uri.substr(0, 200)) + "\"";
  const auto bad = [&](const std::string& why) {
    return makeError(ErrorKind::Invalid,
                     "printer " + quoted + " " + why +
                         " (use tcp://HOST[:PORT], tcp+status://HOST[:PORT], cups:QUEUE or "
                         "cups://SERVER[:PORT]/QUEUE)");
  };
  for (const std::string_view scheme : {std::string_view("tcp://"), std::string_view("tcp+status://")}) {
    if (uri.substr(0, scheme.size()) != scheme) continue;
    RawTcpPrinter::Options options;
    int port = 0;
    if (!splitHostPort(uri.substr(scheme.size()), options.host, port)) return bad("has no valid host[:port]");
    if (port != 0) options.port = static_cast<std::uint16_t>(port);
    options.checkStatus = scheme == "tcp+status://";
    return std::unique_ptr<Printer>(std::make_unique<RawTcpPrinter>(options));
  }
  if (uri.substr(0, 7) == "cups://") {
    const std::string_view rest = uri.substr(7);
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return bad("names no queue");
    CupsPrinter::Options options;
    options.server = std::string(rest.substr(0, slash));
    options.queue = std::string(rest.substr(slash + 1));
    std::string host;
    int port = 0;
    if (!splitHostPort(options.server, host, port)) return bad("has no valid server");
    if (!validQueue(options.queue)) return bad("has an invalid queue name");
    return std::unique_ptr<Printer>(std::make_unique<CupsPrinter>(options));
  }
  if (uri.substr(0, 5) == "cups:") {
    CupsPrinter::Options options;
    options.queue = std::string(uri.substr(5));
    if (!validQueue(options.queue)) return bad("has an invalid queue name");
    return std::unique_ptr<Printer>(std::make_unique<CupsPrinter>(options));
  }
  return bad("is not a printer address");
}

}  // namespace wms::labels
