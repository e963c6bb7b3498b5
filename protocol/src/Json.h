// Internal: a small JSON document model filled by Poco's JSON parser, and a
// compact writer. Not installed; the codec is its only user.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wms/common/Result.h"

namespace wms::protocol::json {

struct Value {
  enum class Kind { Null, Bool, Integer, Unsigned, Double, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::int64_t integer = 0;     // Kind::Integer
  std::uint64_t uinteger = 0;   // Kind::Unsigned: above INT64_MAX
  double number = 0;            // Kind::Double: had a fraction or exponent
  std::string string;
  // Kind::Array: the elements. Kind::Object: the member values, in document
  // order, with their names in `keys` (keys[i] names items[i]).
  std::vector<Value> items;
  std::vector<std::string> keys;
};

// "null", "boolean", "integer", "number", "string", "array", "object".
std::string_view kindName(Value::Kind kind) noexcept;

// Parses one JSON text. Malformed error for invalid JSON, trailing bytes,
// nesting deeper than maxDepth or an object with a repeated key.
Result<Value> parse(std::string_view text, std::size_t maxDepth);

// Appends compact JSON to a string. The caller writes a valid structure
// (keys only inside objects); strings are escaped here.
class Writer {
 public:
  void beginObject() { separator(); out_ += '{'; first_ = true; }
  void endObject() { out_ += '}'; first_ = false; }
  void beginArray() { separator(); out_ += '['; first_ = true; }
  void endArray() { out_ += ']'; first_ = false; }
  void key(std::string_view name);
  void string(std::string_view value);
  void integer(std::int64_t value);
  void boolean(bool value);

  std::string take() { return std::move(out_); }

 private:
  void separator() {
    if (!first_ && !afterKey_) out_ += ',';
    first_ = false;
    afterKey_ = false;
  }
  std::string out_;
  bool first_ = true;
  bool afterKey_ = false;
};

}  // namespace wms::protocol::json
