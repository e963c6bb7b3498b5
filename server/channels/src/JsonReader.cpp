#include "JsonReader.h"
#include "wms/common/TextChecks.h"

#include <Poco/JSON/Parser.h>

#include "wms/channels/Payloads.h"
#include "wms/domain/Csv.h"

namespace wms::channels::json {
namespace {

// A JSON number that is a whole number, as exact decimal text; nullopt for
// fractions and for numbers POCO could only hold as a double (which may
// already have lost digits).
std::optional<std::string> wholeNumberText(const Poco::Dynamic::Var& v) {
  if (!v.isNumeric() || !v.isInteger()) return std::nullopt;
  try {
    return v.convert<std::string>();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

}  // namespace

Result<Reader> Reader::parse(std::string_view body, std::string_view what) {
  const std::string name(what);
  if (body.empty()) return Error{ErrorKind::Malformed, name + ": the body is empty"};
  if (body.size() > kMaxPayloadBytes)
    return Error{ErrorKind::TooLarge, name + ": larger than " + std::to_string(kMaxPayloadBytes) + " bytes"};
  if (jsonNestingDepth(body) > kMaxPayloadDepth)
    return Error{ErrorKind::Malformed, name + ": nested deeper than " + std::to_string(kMaxPayloadDepth) + " levels"};
  Poco::Dynamic::Var root;
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(static_cast<int>(kMaxPayloadDepth) + 1);
    root = parser.parse(std::string(body));
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Malformed, name + ": not valid JSON: " + e.message()};
  } catch (const std::exception& e) {
    return Error{ErrorKind::Malformed, name + ": not valid JSON: " + e.what()};
  }
  if (root.type() != typeid(Poco::JSON::Object::Ptr)) return Error{ErrorKind::Invalid, name + ": must be a JSON object"};
  return Reader(root.extract<Poco::JSON::Object::Ptr>(), "", std::make_shared<State>());
}

Reader::Reader(Poco::JSON::Object::Ptr obj, std::string path, std::shared_ptr<State> state)
    : obj_(std::move(obj)), path_(std::move(path)), state_(std::move(state)) {}

std::string Reader::path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

Status Reader::status() const {
  if (state_->error) return *state_->error;
  return {};
}

void Reader::fail(const std::string& field, const std::string& problem) {
  if (!state_->error) state_->error = Error{ErrorKind::Invalid, path(field) + " " + problem};
}

bool Reader::has(const std::string& key) const { return obj_ && obj_->has(key) && !obj_->isNull(key); }

Poco::Dynamic::Var Reader::get(const std::string& key) const { return obj_->get(key); }

std::string Reader::text(const std::string& key, Need need, std::size_t maxBytes) {
  if (!ok()) return {};
  if (!has(key)) {
    if (need == Need::Required) fail(key, "is required");
    return {};
  }
  auto v = get(key);
  if (!v.isString()) {
    fail(key, "must be a string");
    return {};
  }
  std::string s = v.extract<std::string>();
  if (s.size() > maxBytes) {
    fail(key, "is longer than " + std::to_string(maxBytes) + " bytes");
    return {};
  }
  return s;
}

std::string Reader::id(const std::string& key, Need need) {
  if (!ok()) return {};
  if (!has(key)) {
    if (need == Need::Required) fail(key, "is required");
    return {};
  }
  auto v = get(key);
  std::string s;
  if (v.isString()) {
    s = v.extract<std::string>();
  } else if (auto t = wholeNumberText(v)) {
    s = *t;
  } else {
    fail(key, "must be a string or a whole number");
    return {};
  }
  if (s.empty() || s.size() > 128) {
    fail(key, "must be 1 to 128 characters");
    return {};
  }
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) {
      fail(key, "may contain only printable ASCII without spaces");
      return {};
    }
  }
  return s;
}

std::int64_t Reader::integer(const std::string& key, Need need, std::int64_t fallback) {
  if (!ok()) return fallback;
  if (!has(key)) {
    if (need == Need::Required) fail(key, "is required");
    return fallback;
  }
  auto v = get(key);
  std::optional<std::string> digits;
  if (v.isString()) digits = v.extract<std::string>();
  else digits = wholeNumberText(v);
  std::optional<std::int64_t> n;
  if (digits && digits->size() <= 19) n = domain::parseInt64(*digits);
  if (!n) {
    fail(key, "must be a whole number");
    return fallback;
  }
  return *n;
}

bool Reader::flag(const std::string& key, bool fallback) {
  if (!ok() || !has(key)) return fallback;
  auto v = get(key);
  if (v.type() != typeid(bool)) {
    fail(key, "must be true or false");
    return fallback;
  }
  return v.extract<bool>();
}

Reader Reader::object(const std::string& key, Need need) {
  Reader empty(nullptr, path(key), state_);
  if (!ok()) return empty;
  if (!has(key)) {
    if (need == Need::Required) fail(key, "is required");
    return empty;
  }
  auto v = get(key);
  if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
    fail(key, "must be an object");
    return empty;
  }
  return Reader(v.extract<Poco::JSON::Object::Ptr>(), path(key), state_);
}

std::vector<Reader> Reader::objects(const std::string& key, Need need, std::size_t maxItems) {
  std::vector<Reader> out;
  if (!ok()) return out;
  if (!has(key)) {
    if (need == Need::Required) fail(key, "is required");
    return out;
  }
  auto v = get(key);
  if (v.type() != typeid(Poco::JSON::Array::Ptr)) {
    fail(key, "must be an array");
    return out;
  }
  auto arr = v.extract<Poco::JSON::Array::Ptr>();
  if (arr->size() > maxItems) {
    fail(key, "has more than " + std::to_string(maxItems) + " items");
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto item = arr->get(static_cast<unsigned>(i));
    const std::string p = path(key) + "[" + std::to_string(i) + "]";
    if (item.type() != typeid(Poco::JSON::Object::Ptr)) {
      if (!state_->error) state_->error = Error{ErrorKind::Invalid, p + " must be an object"};
      return {};
    }
    out.push_back(Reader(item.extract<Poco::JSON::Object::Ptr>(), p, state_));
  }
  return out;
}

std::vector<std::string> Reader::ids(const std::string& key, Need need, std::size_t maxItems) {
  std::vector<std::string> out;
  if (!ok()) return out;
  if (!has(key)) {
    if (need == Need::Required) fail(key, "is required");
    return out;
  }
  auto v = get(key);
  if (v.type() != typeid(Poco::JSON::Array::Ptr)) {
    fail(key, "must be an array");
    return out;
  }
  auto arr = v.extract<Poco::JSON::Array::Ptr>();
  if (arr->size() > maxItems) {
    fail(key, "has more than " + std::to_string(maxItems) + " items");
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto item = arr->get(static_cast<unsigned>(i));
    std::optional<std::string> s;
    if (item.isString()) s = item.extract<std::string>();
    else s = wholeNumberText(item);
    if (!s || s->empty() || s->size() > 128) {
      fail(key + "[" + std::to_string(i) + "]", "must be a non-empty string");
      return {};
    }
    out.push_back(*s);
  }
  return out;
}

}  // namespace wms::channels::json
