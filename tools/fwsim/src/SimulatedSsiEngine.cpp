#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "Pty.h"
#include "wms/fwbridge/Ssi.h"
#include "wms/fwsim/Simulators.h"

namespace wms::fwsim {

using fwbridge::Clock;
using fwbridge::SsiPacket;
using fwbridge::TimePoint;
namespace ssi = fwbridge::ssi;

struct SimulatedSsiEngine::Impl {
  SsiEngineOptions o;  // constant after construction
  mutable std::mutex mutex;
  std::condition_variable changed;
  // Guarded by mutex:
  Pty pty;
  bool present = false;
  bool stopping = false;
  Mode mode = Mode::Ack;
  double rate = 0;
  std::mt19937 rng;
  fwbridge::SsiReader reader;
  std::deque<SsiPacket> toSend;
  struct InFlight {
    SsiPacket packet;
    TimePoint deadline;
    int tries = 0;
  };
  std::optional<InFlight> inFlight;
  std::vector<std::uint8_t> out;
  std::vector<std::uint8_t> received;
  fwbridge::UniqueFd wakeRead, wakeWrite;
  std::thread thread;

  explicit Impl(SsiEngineOptions options) : o(std::move(options)), rng(o.seed) {}

  void write(const SsiPacket& p) {
    auto bytes = fwbridge::encodeSsi(p);
    addNoise(bytes, rate, rng);
    out.insert(out.end(), bytes.begin(), bytes.end());
  }

  void onPacket(const SsiPacket& p, TimePoint now) {
    if (p.opcode == ssi::kCmdAck) {
      inFlight.reset();
      return;
    }
    if (p.opcode == ssi::kCmdNak) {
      if (inFlight) {
        inFlight->packet.status |= ssi::kStatusRetransmit;
        write(inFlight->packet);
        inFlight->deadline = now + std::chrono::milliseconds(200);
      }
      return;
    }
    received.push_back(p.opcode);
    if (mode == Mode::Ack) write(SsiPacket{ssi::kCmdAck, ssi::kSourceEngine, 0, {}});
    if (mode == Mode::Nak) write(SsiPacket{ssi::kCmdNak, ssi::kSourceEngine, 0, {ssi::kNakDenied}});
  }

  void pump() {
    const auto now = Clock::now();
    for (auto& p : reader.tick(now)) onPacket(p, now);
    if (inFlight && now >= inFlight->deadline) {
      if (inFlight->tries >= 3) {
        inFlight.reset();  // the host is not listening: the read is lost, as on a real engine
      } else {
        ++inFlight->tries;
        inFlight->packet.status |= ssi::kStatusRetransmit;
        write(inFlight->packet);
        inFlight->deadline = now + std::chrono::milliseconds(200);
      }
    }
    if (!inFlight && !toSend.empty()) {
      inFlight = InFlight{toSend.front(), now + std::chrono::milliseconds(200), 0};
      toSend.pop_front();
      write(inFlight->packet);
    }
    if (present && !writeSome(pty.master.get(), out)) out.clear();
    changed.notify_all();
  }

  void run() {
    std::vector<std::uint8_t> buf(4096);
    std::unique_lock lock(mutex);
    while (!stopping) {
      pump();
      const int fd = present ? pty.master.get() : -1;
      lock.unlock();
      pollfd fds[2] = {{fd, POLLIN, 0}, {wakeRead.get(), POLLIN, 0}};
      (void)::poll(fds, 2, 5);
      if (fds[1].revents & POLLIN) {
        char drain[64];
        (void)!::read(wakeRead.get(), drain, sizeof drain);
      }
      ssize_t n = 0;
      if (fds[0].revents & POLLIN) n = ::read(fd, buf.data(), buf.size());
      if (fds[0].revents != 0 && !(fds[0].revents & POLLIN))
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      lock.lock();
      if (n > 0 && present && pty.master.get() == fd) {
        std::vector<std::uint8_t> in(buf.begin(), buf.begin() + n);
        addNoise(in, rate, rng);
        const auto now = Clock::now();
        for (auto& p : reader.push(in, now)) onPacket(p, now);
      }
    }
  }
};

Result<std::unique_ptr<SimulatedSsiEngine>> SimulatedSsiEngine::start(SsiEngineOptions options) {
  if (options.linkPath.empty()) return makeError(ErrorKind::Invalid, "the simulator needs a link path");
  auto impl = std::make_unique<Impl>(std::move(options));
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return makeError(ErrorKind::Unavailable, "pipe failed");
  impl->wakeRead.reset(fds[0]);
  impl->wakeWrite.reset(fds[1]);
  auto pty = openPty(impl->o.linkPath);
  if (!pty) return pty.error();
  impl->pty = std::move(*pty);
  impl->present = true;
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<SimulatedSsiEngine>(new SimulatedSsiEngine(std::move(impl)));
}

SimulatedSsiEngine::SimulatedSsiEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SimulatedSsiEngine::~SimulatedSsiEngine() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->thread.join();
  removeLink(impl_->o.linkPath);
}

void SimulatedSsiEngine::decode(std::uint8_t barcodeType, std::string data) {
  std::lock_guard lock(impl_->mutex);
  constexpr std::size_t kChunk = 200;
  std::size_t at = 0;
  do {
    const std::size_t n = std::min(kChunk, data.size() - at);
    SsiPacket p{ssi::kDecodeData, ssi::kSourceEngine, 0, {barcodeType}};
    p.data.insert(p.data.end(), data.begin() + static_cast<std::ptrdiff_t>(at),
                  data.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
    if (at < data.size()) p.status |= ssi::kStatusContinuation;
    impl_->toSend.push_back(std::move(p));
  } while (at < data.size());
  const char b = 1;
  (void)!::write(impl_->wakeWrite.get(), &b, 1);
}

void SimulatedSsiEngine::setMode(Mode mode) {
  std::lock_guard lock(impl_->mutex);
  impl_->mode = mode;
}

void SimulatedSsiEngine::setByteErrorRate(double rate) {
  std::lock_guard lock(impl_->mutex);
  impl_->rate = rate;
}

void SimulatedSsiEngine::vanish() {
  std::lock_guard lock(impl_->mutex);
  impl_->pty.master.reset();
  removeLink(impl_->o.linkPath);
  impl_->present = false;
  impl_->out.clear();
  impl_->inFlight.reset();
  impl_->reader.reset();
}

void SimulatedSsiEngine::reappear() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->present) return;
  auto pty = openPty(impl_->o.linkPath);
  if (!pty) return;
  impl_->pty = std::move(*pty);
  impl_->present = true;
}

std::vector<std::uint8_t> SimulatedSsiEngine::commands() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->received;
}

bool SimulatedSsiEngine::waitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->toSend.empty() && !impl_->inFlight; });
}

std::string SimulatedSsiEngine::slavePath() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->pty.slave;
}

}  // namespace wms::fwsim
