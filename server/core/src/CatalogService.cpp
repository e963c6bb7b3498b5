#include "wms/server/CatalogService.h"

#include "Import.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/StockRepository.h"

namespace wms::server {

Result<domain::Sku> CatalogService::putSku(const domain::Sku& sku) {
  if (auto st = domain::validateSku(sku); !st) return st.error();
  domain::Sku out;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    store::CatalogRepository catalog(tx);
    if (auto s = catalog.upsertSku(sku); !s) return s;
    out = *catalog.findSku(sku.code);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<domain::Sku> CatalogService::getSku(const std::string& code) {
  std::optional<domain::Sku> sku;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    sku = store::CatalogRepository(tx).findSku(code);
    return {};
  });
  if (!st) return st.error();
  if (!sku) return Error{ErrorKind::NotFound, "no SKU '" + code + "'"};
  return *sku;
}

Result<std::vector<domain::Sku>> CatalogService::listSkus(const std::string& afterCode, int limit) {
  std::vector<domain::Sku> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = store::CatalogRepository(tx).listSkus(afterCode, limit);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<domain::Sku> CatalogService::addBarcode(const std::string& sku, const std::string& value) {
  auto barcode = domain::classifyBarcode(value);
  if (!barcode) return barcode.error();
  domain::Sku out;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    store::CatalogRepository catalog(tx);
    if (auto s = catalog.addBarcode(sku, *barcode); !s) return s;
    out = *catalog.findSku(sku);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<domain::Sku> CatalogService::lookupBarcode(const std::string& scanned) {
  std::optional<domain::Sku> sku;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    store::CatalogRepository catalog(tx);
    if (auto code = catalog.skuForBarcode(scanned)) sku = catalog.findSku(*code);
    return {};
  });
  if (!st) return st.error();
  if (!sku) return Error{ErrorKind::NotFound, "no SKU has barcode '" + scanned + "'"};
  return *sku;
}

Result<domain::Location> CatalogService::putLocation(const domain::Location& location) {
  if (auto st = domain::validateLocation(location); !st) return st.error();
  if (location.kind == domain::LocationKind::Tote)
    return Error{ErrorKind::Invalid, "kind 'tote' is reserved for picking totes"};
  auto st = db_.write([&](store::Tx& tx) -> Status { return store::CatalogRepository(tx).upsertLocation(location); });
  if (!st) return st.error();
  return location;
}

Result<domain::Location> CatalogService::getLocation(const std::string& code) {
  std::optional<domain::Location> loc;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    loc = store::CatalogRepository(tx).findLocation(code);
    return {};
  });
  if (!st) return st.error();
  if (!loc) return Error{ErrorKind::NotFound, "no location '" + code + "'"};
  return *loc;
}

Result<std::vector<domain::Location>> CatalogService::listLocations(const std::string& zone,
                                                                    const std::string& afterCode, int limit) {
  std::vector<domain::Location> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = store::CatalogRepository(tx).listLocations(zone, afterCode, limit);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<ImportReport> CatalogService::importCatalogue(const std::string& csv, ImportMode mode,
                                                     const std::string& idempotencyKey) {
  auto parsed = domain::parseCatalogueCsv(csv);
  if (!parsed) return parsed.error();
  return applyImport(db_, *parsed, mode, idempotencyKey, "catalogue",
                     [](store::Tx& tx, const domain::Sku& sku) {
                       return store::CatalogRepository(tx).upsertSku(sku);
                     });
}

Result<ImportReport> CatalogService::importLocations(const std::string& csv, ImportMode mode,
                                                     const std::string& idempotencyKey) {
  auto parsed = domain::parseLocationsCsv(csv);
  if (!parsed) return parsed.error();
  return applyImport(db_, *parsed, mode, idempotencyKey, "locations",
                     [](store::Tx& tx, const domain::Location& loc) {
                       return store::CatalogRepository(tx).upsertLocation(loc);
                     });
}

}  // namespace wms::server
