// Internal: the waves schema (component "waves") and the SQL over it:
// released waves, their batches (one cart trip each), the totes on each
// cart, the stops of each pick list with their puts, the pool of physical
// totes, and which order line's picked units sit in which tote.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wms/server/WaveRecords.h"
#include "wms/store/Migrations.h"
#include "wms/store/Tx.h"

namespace wms::server::waves {

const store::Schema& wavesSchema();

class WaveTables {
 public:
  explicit WaveTables(store::Tx& tx) : tx_(tx) {}

  std::int64_t insertWave(const WaveRow& wave);
  std::optional<WaveRow> wave(std::int64_t id);
  // Newest first; every status when `status` is empty.
  std::vector<WaveRow> waves(std::optional<WaveStatus> status, std::int64_t beforeId, int limit);
  void setWaveStatus(std::int64_t id, WaveStatus status);
  void addWaveOrder(std::int64_t waveId, std::int64_t orderId, std::int64_t batchId);
  std::vector<std::int64_t> waveOrders(std::int64_t waveId);

  std::int64_t insertBatch(const BatchRow& batch);
  std::optional<BatchRow> batch(std::int64_t id);
  // Of one wave (or all when waveId is 0), of one status (or all when empty).
  std::vector<BatchRow> batches(std::int64_t waveId, std::optional<BatchStatus> status, int limit);
  std::vector<BatchRow> batchesOfDevice(const std::string& device, BatchStatus status);
  // When the device last finished a batch (ms), 0 if never.
  std::int64_t lastFinishedMs(const std::string& device);
  void assignBatch(std::int64_t id, const std::string& device, const std::string& badge, int rev);
  void setBatchStatus(std::int64_t id, BatchStatus status);
  void setBatchRev(std::int64_t id, int rev);

  // Puts a tote the pool gave to the batch (takeFreeTotes) on its cart.
  void insertTote(const ToteRow& tote);
  // The batch's totes, those freed since (an order taken off) included.
  std::vector<ToteRow> totes(std::int64_t batchId);
  // The ready or assigned batches an order is on.
  std::vector<std::int64_t> openBatchesOfOrder(std::int64_t orderId);
  // The batch of the order's latest wave, if it was ever released.
  std::optional<std::int64_t> latestBatchOfOrder(std::int64_t orderId);
  int openStopCount(std::int64_t batchId);

  void insertStop(const StopRow& stop);
  std::vector<StopRow> stops(std::int64_t batchId);
  std::optional<StopRow> stop(std::int64_t batchId, int stopId);
  void setStopDone(std::int64_t batchId, int stopId, std::int64_t picked, std::int64_t shortQty,
                   StopStatus status, const std::string& reason);
  void setPutPicked(std::int64_t batchId, int stopId, int tote, std::int64_t orderId, int lineNo,
                    std::int64_t picked);
  // Units planned but not yet picked at (sku, location, lot): what open stops
  // of active batches will still take from that slot.
  std::int64_t plannedOpen(const std::string& sku, const std::string& location, const std::string& lot);
  // All such open quantities at once, keyed "sku|location|lot".
  std::vector<std::pair<std::string, std::int64_t>> plannedOpenAll();
  int maxStopId(std::int64_t batchId);

  // Physical totes: a pool of codes (T-0001 ...). A tote is bound to one
  // batch from the batch's release until nothing is left in it and the batch
  // is finished (done or cancelled), or until the order it holds is taken
  // off the cart. The schema refuses a tote bound to two batches at once.
  void ensureTotePool(int size);
  // Frees the totes of finished batches that hold nothing; how many.
  int releaseFinishedTotes();
  // Binds `count` free, empty totes to batch `batchId`; none if fewer are free.
  std::vector<std::string> takeFreeTotes(int count, std::int64_t batchId);
  // Unbinds a tote from its batch and gives it back to the pool.
  void freeTote(const std::string& tote);
  // Totes that takeFreeTotes could hand out now, and the pool's size.
  std::int64_t freeToteCount();
  // True while units sit in the tote's location.
  bool toteHoldsStock(const std::string& tote);
  std::int64_t totePoolSize();

  // Units picked in the last `sinceMs` and the pickers who picked them, for the pick rate.
  std::pair<std::int64_t, std::int64_t> recentPicks(std::int64_t sinceMs);
  // Units released to the floor and not yet picked or shorted.
  std::int64_t backlogUnits();

 private:
  store::Tx& tx_;
};

}  // namespace wms::server::waves
