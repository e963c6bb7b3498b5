#include "InboundWiring.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "wms/protocol/Codec.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/ExceptionRepository.h"

namespace wms::server {
namespace {

// The receipt's key: one device event is one receipt, however often it comes.
std::string keyOf(const DeviceContext& ctx, const std::string& eventId) { return ctx.device + ":" + eventId; }

stock::Actor actorOf(const DeviceContext& ctx) {
  return stock::Actor::device(ctx.device + (ctx.badge.empty() ? std::string() : "/" + ctx.badge));
}

// How a handheld shows a SKU: its description (else the SKU) and its
// barcodes (else the SKU itself, which the handheld matches as a code).
struct ItemView {
  std::string description;
  std::vector<std::string> barcodes;
};

ItemView itemOf(store::CatalogRepository& catalog, const std::string& skuCode) {
  ItemView v;
  auto sku = catalog.findSku(skuCode);
  v.description = protocol::fitText(sku && !sku->description.empty() ? sku->description : skuCode);
  if (sku)
    for (const auto& b : sku->barcodes)
      if (v.barcodes.size() < protocol::kMaxBarcodes) v.barcodes.push_back(b.value);
  if (v.barcodes.empty()) v.barcodes.push_back(skuCode);
  return v;
}

// What the dock worker's handheld shows for an order: its lines with the
// SKUs' barcodes (the ordered quantities left out when receiving blind), and
// the announced units still to come.
Result<protocol::ReceiveTask> taskOf(store::Tx& tx, inbound::ReceivingService& receiving, const DeviceContext& ctx,
                                     const inbound::PurchaseOrder& po) {
  protocol::ReceiveTask task;
  task.device = ctx.device;
  task.ts = tx.nowMs();
  task.po = po.reference;
  task.supplier = protocol::fitText(po.supplier);
  store::CatalogRepository catalog(tx);
  for (const auto& l : po.lines) {
    protocol::ReceiveLine line;
    line.lineId = std::to_string(l.lineNo);
    line.sku = l.sku;
    auto item = itemOf(catalog, l.sku);
    line.description = std::move(item.description);
    line.barcodes = std::move(item.barcodes);
    if (!receiving.config().blind) line.qty = static_cast<int>(l.qty);
    line.received = static_cast<int>(std::min<std::int64_t>(l.received, protocol::kMaxQty));
    if (!l.lot.empty()) line.lot = l.lot;
    if (!l.expiry.empty()) line.expiry = l.expiry;
    task.lines.push_back(std::move(line));
  }
  for (const auto& u : po.units)
    if (u.receivedAtMs == 0 && task.units.size() < protocol::kMaxCartons) task.units.push_back(u.sscc);
  return task;
}

// Replenishment moves handed to a handheld, so that two workers in
// replenish mode are not sent to refill the same face: a move given to one
// device is left out of the others' tasks for kClaimMs (then it is offered
// again: the worker may have gone home). Thread-safe.
class MoveClaims {
 public:
  static constexpr std::int64_t kClaimMs = 10 * 60 * 1000;
  using Key = std::tuple<std::string, std::string, std::string>;  // sku, from, to

  // The moves of `plan` not claimed by another device, at most `limit`;
  // they become this device's claims (its earlier ones are released).
  std::vector<inbound::ReplenishmentTask> take(const std::string& device, std::int64_t nowMs,
                                               const std::vector<inbound::ReplenishmentTask>& plan, std::size_t limit) {
    std::lock_guard lock(mutex_);
    std::erase_if(claims_, [&](const auto& c) { return c.second.first == device || nowMs - c.second.second > kClaimMs; });
    std::vector<inbound::ReplenishmentTask> out;
    for (const auto& move : plan) {
      if (out.size() >= limit) break;
      if (claims_.count(keyOf(move))) continue;
      claims_[keyOf(move)] = {device, nowMs};
      out.push_back(move);
    }
    return out;
  }

 private:
  static Key keyOf(const inbound::ReplenishmentTask& m) { return {m.sku, m.from, m.to}; }

  std::mutex mutex_;
  std::map<Key, std::pair<std::string, std::int64_t>> claims_;
};

// Where each handheld was told to put each item (its last putaway.task per
// SKU, dock location, lot and expiry), until it puts it away or for an hour: a worker who goes where
// it was told needs no reason when another put-away took that room first
// (PutawayInput::told). In memory: after a restart a worker going to a
// stale suggestion is asked for a reason.
class PutawaysTold {
 public:
  static constexpr std::int64_t kKeepMs = 60 * 60 * 1000;
  using Item = std::tuple<std::string, std::string, std::string, std::string>;  // sku, from, lot, expiry

  void tell(const std::string& device, const Item& item, const std::string& to, std::int64_t nowMs) {
    std::lock_guard lock(mutex_);
    std::erase_if(told_, [&](const auto& t) { return nowMs - t.second.second > kKeepMs; });
    if (to.empty())
      told_.erase({device, item});
    else
      told_[{device, item}] = {to, nowMs};
  }
  // Done: the next put-away of the item follows the next task.
  void forget(const std::string& device, const Item& item) {
    std::lock_guard lock(mutex_);
    told_.erase({device, item});
  }
  std::string toldTo(const std::string& device, const Item& item, std::int64_t nowMs) {
    std::lock_guard lock(mutex_);
    auto it = told_.find({device, item});
    if (it == told_.end() || nowMs - it->second.second > kKeepMs) return {};
    return it->second.first;
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, Item>, std::pair<std::string, std::int64_t>> told_;  // protected by mutex_
};

// A replenish.task: the moves of the plan as it is now that no other
// handheld holds.
Result<protocol::ReplenishTask> replenishTaskFor(store::Tx& tx, inbound::ReplenishmentService& replenishment,
                                                 MoveClaims& claims, const DeviceContext& ctx) {
  constexpr std::size_t kMovesPerTask = 50;  // a task stays far below the payload limit
  auto plan = replenishment.plan(tx);
  if (!plan) return plan.error();
  protocol::ReplenishTask task;
  task.device = ctx.device;
  task.ts = tx.nowMs();
  store::CatalogRepository catalog(tx);
  for (const auto& m : claims.take(ctx.device, tx.nowMs(), *plan, kMovesPerTask)) {
    protocol::ReplenishMove move;
    move.sku = m.sku;
    auto item = itemOf(catalog, m.sku);
    move.description = std::move(item.description);
    move.barcodes = std::move(item.barcodes);
    move.from = m.from;
    move.to = m.to;
    if (!m.lot.empty()) move.lot = m.lot;
    if (!m.expiry.empty()) move.expiry = m.expiry;
    move.qty = static_cast<int>(std::min<std::int64_t>(m.qty, protocol::kMaxQty));
    move.reason = protocol::fitText(m.reason);
    task.moves.push_back(std::move(move));
  }
  if (task.moves.empty())
    task.note = plan->empty() ? "no pick face needs refilling now" : "every move needed is with another handheld";
  return task;
}

// A count.task: the counts waiting, blind; those at `here` (where the
// counter stands) first. The location of its first row, where the counter
// counts next, is frozen for picks.
Result<protocol::CountTask> countTaskFor(store::Tx& tx, inbound::CountService& counts, LocationFreezes& freezes,
                                         const DeviceContext& ctx, const std::string& here = {}) {
  constexpr int kCountsPerTask = 100;
  auto waiting = counts.waiting(tx, kCountsPerTask);
  if (!waiting) return waiting.error();
  std::stable_partition(waiting->begin(), waiting->end(),
                        [&](const inbound::CountTask& t) { return t.location == here; });
  if (!waiting->empty()) freezes.freeze(waiting->front().location, tx.nowMs());
  protocol::CountTask task;
  task.device = ctx.device;
  task.ts = tx.nowMs();
  store::CatalogRepository catalog(tx);
  for (const auto& t : *waiting) {
    protocol::CountItem c;
    c.countId = t.id;
    c.location = t.location;
    c.sku = t.sku;
    auto item = itemOf(catalog, t.sku);
    c.description = std::move(item.description);
    c.barcodes = std::move(item.barcodes);
    if (!t.lot.empty()) c.lot = t.lot;
    if (!t.expiry.empty()) c.expiry = t.expiry;
    c.recount = t.status == inbound::CountStatus::Recount;
    task.counts.push_back(std::move(c));
  }
  if (task.counts.empty()) task.note = "no count is waiting";
  return task;
}

}  // namespace

void registerReplenishAndCountHandlers(DeviceGateway& gateway, inbound::ReplenishmentService& replenishment,
                                       inbound::CountService& counts, LocationFreezes& freezes) {
  auto claims = std::make_shared<MoveClaims>();
  gateway.handle<protocol::ReplenishRequest>(
      [&replenishment, claims](store::Tx& tx, const DeviceContext& ctx, const protocol::ReplenishRequest&,
                               Replies& replies) -> Status {
        auto task = replenishTaskFor(tx, replenishment, *claims, ctx);
        if (!task) return task.error();
        replies.send(std::move(*task));
        return {};
      });

  gateway.handle<protocol::ReplenishConfirm>(
      [&replenishment, claims](store::Tx& tx, const DeviceContext& ctx, const protocol::ReplenishConfirm& msg,
                               Replies& replies) -> Status {
        inbound::ReplenishmentInput in;
        in.sku = msg.sku;
        in.from = msg.from;
        in.to = msg.to;
        in.lot = msg.lot.value_or("");
        in.expiry = msg.expiry.value_or("");
        in.qty = msg.qty;
        in.idempotencyKey = keyOf(ctx, msg.eventId);
        in.who = actorOf(ctx);
        auto done = replenishment.confirm(tx, in);
        if (!done) return done.error();
        auto task = replenishTaskFor(tx, replenishment, *claims, ctx);
        if (!task) return task.error();
        replies.send(std::move(*task));
        return {};
      });

  gateway.handle<protocol::CountRequest>([&counts, &freezes](store::Tx& tx, const DeviceContext& ctx,
                                                              const protocol::CountRequest& msg,
                                                              Replies& replies) -> Status {
    if (msg.location) {
      auto made = counts.create(tx, *msg.location, "", "on demand from " + ctx.device);
      if (!made) return made.error();
    }
    auto task = countTaskFor(tx, counts, freezes, ctx, msg.location.value_or(""));
    if (!task) return task.error();
    replies.send(std::move(*task));
    return {};
  });

  gateway.handle<protocol::CountConfirm>([&counts, &freezes](store::Tx& tx, const DeviceContext& ctx,
                                                              const protocol::CountConfirm& msg,
                                                              Replies& replies) -> Status {
    std::vector<std::string> changed;
    auto counted = counts.submit(tx, msg.countId, msg.counted, keyOf(ctx, msg.eventId), actorOf(ctx), changed);
    if (!counted) return counted.error();
    // Counted: the shelf thaws unless a count there still waits (the task
    // lists those first and freezes the shelf again).
    freezes.thaw(counted->location);
    auto task = countTaskFor(tx, counts, freezes, ctx, counted->location);
    if (!task) return task.error();
    replies.send(std::move(*task));
    replies.afterCommit([&counts, changed = std::move(changed)] { counts.committed(changed); });
    return {};
  });
}

void registerInboundHandlers(DeviceGateway& gateway, inbound::ReceivingService& receiving,
                             inbound::PutawayService& putaway) {
  auto told = std::make_shared<PutawaysTold>();
  gateway.handle<protocol::PutawayRequest>([&putaway, told](store::Tx& tx, const DeviceContext& ctx,
                                                            const protocol::PutawayRequest& msg,
                                                            Replies& replies) -> Status {
    auto t = putaway.task(tx, msg.location, msg.barcode);
    if (!t) return t.error();
    protocol::PutawayTask task;
    task.device = ctx.device;
    task.ts = tx.nowMs();
    task.sku = t->sku;
    task.description = protocol::fitText(t->description.empty() ? t->sku : t->description);
    for (const auto& b : t->barcodes)
      if (task.barcodes.size() < protocol::kMaxBarcodes) task.barcodes.push_back(b);
    if (task.barcodes.empty()) task.barcodes.push_back(t->sku);
    task.from = t->from;
    if (!t->lot.empty()) task.lot = t->lot;
    if (!t->expiry.empty()) task.expiry = t->expiry;
    task.qty = static_cast<int>(std::min<std::int64_t>(t->qty, protocol::kMaxQty));
    if (!t->suggestion.location.empty()) task.to = t->suggestion.location;
    task.rule = protocol::fitText(t->suggestion.rule);
    told->tell(ctx.device, {t->sku, t->from, t->lot, t->expiry}, t->suggestion.location, tx.nowMs());
    replies.send(std::move(task));
    return {};
  });

  gateway.handle<protocol::PutawayConfirm>([&putaway, told](store::Tx& tx, const DeviceContext& ctx,
                                                            const protocol::PutawayConfirm& msg, Replies&) -> Status {
    inbound::PutawayInput in;
    in.sku = msg.sku;
    in.from = msg.from;
    in.to = msg.to;
    in.qty = msg.qty;
    in.lot = msg.lot.value_or("");
    in.expiry = msg.expiry.value_or("");
    in.reason = msg.reason.value_or("");
    in.idempotencyKey = keyOf(ctx, msg.eventId);
    in.who = actorOf(ctx);
    const PutawaysTold::Item item{in.sku, in.from, in.lot, in.expiry};
    in.told = told->toldTo(ctx.device, item, tx.nowMs());
    auto done = putaway.confirm(tx, in);
    if (!done) return done.error();
    told->forget(ctx.device, item);
    return {};
  });

  gateway.handle<protocol::ReceiveRequest>([&receiving](store::Tx& tx, const DeviceContext& ctx,
                                                        const protocol::ReceiveRequest& msg, Replies& replies) -> Status {
    auto id = receiving.findByReference(tx, msg.po);
    if (!id) return id.error();
    auto po = receiving.get(tx, *id);
    if (!po) return po.error();
    if (po->status == inbound::PoStatus::Closed)
      return Error{ErrorKind::Conflict, po->reference + " is closed: nothing more is received on it"};
    auto task = taskOf(tx, receiving, ctx, *po);
    if (!task) return task.error();
    replies.send(std::move(*task));
    return {};
  });

  gateway.handle<protocol::ReceiveConfirm>([&receiving](store::Tx& tx, const DeviceContext& ctx,
                                                        const protocol::ReceiveConfirm& msg, Replies& replies) -> Status {
    auto id = receiving.findByReference(tx, msg.po);
    if (!id) return id.error();
    Result<inbound::ReceiptResult> result = Error{ErrorKind::Internal, "not run"};
    if (msg.sscc) {
      result = receiving.receiveUnit(tx, *id, *msg.sscc, msg.location, keyOf(ctx, msg.eventId), actorOf(ctx));
    } else {
      inbound::ReceiptInput in;
      in.poId = *id;
      in.scan = msg.barcode.value_or("");
      in.qty = msg.qty.value_or(0);
      in.location = msg.location;
      in.damaged = msg.condition == protocol::ItemCondition::Damaged;
      in.idempotencyKey = keyOf(ctx, msg.eventId);
      in.who = actorOf(ctx);
      std::optional<inbound::RaiseOnRefusal> raise;
      result = receiving.receive(tx, in, raise);
      if (!result && raise) {
        replies.onRefusalInTx([r = *raise](store::Tx& t) { store::ExceptionRepository(t).raise(r.kind, r.reference, r.message); });
      }
    }
    if (!result) return result.error();
    replies.afterCommit([&receiving, done = *result] { receiving.received(done); });
    return {};
  });
}

}  // namespace wms::server
