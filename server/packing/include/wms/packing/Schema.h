// The packing component's tables (component "packing" in schema_version):
// picked units per tote, pack sessions, cartons and their contents,
// shipments, their shipped and released quantities, serial sequences, and
// print jobs with every attempt. Pass packingSchema() in
// store::DatabaseOptions::schemas; docs/packing.md describes every table.
//
// picked_units is created here (its migration was released with packing)
// but written only by the stock core (wms/stock/Moves.h): the pick move adds
// a row per order line, tote, lot and expiry (qty adds up the units put
// there), the ship move raises `shipped`. Packing reads it:
//
//   CREATE TABLE picked_units(
//     order_id INTEGER NOT NULL, line_no INTEGER NOT NULL,
//     tote TEXT NOT NULL,              -- the tote code; its location is "TOTE-" + tote
//     sku TEXT NOT NULL, lot TEXT NOT NULL DEFAULT '', expiry TEXT NOT NULL DEFAULT '',
//     qty INTEGER NOT NULL CHECK (qty >= 0),
//     shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped >= 0 AND shipped <= qty),
//     PRIMARY KEY (order_id, line_no, tote, sku, lot, expiry))
//
// A tote's location is stock::toteLocation(code), "TOTE-<code>".
#pragma once

#include <string>

#include "wms/store/Migrations.h"

namespace wms::packing {

const store::Schema& packingSchema();

}  // namespace wms::packing
