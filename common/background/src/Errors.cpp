#include "wms/background/Errors.h"

#include <Poco/Logger.h>

#include <algorithm>

namespace wms::background {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("wmsd.background"); }

constexpr std::int64_t kFirstWaitMs = 100;
constexpr std::int64_t kLongestWaitMs = 10'000;
constexpr std::int64_t kLogEvery = 100;

std::int64_t waitFor(int streak) {
  if (streak <= 0) return 0;
  std::int64_t wait = kFirstWaitMs;
  for (int i = 1; i < streak && wait < kLongestWaitMs; ++i) wait *= 2;
  return std::min(wait, kLongestWaitMs);
}

}  // namespace

Loop::Loop(std::string name) : name_(std::move(name)) {}

std::chrono::milliseconds Loop::failed(std::string_view doing, const Error& error) {
  std::unique_lock lock(mutex_);
  ++errors_;
  ++streak_;
  lastError_ = std::string(doing) + ": " + error.message;
  const std::int64_t wait = waitFor(streak_);
  const bool log = streak_ == 1 || streak_ % kLogEvery == 0;
  const int streak = streak_;
  const std::string line = lastError_;
  lock.unlock();
  if (log) {
    logger().error("%s: %s (%s; failure %d in a row, retrying in %Ld ms)", name_, line, std::string(toString(error.kind)),
                   streak, static_cast<Poco::Int64>(wait));
  }
  return std::chrono::milliseconds(wait);
}

void Loop::succeeded() {
  std::unique_lock lock(mutex_);
  if (streak_ == 0) return;
  const int streak = streak_;
  streak_ = 0;
  lock.unlock();
  logger().notice("%s: working again after %d failures in a row", name_, streak);
}

std::chrono::milliseconds Loop::backoff() const {
  std::lock_guard lock(mutex_);
  return std::chrono::milliseconds(waitFor(streak_));
}

LoopFigures Loop::figures() const {
  std::lock_guard lock(mutex_);
  return LoopFigures{name_, errors_, streak_ > 0, lastError_};
}

Loop& Errors::loop(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto& slot = loops_[name];
  if (!slot) slot = std::make_unique<Loop>(name);
  return *slot;
}

std::vector<LoopFigures> Errors::figures() const {
  std::lock_guard lock(mutex_);
  std::vector<LoopFigures> out;
  for (const auto& [name, loop] : loops_) out.push_back(loop->figures());
  return out;
}

std::string Errors::render() const {
  std::string text;
  for (const auto& f : figures()) {
    text += "background_errors_total{loop=\"" + f.loop + "\"} " + std::to_string(f.errors) + "\n";
    text += "background_loop_failing{loop=\"" + f.loop + "\"} " + std::string(f.failing ? "1" : "0") + "\n";
  }
  return text;
}

}  // namespace wms::background
