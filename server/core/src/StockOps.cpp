#include "StockOps.h"

#include <map>

#include "wms/store/OrderRepository.h"
#include "wms/store/StockRepository.h"

namespace wms::server::ops {

std::string orderRef(domain::OrderId id) { return "order:" + std::to_string(id); }

Result<std::int64_t> changeOnHandAt(store::Tx& tx, const domain::StockAtLocation& where, std::int64_t delta,
                                    domain::LedgerCause cause, const std::string& reference,
                                    const std::string& idempotencyKey, const std::string& note) {
  store::StockRepository stock(tx);
  // Both changes happen inside the caller's write; if the second refuses,
  // the write's rollback undoes the first. The location goes first for the
  // more telling message ("location X holds 3").
  if (auto st = stock.changeAtLocation(where, delta); !st) return st.error();
  if (auto st = stock.changeOnHand(where.sku, delta); !st) return st.error();
  domain::LedgerEntry e;
  e.sku = where.sku;
  e.location = where.location;
  e.lot = where.lot;
  e.expiry = where.expiry;
  e.deltaOnHand = delta;
  e.cause = cause;
  e.reference = reference;
  e.idempotencyKey = idempotencyKey;
  e.note = note;
  return stock.appendLedger(e);
}

std::vector<Shortage> shortagesOf(store::Tx& tx, const std::vector<domain::OrderLine>& lines) {
  std::vector<domain::NewOrderLine> wanted;
  for (const auto& l : lines) wanted.push_back({l.sku, l.qty - l.allocated - l.shipped, {}});
  store::StockRepository stock(tx);
  std::vector<Shortage> out;
  for (const auto& [sku, qty] : domain::quantitiesBySku(wanted)) {
    if (qty <= 0) continue;
    auto s = stock.skuStock(sku);
    std::int64_t available = s ? s->available() : 0;
    if (available < qty) out.push_back({sku, qty, available});
  }
  return out;
}

Status reserveAll(store::Tx& tx, domain::Order& order) {
  store::StockRepository stock(tx);
  store::OrderRepository orders(tx);
  std::map<std::string, std::int64_t> bySku;
  for (auto& l : order.lines) {
    std::int64_t need = l.qty - l.allocated - l.shipped - l.shortQty;
    if (need <= 0) continue;
    if (!stock.reserve(l.sku, need))
      return Error{ErrorKind::InsufficientStock, "SKU " + l.sku + " has fewer than " + std::to_string(need) +
                                                     " units available"};
    l.allocated += need;
    bySku[l.sku] += need;
    if (order.id != 0) orders.updateLine(order.id, l);
  }
  for (const auto& [sku, qty] : bySku) {
    domain::LedgerEntry e;
    e.sku = sku;
    e.deltaAllocated = qty;
    e.cause = domain::LedgerCause::Reservation;
    e.reference = orderRef(order.id);
    stock.appendLedger(e);
  }
  return {};
}

Status releaseAll(store::Tx& tx, domain::Order& order, const std::string& note) {
  store::StockRepository stock(tx);
  store::OrderRepository orders(tx);
  std::map<std::string, std::int64_t> bySku;
  for (auto& l : order.lines) {
    if (l.allocated <= 0) continue;
    if (auto st = stock.release(l.sku, l.allocated); !st) return st;
    bySku[l.sku] += l.allocated;
    l.allocated = 0;
    orders.updateLine(order.id, l);
  }
  for (const auto& [sku, qty] : bySku) {
    domain::LedgerEntry e;
    e.sku = sku;
    e.deltaAllocated = -qty;
    e.cause = domain::LedgerCause::Release;
    e.reference = orderRef(order.id);
    e.note = note;
    stock.appendLedger(e);
  }
  return {};
}

Result<std::vector<domain::OrderId>> fillBackorders(store::Tx& tx, const std::set<std::string>& skus) {
  store::OrderRepository orders(tx);
  std::vector<domain::OrderId> filled;
  std::set<domain::OrderId> seen;
  for (const auto& sku : skus) {
    store::OrderFilter f;
    f.status = domain::OrderStatus::Backordered;
    f.sku = sku;
    f.limit = 1000;
    for (auto& order : orders.list(f)) {
      if (!seen.insert(order.id).second) continue;
      if (!shortagesOf(tx, order.lines).empty()) continue;
      // Cannot fail after the shortage check (all writes are serialised); if
      // it does, the caller's transaction is rolled back with the error.
      if (auto st = reserveAll(tx, order); !st) return st.error();
      orders.setStatus(order.id, domain::OrderStatus::Allocated);
      filled.push_back(order.id);
    }
  }
  return filled;
}

}  // namespace wms::server::ops
