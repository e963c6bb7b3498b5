// The demo's packer: packs and ships a picked order through the packing
// REST API the packing-station page uses (docs/packing.md): open a session
// on the order, follow the carton suggestion (open each suggested carton,
// scan its units by barcode, close it), complete, book the shipment with its
// labels printed, and confirm the shipment with an idempotency key.
//
// Resumable: wmsd may be killed between any two steps, or the answer of
// one lost. Each call starts from the order as the server has it, so a
// station calls it again for an order it could not finish and it carries on
// from there without applying anything twice (see packAndShip).
#pragma once

#include <cstdint>
#include <string>

#include "wms/apiclient/Client.h"
#include "wms/common/Result.h"

namespace wms::demo {

struct Shipped {
  std::string trackingNumber;  // empty when it was found shipped already
  std::int64_t cartons = 0;    // packed by this call
  std::int64_t units = 0;      // scanned by this call
};

// Packs and ships order `orderId` at `station`, from where the server has
// it (GET /api/v1/orders/{id}): shipped is done already; packed has its
// shipment (booked if none is) shipped with the key "demo-ship-<id>", so a
// confirmation whose answer was lost is not applied twice; picked is packed
// in a session first. A session left half-done by an earlier call (units
// scanned, cartons opened) is abandoned and a fresh one started, so that no
// scan counts twice.
//
// Errors: Unavailable when wmsd is away or a step's outcome is unknown (its
// answer was lost): call again later. Conflict "order N is <status>" for an
// order in another state (held or cancelled meanwhile). Any other refusal
// names the step and the server's answer; a scan the station rejects (wrong
// item, over-scan) is one too, since the demo scans only what the session
// lists.
Result<Shipped> packAndShip(apiclient::Client& client, std::int64_t orderId, const std::string& station);

}  // namespace wms::demo
