#include "wms/store/CatalogRepository.h"

#include <Poco/Data/Session.h>

#include "Sql.h"
#include "TxImpl.h"

using namespace Poco::Data::Keywords;

namespace wms::store {
namespace {

domain::BarcodeKind kindFromString(const std::string& s) {
  for (auto k : {domain::BarcodeKind::Gtin8, domain::BarcodeKind::Gtin12, domain::BarcodeKind::Gtin13,
                 domain::BarcodeKind::Gtin14, domain::BarcodeKind::Internal}) {
    if (s == domain::toString(k)) return k;
  }
  return domain::BarcodeKind::Internal;
}

}  // namespace

std::vector<domain::Barcode> CatalogRepository::barcodesOf(const std::string& sku) {
  std::vector<std::string> keys, values, kinds;
  session(tx_) << "SELECT key, value, kind FROM barcodes WHERE sku = ? ORDER BY value", bind(sku), into(keys),
      into(values), into(kinds), now;
  std::vector<domain::Barcode> out;
  for (std::size_t i = 0; i < keys.size(); ++i) out.push_back({values[i], kindFromString(kinds[i]), keys[i]});
  return out;
}

std::vector<domain::Sku> CatalogRepository::listSkus(const std::string& afterCode, int limit) {
  std::vector<std::string> codes, descs;
  std::vector<Poco::Int64> weight, len, wid, hei, lot, exp;
  session(tx_) << "SELECT code, description, weight_g, length_mm, width_mm, height_mm, lot_tracked, expiry_tracked "
                  "FROM skus WHERE code > ? ORDER BY code LIMIT ?",
      bind(afterCode), bind(static_cast<Poco::Int64>(limit)), into(codes), into(descs), into(weight), into(len),
      into(wid), into(hei), into(lot), into(exp), now;
  std::vector<domain::Sku> out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    domain::Sku s;
    s.code = codes[i];
    s.description = descs[i];
    s.weightG = weight[i];
    s.dims = {len[i], wid[i], hei[i]};
    s.lotTracked = lot[i] != 0;
    s.expiryTracked = exp[i] != 0;
    s.barcodes = barcodesOf(s.code);
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<domain::Sku> CatalogRepository::findSku(const std::string& code) {
  std::vector<std::string> descs;
  std::vector<Poco::Int64> weight, len, wid, hei, lot, exp;
  session(tx_) << "SELECT description, weight_g, length_mm, width_mm, height_mm, lot_tracked, expiry_tracked "
                  "FROM skus WHERE code = ?",
      bind(code), into(descs), into(weight), into(len), into(wid), into(hei), into(lot), into(exp), now;
  if (descs.empty()) return std::nullopt;
  domain::Sku s;
  s.code = code;
  s.description = descs[0];
  s.weightG = weight[0];
  s.dims = {len[0], wid[0], hei[0]};
  s.lotTracked = lot[0] != 0;
  s.expiryTracked = exp[0] != 0;
  s.barcodes = barcodesOf(code);
  return s;
}

bool CatalogRepository::skuExists(const std::string& code) {
  Poco::Int64 n = 0;
  session(tx_) << "SELECT COUNT(*) FROM skus WHERE code = ?", bind(code), into(n), now;
  return n > 0;
}

Status CatalogRepository::addBarcode(const std::string& sku, const domain::Barcode& barcode) {
  auto& s = writeSession(tx_);
  std::vector<std::string> owner;
  s << "SELECT sku FROM barcodes WHERE key = ?", bind(barcode.key), into(owner), now;
  if (!owner.empty()) {
    if (owner[0] == sku) return {};
    return Error{ErrorKind::Conflict,
                 "barcode '" + barcode.value + "' already belongs to SKU '" + owner[0] + "'"};
  }
  if (!skuExists(sku)) return Error{ErrorKind::NotFound, "no SKU '" + sku + "'"};
  std::vector<Poco::Int64> count;
  s << "SELECT COUNT(*) FROM barcodes WHERE sku = ?", bind(sku), into(count), now;
  if (!count.empty() && count[0] >= static_cast<Poco::Int64>(domain::kMaxBarcodesPerSku))
    return Error{ErrorKind::Invalid, "SKU '" + sku + "' already has " + std::to_string(count[0]) +
                                         " barcodes, the most a SKU may have (what a handheld takes)"};
  sql::exec(tx_, "INSERT INTO barcodes(key, value, kind, sku) VALUES (?, ?, ?, ?)", barcode.key, barcode.value,
            std::string(domain::toString(barcode.kind)), sku);
  return {};
}

Status CatalogRepository::upsertSku(const domain::Sku& sku) {
  auto& s = writeSession(tx_);
  const auto at = tx_.nowMs();
  // Check every barcode before changing anything, so a conflict changes nothing.
  for (const auto& b : sku.barcodes) {
    std::vector<std::string> owner;
    s << "SELECT sku FROM barcodes WHERE key = ?", bind(b.key), into(owner), now;
    if (!owner.empty() && owner[0] != sku.code)
      return Error{ErrorKind::Conflict, "barcode '" + b.value + "' already belongs to SKU '" + owner[0] + "'"};
  }
  std::size_t changed = sql::exec(tx_,
      "UPDATE skus SET description = ?, weight_g = ?, length_mm = ?, width_mm = ?, height_mm = ?, lot_tracked = ?, "
      "expiry_tracked = ?, updated_at = ? WHERE code = ?",
      sku.description, sku.weightG, sku.dims.lengthMm, sku.dims.widthMm, sku.dims.heightMm, sku.lotTracked,
      sku.expiryTracked, at, sku.code);
  if (changed == 0) {
    sql::exec(tx_,
              "INSERT INTO skus(code, description, weight_g, length_mm, width_mm, height_mm, lot_tracked, "
              "expiry_tracked, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              sku.code, sku.description, sku.weightG, sku.dims.lengthMm, sku.dims.widthMm, sku.dims.heightMm,
              sku.lotTracked, sku.expiryTracked, at, at);
    sql::exec(tx_, "INSERT INTO sku_stock(sku, on_hand, allocated) VALUES (?, 0, 0)", sku.code);
  }
  for (const auto& b : sku.barcodes) {
    if (auto st = addBarcode(sku.code, b); !st) return st;
  }
  return {};
}

std::optional<std::string> CatalogRepository::skuForBarcode(const std::string& scanned) {
  Query q(tx_, "SELECT sku FROM barcodes WHERE key = ?");  // every scan and pick asks
  q.bind(domain::barcodeKey(scanned));
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::optional<domain::Location> CatalogRepository::findLocation(const std::string& code) {
  std::vector<std::string> zones, kinds;
  session(tx_) << "SELECT zone, kind FROM locations WHERE code = ?", bind(code), into(zones), into(kinds), now;
  if (zones.empty()) return std::nullopt;
  return domain::Location{code, zones[0], domain::locationKindFromString(kinds[0]).value_or(domain::LocationKind::Pick)};
}

bool CatalogRepository::isPickLocation(const std::string& code) {
  auto location = findLocation(code);
  return location && (location->kind == domain::LocationKind::Pick || location->kind == domain::LocationKind::Store);
}

bool CatalogRepository::isWarehouseFace(const std::string& code) {
  auto location = findLocation(code);
  return location && location->kind == domain::LocationKind::Pick;
}

std::vector<domain::Location> CatalogRepository::listLocations(const std::string& zone, const std::string& afterCode,
                                                               int limit) {
  std::vector<std::string> codes, zones, kinds;
  session(tx_) << "SELECT code, zone, kind FROM locations WHERE (? = '' OR zone = ?) AND code > ? ORDER BY code "
                  "LIMIT ?",
      bind(zone), bind(zone), bind(afterCode), bind(static_cast<Poco::Int64>(limit)), into(codes), into(zones),
      into(kinds), now;
  std::vector<domain::Location> out;
  for (std::size_t i = 0; i < codes.size(); ++i)
    out.push_back({codes[i], zones[i], domain::locationKindFromString(kinds[i]).value_or(domain::LocationKind::Pick)});
  return out;
}

Status CatalogRepository::upsertLocation(const domain::Location& location) {
  std::string kind = domain::toString(location.kind);
  if (sql::exec(tx_, "UPDATE locations SET zone = ?, kind = ? WHERE code = ?", location.zone, kind, location.code) == 0)
    sql::exec(tx_, "INSERT INTO locations(code, zone, kind, created_at) VALUES (?, ?, ?, ?)", location.code,
              location.zone, kind, tx_.nowMs());
  return {};
}

}  // namespace wms::store
