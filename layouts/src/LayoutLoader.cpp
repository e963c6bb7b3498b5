#include "wms/layouts/LayoutLoader.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "wms/json/ObjectReader.h"

namespace wms::layouts {
namespace {

using json::Need;
using json::ObjectReader;

constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMaxListLength = 4096;

// A layout file: fields starting with '_' are comments; every other field
// must be known, and problems read "path: what is wrong".
constexpr json::Rules kLayoutRules{
    .maxBytes = kMaxLayoutFileBytes,
    .maxDepth = 16,
    .commentPrefix = "_",
    .wording = {.notJsonObject = "{what}: the top level must be a JSON object",
                .missing = "{path}: missing",
                .blank = "{path}: must not be empty",
                .notText = "{path}: expected a string",
                .tooLong = "{path}: longer than {n} characters",
                .notWhole = "{path}: expected a whole number",
                .outOfRange = "{path}: number out of range",
                .notNumber = "{path}: expected a number",
                .notObject = "{path}: expected an object",
                .notArray = "{path}: expected an array",
                .tooMany = "{path}: more than {n} entries",
                .unknown = "{path}: unknown field (fields starting with '_' are comments)",
                .other = "{path}: {detail}"}};

// A name or code: text without control characters.
std::string name(ObjectReader& f, std::string_view key, Need need = Need::NonEmpty,
                 std::size_t maxLength = kMaxNameLength) {
  std::string s = f.text(key, need, maxLength);
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      f.fail(key, "contains a control character");
      return {};
    }
  }
  return s;
}

// A whole number within +-1e6, written 2 or 2.0 alike.
int whole(ObjectReader& f, std::string_view key, double d) {
  if (!f.ok()) return 0;
  if (d != std::floor(d)) {
    f.fail(key, "expected a whole number");
    return 0;
  }
  if (d < -1e6 || d > 1e6) {
    f.fail(key, "number out of range");
    return 0;
  }
  return static_cast<int>(d);
}

int integer(ObjectReader& f, std::string_view key) { return whole(f, key, f.number(key, Need::Required)); }

std::vector<int> integers(ObjectReader& f, const std::string& key) {
  std::vector<int> out;
  const auto numbers = f.numbers(key, Need::Required, kMaxListLength);
  for (std::size_t i = 0; i < numbers.size(); ++i)
    out.push_back(whole(f, key + "[" + std::to_string(i) + "]", numbers[i]));
  return out;
}

PlaceSpec parsePlace(ObjectReader& f) {
  f.knownFields({"name", "crossAisle", "x"});
  PlaceSpec p;
  p.name = name(f, "name");
  p.crossAisle = name(f, "crossAisle");
  p.x = f.number("x", Need::Required);
  return p;
}

Result<LayoutSpec> parseRoot(ObjectReader& f) {
  f.knownFields({"format", "site", "racks", "crossAisles", "blocks", "aisles", "zones", "depot", "packingStations"});
  LayoutSpec spec;
  const std::string format = name(f, "format");
  if (f.ok() && format != "wms-layout/1") f.fail("format", "expected \"wms-layout/1\", got \"" + format + "\"");

  auto site = f.object("site", Need::Required);
  site.knownFields({"code", "name", "width", "depth"});
  spec.site.code = name(site, "code");
  spec.site.name = name(site, "name", Need::Optional, 200);
  spec.site.width = site.number("width", Need::Required);
  spec.site.depth = site.number("depth", Need::Required);

  auto racks = f.object("racks", Need::Required);
  racks.knownFields({"depth", "bayWidth", "levelHeight"});
  spec.racks.depth = racks.number("depth", Need::Required);
  spec.racks.bayWidth = racks.number("bayWidth", Need::Required);
  spec.racks.levelHeight = racks.number("levelHeight", Need::Optional, 0);

  for (auto& c : f.objects("crossAisles", Need::Required, kMaxListLength)) {
    c.knownFields({"name", "y", "width"});
    CrossAisleSpec cross;
    cross.name = name(c, "name");
    cross.y = c.number("y", Need::Required);
    cross.width = c.number("width", Need::Required);
    spec.crossAisles.push_back(std::move(cross));
  }

  for (auto& b : f.objects("blocks", Need::Required, kMaxListLength)) {
    b.knownFields({"name", "baysPerSide", "levels"});
    BlockSpec block;
    block.name = name(b, "name");
    block.baysPerSide = integer(b, "baysPerSide");
    block.levels = integer(b, "levels");
    spec.blocks.push_back(std::move(block));
  }

  for (auto& a : f.objects("aisles", Need::Required, kMaxListLength)) {
    a.knownFields({"number", "x", "width", "sides", "baysPerSide", "levels"});
    AisleSpec aisle;
    aisle.number = integer(a, "number");
    aisle.x = a.number("x", Need::Required);
    aisle.width = a.number("width", Need::Required);
    if (a.has("sides")) {
      const std::string sides = name(a, "sides");
      if (sides == "both") aisle.sides = RackSides::Both;
      else if (sides == "left") aisle.sides = RackSides::Left;
      else if (sides == "right") aisle.sides = RackSides::Right;
      else if (a.ok()) a.fail("sides", "expected \"both\", \"left\" or \"right\", got \"" + sides + "\"");
    }
    if (a.has("baysPerSide")) aisle.baysPerSide = integers(a, "baysPerSide");
    if (a.has("levels")) aisle.levels = integer(a, "levels");
    spec.aisles.push_back(std::move(aisle));
  }

  for (auto& z : f.objects("zones", Need::Required, kMaxListLength)) {
    z.knownFields({"code", "name", "aisles", "blocks"});
    ZoneSpec zone;
    zone.code = name(z, "code");
    zone.name = name(z, "name", Need::Optional, 200);
    const auto range = z.numbers("aisles", Need::Required, kMaxListLength);
    if (z.ok() && range.size() != 2) z.fail("aisles", "expected [first, last] aisle numbers");
    if (z.ok()) {
      zone.fromAisle = whole(z, "aisles[0]", range[0]);
      zone.toAisle = whole(z, "aisles[1]", range[1]);
    }
    if (z.has("blocks")) zone.blocks = z.strings("blocks", Need::Required, kMaxListLength);
    spec.zones.push_back(std::move(zone));
  }

  auto depot = f.object("depot", Need::Required);
  spec.depot = parsePlace(depot);

  for (auto& s : f.objects("packingStations", Need::Optional, kMaxListLength))
    spec.packingStations.push_back(parsePlace(s));

  if (auto st = f.finish(); !st) return st.error();
  return spec;
}

}  // namespace

Result<LayoutSpec> parseLayoutSpec(std::string_view text) {
  auto r = ObjectReader::parse(text, "layout", kLayoutRules);
  if (!r) return r.error();
  return parseRoot(*r);
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
