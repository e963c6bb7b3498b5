#include "wms/handheld/Decoder.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include "DecodeWorker.h"
#include "Passes.h"
#include "SharedFrame.h"
#include "WorkerIo.h"
#include "WorkerProtocol.h"

namespace wms::handheld {

using namespace detail;

namespace {

std::string signalName(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

// How a worker ended, for the log.
std::string describeExit(int status) {
  if (WIFSIGNALED(status)) return "died of " + signalName(WTERMSIG(status));
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  return "ended";
}

}  // namespace

class Decoder::Impl {
 public:
  explicit Impl(DecoderOptions options) : options_(std::move(options)) {
    if (!options_.log)
      options_.log = [](const std::string& line) {
        std::cerr << "wms-handheld decoder: " << line << std::endl;
      };
  }
  ~Impl() { stop(); }

  Status start() {
    if (pid_ > 0) return {};
    if (shared_.fd() < 0) {
      auto shared = SharedFrame::create(1280 * 720);
      if (!shared) return shared.error();
      shared_ = std::move(shared).value();
    }
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
      return makeError(ErrorKind::Unavailable,
                       std::string("decoder: socketpair failed: ") + std::strerror(errno));
    const pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
      int err = errno;
      ::close(sv[0]);
      ::close(sv[1]);
      return makeError(ErrorKind::Unavailable,
                       std::string("decoder: cannot start a worker: ") + std::strerror(err));
    }
    if (pid == 0) {
      // The worker: die with the parent, keep only its socket (no MQTT
      // connection or file of the parent stays open because of it).
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(0);  // the parent died before prctl took effect
      // A crash must end the worker: the parent's crash handlers (a test
      // framework's, an app's) must not run here or jump back into its code.
      for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTERM, SIGINT, SIGHUP, SIGCHLD})
        ::signal(sig, SIG_DFL);
      ::signal(SIGPIPE, SIG_IGN);
      sigset_t none;
      sigemptyset(&none);
      ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
      // Socket on 3, shared frame on 4: dup2 to scratch numbers first so
      // that neither overwrites the other.
      int sock = ::fcntl(sv[1], F_DUPFD, 10), mem = ::fcntl(shared_.fd(), F_DUPFD, 10);
      if (sock < 0 || mem < 0 || ::dup2(sock, 3) < 0 || ::dup2(mem, 4) < 0) ::_exit(2);
      ::close_range(5, ~0u, 0);
      runDecodeWorker(3, 4);
    }
    ::close(sv[1]);
    fd_ = sv[0];
    pid_ = pid;
    ++started_;
    return {};
  }

  void stop() {
    if (fd_ >= 0) ::close(fd_);  // the worker reads EOF and exits
    fd_ = -1;
    if (pid_ > 0) {
      // A worker in the middle of a frame would finish it first; it has
      // nothing left to deliver, so don't wait for that.
      ::kill(pid_, SIGKILL);
      reap();
    }
  }

  Result<DecodeResult> decode(const Frame& frame, FormatSet formats, int maxSymbols) {
    if (frame.empty()) throw std::invalid_argument("Decoder::decode: empty frame");
    if (formats.empty()) throw std::invalid_argument("Decoder::decode: no formats to look for");
    if (maxSymbols < 1 || maxSymbols > 255)
      throw std::invalid_argument("Decoder::decode: maxSymbols must be 1-255");

    const auto t0 = std::chrono::steady_clock::now();
    DecodeResult result;
    int firstPass = 0;
    bool safe = false;
    std::string lastFailure;
    while (true) {
      if (auto st = start(); !st) return st.error();
      Attempt a = attempt(frame, formats, maxSymbols, firstPass, safe);
      const bool timedOut = a.outcome == Outcome::TimedOut;
      if (a.outcome != Outcome::Done) {
        ++result.crashes;
        lastFailure = (timedOut ? "stuck for " + std::to_string(options_.timeout.count()) + " ms" : a.exit) +
                      " in pass '" + passName(a.pass) + "'";
      }
      if (a.outcome == Outcome::Done || !a.barcodes.empty()) {
        // Barcodes that arrived before a crash are kept: they were read.
        if (a.outcome != Outcome::Done)
          options_.log("decode worker " + lastFailure + " on a " + size(frame) + " frame; keeping the " +
                       std::to_string(a.barcodes.size()) + " barcode(s) it had found");
        result.barcodes = std::move(a.barcodes);
        if (!result.barcodes.empty()) result.pass = passName(a.foundPass);
        break;
      }
      if (result.crashes >= options_.maxCrashesPerFrame) {
        options_.log("decode worker " + lastFailure + " on a " + size(frame) +
                     " frame; giving up on this frame after " + std::to_string(result.crashes) + " attempts");
        return makeError(ErrorKind::Internal, "decoding crashed " + std::to_string(result.crashes) +
                                                  " times on this frame (last: " + lastFailure + ")");
      }
      // First retry the same pass with the safe settings; if even those
      // fail (or it was stuck), skip that pass.
      if (!safe && !timedOut) {
        safe = true;
        firstPass = a.pass;
      } else {
        safe = true;
        firstPass = a.pass + 1;
      }
      if (firstPass >= passCount()) {
        options_.log("decode worker " + lastFailure + " on a " + size(frame) + " frame; no passes left");
        break;
      }
      options_.log("decode worker " + lastFailure + " on a " + size(frame) +
                   " frame; restarting it and retrying from pass '" + passName(firstPass) +
                   "' with safe settings");
    }
    result.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return result;
  }

  int workersStarted() const noexcept { return started_; }
  int workerPid() const noexcept { return pid_; }

 private:
  enum class Outcome { Done, Died, TimedOut };
  struct Attempt {
    Outcome outcome = Outcome::Died;
    int pass = 0;       // the pass running when it ended
    int foundPass = 0;  // the pass that found the first barcode
    std::vector<Barcode> barcodes;
    std::string exit;
  };

  static std::string size(const Frame& f) {
    return std::to_string(f.width()) + "x" + std::to_string(f.height());
  }

  // One request to the current worker; any failure leaves no worker behind.
  Attempt attempt(const Frame& frame, FormatSet formats, int maxSymbols, int firstPass, bool safe) {
    Attempt a;
    a.pass = firstPass;
    DecodeRequest q;
    q.id = ++nextId_;
    q.formats = formats;
    q.maxSymbols = maxSymbols;
    q.firstPass = firstPass;
    q.flags = (safe ? kFlagSafe : 0u) | (options_.testHooks ? kFlagTestHooks : 0u);
    q.width = frame.width();
    q.height = frame.height();
    const auto deadline = std::chrono::steady_clock::now() + options_.timeout;

    if (!shared_.reserve(frame.pixels().size()))
      return lost(a, IoStatus::Failed, "cannot grow the shared frame");
    std::memcpy(shared_.pixels(), frame.data(), frame.pixels().size());
    shared_.control()->pass.store(static_cast<std::uint32_t>(firstPass), std::memory_order_relaxed);
    auto request = encodeRequest(q);
    if (writeAll(fd_, request.data(), request.size()) != IoStatus::Ok) return lost(a, IoStatus::Closed);

    std::vector<std::uint8_t> header(kHeaderSize), body;
    for (;;) {
      IoStatus st = readExact(fd_, header.data(), header.size(), deadline);
      if (st != IoStatus::Ok) return lost(a, st);
      auto h = decodeHeader(header, kMaxWorkerMessage);
      if (!h) return lost(a, IoStatus::Failed, h.error().message);
      body.resize(h->length);
      st = readExact(fd_, body.data(), body.size(), deadline);
      if (st != IoStatus::Ok) return lost(a, st);
      auto m = decodeWorkerMessage(h->type, body);
      if (!m) return lost(a, IoStatus::Failed, m.error().message);
      if (m->id != q.id) return lost(a, IoStatus::Failed, "reply to another request");
      switch (m->type) {
        case MessageType::Found:
          a.pass = m->pass;
          if (a.barcodes.empty()) a.foundPass = m->pass;
          a.barcodes.push_back(std::move(m->barcode));
          break;
        case MessageType::Done:
          a.outcome = Outcome::Done;
          return a;
        case MessageType::Request:
          return lost(a, IoStatus::Failed, "unexpected request");
      }
    }
  }

  // The worker is gone or no longer trusted: make sure of it and say how.
  Attempt lost(Attempt a, IoStatus why, const std::string& protocolError = {}) {
    a.outcome = why == IoStatus::TimedOut ? Outcome::TimedOut : Outcome::Died;
    // Where it was: the worker notes each pass in the shared control block.
    a.pass = std::max(a.pass, static_cast<int>(shared_.control()->pass.load(std::memory_order_acquire)));
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    // Harmless if it already died: a dead worker's exit status is already set.
    ::kill(pid_, SIGKILL);
    const int pid = pid_;
    int status = reap();
    a.exit = "(pid " + std::to_string(pid) + ") " +
             (!protocolError.empty() ? "broke protocol (" + protocolError + ")"
              : status >= 0          ? describeExit(status)
                                     : "was lost");
    return a;
  }

  // Waits for the worker; its wait status, or -1 if it could not be had.
  int reap() {
    int status = 0;
    pid_t r;
    do r = ::waitpid(pid_, &status, 0);
    while (r < 0 && errno == EINTR);
    pid_ = -1;
    return r > 0 ? status : -1;
  }

  DecoderOptions options_;  // constant after construction
  SharedFrame shared_;      // outlives workers: each new one maps it again
  pid_t pid_ = -1;
  int fd_ = -1;
  std::uint32_t nextId_ = 0;
  int started_ = 0;
};

Decoder::Decoder(DecoderOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

Status Decoder::start() {
  return impl_->start();
}

Result<DecodeResult> Decoder::decode(const Frame& frame, FormatSet formats, int maxSymbols) {
  return impl_->decode(frame, formats, maxSymbols);
}

int Decoder::workersStarted() const noexcept {
  return impl_->workersStarted();
}
int Decoder::workerPid() const noexcept {
  return impl_->workerPid();
}

}  // namespace wms::handheld
