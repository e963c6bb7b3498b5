// POCO's JSON parser is wrapped here: its exceptions become error values and
// never leave this file.
#include "wms/json/ObjectReader.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <cmath>
#include <exception>
#include <new>
#include <optional>
#include <set>
#include <typeinfo>
#include <utility>
#include <vector>

#include "wms/common/TextChecks.h"

namespace wms::json {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace detail {

// One object of the document, shared by the copies of its reader.
struct Node {
  Object::Ptr object;  // null when absent or unreadable: every read gives its default
  std::string path;    // "" for the document itself
  std::set<std::string, std::less<>> read;
  std::vector<std::shared_ptr<Node>> nested;  // in the order they were handed out
};

// The document's, shared by all its readers.
struct State {
  Rules rules;
  std::string what;
  std::optional<Error> error;
};

}  // namespace detail

namespace {

using detail::Node;
using detail::State;

// What a wording template may name.
struct Fill {
  std::string_view what = {};
  std::string_view path = {};
  std::string_view detail = {};
  std::string n = {};
  std::string lo = {};
  std::string hi = {};
};

std::string format(std::string_view text, const Fill& fill) {
  const std::pair<std::string_view, std::string_view> names[] = {
      {"{what}", fill.what}, {"{path}", fill.path}, {"{detail}", fill.detail},
      {"{n}", fill.n},       {"{lo}", fill.lo},     {"{hi}", fill.hi}};
  std::string out;
  out.reserve(text.size() + fill.path.size() + fill.detail.size() + 16);
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '{') {
      for (const auto& [name, value] : names) {
        if (text.substr(i, name.size()) == name) {
          out += value;
          i += name.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

std::string join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  if (key.empty()) return std::string(path);
  std::string out;
  out.reserve(path.size() + 1 + key.size());
  out.append(path).append(".").append(key);
  return out;
}

std::string itemPath(const std::string& arrayPath, std::size_t i) {
  return arrayPath + "[" + std::to_string(i) + "]";
}

// Keeps the first problem: a field's, worded by `text`.
void report(State& state, std::string_view text, Fill fill) {
  if (state.error) return;
  fill.what = state.what;
  state.error = Error{ErrorKind::Invalid, format(text, fill)};
}

void report(State& state, std::string_view text, std::string_view path) {
  report(state, text, Fill{.path = path});
}

bool present(const Node& node, const std::string& key) {
  return node.object && node.object->has(key) && !node.object->isNull(key);
}

// The value of a field to read, or nullopt when it is absent (a problem if
// `need` says so) or a problem was found before. Marks the field as read.
std::optional<Var> take(Node& node, State& state, std::string_view key, Need need) {
  std::string name(key);
  if (node.read.find(key) == node.read.end()) node.read.insert(name);
  if (state.error) return std::nullopt;
  if (!present(node, name)) {
    if (need != Need::Optional) report(state, state.rules.wording.missing, join(node.path, key));
    return std::nullopt;
  }
  try {
    return node.object->get(name);
  } catch (const std::exception&) {
    report(state, state.rules.wording.missing, join(node.path, key));
    return std::nullopt;
  }
}

bool isObject(const Var& v) { return v.type() == typeid(Object::Ptr) && !v.extract<Object::Ptr>().isNull(); }
bool isArray(const Var& v) { return v.type() == typeid(Array::Ptr) && !v.extract<Array::Ptr>().isNull(); }

// ---- the checks of one value, shared by the field reads and the arrays ----

std::optional<std::string> readText(State& state, const Var& v, const std::string& path, Need need,
                                    std::size_t maxBytes) {
  const Wording& w = state.rules.wording;
  if (!v.isString()) {
    report(state, w.notText, path);
    return std::nullopt;
  }
  std::string s;
  try {
    s = v.convert<std::string>();
  } catch (const std::exception&) {
    report(state, w.notText, path);
    return std::nullopt;
  }
  if (s.size() > maxBytes) {
    report(state, w.tooLong, Fill{.path = path, .n = std::to_string(maxBytes)});
    return std::nullopt;
  }
  if (need == Need::NonEmpty && s.empty()) {
    report(state, w.blank, path);
    return std::nullopt;
  }
  return s;
}

// A whole JSON number (not a boolean) as exact decimal text; nullopt for
// anything else, fractions and numbers POCO could only hold as a double.
std::optional<std::string> wholeNumberText(const Var& v) {
  if (v.isBoolean() || v.isString() || !v.isInteger()) return std::nullopt;
  try {
    return v.convert<std::string>();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::string> readId(State& state, const Var& v, const std::string& path) {
  const Wording& w = state.rules.wording;
  std::optional<std::string> s;
  if (v.isString()) {
    try {
      s = v.convert<std::string>();
    } catch (const std::exception&) {
    }
  } else {
    s = wholeNumberText(v);
  }
  if (!s) {
    report(state, w.notId, path);
    return std::nullopt;
  }
  if (s->empty() || s->size() > kMaxIdBytes) {
    report(state, w.idLength, Fill{.path = path, .n = std::to_string(kMaxIdBytes)});
    return std::nullopt;
  }
  for (char c : *s) {
    if (c < 0x21 || c > 0x7e) {
      report(state, w.idCharacters, path);
      return std::nullopt;
    }
  }
  return s;
}

enum class Whole { Ok, NotWhole, OutOfRange };

// "-12", "+12", "12": a sign and digits, nothing else.
Whole wholeFromText(std::string_view s, std::int64_t& out) {
  std::string digits;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') digits = "-";
    s.remove_prefix(1);
  }
  if (s.empty()) return Whole::NotWhole;
  for (char c : s) {
    if (c < '0' || c > '9') return Whole::NotWhole;
  }
  digits.append(s);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (ec == std::errc::result_out_of_range) return Whole::OutOfRange;
  if (ec != std::errc() || end != digits.data() + digits.size()) return Whole::NotWhole;
  return Whole::Ok;
}

Whole wholeFrom(const Var& v, bool fromText, std::int64_t& out) {
  try {
    if (v.isString()) return fromText ? wholeFromText(v.convert<std::string>(), out) : Whole::NotWhole;
    if (v.isBoolean() || !v.isInteger()) return Whole::NotWhole;
    if (v.isSigned()) {
      out = v.convert<Poco::Int64>();
      return Whole::Ok;
    }
    const auto u = v.convert<Poco::UInt64>();
    if (u > static_cast<Poco::UInt64>(std::numeric_limits<std::int64_t>::max())) return Whole::OutOfRange;
    out = static_cast<std::int64_t>(u);
    return Whole::Ok;
  } catch (const std::exception&) {
    return Whole::OutOfRange;  // POCO refuses the conversion only for a value it cannot hold
  }
}

std::optional<std::int64_t> readInteger(State& state, const Var& v, const std::string& path, Range range) {
  const Wording& w = state.rules.wording;
  std::int64_t n = 0;
  const Whole whole = wholeFrom(v, state.rules.integersAsText, n);
  Fill fill{.path = path, .lo = std::to_string(range.lo), .hi = std::to_string(range.hi)};
  if (whole == Whole::NotWhole) {
    report(state, w.notWhole, std::move(fill));
    return std::nullopt;
  }
  if (whole == Whole::OutOfRange || n < range.lo || n > range.hi) {
    report(state, w.outOfRange, std::move(fill));
    return std::nullopt;
  }
  return n;
}

std::optional<double> readNumber(State& state, const Var& v, const std::string& path) {
  double d = 0;
  bool ok = !v.isBoolean() && !v.isString() && v.isNumeric();
  if (ok) {
    try {
      d = v.convert<double>();
      ok = std::isfinite(d);
    } catch (const std::exception&) {
      ok = false;
    }
  }
  if (!ok) {
    report(state, state.rules.wording.notNumber, path);
    return std::nullopt;
  }
  return d;
}

bool isComment(const State& state, const std::string& name) {
  const auto prefix = state.rules.commentPrefix;
  return !prefix.empty() && std::string_view(name).substr(0, prefix.size()) == prefix;
}

void checkUnknown(const Node& node, State& state) {
  if (state.error) return;
  if (node.object) {
    std::vector<std::string> names;
    node.object->getNames(names);
    for (const auto& name : names) {
      if (!node.read.count(name) && !isComment(state, name)) {
        report(state, state.rules.wording.unknown, join(node.path, name));
        return;
      }
    }
  }
  for (const auto& nested : node.nested) checkUnknown(*nested, state);
}

}  // namespace

// ---- parse --------------------------------------------------------------------------

namespace {

// POCO's tree builder keeps the last of a repeated key; this one refuses
// the document instead (DuplicateKey stops the parse).
struct DuplicateKey {
  std::string key;
};

class StrictHandler final : public Poco::JSON::ParseHandler {
 public:
  StrictHandler() = default;
  void reset() override {
    ParseHandler::reset();
    keys_.clear();
  }
  void startObject() override {
    ParseHandler::startObject();
    keys_.emplace_back();
  }
  void endObject() override {
    ParseHandler::endObject();
    keys_.pop_back();
  }
  void key(const std::string& k) override {
    if (!keys_.empty() && !keys_.back().insert(k).second) throw DuplicateKey{k};
    ParseHandler::key(k);
  }

 private:
  std::vector<std::set<std::string>> keys_;
};

std::string shown(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, 40)) out += (c >= 0x20 && c < 0x7f && c != '"') ? c : '?';
  if (key.size() > 40) out += "...";
  return out;
}

}  // namespace

Result<ObjectReader> ObjectReader::parse(std::string_view body, std::string_view what, const Rules& rules) {
  const Wording& w = rules.wording;
  auto error = [&](ErrorKind kind, std::string_view text, std::string n = {}, std::string_view detail = {}) {
    return Error{kind, format(text, Fill{.what = what, .detail = detail, .n = std::move(n)})};
  };
  if (body.empty()) return error(ErrorKind::Malformed, w.empty);
  if (body.size() > rules.maxBytes) return error(ErrorKind::TooLarge, w.tooLarge, std::to_string(rules.maxBytes));
  if (auto at = firstInvalidUtf8(body); at != std::string_view::npos)
    return error(ErrorKind::Malformed, w.notUtf8, std::to_string(at));
  // POCO's parser recurses once per level: the depth is checked first, so
  // that no input can exhaust the stack.
  if (jsonNestingDepth(body) > rules.maxDepth)
    return error(ErrorKind::Malformed, w.tooDeep, std::to_string(rules.maxDepth));
  Var root;
  try {
    Poco::JSON::Parser parser(new StrictHandler);
    parser.setDepth(rules.maxDepth + 1);
    root = parser.parse(std::string(body));
  } catch (const DuplicateKey& d) {
    return error(ErrorKind::Malformed, w.duplicateKey, {}, shown(d.key));
  } catch (const std::bad_alloc&) {
    return error(ErrorKind::TooLarge, w.tooLargeToParse);
  } catch (const Poco::Exception& e) {
    return error(ErrorKind::Malformed, w.notJson, {}, e.displayText());
  } catch (const std::exception& e) {
    return error(ErrorKind::Malformed, w.notJson, {}, e.what());
  }
  if (!isObject(root)) return error(rules.notJsonObjectKind, w.notJsonObject);
  auto node = std::make_shared<Node>();
  node->object = root.extract<Object::Ptr>();
  auto state = std::make_shared<State>(State{rules, std::string(what), std::nullopt});
  return ObjectReader(std::move(node), std::move(state));
}

ObjectReader::ObjectReader(std::shared_ptr<detail::Node> node, std::shared_ptr<detail::State> state)
    : node_(std::move(node)), state_(std::move(state)) {}

ObjectReader ObjectReader::nested(std::shared_ptr<detail::Node> node) {
  node_->nested.push_back(node);
  return ObjectReader(std::move(node), state_);
}

// ---- single fields ---------------------------------------------------------------

bool ObjectReader::has(std::string_view key) const { return present(*node_, std::string(key)); }

std::string ObjectReader::path(std::string_view key) const { return join(node_->path, key); }

std::string ObjectReader::text(std::string_view key, Need need, std::size_t maxBytes) {
  auto v = take(*node_, *state_, key, need);
  if (!v) return {};
  return readText(*state_, *v, path(key), need, maxBytes).value_or(std::string());
}

std::string ObjectReader::id(std::string_view key, Need need) {
  auto v = take(*node_, *state_, key, need);
  if (!v) return {};
  return readId(*state_, *v, path(key)).value_or(std::string());
}

std::int64_t ObjectReader::integer(std::string_view key, Need need, Range range, std::int64_t fallback) {
  auto v = take(*node_, *state_, key, need);
  if (!v) return fallback;
  return readInteger(*state_, *v, path(key), range).value_or(fallback);
}

double ObjectReader::number(std::string_view key, Need need, double fallback) {
  auto v = take(*node_, *state_, key, need);
  if (!v) return fallback;
  return readNumber(*state_, *v, path(key)).value_or(fallback);
}

bool ObjectReader::flag(std::string_view key, bool fallback) {
  auto v = take(*node_, *state_, key, Need::Optional);
  if (!v) return fallback;
  if (v->type() != typeid(bool)) {
    report(*state_, state_->rules.wording.notFlag, path(key));
    return fallback;
  }
  return v->extract<bool>();
}

ObjectReader ObjectReader::object(std::string_view key, Need need) {
  auto node = std::make_shared<Node>();
  node->path = path(key);
  if (auto v = take(*node_, *state_, key, need)) {
    if (isObject(*v)) node->object = v->extract<Object::Ptr>();
    else report(*state_, state_->rules.wording.notObject, node->path);
  }
  return nested(std::move(node));
}

// ---- arrays ----------------------------------------------------------------------

template <class T, class ReadItem>
std::vector<T> ObjectReader::array(std::string_view key, Need need, std::size_t maxItems, ReadItem&& readItem) {
  std::vector<T> out;
  auto v = take(*node_, *state_, key, need);
  if (!v) return out;
  const std::string at = path(key);
  if (!isArray(*v)) {
    report(*state_, state_->rules.wording.notArray, at);
    return out;
  }
  const Array::Ptr items = v->extract<Array::Ptr>();
  if (items->size() > maxItems) {
    report(*state_, state_->rules.wording.tooMany, Fill{.path = at, .n = std::to_string(maxItems)});
    return out;
  }
  out.reserve(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::optional<T> item = readItem(items->get(static_cast<unsigned>(i)), itemPath(at, i));
    if (!item) return {};
    out.push_back(std::move(*item));
  }
  return out;
}

std::vector<ObjectReader> ObjectReader::objects(std::string_view key, Need need, std::size_t maxItems) {
  return array<ObjectReader>(key, need, maxItems, [&](const Var& v, const std::string& at) -> std::optional<ObjectReader> {
    if (!isObject(v)) {
      report(*state_, state_->rules.wording.notObject, at);
      return std::nullopt;
    }
    auto node = std::make_shared<Node>();
    node->object = v.extract<Object::Ptr>();
    node->path = at;
    return nested(std::move(node));
  });
}

std::vector<std::string> ObjectReader::strings(std::string_view key, Need need, std::size_t maxItems) {
  return array<std::string>(key, need, maxItems, [&](const Var& v, const std::string& at) {
    return readText(*state_, v, at, need, std::numeric_limits<std::size_t>::max());
  });
}

std::vector<std::string> ObjectReader::ids(std::string_view key, Need need, std::size_t maxItems) {
  return array<std::string>(key, need, maxItems,
                            [&](const Var& v, const std::string& at) { return readId(*state_, v, at); });
}

std::vector<std::int64_t> ObjectReader::integers(std::string_view key, Need need, std::size_t maxItems, Range range) {
  return array<std::int64_t>(key, need, maxItems,
                             [&](const Var& v, const std::string& at) { return readInteger(*state_, v, at, range); });
}

std::vector<double> ObjectReader::numbers(std::string_view key, Need need, std::size_t maxItems) {
  return array<double>(key, need, maxItems,
                       [&](const Var& v, const std::string& at) { return readNumber(*state_, v, at); });
}

// ---- problems ------------------------------------------------------------------

void ObjectReader::knownFields(std::initializer_list<std::string_view> names) {
  for (auto name : names) {
    if (node_->read.find(name) == node_->read.end()) node_->read.emplace(name);
  }
  if (state_->error || !node_->object) return;
  std::vector<std::string> fields;
  node_->object->getNames(fields);
  for (const auto& field : fields) {
    bool known = isComment(*state_, field);
    for (auto name : names) known = known || field == name;
    if (!known) {
      report(*state_, state_->rules.wording.unknown, path(field));
      return;
    }
  }
}

void ObjectReader::fail(std::string_view key, std::string_view problem) {
  if (state_->error) return;
  const std::string at = path(key);
  if (at.empty()) state_->error = Error{ErrorKind::Invalid, std::string(problem)};
  else report(*state_, state_->rules.wording.other, Fill{.path = at, .detail = problem});
}

bool ObjectReader::ok() const { return !state_->error.has_value(); }

Status ObjectReader::status() const {
  if (state_->error) return *state_->error;
  return {};
}

Status ObjectReader::finish() {
  if (state_->rules.unknown == Unknown::Refuse) checkUnknown(*node_, *state_);
  return status();
}

Result<ObjectReader> parseRequestBody(std::string_view body, std::size_t maxBytes) {
  Rules rules;
  rules.maxBytes = maxBytes;
  rules.maxDepth = 8;
  rules.notJsonObjectKind = ErrorKind::Malformed;
  rules.wording.notWhole = "{path} must be a whole number from {lo} to {hi}";
  rules.wording.outOfRange = "{path} must be a whole number from {lo} to {hi}";
  rules.wording.unknown = "unknown field {path}";
  if (body.size() <= maxBytes && body.find_first_not_of(" \t\r\n") == std::string_view::npos) body = "{}";
  return ObjectReader::parse(body, "request body", rules);
}

}  // namespace wms::json
