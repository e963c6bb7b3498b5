// Replenishment: pick faces refilled from reserve before the pickers need
// it. A pick face has a min/max rule for its SKU; the plan asks for a move
// from reserve when the face, after the picks already released to it, would
// hold less than its minimum (up to its maximum), and for any face (with a
// rule or not) whose released picks need more than it holds. Reserve
// stock is taken first-expiry-first-out, then by location code. The plan is
// computed from the stock as it is now; a confirmation moves the units
// (stock::Moves::transfer: two transfer rows, on-hand unchanged), once per
// idempotency key.
//
// A face a picker found empty while reserve held the SKU (an emergency
// replenishment, WaveService's short handler) comes before every other
// need.
//
// The released picks come from the waves (a DemandSource given by wmsd's
// core, which owns them): this component does not read their tables.
//
// Threading: a ReplenishmentService may be used from any number of threads
// once its demand source is set (before the first call).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "wms/common/Result.h"
#include "wms/stock/Events.h"
#include "wms/stock/Moves.h"
#include "wms/store/Database.h"

namespace wms::inbound {

struct FaceRule {
  std::string location;  // a pick location
  std::string sku;
  std::int64_t min = 0;  // 0..max
  std::int64_t max = 0;  // 1..10000000
};

struct ReplenishmentTask {
  std::string sku, from, to, lot, expiry;
  std::int64_t qty = 0;
  std::string reason;  // "below its minimum of 5 (2 on the face)", "released picks need 12, 4 on the face"
};

struct ReplenishmentInput {
  std::string sku, from, to, lot, expiry;
  std::int64_t qty = 0;
  std::string idempotencyKey;
  stock::Actor who = stock::Actor::integration("rest-api");
};

// Units of each (SKU, location) that released picks still have to take.
using Demand = std::map<std::pair<std::string, std::string>, std::int64_t>;
using DemandSource = std::function<Demand(store::Tx&)>;
// (SKU, pick face) pairs a picker found empty while reserve held the SKU.
using Emergencies = std::set<std::pair<std::string, std::string>>;
using EmergencySource = std::function<Emergencies(store::Tx&)>;

class ReplenishmentService {
 public:
  // `db` and `events` must outlive the service.
  ReplenishmentService(store::Database& db, const stock::StockEvents& events);

  // Where released picks come from; without one only min/max counts.
  void demandFrom(DemandSource source) { demand_ = std::move(source); }
  // Which faces a picker is waiting for (emergency replenishments): their
  // moves come first in the plan, and their reason says so.
  void emergenciesFrom(EmergencySource source) { emergencies_ = std::move(source); }
  // Called inside confirm's transaction after each move booked (not for a
  // duplicate): the waves learn that an emergency face was refilled.
  using MovedHook = std::function<void(store::Tx&, const ReplenishmentInput&)>;
  void onMoved(MovedHook hook) { moved_ = std::move(hook); }

  // Sets (or replaces) the rule of a pick face. Invalid for a location that
  // is not a pick location, an unknown SKU, min above max or bad figures.
  Status setRule(const FaceRule& rule);
  Status removeRule(const std::string& location);
  Result<std::vector<FaceRule>> rules();

  // The moves the faces need now (see the top of this file).
  Result<std::vector<ReplenishmentTask>> plan();
  Result<std::vector<ReplenishmentTask>> plan(store::Tx& tx);

  // A move done. Invalid: `from` not a reserve location, `to` not a pick
  // location, a bad quantity or key; InsufficientStock: `from` holds fewer.
  // The same key again changes nothing (duplicate).
  struct Done {
    bool duplicate = false;
    ReplenishmentInput move;
  };
  Result<Done> confirm(const ReplenishmentInput& input);
  // The same inside the caller's write transaction (the MQTT gateway's).
  Result<Done> confirm(store::Tx& tx, const ReplenishmentInput& input);

 private:
  store::Database& db_;
  const stock::StockEvents& events_;
  DemandSource demand_;
  EmergencySource emergencies_;
  MovedHook moved_;
};

}  // namespace wms::inbound
