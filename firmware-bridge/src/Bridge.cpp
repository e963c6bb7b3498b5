#include "wms/fwbridge/Bridge.h"

#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <ostream>

#include "wms/fwbridge/SerialPort.h"

namespace wms::fwbridge {
namespace {

constexpr std::size_t kMaxDeviceBacklog = 64 * 1024;    // bytes waiting for a tty that does not drain
constexpr std::size_t kMaxClientBacklog = 1024 * 1024;  // events waiting for a client that does not read

// One log line with every counter of bad input and recovery, so that a
// device that reads badly shows it in the journal without a debugger.
std::string summary(const BridgeStats& s) {
  std::string out = "counters: scans " + std::to_string(s.scansDelivered) + " delivered, " +
                    std::to_string(s.scansRefused) + " refused, " + std::to_string(s.scansDiscarded) +
                    " discarded";
  out += "; link frames " + std::to_string(s.link.framesIn) + " in, " + std::to_string(s.frames.crcErrors) +
         " bad CRC, " + std::to_string(s.frames.malformed) + " malformed, " +
         std::to_string(s.frames.oversize) + " oversize, " + std::to_string(s.link.duplicates) +
         " repeated, " + std::to_string(s.link.outOfOrder) + " out of order, " +
         std::to_string(s.link.retransmits) + " retransmitted, " + std::to_string(s.link.dropped) +
         " dropped, " + std::to_string(s.link.handshakes) + " handshakes, " +
         std::to_string(s.malformedMessages) + " bad payloads";
  out += "; ssi " + std::to_string(s.ssi.decodes) + " reads, " + std::to_string(s.ssiReader.checksumErrors) +
         " bad checksums, " + std::to_string(s.ssi.duplicates) + " repeated, " +
         std::to_string(s.ssi.failedCommands) + " failed commands";
  out += "; wedge " + std::to_string(s.wedge.codes) + " reads, " +
         std::to_string(s.wedge.timeouts + s.wedge.unmappedKeys + s.wedge.tooLong + s.wedge.badPrefix +
                        s.wedge.empty) +
         " refused, " + std::to_string(s.wedge.repeats) + " repeats ignored";
  out += "; reopens " + std::to_string(s.reopens) + ", bad commands " + std::to_string(s.commandsRefused);
  return out;
}

std::chrono::microseconds monotonicMicros(TimePoint t) {
  // steady_clock is CLOCK_MONOTONIC on Linux, the clock evdev is set to.
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch());
}

struct SerialSlot {
  std::string name;  // "mcu", "ssi"
  SerialDevice device;
  std::optional<SerialPort> port;
  std::vector<std::uint8_t> out;
  TimePoint retryAt{};
  std::chrono::milliseconds backoff{0};
  bool everOpened = false;
  bool reportedMissing = false;
};

struct WedgeSlot {
  std::string path;
  UniqueFd fd;
  KeyAssembler assembler;
  bool evdev = false;
  std::vector<std::uint8_t> partial;
  TimePoint retryAt{};
  std::chrono::milliseconds backoff{0};
  bool everOpened = false;
  bool reportedMissing = false;
  explicit WedgeSlot(std::string p, const WedgeOptions& o) : path(std::move(p)), assembler(o) {}
};

struct Client {
  UniqueFd fd;
  std::string in;
  std::string out;
  bool closing = false;
};

}  // namespace

struct Bridge::Impl {
  BridgeOptions o;  // constant after construction
  UniqueFd listenFd;
  UniqueFd stopRead, stopWrite;
  std::optional<Link> link;
  std::optional<SsiDriver> ssi;
  std::optional<SerialSlot> mcuSlot, ssiSlot;
  std::vector<WedgeSlot> wedges;
  std::vector<Client> clients;
  std::uint64_t seq = 0;
  BridgeStats counters;  // the loop's own; copied to `shared` each round

  mutable std::mutex mutex;
  BridgeStats shared;  // guarded by mutex

  void log(const std::string& line) {
    if (o.log != nullptr) *o.log << line << std::endl;
  }

  // --- clients ---
  void send(Client& c, const std::string& line) {
    if (c.closing) return;
    if (c.out.size() + line.size() > kMaxClientBacklog) {
      log("socket: a client stopped reading; disconnecting it");
      // Dropped now, not after a flush that would never come: it must not
      // hold one of the client slots.
      c.out.clear();
      c.closing = true;
      return;
    }
    c.out += line;
  }
  void broadcast(const BridgeEvent& e) {
    const std::string line = encodeEvent(e);
    for (auto& c : clients) send(c, line);
  }
  void sendError(Client& c, const std::string& text) {
    BridgeEvent e;
    e.kind = BridgeEvent::Kind::Error;
    e.text = text;
    send(c, encodeEvent(e));
  }
  BridgeEvent hello() const {
    BridgeEvent e;
    e.kind = BridgeEvent::Kind::Hello;
    e.source = !mcuSlot ? "none" : mcuUp() ? "up" : "down";
    e.text = !ssiSlot ? "none" : ssiSlot->port ? "open" : "closed";
    e.number = static_cast<int>(
        std::count_if(wedges.begin(), wedges.end(), [](const WedgeSlot& w) { return w.fd.valid(); }));
    return e;
  }

  void accept() {
    UniqueFd fd(::accept4(listenFd.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd.valid()) return;
    if (clients.size() >= o.maxClients) {
      log("socket: refusing a client: already " + std::to_string(o.maxClients));
      return;
    }
    Client c;
    c.fd = std::move(fd);
    c.out = encodeEvent(hello());
    clients.push_back(std::move(c));
  }

  void readClient(Client& c, TimePoint now) {
    char buf[4096];
    const ssize_t n = ::recv(c.fd.get(), buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      c.closing = true;
      c.out.clear();
      return;
    }
    if (n < 0) return;
    c.in.append(buf, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = c.in.find('\n')) != std::string::npos) {
      std::string line = c.in.substr(0, nl);
      c.in.erase(0, nl + 1);
      if (line.empty() || line == "\r") continue;
      auto cmd = parseCommand(line);
      if (!cmd) {
        ++counters.commandsRefused;
        sendError(c, "command: " + cmd.error().message);
        continue;
      }
      if (auto s = execute(*cmd, now); !s) sendError(c, s.error().message);
    }
    if (c.in.size() > kMaxSocketLine) {
      ++counters.commandsRefused;
      sendError(c, "command: line longer than " + std::to_string(kMaxSocketLine) + " bytes; disconnecting");
      c.in.clear();
      c.closing = true;
    }
  }

  void flushClient(Client& c) {
    while (!c.out.empty()) {
      const ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n > 0) {
        c.out.erase(0, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      c.out.clear();
      c.closing = true;
      return;
    }
  }

  // --- commands ---
  bool mcuUp() const { return link && mcuSlot->port && link->state() == Link::State::Up; }

  Status toMcu(const DownMessage& m, TimePoint now) {
    if (!mcuUp()) {
      return makeError(ErrorKind::Unavailable, "the microcontroller is not connected");
    }
    return link->send(encodeDown(m), now);
  }
  Status toSsi(std::uint8_t opcode, std::vector<std::uint8_t> data, TimePoint now) {
    if (!ssi || !ssiSlot->port) return makeError(ErrorKind::Unavailable, "the scan engine is not connected");
    return ssi->command(opcode, std::move(data), now);
  }

  Status execute(const BridgeCommand& cmd, TimePoint now) {
    if (const auto* f = std::get_if<FeedbackCmd>(&cmd)) {
      // Feedback goes to whatever hardware is there; none is not an error
      // (a packing station with only a wedge scanner has no beeper of ours).
      if (mcuUp()) {
        if (f->good) {
          (void)toMcu(BeepCmd{BeepPattern::Good}, now);
          (void)toMcu(LedCmd{LedColour::Green, 200}, now);
        } else {
          (void)toMcu(BeepCmd{BeepPattern::Bad}, now);
          (void)toMcu(LedCmd{LedColour::Red, 600}, now);
          (void)toMcu(VibrateCmd{300}, now);
        }
      }
      if (ssi && ssiSlot->port) (void)toSsi(ssi::kBeep, {f->good ? o.ssiGoodBeep : o.ssiBadBeep}, now);
      return {};
    }
    if (const auto* e = std::get_if<EngineCmd>(&cmd)) {
      bool any = false;
      if (mcuUp()) {
        any = true;
        if (auto s = toMcu(*e, now); !s) return s;
      }
      if (ssi && ssiSlot->port) {
        any = true;
        if (auto s = toSsi(e->on ? ssi::kScanEnable : ssi::kScanDisable, {}, now); !s) return s;
      }
      if (!any) return makeError(ErrorKind::Unavailable, "no scan engine is connected");
      return {};
    }
    return std::visit(
        [&](const auto& m) -> Status {
          using T = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<T, FeedbackCmd> || std::is_same_v<T, EngineCmd>) {
            return {};
          } else {
            return toMcu(m, now);
          }
        },
        cmd);
  }

  // --- scans ---
  void deliver(Scan scan) {
    const ScanSource source = scan.source;
    auto formatted = o.formatter.apply(std::move(scan));
    if (!formatted) {
      ++counters.scansRefused;
      log(std::string(toString(source)) + ": scan refused: " + formatted.error().message);
      BridgeEvent e;
      e.kind = BridgeEvent::Kind::Error;
      e.text = "scan refused: " + formatted.error().message;
      broadcast(e);
      return;
    }
    if (!*formatted) {
      ++counters.scansDiscarded;
      return;
    }
    BridgeEvent e;
    e.kind = BridgeEvent::Kind::Scan;
    e.seq = ++seq;
    e.scan = std::move(**formatted);
    ++counters.scansDelivered;
    broadcast(e);
    if (source == ScanSource::Wedge && o.onWedgeScan) o.onWedgeScan(e.scan);
  }

  // --- devices ---
  void scheduleReopen(SerialSlot& s, TimePoint now) {
    s.backoff = s.backoff.count() == 0 ? o.reopenMin : std::min(s.backoff * 2, o.reopenMax);
    s.retryAt = now + s.backoff;
  }

  void closeSerial(SerialSlot& s, const std::string& why, TimePoint now) {
    log(s.name + ": " + why + "; reopening");
    s.port.reset();
    s.out.clear();
    s.backoff = std::chrono::milliseconds(0);
    scheduleReopen(s, now);
    if (mcuSlot && &s == &*mcuSlot && link) {
      // The link keeps its counters; the next open starts a new session.
      if (link->state() == Link::State::Up) {
        BridgeEvent e;
        e.kind = BridgeEvent::Kind::Link;
        e.source = "mcu";
        e.text = why;
        broadcast(e);
      }
    }
    if (ssiSlot && &s == &*ssiSlot && ssi) {
      ssi->reset();
      handleSsiEvents();
      BridgeEvent e;
      e.kind = BridgeEvent::Kind::Link;
      e.source = "ssi";
      e.text = why;
      broadcast(e);
    }
  }

  void openSerial(SerialSlot& s, TimePoint now) {
    if (s.port || now < s.retryAt) return;
    auto port = SerialPort::open(s.device.path, s.device.baud);
    if (!port) {
      if (!s.reportedMissing) {
        log(s.name + ": " + port.error().message + "; retrying");
        s.reportedMissing = true;
      }
      scheduleReopen(s, now);
      return;
    }
    s.port.emplace(std::move(*port));
    s.reportedMissing = false;
    s.backoff = std::chrono::milliseconds(0);
    if (s.everOpened) ++counters.reopens;
    s.everOpened = true;
    log(s.name + ": opened " + s.device.path + " at " + std::to_string(s.device.baud) + " baud");
    if (mcuSlot && &s == &*mcuSlot) link->start(now);
    if (ssiSlot && &s == &*ssiSlot) {
      BridgeEvent e;
      e.kind = BridgeEvent::Kind::Link;
      e.source = "ssi";
      e.flag = true;
      e.text = s.device.path;
      broadcast(e);
    }
  }

  void readSerial(SerialSlot& s, TimePoint now) {
    std::uint8_t buf[4096];
    for (int round = 0; round < 16 && s.port; ++round) {
      auto n = s.port->read(buf);
      if (!n) {
        closeSerial(s, n.error().message, now);
        return;
      }
      if (*n == 0) return;
      const std::span<const std::uint8_t> got(buf, *n);
      if (mcuSlot && &s == &*mcuSlot)
        link->onBytes(got, now);
      else
        ssi->onBytes(got, now);
    }
  }

  void writeSerial(SerialSlot& s, TimePoint now) {
    if (!s.port) return;
    if (s.out.size() > kMaxDeviceBacklog) {
      log(s.name + ": " + std::to_string(s.out.size()) + " bytes not taken by the device; dropped");
      s.out.clear();
    }
    while (!s.out.empty()) {
      auto n = s.port->write(s.out);
      if (!n) {
        closeSerial(s, n.error().message, now);
        return;
      }
      if (*n == 0) return;
      s.out.erase(s.out.begin(), s.out.begin() + static_cast<std::ptrdiff_t>(*n));
    }
  }

  void openWedge(WedgeSlot& w, TimePoint now) {
    if (w.fd.valid() || now < w.retryAt) return;
    UniqueFd fd(::open(w.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    struct stat st {};
    if (fd.valid() && ::fstat(fd.get(), &st) == 0 && S_ISFIFO(st.st_mode)) {
      // A FIFO (tests, a recorded stream replayed): held open for writing
      // too, so that a writer closing it is not an end of file.
      fd.reset(::open(w.path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
    }
    if (!fd.valid()) {
      if (!w.reportedMissing) {
        log("wedge: cannot open " + w.path + ": " + std::strerror(errno) + "; retrying");
        w.reportedMissing = true;
      }
      w.backoff = w.backoff.count() == 0 ? o.reopenMin : std::min(w.backoff * 2, o.reopenMax);
      w.retryAt = now + w.backoff;
      return;
    }
    int clock = CLOCK_MONOTONIC;
    w.evdev = ::ioctl(fd.get(), EVIOCSCLOCKID, &clock) == 0;
    if (w.evdev && o.grabWedges && ::ioctl(fd.get(), EVIOCGRAB, 1) != 0) {
      log("wedge: cannot grab " + w.path + " (" + std::strerror(errno) +
          "): its keys also reach the console");
    }
    w.fd = std::move(fd);
    w.partial.clear();
    w.reportedMissing = false;
    w.backoff = std::chrono::milliseconds(0);
    if (w.everOpened) ++counters.reopens;
    w.everOpened = true;
    log("wedge: reading " + w.path + (w.evdev ? "" : " (not an evdev device: times are arrival times)"));
  }

  void readWedge(WedgeSlot& w, TimePoint now) {
    std::uint8_t buf[64 * 24];
    const ssize_t n = ::read(w.fd.get(), buf, sizeof buf);
    if (n <= 0) {
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      log("wedge: " + w.path + " went away" +
          (n < 0 ? std::string(": ") + std::strerror(errno) : std::string()) + "; reopening");
      w.fd.reset();
      w.backoff = o.reopenMin;
      w.retryAt = now + w.backoff;
      return;
    }
    w.partial.insert(w.partial.end(), buf, buf + n);
    const std::size_t whole = w.partial.size() - w.partial.size() % inputEventSize();
    auto events = parseInputEvents(std::span<const std::uint8_t>(w.partial.data(), whole));
    w.partial.erase(w.partial.begin(), w.partial.begin() + static_cast<std::ptrdiff_t>(whole));
    if (!events) return;  // cannot happen: whole events only
    for (auto e : *events) {
      if (!w.evdev) e.time = monotonicMicros(now);
      for (auto& r : w.assembler.onEvent(e)) wedgeResult(w, std::move(r));
    }
  }

  void wedgeResult(WedgeSlot& w, Result<std::string> r) {
    if (!r) {
      ++counters.scansRefused;
      log("wedge: " + w.path + ": read refused: " + r.error().message);
      return;
    }
    deliver(Scan{ScanSource::Wedge, {}, std::move(*r)});
  }

  // --- events from the state machines ---
  void handleLinkEvents(TimePoint now) {
    if (!link) return;
    for (auto& ev : link->takeEvents()) {
      if (const auto* up = std::get_if<LinkUp>(&ev)) {
        log("mcu: link up, firmware " + up->firmware + ", protocol " + std::to_string(up->peerVersion));
        BridgeEvent e;
        e.kind = BridgeEvent::Kind::Link;
        e.source = "mcu";
        e.flag = true;
        e.text = up->firmware;
        broadcast(e);
      } else if (const auto* down = std::get_if<LinkDown>(&ev)) {
        log("mcu: link down: " + down->reason);
        BridgeEvent e;
        e.kind = BridgeEvent::Kind::Link;
        e.source = "mcu";
        e.text = down->reason;
        broadcast(e);
      } else {
        const auto& raw = std::get<RawMessage>(ev);
        auto msg = decodeUp(raw.type, raw.payload);
        if (!msg) {
          ++counters.malformedMessages;
          log("mcu: " + msg.error().message);
          continue;
        }
        handleUp(*msg, now);
      }
    }
  }

  void handleUp(const UpMessage& msg, TimePoint now) {
    BridgeEvent e;
    if (const auto* t = std::get_if<TriggerMsg>(&msg)) {
      e.kind = BridgeEvent::Kind::Trigger;
      e.flag = t->down;
      broadcast(e);
      // The trigger belongs to the MCU; a serial SSI engine beside it reads
      // while it is held.
      if (ssi && ssiSlot->port) (void)ssi->command(t->down ? ssi::kStartDecode : ssi::kStopDecode, {}, now);
    } else if (const auto* k = std::get_if<KeyMsg>(&msg)) {
      e.kind = BridgeEvent::Kind::Key;
      e.number = k->code;
      broadcast(e);
    } else if (const auto* b = std::get_if<BatteryMsg>(&msg)) {
      e.kind = BridgeEvent::Kind::Battery;
      e.number = b->percent;
      e.flag = b->charging;
      broadcast(e);
    } else if (const auto* f = std::get_if<FaultMsg>(&msg)) {
      log("mcu: fault " + std::to_string(f->code) + ": " + f->text);
      e.kind = BridgeEvent::Kind::Fault;
      e.source = "mcu";
      e.number = f->code;
      e.text = f->text;
      broadcast(e);
    } else {
      const auto& s = std::get<ScanMsg>(msg);
      deliver(Scan{ScanSource::Engine, s.symbology, s.data});
    }
  }

  void handleSsiEvents() {
    if (!ssi) return;
    for (auto& ev : ssi->takeEvents()) {
      if (auto* d = std::get_if<SsiDecode>(&ev)) {
        deliver(Scan{ScanSource::Ssi, d->symbology, d->data});
      } else if (const auto* f = std::get_if<SsiCommandFailed>(&ev)) {
        log("ssi: " + f->reason);
        BridgeEvent e;
        e.kind = BridgeEvent::Kind::Fault;
        e.source = "ssi";
        e.number = f->opcode;
        e.text = f->reason;
        broadcast(e);
      } else if (const auto* b = std::get_if<SsiBadDecode>(&ev)) {
        ++counters.scansRefused;
        log("ssi: read refused: " + b->reason);
      }
    }
  }

  void publishStats() {
    BridgeStats s = counters;
    s.clients = clients.size();
    if (link) {
      s.link = link->stats();
      s.frames = link->readerStats();
    }
    if (ssi) {
      s.ssi = ssi->stats();
      s.ssiReader = ssi->readerStats();
    }
    for (const auto& w : wedges) {
      const auto& ws = w.assembler.stats();
      s.wedge.codes += ws.codes;
      s.wedge.timeouts += ws.timeouts;
      s.wedge.badPrefix += ws.badPrefix;
      s.wedge.unmappedKeys += ws.unmappedKeys;
      s.wedge.tooLong += ws.tooLong;
      s.wedge.repeats += ws.repeats;
      s.wedge.empty += ws.empty;
    }
    std::lock_guard lock(mutex);
    shared = s;
  }
};

Bridge::Bridge(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Bridge::~Bridge() {
  if (impl_ && impl_->listenFd.valid()) ::unlink(impl_->o.socketPath.c_str());
}

Result<std::unique_ptr<Bridge>> Bridge::create(BridgeOptions options) {
  if (options.socketPath.empty()) return makeError(ErrorKind::Invalid, "socket: a path is required");
  sockaddr_un addr{};
  if (options.socketPath.size() >= sizeof addr.sun_path) {
    return makeError(ErrorKind::Invalid,
                     "socket: path longer than " + std::to_string(sizeof addr.sun_path - 1) + " bytes");
  }
  if (!options.mcu && !options.ssi && options.wedges.empty()) {
    return makeError(ErrorKind::Invalid, "no device configured (mcu, ssi or wedge)");
  }
  for (const auto* d : {&options.mcu, &options.ssi}) {
    if (*d) {
      if (auto s = checkBaud((*d)->baud); !s) return s.error();
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->o = std::move(options);
  impl->o.link.role = LinkOptions::Role::Host;  // the bridge is always the host side
  const auto& path = impl->o.socketPath;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode))
      return makeError(ErrorKind::Invalid, "socket: " + path + " exists and is not a socket");
    ::unlink(path.c_str());  // left by a bridge that did not stop cleanly
  }
  impl->listenFd.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!impl->listenFd.valid())
    return makeError(ErrorKind::Unavailable, std::string("socket: ") + std::strerror(errno));
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::bind(impl->listenFd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(impl->listenFd.get(), 8) != 0) {
    return makeError(ErrorKind::Unavailable,
                     "socket: cannot listen on " + path + ": " + std::strerror(errno));
  }
  // The app runs as another user in the same group (the systemd units).
  ::chmod(path.c_str(), 0660);
  int pipeFds[2];
  if (::pipe2(pipeFds, O_NONBLOCK | O_CLOEXEC) != 0)
    return makeError(ErrorKind::Unavailable, std::string("pipe: ") + std::strerror(errno));
  impl->stopRead.reset(pipeFds[0]);
  impl->stopWrite.reset(pipeFds[1]);
  if (impl->o.mcu) {
    impl->mcuSlot = SerialSlot{"mcu", *impl->o.mcu, {}, {}, {}, {}, false, false};
    impl->link.emplace(impl->o.link);
  }
  if (impl->o.ssi) {
    impl->ssiSlot = SerialSlot{"ssi", *impl->o.ssi, {}, {}, {}, {}, false, false};
    impl->ssi.emplace(impl->o.ssiOptions);
  }
  for (const auto& w : impl->o.wedges) impl->wedges.emplace_back(w, impl->o.wedge);
  return std::unique_ptr<Bridge>(new Bridge(std::move(impl)));
}

void Bridge::stop() noexcept {
  const char byte = 1;
  (void)!::write(impl_->stopWrite.get(), &byte, 1);
}

BridgeStats Bridge::stats() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->shared;
}

Status Bridge::run() {
  Impl& m = *impl_;
  m.log("wms-fwbridge: listening on " + m.o.socketPath);
  std::vector<pollfd> fds;
  constexpr auto kSummaryEvery = std::chrono::minutes(5);
  TimePoint nextSummary = Clock::now() + kSummaryEvery;
  std::string lastSummary;
  while (true) {
    TimePoint now = Clock::now();
    if (m.mcuSlot) m.openSerial(*m.mcuSlot, now);
    if (m.ssiSlot) m.openSerial(*m.ssiSlot, now);
    for (auto& w : m.wedges) m.openWedge(w, now);

    // What to wait for, and until when.
    fds.clear();
    fds.push_back({m.stopRead.get(), POLLIN, 0});
    fds.push_back({m.listenFd.get(), POLLIN, 0});
    auto addSerial = [&](std::optional<SerialSlot>& s) {
      fds.push_back({s && s->port ? s->port->fd() : -1,
                     static_cast<short>(POLLIN | (s && !s->out.empty() ? POLLOUT : 0)), 0});
    };
    addSerial(m.mcuSlot);
    addSerial(m.ssiSlot);
    const std::size_t wedgeAt = fds.size();
    for (auto& w : m.wedges) fds.push_back({w.fd.valid() ? w.fd.get() : -1, POLLIN, 0});
    const std::size_t clientAt = fds.size();
    for (auto& c : m.clients)
      fds.push_back({c.fd.get(), static_cast<short>(POLLIN | (c.out.empty() ? 0 : POLLOUT)), 0});

    std::optional<TimePoint> wake;
    auto consider = [&](std::optional<TimePoint> t) {
      if (t && (!wake || *t < *wake)) wake = t;
    };
    if (m.link && m.mcuSlot->port) consider(m.link->nextDeadline());
    if (m.ssi && m.ssiSlot->port) consider(m.ssi->nextDeadline());
    if (m.mcuSlot && !m.mcuSlot->port) consider(m.mcuSlot->retryAt);
    if (m.ssiSlot && !m.ssiSlot->port) consider(m.ssiSlot->retryAt);
    for (auto& w : m.wedges) {
      if (!w.fd.valid()) consider(w.retryAt);
      if (auto d = w.assembler.nextDeadline())
        consider(TimePoint(std::chrono::duration_cast<Clock::duration>(*d)));
    }
    int timeoutMs = 1000;
    if (wake) {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*wake - now).count() + 1;
      timeoutMs = static_cast<int>(std::clamp<long long>(ms, 0, 1000));
    }
    const int ready = ::poll(fds.data(), fds.size(), timeoutMs);
    if (ready < 0 && errno != EINTR)
      return makeError(ErrorKind::Internal, std::string("poll: ") + std::strerror(errno));
    now = Clock::now();
    if (ready > 0 && (fds[0].revents & POLLIN)) break;
    if (ready > 0 && (fds[1].revents & POLLIN)) m.accept();

    auto serialReady = [&](std::optional<SerialSlot>& s, const pollfd& p) {
      if (!s || !s->port || p.revents == 0) return;
      if (p.revents & POLLIN) m.readSerial(*s, now);
      if (s->port && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) && !(p.revents & POLLIN)) {
        m.closeSerial(*s, s->device.path + " hung up", now);
      }
    };
    if (ready > 0) {
      serialReady(m.mcuSlot, fds[2]);
      serialReady(m.ssiSlot, fds[3]);
      for (std::size_t i = 0; i < m.wedges.size(); ++i) {
        if (fds[wedgeAt + i].revents != 0 && m.wedges[i].fd.valid()) m.readWedge(m.wedges[i], now);
      }
      // Clients accepted above have no pollfd this round.
      for (std::size_t i = 0; i < fds.size() - clientAt && i < m.clients.size(); ++i) {
        const short rev = fds[clientAt + i].revents;
        if (rev & (POLLIN | POLLHUP | POLLERR)) m.readClient(m.clients[i], now);
      }
    }

    // Timers, then what the state machines have to say and to send.
    if (m.link && m.mcuSlot->port) m.link->tick(now);
    if (m.ssi && m.ssiSlot->port) m.ssi->tick(now);
    for (auto& w : m.wedges) {
      for (auto& r : w.assembler.tick(monotonicMicros(now))) m.wedgeResult(w, std::move(r));
    }
    m.handleLinkEvents(now);
    m.handleSsiEvents();
    if (m.link && m.mcuSlot->port) {
      auto out = m.link->takeOutput();
      m.mcuSlot->out.insert(m.mcuSlot->out.end(), out.begin(), out.end());
      m.writeSerial(*m.mcuSlot, now);
    }
    if (m.ssi && m.ssiSlot->port) {
      auto out = m.ssi->takeOutput();
      m.ssiSlot->out.insert(m.ssiSlot->out.end(), out.begin(), out.end());
      m.writeSerial(*m.ssiSlot, now);
    }
    for (auto& c : m.clients) m.flushClient(c);
    std::erase_if(m.clients, [](const Client& c) { return c.closing && c.out.empty(); });
    m.publishStats();
    if (now >= nextSummary) {
      nextSummary = now + kSummaryEvery;
      std::string line = summary(m.shared);  // only this thread writes `shared`
      if (line != lastSummary) m.log(line);
      lastSummary = std::move(line);
    }
  }
  m.log(summary(m.shared));
  m.log("wms-fwbridge: stopping");
  return {};
}

}  // namespace wms::fwbridge
