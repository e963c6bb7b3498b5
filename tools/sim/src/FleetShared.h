// What the simulated pickers and packers of one fleet share (internal to
// wms::sim): the pool of isolated decoders, the fleet's options and the
// summary they add their figures to, and the camera scan both kinds of
// simulated worker make.
//
// Threading: Shared and DecoderPool are used by every device thread; their
// members say what protects them. cameraScan may run on any device thread
// with that thread's own random generator.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "wms/handheld/Decoder.h"
#include "wms/handheld/FrameInput.h"
#include "wms/handheld/Workflow.h"
#include "wms/sim/Fleet.h"

namespace wms::sim::detail {

using Clock = std::chrono::steady_clock;

// A few Decoders shared by the device threads: each decode borrows one.
// The workers are forked by start(), which must run before any MQTT thread
// exists.
class DecoderPool {
 public:
  Status start(int n);
  handheld::FrameRead read(const handheld::Frame& frame, const std::optional<handheld::StepExpectation>& step);

 private:
  std::vector<std::unique_ptr<handheld::Decoder>> all_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<handheld::Decoder*> free_;  // protected by mutex_
};

struct Account {
  std::string device;
  std::string password;
  std::string badge;
};

// Everything the device threads share.
struct Shared {
  Shared(FleetOptions o, const std::atomic<bool>& s) : options(std::move(o)), stop(s) {}
  FleetOptions options;  // constant once the device threads start
  const std::atomic<bool>& stop;
  DecoderPool pool;
  std::mutex mutex;  // protects summary and running
  FleetSummary summary;
  int running = 0;
  std::atomic<int> pickersRunning{0};  // packers idle out only once no picker of the fleet is left
  // Dock workers idle out only once the workers whose work feeds theirs
  // are gone: put-away after the receivers, replenishers and counters after
  // the pickers, receivers and put-away workers (and counters after the
  // replenishers).
  std::atomic<int> receiversRunning{0}, putawayRunning{0}, replenishersRunning{0};
  Clock::time_point started = Clock::now();
  std::optional<Clock::time_point> firstPack, lastPack;  // the packers' first order taken, last finished

  void error(const std::string& e) {
    std::lock_guard lock(mutex);
    if (summary.errors.size() < 10) summary.errors.push_back(e);
  }
  bool timeUp() const {
    return stop || (options.duration.count() > 0 && Clock::now() - started >= options.duration);
  }
};

// One scan of `text` as the fleet's scanner reads it: with Scanner::Engine
// the decoded text through the app's engine path; with Scanner::Camera a
// fresh camera-like rendering in `format` (Code 128 if that format cannot
// carry the text) decoded by a pooled Decoder, narrowed to `step` when given.
// Counts frames, failures, engine reads and decoder crashes in the summary.
// nullopt (and an error in the summary) for a text that cannot be drawn or
// that the engine cannot read: nothing reaches the app.
std::optional<handheld::Input> simulatedScan(Shared& shared, std::mt19937& rng, handheld::BarcodeFormat format,
                              const std::string& text, const std::optional<handheld::StepExpectation>& step,
                              const std::string& device);

// The same for a GS1-128 label carrying `elementString` (raw element
// strings, GS after each variable-length value that is not last): the
// engine sends it with the identifier `]C1`; the camera sees a Code 128
// symbol with FNC1, which the decoder reads as `]C1`.
std::optional<handheld::Input> simulatedGs1Scan(Shared& shared, std::mt19937& rng, const std::string& elementString,
                                                const std::optional<handheld::StepExpectation>& step,
                                                const std::string& device);

}  // namespace wms::sim::detail
