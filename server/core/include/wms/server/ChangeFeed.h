// What changed on the floor, as a sequence a page can follow live: the
// store's commit hook (DatabaseOptions::onCommit) tells the feed which
// tables each commit wrote; the feed turns them into the topics the
// dashboard's panels show ("waves", "orders", ...) and numbers each such
// commit. A page holding the number of the last change it saw asks for what
// came after it (GET /api/v1/changes, the event stream), and is told to
// reload everything (resync) when the feed no longer holds that far back or
// the number is not from this run of wmsd. Only that something changed is
// kept, never what: the page reads the figures from the API as before.
//
// Positions are written "EPOCH-SEQ" (docs/api.md): EPOCH is 16 lower-case
// hex digits drawn at random when the feed is made, so a position from
// before a restart is never mistaken for one of this run; SEQ counts
// changes from 1 (0: before the first).
//
// No I/O; the clock is the caller's (committed() takes the time).
//
// Threading: every method is thread-safe. committed() is quick and never
// blocks for long (it is called on the store's writer thread); wait() blocks
// its caller up to its time-out, until a change or stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::server {

// A place in the feed.
struct FeedPosition {
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
};

// "EPOCH-SEQ", as above. parsePosition refuses anything else (Malformed,
// naming what is wrong); it does not say whether the position is this
// feed's (wait() does).
std::string formatPosition(const FeedPosition& position);
Result<FeedPosition> parsePosition(std::string_view text);

// One commit that touched something a panel shows.
struct FeedChange {
  std::uint64_t seq = 0;
  std::int64_t atMs = 0;
  std::vector<std::string> topics;  // sorted, each once
};

// The topic of a table, or "" for a table no panel shows (accounts,
// sessions, the audit trail, idempotency keys, ...). Topics: orders, waves,
// devices, exceptions, stock, channels, packing, dock.
std::string topicOfTable(std::string_view table);

class ChangeFeed {
 public:
  static constexpr std::size_t kDefaultCapacity = 4096;

  // `epoch` 0 draws one at random (tests give their own).
  explicit ChangeFeed(std::size_t capacity = kDefaultCapacity, std::uint64_t epoch = 0);
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // A commit wrote `tables` at `atMs`: one change with their topics, unless
  // none of them has one. The oldest change beyond the capacity is dropped.
  void committed(const std::vector<std::string>& tables, std::int64_t atMs);

  // The position after the newest change (seq 0 before any).
  FeedPosition head() const;

  struct Batch {
    std::vector<FeedChange> changes;  // after `since`, oldest first; empty on a time-out
    bool resync = false;              // `since` is not this run's or too old: reload everything
    bool stopped = false;             // stop() was called
    FeedPosition head;                // the newest position (of the last change returned, if any)
  };
  // The changes after `since`, waiting up to `timeout` for one when there
  // is none yet (0: do not wait). Returns at once with resync when `since`
  // has another epoch, a seq beyond the head, or is older than the oldest
  // change still held.
  Batch wait(const FeedPosition& since, std::chrono::milliseconds timeout) const;

  // Wakes every waiter and makes every later wait() return stopped at once
  // (the server is shutting down). Not undone.
  void stop();

 private:
  // ---- constant after construction ----
  const std::size_t capacity_;
  const std::uint64_t epoch_;

  // ---- protected by mutex_ ----
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<FeedChange> ring_;
  std::uint64_t seq_ = 0;
  bool stopped_ = false;
};

}  // namespace wms::server
