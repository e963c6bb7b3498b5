#include "wms/protocol/ResendQueue.h"

#include <stdexcept>

namespace wms::protocol {

ResendQueue::ResendQueue(std::chrono::milliseconds firstRetry, std::chrono::milliseconds maxRetry)
    : firstRetry_(firstRetry), maxRetry_(maxRetry) {
  if (firstRetry.count() <= 0 || maxRetry < firstRetry) {
    throw std::invalid_argument("ResendQueue: need 0 < firstRetry <= maxRetry");
  }
}

bool ResendQueue::sent(std::string eventId, std::string topic, std::string payload, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (seqById_.count(eventId) != 0) return false;
  std::uint64_t seq = nextSeq_++;
  seqById_.emplace(eventId, seq);
  bySeq_.emplace(seq, Pending{std::move(eventId), std::move(topic), std::move(payload), 1, now + firstRetry_});
  return true;
}

bool ResendQueue::acknowledge(std::string_view eventId) {
  std::lock_guard lock(mutex_);
  auto it = seqById_.find(std::string(eventId));
  if (it == seqById_.end()) return false;
  bySeq_.erase(it->second);
  seqById_.erase(it);
  return true;
}

std::vector<ResendQueue::Pending> ResendQueue::due(Clock::time_point now) { return collect(now, false); }

std::vector<ResendQueue::Pending> ResendQueue::resendAll(Clock::time_point now) { return collect(now, true); }

std::vector<ResendQueue::Pending> ResendQueue::collect(Clock::time_point now, bool all) {
  std::lock_guard lock(mutex_);
  std::vector<Pending> out;
  for (auto& [seq, p] : bySeq_) {
    if (!all && p.nextAttempt > now) continue;
    ++p.attempts;
    // Wait firstRetry * 2^(attempts-1), capped; doubling stops at the cap, so it cannot overflow.
    auto wait = firstRetry_;
    for (int i = 1; i < p.attempts && wait < maxRetry_; ++i) wait *= 2;
    if (wait > maxRetry_) wait = maxRetry_;
    p.nextAttempt = now + wait;
    out.push_back(p);
  }
  return out;
}

std::size_t ResendQueue::size() const {
  std::lock_guard lock(mutex_);
  return bySeq_.size();
}

}  // namespace wms::protocol
