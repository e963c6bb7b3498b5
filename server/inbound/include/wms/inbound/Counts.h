// Cycle counts: keeping the records true, one location at a time.
//
// A count task is one stock row (SKU, lot, expiry) at one location, made on
// demand (a location, optionally one SKU there) or for every row a short
// pick flagged (stock::Moves::requestCount). The counter counts blind: the
// task does not show the recorded figure until it is settled.
//
// A count is compared with the figure recorded at the moment it is entered
// (so picks between the task and the count are not variance). Within the
// tolerance (inbound.count_variance_units, or _percent of the recorded
// figure, whichever is larger) the difference is booked at once
// (stock::Moves::count, cause cycle_count). Over it, the row is counted
// again; a second count over the tolerance waits for a supervisor's
// approval, and the approved difference is booked against the figure as it
// is then (so picks while it waited are kept). A rejected count goes back
// to be counted again. Every count carries an idempotency key: the same key
// again changes nothing; a count entered for a task that is not waiting for
// one is refused.
//
// Threading: a CountService may be used from any number of threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/inbound/Velocity.h"
#include "wms/stock/Events.h"
#include "wms/stock/Moves.h"
#include "wms/store/Database.h"

namespace wms::inbound {

struct CountConfig {
  std::int64_t varianceUnits = 0;  // a difference this small is booked without a recount
  int variancePercent = 0;         // ...or this share of the recorded figure
};

// From wmsd's settings: inbound.count_variance_units (0..1000000),
// inbound.count_variance_percent (0..100), both default 0.
Result<CountConfig> countConfigFrom(const std::map<std::string, std::string>& settings);

enum class CountStatus { Open, Recount, Approval, Done };
const char* toString(CountStatus status) noexcept;  // "open", "recount", "approval", "done"

struct CountTask {
  std::int64_t id = 0;
  std::string location, sku, lot, expiry;
  std::string reason;  // "on demand", "short pick"
  CountStatus status = CountStatus::Open;
  std::optional<std::int64_t> firstCount, secondCount;
  // The recorded figure each count was compared with, and the difference
  // booked: shown once the task is waiting for approval or done.
  std::optional<std::int64_t> firstExpected, secondExpected, booked;
  std::string countedBy, approvedBy;
  std::int64_t createdAtMs = 0;
};

class CountService {
 public:
  // `db` and `events` must outlive the service.
  CountService(store::Database& db, const stock::StockEvents& events, CountConfig config = {});

  // Tasks for the stock rows at `location` (only `sku`'s if given); a row
  // with an unsettled task is not given a second one. Invalid for an
  // unknown location or SKU, or nothing recorded there.
  Result<std::vector<CountTask>> create(const std::string& location, const std::string& sku, const std::string& reason);
  Result<std::vector<CountTask>> create(store::Tx& tx, const std::string& location, const std::string& sku,
                                        const std::string& reason);
  // The tasks waiting for a count (open or recount), by location, at most
  // `limit` (1..500): what a counter's handheld is given.
  Result<std::vector<CountTask>> waiting(store::Tx& tx, int limit);
  // Tasks for every row a short pick flagged for a count.
  Result<std::vector<CountTask>> fromShortPicks();

  // Counts by class (Velocity.h): every pick or reserve row of a SKU whose
  // last settled count of that row is older than its class's interval (or
  // that was never counted) gets a task, fastest SKUs first, at most
  // `limit` (1..10000). Invalid for intervals outside 1..3650 days.
  struct AbcPlan {
    int velocityDays = 30;  // the period the classes are measured over
    int aDays = 30, bDays = 90, cDays = 180;
    int limit = 500;
  };
  Result<std::vector<CountTask>> planByClass(const AbcPlan& plan);
  // The classes the plan uses: units shipped per SKU over the last `days`.
  Result<std::vector<SkuVelocity>> velocityOver(int days);

  Result<CountTask> get(std::int64_t id);
  // Newest first; `status` "" for all; limit 1..500.
  Result<std::vector<CountTask>> list(const std::string& status, int limit);

  // A count of the task's row (0..1000000 units). See the top of this file.
  Result<CountTask> submit(std::int64_t id, std::int64_t counted, const std::string& idempotencyKey,
                           const stock::Actor& who);
  // The same inside the caller's write transaction (the MQTT gateway's):
  // the SKUs whose figure the count changed are appended to `changed`, to
  // be announced with committed() once the transaction has committed.
  Result<CountTask> submit(store::Tx& tx, std::int64_t id, std::int64_t counted, const std::string& idempotencyKey,
                           const stock::Actor& who, std::vector<std::string>& changed);
  // Tells the channels the new figures of `skus` (StockEvents::committed).
  void committed(const std::vector<std::string>& skus) const { events_.committed(skus); }
  // The supervisor settles a task waiting for approval: the difference of
  // the second count is booked (Conflict if the figure it would leave is
  // below what orders hold there), or the row is counted again.
  Result<CountTask> approve(std::int64_t id, const std::string& by);
  Result<CountTask> reject(std::int64_t id, const std::string& by);

 private:
  store::Database& db_;
  const stock::StockEvents& events_;
  const CountConfig config_;
};

}  // namespace wms::inbound
