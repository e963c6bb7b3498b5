#include "wms/inbound/Schema.h"

namespace wms::inbound {

// Never edit a released migration: add a new one.
const store::Schema& inboundSchema() {
  static const store::Schema schema{
      "inbound",
      {
          {1,
           "purchase orders, their lines, announced units and receipts",
           {
               R"(CREATE TABLE purchase_orders(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                reference TEXT NOT NULL UNIQUE,
                supplier TEXT NOT NULL,
                expected_date TEXT NOT NULL DEFAULT '',
                note TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL CHECK (status IN ('open', 'receiving', 'closed')),
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL))",
               R"(CREATE TABLE po_lines(
                po_id INTEGER NOT NULL,
                line_no INTEGER NOT NULL,
                sku TEXT NOT NULL,
                qty INTEGER NOT NULL CHECK (qty > 0),
                lot TEXT NOT NULL DEFAULT '',
                expiry TEXT NOT NULL DEFAULT '',
                received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
                damaged INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
                PRIMARY KEY (po_id, line_no)))",
               "CREATE INDEX po_lines_sku ON po_lines(sku)",
               // An SSCC is announced once, ever: a second notice of it is refused.
               R"(CREATE TABLE po_units(
                sscc TEXT PRIMARY KEY,
                po_id INTEGER NOT NULL,
                received_at INTEGER NOT NULL DEFAULT 0,
                location TEXT NOT NULL DEFAULT ''))",
               R"(CREATE TABLE po_unit_lines(
                sscc TEXT NOT NULL,
                line_no INTEGER NOT NULL,
                qty INTEGER NOT NULL CHECK (qty > 0),
                PRIMARY KEY (sscc, line_no)))",
               // Several rows share a key when one scan received a whole unit.
               R"(CREATE TABLE receipts(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                po_id INTEGER NOT NULL,
                line_no INTEGER NOT NULL,
                sku TEXT NOT NULL,
                lot TEXT NOT NULL DEFAULT '',
                expiry TEXT NOT NULL DEFAULT '',
                qty INTEGER NOT NULL CHECK (qty > 0),
                condition TEXT NOT NULL CHECK (condition IN ('good', 'damaged')),
                location TEXT NOT NULL,
                sscc TEXT NOT NULL DEFAULT '',
                idempotency_key TEXT NOT NULL,
                actor TEXT NOT NULL,
                at INTEGER NOT NULL))",
               "CREATE INDEX receipts_key ON receipts(idempotency_key)",
               "CREATE INDEX receipts_po ON receipts(po_id, id)",
           }},
          {2,
           "location capacities and put-aways",
           {
               // How many units a location takes; a location without a row
               // has no limit.
               R"(CREATE TABLE location_capacity(
                location TEXT PRIMARY KEY,
                max_units INTEGER NOT NULL CHECK (max_units > 0)))",
               R"(CREATE TABLE putaways(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                sku TEXT NOT NULL,
                lot TEXT NOT NULL DEFAULT '',
                expiry TEXT NOT NULL DEFAULT '',
                qty INTEGER NOT NULL CHECK (qty > 0),
                from_location TEXT NOT NULL,
                to_location TEXT NOT NULL,
                suggested TEXT NOT NULL DEFAULT '',
                reason TEXT NOT NULL DEFAULT '',
                idempotency_key TEXT NOT NULL UNIQUE,
                actor TEXT NOT NULL,
                at INTEGER NOT NULL))",
           }},
          {3,
           "pick face rules and replenishments",
           {
               R"(CREATE TABLE face_rules(
                location TEXT PRIMARY KEY,
                sku TEXT NOT NULL,
                min_units INTEGER NOT NULL CHECK (min_units >= 0),
                max_units INTEGER NOT NULL CHECK (max_units > 0 AND max_units >= min_units)))",
               R"(CREATE TABLE replenishments(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                sku TEXT NOT NULL,
                from_location TEXT NOT NULL,
                to_location TEXT NOT NULL,
                lot TEXT NOT NULL DEFAULT '',
                expiry TEXT NOT NULL DEFAULT '',
                qty INTEGER NOT NULL CHECK (qty > 0),
                idempotency_key TEXT NOT NULL UNIQUE,
                actor TEXT NOT NULL,
                at INTEGER NOT NULL))",
           }},
          {4,
           "cycle counts",
           {
               // One stock row (SKU, lot, expiry) at one location to count.
               R"(CREATE TABLE count_tasks(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                location TEXT NOT NULL,
                sku TEXT NOT NULL,
                lot TEXT NOT NULL DEFAULT '',
                expiry TEXT NOT NULL DEFAULT '',
                reason TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL CHECK (status IN ('open', 'recount', 'approval', 'done')),
                first_count INTEGER,
                first_expected INTEGER,
                second_count INTEGER,
                second_expected INTEGER,
                booked INTEGER,
                counted_by TEXT NOT NULL DEFAULT '',
                approved_by TEXT NOT NULL DEFAULT '',
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL))",
               "CREATE INDEX count_tasks_row ON count_tasks(location, sku, status)",
               // Every count entered, with the figure it was compared with.
               R"(CREATE TABLE count_entries(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                task_id INTEGER NOT NULL,
                counted INTEGER NOT NULL CHECK (counted >= 0),
                expected INTEGER NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                actor TEXT NOT NULL,
                at INTEGER NOT NULL))",
           }},
          {5,
           "slotting proposals and their moves",
           {
               R"(CREATE TABLE slotting_proposals(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'done')),
                days INTEGER NOT NULL CHECK (days > 0),
                staging TEXT NOT NULL DEFAULT '',
                max_moves INTEGER NOT NULL CHECK (max_moves > 0),
                min_gain_mm INTEGER NOT NULL CHECK (min_gain_mm >= 0),
                level_penalty_mm INTEGER NOT NULL CHECK (level_penalty_mm >= 0),
                before_mm INTEGER NOT NULL,
                after_mm INTEGER NOT NULL,
                skipped_for_cap INTEGER NOT NULL DEFAULT 0,
                created_by TEXT NOT NULL DEFAULT '',
                approved_by TEXT NOT NULL DEFAULT '',
                rejected_by TEXT NOT NULL DEFAULT '',
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL))",
               // Done in move_no order. A face's min/max rule parked at
               // staging during a swap rides on the move that brings the
               // SKU back (rule_min, rule_max).
               R"(CREATE TABLE slotting_moves(
                proposal_id INTEGER NOT NULL,
                move_no INTEGER NOT NULL CHECK (move_no > 0),
                sku TEXT NOT NULL,
                from_location TEXT NOT NULL,
                to_location TEXT NOT NULL,
                reason TEXT NOT NULL CHECK (reason IN ('to_free_face', 'swap_out', 'swap_in', 'swap_back')),
                why TEXT NOT NULL DEFAULT '',
                gain_mm INTEGER NOT NULL,
                qty INTEGER NOT NULL CHECK (qty >= 0),
                moved INTEGER,
                rule_min INTEGER,
                rule_max INTEGER,
                done_by TEXT NOT NULL DEFAULT '',
                done_at INTEGER,
                PRIMARY KEY (proposal_id, move_no)))",
           }},
      }};
  return schema;
}

}  // namespace wms::inbound
