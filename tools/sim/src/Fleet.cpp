#include "wms/sim/Fleet.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <thread>

#include "wms/apiclient/Client.h"
#include "wms/handheld/Decoder.h"
#include "wms/handheld/DeviceLink.h"
#include "wms/handheld/FrameInput.h"
#include "wms/handheld/Handheld.h"
#include "wms/handheld/ScanEngine.h"
#include "wms/protocol/Topics.h"
#include "wms/sim/BarcodeImage.h"

extern char** environ;

namespace wms::sim {
namespace {

using Clock = std::chrono::steady_clock;
using namespace wms::handheld;

// ---- Running tools (wms-broker) -------------------------------------------------

struct ToolResult {
  int code = -1;
  std::string output;
};

ToolResult runTool(const std::vector<std::string>& argv) {
  ToolResult r;
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) return r;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipeFds[1]);
  if (rc != 0) {
    ::close(pipeFds[0]);
    r.output = "cannot run " + argv[0];
    return r;
  }
  char buf[4096];
  for (ssize_t n; (n = ::read(pipeFds[0], buf, sizeof buf)) > 0;) r.output.append(buf, static_cast<std::size_t>(n));
  ::close(pipeFds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string randomPassword() {
  std::random_device rd;
  std::ostringstream out;
  for (int i = 0; i < 4; ++i) out << std::hex << std::setw(8) << std::setfill('0') << rd();
  return out.str();
}

// ---- Shared decoders ----------------------------------------------------------------

// A few Decoders shared by the device threads: each decode borrows one.
// The workers are forked here, before any MQTT thread exists.
class DecoderPool {
 public:
  Status start(int n) {
    for (int i = 0; i < n; ++i) {
      auto d = std::make_unique<Decoder>();
      if (auto st = d->start(); !st) return st;
      free_.push_back(d.get());
      all_.push_back(std::move(d));
    }
    return {};
  }
  FrameRead read(const Frame& frame, const std::optional<StepExpectation>& step) {
    Decoder* d = nullptr;
    {
      std::unique_lock lock(mutex_);
      available_.wait(lock, [this] { return !free_.empty(); });
      d = free_.back();
      free_.pop_back();
    }
    FrameRead r = readFrame(*d, frame, step);
    {
      std::lock_guard lock(mutex_);
      free_.push_back(d);
    }
    available_.notify_one();
    return r;
  }

 private:
  std::vector<std::unique_ptr<Decoder>> all_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<Decoder*> free_;  // protected by mutex_
};

struct Account {
  std::string device;
  std::string password;
  std::string badge;
};

// Everything the device threads share.
struct Shared {
  Shared(FleetOptions o, const std::atomic<bool>& s) : options(std::move(o)), stop(s) {}
  FleetOptions options;
  const std::atomic<bool>& stop;
  DecoderPool pool;
  std::mutex mutex;  // protects summary and running
  FleetSummary summary;
  int running = 0;
  Clock::time_point started = Clock::now();

  void error(const std::string& e) {
    std::lock_guard lock(mutex);
    if (summary.errors.size() < 10) summary.errors.push_back(e);
  }
  bool timeUp() const {
    return stop || (options.duration.count() > 0 && Clock::now() - started >= options.duration);
  }
};

// ---- One simulated picker ----------------------------------------------------------

class Picker {
 public:
  Picker(Shared& shared, Account account, std::uint64_t seed)
      : shared_(shared), account_(std::move(account)), rng_(static_cast<std::mt19937::result_type>(seed)) {}

  void run() {
    LinkOptions lo;
    lo.uri = shared_.options.brokerUri;
    lo.device = account_.device;
    lo.password = account_.password;
    lo.app = "wms-sim/0.1.0";
    DeviceLink link(lo);
    link.start();
    HandheldOptions ho;
    ho.device = account_.device;
    ho.badge = account_.badge;
    ho.log = [this](const std::string& line) {
      if (line.find("refused") != std::string::npos) shared_.error(account_.device + ": " + line);
    };
    CountingFeedback feedback;
    auto opened = Handheld::open(ho, shared_.options.stateDir / (account_.device + ".db"), &link, &feedback);
    if (!opened) {
      shared_.error(account_.device + ": " + opened.error().message);
      return;
    }
    auto& app = **opened;
    auto lastWork = Clock::now();
    while (!shared_.timeUp()) {
      app.poll();
      const PickPhase phase = app.pick().phase();
      if (phase == PickPhase::Idle) {
        const auto idle = Clock::now() - lastWork;
        if (shared_.options.untilIdle.count() > 0 && idle >= shared_.options.untilIdle && app.outboxCount() == 0) break;
        link.wait(std::chrono::milliseconds(100));
        continue;
      }
      lastWork = Clock::now();
      act(app, phase);
      pause(link);
    }
    // What was picked is delivered before the device stops (bounded).
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (app.outboxCount() > 0 && Clock::now() < deadline && !shared_.stop) {
      app.poll();
      link.wait(std::chrono::milliseconds(50));
    }
    std::lock_guard lock(shared_.mutex);
    auto& s = shared_.summary;
    const auto& st = app.stats();
    s.eventsCreated += st.created;
    s.published += st.published;
    s.resent += st.resent;
    s.applied += st.applied;
    s.duplicate += st.duplicate;
    s.rejected += st.rejected;
    s.outboxLeft += app.outboxCount();
  }

 private:
  double coin() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  void pause(DeviceLink& link) {
    auto left = shared_.options.pace;
    while (left.count() > 0 && !shared_.stop) {
      const auto slice = std::min(left, std::chrono::milliseconds(50));
      std::this_thread::sleep_for(slice);
      left -= slice;
    }
    (void)link;
  }

  void act(Handheld& app, PickPhase phase) {
    const StopState* stop = app.pick().currentStop();
    const std::string stepKey = std::string(toString(phase)) + "/" + app.pick().state().batchId + "/" +
                                (stop ? stop->stop.stopId : "") + "/" +
                                (app.expectation() ? app.expectation()->text + "/" +
                                                         std::to_string(app.expectation()->remaining)
                                                   : "");
    if (stepKey != stepKey_) {
      stepKey_ = stepKey;
      attempts_ = 0;
    }
    switch (phase) {
      case PickPhase::Done: {
        std::lock_guard lock(shared_.mutex);
        auto& s = shared_.summary;
        ++s.batches;
        for (const auto& w : app.pick().state().walk) {
          if (w.status == StopStatus::Confirmed) {
            ++s.stops;
            s.units += w.stop.qty;
          } else if (w.status == StopStatus::Short) {
            ++s.shorts;
          } else if (w.status == StopStatus::Flagged) {
            ++s.flagged;
          }
        }
      }
        app.typed("");
        return;
      case PickPhase::Cancelled: {
        std::lock_guard lock(shared_.mutex);
        ++shared_.summary.cancelled;
      }
        app.typed("");
        return;
      case PickPhase::ScanLocation:
        if (stop && app.pick().state().batchId + "/" + stop->stop.stopId != lastShortDecision_) {
          lastShortDecision_ = app.pick().state().batchId + "/" + stop->stop.stopId;
          shortAfter_.reset();
          // A short finds k of the qty units (k < qty): the picker scans
          // those k, then reports the short; the app reports what was scanned.
          if (coin() < shared_.options.shortProbability) shortAfter_ = uniform(0, stop->stop.qty - 1);
        }
        if (shortAfter_ == 0) {
          reportShort(app);
          return;
        }
        scan(app, ScanTarget::Location);
        return;
      case PickPhase::ScanItem:
        scan(app, ScanTarget::Item);
        return;
      case PickPhase::Quantity: {
        const auto step = app.expectation();
        if (shortAfter_ && step && step->quantity - step->remaining >= *shortAfter_) {
          reportShort(app);
          return;
        }
        // The total may be typed once the item was scanned (as here), not for a short.
        if (!shortAfter_ && attempts_ == 0 && step && coin() < shared_.options.keypadProbability) {
          ++attempts_;
          app.typed(std::to_string(step->quantity));
          return;
        }
        scan(app, ScanTarget::Item);
        return;
      }
      case PickPhase::Put:
        scan(app, ScanTarget::Tote);  // only the tote's scan confirms a put
        return;
      case PickPhase::ShortReason:
        app.input(NumberEntry{uniform(1, 4)});
        return;
      case PickPhase::Idle:
        return;
    }
  }

  // S, then a reason: the short reports the units scanned at this stop.
  void reportShort(Handheld& app) {
    app.input(KeyPress{Key::Short});
    app.input(NumberEntry{uniform(1, 4)});
  }

  // Shows the label the step wants to the camera: a fresh rendering each
  // time, decoded by a pooled Decoder; after repeated failures the picker
  // types the code instead where the batch allows typed codes, and goes on
  // trying to scan where it does not (a typed code would be refused).
  void scan(Handheld& app, ScanTarget target) {
    auto step = app.expectation();
    if (!step) return;
    if (attempts_++ > 0) {
      std::lock_guard lock(shared_.mutex);
      ++shared_.summary.retries;
    }
    const bool mayType = app.pick().state().typedCodes;
    if (attempts_ > 8 && mayType) {
      {
        std::lock_guard lock(shared_.mutex);
        ++shared_.summary.typedFallbacks;
      }
      app.typed(step->text);
      return;
    }
    if (shared_.options.scanner == Scanner::Engine) {
      // The engine decoded it: the text as the scanner sends it, no identifier.
      auto barcode = toBarcode(EngineScan{step->text, "", std::chrono::system_clock::now()});
      {
        std::lock_guard lock(shared_.mutex);
        ++shared_.summary.engineReads;
      }
      if (!barcode) {
        shared_.error(account_.device + ": the engine cannot read '" + step->text + "': " + barcode.error().message);
        return;
      }
      app.input(ScanInput{std::move(barcode).value()});
      return;
    }
    CameraLook look;
    auto format = labelFormat(target, step->text, rng_);
    auto frame = renderLabel(format, step->text, look, rng_);
    if (!frame) frame = renderLabel(BarcodeFormat::Code128, step->text, look, rng_);
    if (!frame) {
      shared_.error(account_.device + ": cannot draw '" + step->text + "': " + frame.error().message);
      if (mayType) app.typed(step->text);
      return;
    }
    auto read = shared_.pool.read(*frame, step);
    {
      std::lock_guard lock(shared_.mutex);
      auto& s = shared_.summary;
      ++s.frames;
      s.decodeMsTotal += read.milliseconds;
      s.decoderCrashes += static_cast<std::uint64_t>(read.crashes);
      if (std::holds_alternative<ScanFailed>(read.input)) ++s.decodeFailures;
    }
    app.input(read.input);
  }

  Shared& shared_;
  Account account_;
  std::mt19937 rng_;
  std::string stepKey_;
  int attempts_ = 0;
  std::string lastShortDecision_;  // batch/stop the short decision was made for
  std::optional<int> shortAfter_;  // the stop in hand is short: report it after this many units
};

// ---- Setup ----------------------------------------------------------------------------

Result<std::vector<Account>> accounts(const FleetOptions& o) {
  std::vector<Account> out;
  auto name = [&](const char* middle, int i) {
    std::ostringstream s;
    s << o.devicePrefix << middle << std::setw(2) << std::setfill('0') << i;
    return s.str();
  };
  if (!o.accountsFile.empty()) {
    std::ifstream in(o.accountsFile);
    if (!in) return makeError(ErrorKind::NotFound, "cannot read " + o.accountsFile.string());
    std::string device, password;
    while (static_cast<int>(out.size()) < o.devices && in >> device >> password) {
      if (!protocol::isValidDeviceId(device))
        return makeError(ErrorKind::Invalid, o.accountsFile.string() + ": '" + device + "' is not a device id");
      out.push_back({device, password, name("B-", static_cast<int>(out.size()) + 1)});
    }
    if (static_cast<int>(out.size()) < o.devices)
      return makeError(ErrorKind::Invalid, o.accountsFile.string() + " has fewer than " + std::to_string(o.devices) +
                                               " accounts");
    return out;
  }
  for (int i = 1; i <= o.devices; ++i) {
    Account a{name("", i), randomPassword(), name("B-", i)};
    if (!protocol::isValidDeviceId(a.device))
      return makeError(ErrorKind::Invalid, "device prefix makes an invalid device id '" + a.device + "'");
    auto r = runTool({o.brokerTool.string(), "add-device", o.brokerDir.string(), a.device, a.password});
    if (r.code != 0)
      return makeError(ErrorKind::Unavailable, "wms-broker add-device " + a.device + " failed: " + r.output.substr(0, 300));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

std::string FleetSummary::json() const {
  std::ostringstream o;
  auto str = [](const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) {
        out += ' ';
        continue;
      }
      out += c;
    }
    return out + "\"";
  };
  o << "{\"devices\":" << devices << ",\"seconds\":" << std::fixed << std::setprecision(1) << seconds
    << ",\"batches\":" << batches << ",\"cancelled\":" << cancelled << ",\"stops\":" << stops
    << ",\"shorts\":" << shorts << ",\"flagged\":" << flagged << ",\"units\":" << units
    << ",\"events\":{\"created\":" << eventsCreated << ",\"published\":" << published << ",\"resent\":" << resent
    << ",\"applied\":" << applied << ",\"duplicate\":" << duplicate << ",\"rejected\":" << rejected
    << ",\"outbox_left\":" << outboxLeft << "},\"engine_reads\":" << engineReads << ",\"decode\":{\"frames\":" << frames
    << ",\"failures\":" << decodeFailures << ",\"retries\":" << retries << ",\"typed\":" << typedFallbacks
    << ",\"worker_crashes\":" << decoderCrashes << ",\"mean_ms\":" << std::setprecision(2)
    << (frames ? decodeMsTotal / static_cast<double>(frames) : 0.0) << "},\"releases\":" << releases
    << ",\"errors\":[";
  for (std::size_t i = 0; i < errors.size(); ++i) o << (i ? "," : "") << str(errors[i]);
  o << "]}";
  return o.str();
}

Result<FleetSummary> runFleet(const FleetOptions& options, std::ostream& progress, const std::atomic<bool>& stop) {
  if (options.devices < 1 || options.devices > 500) return makeError(ErrorKind::Invalid, "devices must be 1-500");
  Shared fleet{options, stop};
  fleet.summary.devices = options.devices;
  // Decode workers first: they fork, and no other thread may exist yet.
  if (auto st = fleet.pool.start(std::max(1, options.decoders)); !st) return st.error();

  FleetOptions& o = fleet.options;
  if (o.brokerUri.empty()) {
    if (o.brokerDir.empty()) return makeError(ErrorKind::Invalid, "give --broker URI or --broker-dir DIR");
    auto r = runTool({o.brokerTool.string(), "uri", o.brokerDir.string()});
    if (r.code != 0) return makeError(ErrorKind::Unavailable, "wms-broker uri failed: " + r.output.substr(0, 300));
    while (!r.output.empty() && (r.output.back() == '\n' || r.output.back() == '\r')) r.output.pop_back();
    o.brokerUri = r.output;
  }
  auto accs = accounts(o);
  if (!accs) return accs.error();
  apiclient::Client api(o.api);
  for (const auto& a : *accs) {
    auto r = api.call("POST", "/api/v1/workers",
                      "{\"badge\":\"" + a.badge + "\",\"name\":\"Simulated picker " + a.device + "\"}",
                      {{"Content-Type", "application/json"}});
    if (!r) return makeError(r.error().kind, "creating worker " + a.badge + ": " + r.error().message);
  }
  std::error_code ec;
  std::filesystem::create_directories(o.stateDir, ec);
  if (ec) return makeError(ErrorKind::Unavailable, "cannot create " + o.stateDir.string() + ": " + ec.message());
  progress << "sim: " << accs->size() << " handhelds against " << o.api << " and " << o.brokerUri << std::endl;

  fleet.started = Clock::now();
  std::vector<std::thread> threads;
  fleet.running = static_cast<int>(accs->size());
  for (std::size_t i = 0; i < accs->size(); ++i) {
    threads.emplace_back([&fleet, &o, account = (*accs)[i], i] {
      Picker(fleet, account, o.seed * 7919 + i).run();
      std::lock_guard lock(fleet.mutex);
      --fleet.running;
    });
  }
  std::atomic<bool> finished{false};
  std::thread side([&] {
    auto nextProgress = Clock::now() + o.progressEvery;
    auto nextRelease = Clock::now();
    while (!finished) {
      const auto now = Clock::now();
      if (o.releaseEvery.count() > 0 && now >= nextRelease && !fleet.timeUp()) {
        nextRelease = now + o.releaseEvery;
        auto r = api.send("POST", "/api/v1/waves/release", "{}", {{"Content-Type", "application/json"}});
        if (r && r->status == 201) {
          std::lock_guard lock(fleet.mutex);
          ++fleet.summary.releases;
        }
      }
      if (now >= nextProgress) {
        nextProgress = now + o.progressEvery;
        std::lock_guard lock(fleet.mutex);
        const auto& s = fleet.summary;
        progress << "sim: " << std::chrono::duration_cast<std::chrono::seconds>(now - fleet.started).count() << "s, "
                 << fleet.running << " running, " << s.batches << " batches, " << s.stops << " stops, " << s.shorts
                 << " short, " << s.frames << " frames (" << s.decodeFailures << " unreadable)" << std::endl;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  for (auto& t : threads) t.join();
  finished = true;
  side.join();
  fleet.summary.seconds = std::chrono::duration<double>(Clock::now() - fleet.started).count();
  return fleet.summary;
}

}  // namespace wms::sim
