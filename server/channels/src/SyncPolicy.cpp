#include "wms/channels/SyncPolicy.h"

#include <algorithm>
#include <cmath>

namespace wms::channels {

std::int64_t backoffMs(const RetryPolicy& p, int attempt, double unit) noexcept {
  const int n = std::clamp(attempt, 1, 62);
  double wait = static_cast<double>(p.baseMs);
  for (int i = 1; i < n && wait < static_cast<double>(p.maxMs); ++i) wait *= 2;
  wait = std::min(wait, static_cast<double>(p.maxMs));
  const double u = std::clamp(unit, 0.0, 1.0);
  wait *= 1.0 - p.jitter + 2.0 * p.jitter * u;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(wait));
}

TokenBucket::TokenBucket(double ratePerSecond, double burst, std::int64_t nowMs) noexcept
    : rate_(std::max(ratePerSecond, 1e-6)), burst_(std::max(burst, 1.0)), tokens_(burst_), lastMs_(nowMs) {}

void TokenBucket::refill(std::int64_t nowMs) noexcept {
  if (nowMs > lastMs_) {
    tokens_ = std::min(burst_, tokens_ + static_cast<double>(nowMs - lastMs_) * rate_ / 1000.0);
    lastMs_ = nowMs;
  }
}

double TokenBucket::tokens(std::int64_t nowMs) noexcept {
  refill(nowMs);
  return tokens_;
}

std::int64_t TokenBucket::tryTake(std::int64_t nowMs) noexcept {
  if (nowMs < pausedUntilMs_) return pausedUntilMs_ - nowMs;
  refill(nowMs);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return 0;
  }
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - tokens_) * 1000.0 / rate_)));
}

void TokenBucket::pauseUntil(std::int64_t untilMs) noexcept {
  pausedUntilMs_ = std::max(pausedUntilMs_, untilMs);
  // Nothing refills while paused: the bucket starts empty when the pause ends.
  tokens_ = 0;
  lastMs_ = std::max(lastMs_, pausedUntilMs_);
}

}  // namespace wms::channels
