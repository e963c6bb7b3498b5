#include "wms/stock/Moves.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "wms/store/CatalogRepository.h"
#include "wms/store/OrderRepository.h"
#include "wms/store/Query.h"
#include "wms/store/StockRepository.h"

namespace wms::stock {
namespace {

Error invalid(std::string message) { return Error{ErrorKind::Invalid, std::move(message)}; }
Error conflict(std::string message) { return Error{ErrorKind::Conflict, std::move(message)}; }
std::string n(std::int64_t v) { return std::to_string(v); }
std::string orderRef(domain::OrderId id) { return "order:" + std::to_string(id); }

}  // namespace

std::string toteLocation(const std::string& tote) { return "TOTE-" + tote; }

Moves::Moves(store::Tx& tx, const StockEvents& events, Actor who) : tx_(tx), events_(events), who_(std::move(who)) {}

std::int64_t Moves::ledger(domain::LedgerEntry e) {
  e.actor = who_.id;
  return store::StockRepository(tx_).appendLedger(e);
}

void Moves::allocationRows(const std::map<std::string, std::int64_t>& bySku, int sign, const std::string& reference,
                           const std::string& note) {
  std::vector<std::string> skus;
  for (const auto& [sku, qty] : bySku) {
    domain::LedgerEntry e;
    e.sku = sku;
    e.deltaAllocated = sign * qty;
    e.cause = sign > 0 ? domain::LedgerCause::Reservation : domain::LedgerCause::Release;
    e.reference = reference;
    e.note = note;
    ledger(e);
    skus.push_back(sku);
  }
  events_.changedInTx(tx_, skus);
}

void Moves::locationRows(const domain::StockAtLocation& from, const domain::StockAtLocation& to, std::int64_t qty,
                         domain::LedgerCause cause, const std::string& reference, const std::string& noteSuffix) {
  // The on-hand total does not change, but each location's does: each row
  // says by how much through its note and its location.
  for (auto [where, delta] : {std::pair{from, -qty}, std::pair{to, qty}}) {
    domain::LedgerEntry e;
    e.sku = where.sku;
    e.location = where.location;
    e.lot = where.lot;
    e.expiry = where.expiry;
    e.cause = cause;
    e.reference = reference;
    e.note = n(delta > 0 ? delta : -delta) + (delta > 0 ? " in" : " out") + noteSuffix;
    ledger(e);
  }
}

void Moves::changedSku(const std::string& sku) {
  changed_.insert(sku);
  events_.changedInTx(tx_, {sku});
}

// ---- Reservations -------------------------------------------------------------

std::vector<Shortage> Moves::shortages(const std::vector<domain::OrderLine>& lines) {
  std::vector<domain::NewOrderLine> wanted;
  for (const auto& l : lines) wanted.push_back({l.sku, l.qty - l.allocated - l.shipped - l.shortQty, {}});
  store::StockRepository stock(tx_);
  std::vector<Shortage> out;
  for (const auto& [sku, qty] : domain::quantitiesBySku(wanted)) {
    if (qty <= 0) continue;
    auto s = stock.skuStock(sku);
    const std::int64_t available = s ? s->available() : 0;
    if (available < qty) out.push_back({sku, qty, available});
  }
  return out;
}

Status Moves::insertReserved(domain::Order& order) {
  if (order.id != 0) throw std::invalid_argument("insertReserved: the order is stored already");
  domain::Order draft = order;
  auto st = tx_.atomically([&]() -> Status {
    store::StockRepository stock(tx_);
    std::map<std::string, std::int64_t> bySku;
    for (auto& l : draft.lines) {
      const std::int64_t need = l.qty - l.allocated - l.shipped - l.shortQty;
      if (need > 0) bySku[l.sku] += need;
    }
    // One statement per SKU: this is the hot path of order intake.
    for (const auto& [sku, qty] : bySku) {
      if (!stock.reserve(sku, qty))
        return Error{ErrorKind::InsufficientStock, "SKU " + sku + " has fewer than " + n(qty) + " units available"};
    }
    for (auto& l : draft.lines) l.allocated = l.qty - l.shipped - l.shortQty;
    auto id = store::OrderRepository(tx_).insert(draft);
    if (!id) return id.error();
    draft.id = *id;
    allocationRows(bySku, +1, orderRef(draft.id), "");
    return {};
  });
  if (!st) return st;
  for (const auto& l : draft.lines) changed_.insert(l.sku);
  order = std::move(draft);
  return {};
}

Status Moves::reserve(domain::Order& order) {
  domain::Order draft = order;
  auto st = tx_.atomically([&]() -> Status {
    store::StockRepository stock(tx_);
    store::OrderRepository orders(tx_);
    std::map<std::string, std::int64_t> bySku;
    for (auto& l : draft.lines) {
      const std::int64_t need = l.qty - l.allocated - l.shipped - l.shortQty;
      if (need <= 0) continue;
      if (!stock.reserve(l.sku, need))
        return Error{ErrorKind::InsufficientStock, "SKU " + l.sku + " has fewer than " + n(need) + " units available"};
      l.allocated += need;
      bySku[l.sku] += need;
      orders.updateLine(draft.id, l);
    }
    allocationRows(bySku, +1, orderRef(draft.id), "");
    return {};
  });
  if (!st) return st;
  for (const auto& l : draft.lines) changed_.insert(l.sku);
  order = std::move(draft);
  return {};
}

Status Moves::release(domain::Order& order, const std::string& note) {
  domain::Order draft = order;
  auto st = tx_.atomically([&]() -> Status {
    store::StockRepository stock(tx_);
    store::OrderRepository orders(tx_);
    std::map<std::string, std::int64_t> bySku;
    for (auto& l : draft.lines) {
      if (l.allocated <= 0) continue;
      if (auto s = stock.release(l.sku, l.allocated); !s) return s;
      bySku[l.sku] += l.allocated;
      l.allocated = 0;
      orders.updateLine(draft.id, l);
    }
    allocationRows(bySku, -1, orderRef(draft.id), note);
    return {};
  });
  if (!st) return st;
  for (const auto& l : draft.lines) changed_.insert(l.sku);
  order = std::move(draft);
  return {};
}

Result<std::int64_t> Moves::releaseLine(domain::Order& order, int lineNo, std::int64_t qty, const std::string& note) {
  auto line = std::find_if(order.lines.begin(), order.lines.end(), [&](const auto& l) { return l.lineNo == lineNo; });
  if (line == order.lines.end()) return invalid("order " + n(order.id) + " has no line " + n(lineNo));
  const std::int64_t release = std::min(line->allocated, std::max<std::int64_t>(0, qty));
  if (release == 0) return std::int64_t{0};
  domain::OrderLine draft = *line;
  auto st = tx_.atomically([&]() -> Status {
    if (auto s = store::StockRepository(tx_).release(draft.sku, release); !s) return s;
    draft.allocated -= release;
    store::OrderRepository(tx_).updateLine(order.id, draft);
    domain::LedgerEntry e;
    e.sku = draft.sku;
    e.deltaAllocated = -release;
    e.cause = domain::LedgerCause::Release;
    e.reference = orderRef(order.id);
    e.note = note;
    ledger(e);
    changedSku(draft.sku);
    return {};
  });
  if (!st) return st.error();
  *line = draft;
  return release;
}

Status Moves::shortLine(domain::Order& order, int lineNo, std::int64_t qty, const std::string& note) {
  auto line = std::find_if(order.lines.begin(), order.lines.end(), [&](const auto& l) { return l.lineNo == lineNo; });
  if (line == order.lines.end()) return invalid("order " + n(order.id) + " has no line " + n(lineNo));
  if (qty <= 0 || line->picked + line->shortQty + qty > line->qty)
    return invalid("order " + n(order.id) + " line " + n(lineNo) + " cannot be short " + n(qty) + " more");
  domain::Order draft = order;
  auto& l = *std::find_if(draft.lines.begin(), draft.lines.end(), [&](const auto& x) { return x.lineNo == lineNo; });
  auto st = tx_.atomically([&]() -> Status {
    l.shortQty += qty;
    const std::int64_t release = std::min(l.allocated, qty);
    if (release > 0) {
      if (auto s = store::StockRepository(tx_).release(l.sku, release); !s) return s;
      l.allocated -= release;
      domain::LedgerEntry e;
      e.sku = l.sku;
      e.deltaAllocated = -release;
      e.cause = domain::LedgerCause::Release;
      e.reference = orderRef(order.id);
      e.note = note;
      ledger(e);
      changedSku(l.sku);
    }
    store::OrderRepository(tx_).updateLine(order.id, l);
    return {};
  });
  if (!st) return st;
  order = std::move(draft);
  return {};
}

Result<std::vector<domain::OrderId>> Moves::fillBackorders(const std::set<std::string>& skus) {
  store::OrderRepository orders(tx_);
  std::vector<domain::OrderId> filled;
  std::set<domain::OrderId> seen;
  for (const auto& sku : skus) {
    store::OrderFilter f;
    f.status = domain::OrderStatus::Backordered;
    f.sku = sku;
    f.limit = 1000;
    for (auto& order : orders.list(f)) {
      if (!seen.insert(order.id).second) continue;
      if (!shortages(order.lines).empty()) continue;
      // Cannot fail after the shortage check (all writes are serialised); if
      // it does, the caller's transaction is rolled back with the error.
      if (auto st = reserve(order); !st) return st.error();
      orders.setStatus(order.id, domain::OrderStatus::Allocated);
      filled.push_back(order.id);
    }
  }
  return filled;
}

// ---- On-hand at a location ---------------------------------------------------------

Status Moves::validateLocationStock(const domain::StockAtLocation& s, bool allowTote) {
  store::CatalogRepository catalog(tx_);
  auto sku = catalog.findSku(s.sku);
  if (!sku) return invalid("no SKU '" + s.sku + "' in the catalogue");
  auto loc = catalog.findLocation(s.location);
  if (!loc) return invalid("no location '" + s.location + "'");
  if (!allowTote && loc->kind == domain::LocationKind::Tote)
    return invalid("stock in totes moves only by picking and shipping");
  if (sku->lotTracked && s.lot.empty()) return invalid("SKU " + s.sku + " is lot-tracked: lot is required");
  if (!sku->lotTracked && !s.lot.empty()) return invalid("SKU " + s.sku + " is not lot-tracked: lot must be empty");
  if (sku->expiryTracked && s.expiry.empty()) return invalid("SKU " + s.sku + " is expiry-tracked: expiry is required");
  if (!sku->expiryTracked && !s.expiry.empty())
    return invalid("SKU " + s.sku + " is not expiry-tracked: expiry must be empty");
  return {};
}

Result<std::int64_t> Moves::changeOnHand(const OnHandChange& c) {
  if (c.delta == 0) return invalid("delta must not be 0");
  if (auto st = validateLocationStock(c.where, false); !st) return st.error();
  std::int64_t id = 0;
  auto st = tx_.atomically([&]() -> Status {
    store::StockRepository stock(tx_);
    // The location first, for the more telling message ("location X holds 3").
    if (auto s = stock.changeAtLocation(c.where, c.delta); !s) return s;
    if (auto s = stock.changeOnHand(c.where.sku, c.delta); !s) return s;
    domain::LedgerEntry e;
    e.sku = c.where.sku;
    e.location = c.where.location;
    e.lot = c.where.lot;
    e.expiry = c.where.expiry;
    e.deltaOnHand = c.delta;
    e.cause = c.cause;
    e.reference = c.reference;
    e.idempotencyKey = c.idempotencyKey;
    e.note = c.note;
    id = ledger(e);
    changedSku(c.where.sku);
    if (c.delta > 0) {
      if (auto filled = fillBackorders({c.where.sku}); !filled) return filled.error();
    }
    return {};
  });
  if (!st) return st.error();
  return id;
}

Result<std::int64_t> Moves::writeOffMissing(const domain::StockAtLocation& where, std::int64_t qty,
                                            domain::LedgerCause cause, const std::string& reference,
                                            const std::string& note) {
  store::StockRepository stock(tx_);
  std::int64_t onShelf = 0;
  for (const auto& row : stock.at(where.sku, where.location))
    if (row.lot == where.lot && row.expiry == where.expiry) onShelf += row.qty;
  // Units reserved by orders cannot be written off: the rest of the shortfall
  // waits for the count.
  auto totals = stock.skuStock(where.sku);
  const std::int64_t unreserved = totals ? totals->available() : 0;
  const std::int64_t take = std::min({qty, onShelf, unreserved});
  if (take <= 0) return std::int64_t{0};
  OnHandChange c{where, -take, cause, reference, {}, note};
  auto id = changeOnHand(c);
  if (!id) return id.error();
  return take;
}

void Moves::requestCount(const std::string& sku, const std::string& location) {
  store::StockRepository(tx_).requestCount(sku, location);
}

// ---- Picking and shipping --------------------------------------------------------

Status Moves::pick(const PickToTote& m) {
  if (m.qty <= 0) return invalid("a pick moves at least 1 unit, got " + n(m.qty));
  return tx_.atomically([&]() -> Status {
    store::StockRepository stock(tx_);
    store::OrderRepository orders(tx_);
    auto order = orders.find(m.order);
    if (!order) return Error{ErrorKind::NotFound, "no order " + n(m.order)};
    auto line = std::find_if(order->lines.begin(), order->lines.end(), [&](const auto& l) { return l.lineNo == m.lineNo; });
    if (line == order->lines.end()) return invalid("order " + n(m.order) + " has no line " + n(m.lineNo));
    if (line->sku != m.from.sku) return invalid("order " + n(m.order) + " line " + n(m.lineNo) + " is not " + m.from.sku);
    if (line->picked + line->shortQty + m.qty > line->qty)
      return invalid("order " + n(m.order) + " line " + n(m.lineNo) + " would be picked beyond its quantity");
    domain::StockAtLocation to{m.from.sku, toteLocation(m.tote), m.from.lot, m.from.expiry, 0};
    if (auto s = stock.changeAtLocation(m.from, -m.qty); !s)
      return Error{ErrorKind::InsufficientStock,
                   "the system shows too little at " + m.from.location + " (" + s.error().message + "); report a short pick"};
    if (auto s = stock.changeAtLocation(to, m.qty); !s) return s;
    locationRows(m.from, to, m.qty, domain::LedgerCause::Pick, m.reference, m.note);
    line->picked += m.qty;
    orders.updateLine(m.order, *line);
    store::exec(tx_,
                "INSERT INTO picked_units(order_id, line_no, tote, sku, lot, expiry, qty) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(order_id, line_no, tote, sku, lot, expiry) DO UPDATE SET qty = qty + excluded.qty",
                static_cast<std::int64_t>(m.order), m.lineNo, m.tote, m.from.sku, m.from.lot, m.from.expiry, m.qty);
    return {};
  });
}

std::vector<PickedUnits> Moves::pickedUnits(domain::OrderId order) {
  store::Query q(tx_,
                 "SELECT line_no, tote, sku, lot, expiry, qty, shipped FROM picked_units WHERE order_id = ? "
                 "ORDER BY line_no, tote, lot, expiry");
  q.bind(static_cast<std::int64_t>(order));
  std::vector<PickedUnits> out;
  while (q.step())
    out.push_back({static_cast<int>(q.integer(0)), q.text(1), q.text(2), q.text(3), q.text(4), q.integer(5),
                   q.integer(6)});
  return out;
}

Status Moves::ship(domain::Order& order, const ShipFromTotes& m) {
  auto line = std::find_if(order.lines.begin(), order.lines.end(), [&](const auto& l) { return l.lineNo == m.lineNo; });
  if (line == order.lines.end()) return invalid("order " + n(order.id) + " has no line " + n(m.lineNo));
  if (m.qty <= 0) return invalid("line " + n(m.lineNo) + ": a shipment ships at least 1 unit");
  if (line->allocated < m.qty)
    return conflict("line " + n(m.lineNo) + " (" + line->sku + ") holds " + n(line->allocated) +
                    " reserved units, cannot ship " + n(m.qty));
  domain::OrderLine draft = *line;
  auto st = tx_.atomically([&]() -> Status {
    if (auto s = outOfTotes(order.id, m.lineNo, draft.sku, m.qty,
                            {domain::LedgerCause::Ship, true, m.reference, m.idempotencyKey, m.note, "ship"});
        !s)
      return s;
    draft.shipped += m.qty;
    draft.allocated -= m.qty;
    store::OrderRepository(tx_).updateLine(order.id, draft);
    changedSku(draft.sku);
    return {};
  });
  if (!st) return st;
  *line = draft;
  return {};
}

Status Moves::loseFromTotes(domain::Order& order, const LostFromTotes& m) {
  auto line = std::find_if(order.lines.begin(), order.lines.end(), [&](const auto& l) { return l.lineNo == m.lineNo; });
  if (line == order.lines.end()) return invalid("order " + n(order.id) + " has no line " + n(m.lineNo));
  if (m.qty <= 0) return invalid("line " + n(m.lineNo) + ": at least 1 unit is lost, got " + n(m.qty));
  if (m.cause != domain::LedgerCause::Damage && m.cause != domain::LedgerCause::Adjustment)
    return invalid("units lost from a tote are damaged or missing, not " + std::string(domain::toString(m.cause)));
  if (line->picked - line->shipped < m.qty || line->allocated < m.qty)
    return conflict("line " + n(m.lineNo) + " (" + line->sku + ") has " + n(line->picked - line->shipped) +
                    " picked units to pack, cannot lose " + n(m.qty));
  domain::OrderLine draft = *line;
  auto st = tx_.atomically([&]() -> Status {
    // The units were reserved for this line: on-hand and allocated fall
    // together, so what the channels may sell does not change.
    if (auto s = outOfTotes(order.id, m.lineNo, draft.sku, m.qty, {m.cause, false, m.reference, "", m.note, "lose"}); !s)
      return s;
    draft.picked -= m.qty;
    draft.allocated -= m.qty;
    draft.shortQty += m.qty;
    store::OrderRepository(tx_).updateLine(order.id, draft);
    changedSku(draft.sku);
    return {};
  });
  if (!st) return st;
  *line = draft;
  return {};
}

Status Moves::outOfTotes(domain::OrderId order, int lineNo, const std::string& sku, std::int64_t qty,
                         const OutOfTotes& how) {
  store::StockRepository stock(tx_);
  std::int64_t left = qty;
  bool keyWritten = false;
  for (const auto& row : pickedUnits(order)) {
    if (row.lineNo != lineNo || left == 0) continue;
    const std::int64_t take = std::min(left, row.qty - row.shipped);
    if (take <= 0) continue;
    const domain::StockAtLocation where{row.sku, toteLocation(row.tote), row.lot, row.expiry, 0};
    if (auto s = stock.changeAtLocation(where, -take); !s)
      return Error{s.error().kind, "line " + n(lineNo) + ": " + s.error().message};
    store::exec(tx_,
                how.shipped ? "UPDATE picked_units SET shipped = shipped + ? WHERE order_id = ? AND line_no = ? AND "
                              "tote = ? AND sku = ? AND lot = ? AND expiry = ?"
                            : "UPDATE picked_units SET qty = qty - ? WHERE order_id = ? AND line_no = ? AND tote = ? "
                              "AND sku = ? AND lot = ? AND expiry = ?",
                take, static_cast<std::int64_t>(order), row.lineNo, row.tote, row.sku, row.lot, row.expiry);
    left -= take;
    domain::LedgerEntry e;
    e.sku = row.sku;
    e.location = where.location;
    e.lot = row.lot;
    e.expiry = row.expiry;
    e.deltaOnHand = -take;
    e.deltaAllocated = -take;
    e.cause = how.cause;
    e.reference = how.reference;
    // The event's key on its first row; the others derive from it.
    e.idempotencyKey = keyWritten ? "" : how.idempotencyKey;
    keyWritten = true;
    e.note = how.note;
    ledger(e);
  }
  if (left > 0)
    return conflict("line " + n(lineNo) + " (" + sku + "): the totes hold " + n(qty - left) + " picked units of it, cannot " +
                    how.verb + " " + n(qty));
  if (auto s = stock.consumeAllocated(sku, qty); !s) return Error{s.error().kind, "line " + n(lineNo) + ": " + s.error().message};
  return {};
}

Result<std::int64_t> Moves::returnFromTotes(domain::Order& order, const std::string& location,
                                            const std::string& reference) {
  domain::Order draft = order;
  std::int64_t total = 0;
  auto st = tx_.atomically([&]() -> Status {
    store::StockRepository stock(tx_);
    std::map<int, std::int64_t> byLine;
    for (const auto& row : pickedUnits(order.id)) {
      const std::int64_t back = row.qty - row.shipped;
      if (back <= 0) continue;
      const domain::StockAtLocation from{row.sku, toteLocation(row.tote), row.lot, row.expiry, 0};
      const domain::StockAtLocation to{row.sku, location, row.lot, row.expiry, 0};
      if (auto s = validateLocationStock(to, false); !s) return s;
      if (auto s = stock.changeAtLocation(from, -back); !s) return s;
      if (auto s = stock.changeAtLocation(to, back); !s) return s;
      locationRows(from, to, back, domain::LedgerCause::Transfer, reference, "; back to stock");
      store::exec(tx_,
                  "UPDATE picked_units SET qty = qty - ? WHERE order_id = ? AND line_no = ? AND tote = ? AND sku = ? "
                  "AND lot = ? AND expiry = ?",
                  back, static_cast<std::int64_t>(order.id), row.lineNo, row.tote, row.sku, row.lot, row.expiry);
      byLine[row.lineNo] += back;
      total += back;
    }
    for (auto& l : draft.lines) {
      const auto it = byLine.find(l.lineNo);
      if (it == byLine.end()) continue;
      l.picked -= it->second;
      store::OrderRepository(tx_).updateLine(draft.id, l);
      auto freed = releaseLine(draft, l.lineNo, it->second, "picked units put back to " + location);
      if (!freed) return freed.error();
    }
    return {};
  });
  if (!st) return st.error();
  order = std::move(draft);
  return total;
}

// ---- Inbound ---------------------------------------------------------------------

Result<std::int64_t> Moves::receive(const domain::StockAtLocation& where, std::int64_t qty, const std::string& reference,
                                    const std::string& idempotencyKey, const std::string& note) {
  if (qty <= 0) return invalid("a receipt adds at least 1 unit, got " + n(qty));
  return changeOnHand({where, qty, domain::LedgerCause::Receipt, reference, idempotencyKey, note});
}

Status Moves::transfer(const domain::StockAtLocation& from, const std::string& to, std::int64_t qty,
                       const std::string& reference, const std::string& note) {
  if (qty <= 0) return invalid("a transfer moves at least 1 unit, got " + n(qty));
  if (from.location == to) return invalid("a transfer goes to another location");
  const domain::StockAtLocation dest{from.sku, to, from.lot, from.expiry, 0};
  if (auto st = validateLocationStock(from, false); !st) return st;
  if (auto st = validateLocationStock(dest, false); !st) return st;
  return tx_.atomically([&]() -> Status {
    store::StockRepository stock(tx_);
    if (auto s = stock.changeAtLocation(from, -qty); !s) return s;
    if (auto s = stock.changeAtLocation(dest, qty); !s) return s;
    locationRows(from, dest, qty, domain::LedgerCause::Transfer, reference, note.empty() ? "" : "; " + note);
    return {};
  });
}

Result<std::int64_t> Moves::count(const domain::StockAtLocation& where, std::int64_t counted,
                                  const std::string& reference, const std::string& note) {
  if (counted < 0) return invalid("a count is 0 or more units, got " + n(counted));
  if (auto st = validateLocationStock(where, false); !st) return st.error();
  std::int64_t have = 0;
  for (const auto& row : store::StockRepository(tx_).at(where.sku, where.location))
    if (row.lot == where.lot && row.expiry == where.expiry) have += row.qty;
  const std::int64_t delta = counted - have;
  if (delta != 0) {
    auto id = changeOnHand({where, delta, domain::LedgerCause::CycleCount, reference, {}, note});
    if (!id) return id.error();
  }
  store::exec(tx_, "UPDATE stock SET count_requested = 0 WHERE sku = ? AND location = ?", where.sku, where.location);
  return delta;
}

}  // namespace wms::stock
