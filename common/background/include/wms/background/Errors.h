// What a background loop does with an error no caller is waiting for: the
// channel fetchers and pushers, the print spooler, the device gateway's
// publisher. LevelDB's rule, applied to every loop: a background error is
// never dropped. Each failed step is
//   - counted   (background_errors_total{loop="..."} at /metrics),
//   - logged    once when the loop starts failing, with what it was doing
//               (then every 100th failure while it keeps failing, and once
//               when it recovers, so a full disk does not flood the log),
//   - backed off: the loop waits before it tries again, doubling from
//               100 ms up to 10 s while the failures last,
// and the step is retried; nothing the step had not committed counts as done.
//
// Usage in a loop:
//   background::Loop& health = errors.loop("channels.fetch");
//   if (auto st = db.read(...); !health.check("reading due orders", st)) {
//     sleep(health.backoff());
//     continue;
//   }
//
// Threading: every method is thread-safe; several threads of one loop (the
// fetch workers) may share a Loop. References returned by loop() stay valid
// for the life of the Errors object.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::background {

// One loop's state (a snapshot).
struct LoopFigures {
  std::string loop;          // e.g. "channels.fetch"
  std::int64_t errors = 0;   // failed steps since start
  bool failing = false;      // the last step failed
  std::string lastError;     // what it was doing and why it failed; empty if never
};

class Loop {
 public:
  explicit Loop(std::string name);

  // Records a failed step: counts it, logs it as described above, and grows
  // the backoff. Returns the wait before the next try.
  std::chrono::milliseconds failed(std::string_view doing, const Error& error);
  // Records a step that worked: resets the backoff; logs the recovery once.
  void succeeded();
  // succeeded() and true if `result` is ok, else failed(doing, ...) and false.
  template <typename T>
  bool check(std::string_view doing, const Result<T>& result) {
    if (result.ok()) {
      succeeded();
      return true;
    }
    failed(doing, result.error());
    return false;
  }
  // How long to wait now (0 while nothing fails).
  std::chrono::milliseconds backoff() const;

  LoopFigures figures() const;

 private:
  const std::string name_;
  mutable std::mutex mutex_;
  std::int64_t errors_ = 0;
  int streak_ = 0;  // failures in a row
  std::string lastError_;
};

class Errors {
 public:
  // The loop with this name, created on first use.
  Loop& loop(const std::string& name);
  std::vector<LoopFigures> figures() const;
  // Prometheus text lines, sorted by loop: background_errors_total and
  // background_loop_failing (0/1) per loop.
  std::string render() const;

 private:
  mutable std::mutex mutex_;  // protects the map, not the loops in it
  std::map<std::string, std::unique_ptr<Loop>> loops_;
};

}  // namespace wms::background
