// Internal: the REST routes of waves, batches and the floor (docs/api.md).
#pragma once

#include "ApiV1.h"
#include "HandlerFactory.h"

namespace wms::server::http {

void addWaveRoutes(Router& router, ApiContext& ctx);

}  // namespace wms::server::http
