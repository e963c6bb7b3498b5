// Internal: locations being counted, frozen for picks for a short while.
//
// A counter's next location (the first row of the count.task it was just
// given: the shelf it scanned, or the next on its list) is frozen until the
// last count waiting there is entered, or for kFreezeMs at most. While a
// location is frozen the waves plan no pick there and a short's replan does
// not send a picker there; picks already on a picker's list still happen,
// and the count, compared with the figure when it is entered, stays
// consistent with them. The rest of the warehouse is never frozen.
//
// Kept in memory: a freeze lost in a restart only lets picks resume early.
//
// Threading: any number of threads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace wms::server {

class LocationFreezes {
 public:
  static constexpr std::int64_t kFreezeMs = 2 * 60 * 1000;

  void freeze(const std::string& location, std::int64_t nowMs) {
    std::lock_guard lock(mutex_);
    until_[location] = nowMs + kFreezeMs;
  }
  void thaw(const std::string& location) {
    std::lock_guard lock(mutex_);
    until_.erase(location);
  }
  // The locations frozen at `nowMs`.
  std::set<std::string> frozen(std::int64_t nowMs) {
    std::lock_guard lock(mutex_);
    std::erase_if(until_, [&](const auto& f) { return f.second <= nowMs; });
    std::set<std::string> out;
    for (const auto& [location, until] : until_) out.insert(location);
    return out;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::int64_t> until_;  // location -> frozen until (ms); protected by mutex_
};

}  // namespace wms::server
