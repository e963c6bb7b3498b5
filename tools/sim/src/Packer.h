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
// Threading: PackQueue (WorkQueue.h) is thread-safe. runPacker runs on its own thread and
// returns when the fleet stops, its queue is used up (a fixed list) or it
// was idle for FleetOptions::untilIdle.
#pragma once

#include <cstdint>

#include "FleetShared.h"
#include "WorkQueue.h"

namespace wms::sim::detail {

// Picked orders by id, each handed to one packer.
using PackQueue = WorkQueue<std::int64_t>;

// One packer's life: signs in (pack mode) at `station`, packs orders from
// `queue` until the fleet stops, adds its figures to shared.summary.packing.
void runPacker(Shared& shared, const Account& account, const std::string& station, std::uint64_t seed,
               PackQueue& queue);

}  // namespace wms::sim::detail
