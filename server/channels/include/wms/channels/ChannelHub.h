// The sales-channels component as it runs inside wmsd: orders in from every
// channel (signed webhooks, push-then-fetch, Amazon polling), available stock
// out to every channel (a transactional outbox drained by rate-limited
// pushers), channel SKU mappings and listings, store POS sales and returns.
//
// Orders in. handleWebhook verifies the signature (401, nothing stored),
// parses (400 with the reason) and, in one write transaction, de-duplicates
// on the channel's event id, applies the order through the stock core's
// order intake (wms/stock/OrderIntake.h) and keeps
// the channel's timestamp of it: an older state than the one stored changes
// nothing; a cancel that arrives first is remembered and the late create is
// stored cancelled. Shopify sends the whole order; for Lazada, Shopee and
// TikTok the push is queued durably (202) and fetch workers get the order from
// the channel's API. Amazon is polled. An order with an unknown channel SKU or
// an address we cannot ship to is kept Held and raised to the supervisor.
//
// Stock out. changedInTx (called by the server's StockEvents hook inside
// every write that changes a SKU's available figure) computes each listing
// channel's figure (Atp.h) from the same transaction and upserts one outbox row
// per (channel, SKU): only the latest figure waits, and it commits with the
// change, so a crash cannot lose it. committed() wakes one pusher thread per
// channel, which sends the figure in the channel's own call shape under a
// token bucket; failures back off exponentially with jitter (the whole
// channel for outages and 429s, one row for a refusal of that SKU); the last
// figure pushed is recorded per (channel, SKU).
//
// Orders shipped. orderShippedInTx (called by the server's shipment hook
// inside the ship confirmation's transaction) records a fulfilment notice
// (carrier, tracking numbers, lines) in the same transaction; shippedCommitted
// wakes the pushers, which tell the channel in its own fulfilment call shape
// (docs/channels.md) under the same token bucket and backoff as stock. A
// notice is marked sent once the channel accepted it and is never sent again.
//
// Threading: all public methods may be called from any thread once the hub is
// constructed. changedInTx and orderShippedInTx run on the database's writer
// thread and touch the database only through their Tx. start() launches the threads (pushers,
// fetch workers, Amazon poller); stop() (or the destructor) stops and joins
// them, leaving undelivered work in the database for the next start.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wms/background/Errors.h"
#include "wms/channels/Atp.h"
#include "wms/channels/ChannelConfig.h"
#include "wms/channels/ChannelOrder.h"
#include "wms/stock/OrderIntake.h"
#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/store/Database.h"
#include "wms/store/Migrations.h"
#include "wms/store/Tx.h"

namespace wms::channels {

// The channels component's tables (component "channels").
const store::Schema& channelsSchema();

struct WebhookRequest {
  domain::Channel channel = domain::Channel::Manual;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;                            // the raw bytes the channel signed
};

struct WebhookReply {
  int status = 200;  // 200 applied/duplicate/stale/ignored, 202 queued, 400, 401, 404, 503
  std::string body;  // JSON: {"result": ..., ...} or {"error": ..., "detail": ...}
};

struct Listing {
  domain::Channel channel = domain::Channel::Manual;
  std::string sku;         // ours
  std::string channelSku;  // the channel's id orders arrive with and stock is pushed to
  std::string listingRef;  // extra ids the push needs (see docs/channels.md), may be ""
  ListingPolicy policy;
};

struct ListingView {
  Listing listing;
  std::int64_t available = 0;           // central stock, now
  std::int64_t atp = 0;                 // what the channel should show now
  std::optional<std::int64_t> pushed;   // last figure the channel accepted
  std::int64_t pushedAtMs = 0;
  std::optional<std::int64_t> pending;  // figure waiting in the outbox
  int attempts = 0;
  std::string lastError;
  std::int64_t refusedAtMs = 0;         // the channel refused the pending figure since then (0: not refused)
};

struct SkuMapping {
  domain::Channel channel = domain::Channel::Manual;
  std::string channelSku;
  std::string sku;
};

struct PosLine {
  std::string sku;
  std::int64_t qty = 0;
  std::string lot;
  std::string expiry;
};

struct PosSale {
  std::string saleId;    // the till's id; a second sale with the same id changes nothing
  std::string location;  // a location of kind "store"
  std::vector<PosLine> lines;
};

struct PosSaleResult {
  std::string saleId;
  bool replayed = false;
  std::vector<std::int64_t> ledgerIds;
};

enum class ReturnCondition { Sellable, Damaged };

struct ReturnLine {
  std::string sku;
  std::int64_t qty = 0;
  ReturnCondition condition = ReturnCondition::Sellable;  // the inspection's verdict
  std::string lot;
  std::string expiry;
};

struct ReturnInput {
  std::string returnId;       // a second receipt with the same id changes nothing
  // What was bought: our order id, a channel's order, or a store sale.
  domain::OrderId orderId = 0;
  std::optional<domain::Channel> channel;
  std::string externalId;
  std::string posSaleId;
  std::string location;       // where it was received (store or warehouse)
  std::vector<ReturnLine> lines;
  std::string note;
};

struct ReturnRecord {
  ReturnInput input;
  domain::OrderId orderId = 0;  // resolved order, 0 for a store sale
  std::int64_t receivedAtMs = 0;
  std::int64_t restocked = 0;   // units put back into stock (cause "return")
  std::int64_t writtenOff = 0;  // units found damaged (not restocked)
  bool replayed = false;
};

// A fulfilment notice and where it stands.
struct FulfilmentView {
  ShippedNotice notice;
  bool sent = false;
  std::int64_t sentAtMs = 0;
  std::int64_t createdAtMs = 0;
  int attempts = 0;
  std::string lastError;
  std::int64_t refusedAtMs = 0;  // refused by the channel: waits for retryFulfilment
};

struct ChannelStatus {
  domain::Channel channel = domain::Channel::Manual;
  bool enabled = false;
  std::int64_t listings = 0;
  std::int64_t pendingPushes = 0;  // outbox rows
  std::int64_t outOfSync = 0;      // listings whose last pushed figure is not the current one
  std::int64_t pendingFetches = 0; // queued pushes not yet fetched
  std::int64_t ordersSeen = 0;     // distinct channel orders received (stored, rejected or recorded only)
  std::int64_t pushesOk = 0;       // since start
  std::int64_t pushesFailed = 0;
  std::int64_t pendingFulfilments = 0;  // shipped orders the channel has not accepted yet
  std::int64_t fulfilmentsSent = 0;     // accepted by the channel (all time)
  std::int64_t refusedPushes = 0;       // listings whose current figure the channel refused
  struct Refusal {
    std::string sku;
    std::string reason;  // the channel's own words
    std::int64_t sinceMs = 0;
    int attempts = 0;
  };
  std::vector<Refusal> refusals;        // the first kMaxRefusalsShown of them, by SKU
  std::string lastError;
};
inline constexpr std::size_t kMaxRefusalsShown = 50;

// Subscribes to the stock-changed hook (wms::stock::StockEvents) as the
// channels' stock outbox.
class ChannelHub final : public stock::StockListener {
 public:
  // The database must have been opened with channelsSchema(). The intake
  // (the stock core's order intake, whose events the hub's own stock moves
  // use) and the database must outlive the hub. Nothing runs until start().
  // The loops' errors are counted in `errors` (wmsd's, rendered at /metrics;
  // the hub keeps its own if none is given), which must outlive the hub.
  ChannelHub(store::Database& db, stock::OrderIntake& intake, ChannelsConfig config,
             background::Errors* errors = nullptr);
  ~ChannelHub();
  ChannelHub(const ChannelHub&) = delete;
  ChannelHub& operator=(const ChannelHub&) = delete;

  void start();
  void stop();

  // --- the stock-changed hook ----------------------------------------------
  void changedInTx(store::Tx& tx, const std::vector<std::string>& skus) override;
  void committed(const std::vector<std::string>& skus) override;

  // --- the shipment hook ------------------------------------------------------
  // Records the notice in the caller's write transaction (its commit makes it
  // durable). Returns false, recording nothing, if there is nobody to tell:
  // the order's channel is not an enabled marketplace (manual, POS), it has
  // no external id or no shipped lines, or this (channel, order, shipment)
  // was recorded before (a duplicate confirmation).
  bool orderShippedInTx(store::Tx& tx, const ShippedNotice& notice);
  // Wakes the pushers after the transaction of orderShippedInTx committed.
  void shippedCommitted();
  // Fulfilment notices of a channel, newest first (at most `limit`); only
  // those not yet accepted if onlyPending.
  Result<std::vector<FulfilmentView>> fulfilments(domain::Channel channel, bool onlyPending = false, int limit = 500);
  // Sends a refused fulfilment notice of an order again (after a person
  // fixed what the channel refused). NotFound unless one waits.
  Status retryFulfilment(domain::Channel channel, const std::string& externalId);

  // --- orders in --------------------------------------------------------------
  WebhookReply handleWebhook(const WebhookRequest& request);
  // Re-maps a held channel order's lines (a mapping now exists) and reserves
  // it; an order held for another reason (its units were not at the pick
  // locations) is reserved again as it is. NotFound, Conflict (not held,
  // picked units in totes, or a SKU still unmapped: named).
  Result<domain::Order> releaseHold(domain::OrderId id);

  // --- mappings and listings ---------------------------------------------------
  // Creates or updates a listing (and maps its channel SKU to the SKU), and
  // queues the channel's current figure. Invalid (fields, unknown SKU,
  // not a marketplace), Conflict (the channel SKU maps to another SKU).
  Result<ListingView> putListing(const Listing& listing);
  Status deleteListing(domain::Channel channel, const std::string& sku);  // NotFound if not listed
  Result<std::vector<ListingView>> listings(domain::Channel channel, bool onlyOutOfSync = false);
  // Maps another channel SKU (alias) to one of ours.
  Result<SkuMapping> putMapping(const SkuMapping& mapping);
  Result<std::vector<SkuMapping>> mappings(domain::Channel channel);

  Result<std::vector<ChannelStatus>> status();

  // --- store ---------------------------------------------------------------------
  // A till sale: decrements the store location at once (ledger cause
  // pos_sale). InsufficientStock if the location lacks the units (nothing
  // changes); Invalid for a location that is not a store or bad lines.
  Result<PosSaleResult> posSale(const PosSale& sale);
  // A customer return received at a store or the warehouse, with the
  // inspection's verdict per line: sellable units are restocked at the
  // location (ledger cause return), damaged ones are recorded as written off.
  // NotFound for an unknown order or sale; Invalid if more would be returned
  // than was shipped (or sold).
  Result<ReturnRecord> receiveReturn(const ReturnInput& input);
  Result<ReturnRecord> getReturn(const std::string& returnId);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wms::channels
