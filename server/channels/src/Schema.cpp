#include "wms/channels/ChannelHub.h"

namespace wms::channels {

// Never edit a released migration: add a new one.
const store::Schema& channelsSchema() {
  static const store::Schema schema{"channels", {
      {1,
       "channel SKU mappings, listings, stock outbox, sync state, events, channel orders, inbox, cursors, POS, returns",
       {
           // channel_sku: the channel's id an order line arrives with (variant id, seller SKU, item:model).
           R"(CREATE TABLE channel_sku_map(
                channel TEXT NOT NULL,
                channel_sku TEXT NOT NULL,
                sku TEXT NOT NULL REFERENCES skus(code),
                created_at INTEGER NOT NULL,
                PRIMARY KEY (channel, channel_sku)))",
           // Which SKUs a channel lists and how much of the stock it is shown.
           R"(CREATE TABLE channel_listings(
                channel TEXT NOT NULL,
                sku TEXT NOT NULL REFERENCES skus(code),
                channel_sku TEXT NOT NULL,
                listing_ref TEXT NOT NULL DEFAULT '',
                buffer INTEGER NOT NULL DEFAULT 0 CHECK (buffer >= 0),
                cap INTEGER CHECK (cap IS NULL OR cap >= 0),
                percent INTEGER NOT NULL DEFAULT 100 CHECK (percent BETWEEN 0 AND 100),
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (channel, sku)))",
           "CREATE INDEX channel_listings_sku ON channel_listings(sku)",
           // The transactional outbox: at most one row per (channel, SKU), the
           // newest figure; version changes with every new figure so that a
           // push of an older one does not delete the row.
           R"(CREATE TABLE channel_outbox(
                channel TEXT NOT NULL,
                sku TEXT NOT NULL,
                atp INTEGER NOT NULL CHECK (atp >= 0),
                version INTEGER NOT NULL,
                changed_at INTEGER NOT NULL,
                due_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (channel, sku)))",
           "CREATE INDEX channel_outbox_due ON channel_outbox(channel, due_at)",
           // The last figure each channel accepted.
           R"(CREATE TABLE channel_sync(
                channel TEXT NOT NULL,
                sku TEXT NOT NULL,
                pushed_atp INTEGER NOT NULL,
                pushed_at INTEGER NOT NULL,
                PRIMARY KEY (channel, sku)))",
           // Deliveries already applied (webhook ids, push keys).
           R"(CREATE TABLE channel_events(
                channel TEXT NOT NULL,
                event_key TEXT NOT NULL,
                at INTEGER NOT NULL,
                result TEXT NOT NULL,
                PRIMARY KEY (channel, event_key)))",
           // Each channel order seen, with the channel's timestamp of the state
           // applied: an older state changes nothing. order_id 0: not stored as
           // an order (rejected for stock, or fulfilled elsewhere).
           R"(CREATE TABLE channel_orders(
                channel TEXT NOT NULL,
                external_id TEXT NOT NULL,
                order_id INTEGER NOT NULL DEFAULT 0,
                state TEXT NOT NULL,
                channel_status TEXT NOT NULL DEFAULT '',
                channel_updated_at INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (channel, external_id)))",
           // The channel SKU keys of a held order's lines, for release-hold.
           R"(CREATE TABLE channel_held_lines(
                order_id INTEGER NOT NULL,
                line_no INTEGER NOT NULL,
                sku_keys TEXT NOT NULL,
                PRIMARY KEY (order_id, line_no)))",
           // Pushes whose order is still to be fetched (one row per order).
           R"(CREATE TABLE channel_inbox(
                channel TEXT NOT NULL,
                order_ref TEXT NOT NULL,
                push_updated_at INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                due_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (channel, order_ref)))",
           "CREATE INDEX channel_inbox_due ON channel_inbox(due_at)",
           // Polling positions (Amazon's LastUpdatedAfter).
           R"(CREATE TABLE channel_cursors(
                channel TEXT PRIMARY KEY,
                position INTEGER NOT NULL,
                updated_at INTEGER NOT NULL))",
           R"(CREATE TABLE pos_sales(
                sale_id TEXT PRIMARY KEY,
                location TEXT NOT NULL,
                at INTEGER NOT NULL))",
           R"(CREATE TABLE pos_sale_lines(
                sale_id TEXT NOT NULL,
                line_no INTEGER NOT NULL,
                sku TEXT NOT NULL,
                qty INTEGER NOT NULL CHECK (qty > 0),
                ledger_id INTEGER NOT NULL,
                PRIMARY KEY (sale_id, line_no)))",
           R"(CREATE TABLE returns(
                return_id TEXT PRIMARY KEY,
                order_id INTEGER NOT NULL DEFAULT 0,
                channel TEXT NOT NULL DEFAULT '',
                external_id TEXT NOT NULL DEFAULT '',
                pos_sale_id TEXT NOT NULL DEFAULT '',
                location TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                received_at INTEGER NOT NULL))",
           R"(CREATE TABLE return_lines(
                return_id TEXT NOT NULL,
                line_no INTEGER NOT NULL,
                sku TEXT NOT NULL,
                qty INTEGER NOT NULL CHECK (qty > 0),
                condition TEXT NOT NULL,
                lot TEXT NOT NULL DEFAULT '',
                expiry TEXT NOT NULL DEFAULT '',
                ledger_id INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (return_id, line_no)))",
           "CREATE INDEX returns_order ON returns(order_id)",
           "CREATE INDEX returns_sale ON returns(pos_sale_id)",
       }},
      {2,
       "fulfilment outbox: orders shipped, to tell each channel with tracking numbers",
       {
           // One row per (channel, order, shipment), written in the ship
           // confirmation's transaction; sent_at is set once the channel
           // accepted it (kept afterwards: a duplicate confirmation finds it).
           // notice: the whole notice as JSON (carrier, parcels, lines).
           R"(CREATE TABLE channel_fulfilments(
                channel TEXT NOT NULL,
                external_id TEXT NOT NULL,
                shipment_id INTEGER NOT NULL,
                order_id INTEGER NOT NULL,
                tracking_number TEXT NOT NULL,
                notice TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                due_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT '',
                sent_at INTEGER,
                PRIMARY KEY (channel, external_id, shipment_id)))",
           "CREATE INDEX channel_fulfilments_due ON channel_fulfilments(channel, due_at) WHERE sent_at IS NULL",
           "CREATE INDEX channel_fulfilments_order ON channel_fulfilments(order_id)",
       }},
      {3,
       "stock pushes the channel refused (as against could not be reached): since when",
       {
           // 0 while the row was never refused; the time of the first refusal
           // of this row otherwise (a row is deleted once a figure is accepted).
           "ALTER TABLE channel_outbox ADD COLUMN refused_at INTEGER NOT NULL DEFAULT 0",
       }},
      {4,
       "fulfilments the channel refused wait for a person instead of being retried",
       {
           // 0 while the row may be pushed; the time of the channel's refusal
           // otherwise, until a person asks for it to be sent again.
           "ALTER TABLE channel_fulfilments ADD COLUMN refused_at INTEGER NOT NULL DEFAULT 0",
       }},
  }};
  return schema;
}

}  // namespace wms::channels
