// The simulated packers of wms-sim (internal to wms::sim): packing
// handhelds, each the real app (wms::handheld::Handheld) in pack mode bound
// to its own station, driven by a simulated packer that follows the screen:
// scans the order's packing slip (pack.request), scans every unit the pack
// task lists through the fleet's scanner (rendered camera images through the
// real Decoder, or the scan engine path), closes the carton (pack.confirm),
// asks for the label (label.request -> label.ready) and confirms the
// shipment (ship.confirm).
//
// Work comes from a PackQueue that hands each picked order to one packer
// only, so two packers of one fleet never take the same order. An order
// wmsd refuses (packed at another station, held, cancelled) is counted as a
// refusal and left: the packer moves on to the next one.
//
// Threading: PackQueue is thread-safe. runPacker runs on its own thread and
// returns when the fleet stops, its queue is used up (a fixed list) or it
// was idle for FleetOptions::untilIdle.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "FleetShared.h"

namespace wms::sim::detail {

class PackQueue {
 public:
  // A queue filled by offer() as orders become picked (listed = false), or
  // one holding exactly `orders` (listed = true: nothing else is offered
  // and the queue is done once they are taken).
  PackQueue() = default;
  explicit PackQueue(const std::vector<std::int64_t>& orders);

  // Adds an order unless it was offered before (each order is handed out
  // once). Returns true if it was added.
  bool offer(std::int64_t order);
  // The oldest order not yet taken, waiting up to `wait` for one.
  std::optional<std::int64_t> take(std::chrono::milliseconds wait);
  // An order a packer had to give up before wmsd answered about it (no
  // readable label, no answer): it may be offered again.
  void giveBack(std::int64_t order);
  // A fixed list that has been handed out completely.
  bool finished() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable added_;
  bool fixed_ = false;                // constant after construction
  std::deque<std::int64_t> waiting_;  // protected by mutex_
  std::set<std::int64_t> offered_;    // protected by mutex_
};

// One packer's life: signs in (pack mode) at `station`, packs orders from
// `queue` until the fleet stops, adds its figures to shared.summary.packing.
void runPacker(Shared& shared, const Account& account, const std::string& station, std::uint64_t seed,
               PackQueue& queue);

}  // namespace wms::sim::detail
