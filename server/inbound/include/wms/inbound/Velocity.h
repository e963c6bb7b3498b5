// How fast SKUs move: units shipped per SKU over a period (the ledger's
// ship rows), and their ABC class. Cycle counts are planned by class, and
// slotting will read the same figures.
//
// Threading: pure functions, and a read on the database.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "wms/common/Result.h"
#include "wms/store/Database.h"

namespace wms::inbound {

struct SkuVelocity {
  std::string sku;
  std::int64_t units = 0;  // shipped in the period
  char abc = 'C';
};

// ABC classes by units, fastest first: A the SKUs that make up the first
// 80% of all units, B the next 15%, C the rest and SKUs that did not move.
// Ties keep the SKU code order. Pure.
std::vector<SkuVelocity> classify(std::vector<std::pair<std::string, std::int64_t>> unitsBySku);

// Units shipped per SKU since `sinceMs`, for every SKU in the catalogue,
// classified.
Result<std::vector<SkuVelocity>> velocity(store::Tx& tx, std::int64_t sinceMs);

}  // namespace wms::inbound
