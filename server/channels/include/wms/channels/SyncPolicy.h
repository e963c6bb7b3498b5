// The pacing of outbound calls to channels: exponential backoff with jitter
// for retries, and a token bucket for each channel's rate limit. Pure (time
// is passed in), so tests pin the arithmetic exactly.
#pragma once

#include <cstdint>

namespace wms::channels {

struct RetryPolicy {
  std::int64_t baseMs = 500;    // the first retry waits about this long
  std::int64_t maxMs = 30000;   // no wait is longer than this (a channel back from an outage is retried within it)
  double jitter = 0.2;          // each wait is scaled by a factor in [1 - jitter, 1 + jitter)
};

// The wait before retry number `attempt` (1 = first retry): min(max, base *
// 2^(attempt-1)) scaled by (1 - jitter + 2 * jitter * unit), unit in [0, 1)
// drawn by the caller. Always >= 1.
std::int64_t backoffMs(const RetryPolicy& policy, int attempt, double unit) noexcept;

// A token bucket: `ratePerSecond` tokens refill continuously up to `burst`.
// Not thread-safe; each pusher owns its buckets.
class TokenBucket {
 public:
  TokenBucket(double ratePerSecond, double burst, std::int64_t nowMs) noexcept;

  // Takes a token if one is there and returns 0; otherwise takes nothing and
  // returns the ms until one will be.
  std::int64_t tryTake(std::int64_t nowMs) noexcept;
  // The channel said "slow down" (429): no tokens until `untilMs`.
  void pauseUntil(std::int64_t untilMs) noexcept;

  double tokens(std::int64_t nowMs) noexcept;

 private:
  void refill(std::int64_t nowMs) noexcept;
  double rate_;
  double burst_;
  double tokens_;
  std::int64_t lastMs_;
  std::int64_t pausedUntilMs_ = 0;
};

}  // namespace wms::channels
