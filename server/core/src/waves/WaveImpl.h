// Internal: WaveService's state and the pieces its source files share.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "WaveTables.h"
#include "wms/layouts/Layout.h"
#include "wms/protocol/Messages.h"
#include "wms/server/WaveService.h"

namespace wms::server {

struct WaveService::Impl {
  // Constant after create().
  WaveConfig config;
  store::Database& db;
  DeviceGateway& gateway;
  Metrics& metrics;
  const stock::StockEvents& events;
  std::optional<layouts::Layout> dc;
  std::optional<layouts::Layout> store;

  // Set once before the gateway starts (WaveService::frozenFrom).
  WaveService::FrozenLocations frozenSource;
  std::set<std::string> frozenAt(std::int64_t nowMs) const { return frozenSource ? frozenSource(nowMs) : std::set<std::string>{}; }

  // Protected by mutex.
  std::mutex mutex;
  std::condition_variable cv;
  bool stopping = false;
  std::thread autoThread;
  // The tote pool could not be checked at start (the database could not
  // write): the auto-release loop does it before anything else.
  std::atomic<bool> poolPending{false};

  // Written inside write transactions (one at a time), read by the watchdog
  // and /metrics: when a release last left batches without totes, and the
  // fewest free totes seen since start (-1: not yet measured).
  std::atomic<std::int64_t> toteShortageAtMs{0};
  std::atomic<std::int64_t> lowestFreeTotes{-1};

  Impl(WaveConfig c, store::Database& d, DeviceGateway& g, Metrics& m, const stock::StockEvents& e)
      : config(std::move(c)), db(d), gateway(g), metrics(m), events(e) {}

  const layouts::Layout* layoutOf(const std::string& site) const {
    if (site == "store") return store ? &*store : nullptr;
    return dc ? &*dc : nullptr;
  }
  // The site an order is picked at: store pickups at the store (if it has a layout).
  std::string siteOf(domain::ServiceLevel level) const {
    return level == domain::ServiceLevel::StorePickup && store ? "store" : "dc";
  }

  // ---- planning (WaveService.cpp) ----
  struct Planned {
    std::vector<waves::WaveRow> waves;
    std::vector<std::pair<std::int64_t, std::string>> rejected;
    std::vector<std::pair<std::int64_t, std::string>> deferred;  // no free totes for their batch
  };
  // Plans and stores waves for `orders` (all waiting, of one site), as
  // proposed by the release rules or as given by `decision`. Inside a write.
  Result<Planned> releaseInTx(store::Tx& tx, const std::vector<std::int64_t>& orderIds, const std::string& site,
                              std::optional<wms::waves::BatchingMethod> method, const std::string& trigger,
                              const std::string& reason, Replies& replies);

  // ---- floor (Assignment in WaveService.cpp, handlers in PickHandlers.cpp) ----
  // Gives ready batches to signed-in pickers that have none.
  void assignWork(store::Tx& tx, Replies& replies);
  // The task.assign of a batch for its device (its open stops; at least one).
  protocol::TaskAssign taskAssign(store::Tx& tx, const waves::BatchRow& batch);
  // A device's assigned batch sent to it again (it signed in again, came
  // back online): its task.assign, or, with no open stop left, the batch
  // finished (finishIfNothingLeft) and nothing sent.
  void resendBatch(store::Tx& tx, const waves::BatchRow& batch, Replies& replies);
  void registerHandlers();
  Status reclaim(store::Tx& tx, const std::string& device, SilentPolicy policy, Replies& replies);
  // Removes an order from its open stops (it was cancelled after release).
  Status dropOrder(store::Tx& tx, domain::OrderId order, Replies& replies);
  // Recomputes an order's status from its lines after picks and shorts.
  void refreshOrderStatus(store::Tx& tx, domain::OrderId order);
  void refreshWaveStatus(store::Tx& tx, std::int64_t waveId);
  // A batch with no open stop left is finished: done if anything was picked
  // or reported short on it, else cancelled (its device, if any, gets
  // task.cancel with `why`); its empty totes go back to the pool. False if
  // the batch still has open stops (nothing changes).
  bool finishIfNothingLeft(store::Tx& tx, const waves::BatchRow& batch, const std::string& why, Replies& replies);
  // Updates the free-tote gauges (totes_free, totes_free_lowest).
  void noteFreeTotes(waves::WaveTables& tables);

  void autoLoop();
};

// The cart position of tote number n (1-based): A1..A4, B1..B4, ...
std::string cartSlot(int number);

}  // namespace wms::server
