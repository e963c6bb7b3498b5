// What the server keeps of released waves: the waves, their batches (one
// cart trip each), the totes on each cart and the stops of each pick list
// with their puts. Plain data, as stored and as shown by the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wms::server::waves {

// Where a wave is: released (batches waiting or on carts), picking (a batch
// has started), done (every batch finished), cancelled.
enum class WaveStatus { Released, Picking, Done, Cancelled };
// Where a batch (one cart trip) is: ready (waiting for a picker), assigned
// (on a picker's handheld), done (picked, short or emptied), cancelled.
enum class BatchStatus { Ready, Assigned, Done, Cancelled };
// Where a stop of a pick list is: open, picked in full, short (fewer units
// found), removed (re-planned, or its order or wave cancelled).
enum class StopStatus { Open, Picked, Short, Removed };

// The lower-case names stored in the database and shown by the API.
constexpr const char* toString(WaveStatus s) noexcept {
  switch (s) {
    case WaveStatus::Released: return "released";
    case WaveStatus::Picking: return "picking";
    case WaveStatus::Done: return "done";
    case WaveStatus::Cancelled: return "cancelled";
  }
  return "?";
}
constexpr const char* toString(BatchStatus s) noexcept {
  switch (s) {
    case BatchStatus::Ready: return "ready";
    case BatchStatus::Assigned: return "assigned";
    case BatchStatus::Done: return "done";
    case BatchStatus::Cancelled: return "cancelled";
  }
  return "?";
}
constexpr const char* toString(StopStatus s) noexcept {
  switch (s) {
    case StopStatus::Open: return "open";
    case StopStatus::Picked: return "picked";
    case StopStatus::Short: return "short";
    case StopStatus::Removed: return "removed";
  }
  return "?";
}

// The status a name stands for; nullopt for any other text.
std::optional<WaveStatus> waveStatusFrom(std::string_view name) noexcept;
std::optional<BatchStatus> batchStatusFrom(std::string_view name) noexcept;
std::optional<StopStatus> stopStatusFrom(std::string_view name) noexcept;

// A finished batch (done or cancelled) takes no more picks.
constexpr bool isFinished(BatchStatus s) noexcept { return s == BatchStatus::Done || s == BatchStatus::Cancelled; }

struct WaveRow {
  std::int64_t id = 0;
  std::string name;
  std::string site;    // "dc" or "store"
  WaveStatus status = WaveStatus::Released;
  std::string trigger; // manual | interval | order_count | cutoff | latest_safe_release
  std::string reason;
  std::string carrier;
  std::int64_t cutoffMs = 0;  // 0: none
  std::string method;
  std::int64_t releasedAtMs = 0;
  std::int64_t finishedAtMs = 0;
  std::int64_t orders = 0, lines = 0, units = 0, batches = 0, plannedMm = 0;
};

struct BatchRow {
  std::int64_t id = 0;
  std::int64_t waveId = 0;
  int number = 0;
  BatchStatus status = BatchStatus::Ready;
  std::string device;
  std::string badge;
  int rev = 1;
  std::string zone;
  int totes = 0;
  std::int64_t units = 0;
  std::int64_t plannedMm = 0;
  bool oversize = false;
  std::int64_t assignedAtMs = 0;
  std::int64_t finishedAtMs = 0;
};

struct ToteRow {
  std::int64_t batchId = 0;
  int number = 0;
  std::string tote;  // the physical tote's code
  std::int64_t orderId = 0;
  bool bound = true;  // false once the tote left the cart (its order was taken off)
};

struct PutRow {
  int tote = 0;  // tote number within the batch
  std::int64_t orderId = 0;
  int lineNo = 0;
  std::int64_t qty = 0;
  std::int64_t picked = 0;
};

// The reason an open stop carries when it waits for an emergency
// replenishment (the picker found the face empty while reserve held the
// SKU), and once a replenishment to its face has brought its units.
inline constexpr const char* kEmergencyStop = "emergency replenishment";
inline constexpr const char* kEmergencyRefilled = "emergency replenishment, refilled";
// The reason a stop carries when a handheld's pick of a stop removed under
// it (a cancel, a replan) did its work: the stop is picked, and a later
// pick of it put more units in the totes than the orders want.
inline constexpr const char* kCoveredStop = "covered by the pick of stop ";

struct StopRow {
  std::int64_t batchId = 0;
  int stopId = 0;
  int seq = 0;
  std::string location, sku, lot, expiry;
  std::int64_t qty = 0;
  std::int64_t picked = 0;
  std::int64_t shortQty = 0;
  StopStatus status = StopStatus::Open;
  std::string reason;
  std::vector<PutRow> puts;
};

}  // namespace wms::server::waves
