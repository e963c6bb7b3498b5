#include "Json.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <sstream>

namespace wms::server::json {

Result<ObjectReader> ObjectReader::parse(std::string_view body) {
  Poco::Dynamic::Var root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(std::string(body));
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Malformed, "the body is not valid JSON: " + e.message()};
  } catch (const std::exception& e) {
    return Error{ErrorKind::Malformed, std::string("the body is not valid JSON: ") + e.what()};
  }
  if (root.type() != typeid(Poco::JSON::Object::Ptr))
    return Error{ErrorKind::Invalid, "the body must be a JSON object"};
  return ObjectReader(root.extract<Poco::JSON::Object::Ptr>(), "", std::make_shared<Shared>());
}

ObjectReader::ObjectReader(Poco::JSON::Object::Ptr obj, std::string path, std::shared_ptr<Shared> shared)
    : node_(std::make_shared<Node>(Node{std::move(obj), std::move(path), {}, {}})), shared_(std::move(shared)) {}

std::string ObjectReader::field(const std::string& key) const { return node_->path.empty() ? key : node_->path + "." + key; }

void ObjectReader::fail(std::string message) {
  if (!shared_->error) shared_->error = Error{ErrorKind::Invalid, std::move(message)};
}

bool ObjectReader::has(const std::string& key) const {
  return node_->obj && node_->obj->has(key) && !node_->obj->isNull(key);
}

std::string ObjectReader::text(const std::string& key, bool required, std::size_t maxBytes) {
  node_->read.insert(key);
  if (!ok()) return {};
  if (!has(key)) {
    if (required) fail(field(key) + " is required");
    return {};
  }
  Poco::Dynamic::Var v = node_->obj->get(key);
  if (!v.isString()) {
    fail(field(key) + " must be a string");
    return {};
  }
  std::string s = v.extract<std::string>();
  if (s.size() > maxBytes) {
    fail(field(key) + " is longer than " + std::to_string(maxBytes) + " bytes");
    return {};
  }
  return s;
}

std::int64_t ObjectReader::integer(const std::string& key, bool required, std::int64_t fallback) {
  node_->read.insert(key);
  if (!ok()) return fallback;
  if (!has(key)) {
    if (required) fail(field(key) + " is required");
    return fallback;
  }
  Poco::Dynamic::Var v = node_->obj->get(key);
  if (!v.isInteger() || v.isBoolean()) {
    fail(field(key) + " must be a whole number");
    return fallback;
  }
  try {
    return v.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    fail(field(key) + " is out of range");
    return fallback;
  }
}

bool ObjectReader::flag(const std::string& key, bool fallback) {
  node_->read.insert(key);
  if (!ok() || !has(key)) return fallback;
  Poco::Dynamic::Var v = node_->obj->get(key);
  if (!v.isBoolean()) {
    fail(field(key) + " must be true or false");
    return fallback;
  }
  return v.extract<bool>();
}

ObjectReader ObjectReader::object(const std::string& key, bool required) {
  node_->read.insert(key);
  Poco::JSON::Object::Ptr child;
  if (ok()) {
    if (!has(key)) {
      if (required) fail(field(key) + " is required");
    } else if (node_->obj->get(key).type() != typeid(Poco::JSON::Object::Ptr)) {
      fail(field(key) + " must be an object");
    } else {
      child = node_->obj->getObject(key);
    }
  }
  ObjectReader reader(child, field(key), shared_);
  node_->children.push_back(reader.node_);
  return reader;
}

std::vector<ObjectReader> ObjectReader::objects(const std::string& key, bool required, std::size_t maxItems) {
  node_->read.insert(key);
  std::vector<ObjectReader> out;
  if (!ok()) return out;
  if (!has(key)) {
    if (required) fail(field(key) + " is required");
    return out;
  }
  if (node_->obj->get(key).type() != typeid(Poco::JSON::Array::Ptr)) {
    fail(field(key) + " must be an array");
    return out;
  }
  auto arr = node_->obj->getArray(key);
  if (arr->size() > maxItems) {
    fail(field(key) + " has more than " + std::to_string(maxItems) + " items");
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string itemPath = field(key) + "[" + std::to_string(i) + "]";
    auto v = arr->get(static_cast<unsigned>(i));
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
      fail(itemPath + " must be an object");
      return {};
    }
    ObjectReader item(v.extract<Poco::JSON::Object::Ptr>(), itemPath, shared_);
    node_->children.push_back(item.node_);
    out.push_back(item);
  }
  return out;
}

std::vector<std::string> ObjectReader::strings(const std::string& key, bool required, std::size_t maxItems) {
  node_->read.insert(key);
  std::vector<std::string> out;
  if (!ok()) return out;
  if (!has(key)) {
    if (required) fail(field(key) + " is required");
    return out;
  }
  if (node_->obj->get(key).type() != typeid(Poco::JSON::Array::Ptr)) {
    fail(field(key) + " must be an array of strings");
    return out;
  }
  auto arr = node_->obj->getArray(key);
  if (arr->size() > maxItems) {
    fail(field(key) + " has more than " + std::to_string(maxItems) + " items");
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto v = arr->get(static_cast<unsigned>(i));
    if (!v.isString()) {
      fail(field(key) + "[" + std::to_string(i) + "] must be a string");
      return {};
    }
    out.push_back(v.extract<std::string>());
  }
  return out;
}

void ObjectReader::checkUnknown(const Node& node, Shared& shared) {
  if (shared.error) return;
  if (node.obj) {
    for (const auto& name : node.obj->getNames()) {
      if (!node.read.count(name)) {
        shared.error = Error{ErrorKind::Invalid,
                             "unknown field '" + (node.path.empty() ? name : node.path + "." + name) + "'"};
        return;
      }
    }
  }
  for (const auto& child : node.children) checkUnknown(*child, shared);
}

Status ObjectReader::finish() {
  checkUnknown(*node_, *shared_);
  if (shared_->error) return *shared_->error;
  return {};
}

std::string stringify(const Poco::JSON::Object::Ptr& obj) {
  std::ostringstream out;
  obj->stringify(out);
  return out.str();
}

std::string errorBody(const Error& error) {
  auto o = object();
  o->set("error", toString(error.kind));
  o->set("detail", error.message);
  return stringify(o);
}

std::string isoTime(std::int64_t ms) {
  Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(ms) * 1000);
  return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%S.%iZ");
}

}  // namespace wms::server::json
