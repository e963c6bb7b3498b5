// LayoutSpec: a warehouse layout as written in a layout file, before any
// geometry is checked. Plain data in metres; see docs/layouts.md for the file
// format and the meaning of every field. Layout::build() validates a spec and
// turns it into a Layout.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wms::layouts {

// Which sides of an aisle have racks (seen from the front, looking back).
enum class RackSides { Both, Left, Right };

struct SiteSpec {
  std::string code;    // short site code, e.g. "DC1"
  std::string name;    // human name
  double width = 0;    // building extent along x (metres)
  double depth = 0;    // building extent along y (metres); y grows away from the front
};

struct RackSpec {
  double depth = 0;     // rack depth on each side of an aisle (metres)
  double bayWidth = 0;  // width of one bay along the aisle (metres)
  double levelHeight = 0;  // clear height of one level (metres); 0: not given, locations have no volume
};

// A horizontal corridor across the whole site. Listed front to back.
struct CrossAisleSpec {
  std::string name;
  double y = 0;      // centre line (metres)
  double width = 0;  // metres
};

// The racks between two consecutive cross aisles. Listed front to back; block
// i lies between cross aisles i and i+1.
struct BlockSpec {
  std::string name;
  int baysPerSide = 0;  // bay positions along each aisle side in this block
  int levels = 0;       // shelf levels (1..9)
};

// A vertical picking aisle; it runs through every block.
struct AisleSpec {
  int number = 0;      // 1..99, the "AA" of location codes
  double x = 0;        // centre line (metres)
  double width = 0;    // metres
  RackSides sides = RackSides::Both;
  std::vector<int> baysPerSide;  // optional, one per block: fewer bays than the block has
  std::optional<int> levels;     // optional override of the blocks' levels
};

// A zone: the aisles from..to (inclusive, by number) in the named blocks (all
// blocks when empty). Every aisle section with bays belongs to exactly one zone.
struct ZoneSpec {
  std::string code;  // 1-3 capital letters, the "Z" of location codes
  std::string name;
  int fromAisle = 0;
  int toAisle = 0;
  std::vector<std::string> blocks;
};

// A named point on the front or back cross aisle: the depot or a packing station.
struct PlaceSpec {
  std::string name;
  std::string crossAisle;  // name of the first or last cross aisle
  double x = 0;            // metres
};

struct LayoutSpec {
  SiteSpec site;
  RackSpec racks;
  std::vector<CrossAisleSpec> crossAisles;
  std::vector<BlockSpec> blocks;
  std::vector<AisleSpec> aisles;
  std::vector<ZoneSpec> zones;
  PlaceSpec depot;
  std::vector<PlaceSpec> packingStations;
};

}  // namespace wms::layouts
