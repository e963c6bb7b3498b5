#include "wms/handheld/BridgeClient.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "wms/fwbridge/SerialPort.h"  // UniqueFd
#include "wms/fwbridge/SocketProtocol.h"
#include "wms/handheld/Handheld.h"
#include "wms/handheld/ScanEngine.h"

namespace wms::handheld {
namespace {

Result<fwbridge::UniqueFd> open(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path)
    return makeError(ErrorKind::Invalid, "bridge socket path too long: " + path);
  fwbridge::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return makeError(ErrorKind::Unavailable, std::string("socket: ") + std::strerror(errno));
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  // A local stream socket connects at once or not at all (no EINPROGRESS).
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return makeError(ErrorKind::Unavailable, "no firmware bridge at " + path + ": " + std::strerror(errno));
  }
  return fd;
}

constexpr std::size_t kMaxTyped = 256;

}  // namespace

struct BridgeClient::Impl {
  std::string path;
  fwbridge::UniqueFd fd;
  std::string in;
  std::string typed;  // the keypad line being typed on the MCU's keys
  std::chrono::steady_clock::time_point retryAt{};

  void send(const std::string& line) {
    if (!fd.valid()) return;
    // Feedback is a few dozen bytes; a full socket buffer means a stuck
    // bridge, and a missing beep must not stop picking.
    if (::send(fd.get(), line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN)
      fd.reset();
  }
};

BridgeClient::BridgeClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BridgeClient::~BridgeClient() = default;

Result<std::unique_ptr<BridgeClient>> BridgeClient::connect(const std::string& socketPath) {
  auto fd = open(socketPath);
  if (!fd) return fd.error();
  auto impl = std::make_unique<Impl>();
  impl->path = socketPath;
  impl->fd = std::move(*fd);
  return std::unique_ptr<BridgeClient>(new BridgeClient(std::move(impl)));
}

bool BridgeClient::connected() const noexcept {
  return impl_->fd.valid();
}

void BridgeClient::goodRead() {
  impl_->send(fwbridge::encodeCommand(fwbridge::FeedbackCmd{true}));
}
void BridgeClient::error() {
  impl_->send(fwbridge::encodeCommand(fwbridge::FeedbackCmd{false}));
}

int BridgeClient::pump(Handheld& app) {
  Impl& m = *impl_;
  if (!m.fd.valid()) {
    const auto now = std::chrono::steady_clock::now();
    if (now < m.retryAt) return 0;
    m.retryAt = now + std::chrono::seconds(1);
    auto fd = open(m.path);
    if (!fd) return 0;
    m.fd = std::move(*fd);
    m.in.clear();
  }
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(m.fd.get(), buf, sizeof buf, 0);
    if (n > 0) {
      m.in.append(buf, static_cast<std::size_t>(n));
      if (m.in.size() > 4 * fwbridge::kMaxSocketLine)
        m.in.clear();  // a bridge gone mad; resync at the next line
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
    m.fd.reset();  // the bridge went away (restarting); pump() reconnects
    break;
  }
  int handled = 0;
  std::size_t nl;
  while ((nl = m.in.find('\n')) != std::string::npos) {
    const std::string line = m.in.substr(0, nl);
    m.in.erase(0, nl + 1);
    auto event = fwbridge::parseEvent(line);
    if (!event) continue;  // a newer bridge's event we do not know
    ++handled;
    using Kind = fwbridge::BridgeEvent::Kind;
    if (event->kind == Kind::Scan) {
      ++scans_;
      auto scan =
          parseEngineOutput(event->scan.symbology + event->scan.data, std::chrono::system_clock::now());
      if (!scan) {
        app.input(ScanFailed{scan.error().message});
        continue;
      }
      auto barcode = toBarcode(*scan);
      if (!barcode)
        app.input(ScanFailed{barcode.error().message});
      else
        app.input(ScanInput{*barcode});
    } else if (event->kind == Kind::Key) {
      const int code = event->number;
      if (code >= 0x20 && code <= 0x7E) {
        if (m.typed.size() < kMaxTyped) m.typed.push_back(static_cast<char>(code));
      } else if (code == 0x0D) {
        if (m.typed.empty())
          app.input(KeyPress{Key::Enter});
        else
          app.typed(std::exchange(m.typed, {}));
      } else if (code == 0x1B) {
        if (m.typed.empty())
          app.input(KeyPress{Key::Escape});
        else
          m.typed.clear();
      } else if (code == 0x08) {
        if (!m.typed.empty()) m.typed.pop_back();
      } else if (code >= 0x81 && code <= 0x87) {
        static const Key kKeys[] = {Key::Short, Key::Skip,    Key::CloseCarton, Key::Label,
                                    Key::Undo,  Key::Damaged, Key::SignOut};
        app.input(KeyPress{kKeys[code - 0x81]});
      }
    }
  }
  return handled;
}

}  // namespace wms::handheld
