// SKUs, their barcodes, and locations in the store.
// Valid only within the Tx it was built on. Errors are values; writes on a
// read Tx are a misuse (std::logic_error).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Catalog.h"
#include "wms/store/Tx.h"

namespace wms::store {

class CatalogRepository {
 public:
  explicit CatalogRepository(Tx& tx) : tx_(tx) {}

  std::optional<domain::Sku> findSku(const std::string& code);
  // SKUs ordered by code, starting after `afterCode`, at most `limit`.
  std::vector<domain::Sku> listSkus(const std::string& afterCode, int limit);
  bool skuExists(const std::string& code);

  // Inserts a new SKU (and its stock row at zero) or updates an existing
  // one's description, weight, dimensions and tracking flags; its barcodes
  // are added to those it has. Conflict if a barcode belongs to another SKU.
  Status upsertSku(const domain::Sku& sku);

  // Adds a barcode to a SKU; adding one it already has is no change.
  // NotFound for an unknown SKU; Conflict if another SKU has the barcode.
  Status addBarcode(const std::string& sku, const domain::Barcode& barcode);

  // The SKU a scanned code belongs to (lookup by barcodeKey), if any.
  std::optional<std::string> skuForBarcode(const std::string& scanned);

  std::optional<domain::Location> findLocation(const std::string& code);
  // Whether pickers may be sent to `code`: a warehouse pick face (kind
  // pick) or a store's shelf (kind store: a store pickup order is picked
  // from the shop floor); not a reserve shelf, staging, a dock, a tote or an
  // unknown code. Which site's shelves a wave may use is its layout's say.
  bool isPickLocation(const std::string& code);
  // Whether `code` is a warehouse pick face (kind pick): the faces that
  // replenishment refills from reserve. A store's shelves are restocked by
  // the store, never from the warehouse's reserve.
  bool isWarehouseFace(const std::string& code);
  std::vector<domain::Location> listLocations(const std::string& zone, const std::string& afterCode, int limit);
  // Inserts or updates (zone, kind) a location.
  Status upsertLocation(const domain::Location& location);

 private:
  std::vector<domain::Barcode> barcodesOf(const std::string& sku);
  Tx& tx_;
};

}  // namespace wms::store
