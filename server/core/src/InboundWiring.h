// Internal: receiving at the dock from handhelds over MQTT
// (receive.request -> receive.task, receive.confirm), on the same code path
// as the inbound REST routes (wms::inbound::ReceivingService).
#pragma once

#include "wms/inbound/Receiving.h"
#include "wms/server/DeviceGateway.h"

namespace wms::server {

// Registers the receive-mode event handlers with the gateway; `receiving`
// must outlive it.
void registerInboundHandlers(DeviceGateway& gateway, inbound::ReceivingService& receiving);

}  // namespace wms::server
