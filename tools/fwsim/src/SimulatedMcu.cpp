#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "Pty.h"
#include "wms/fwbridge/Link.h"
#include "wms/fwsim/Simulators.h"

namespace wms::fwsim {

using fwbridge::Clock;

struct SimulatedMcu::Impl {
  McuOptions o;  // constant after construction
  mutable std::mutex mutex;
  std::condition_variable changed;
  // Guarded by mutex:
  fwbridge::Link link;
  Pty pty;
  bool present = false;
  bool up = false;
  bool stopping = false;
  double rate = 0;
  std::mt19937 rng;
  std::deque<fwbridge::UpMessage> toSend;
  std::vector<std::uint8_t> out;
  std::vector<fwbridge::DownMessage> received;
  fwbridge::UniqueFd wakeRead, wakeWrite;  // send() wakes the thread at once
  std::thread thread;

  void wake() {
    const char b = 1;
    (void)!::write(wakeWrite.get(), &b, 1);
  }

  explicit Impl(McuOptions options)
      : o(options),
        link([&] {
          fwbridge::LinkOptions l;
          l.role = fwbridge::LinkOptions::Role::Device;
          l.firmwareVersion = options.firmware;
          return l;
        }()),
        rate(options.byteErrorRate),
        rng(options.seed) {}

  // Called with the mutex held.
  void pump() {
    const auto now = Clock::now();
    while (!toSend.empty()) {
      if (!link.send(fwbridge::encodeUp(toSend.front()), now)) break;  // queue full: later
      toSend.pop_front();
    }
    link.tick(now);
    auto bytes = link.takeOutput();
    addNoise(bytes, rate, rng);
    out.insert(out.end(), bytes.begin(), bytes.end());
    if (present && !writeSome(pty.master.get(), out)) out.clear();
    for (auto& e : link.takeEvents()) {
      if (std::holds_alternative<fwbridge::LinkUp>(e)) up = true;
      if (std::holds_alternative<fwbridge::LinkDown>(e)) up = false;
      if (const auto* m = std::get_if<fwbridge::RawMessage>(&e)) {
        auto cmd = fwbridge::decodeDown(m->type, m->payload);
        if (cmd) received.push_back(*cmd);
      }
    }
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
      const int ready = ::poll(fds, 2, 5);
      const pollfd& p = fds[0];
      if (fds[1].revents & POLLIN) {
        char drain[64];
        (void)!::read(wakeRead.get(), drain, sizeof drain);
      }
      ssize_t n = 0;
      if (ready > 0 && (p.revents & POLLIN)) n = ::read(fd, buf.data(), buf.size());
      // POLLHUP alone: nobody has the slave open; nothing to read.
      if (p.revents != 0 && !(p.revents & POLLIN)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      lock.lock();
      if (n > 0 && present && pty.master.get() == fd) {
        std::vector<std::uint8_t> in(buf.begin(), buf.begin() + n);
        addNoise(in, rate, rng);
        link.onBytes(in, Clock::now());
      }
    }
  }

  void goAway() {
    pty.master.reset();
    removeLink(o.linkPath);
    present = false;
    up = false;
    out.clear();
  }

  Status comeBack() {
    auto p = openPty(o.linkPath);
    if (!p) return p.error();
    pty = std::move(*p);
    present = true;
    // Power came back with the cable: the firmware boots and announces itself.
    link.start(Clock::now());
    return {};
  }
};

Result<std::unique_ptr<SimulatedMcu>> SimulatedMcu::start(McuOptions options) {
  if (options.linkPath.empty()) return makeError(ErrorKind::Invalid, "the simulator needs a link path");
  auto impl = std::make_unique<Impl>(std::move(options));
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return makeError(ErrorKind::Unavailable, "pipe failed");
  impl->wakeRead.reset(fds[0]);
  impl->wakeWrite.reset(fds[1]);
  if (auto s = impl->comeBack(); !s) return s.error();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<SimulatedMcu>(new SimulatedMcu(std::move(impl)));
}

SimulatedMcu::SimulatedMcu(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SimulatedMcu::~SimulatedMcu() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->thread.join();
  removeLink(impl_->o.linkPath);
}

void SimulatedMcu::send(const fwbridge::UpMessage& message) {
  std::lock_guard lock(impl_->mutex);
  impl_->toSend.push_back(message);
  impl_->wake();
}

void SimulatedMcu::setByteErrorRate(double rate) {
  std::lock_guard lock(impl_->mutex);
  impl_->rate = rate;
}

void SimulatedMcu::injectGarbage(std::size_t n) {
  std::lock_guard lock(impl_->mutex);
  for (std::size_t i = 0; i < n; ++i) impl_->out.push_back(static_cast<std::uint8_t>(impl_->rng()));
}

void SimulatedMcu::vanishMidFrame() {
  std::lock_guard lock(impl_->mutex);
  auto frame = fwbridge::encodeFrame(
      fwbridge::LinkFrame{fwbridge::type::kScan, 200, {0, 'H', 'A', 'L', 'F', '-', 'S', 'C', 'A', 'N'}});
  frame.resize(frame.size() / 2);
  impl_->out.insert(impl_->out.end(), frame.begin(), frame.end());
  if (impl_->present) writeSome(impl_->pty.master.get(), impl_->out);
  impl_->goAway();
}

void SimulatedMcu::vanish() {
  std::lock_guard lock(impl_->mutex);
  impl_->goAway();
}

void SimulatedMcu::reappear() {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->present) (void)impl_->comeBack();
}

void SimulatedMcu::reboot() {
  std::lock_guard lock(impl_->mutex);
  impl_->up = false;
  impl_->link.start(Clock::now());
}

bool SimulatedMcu::waitLinkUp(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->up; });
}

bool SimulatedMcu::waitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout,
                                 [&] { return impl_->toSend.empty() && impl_->link.pending() == 0; });
}

std::vector<fwbridge::DownMessage> SimulatedMcu::commands() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->received;
}

std::string SimulatedMcu::slavePath() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->pty.slave;
}

std::uint64_t SimulatedMcu::retransmits() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->link.stats().retransmits;
}

}  // namespace wms::fwsim
