// The end-of-day reconciliation: reads the server's stock, ledger and orders
// over the API and compares them against the opening snapshot, so that a
// mismatch between any two of them shows.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "wms/apiclient/Client.h"
#include "wms/common/Result.h"

namespace wms::demo {

struct StockSnapshot {
  std::map<std::string, std::int64_t> onHand;
  std::int64_t lastLedgerId = 0;
};

// The stock of every SKU and the newest ledger id, now.
Result<StockSnapshot> takeSnapshot(apiclient::Client& client);

// Writes/reads a snapshot as JSON (var/demo/opening.json).
std::string snapshotToJson(const StockSnapshot& snapshot);
Result<StockSnapshot> snapshotFromJson(const std::string& text);

struct DayFigures {
  double durationS = 0;
  bool picking = false;   // whether the parts that pick, pack and ship ran
  bool channels = false;  // whether the channels' verdict was taken
  std::int64_t channelsOutOfSync = 0;
  std::optional<std::int64_t> fulfilmentsMissing;  // shipped orders a channel was not told of, if known
  // Shipped orders the channel cancelled before it was told (a person
  // recalls the parcel: channel_cancel_too_late), if known.
  std::optional<std::int64_t> shippedAfterChannelCancel;
  std::int64_t storeRefused = 0;  // store orders the server refused
  std::int64_t packFailures = 0;  // orders the packing stations could not ship
  std::int64_t shippedByRestPackers = 0;  // orders this program's stations shipped over the packing REST routes
  std::int64_t totesBoundTwice = 0;  // the most totes seen on two live batches at once during the day
};

// The summary object of tools/run-demo --headless (see README): orders in per
// channel (as the server recorded them: a duplicate delivery is one order),
// shipped, short, held, cancelled, unfinished (by stage), units shipped,
// units received, put-aways, replenishments and counts that found a
// difference (from the ledger),
// stock mismatches, oversells, channels out of sync, fulfilments missing,
// open exceptions, the longest wait in each stage, the tote pool's low
// point, wmsd's CPU, memory and pick-confirmation latency, duration. Parts
// that did not run are null.
Result<Poco::JSON::Object::Ptr> summarise(apiclient::Client& client, const StockSnapshot& opening,
                                          const DayFigures& day);

}  // namespace wms::demo
