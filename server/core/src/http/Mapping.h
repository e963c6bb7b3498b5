// Internal: JSON forms of the domain's types, both ways. Readers validate
// types and field names; the domain validates values.
#pragma once

#include <Poco/JSON/Object.h>

#include "Json.h"
#include "wms/domain/Catalog.h"
#include "wms/domain/Order.h"
#include "wms/domain/Stock.h"
#include "wms/server/CatalogService.h"
#include "wms/server/StockService.h"

namespace wms::server::json {

Poco::JSON::Object::Ptr toJson(const domain::Sku& sku);
Poco::JSON::Object::Ptr toJson(const domain::Location& location);
Poco::JSON::Object::Ptr toJson(const domain::SkuStock& stock);
Poco::JSON::Object::Ptr toJson(const domain::StockAtLocation& stock);
Poco::JSON::Object::Ptr toJson(const domain::LedgerEntry& entry);
Poco::JSON::Object::Ptr toJson(const domain::Order& order);
Poco::JSON::Object::Ptr toJson(const domain::Address& address);
Poco::JSON::Object::Ptr toJson(const ImportReport& report);

// Readers: Malformed/Invalid errors name the field.
Result<domain::Sku> skuFromJson(std::string_view body, const std::string& codeFromPath);
Result<domain::Location> locationFromJson(std::string_view body, const std::string& codeFromPath);
Result<domain::NewOrder> newOrderFromJson(std::string_view body);
Result<domain::Adjustment> adjustmentFromJson(std::string_view body);
domain::Address addressFromJson(ObjectReader& reader);

}  // namespace wms::server::json
