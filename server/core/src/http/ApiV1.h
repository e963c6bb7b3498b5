// Internal: the REST API v1 routes (documented in docs/api.md).
#pragma once

#include "HandlerFactory.h"
#include "wms/server/CatalogService.h"
#include "wms/server/Config.h"
#include "wms/server/DeviceGateway.h"
#include "wms/server/Metrics.h"
#include "wms/server/OrderService.h"
#include "wms/server/StockService.h"
#include "wms/server/WaveService.h"
#include "wms/store/Database.h"

namespace wms::server::http {

struct ApiContext {
  const ServerConfig& config;
  store::Database& db;
  Metrics& metrics;
  CatalogService& catalog;
  StockService& stock;
  OrderService& orders;
  WaveService& waves;
  const DeviceGateway& gateway;
};

// Adds /healthz, /metrics and /api/v1/... to the router. The context must
// outlive the router.
void addApiV1(Router& router, ApiContext& ctx);

}  // namespace wms::server::http
