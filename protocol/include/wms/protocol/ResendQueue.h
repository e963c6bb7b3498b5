// ResendQueue: the device side of "resend until acknowledged".
//
// A device records every event it publishes; the event stays here until an
// ack for its event id arrives (any result: applied, duplicate or rejected).
// due() hands back the events whose ack is overdue so that the device
// publishes them again, unchanged (same event id), with the wait doubling
// from `firstRetry` up to `maxRetry`. After a reconnect, resendAll() makes
// everything due at once. No I/O and no clock of its own: the caller passes
// the time in. Events come back in the order they were first sent.
//
// Thread-safe: all methods may be called from any thread (typically sent()
// from the app and acknowledge() from the MQTT worker).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wms::protocol {

class ResendQueue {
 public:
  using Clock = std::chrono::steady_clock;

  struct Pending {
    std::string eventId;
    std::string topic;
    std::string payload;
    int attempts = 1;                 // publishes so far, including the first
    Clock::time_point nextAttempt;    // when it is due again
  };

  // Throws std::invalid_argument unless 0 < firstRetry <= maxRetry.
  explicit ResendQueue(std::chrono::milliseconds firstRetry = std::chrono::seconds(5),
                       std::chrono::milliseconds maxRetry = std::chrono::seconds(60));
  ResendQueue(const ResendQueue&) = delete;
  ResendQueue& operator=(const ResendQueue&) = delete;

  // Records an event that was just published at `now`; due again at
  // now + firstRetry. Returns false (and changes nothing) if the event id is
  // already pending.
  bool sent(std::string eventId, std::string topic, std::string payload, Clock::time_point now);

  // Forgets the event; true if it was pending (false for an ack of an
  // unknown or already acknowledged event, e.g. a second ack).
  bool acknowledge(std::string_view eventId);

  // The events due at `now`, oldest first; each is rescheduled (attempts + 1,
  // wait doubled up to maxRetry) as if published again now.
  std::vector<Pending> due(Clock::time_point now);

  // Every pending event, oldest first, rescheduled as by due(); for the
  // moment a connection is back.
  std::vector<Pending> resendAll(Clock::time_point now);

  std::size_t size() const;
  bool empty() const { return size() == 0; }

 private:
  std::vector<Pending> collect(Clock::time_point now, bool all);

  // constant after construction
  const std::chrono::milliseconds firstRetry_;
  const std::chrono::milliseconds maxRetry_;

  mutable std::mutex mutex_;
  // protected by mutex_: events by send order, and the order of each id.
  std::map<std::uint64_t, Pending> bySeq_;
  std::unordered_map<std::string, std::uint64_t> seqById_;
  std::uint64_t nextSeq_ = 0;
};

}  // namespace wms::protocol
