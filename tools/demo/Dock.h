// The demo's inbound side, over the inbound REST API (docs/inbound.md):
// the morning's trucks, received at the dock and put away, one cycle count
// that finds a difference, and a replenisher who keeps the pick faces
// filled from reserve during the day.
//
// wmsd may go away meanwhile (wms/apiclient/Client.h retries what is safe):
// receipts, put-aways, counts' results and replenishments carry their own
// idempotency keys and capacities and rules are PUTs; the writes wmsd takes
// no key for (a purchase order, its close, a count task, its approval) are
// checked against wmsd's state when their answer was lost, and sent again
// only if they did not happen.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "wms/apiclient/Client.h"
#include "wms/common/Result.h"

namespace wms::demo {

struct MorningFigures {
  int purchaseOrders = 0;
  std::int64_t unitsReceived = 0;  // good units, now stock at the dock (then put away)
  std::int64_t unitsDamaged = 0;   // set aside, never stock
  int putaways = 0;
  int pickFaceRules = 0;
  std::int64_t countedDifference = 0;  // booked by the approved cycle count
};

// The morning at the dock, before the first orders: `trucks` purchase
// orders (2 lines short of 4 at most, a pallet announced by SSCC on the
// first) for SKUs among `bestSellers` arrive at DOCK-1/DOCK-2 and are
// received (the pallet in one scan, cases by GS1 scan or SKU, two damaged
// units), the orders closed, and everything put away to the server's
// suggestion. The received SKUs' faces get a capacity (what they hold plus
// a little: the rest goes to reserve) and a min/max rule, so that the
// replenisher has work. Then one face is counted, the count is off by two,
// counted again and approved by the supervisor. Progress goes to stderr.
Result<MorningFigures> morningAtTheDock(apiclient::Client& client, const std::vector<std::string>& bestSellers,
                                        int trucks, std::uint64_t seed);

// The same morning with the dock's handhelds (wms-sim --receivers,
// --putaway, --counters with --miscount-probability 1, at DOCK-1/DOCK-2):
// this program is the office. It sets the faces' capacities and rules
// first (the handhelds put away while trucks are still being received),
// creates the purchase orders (no short lines, nothing damaged: the
// receivers take what the delivery note says), waits until every line is
// received and closes the orders, waits until nothing with somewhere to go
// is left at the docks, then makes the count task and, when the counter's
// two counts leave it waiting for approval, approves it. Errors: wmsd's,
// and Unavailable when a step does not happen within `patience` (the
// handhelds are not there) or `interrupted` becomes true.
Result<MorningFigures> morningWithHandhelds(apiclient::Client& client, const std::vector<std::string>& bestSellers,
                                            int trucks, std::uint64_t seed, std::chrono::seconds patience,
                                            const std::atomic<bool>& interrupted);

// The replenisher's round: every move the replenishment plan asks for now
// is done (confirmed over REST with its own key). Returns the moves done.
// Thread-compatible: one replenisher per client.
Result<int> replenishOnce(apiclient::Client& client, const std::string& keyPrefix, int& sequence);

}  // namespace wms::demo
