// Internal: reading JSON request bodies (with the one reader, wms::json) and
// writing responses.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "wms/common/Result.h"
#include "wms/json/ObjectReader.h"

namespace wms::server::json {

using wms::json::Need;
using wms::json::ObjectReader;
using wms::json::Range;

// A request body: one JSON object whose unknown fields are refused at
// finish(). Problems read "lines[0].qty must be a whole number" and
// "unknown field 'priorty'"; a body that is not JSON is Malformed (400),
// one that is not an object Invalid (422).
Result<ObjectReader> readBody(std::string_view body);

// An ordered JSON object for responses.
inline Poco::JSON::Object::Ptr object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }
inline Poco::JSON::Array::Ptr array() { return new Poco::JSON::Array(); }
std::string stringify(const Poco::JSON::Object::Ptr& obj);
// ISO 8601 UTC with milliseconds, e.g. 2026-11-26T16:22:59.123Z.
std::string isoTime(std::int64_t ms);

}  // namespace wms::server::json
