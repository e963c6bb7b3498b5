// Internal: reading untrusted JSON payloads field by field. The first
// problem is kept with the field's path (e.g. "line_items[2].quantity must be
// a positive whole number") and later reads return defaults, so parsers read
// linearly and check error() once. Unknown fields are allowed: channels add
// fields all the time.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::channels::json {

enum class Need { Optional, Required };

class Reader {
 public:
  // Parses `body` (at most maxBytes, nested at most maxDepth) as one JSON
  // object. Malformed if it is not JSON, Invalid if not an object. `what`
  // names the document in errors ("Shopify order").
  static Result<Reader> parse(std::string_view body, std::string_view what);

  bool has(const std::string& key) const;  // present and not null
  // A string; numbers are refused.
  std::string text(const std::string& key, Need need = Need::Optional, std::size_t maxBytes = 500);
  // An identifier given as a string or as a whole JSON number, as exact text.
  std::string id(const std::string& key, Need need = Need::Required);
  // A whole number given as a JSON number or a decimal string.
  std::int64_t integer(const std::string& key, Need need = Need::Optional, std::int64_t fallback = 0);
  bool flag(const std::string& key, bool fallback = false);
  Reader object(const std::string& key, Need need = Need::Optional);
  std::vector<Reader> objects(const std::string& key, Need need = Need::Optional, std::size_t maxItems = 1000);
  std::vector<std::string> ids(const std::string& key, Need need = Need::Optional, std::size_t maxItems = 1000);

  // Records a problem (the first one wins); `field` is a key of this object.
  void fail(const std::string& field, const std::string& problem);
  bool ok() const { return !state_->error.has_value(); }
  Status status() const;
  std::string path(const std::string& key) const;

 private:
  struct State {
    std::optional<Error> error;
  };
  Reader(Poco::JSON::Object::Ptr obj, std::string path, std::shared_ptr<State> state);
  Poco::Dynamic::Var get(const std::string& key) const;

  Poco::JSON::Object::Ptr obj_;
  std::string path_;
  std::shared_ptr<State> state_;
};


}  // namespace wms::channels::json
