// Wave release: which waiting orders become which waves, in which sequence,
// and when the automatic triggers fire. Pure: "now" is a parameter.
//
// Grouping (ReleaseConfig): one wave per carrier (hence per cutoff), per
// priority class (store pickup, express, standard), and optionally per zone
// and per channel. Sequence of the waves (what the floor picks first):
//   1. waves that are due (now is at or past their latest safe release time),
//      earliest cutoff first;
//   2. then by priority class: store pickup, express, standard;
//   3. then earliest cutoff (waves without a cutoff last), then oldest order.
// Orders within a wave: priority class, priority (higher first), oldest first, id.
//
// Timing. throughput = pickRate.unitsPerHourPerPicker x pickRate.pickers. For
// a wave with a cutoff, work(cutoff) = backlog units + the units of every
// waiting wave whose cutoff is at or before it (earliest-deadline-first), and
//   latest safe release = cutoff - safety margin - work(cutoff) / throughput.
// Expected finish, if everything waiting were released now in the sequence
// above: now + (backlog + units of this wave and all before it) / throughput;
// a wave is late when that is after its cutoff minus the safety margin.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/waves/Planning.h"

namespace wms::waves {

enum class PriorityClass { StorePickup, Express, Standard };
const char* toString(PriorityClass cls) noexcept;  // "store_pickup", "express", "standard"
PriorityClass priorityClassOf(domain::ServiceLevel level) noexcept;

// Supervisor-configured release rules. Config keys (docs/waves.md) in brackets.
struct ReleaseConfig {
  bool byCarrier = true;             // [group_by_carrier] one wave per carrier and cutoff
  bool byPriorityClass = true;       // [group_by_priority] store pickup / express / standard apart
  bool byZone = false;               // [group_by_zone] PlanOrder::zone apart
  bool byChannel = false;            // [group_by_channel] each sales channel apart
  int maxOrdersPerWave = 0;          // [max_orders_per_wave] 0 = no limit; larger groups split in sequence
  std::int64_t maxUnitsPerWave = 0;  // [max_units_per_wave] 0 = no limit
  // Automatic release triggers (0 = off):
  int everyMinutes = 0;         // [auto_every_minutes] release everything waiting this often
  int whenOrdersWaiting = 0;    // [auto_when_orders_waiting] release everything at this many orders
  int minutesBeforeCutoff = 0;  // [auto_minutes_before_cutoff] release a cutoff's waves this long before it
  bool atLatestSafeRelease = true;  // [auto_at_latest_safe_release] release a wave when it becomes due
  int safetyMarginMinutes = 15;     // [safety_margin_minutes] packing and loading after picking
};

// Ok, or an Invalid error naming the key ("max_orders_per_wave must be >= 0").
Status validateReleaseConfig(const ReleaseConfig& config);

// Measured picking rate (units per hour per picker) and pickers on the floor.
struct PickRate {
  double unitsPerHourPerPicker = 0;
  int pickers = 0;
};

// What release needs besides the orders.
struct ReleaseContext {
  std::span<const CarrierCutoff> cutoffs;  // by carrier; a carrier not listed has no cutoff
  PickRate rate;                           // both > 0
  std::int64_t backlogUnits = 0;           // units released earlier and not yet picked
  int utcOffsetMinutes = 0;                // for wave names and reasons only
};

struct WaveProposal {
  std::string name;     // for people: "kerry 17:00 express", "store_pickup", "shopee standard zone A"
  std::string carrier;  // "" when not grouped by carrier
  std::optional<Millis> cutoffMs;              // the earliest cutoff among its orders
  std::optional<PriorityClass> priorityClass;  // when grouped by priority class
  std::string zone;                            // when grouped by zone
  std::optional<domain::Channel> channel;      // when grouped by channel
  std::vector<OrderId> orders;                 // in picking sequence
  std::int64_t lines = 0;
  std::int64_t units = 0;
  std::optional<Millis> latestReleaseMs;  // with a cutoff
  Millis expectedFinishMs = 0;            // if released now, in this sequence
  bool due = false;                       // now >= latestReleaseMs
  bool late = false;                      // expected finish after cutoff - safety margin
};

// Groups and sequences `waiting` as above. Manual release is this call on the
// orders the supervisor selected. Errors: Invalid for an empty selection
// ("nothing to release: no orders selected"), a bad config, a pick rate that
// is not positive, a carrier with two cutoffs, or orders failing validateOrders().
Result<std::vector<WaveProposal>> proposeWaves(std::span<const PlanOrder> waiting, Millis nowMs,
                                               const ReleaseConfig& config, const ReleaseContext& context);

enum class Trigger { Interval, OrderCount, Cutoff, LatestSafeRelease };
const char* toString(Trigger trigger) noexcept;  // "interval", "order_count", "cutoff", "latest_safe_release"

struct ReleaseDecision {
  std::vector<WaveProposal> waves;  // what to release now, in sequence
  std::vector<Trigger> triggers;    // every trigger that fired
  std::string reason;               // for the supervisor, one sentence per trigger
};

struct ReleaseState {
  std::span<const PlanOrder> waiting;   // orders holding stock, not yet released
  std::optional<Millis> lastReleaseMs;  // unset: never released (the oldest waiting order counts)
  ReleaseContext context;
};

// Whether the automatic triggers release something now: the interval and
// order-count triggers release everything waiting; the cutoff and latest-safe
// -release triggers release only the waves they fire for. Nothing waiting or
// nothing firing: an empty optional. Errors: as proposeWaves().
Result<std::optional<ReleaseDecision>> autoRelease(const ReleaseState& state, Millis nowMs,
                                                   const ReleaseConfig& config);

}  // namespace wms::waves
