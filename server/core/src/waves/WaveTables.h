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
  std::vector<WaveRow> waves(const std::string& status, std::int64_t beforeId, int limit);
  void setWaveStatus(std::int64_t id, const std::string& status);
  void addWaveOrder(std::int64_t waveId, std::int64_t orderId, std::int64_t batchId);
  std::vector<std::int64_t> waveOrders(std::int64_t waveId);

  std::int64_t insertBatch(const BatchRow& batch);
  std::optional<BatchRow> batch(std::int64_t id);
  std::vector<BatchRow> batches(std::int64_t waveId, const std::string& status, int limit);
  std::vector<BatchRow> batchesOfDevice(const std::string& device, const std::string& status);
  // When the device last finished a batch (ms), 0 if never.
  std::int64_t lastFinishedMs(const std::string& device);
  void assignBatch(std::int64_t id, const std::string& device, const std::string& badge, int rev);
  void setBatchStatus(std::int64_t id, const std::string& status);
  void setBatchRev(std::int64_t id, int rev);

  void insertTote(const ToteRow& tote);
  std::vector<ToteRow> totes(std::int64_t batchId);

  void insertStop(const StopRow& stop);
  std::vector<StopRow> stops(std::int64_t batchId);
  std::optional<StopRow> stop(std::int64_t batchId, int stopId);
  void setStopDone(std::int64_t batchId, int stopId, std::int64_t picked, std::int64_t shortQty,
                   const std::string& status, const std::string& reason);
  void setStopSeq(std::int64_t batchId, int stopId, int seq);
  void setPutPicked(std::int64_t batchId, int stopId, int tote, std::int64_t orderId, int lineNo,
                    std::int64_t picked);
  // Units planned but not yet picked at (sku, location, lot): what open stops
  // of active batches will still take from that slot.
  std::int64_t plannedOpen(const std::string& sku, const std::string& location, const std::string& lot);
  // All such open quantities at once, keyed "sku|location|lot".
  std::vector<std::pair<std::string, std::int64_t>> plannedOpenAll();
  int maxStopId(std::int64_t batchId);

  // Physical totes: a pool of codes; a tote is busy from its batch's release
  // until the order in it is packed (or its batch is cancelled empty).
  void ensureTotePool(int size);
  std::vector<std::string> takeFreeTotes(int count, std::int64_t batchId);
  void freeTote(const std::string& tote);
  std::int64_t freeToteCount();

  // Picked units of an order line in a tote (what shipping takes out);
  // the table is the packing schema's.
  void addPicked(std::int64_t orderId, int lineNo, const std::string& tote, const std::string& sku,
                 const std::string& lot, const std::string& expiry, std::int64_t qty);

  // Units picked in the last `sinceMs` and the pickers who picked them, for the pick rate.
  std::pair<std::int64_t, std::int64_t> recentPicks(std::int64_t sinceMs);
  // Units released to the floor and not yet picked or shorted.
  std::int64_t backlogUnits();

 private:
  store::Tx& tx_;
};

// The location code of a tote's contents: "TOTE-<code>".
std::string toteLocation(const std::string& tote);

}  // namespace wms::server::waves
