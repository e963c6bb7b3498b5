// The inbound endpoints (docs/inbound.md), on the one router:
//   POST /api/v1/inbound/purchase-orders               a purchase order with its notice (JSON)
//   POST /api/v1/import/purchase-orders                the same from CSV (text/csv)
//   GET  /api/v1/inbound/purchase-orders?status=&q=&limit=
//   GET  /api/v1/inbound/purchase-orders/{id}
//   POST /api/v1/inbound/purchase-orders/{id}/receipts a receipt from a scan or a SKU
//   POST /api/v1/inbound/purchase-orders/{id}/units/{sscc}/receive   a whole announced unit
//   POST /api/v1/inbound/purchase-orders/{id}/close
//   GET  /api/v1/inbound/putaway/backlog?limit=         what waits at the dock, with suggestions
//   GET  /api/v1/inbound/putaway/suggestion?sku=&qty=&lot=&expiry=
//   POST /api/v1/inbound/putaway                       a put-away done (to the suggestion, or with a reason)
//   PUT  /api/v1/inbound/locations/{code}/capacity     {"max_units"}: 0 removes the limit
//   POST /api/v1/import/location-capacity              the same from CSV (location,max_units)
//   GET  /api/v1/inbound/pick-faces                    the faces' min/max rules
//   PUT  /api/v1/inbound/pick-faces/{location}         {"sku", "min", "max"}; DELETE removes it
//   GET  /api/v1/inbound/replenishment                 the moves the faces need now
//   POST /api/v1/inbound/replenishment                 a move done
//   POST /api/v1/inbound/counts                        {"location", "sku", "reason"}: count tasks
//   POST /api/v1/inbound/counts/from-short-picks       tasks for the rows short picks flagged
//   GET  /api/v1/inbound/counts?status=&limit=
//   GET  /api/v1/inbound/counts/{id}
//   POST /api/v1/inbound/counts/{id}/result            {"counted", "idempotency_key"}
//   POST /api/v1/inbound/counts/{id}/approve|reject    {"by"}
// and, from addSlottingRoutes:
//   POST /api/v1/inbound/slotting/proposals            {"days", "max_moves", "min_gain_mm", "level_penalty_mm",
//                                                      "waist_level", "staging", "requested_by"}: a proposal
//   GET  /api/v1/inbound/slotting/proposals?status=&limit=
//   GET  /api/v1/inbound/slotting/proposals/{id}
//   POST /api/v1/inbound/slotting/proposals/{id}/approve|reject   {"by"}
//   POST /api/v1/inbound/slotting/proposals/{id}/moves/{n}/confirm {"by"}: move n done
// The services must outlive the router; the routes may be called from any
// number of threads at once.
#pragma once

#include <cstddef>

#include "wms/http/Router.h"
#include "wms/inbound/Counts.h"
#include "wms/inbound/Putaway.h"
#include "wms/inbound/Receiving.h"
#include "wms/inbound/Replenishment.h"
#include "wms/inbound/SlottingService.h"

namespace wms::inbound {

void addInboundRoutes(http::Router& router, ReceivingService& receiving, PutawayService& putaway,
                      ReplenishmentService& replenishment, CountService& counts,
                      std::size_t maxBody = http::Router::kDefaultMaxBody);

void addSlottingRoutes(http::Router& router, SlottingService& slotting,
                       std::size_t maxBody = http::Router::kDefaultMaxBody);

}  // namespace wms::inbound
