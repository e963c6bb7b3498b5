// What the server keeps of released waves: the waves, their batches (one
// cart trip each), the totes on each cart and the stops of each pick list
// with their puts. Plain data, as stored and as shown by the API.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wms::server::waves {

struct WaveRow {
  std::int64_t id = 0;
  std::string name;
  std::string site;    // "dc" or "store"
  std::string status;  // released | picking | done | cancelled
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
  std::string status;  // ready | assigned | done | cancelled
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

struct StopRow {
  std::int64_t batchId = 0;
  int stopId = 0;
  int seq = 0;
  std::string location, sku, lot, expiry;
  std::int64_t qty = 0;
  std::int64_t picked = 0;
  std::int64_t shortQty = 0;
  std::string status;  // open | picked | short | removed
  std::string reason;
  std::vector<PutRow> puts;
};

}  // namespace wms::server::waves
