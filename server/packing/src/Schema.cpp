#include "wms/packing/Schema.h"

namespace wms::packing {

// Never edit a released migration: add a new one.
const store::Schema& packingSchema() {
  static const store::Schema schema{
      "packing",
      {
          {1,
           "picked units, pack sessions, cartons, shipments, sequences, print jobs",
           {
               // Which order line's units are in which tote (written by picking;
               // `shipped` is raised by shipping as units leave the tote).
               R"(CREATE TABLE picked_units(
                order_id INTEGER NOT NULL,
                line_no INTEGER NOT NULL,
                tote TEXT NOT NULL,
                sku TEXT NOT NULL,
                lot TEXT NOT NULL DEFAULT '',
                expiry TEXT NOT NULL DEFAULT '',
                qty INTEGER NOT NULL CHECK (qty >= 0),
                shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped >= 0 AND shipped <= qty),
                PRIMARY KEY (order_id, line_no, tote, sku, lot, expiry)))",
               "CREATE INDEX picked_units_tote ON picked_units(tote)",
               // Named counters that only go up: tracking and SSCC serials. A
               // value is never handed out twice, also across restarts.
               R"(CREATE TABLE packing_sequences(
                name TEXT PRIMARY KEY,
                value INTEGER NOT NULL))",
               // A packer's work on one order at a station; its events (scans,
               // cartons opened and closed) are replayed to rebuild the state.
               R"(CREATE TABLE pack_sessions(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                order_id INTEGER NOT NULL,
                station TEXT NOT NULL DEFAULT '',
                state TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL))",
               // At most one open session per order (partial index: SQLite and PostgreSQL).
               "CREATE UNIQUE INDEX pack_sessions_open ON pack_sessions(order_id) WHERE state = 'open'",
               R"(CREATE TABLE pack_session_events(
                session_id INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                at INTEGER NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL DEFAULT '',
                line_no INTEGER NOT NULL DEFAULT 0,
                qty INTEGER NOT NULL DEFAULT 0,
                outcome TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (session_id, seq)))",
               // The cartons of a packed order, numbered 1..m. weight_g is what
               // the packer weighed (0: not weighed); estimated_weight_g is
               // items plus tare. shipment_id, sscc, tracking_number and
               // label_json are set when the shipment is booked.
               R"(CREATE TABLE cartons(
                order_id INTEGER NOT NULL,
                carton_no INTEGER NOT NULL,
                carton_id TEXT NOT NULL,
                carton_type TEXT NOT NULL,
                weight_g INTEGER NOT NULL DEFAULT 0,
                estimated_weight_g INTEGER NOT NULL DEFAULT 0,
                packed_at INTEGER NOT NULL,
                shipment_id INTEGER NOT NULL DEFAULT 0,
                sscc TEXT NOT NULL DEFAULT '',
                tracking_number TEXT NOT NULL DEFAULT '',
                label_json TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (order_id, carton_no)))",
               "CREATE UNIQUE INDEX cartons_id ON cartons(order_id, carton_id)",
               "CREATE INDEX cartons_shipment ON cartons(shipment_id)",
               R"(CREATE TABLE carton_items(
                order_id INTEGER NOT NULL,
                carton_no INTEGER NOT NULL,
                line_no INTEGER NOT NULL,
                sku TEXT NOT NULL,
                qty INTEGER NOT NULL CHECK (qty > 0),
                PRIMARY KEY (order_id, carton_no, line_no)))",
               // state: booked | shipped. confirm_key: the idempotency key of the
               // ship confirmation that shipped it.
               R"(CREATE TABLE shipments(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                order_id INTEGER NOT NULL,
                state TEXT NOT NULL,
                carrier TEXT NOT NULL,
                carrier_name TEXT NOT NULL DEFAULT '',
                service TEXT NOT NULL,
                tracking_number TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                shipped_at INTEGER NOT NULL DEFAULT 0,
                confirm_key TEXT NOT NULL DEFAULT '',
                release_policy TEXT NOT NULL DEFAULT ''))",
               "CREATE INDEX shipments_order ON shipments(order_id, id)",
               "CREATE UNIQUE INDEX shipments_tracking ON shipments(carrier, tracking_number)",
               // What a ship confirmation shipped and released, per line: the
               // answer a repeated confirmation gets.
               R"(CREATE TABLE shipped_lines(
                shipment_id INTEGER NOT NULL,
                line_no INTEGER NOT NULL,
                sku TEXT NOT NULL,
                qty INTEGER NOT NULL CHECK (qty >= 0),
                released INTEGER NOT NULL DEFAULT 0 CHECK (released >= 0),
                left_in_tote INTEGER NOT NULL DEFAULT 0 CHECK (left_in_tote >= 0),
                PRIMARY KEY (shipment_id, line_no)))",
               // Print jobs (labels::JobLog over the database): the document is
               // kept so that any label can be printed again.
               R"(CREATE TABLE print_jobs(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                printer TEXT NOT NULL,
                title TEXT NOT NULL DEFAULT '',
                format TEXT NOT NULL,
                data BLOB NOT NULL,
                reprint_of INTEGER NOT NULL DEFAULT 0,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT '',
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL))",
               "CREATE INDEX print_jobs_printer ON print_jobs(printer, state, id)",
               R"(CREATE TABLE print_attempts(
                job_id INTEGER NOT NULL,
                attempt INTEGER NOT NULL,
                at INTEGER NOT NULL,
                ok INTEGER NOT NULL,
                error TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (job_id, attempt)))",
               // Which print job printed which carton's label.
               R"(CREATE TABLE shipment_print_jobs(
                job_id INTEGER PRIMARY KEY,
                shipment_id INTEGER NOT NULL,
                carton_no INTEGER NOT NULL,
                printer_id TEXT NOT NULL DEFAULT ''))",
               "CREATE INDEX shipment_print_jobs_shipment ON shipment_print_jobs(shipment_id, carton_no)",
           }},
          {2,
           "station scans: a packing station's wedge reads on their way to its page",
           {
               // One read of a station's wedge scanner (wms-fwbridge's
               // station.scan): waiting until the station's page takes it,
               // then taken, or expired if nobody took it in time.
               R"(CREATE TABLE station_scans(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                station TEXT NOT NULL,
                device TEXT NOT NULL,
                barcode TEXT NOT NULL,
                symbology TEXT NOT NULL DEFAULT '',
                scanned_at INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('waiting', 'taken', 'expired')),
                taken_at INTEGER,
                taken_by TEXT NOT NULL DEFAULT ''))",
               "CREATE INDEX station_scans_waiting ON station_scans(station, state, id)",
               "CREATE INDEX station_scans_received ON station_scans(received_at)",
           }},
      }};
  return schema;
}

}  // namespace wms::packing
