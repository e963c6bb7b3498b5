// Directed put-away: what was received waits in a dock or staging location
// (the backlog); for each SKU the server suggests where it goes, and the
// operator's confirmation moves it there (stock::Moves::transfer: two
// transfer rows, on-hand unchanged), to the suggestion or, with a reason,
// elsewhere.
//
// Where it goes, in this order:
//   1. the SKU's pick face (a pick location holding the SKU), if it has room;
//   2. a reserve location in the zone of that face (else any zone) holding
//      the same SKU (with the same lot and expiry, so first-expiry-first-out
//      is never mixed in one location), if it has room;
//   3. an empty reserve location in that zone, else in any zone.
// Room is a location's capacity in units (set per location: PUT
// .../locations/{code}/capacity or the CSV import) minus what it holds, and,
// when the layout gives locations a volume (racks.levelHeight) and the SKU
// has dimensions, what is left of that volume over the SKU's; a location
// with neither has room for anything.
//
// Which reserve location, among those with room (with a layout: geometryFrom):
// the shortest walk to the SKU's pick face (the replenishment walk it
// saves), plus a velocity term from its ABC class over the last 30 days
// (A: lower levels first, so fast movers come down quickly; C: higher
// levels first, keeping the low ones free; B: none), 2 m per level.
// Without a layout, or for a SKU without a face, the location with the most
// room wins, then the lowest code; pick faces are always ranked that way.
//
// Refused, nothing moved: a source that is not a dock or staging location
// or holds fewer units, a destination that is not a pick or reserve
// location, a destination full for the quantity, another SKU's reserve
// location, a location of another site than the dock, a different
// destination than suggested (or than the operator was told) without a
// reason.
// Every put-away carries an idempotency key: the same key again changes
// nothing.
//
// Threading: a PutawayService may be used from any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/inbound/Velocity.h"
#include "wms/stock/Events.h"
#include "wms/stock/Moves.h"
#include "wms/store/Database.h"

namespace wms::inbound {

struct PutawaySuggestion {
  std::string location;               // "" when nowhere has room
  std::string rule;                   // "pick face", "reserve with the same SKU", "empty reserve"
  std::optional<std::int64_t> room;   // units it can still take; nullopt: no capacity set
};

// Units waiting at the dock or staging to be put away.
struct BacklogItem {
  std::string sku, location, lot, expiry;
  std::int64_t qty = 0;
  PutawaySuggestion suggestion;
};

// What to put away of one item waiting at the dock.
struct PutawayTask {
  std::string sku, description;
  std::vector<std::string> barcodes;
  std::string from, lot, expiry;
  std::int64_t qty = 0;  // units of it waiting there
  PutawaySuggestion suggestion;
};

struct PutawayInput {
  std::string sku;
  std::string from;  // a dock or staging location
  std::string lot, expiry;
  std::int64_t qty = 0;  // 1..1000000
  std::string to;        // where it was put
  std::string reason;    // required when `to` is not the suggestion (0..200 characters)
  // The suggestion this operator was given (a handheld's putaway.task), if
  // known: going there needs no reason even when the suggestion has moved
  // since (another put-away took the room first). Room is still checked.
  std::string told;
  std::string idempotencyKey;
  stock::Actor who = stock::Actor::integration("rest-api");
};

struct PutawayResult {
  std::int64_t id = 0;
  bool duplicate = false;
  std::string sku, from, to;
  std::int64_t qty = 0;
  std::string suggested;  // what the server suggested at the time
  std::string reason;
};

// Where locations are, from the site's layout (given by wmsd's core: this
// component does not read layouts). Each part may be absent.
struct PutawayGeometry {
  // The walk between two locations in millimetres; nullopt: not on the layout.
  std::function<std::optional<std::int64_t>(const std::string& from, const std::string& to)> walkMm;
  // A location's level (1 = floor); nullopt: not on the layout.
  std::function<std::optional<int>(const std::string& location)> level;
  std::int64_t locationVolumeCm3 = 0;  // what every location holds; 0: no volume
  // The site a location belongs to ("dc", "store"); absent: one site.
  // Goods are never suggested for, nor put away to, another site's
  // location than the dock they wait at.
  std::function<std::string(const std::string& location)> site;
};

class PutawayService {
 public:
  // `db` and `events` must outlive the service.
  PutawayService(store::Database& db, const stock::StockEvents& events);

  // The layout's geometry (see the top of this file). Set once, before the
  // first call.
  void geometryFrom(PutawayGeometry geometry) { geometry_ = std::move(geometry); }
  // Where the SKUs' velocity comes from; default: the ledger's shipments
  // (inbound::velocity). Set once, before the first call.
  using VelocitySource = std::function<Result<std::vector<SkuVelocity>>(store::Tx&, std::int64_t sinceMs)>;
  void velocityFrom(VelocitySource source) { velocity_ = std::move(source); }

  // Where `qty` units of the SKU (of this lot and expiry) should go.
  // Invalid for an unknown SKU or a bad quantity; a suggestion with an
  // empty location when nowhere has room.
  Result<PutawaySuggestion> suggest(const std::string& sku, std::int64_t qty, const std::string& lot = {},
                                    const std::string& expiry = {});
  // The same inside the caller's transaction, for goods waiting at `from`
  // (a dock or staging location; "": the main site's).
  Result<PutawaySuggestion> suggest(store::Tx& tx, const std::string& sku, std::int64_t qty, const std::string& lot,
                                    const std::string& expiry, const std::string& from = {});

  // The item scanned (a label: GS1 with lot and expiry, a GTIN, a SKU
  // code) at the dock or staging location `from`: what of it waits there
  // (the scanned lot and expiry, else the earliest expiry) and where it
  // should go. Invalid for a location of another kind or a scan that
  // cannot be read; NotFound for an unknown item or nothing of it there.
  Result<PutawayTask> task(store::Tx& tx, const std::string& from, const std::string& scan);

  // Everything waiting in dock and staging locations, by location and
  // SKU, each with its suggestion; at most `limit` (1..500).
  Result<std::vector<BacklogItem>> backlog(int limit);

  // See the top of this file.
  Result<PutawayResult> confirm(const PutawayInput& input);
  Result<PutawayResult> confirm(store::Tx& tx, const PutawayInput& input);

  // A location's capacity in units (1..10000000), or none (maxUnits 0).
  // Invalid for an unknown location or a bad figure.
  Status setCapacity(const std::string& location, std::int64_t maxUnits);
  // CSV with a header: location,max_units. All or nothing; an error names
  // the line. Returns the rows applied.
  Result<std::int64_t> importCapacity(std::string_view csv);

 private:
  char abcOf(store::Tx& tx, const std::string& sku);

  store::Database& db_;
  const stock::StockEvents& events_;
  PutawayGeometry geometry_;  // constant after geometryFrom
  VelocitySource velocity_;   // constant after velocityFrom

  // The SKUs' ABC classes, recomputed every 15 minutes. Protected by abcMutex_.
  std::mutex abcMutex_;
  std::map<std::string, char> abc_;
  std::int64_t abcAtMs_ = 0;
};

}  // namespace wms::inbound
