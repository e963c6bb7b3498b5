#include "wms/server/OrderService.h"

#include <set>

#include "StockOps.h"
#include "wms/store/StockRepository.h"

namespace wms::server {
namespace {

std::vector<std::string> skusOf(const domain::Order& o) {
  std::set<std::string> s;
  for (const auto& l : o.lines) s.insert(l.sku);
  return {s.begin(), s.end()};
}

}  // namespace

Result<CreateOrderResult> OrderService::create(const domain::NewOrder& in, const std::string& idempotencyKey) {
  if (auto st = domain::validateNewOrder(in); !st) return st.error();
  if (!idempotencyKey.empty()) {
    if (auto st = domain::checkExternalId(idempotencyKey, "idempotency key"); !st) return st.error();
  }
  const auto policy = in.onShortage.value_or(options_.defaultShortagePolicy);
  const std::string key = idempotencyKey.empty() ? "" : "order:" + idempotencyKey;
  CreateOrderResult out;
  bool reserved = false;

  auto st = db_.write([&](store::Tx& tx) -> Status {
    store::OrderRepository orders(tx);
    store::IdempotencyRepository keys(tx);
    if (!key.empty()) {
      if (auto previous = keys.find(key)) {
        out = {*orders.find(std::stoll(*previous)), false};
        return {};
      }
    }
    // A channel delivering the same order twice gets the stored order back.
    if (auto existing = orders.idByExternal(in.channel, in.externalId)) {
      out = {*orders.find(*existing), false};
      return {};
    }
    // One lookup per SKU tells both whether it exists and what is available;
    // this is the hot path of order intake, so it stays a handful of statements.
    store::StockRepository stock(tx);
    const auto wanted = domain::quantitiesBySku(in.lines);
    std::string shortMessage;
    for (const auto& [sku, qty] : wanted) {
      auto s = stock.skuStock(sku);
      if (!s) {
        std::size_t index = 0;
        while (in.lines[index].sku != sku) ++index;
        return Error{ErrorKind::Invalid,
                     "lines[" + std::to_string(index) + "].sku: no SKU '" + sku + "' in the catalogue"};
      }
      if (s->available() < qty)
        shortMessage += " " + sku + " wanted " + std::to_string(qty) + ", available " + std::to_string(s->available()) + ";";
    }
    const bool fillable = shortMessage.empty();
    if (!fillable && policy == domain::ShortagePolicy::Reject) {
      shortMessage.pop_back();
      return Error{ErrorKind::InsufficientStock, "not enough stock:" + shortMessage};
    }
    if (fillable) {
      for (const auto& [sku, qty] : wanted) {
        // Cannot fail after the check above: all writes run on one thread.
        if (!stock.reserve(sku, qty)) return Error{ErrorKind::Internal, "reservation of " + sku + " failed"};
      }
    }
    domain::Order o;
    o.channel = in.channel;
    o.externalId = in.externalId;
    o.serviceLevel = in.serviceLevel;
    o.carrier = in.carrier;
    o.priority = in.priority;
    o.shipTo = in.shipTo;
    o.status = fillable ? domain::OrderStatus::Allocated : domain::OrderStatus::Backordered;
    o.createdAtMs = o.updatedAtMs = tx.nowMs();
    int lineNo = 0;
    for (const auto& l : in.lines) {
      domain::OrderLine line;
      line.lineNo = ++lineNo;
      line.sku = l.sku;
      line.externalLineId = l.externalLineId;
      line.qty = l.qty;
      line.allocated = fillable ? l.qty : 0;
      o.lines.push_back(line);
    }
    auto id = orders.insert(o);
    if (!id) return id.error();
    o.id = *id;
    if (fillable) {
      for (const auto& [sku, qty] : wanted) {
        domain::LedgerEntry e;
        e.sku = sku;
        e.deltaAllocated = qty;
        e.cause = domain::LedgerCause::Reservation;
        e.reference = ops::orderRef(o.id);
        stock.appendLedger(e);
      }
      events_.changedInTx(tx, skusOf(o));
      reserved = true;
    }
    if (!key.empty()) {
      if (auto s = keys.claim(key, std::to_string(o.id)); !s) return s;
    }
    out = {std::move(o), true};
    return {};
  });
  if (!st) return st.error();
  if (reserved) events_.committed(skusOf(out.order));
  return out;
}

Result<domain::Order> OrderService::get(domain::OrderId id) {
  std::optional<domain::Order> order;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    order = store::OrderRepository(tx).find(id);
    return {};
  });
  if (!st) return st.error();
  if (!order) return Error{ErrorKind::NotFound, "no order " + std::to_string(id)};
  return *order;
}

Result<domain::Order> OrderService::getByExternal(domain::Channel channel, const std::string& externalId) {
  std::optional<domain::Order> order;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    order = store::OrderRepository(tx).findByExternal(channel, externalId);
    return {};
  });
  if (!st) return st.error();
  if (!order) return Error{ErrorKind::NotFound, std::string("no order ") + domain::toString(channel) + "/" + externalId};
  return *order;
}

Result<std::vector<domain::Order>> OrderService::list(const store::OrderFilter& filter) {
  std::vector<domain::Order> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = store::OrderRepository(tx).list(filter);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<domain::Order> OrderService::cancel(domain::OrderId id, const std::string& reason) {
  if (auto st = domain::checkText(reason, "reason", 200); !st) return st.error();
  domain::Order out;
  bool changed = false;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    store::OrderRepository orders(tx);
    auto o = orders.find(id);
    if (!o) return Error{ErrorKind::NotFound, "no order " + std::to_string(id)};
    if (o->status == domain::OrderStatus::Cancelled) {
      out = *o;
      return {};
    }
    if (!domain::isCancellable(o->status))
      return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " is " + domain::toString(o->status) +
                                            " and can no longer be cancelled"};
    if (auto s = ops::releaseAll(tx, *o, "cancelled" + (reason.empty() ? "" : ": " + reason)); !s) return s;
    orders.setStatus(id, domain::OrderStatus::Cancelled, reason);
    events_.changedInTx(tx, skusOf(*o));
    changed = true;
    out = *orders.find(id);
    return {};
  });
  if (!st) return st.error();
  if (changed) events_.committed(skusOf(out));
  return out;
}

}  // namespace wms::server
