// Internal: receiving and put-away from handhelds over MQTT
// (receive.request -> receive.task, receive.confirm; putaway.request ->
// putaway.task, putaway.confirm), on the same code paths as the inbound
// REST routes (wms::inbound::ReceivingService, PutawayService).
#pragma once

#include "wms/inbound/Putaway.h"
#include "wms/inbound/Receiving.h"
#include "wms/server/DeviceGateway.h"

namespace wms::server {

// Registers the receive and put-away event handlers with the gateway; the
// services must outlive it.
void registerInboundHandlers(DeviceGateway& gateway, inbound::ReceivingService& receiving,
                             inbound::PutawayService& putaway);

}  // namespace wms::server
