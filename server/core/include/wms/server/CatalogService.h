// Use cases of the catalogue: SKUs, barcodes, locations, and CSV imports of
// them. Each call is one transaction: it applies completely or not at all.
//
// Threading: all methods may be called from any thread concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Catalog.h"
#include "wms/domain/Csv.h"
#include "wms/store/Database.h"

namespace wms::server {

// How an import treats bad rows.
enum class ImportMode {
  AllOrNothing,  // any bad row aborts the whole import; nothing is applied
  SkipBad,       // good rows are applied, bad rows are reported and skipped
};

struct ImportReport {
  std::size_t rows = 0;     // data rows in the file
  std::size_t applied = 0;  // rows applied
  std::vector<domain::RowError> errors;
  bool replayed = false;    // the idempotency key was seen before: nothing was applied now
};

class CatalogService {
 public:
  explicit CatalogService(store::Database& db) : db_(db) {}

  // Creates or updates a SKU. Invalid for bad fields, Conflict if one of its
  // barcodes belongs to another SKU.
  Result<domain::Sku> putSku(const domain::Sku& sku);
  Result<domain::Sku> getSku(const std::string& code);  // NotFound if unknown
  Result<std::vector<domain::Sku>> listSkus(const std::string& afterCode, int limit);
  Result<domain::Sku> addBarcode(const std::string& sku, const std::string& barcode);
  // The SKU a scanned code belongs to; NotFound if none.
  Result<domain::Sku> lookupBarcode(const std::string& scanned);

  Result<domain::Location> putLocation(const domain::Location& location);
  Result<domain::Location> getLocation(const std::string& code);
  Result<std::vector<domain::Location>> listLocations(const std::string& zone, const std::string& afterCode,
                                                      int limit);

  // Imports a catalogue / locations CSV (formats: domain/Csv.h). A whole-file
  // problem (no header, unknown column, malformed CSV) is an error value. With
  // an idempotency key, a second import with the same key applies nothing and
  // returns the first report with replayed = true.
  Result<ImportReport> importCatalogue(const std::string& csv, ImportMode mode, const std::string& idempotencyKey);
  Result<ImportReport> importLocations(const std::string& csv, ImportMode mode, const std::string& idempotencyKey);

 private:
  store::Database& db_;
};

}  // namespace wms::server
