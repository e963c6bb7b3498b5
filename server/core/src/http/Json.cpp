#include "Json.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <limits>
#include <sstream>

namespace wms::server::json {

Result<ObjectReader> readBody(std::string_view body) {
  // The router has refused bodies over http.max_body_bytes already; request
  // bodies nest three levels at most (an order, its lines, a line).
  static const wms::json::Rules kRules{.maxBytes = std::numeric_limits<std::size_t>::max(), .maxDepth = 16};
  return ObjectReader::parse(body, "the body", kRules);
}

std::string stringify(const Poco::JSON::Object::Ptr& obj) {
  std::ostringstream out;
  obj->stringify(out);
  return out.str();
}

std::string isoTime(std::int64_t ms) {
  Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(ms) * 1000);
  return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%S.%iZ");
}

}  // namespace wms::server::json
