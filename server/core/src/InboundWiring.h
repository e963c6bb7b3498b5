// Internal: the inbound work of handhelds over MQTT (receive.request ->
// receive.task, receive.confirm; putaway.request -> putaway.task,
// putaway.confirm; replenish.request -> replenish.task, replenish.confirm;
// count.request -> count.task, count.confirm), on the same code paths as
// the inbound REST routes (wms::inbound's services).
#pragma once

#include "LocationFreezes.h"
#include "wms/inbound/Counts.h"
#include "wms/inbound/Putaway.h"
#include "wms/inbound/Receiving.h"
#include "wms/inbound/Replenishment.h"
#include "wms/server/DeviceGateway.h"

namespace wms::server {

// Registers the receive and put-away event handlers with the gateway; the
// services must outlive it.
void registerInboundHandlers(DeviceGateway& gateway, inbound::ReceivingService& receiving,
                             inbound::PutawayService& putaway);

// Registers the replenish and count event handlers; the services and
// `freezes` (where counters count: LocationFreezes.h) must outlive the
// gateway.
void registerReplenishAndCountHandlers(DeviceGateway& gateway, inbound::ReplenishmentService& replenishment,
                                       inbound::CountService& counts, LocationFreezes& freezes);

}  // namespace wms::server
