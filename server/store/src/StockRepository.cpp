#include "wms/store/StockRepository.h"

#include <Poco/Data/Session.h>

#include <map>

#include "Sql.h"
#include "TxImpl.h"

using namespace Poco::Data::Keywords;

namespace wms::store {
namespace {

Error insufficient(std::string message) { return Error{ErrorKind::InsufficientStock, std::move(message)}; }
std::string n(std::int64_t v) { return std::to_string(v); }

}  // namespace

std::optional<domain::SkuStock> StockRepository::skuStock(const std::string& sku) {
  Query q(tx_, "SELECT on_hand, allocated FROM sku_stock WHERE sku = ?");
  q.bind(sku);
  if (!q.step()) return std::nullopt;
  return domain::SkuStock{sku, q.integer(0), q.integer(1)};
}

std::vector<domain::SkuStock> StockRepository::listSkuStock(const std::string& afterSku, int limit) {
  std::vector<std::string> skus;
  std::vector<Poco::Int64> onHand, allocated;
  session(tx_) << "SELECT sku, on_hand, allocated FROM sku_stock WHERE sku > ? ORDER BY sku LIMIT ?", bind(afterSku),
      bind(static_cast<Poco::Int64>(limit)), into(skus), into(onHand), into(allocated), now;
  std::vector<domain::SkuStock> out;
  for (std::size_t i = 0; i < skus.size(); ++i) out.push_back({skus[i], onHand[i], allocated[i]});
  return out;
}

std::vector<domain::StockAtLocation> StockRepository::at(const std::string& sku, const std::string& location) {
  std::vector<std::string> skus, locs, lots, exps;
  std::vector<Poco::Int64> qty;
  session(tx_) << "SELECT sku, location, lot, expiry, qty FROM stock WHERE (? = '' OR sku = ?) AND "
                  "(? = '' OR location = ?) AND qty > 0 ORDER BY sku, location, expiry, lot",
      bind(sku), bind(sku), bind(location), bind(location), into(skus), into(locs), into(lots), into(exps), into(qty),
      now;
  std::vector<domain::StockAtLocation> out;
  for (std::size_t i = 0; i < skus.size(); ++i) out.push_back({skus[i], locs[i], lots[i], exps[i], qty[i]});
  return out;
}

Status StockRepository::changeAtLocation(const domain::StockAtLocation& k, std::int64_t delta) {
  auto& s = writeSession(tx_);
  if (delta >= 0) {
    // Insert-or-add in one statement (SQLite 3.24+ and PostgreSQL share this syntax).
    sql::exec(tx_,
              "INSERT INTO stock(sku, location, lot, expiry, qty) VALUES (?, ?, ?, ?, ?) "
              "ON CONFLICT(sku, location, lot, expiry) DO UPDATE SET qty = qty + excluded.qty",
              k.sku, k.location, k.lot, k.expiry, delta);
    return {};
  }
  std::size_t changed = sql::exec(tx_, "UPDATE stock SET qty = qty + ? WHERE sku = ? AND location = ? AND lot = ? AND expiry = ? AND qty + ? >= 0",
      delta, k.sku, k.location, k.lot, k.expiry, delta);
  if (changed == 0) {
    std::vector<Poco::Int64> have;
    s << "SELECT qty FROM stock WHERE sku = ? AND location = ? AND lot = ? AND expiry = ?", bind(k.sku),
        bind(k.location), bind(k.lot), bind(k.expiry), into(have), now;
    return insufficient("location " + k.location + " holds " + n(have.empty() ? 0 : have[0]) + " of " + k.sku +
                        (k.lot.empty() ? "" : " lot " + k.lot) + ", cannot take " + n(-delta));
  }
  return {};
}

Status StockRepository::changeOnHand(const std::string& sku, std::int64_t delta) {
  std::size_t changed =
      sql::exec(tx_, "UPDATE sku_stock SET on_hand = on_hand + ? WHERE sku = ? AND on_hand + ? >= allocated", delta, sku,
                delta);
  if (changed == 0) {
    auto st = skuStock(sku);
    if (!st) return Error{ErrorKind::NotFound, "no SKU '" + sku + "'"};
    if (st->onHand + delta < 0)
      return insufficient("SKU " + sku + " has " + n(st->onHand) + " on hand, cannot take " + n(-delta));
    return insufficient("SKU " + sku + " has " + n(st->onHand) + " on hand of which " + n(st->allocated) +
                        " are reserved by orders; only " + n(st->available()) + " can be taken");
  }
  return {};
}

bool StockRepository::reserve(const std::string& sku, std::int64_t qty) {
  return sql::exec(tx_,
                   "UPDATE sku_stock SET allocated = allocated + ? WHERE sku = ? AND on_hand - allocated >= ?", qty,
                   sku, qty) == 1;
}

Status StockRepository::release(const std::string& sku, std::int64_t qty) {
  if (sql::exec(tx_, "UPDATE sku_stock SET allocated = allocated - ? WHERE sku = ? AND allocated >= ?",
                qty, sku, qty) == 1)
    return {};
  return insufficient("SKU " + sku + " has less than " + n(qty) + " allocated to release");
}

Status StockRepository::consumeAllocated(const std::string& sku, std::int64_t qty) {
  if (sql::exec(tx_,
                "UPDATE sku_stock SET allocated = allocated - ?, on_hand = on_hand - ? WHERE sku = ? AND "
                "allocated >= ? AND on_hand >= ?",
                qty, qty, sku, qty, qty) == 1)
    return {};
  return insufficient("SKU " + sku + " has less than " + n(qty) + " allocated to ship");
}

void StockRepository::requestCount(const std::string& sku, const std::string& location) {
  sql::exec(tx_, "UPDATE stock SET count_requested = 1 WHERE sku = ? AND location = ?", sku, location);
}

std::int64_t StockRepository::appendLedger(const domain::LedgerEntry& e) {
  // RETURNING (SQLite 3.35+, PostgreSQL) saves a second statement for the id.
  Query q(tx_,
          "INSERT INTO ledger(at, sku, location, lot, expiry, delta_on_hand, delta_allocated, cause, reference, "
          "idempotency_key, note, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.bind(e.atMs ? e.atMs : tx_.nowMs()).bind(e.sku).bind(e.location).bind(e.lot).bind(e.expiry);
  q.bind(e.deltaOnHand).bind(e.deltaAllocated).bind(domain::toString(e.cause)).bind(e.reference);
  q.bind(e.idempotencyKey).bind(e.note).bind(e.actor);
  if (!q.step()) throw std::runtime_error("ledger insert returned no id");
  const std::int64_t id = q.integer(0);
  q.run();  // finish the statement: RETURNING completes the insert on the last step
  return id;
}

std::vector<domain::LedgerEntry> StockRepository::ledger(const std::string& sku, std::int64_t afterId, int limit) {
  Query q(tx_,
          "SELECT id, at, sku, location, lot, expiry, delta_on_hand, delta_allocated, cause, reference, "
          "idempotency_key, note, actor FROM ledger WHERE (? = '' OR sku = ?) AND id > ? ORDER BY id LIMIT ?");
  q.bind(sku).bind(sku).bind(afterId).bind(limit);
  std::vector<domain::LedgerEntry> out;
  while (q.step()) {
    domain::LedgerEntry e;
    e.id = q.integer(0);
    e.atMs = q.integer(1);
    e.sku = q.text(2);
    e.location = q.text(3);
    e.lot = q.text(4);
    e.expiry = q.text(5);
    e.deltaOnHand = q.integer(6);
    e.deltaAllocated = q.integer(7);
    e.cause = domain::ledgerCauseFromString(q.text(8)).value_or(domain::LedgerCause::Adjustment);
    e.reference = q.text(9);
    e.idempotencyKey = q.text(10);
    e.note = q.text(11);
    e.actor = q.text(12);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<domain::SkuFigures> StockRepository::figures() {
  auto& s = session(tx_);
  std::vector<std::string> skus;
  std::vector<Poco::Int64> onHand, allocated, atLoc, ledOn, ledAl, open;
  s << "SELECT k.sku, k.on_hand, k.allocated, "
       "COALESCE((SELECT SUM(qty) FROM stock WHERE sku = k.sku), 0), "
       "COALESCE((SELECT SUM(delta_on_hand) FROM ledger WHERE sku = k.sku), 0), "
       "COALESCE((SELECT SUM(delta_allocated) FROM ledger WHERE sku = k.sku), 0), "
       "COALESCE((SELECT SUM(allocated) FROM order_lines WHERE sku = k.sku), 0) "
       "FROM sku_stock k ORDER BY k.sku",
      into(skus), into(onHand), into(allocated), into(atLoc), into(ledOn), into(ledAl), into(open), now;
  std::vector<domain::SkuFigures> out;
  for (std::size_t i = 0; i < skus.size(); ++i)
    out.push_back({skus[i], onHand[i], allocated[i], atLoc[i], ledOn[i], ledAl[i], open[i]});
  return out;
}

std::optional<std::string> IdempotencyRepository::find(const std::string& key) {
  std::vector<std::string> result;
  session(tx_) << "SELECT result FROM idempotency WHERE key = ?", bind(key), into(result), now;
  if (result.empty()) return std::nullopt;
  return result[0];
}

Status IdempotencyRepository::claim(const std::string& key, const std::string& result) {
  if (find(key)) return Error{ErrorKind::Conflict, "idempotency key '" + key + "' was already used"};
  sql::exec(tx_, "INSERT INTO idempotency(key, at, result) VALUES (?, ?, ?)", key, tx_.nowMs(), result);
  return {};
}

}  // namespace wms::store
