// The simulated dock workers of wms-sim (internal to wms::sim): handhelds
// in receive, put-away, replenish and count mode, each the real app
// (wms::handheld::Handheld) driven by a simulated worker that follows the
// screen and scans through the fleet's scanner (rendered camera images
// through the pooled Decoder, or the scan engine path). What a real worker
// would read off paper (the delivery note of a purchase order, what stands
// at the dock, how many units are on a shelf) comes from wmsd's REST API.
//
// Work for receivers and put-away workers comes from WorkQueues that the
// fleet's side thread fills from wmsd's listings (listPurchaseOrders,
// listDockBacklog), so that two workers never take the same order or the
// same units at a dock. Replenishers and counters ask wmsd for their work
// on the handheld (replenish.request, count.request), as real ones do; wmsd
// keeps two replenishers off the same move.
//
// Threading: each run* function runs on its own thread and returns when the
// fleet stops, or after FleetOptions::untilIdle without work once the
// workers that feed it are gone (FleetShared.h). The listings run on the fleet's
// side thread; the queues are thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "FleetShared.h"
#include "WorkQueue.h"
#include "wms/apiclient/Client.h"

namespace wms::sim::detail {

// Units of one SKU (one lot and expiry) waiting at a dock, as wmsd's
// put-away backlog lists them.
struct DockItem {
  std::string sku;
  std::string location;
  std::string lot;
  std::string expiry;  // "YYYY-MM-DD" or empty
  auto operator<=>(const DockItem&) const = default;
};

using OrderQueue = WorkQueue<std::int64_t>;  // purchase orders by id
using DockQueue = WorkQueue<DockItem>;

// Offers every open purchase order, oldest first. Returns how many were new.
int listPurchaseOrders(apiclient::Client& api, OrderQueue& queue);
// Offers what waits at one of `docks` and has somewhere to go (wmsd
// suggests a location; what has none is left for a person). Returns how
// many were new.
int listDockBacklog(apiclient::Client& api, const std::vector<std::string>& docks, DockQueue& queue);

// One receiver's life at `dock`: takes purchase orders from `orders` and
// receives what their delivery notes say is still to come.
void runReceiver(Shared& shared, const Account& account, const std::string& dock, std::uint64_t seed,
                 OrderQueue& orders);
// One put-away worker's life: takes what waits at the docks from `items`.
void runPutaway(Shared& shared, const Account& account, std::uint64_t seed, DockQueue& items);
// One replenisher's life: asks for moves, works them, asks again.
void runReplenisher(Shared& shared, const Account& account, std::uint64_t seed);
// One counter's life: asks for the counts waiting, counts them, asks again.
void runCounter(Shared& shared, const Account& account, std::uint64_t seed);

}  // namespace wms::sim::detail
