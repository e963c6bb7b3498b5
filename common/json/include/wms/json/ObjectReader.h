// wms::json: the one reader of untrusted JSON objects, for every edge that
// takes JSON from outside: the HTTP API, the packing requests, the channels'
// webhooks and API answers, label documents and layout files.
//
// parse() checks the text before POCO's recursive parser sees it (size,
// UTF-8, nesting depth), then the typed reads take the object's fields by
// name. The first problem is kept with the field's path ("lines[2].qty must
// be a whole number") and every later read returns its default, so a reader
// is read linearly and its status checked once at the end.
//
// Each document chooses its Rules: limits, whether an unknown field is an
// error, and the wording of every problem (each component keeps the texts
// its users, tests and docs know).
//
// Usage:
//   auto r = json::ObjectReader::parse(body, "request body", kRules);
//   if (!r) return r.error();
//   std::string sku = r->text("sku", json::Need::Required, 100);
//   for (auto& line : r->objects("lines", json::Need::Required, 500))
//     qty += line.integer("qty", json::Need::Required, {1, 1000000});
//   if (auto st = r->finish(); !st) return st.error();
//
// Threading: a reader is not thread-safe. Copies of a reader, and the
// readers it hands out for nested objects, share one state (the first
// problem, the fields read): use them from one thread. Never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::json {

namespace detail {
struct Node;
struct State;
}  // namespace detail

// Whether a field must be there. Absent and null are the same.
enum class Need {
  Optional,  // absent reads as the default
  Required,  // absent is a problem
  NonEmpty,  // as Required; for text() and strings() also "" is a problem
};

// What finish() does with a field no read asked for.
enum class Unknown {
  Refuse,  // a problem: it is usually a misspelt field ("qyt")
  Allow,   // ignored: documents we do not own grow new fields all the time
};

// The texts of the problems a reader reports. In each, {what} is the
// document's name given to parse(), {path} the field's path, {n} the limit
// broken, {lo} and {hi} the range given to integer(), {detail} the parser's
// or the caller's own words. Every text must outlive the readers using it
// (use string literals).
struct Wording {
  // The document as a whole (parse()).
  std::string_view empty = "{what} is not valid JSON: it is empty";
  std::string_view tooLarge = "{what} is larger than {n} bytes";
  std::string_view notUtf8 = "{what} is not valid JSON: byte {n} is not valid UTF-8";
  std::string_view tooDeep = "{what} is nested deeper than {n} levels";
  std::string_view notJson = "{what} is not valid JSON: {detail}";
  std::string_view tooLargeToParse = "{what} is too large to parse";
  std::string_view notJsonObject = "{what} must be a JSON object";
  // A key twice in one object would make the document mean two things (a
  // parser keeps one of them); refused as the MQTT codec refuses it.
  std::string_view duplicateKey = "{what} is not valid JSON: the key \"{detail}\" appears twice in one object";
  // One field.
  std::string_view missing = "{path} is required";
  std::string_view blank = "{path} is required";  // Need::NonEmpty and ""
  std::string_view notText = "{path} must be a string";
  std::string_view tooLong = "{path} is longer than {n} bytes";
  std::string_view notWhole = "{path} must be a whole number";
  std::string_view outOfRange = "{path} is out of range";
  std::string_view notNumber = "{path} must be a number";
  std::string_view notFlag = "{path} must be true or false";
  std::string_view notObject = "{path} must be an object";
  std::string_view notArray = "{path} must be an array";
  std::string_view tooMany = "{path} has more than {n} items";
  std::string_view notId = "{path} must be a string or a whole number";
  std::string_view idLength = "{path} must be 1 to {n} characters";
  std::string_view idCharacters = "{path} may contain only printable ASCII without spaces";
  std::string_view unknown = "unknown field '{path}'";
  std::string_view other = "{path} {detail}";  // fail()
};

// How one kind of document is read. A constant per document kind.
struct Rules {
  std::size_t maxBytes = 64 * 1024;
  std::size_t maxDepth = 16;  // objects and arrays inside one another
  Unknown unknown = Unknown::Refuse;
  // Fields whose name starts with this are comments, never unknown ("_" for
  // layouts); empty for none.
  std::string_view commentPrefix = {};
  // integer() also takes a decimal string ("42"), as some channels send them.
  bool integersAsText = false;
  // The kind of error for a document that is JSON but not an object.
  ErrorKind notJsonObjectKind = ErrorKind::Invalid;
  Wording wording = {};
};

// The whole numbers an integer() read accepts.
struct Range {
  std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  std::int64_t hi = std::numeric_limits<std::int64_t>::max();
};

// The longest id() accepted, in bytes.
inline constexpr std::size_t kMaxIdBytes = 128;

class ObjectReader {
 public:
  // Reads `body` as one JSON object. Refuses, before parsing, a body that is
  // empty or over rules.maxBytes (TooLarge), not UTF-8 (naming the byte
  // offset) or nested deeper than rules.maxDepth; then anything that is not
  // JSON (Malformed) or not an object (rules.notJsonObjectKind). `what`
  // names the document in those errors ("request body", "Shopify order").
  static Result<ObjectReader> parse(std::string_view body, std::string_view what, const Rules& rules = {});

  // True if `key` is present and not null. Does not count as reading it.
  bool has(std::string_view key) const;

  // A string of at most maxBytes bytes; anything else is a problem (numbers
  // are not converted). Absent, or after a problem: "".
  std::string text(std::string_view key, Need need, std::size_t maxBytes);
  // An identifier: a string, or a whole JSON number as its exact decimal
  // text (64-bit ids survive). 1 to kMaxIdBytes printable ASCII characters
  // without spaces. Absent, or after a problem: "".
  std::string id(std::string_view key, Need need = Need::Required);
  // A whole JSON number in `range` (and, if the rules say so, a decimal
  // string). A fraction, a boolean or a number beyond 64 bits is a problem.
  // Absent, or after a problem: `fallback`.
  std::int64_t integer(std::string_view key, Need need = Need::Optional, Range range = {},
                       std::int64_t fallback = 0);
  // Any finite JSON number. Absent, or after a problem: `fallback`.
  double number(std::string_view key, Need need = Need::Optional, double fallback = 0);
  // true or false. Absent, or after a problem: `fallback`.
  bool flag(std::string_view key, bool fallback = false);

  // A nested object, read by the reader returned. Absent (optional), or
  // after a problem, it is an empty object: its reads return defaults.
  ObjectReader object(std::string_view key, Need need = Need::Optional);
  // An array of at most maxItems objects, one reader each (paths
  // "key[i]"). Absent, or after a problem: none.
  std::vector<ObjectReader> objects(std::string_view key, Need need, std::size_t maxItems);
  // Arrays of at most maxItems strings, ids, whole numbers in `range`, or
  // finite numbers; each item is checked as the single read checks a field.
  // Absent, or after a problem: none.
  std::vector<std::string> strings(std::string_view key, Need need, std::size_t maxItems);
  std::vector<std::string> ids(std::string_view key, Need need, std::size_t maxItems);
  std::vector<std::int64_t> integers(std::string_view key, Need need, std::size_t maxItems, Range range = {});
  std::vector<double> numbers(std::string_view key, Need need, std::size_t maxItems);

  // Declares the fields this object may have and reports the first other
  // one now (whatever the rules' Unknown), so that a misspelt field is named
  // before the missing one it stands for. The names count as read.
  void knownFields(std::initializer_list<std::string_view> names);

  // Records a problem of the caller's own (the first problem wins):
  // `problem` about the field `key` of this object ("" for the object
  // itself), worded with Wording::other.
  void fail(std::string_view key, std::string_view problem);
  // No problem so far.
  bool ok() const;
  // The first problem so far, or success. Unknown fields are not checked.
  Status status() const;
  // status() after looking for unknown fields (if the rules refuse them) in
  // this object and every nested reader it handed out, in the order they
  // were handed out. Call it once all reads are done.
  Status finish();

  // The path of this object's field `key` ("lines[2].qty"); "" names the
  // object itself.
  std::string path(std::string_view key = {}) const;

 private:
  ObjectReader(std::shared_ptr<detail::Node> node, std::shared_ptr<detail::State> state);
  // A reader of `node`, nested in this one (finish() visits it).
  ObjectReader nested(std::shared_ptr<detail::Node> node);
  template <class T, class ReadItem>
  std::vector<T> array(std::string_view key, Need need, std::size_t maxItems, ReadItem&& readItem);

  std::shared_ptr<detail::Node> node_;
  std::shared_ptr<detail::State> state_;
};

// A REST request body (the packing and inbound endpoints): at most
// `maxBytes`, nested at most 8 levels, one JSON object (Malformed
// otherwise), unknown fields refused, a bad number naming its range ("qty
// must be a whole number from 1 to 1000000"). An empty or blank body reads
// as {} (a POST that needs nothing may send nothing).
Result<ObjectReader> parseRequestBody(std::string_view body, std::size_t maxBytes);

}  // namespace wms::json
