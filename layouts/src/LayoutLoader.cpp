#include "wms/layouts/LayoutLoader.h"
#include "wms/common/TextChecks.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

namespace wms::layouts {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::size_t kMaxNesting = 16;
constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMaxListLength = 4096;

Error invalid(std::string message) { return Error{ErrorKind::Invalid, std::move(message)}; }

// Reads the fields of one JSON object, remembering its path for messages and
// which keys were used so that unknown keys can be reported.
class Fields {
 public:
  Fields(Object::Ptr obj, std::string path) : obj_(std::move(obj)), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  bool has(const std::string& key) const { return obj_->has(key) && !obj_->isNull(key); }

  Status allow(std::initializer_list<const char*> keys) const {
    std::vector<std::string> names;
    obj_->getNames(names);
    for (const auto& name : names) {
      if (!name.empty() && name[0] == '_') continue;  // comments
      bool known = false;
      for (const char* k : keys) known = known || name == k;
      if (!known) return invalid(at(name) + ": unknown field (fields starting with '_' are comments)");
    }
    return {};
  }

  Result<Var> get(const std::string& key) const {
    if (!has(key)) return invalid(at(key) + ": missing");
    return obj_->get(key);
  }

  Result<std::string> string(const std::string& key, bool required = true, std::size_t maxLength = kMaxNameLength) const {
    if (!has(key)) {
      if (required) return invalid(at(key) + ": missing");
      return std::string();
    }
    Var v = obj_->get(key);
    if (!v.isString()) return invalid(at(key) + ": expected a string");
    std::string s = v.extract<std::string>();
    if (required && s.empty()) return invalid(at(key) + ": must not be empty");
    if (s.size() > maxLength) return invalid(at(key) + ": longer than " + std::to_string(maxLength) + " characters");
    for (unsigned char c : s) {
      if (c < 0x20 || c == 0x7f) return invalid(at(key) + ": contains a control character");
    }
    return s;
  }

  Result<double> number(const std::string& key) const {
    auto v = get(key);
    if (!v) return v.error();
    return toNumber(*v, at(key));
  }

  Result<int> integer(const std::string& key) const {
    auto v = get(key);
    if (!v) return v.error();
    return toInteger(*v, at(key));
  }

  Result<Object::Ptr> object(const std::string& key) const {
    auto v = get(key);
    if (!v) return v.error();
    if (v->type() != typeid(Object::Ptr)) return invalid(at(key) + ": expected an object");
    return v->extract<Object::Ptr>();
  }

  Result<Array::Ptr> array(const std::string& key) const {
    auto v = get(key);
    if (!v) return v.error();
    if (v->type() != typeid(Array::Ptr)) return invalid(at(key) + ": expected an array");
    auto a = v->extract<Array::Ptr>();
    if (a->size() > kMaxListLength) return Error{ErrorKind::TooLarge, at(key) + ": more than " + std::to_string(kMaxListLength) + " entries"};
    return a;
  }

  static Result<double> toNumber(const Var& v, const std::string& where) {
    if (v.isString() || v.isBoolean() || !v.isNumeric()) return invalid(where + ": expected a number");
    double d = v.convert<double>();
    if (!std::isfinite(d)) return invalid(where + ": expected a finite number");
    return d;
  }

  static Result<int> toInteger(const Var& v, const std::string& where) {
    if (v.isString() || v.isBoolean() || !v.isNumeric()) return invalid(where + ": expected a whole number");
    if (!v.isInteger()) {
      double d = v.convert<double>();
      if (!std::isfinite(d) || d != std::floor(d)) return invalid(where + ": expected a whole number");
    }
    double d = v.convert<double>();
    if (d < -1e6 || d > 1e6) return invalid(where + ": number out of range");
    return static_cast<int>(d);
  }

 private:
  Object::Ptr obj_;
  std::string path_;
};

// Each element of an array as an object, with "path[i]" for messages.
Result<std::vector<Fields>> objects(const Fields& parent, const std::string& key) {
  auto arr = parent.array(key);
  if (!arr) return arr.error();
  std::vector<Fields> out;
  for (std::size_t i = 0; i < (*arr)->size(); ++i) {
    std::string path = parent.at(key) + "[" + std::to_string(i) + "]";
    Var v = (*arr)->get(static_cast<unsigned>(i));
    if (v.type() != typeid(Object::Ptr)) return invalid(path + ": expected an object");
    out.emplace_back(v.extract<Object::Ptr>(), path);
  }
  return out;
}

#define WMS_TRY(var, expr)              \
  auto var##_r = (expr);                \
  if (!var##_r) return var##_r.error(); \
  auto var = std::move(*var##_r)

Result<PlaceSpec> parsePlace(const Fields& f) {
  if (auto st = f.allow({"name", "crossAisle", "x"}); !st) return st.error();
  PlaceSpec p;
  WMS_TRY(name, f.string("name"));
  WMS_TRY(cross, f.string("crossAisle"));
  WMS_TRY(x, f.number("x"));
  p.name = std::move(name);
  p.crossAisle = std::move(cross);
  p.x = x;
  return p;
}

Result<LayoutSpec> parseRoot(Object::Ptr root) {
  Fields f(root, "");
  if (auto st = f.allow({"format", "site", "racks", "crossAisles", "blocks", "aisles", "zones", "depot",
                         "packingStations"});
      !st) {
    return st.error();
  }
  LayoutSpec spec;
  WMS_TRY(format, f.string("format"));
  if (format != "wms-layout/1") return invalid("format: expected \"wms-layout/1\", got \"" + format + "\"");

  WMS_TRY(siteObj, f.object("site"));
  Fields site(siteObj, "site");
  if (auto st = site.allow({"code", "name", "width", "depth"}); !st) return st.error();
  WMS_TRY(code, site.string("code"));
  WMS_TRY(siteName, site.string("name", false, 200));
  WMS_TRY(width, site.number("width"));
  WMS_TRY(depth, site.number("depth"));
  spec.site = SiteSpec{code, siteName, width, depth};

  WMS_TRY(racksObj, f.object("racks"));
  Fields racks(racksObj, "racks");
  if (auto st = racks.allow({"depth", "bayWidth"}); !st) return st.error();
  WMS_TRY(rackDepth, racks.number("depth"));
  WMS_TRY(bayWidth, racks.number("bayWidth"));
  spec.racks = RackSpec{rackDepth, bayWidth};

  WMS_TRY(crossList, objects(f, "crossAisles"));
  for (const auto& c : crossList) {
    if (auto st = c.allow({"name", "y", "width"}); !st) return st.error();
    WMS_TRY(name, c.string("name"));
    WMS_TRY(y, c.number("y"));
    WMS_TRY(w, c.number("width"));
    spec.crossAisles.push_back(CrossAisleSpec{name, y, w});
  }

  WMS_TRY(blockList, objects(f, "blocks"));
  for (const auto& b : blockList) {
    if (auto st = b.allow({"name", "baysPerSide", "levels"}); !st) return st.error();
    WMS_TRY(name, b.string("name"));
    WMS_TRY(bays, b.integer("baysPerSide"));
    WMS_TRY(levels, b.integer("levels"));
    spec.blocks.push_back(BlockSpec{name, bays, levels});
  }

  WMS_TRY(aisleList, objects(f, "aisles"));
  for (const auto& a : aisleList) {
    if (auto st = a.allow({"number", "x", "width", "sides", "baysPerSide", "levels"}); !st) return st.error();
    AisleSpec spec1;
    WMS_TRY(number, a.integer("number"));
    WMS_TRY(x, a.number("x"));
    WMS_TRY(w, a.number("width"));
    spec1.number = number;
    spec1.x = x;
    spec1.width = w;
    if (a.has("sides")) {
      WMS_TRY(sides, a.string("sides"));
      if (sides == "both") spec1.sides = RackSides::Both;
      else if (sides == "left") spec1.sides = RackSides::Left;
      else if (sides == "right") spec1.sides = RackSides::Right;
      else return invalid(a.at("sides") + ": expected \"both\", \"left\" or \"right\", got \"" + sides + "\"");
    }
    if (a.has("baysPerSide")) {
      WMS_TRY(arr, a.array("baysPerSide"));
      for (std::size_t i = 0; i < arr->size(); ++i) {
        WMS_TRY(n, Fields::toInteger(arr->get(static_cast<unsigned>(i)), a.at("baysPerSide") + "[" + std::to_string(i) + "]"));
        spec1.baysPerSide.push_back(n);
      }
    }
    if (a.has("levels")) {
      WMS_TRY(levels, a.integer("levels"));
      spec1.levels = levels;
    }
    spec.aisles.push_back(std::move(spec1));
  }

  WMS_TRY(zoneList, objects(f, "zones"));
  for (const auto& z : zoneList) {
    if (auto st = z.allow({"code", "name", "aisles", "blocks"}); !st) return st.error();
    ZoneSpec zone;
    WMS_TRY(zcode, z.string("code"));
    WMS_TRY(zname, z.string("name", false, 200));
    WMS_TRY(range, z.array("aisles"));
    if (range->size() != 2) return invalid(z.at("aisles") + ": expected [first, last] aisle numbers");
    WMS_TRY(from, Fields::toInteger(range->get(0), z.at("aisles") + "[0]"));
    WMS_TRY(to, Fields::toInteger(range->get(1), z.at("aisles") + "[1]"));
    zone.code = zcode;
    zone.name = zname;
    zone.fromAisle = from;
    zone.toAisle = to;
    if (z.has("blocks")) {
      WMS_TRY(names, z.array("blocks"));
      for (std::size_t i = 0; i < names->size(); ++i) {
        Var v = names->get(static_cast<unsigned>(i));
        if (!v.isString()) return invalid(z.at("blocks") + "[" + std::to_string(i) + "]: expected a block name");
        zone.blocks.push_back(v.extract<std::string>());
      }
    }
    spec.zones.push_back(std::move(zone));
  }

  WMS_TRY(depotObj, f.object("depot"));
  WMS_TRY(depot, parsePlace(Fields(depotObj, "depot")));
  spec.depot = std::move(depot);

  if (f.has("packingStations")) {
    WMS_TRY(stations, objects(f, "packingStations"));
    for (const auto& s : stations) {
      WMS_TRY(p, parsePlace(s));
      spec.packingStations.push_back(std::move(p));
    }
  }
  return spec;
}

}  // namespace

Result<LayoutSpec> parseLayoutSpec(std::string_view text) {
  if (text.size() > kMaxLayoutFileBytes) {
    return Error{ErrorKind::TooLarge, "layout is " + std::to_string(text.size()) + " bytes, the limit is " +
                                          std::to_string(kMaxLayoutFileBytes)};
  }
  // The parser builds its tree recursively; refusing deep nesting up front
  // keeps a hostile file from exhausting the stack.
  if (jsonNestingDepth(text) > kMaxNesting) {
    return Error{ErrorKind::Malformed, "not a layout: JSON nested deeper than " + std::to_string(kMaxNesting) + " levels"};
  }
  try {
    Poco::JSON::Parser parser;
    Var root = parser.parse(std::string(text));
    if (root.type() != typeid(Object::Ptr)) return invalid("not a layout: the top level must be a JSON object");
    return parseRoot(root.extract<Object::Ptr>());
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Malformed, "not valid JSON: " + e.message()};
  } catch (const std::bad_alloc&) {
    return Error{ErrorKind::TooLarge, "layout too large to parse"};
  } catch (const std::exception& e) {
    return Error{ErrorKind::Malformed, std::string("not valid JSON: ") + e.what()};
  }
}

Result<Layout> parseLayout(std::string_view text) {
  auto spec = parseLayoutSpec(text);
  if (!spec) return spec.error();
  return Layout::build(*spec);
}

Result<Layout> loadLayout(const std::filesystem::path& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error{ErrorKind::NotFound, path.string() + ": cannot read layout file: " + ec.message()};
  if (size > kMaxLayoutFileBytes) {
    return Error{ErrorKind::TooLarge, path.string() + ": layout file is " + std::to_string(size) +
                                          " bytes, the limit is " + std::to_string(kMaxLayoutFileBytes)};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorKind::NotFound, path.string() + ": cannot open layout file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error{ErrorKind::NotFound, path.string() + ": cannot read layout file"};
  auto layout = parseLayout(text.str());
  if (!layout) return Error{layout.error().kind, path.string() + ": " + layout.error().message};
  return layout;
}

}  // namespace wms::layouts
