#include "wms/store/Migrations.h"

namespace wms::store {

// Never edit a released migration: add a new one. The SQL stays within what
// both SQLite and PostgreSQL accept where that is possible, so that a second
// store can reuse it; SQLite-only parts (triggers' RAISE) are marked.
const Schema& coreSchema() {
  static const Schema core{"core", {
      {1,
       "catalogue, locations, central stock, append-only ledger, orders, idempotency keys",
       {
           R"(CREATE TABLE skus(
                code TEXT PRIMARY KEY,
                description TEXT NOT NULL DEFAULT '',
                weight_g INTEGER NOT NULL DEFAULT 0 CHECK (weight_g >= 0),
                length_mm INTEGER NOT NULL DEFAULT 0 CHECK (length_mm >= 0),
                width_mm INTEGER NOT NULL DEFAULT 0 CHECK (width_mm >= 0),
                height_mm INTEGER NOT NULL DEFAULT 0 CHECK (height_mm >= 0),
                lot_tracked INTEGER NOT NULL DEFAULT 0,
                expiry_tracked INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL))",
           // key: the GTIN normalised to 14 digits, or the internal code.
           R"(CREATE TABLE barcodes(
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                kind TEXT NOT NULL,
                sku TEXT NOT NULL REFERENCES skus(code)))",
           "CREATE INDEX barcodes_sku ON barcodes(sku)",
           R"(CREATE TABLE locations(
                code TEXT PRIMARY KEY,
                zone TEXT NOT NULL DEFAULT '',
                kind TEXT NOT NULL DEFAULT 'pick',
                created_at INTEGER NOT NULL))",
           // The central stock per SKU. The CHECKs are the invariants' last
           // line of defence: a bug cannot commit a negative figure.
           R"(CREATE TABLE sku_stock(
                sku TEXT PRIMARY KEY REFERENCES skus(code),
                on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
                allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0),
                CHECK (allocated <= on_hand)))",
           R"(CREATE TABLE stock(
                sku TEXT NOT NULL REFERENCES skus(code),
                location TEXT NOT NULL REFERENCES locations(code),
                lot TEXT NOT NULL DEFAULT '',
                expiry TEXT NOT NULL DEFAULT '',
                qty INTEGER NOT NULL CHECK (qty >= 0),
                count_requested INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (sku, location, lot, expiry)))",
           "CREATE INDEX stock_location ON stock(location)",
           R"(CREATE TABLE ledger(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at INTEGER NOT NULL,
                sku TEXT NOT NULL,
                location TEXT NOT NULL DEFAULT '',
                lot TEXT NOT NULL DEFAULT '',
                expiry TEXT NOT NULL DEFAULT '',
                delta_on_hand INTEGER NOT NULL,
                delta_allocated INTEGER NOT NULL,
                cause TEXT NOT NULL,
                reference TEXT NOT NULL DEFAULT '',
                idempotency_key TEXT NOT NULL DEFAULT '',
                note TEXT NOT NULL DEFAULT ''))",
           "CREATE INDEX ledger_sku ON ledger(sku, id)",
           // SQLite-only: the ledger is append-only, enforced by the database.
           R"(CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
              BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END)",
           R"(CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
              BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END)",
           // An applied event's key and the answer given, so that a retry of
           // the same event gets the same answer and changes nothing.
           R"(CREATE TABLE idempotency(
                key TEXT PRIMARY KEY,
                at INTEGER NOT NULL,
                result TEXT NOT NULL DEFAULT ''))",
           R"(CREATE TABLE orders(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel TEXT NOT NULL,
                external_id TEXT NOT NULL,
                status TEXT NOT NULL,
                service_level TEXT NOT NULL,
                carrier TEXT NOT NULL DEFAULT '',
                priority INTEGER NOT NULL DEFAULT 0,
                ship_name TEXT NOT NULL DEFAULT '',
                ship_company TEXT NOT NULL DEFAULT '',
                ship_line1 TEXT NOT NULL DEFAULT '',
                ship_line2 TEXT NOT NULL DEFAULT '',
                ship_city TEXT NOT NULL DEFAULT '',
                ship_region TEXT NOT NULL DEFAULT '',
                ship_postal_code TEXT NOT NULL DEFAULT '',
                ship_country TEXT NOT NULL DEFAULT '',
                ship_phone TEXT NOT NULL DEFAULT '',
                ship_email TEXT NOT NULL DEFAULT '',
                hold_reason TEXT NOT NULL DEFAULT '',
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (channel, external_id)))",
           "CREATE INDEX orders_status ON orders(status, id)",
           // allocated: units of the line reserved now (not yet shipped);
           // the sum over all lines of a SKU equals sku_stock.allocated.
           R"(CREATE TABLE order_lines(
                order_id INTEGER NOT NULL REFERENCES orders(id),
                line_no INTEGER NOT NULL,
                sku TEXT NOT NULL,
                external_line_id TEXT NOT NULL DEFAULT '',
                qty INTEGER NOT NULL CHECK (qty > 0),
                allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= qty),
                picked INTEGER NOT NULL DEFAULT 0 CHECK (picked >= 0 AND picked <= qty),
                short_qty INTEGER NOT NULL DEFAULT 0 CHECK (short_qty >= 0 AND short_qty <= qty),
                shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped >= 0 AND shipped <= qty),
                PRIMARY KEY (order_id, line_no)))",
           "CREATE INDEX order_lines_sku ON order_lines(sku)",
       }},
      {2,
       "supervisor exceptions",
       {
           // Things a person must look at: a short pick, an order held for an
           // unknown channel SKU, a printer that keeps failing, a silent device.
           R"(CREATE TABLE exceptions(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at INTEGER NOT NULL,
                kind TEXT NOT NULL,
                reference TEXT NOT NULL DEFAULT '',
                message TEXT NOT NULL,
                resolved_at INTEGER NOT NULL DEFAULT 0,
                resolution TEXT NOT NULL DEFAULT ''))",
           "CREATE INDEX exceptions_open ON exceptions(resolved_at, id)",
       }},
      {3,
       "handheld devices, workers, applied device events, scan audit",
       {
           R"(CREATE TABLE workers(
                badge TEXT PRIMARY KEY,
                name TEXT NOT NULL DEFAULT '',
                zones TEXT NOT NULL DEFAULT '',
                active INTEGER NOT NULL DEFAULT 1,
                created_at INTEGER NOT NULL))",
           // state: online | offline | silent. badge: the signed-in worker ('' if none).
           R"(CREATE TABLE devices(
                device TEXT PRIMARY KEY,
                state TEXT NOT NULL DEFAULT 'offline',
                app TEXT NOT NULL DEFAULT '',
                badge TEXT NOT NULL DEFAULT '',
                mode TEXT NOT NULL DEFAULT '',
                battery INTEGER NOT NULL DEFAULT -1,
                rssi INTEGER NOT NULL DEFAULT 0,
                outbox INTEGER NOT NULL DEFAULT 0,
                last_seen INTEGER NOT NULL DEFAULT 0,
                signed_in_at INTEGER NOT NULL DEFAULT 0))",
           // Every handheld event applied (or refused), recorded in the same
           // transaction as its effect: the at-most-once guarantee.
           R"(CREATE TABLE device_events(
                device TEXT NOT NULL,
                event_id TEXT NOT NULL,
                at INTEGER NOT NULL,
                type TEXT NOT NULL,
                result TEXT NOT NULL,
                error TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (device, event_id)))",
           R"(CREATE TABLE scans(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at INTEGER NOT NULL,
                device TEXT NOT NULL,
                badge TEXT NOT NULL DEFAULT '',
                barcode TEXT NOT NULL,
                symbology TEXT NOT NULL DEFAULT '',
                reference TEXT NOT NULL DEFAULT ''))",
           // Commands to devices (tasks, pack tasks, label results), written in
           // the transaction that decided them and published after the commit,
           // so that a crash in between cannot lose one.
           R"(CREATE TABLE device_outbox(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                device TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                published_at INTEGER NOT NULL DEFAULT 0))",
           "CREATE INDEX device_outbox_pending ON device_outbox(published_at, id)",
       }},
      {4,
       "order stage history, indexes for the stuck-work watchdog and exception de-duplication",
       {
           // One row per status an order entered, when it entered it: how
           // long each stage took (docs/benchmarks.md, day) and what the
           // supervisor sees of an order's life.
           R"(CREATE TABLE order_history(
                order_id INTEGER NOT NULL REFERENCES orders(id),
                at INTEGER NOT NULL,
                status TEXT NOT NULL))",
           "CREATE INDEX order_history_order ON order_history(order_id, at)",
           "INSERT INTO order_history(order_id, at, status) SELECT id, updated_at, status FROM orders",
           // The watchdog asks for the orders of a status not updated since a time.
           "CREATE INDEX orders_status_age ON orders(status, updated_at)",
           // raise() looks for an open exception of the same kind and reference.
           "CREATE INDEX exceptions_kind_reference ON exceptions(kind, reference, resolved_at)",
       }},
      {5,
       "who caused each ledger row",
       {
           // "person:...", "device:...", "integration:...", "system:..."; rows
           // written before this column name nobody ('').
           "ALTER TABLE ledger ADD COLUMN actor TEXT NOT NULL DEFAULT ''",
       }},
      {6,
       "the packing station a handheld in pack mode works at",
       {
           // Set by the device's pack.request (its station), cleared at
           // sign-in and sign-out: labels print on the station's printer and
           // supervisors see which packer is where.
           "ALTER TABLE devices ADD COLUMN station TEXT NOT NULL DEFAULT ''",
       }},
      {7,
       "one row Database::probeWrite() rewrites",
       {
           // /healthz asks whether the database can write (a full disk, a
           // read-only file); reads alone cannot tell.
           "CREATE TABLE store_probe(id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL)",
       }},
  }};
  return core;
}

}  // namespace wms::store
