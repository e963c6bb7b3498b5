// The inbound endpoints (docs/inbound.md), on the one router:
//   POST /api/v1/inbound/purchase-orders               a purchase order with its notice (JSON)
//   POST /api/v1/import/purchase-orders                the same from CSV (text/csv)
//   GET  /api/v1/inbound/purchase-orders?status=&q=&limit=
//   GET  /api/v1/inbound/purchase-orders/{id}
//   POST /api/v1/inbound/purchase-orders/{id}/receipts a receipt from a scan or a SKU
//   POST /api/v1/inbound/purchase-orders/{id}/units/{sscc}/receive   a whole announced unit
//   POST /api/v1/inbound/purchase-orders/{id}/close
// The service must outlive the router; the routes may be called from any
// number of threads at once.
#pragma once

#include <cstddef>

#include "wms/http/Router.h"
#include "wms/inbound/Receiving.h"

namespace wms::inbound {

void addInboundRoutes(http::Router& router, ReceivingService& receiving,
                      std::size_t maxBody = http::Router::kDefaultMaxBody);

}  // namespace wms::inbound
