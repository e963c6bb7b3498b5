// A packing station driven over wmsd's packing REST routes, as the station
// page does: the order's session started by its reference, every carton of
// the suggestion opened, each unit scanned by its first barcode (or its SKU
// code), closed, and the session completed. Suites use it to get orders
// packed without a person or a handheld.
//
// Threading: call from the test's thread.
#pragma once

#include <cstdint>
#include <string>

#include "wms/common/Result.h"
#include "wms/testsupport/WmsdProcess.h"

namespace wms::testsupport {

// Packs order `orderId` at `station` (not shipped). An error names the
// request that wmsd refused and its answer.
Status packOverRest(const WmsdProcess& wmsd, std::int64_t orderId, const std::string& station);

}  // namespace wms::testsupport
