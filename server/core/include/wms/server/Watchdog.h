// Watchdog: notices work that has stopped moving.
//
// Every `every`, it looks for orders that have sat in one stage of the
// outbound flow longer than that stage's limit: waiting for a wave
// (allocated), on the floor (released or picking: no pick confirmed), picked
// and not packed, packed and not shipped. Each such order raises ONE
// supervisor exception, kind "order_stuck", reference "order:<id>/<stage>",
// whose message says how long and why, as far as the server can tell (no
// free tote, a batch no picker has, a silent handheld, a pack not confirmed):
// the components that own a stage explain it (explain()). When the order
// moves on, its exception is resolved by the watchdog ("moved on: now
// <status>"). /metrics shows the current number per stage as the gauge
// orders_stuck{stage="..."} and new ones as orders_stuck_raised_total.
//
// A stage whose limit is 0 is not watched. Errors of a sweep (a database
// that cannot be read or written) are logged once per outage, counted in
// watchdog_failures_total, and retried with a growing pause; they never stop
// the loop.
//
// Threading: start() runs the sweeps on a thread of its own until stop();
// sweep() may be called from any thread (tests call it directly).
// explain() must be called before start().
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/server/Config.h"
#include "wms/server/Metrics.h"
#include "wms/store/Database.h"

namespace wms::server {

enum class Stage { Allocated, Released, Picked, Packed };
inline constexpr std::array<Stage, 4> kStages = {Stage::Allocated, Stage::Released, Stage::Picked, Stage::Packed};
// "allocated", "released", "picked", "packed"
const char* toString(Stage stage) noexcept;
// The stage an order in `status` is in; nullopt for statuses at rest
// (backordered, held, shipped, cancelled).
std::optional<Stage> stageOf(domain::OrderStatus status) noexcept;

struct WatchdogConfig {
  std::chrono::seconds every{30};
  // How long an order may sit in each stage before it counts as stuck; 0: never.
  std::chrono::seconds allocatedAfter{3600};
  std::chrono::seconds releasedAfter{1800};
  std::chrono::seconds pickedAfter{3600};
  std::chrono::seconds packedAfter{1800};

  std::chrono::seconds limit(Stage stage) const;
};

// Reads the watchdog.* settings (server/wmsd.properties); Invalid names the key.
Result<WatchdogConfig> watchdogConfigFrom(const ServerConfig& config);

// Stuck orders per stage, as of one sweep.
struct StuckCounts {
  std::array<std::int64_t, kStages.size()> byStage{};
  std::int64_t raised = 0;    // exceptions this sweep raised
  std::int64_t resolved = 0;  // exceptions this sweep resolved (the order moved on)
  std::int64_t total() const;
};

class Watchdog {
 public:
  // Why an order has not left `stage`: one sentence for the supervisor, or
  // "" when this explainer does not know. Runs inside the sweep's write Tx.
  using Explainer = std::function<std::string(store::Tx&, Stage, const domain::Order&)>;

  Watchdog(WatchdogConfig config, store::Database& db, Metrics& metrics);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Adds an explainer; the first that knows is used. Before start().
  void explain(Explainer explainer);

  void start();
  void stop();

  // One sweep now: raises the exceptions of orders stuck past their stage's
  // limit, resolves those of orders that moved on, updates the gauges.
  Result<StuckCounts> sweep();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wms::server
