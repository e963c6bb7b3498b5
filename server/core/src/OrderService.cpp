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
  InTx out;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    auto r = createInTx(tx, in, idempotencyKey);
    if (!r) return r.error();
    out = std::move(*r);
    return {};
  });
  if (!st) return st.error();
  if (!out.changedSkus.empty()) events_.committed(out.changedSkus);
  return CreateOrderResult{std::move(out.order), out.created};
}

Result<OrderService::InTx> OrderService::createInTx(store::Tx& tx, const domain::NewOrder& in,
                                                    const std::string& idempotencyKey) {
  if (auto st = domain::validateNewOrder(in); !st) return st.error();
  const auto policy = in.onShortage.value_or(options_.defaultShortagePolicy);
  const std::string key = idempotencyKey.empty() ? "" : "order:" + idempotencyKey;
  InTx out;
  store::OrderRepository orders(tx);
  store::IdempotencyRepository keys(tx);
  if (!key.empty()) {
    if (auto previous = keys.find(key)) return InTx{*orders.find(std::stoll(*previous)), false, {}};
  }
  // A channel delivering the same order twice gets the stored order back.
  if (auto existing = orders.idByExternal(in.channel, in.externalId)) return InTx{*orders.find(*existing), false, {}};
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
      return Error{ErrorKind::Invalid, "lines[" + std::to_string(index) + "].sku: no SKU '" + sku + "' in the catalogue"};
    }
    if (s->available() < qty)
      shortMessage += " " + sku + " wanted " + std::to_string(qty) + ", available " + std::to_string(s->available()) + ";";
  }
  const bool fillable = shortMessage.empty();
  if (!fillable && policy == domain::ShortagePolicy::Reject) {
    shortMessage.pop_back();
    return Error{ErrorKind::InsufficientStock, "not enough stock:" + shortMessage};
  }
  // From here on every change is inside a savepoint, so that an error leaves
  // the caller's transaction as it was.
  domain::Order o;
  auto st = tx.atomically([&]() -> Status {
    if (fillable) {
      for (const auto& [sku, qty] : wanted) {
        // Cannot fail after the check above: all writes run on one thread.
        if (!stock.reserve(sku, qty)) return Error{ErrorKind::Internal, "reservation of " + sku + " failed"};
      }
    }
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
      out.changedSkus = skusOf(o);
      events_.changedInTx(tx, out.changedSkus);
    }
    if (!key.empty()) {
      if (auto s = keys.claim(key, std::to_string(o.id)); !s) return s;
    }
    return {};
  });
  if (!st) return st.error();
  out.order = std::move(o);
  return out;
}

Result<OrderService::InTx> OrderService::createHeldInTx(store::Tx& tx, const domain::NewOrder& in,
                                                        const std::string& reason) {
  if (auto st = domain::checkExternalId(in.externalId, "external_id"); !st) return st.error();
  if (auto st = domain::checkText(reason, "hold reason", 500); !st) return st.error();
  if (in.lines.empty()) return Error{ErrorKind::Invalid, "lines must not be empty"};
  if (in.lines.size() > domain::kMaxOrderLines)
    return Error{ErrorKind::Invalid, "an order may have at most " + std::to_string(domain::kMaxOrderLines) + " lines"};
  for (std::size_t i = 0; i < in.lines.size(); ++i) {
    const std::string path = "lines[" + std::to_string(i) + "]";
    // Channel SKU text is kept as received (it is not in the catalogue).
    if (auto st = domain::checkExternalId(in.lines[i].sku, path + ".sku"); !st) return st.error();
    if (in.lines[i].sku.size() > domain::kMaxSkuLength)
      return Error{ErrorKind::Invalid, path + ".sku is longer than " + std::to_string(domain::kMaxSkuLength) + " characters"};
    if (auto st = domain::checkPositiveQuantity(in.lines[i].qty, path + ".qty"); !st) return st.error();
  }
  const auto& a = in.shipTo;
  for (const auto* f : {&a.name, &a.company, &a.line1, &a.line2, &a.city, &a.region, &a.postalCode, &a.country,
                        &a.phone, &a.email}) {
    if (auto st = domain::checkText(*f, "ship_to", 500); !st) return st.error();
  }
  store::OrderRepository orders(tx);
  if (auto existing = orders.idByExternal(in.channel, in.externalId)) return InTx{*orders.find(*existing), false, {}};
  domain::Order o;
  o.channel = in.channel;
  o.externalId = in.externalId;
  o.serviceLevel = in.serviceLevel;
  o.carrier = in.carrier;
  o.priority = in.priority;
  o.shipTo = in.shipTo;
  o.status = domain::OrderStatus::Held;
  o.holdReason = reason;
  o.createdAtMs = o.updatedAtMs = tx.nowMs();
  int lineNo = 0;
  for (const auto& l : in.lines) {
    domain::OrderLine line;
    line.lineNo = ++lineNo;
    line.sku = l.sku;
    line.externalLineId = l.externalLineId;
    line.qty = l.qty;
    o.lines.push_back(line);
  }
  auto id = orders.insert(o);
  if (!id) return id.error();
  o.id = *id;
  return InTx{std::move(o), true, {}};
}

Result<domain::Order> OrderService::releaseHold(domain::OrderId id) {
  InTx out;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    auto o = store::OrderRepository(tx).find(id);
    if (!o) return Error{ErrorKind::NotFound, "no order " + std::to_string(id)};
    for (const auto& l : o->lines)
      if (l.picked > l.shipped)
        return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " has picked units in totes (line " +
                                              std::to_string(l.lineNo) + "): pack them, or put them back first"};
    auto r = releaseHoldInTx(tx, id, {});
    if (!r) return r.error();
    out = std::move(*r);
    return {};
  });
  if (!st) return st.error();
  if (!out.changedSkus.empty()) events_.committed(out.changedSkus);
  return out.order;
}

Result<OrderService::InTx> OrderService::releaseHoldInTx(store::Tx& tx, domain::OrderId id,
                                                         const std::vector<std::pair<int, std::string>>& lineSkus) {
  store::OrderRepository orders(tx);
  auto o = orders.find(id);
  if (!o) return Error{ErrorKind::NotFound, "no order " + std::to_string(id)};
  if (o->status != domain::OrderStatus::Held)
    return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " is " + domain::toString(o->status) + ", not held"};
  store::StockRepository stock(tx);
  for (const auto& [lineNo, sku] : lineSkus) {
    if (!stock.skuStock(sku)) return Error{ErrorKind::Invalid, "no SKU '" + sku + "' in the catalogue"};
  }
  InTx out;
  domain::Order order = *o;
  auto st = tx.atomically([&]() -> Status {
    for (const auto& [lineNo, sku] : lineSkus) {
      for (auto& l : order.lines) {
        if (l.lineNo != lineNo || l.sku == sku) continue;
        if (l.allocated != 0 || l.picked != 0 || l.shipped != 0)
          return Error{ErrorKind::Conflict, "line " + std::to_string(lineNo) + " already holds stock"};
        orders.setLineSku(id, lineNo, sku);
        l.sku = sku;
      }
    }
    const bool fillable = ops::shortagesOf(tx, order.lines).empty();
    if (!fillable) {
      if (options_.defaultShortagePolicy == domain::ShortagePolicy::Reject) {
        std::string message = "not enough stock:";
        for (const auto& s : ops::shortagesOf(tx, order.lines))
          message += " " + s.sku + " wanted " + std::to_string(s.wanted) + ", available " + std::to_string(s.available) + ";";
        message.pop_back();
        return Error{ErrorKind::InsufficientStock, message};
      }
      orders.setStatus(id, domain::OrderStatus::Backordered);
      return {};
    }
    if (auto s = ops::reserveAll(tx, order); !s) return s;
    orders.setStatus(id, domain::OrderStatus::Allocated);
    out.changedSkus = skusOf(order);
    events_.changedInTx(tx, out.changedSkus);
    return {};
  });
  if (!st) return st.error();
  out.order = *orders.find(id);
  out.created = false;
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
  InTx out;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    auto r = cancelInTx(tx, id, reason);
    if (!r) return r.error();
    out = std::move(*r);
    return {};
  });
  if (!st) return st.error();
  if (!out.changedSkus.empty()) events_.committed(out.changedSkus);
  return out.order;
}

Result<OrderService::InTx> OrderService::cancelInTx(store::Tx& tx, domain::OrderId id, const std::string& reason) {
  if (auto st = domain::checkText(reason, "reason", 200); !st) return st.error();
  store::OrderRepository orders(tx);
  auto o = orders.find(id);
  if (!o) return Error{ErrorKind::NotFound, "no order " + std::to_string(id)};
  if (o->status == domain::OrderStatus::Cancelled) return InTx{*o, false, {}};
  if (!domain::isCancellable(o->status))
    return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " is " + domain::toString(o->status) +
                                          " and can no longer be cancelled"};
  InTx out;
  auto st = tx.atomically([&]() -> Status {
    // A released order is on a pick list: take it off first (nothing of it
    // was picked yet, or it would be picking and not cancellable).
    if (o->status == domain::OrderStatus::Released && releasedCancelHook_) {
      if (auto s = releasedCancelHook_(tx, id); !s) return s;
    }
    if (auto s = ops::releaseAll(tx, *o, "cancelled" + (reason.empty() ? "" : ": " + reason)); !s) return s;
    orders.setStatus(id, domain::OrderStatus::Cancelled, reason);
    out.changedSkus = skusOf(*o);
    events_.changedInTx(tx, out.changedSkus);
    return {};
  });
  if (!st) return st.error();
  out.order = *orders.find(id);
  out.created = false;
  return out;
}

}  // namespace wms::server
