#include "wms/server/StockService.h"

#include <set>

#include "Import.h"
#include "wms/stock/Moves.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/StockRepository.h"

namespace wms::server {
namespace {

// REST callers are not signed in yet (the identity issue).

}  // namespace

Result<SkuStockView> StockService::skuStock(const std::string& sku) {
  std::optional<SkuStockView> view;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    store::StockRepository stock(tx);
    if (auto totals = stock.skuStock(sku)) view = SkuStockView{*totals, stock.at(sku, "")};
    return {};
  });
  if (!st) return st.error();
  if (!view) return Error{ErrorKind::NotFound, "no SKU '" + sku + "'"};
  return *view;
}

Result<std::vector<domain::SkuStock>> StockService::list(const std::string& afterSku, int limit) {
  std::vector<domain::SkuStock> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = store::StockRepository(tx).listSkuStock(afterSku, limit);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<domain::StockAtLocation>> StockService::atLocation(const std::string& location) {
  std::vector<domain::StockAtLocation> out;
  bool known = false;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    known = store::CatalogRepository(tx).findLocation(location).has_value();
    if (known) out = store::StockRepository(tx).at("", location);
    return {};
  });
  if (!st) return st.error();
  if (!known) return Error{ErrorKind::NotFound, "no location '" + location + "'"};
  return out;
}

Result<AdjustmentResult> StockService::adjust(const domain::Adjustment& a, const stock::Actor& who) {
  if (auto st = domain::validateAdjustment(a); !st) return st.error();
  const std::string key = a.idempotencyKey.empty() ? "" : "adjust:" + a.idempotencyKey;
  AdjustmentResult out;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    store::StockRepository stock(tx);
    store::IdempotencyRepository keys(tx);
    if (!key.empty()) {
      if (auto previous = keys.find(key)) {
        out.replayed = true;
        out.ledgerId = std::stoll(*previous);
        out.totals = stock.skuStock(a.sku).value_or(domain::SkuStock{a.sku, 0, 0});
        return {};
      }
    }
    stock::Moves moves(tx, events_, who);
    auto id = moves.changeOnHand({{a.sku, a.location, a.lot, a.expiry, 0}, a.delta, domain::causeOf(a.reason),
                                  std::string("adjustment:") + domain::toString(a.reason), key, a.note});
    if (!id) return id.error();
    out.ledgerId = *id;
    if (!key.empty()) {
      if (auto s = keys.claim(key, std::to_string(*id)); !s) return s;
    }
    out.totals = *stock.skuStock(a.sku);
    return {};
  });
  if (!st) return st.error();
  if (!out.replayed) events_.committed({a.sku});
  return out;
}

Result<ImportReport> StockService::importStock(const std::string& csv, ImportMode mode,
                                               const std::string& idempotencyKey) {
  auto parsed = domain::parseStockCsv(csv);
  if (!parsed) return parsed.error();
  std::set<std::string> touched;
  const std::string reference = "import:stock" + (idempotencyKey.empty() ? "" : ":" + idempotencyKey);
  auto report = applyImport(db_, *parsed, mode, idempotencyKey, "stock",
                            [&](store::Tx& tx, const domain::StockAtLocation& row) -> Status {
                              stock::Moves moves(tx, events_, stock::Actor::integration("import:stock"));
                              auto id = moves.receive(row, row.qty, reference, {}, {});
                              if (!id) return id.error();
                              touched.insert(row.sku);
                              return {};
                            });
  if (report && report->applied > 0) events_.committed({touched.begin(), touched.end()});
  return report;
}

Result<std::vector<domain::LedgerEntry>> StockService::ledger(const std::string& sku, std::int64_t afterId,
                                                              int limit) {
  std::vector<domain::LedgerEntry> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = store::StockRepository(tx).ledger(sku, afterId, limit);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<AuditReport> StockService::audit() {
  AuditReport report;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    auto figures = store::StockRepository(tx).figures();
    report.skusChecked = figures.size();
    report.violations = domain::checkInvariants(figures);
    return {};
  });
  if (!st) return st.error();
  return report;
}

}  // namespace wms::server
