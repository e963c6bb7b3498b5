#include "wms/stock/OrderIntake.h"

#include <algorithm>
#include <set>

#include "wms/store/OrderRepository.h"
#include "wms/store/StockRepository.h"

namespace wms::stock {
namespace {

std::vector<std::string> skusOf(const domain::Order& o) {
  std::set<std::string> s;
  for (const auto& l : o.lines) s.insert(l.sku);
  return {s.begin(), s.end()};
}

// The order to store for an incoming one: lines numbered from 1, nothing
// reserved yet.
domain::Order draftOf(const domain::NewOrder& in, domain::OrderStatus status, std::int64_t nowMs) {
  domain::Order o;
  o.channel = in.channel;
  o.externalId = in.externalId;
  o.serviceLevel = in.serviceLevel;
  o.carrier = in.carrier;
  o.priority = in.priority;
  o.shipTo = in.shipTo;
  o.status = status;
  o.createdAtMs = o.updatedAtMs = nowMs;
  int lineNo = 0;
  for (const auto& l : in.lines) {
    domain::OrderLine line;
    line.lineNo = ++lineNo;
    line.sku = l.sku;
    line.externalLineId = l.externalLineId;
    line.qty = l.qty;
    o.lines.push_back(line);
  }
  return o;
}

std::string shortageText(const std::vector<Shortage>& shortages) {
  std::string message = "not enough stock:";
  for (const auto& s : shortages)
    message += " " + s.sku + " wanted " + std::to_string(s.wanted) + ", available " + std::to_string(s.available) + ";";
  message.pop_back();
  return message;
}

}  // namespace

Result<IntakeResult> OrderIntake::create(store::Tx& tx, const Actor& who, const domain::NewOrder& in,
                                         const std::string& idempotencyKey) {
  if (auto st = domain::validateNewOrder(in); !st) return st.error();
  if (!idempotencyKey.empty()) {
    if (auto st = domain::checkExternalId(idempotencyKey, "idempotency key"); !st) return st.error();
  }
  const auto policy = in.onShortage.value_or(options_.defaultShortagePolicy);
  const std::string key = idempotencyKey.empty() ? "" : "order:" + idempotencyKey;
  store::OrderRepository orders(tx);
  store::IdempotencyRepository keys(tx);
  if (!key.empty()) {
    if (auto previous = keys.find(key)) return IntakeResult{*orders.find(std::stoll(*previous)), false, {}};
  }
  // A channel delivering the same order twice gets the stored order back.
  if (auto existing = orders.idByExternal(in.channel, in.externalId))
    return IntakeResult{*orders.find(*existing), false, {}};
  // One lookup per SKU tells both whether it exists and what is available;
  // this is the hot path of order intake, so it stays a handful of statements.
  store::StockRepository stock(tx);
  std::string shortMessage;
  for (const auto& [sku, qty] : domain::quantitiesBySku(in.lines)) {
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
  domain::Order o = draftOf(in, fillable ? domain::OrderStatus::Allocated : domain::OrderStatus::Backordered,
                            tx.nowMs());
  IntakeResult out;
  // The writes are atomic (one savepoint: this is the hot path of intake).
  // The key's claim after them cannot fail: it was looked up above, and all
  // writes run on one thread.
  if (fillable) {
    Moves moves(tx, events_, who);
    if (auto s = moves.insertReserved(o); !s) return s.error();
    out.changedSkus = skusOf(o);
  } else {
    auto st = tx.atomically([&]() -> Status {
      auto id = orders.insert(o);
      if (!id) return id.error();
      o.id = *id;
      return {};
    });
    if (!st) return st.error();
  }
  if (!key.empty()) {
    if (auto s = keys.claim(key, std::to_string(o.id)); !s) return s.error();
  }
  out.order = std::move(o);
  return out;
}

Result<IntakeResult> OrderIntake::createHeld(store::Tx& tx, const Actor&, const domain::NewOrder& in,
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
  if (auto existing = orders.idByExternal(in.channel, in.externalId))
    return IntakeResult{*orders.find(*existing), false, {}};
  domain::Order o = draftOf(in, domain::OrderStatus::Held, tx.nowMs());
  o.holdReason = reason;
  auto id = orders.insert(o);
  if (!id) return id.error();
  o.id = *id;
  return IntakeResult{std::move(o), true, {}};
}

Result<IntakeResult> OrderIntake::cancel(store::Tx& tx, const Actor& who, domain::OrderId id,
                                         const std::string& reason, const std::string& returnTo) {
  if (auto st = domain::checkText(reason, "reason", 200); !st) return st.error();
  store::OrderRepository orders(tx);
  auto o = orders.find(id);
  if (!o) return Error{ErrorKind::NotFound, "no order " + std::to_string(id)};
  if (o->status == domain::OrderStatus::Cancelled) return IntakeResult{*o, false, {}};
  if (!domain::isCancellable(o->status))
    return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " is " + domain::toString(o->status) +
                                          " and can no longer be cancelled"};
  // Picked units not shipped sit in totes (the lines' counters say so; the
  // totes are named by picked_units).
  std::set<std::string> totes;
  if (std::any_of(o->lines.begin(), o->lines.end(), [](const auto& l) { return l.picked > l.shipped; })) {
    for (const auto& row : Moves(tx, events_, who).pickedUnits(id))
      if (row.qty > row.shipped) totes.insert(row.tote);
  }
  if (!totes.empty() && returnTo.empty()) {
    std::string list;
    for (const auto& t : totes) list += (list.empty() ? "" : ", ") + t;
    return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " has picked units in tote " + list +
                                          ": cancel it with return_to, the location they go back to"};
  }
  IntakeResult out;
  auto st = tx.atomically([&]() -> Status {
    // A released order is on a pick list: take it off first (nothing of it
    // was picked yet, or it would be picking and not cancellable).
    if (o->status == domain::OrderStatus::Released && cancelReleased_) {
      if (auto s = cancelReleased_(tx, id); !s) return s;
    }
    Moves moves(tx, events_, who);
    if (!totes.empty()) {
      auto back = moves.returnFromTotes(*o, returnTo, "order:" + std::to_string(id) + "/cancelled");
      if (!back) return back.error();
    }
    if (auto s = moves.release(*o, "cancelled" + (reason.empty() ? "" : ": " + reason)); !s) return s;
    orders.setStatus(id, domain::OrderStatus::Cancelled, reason);
    out.changedSkus = skusOf(*o);
    return {};
  });
  if (!st) return st.error();
  out.order = *orders.find(id);
  out.created = false;
  return out;
}

Result<IntakeResult> OrderIntake::intercept(store::Tx& tx, const Actor& who, domain::OrderId id,
                                            const std::string& reason) {
  if (auto st = domain::checkText(reason, "reason", 200); !st) return st.error();
  store::OrderRepository orders(tx);
  auto o = orders.find(id);
  if (!o) return Error{ErrorKind::NotFound, "no order " + std::to_string(id)};
  // A held order with picked units (held after a short at packing) is
  // intercepted too: its new hold says it must not ship, so nobody packs
  // what is left of it.
  const bool heldWithPicked = o->status == domain::OrderStatus::Held &&
                              std::any_of(o->lines.begin(), o->lines.end(), [](const auto& l) { return l.picked > l.shipped; });
  if (o->status != domain::OrderStatus::Picking && o->status != domain::OrderStatus::Picked &&
      o->status != domain::OrderStatus::Packed && !heldWithPicked)
    return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " is " + domain::toString(o->status) +
                                          ": only an order being picked or packed is intercepted"};
  IntakeResult out;
  auto st = tx.atomically([&]() -> Status {
    // Off the pick lists it is still on: the picker is told to skip its stops.
    if (o->status == domain::OrderStatus::Picking && cancelReleased_) {
      if (auto s = cancelReleased_(tx, id); !s) return s;
    }
    Moves moves(tx, events_, who);
    for (const auto& l : std::vector<domain::OrderLine>(o->lines)) {
      const std::int64_t unpicked = l.allocated - (l.picked - l.shipped);
      if (unpicked <= 0) continue;
      auto freed = moves.releaseLine(*o, l.lineNo, unpicked, "intercepted: " + reason);
      if (!freed) return freed.error();
    }
    orders.setStatus(id, domain::OrderStatus::Held,
                     "intercepted (" + reason + "): do not ship; cancel it with a location to put its units back to");
    out.changedSkus = skusOf(*o);
    return {};
  });
  if (!st) return st.error();
  out.order = *orders.find(id);
  out.created = false;
  return out;
}

Result<IntakeResult> OrderIntake::releaseHold(store::Tx& tx, const Actor& who, domain::OrderId id,
                                              const std::vector<std::pair<int, std::string>>& lineSkus) {
  store::OrderRepository orders(tx);
  auto o = orders.find(id);
  if (!o) return Error{ErrorKind::NotFound, "no order " + std::to_string(id)};
  if (o->status != domain::OrderStatus::Held)
    return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " is " + domain::toString(o->status) + ", not held"};
  // Held after a short pick with units in a tote: reserving it again would
  // send pickers for units it already has.
  for (const auto& l : o->lines)
    if (l.picked > l.shipped)
      return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " has picked units in totes (line " +
                                            std::to_string(l.lineNo) + "): pack them, or put them back first"};
  store::StockRepository stock(tx);
  for (const auto& [lineNo, sku] : lineSkus) {
    if (!stock.skuStock(sku)) return Error{ErrorKind::Invalid, "no SKU '" + sku + "' in the catalogue"};
  }
  IntakeResult out;
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
    Moves moves(tx, events_, who);
    if (auto shortages = moves.shortages(order.lines); !shortages.empty()) {
      if (options_.defaultShortagePolicy == domain::ShortagePolicy::Reject)
        return Error{ErrorKind::InsufficientStock, shortageText(shortages)};
      orders.setStatus(id, domain::OrderStatus::Backordered);
      return {};
    }
    if (auto s = moves.reserve(order); !s) return s;
    orders.setStatus(id, domain::OrderStatus::Allocated);
    out.changedSkus = skusOf(order);
    return {};
  });
  if (!st) return st.error();
  out.order = *orders.find(id);
  out.created = false;
  return out;
}

}  // namespace wms::stock
