// The "through wmsd" leg of the MQTT benchmark: a real wmsd with the waves
// set up so that every simulated handheld holds a batch of real stops, then
// the fleet sends real pick confirmations that wmsd decodes, applies in its
// store (stock moved into totes, ledger, order lines) and acknowledges.
#pragma once

#include <string>
#include <vector>

#include "Fleet.h"

namespace wms::bench::mqtt {

struct WmsdLegOptions {
  std::string brokerUri;
  Account server;
  std::vector<Account> devices;
  int stopsPerDevice = 40;  // pick confirmations each device can send
  std::string durability = "full";
};

struct WmsdLeg {
  FleetResult saturated;
  FleetResult paced;
  int eventsPerDevice = 0;
};

// Starts wmsd on the broker, prepares the floor and runs both legs with the
// same pacing as `saturated` / `paced` (their devices and event counts are
// replaced). Throws std::runtime_error when a step fails.
WmsdLeg runThroughWmsd(const WmsdLegOptions& options, FleetOptions saturated, FleetOptions paced);

}  // namespace wms::bench::mqtt
