// The demo's packer: packs and ships a picked order through the packing
// REST API the packing-station page uses (docs/packing.md): open a session
// on the order, follow the carton suggestion (open each suggested carton,
// scan its units by barcode, close it), complete, book the shipment with its
// labels printed, and confirm the shipment with an idempotency key.
#pragma once

#include <cstdint>
#include <string>

#include "wms/apiclient/Client.h"
#include "wms/common/Result.h"

namespace wms::demo {

struct Shipped {
  std::string trackingNumber;
  std::int64_t cartons = 0;
  std::int64_t units = 0;
};

// Packs and ships order `orderId` (status picked) at `station`. A refusal at
// any step is an Error naming the step and the server's answer; a scan the
// station rejects (wrong item, over-scan) is an error too, since the demo
// scans only what the session lists.
Result<Shipped> packAndShip(apiclient::Client& client, std::int64_t orderId, const std::string& station);

}  // namespace wms::demo
