// Internal: applying the parsed rows of a CSV import in one write, shared by
// the catalogue, locations and stock imports.
#pragma once

#include <algorithm>
#include <string>

#include "wms/domain/Csv.h"
#include "wms/server/CatalogService.h"
#include "wms/store/Database.h"
#include "wms/store/StockRepository.h"

namespace wms::server {

// The report stored with an import's idempotency key, as text.
std::string encodeImportReport(const ImportReport& report);
ImportReport decodeImportReport(const std::string& text);

// Applies each row in its own savepoint. Every row is tried, so the report
// lists every problem; in AllOrNothing mode any problem then rolls the whole
// import back (applied = 0). With an idempotency key, a repeat applies
// nothing and returns the first report, marked replayed.
template <class Row, class Apply>
Result<ImportReport> applyImport(store::Database& db, const domain::ParsedRows<Row>& parsed, ImportMode mode,
                                 const std::string& idempotencyKey, const std::string& kind, Apply apply) {
  ImportReport report;
  report.rows = parsed.rows.size() + parsed.errors.size();
  report.errors = parsed.errors;
  const bool abortOnError = mode == ImportMode::AllOrNothing;
  if (abortOnError && !report.errors.empty()) return report;

  const std::string key = idempotencyKey.empty() ? "" : "import:" + kind + ":" + idempotencyKey;
  ImportReport result;
  bool rolledBack = false;
  auto st = db.write([&](store::Tx& tx) -> Status {
    result = report;
    if (!key.empty()) {
      if (auto previous = store::IdempotencyRepository(tx).find(key)) {
        result = decodeImportReport(*previous);
        result.replayed = true;
        return {};
      }
    }
    for (const auto& entry : parsed.rows) {
      // Not a structured binding: clang 14 cannot capture those in a lambda.
      const std::size_t line = entry.first;
      const Row& row = entry.second;
      auto s = tx.atomically([&] { return apply(tx, row); });
      if (!s) {
        result.errors.push_back({line, s.error().message});
        continue;
      }
      ++result.applied;
    }
    if (abortOnError && !result.errors.empty()) {
      rolledBack = true;
      return Error{ErrorKind::Invalid, "import rolled back"};
    }
    if (!key.empty()) return store::IdempotencyRepository(tx).claim(key, encodeImportReport(result));
    return {};
  });
  if (!st && !rolledBack) return st.error();
  if (rolledBack) result.applied = 0;
  std::stable_sort(result.errors.begin(), result.errors.end(),
                   [](const domain::RowError& a, const domain::RowError& b) { return a.line < b.line; });
  return result;
}

}  // namespace wms::server
