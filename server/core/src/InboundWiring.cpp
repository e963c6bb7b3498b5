#include "InboundWiring.h"

#include <algorithm>

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
    auto sku = catalog.findSku(l.sku);
    line.description = protocol::fitText(sku && !sku->description.empty() ? sku->description : l.sku);
    if (sku)
      for (const auto& b : sku->barcodes)
        if (line.barcodes.size() < protocol::kMaxBarcodes) line.barcodes.push_back(b.value);
    if (line.barcodes.empty()) line.barcodes.push_back(l.sku);
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

}  // namespace

void registerInboundHandlers(DeviceGateway& gateway, inbound::ReceivingService& receiving,
                             inbound::PutawayService& putaway) {
  gateway.handle<protocol::PutawayRequest>([&putaway](store::Tx& tx, const DeviceContext& ctx,
                                                      const protocol::PutawayRequest& msg, Replies& replies) -> Status {
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
    replies.send(std::move(task));
    return {};
  });

  gateway.handle<protocol::PutawayConfirm>([&putaway](store::Tx& tx, const DeviceContext& ctx,
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
    auto done = putaway.confirm(tx, in);
    if (!done) return done.error();
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
