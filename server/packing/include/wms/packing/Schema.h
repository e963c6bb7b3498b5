// The packing component's tables (component "packing" in schema_version):
// picked units per tote, pack sessions, cartons and their contents,
// shipments, their shipped and released quantities, serial sequences, and
// print jobs with every attempt. Pass packingSchema() in
// store::DatabaseOptions::schemas; docs/packing.md describes every table.
//
// picked_units is written by the pick handler (one row per order line,
// tote, lot and expiry; qty adds up the units put there):
//
//   CREATE TABLE picked_units(
//     order_id INTEGER NOT NULL, line_no INTEGER NOT NULL,
//     tote TEXT NOT NULL,              -- the tote code; its location is "TOTE-" + tote
//     sku TEXT NOT NULL, lot TEXT NOT NULL DEFAULT '', expiry TEXT NOT NULL DEFAULT '',
//     qty INTEGER NOT NULL CHECK (qty >= 0),
//     shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped >= 0 AND shipped <= qty),
//     PRIMARY KEY (order_id, line_no, tote, sku, lot, expiry))
//
// `shipped` belongs to the shipping code (confirmShipment raises it as it
// takes units out of the tote's location); the pick handler leaves it alone.
#pragma once

#include <string>

#include "wms/store/Migrations.h"

namespace wms::packing {

const store::Schema& packingSchema();

// The location code of a tote: "TOTE-" + tote code.
std::string toteLocation(const std::string& tote);

}  // namespace wms::packing
