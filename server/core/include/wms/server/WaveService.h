// WaveService: orders from every channel become pick work on the floor.
//
// It releases waves (manually or by the automatic triggers of the release
// rules), plans them with wms::waves (allocation to stock slots, batching
// into cart trips, consolidated and routed pick lists), keeps the plan in the
// database, assigns batches to signed-in pickers' handhelds over the
// protocol (by zone, one batch per picker at a time, the next when one
// finishes), and applies what the handhelds report: picks into totes, short
// picks (another location is looked for and added as a stop, or the line is
// short, the location is flagged for a count and the supervisor is told),
// finished batches. Handheld events arrive through the DeviceGateway, each
// applied at most once in the same transaction as its effect.
//
// Two sites: "dc" (the distribution centre's layout; every order but store
// pickups) and "store" (the store backroom's layout; store pickup orders,
// picked from locations of kind "store").
//
// Threading: every public method may be called from any thread. The
// automatic release runs on a thread of its own between start() and stop().
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "wms/common/Result.h"
#include "wms/layouts/Layout.h"
#include "wms/server/Config.h"
#include "wms/server/DeviceGateway.h"
#include "wms/server/Metrics.h"
#include "wms/stock/Events.h"
#include "wms/server/WaveRecords.h"
#include "wms/server/Watchdog.h"
#include "wms/store/Database.h"
#include "wms/waves/Batching.h"
#include "wms/waves/Progress.h"
#include "wms/waves/Release.h"

namespace wms::server {

// What happens to an order with a line the pickers could not find.
enum class ShortPolicy {
  ShipPartial,  // the short units' reservation is freed; the order ships what was found
  Hold,         // the order is held for a supervisor
  CancelLine,   // the short units are cancelled from the order and the channel is told
};

struct WaveConfig {
  std::filesystem::path layout;       // the DC's layout file; empty: waves are off
  std::filesystem::path storeLayout;  // the store backroom's; empty: store pickups go through the DC
  std::string endAt;                  // a packing station name to end trips at; "" = the depot
  wms::waves::CartSpec cart{8, 30, 60000, 20000};
  wms::waves::BatchingMethod method = wms::waves::BatchingMethod::Savings;
  wms::waves::ReleaseConfig release;
  std::vector<wms::waves::DailyCutoff> cutoffs;  // e.g. wms-express@17:00
  int utcOffsetMinutes = 0;
  double pickRateUnitsPerHour = 150;  // until measured
  int totePool = 400;
  std::chrono::seconds autoCheck{10};
  ShortPolicy shortPolicy = ShortPolicy::ShipPartial;
  int minShelfLifeDays = 0;
  // Pickers may type a location, item or tote code whose label will not
  // scan (each confirmation says which were typed; counted and logged).
  bool typedCodes = false;
};

// Reads the waves.* settings (server/wmsd.properties).
Result<WaveConfig> waveConfigFrom(const ServerConfig& config);

struct ReleaseRequest {
  std::vector<std::int64_t> orders;  // empty: every order waiting
  std::string site;                  // "", "dc" or "store"
  std::optional<wms::waves::BatchingMethod> method;
};

struct ReleasedWaves {
  std::vector<waves::WaveRow> waves;
  // Orders the planner could not take (no stock at pick locations, ...);
  // each stays allocated and waiting, and the supervisor is told.
  std::vector<std::pair<std::int64_t, std::string>> rejected;
  // Orders planned into batches that found no free totes: they stay
  // allocated and go with a later release, once totes come back.
  std::vector<std::pair<std::int64_t, std::string>> deferred;
};

struct WaveDetail {
  waves::WaveRow wave;
  std::vector<waves::BatchRow> batches;
  wms::waves::WaveCounts counts;
  std::optional<wms::waves::WaveProgress> progress;
};

struct BatchDetail {
  waves::BatchRow batch;
  std::vector<waves::ToteRow> totes;
  std::vector<waves::StopRow> stops;
};

// The pool of physical totes, now.
struct TotePool {
  std::int64_t size = 0;
  std::int64_t free = 0;         // can be handed to a batch now
  std::int64_t onCarts = 0;      // bound to a batch still being picked (ready or assigned)
  std::int64_t holding = 0;      // bound to a finished batch, still holding picked units
  std::int64_t lowestFree = -1;  // the fewest free since wmsd started (-1: no release yet)
  std::int64_t boundTwice = 0;   // totes on two live batches at once: always 0 (the schema refuses it)
};

class WaveService {
 public:
  // Loads the layouts and checks the config. Registers its event handlers
  // (pick.confirm, pick.short, batch.done, after signin) and the reclaim of
  // a silent device's work with the gateway, so it must be made before the
  // gateway starts. Errors: a layout that does not load (Invalid).
  static Result<std::unique_ptr<WaveService>> create(WaveConfig config, store::Database& db, DeviceGateway& gateway,
                                                     Metrics& metrics, const stock::StockEvents& events);
  ~WaveService();
  WaveService(const WaveService&) = delete;
  WaveService& operator=(const WaveService&) = delete;

  // The schema of the waves tables (pass it to DatabaseOptions::schemas).
  static const store::Schema& schema();
  // Makes sure the tote pool exists; starts the automatic release.
  Status start();
  void stop();

  // Releases waves now: every batch that gets its totes from the pool; the
  // orders of batches that do not fit wait for a later release (deferred).
  // Errors: Invalid for nothing to release ("no orders are waiting" / an
  // order id that is not waiting, named), Conflict when no batch could get
  // totes ("no free tote").
  Result<ReleasedWaves> release(const ReleaseRequest& request);
  // What would be released now, with due / late flags, without releasing.
  Result<std::vector<wms::waves::WaveProposal>> preview(const std::string& site);

  Result<std::vector<waves::WaveRow>> listWaves(std::optional<waves::WaveStatus> status, std::int64_t beforeId, int limit);
  Result<WaveDetail> wave(std::int64_t id);
  Result<std::vector<waves::BatchRow>> listBatches(std::int64_t waveId, std::optional<waves::BatchStatus> status, int limit);
  Result<BatchDetail> batch(std::int64_t id);
  Result<TotePool> totePool();
  // Cancels a wave's batches that have not started (their orders wait
  // again); Conflict if picking has started on one of them.
  Result<waves::WaveRow> cancelWave(std::int64_t id, const std::string& reason);
  // Takes a batch from its device (it gets task.cancel) and gives it to
  // `device` (which must be a signed-in picker without a batch), or back to
  // the queue when `device` is empty.
  Result<waves::BatchRow> reassignBatch(std::int64_t id, const std::string& device);

  // Takes a cancelled (or intercepted) order off the pick lists it is on
  // (inside the cancelling transaction; the devices get task.update). A batch left with
  // nothing to pick is finished at once: cancelled (the device gets
  // task.cancel) if nothing was picked on it, else done.
  Status dropReleasedOrder(store::Tx& tx, domain::OrderId order);
  // An order shipped (inside the shipping transaction): the totes it
  // emptied go back to the pool.
  void orderShippedInTx(store::Tx& tx, domain::OrderId order);
  // Why an order waits at the stage the watchdog found it stuck in
  // (allocated: no free tote, no wave; released: no picker, a silent
  // handheld); "" for stages the waves do not own. Inside a Tx.
  std::string whyStuck(store::Tx& tx, Stage stage, const domain::Order& order);
  // Units that released batches (ready or assigned) still have to pick, per
  // (SKU, warehouse pick face): what replenishment must leave on each face
  // (a store's shelves are not refilled from reserve).
  std::map<std::pair<std::string, std::string>, std::int64_t> openPicks(store::Tx& tx);
  // Locations frozen for picks at a time (ms): being counted. No wave
  // plans a pick there and a short's replan does not go there. Set once,
  // before the gateway starts; the function is called inside transactions.
  using FrozenLocations = std::function<std::set<std::string>(std::int64_t nowMs)>;
  void frozenFrom(FrozenLocations frozen);
  // The (SKU, pick face) pairs a picker found empty while reserve held the
  // SKU: their open emergency stops wait for a replenishment first.
  std::set<std::pair<std::string, std::string>> emergencyFaces(store::Tx& tx);
  // `qty` units of the SKU were brought to the face: the emergency stops
  // there they cover (oldest first) are refilled and leave the emergencies.
  void emergencyRefilled(store::Tx& tx, const std::string& sku, const std::string& location, std::int64_t qty);
  // The distribution centre's layout (waves.layout), or nullptr when waves
  // are off. Immutable; valid for the life of the service.
  const layouts::Layout* dcLayout() const noexcept;
  // The store's layout (waves.store_layout), or nullptr; as dcLayout().
  const layouts::Layout* storeLayout() const noexcept;

 private:
  struct Impl;
  explicit WaveService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wms::server
