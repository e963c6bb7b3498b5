// The queue that hands each piece of work of a fleet to one simulated worker
// (internal to wms::sim): picked orders to packers, purchase orders to
// receivers, what waits at a dock to put-away workers. A listing offers
// what it finds; what was offered once is not offered again until the
// worker who took it gives it back (its work was refused, or is done and the
// same key may come back: more of a SKU landed at the dock).
//
// Threading: thread-safe; any thread may offer, take and give back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

namespace wms::sim::detail {

template <class Key>
class WorkQueue {
 public:
  // A queue filled by offer() as work appears (listed), or one holding
  // exactly `keys` (fixed: nothing else is offered and the queue is done
  // once they are taken).
  WorkQueue() = default;
  explicit WorkQueue(const std::vector<Key>& keys) : fixed_(true) {
    for (const auto& k : keys)
      if (offered_.insert(k).second) waiting_.push_back(k);
  }

  // Adds `key` unless it was offered before and not given back. Returns
  // true if it was added.
  bool offer(const Key& key) {
    {
      std::lock_guard lock(mutex_);
      if (fixed_ || !offered_.insert(key).second) return false;
      waiting_.push_back(key);
    }
    added_.notify_one();
    return true;
  }

  // The oldest key not yet taken, waiting up to `wait` for one.
  std::optional<Key> take(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    if (!added_.wait_for(lock, wait, [this] { return !waiting_.empty(); })) return std::nullopt;
    Key k = waiting_.front();
    waiting_.pop_front();
    return k;
  }

  // A key its worker let go: a fixed queue takes it back at once; a listed
  // one lets the next listing offer it again if the work is still there.
  void giveBack(const Key& key) {
    std::lock_guard lock(mutex_);
    if (fixed_)
      waiting_.push_back(key);
    else
      offered_.erase(key);
  }

  // A fixed queue that has been handed out completely.
  bool finished() const {
    std::lock_guard lock(mutex_);
    return fixed_ && waiting_.empty();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable added_;
  bool fixed_ = false;       // constant after construction
  std::deque<Key> waiting_;  // protected by mutex_
  std::set<Key> offered_;    // protected by mutex_
};

}  // namespace wms::sim::detail
