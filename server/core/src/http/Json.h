// Internal: strict reading of JSON request bodies and writing of responses.
//
// ObjectReader reads fields of one JSON object by name and type. The first
// problem is kept (with the field's path, e.g. "lines[2].qty must be a whole
// number") and later reads return defaults, so handlers read linearly and
// check finish() once. Fields not read are reported as unknown by finish().
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::server::json {

class ObjectReader {
 public:
  // Parses `body` as one JSON object. Malformed if it is not JSON, Invalid
  // if it is JSON but not an object.
  static Result<ObjectReader> parse(std::string_view body);

  std::string text(const std::string& key, bool required = false, std::size_t maxBytes = 1000);
  std::int64_t integer(const std::string& key, bool required = false, std::int64_t fallback = 0);
  bool flag(const std::string& key, bool fallback = false);
  bool has(const std::string& key) const;
  // A nested object; an absent optional one reads as empty.
  ObjectReader object(const std::string& key, bool required = false);
  // An array of objects (each read with its own reader sharing this one's error).
  std::vector<ObjectReader> objects(const std::string& key, bool required = false, std::size_t maxItems = 1000);
  std::vector<std::string> strings(const std::string& key, bool required = false, std::size_t maxItems = 100);

  // The first problem found, including unknown fields of this object and of
  // every nested reader created from it.
  Status finish();

  const std::string& path() const { return node_->path; }

 private:
  // Copies of a reader share its node, so fields read through any copy
  // count as read when finish() looks for unknown ones.
  struct Shared {
    std::optional<Error> error;
  };
  struct Node {
    Poco::JSON::Object::Ptr obj;
    std::string path;
    std::set<std::string> read;
    std::vector<std::shared_ptr<Node>> children;
  };
  ObjectReader(Poco::JSON::Object::Ptr obj, std::string path, std::shared_ptr<Shared> shared);
  std::string field(const std::string& key) const;
  void fail(std::string message);
  bool ok() const { return !shared_->error.has_value(); }
  static void checkUnknown(const Node& node, Shared& shared);

  std::shared_ptr<Node> node_;
  std::shared_ptr<Shared> shared_;
};

// An ordered JSON object for responses.
inline Poco::JSON::Object::Ptr object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }
inline Poco::JSON::Array::Ptr array() { return new Poco::JSON::Array(); }
std::string stringify(const Poco::JSON::Object::Ptr& obj);
// {"error": kind, "detail": message}
std::string errorBody(const Error& error);
// ISO 8601 UTC with milliseconds, e.g. 2026-11-26T16:22:59.123Z.
std::string isoTime(std::int64_t ms);

}  // namespace wms::server::json
