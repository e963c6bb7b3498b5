// Internal: the sales channels' routes (webhooks, listings, SKU mappings,
// sync state, release of held orders, POS sales, returns); docs/api.md and
// docs/channels.md.
#pragma once

#include "HandlerFactory.h"
#include "wms/channels/ChannelHub.h"
#include "wms/server/Config.h"
#include "wms/server/Metrics.h"

namespace wms::server::http {

// The hub, config and metrics must outlive the router.
void addChannelRoutes(Router& router, const ServerConfig& config, Metrics& metrics, channels::ChannelHub& hub);

}  // namespace wms::server::http
