// The data behind a Layout, shared by the library's sources (not installed).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "wms/layouts/Layout.h"

namespace wms::layouts {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// One aisle inside one block: what racks it holds.
struct SectionInfo {
  int baysPerSide = 0;  // actual positions (<= the block's nominal)
  int levels = 0;
  int zone = -1;        // index in zones, -1 when the section has no bays
};

struct Layout::Data {
  SiteSpec site;
  Millimetres rackDepth = 0;
  Millimetres bayWidth = 0;
  Millimetres levelHeight = 0;  // 0: not given
  std::vector<CrossAisle> crossAisles;
  std::vector<Block> blocks;
  std::vector<Aisle> aisles;
  std::vector<Zone> zones;
  std::vector<Location> locations;
  std::vector<Place> places;
  std::vector<Millimetres> rowY;          // cross-aisle centre lines, front to back
  std::vector<SectionInfo> sections;      // aisle * blocks.size() + block
  std::vector<int> firstPosition;         // per block: global bay position of its first bay (1-based)
  std::vector<int> aisleIndexByNumber;    // 0..99 -> index in aisles, -1 if none
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> byCode;

  const SectionInfo& section(std::size_t aisle, std::size_t block) const {
    return sections[aisle * blocks.size() + block];
  }
  Millimetres pickToPick(const Location& p, const Location& q) const noexcept;
  Millimetres placeToPick(const Place& p, const Location& q) const noexcept;
  Millimetres placeToPlace(const Place& p, const Place& q) const noexcept;
  // The aisle a walk between two different cross aisles uses to get from x1 to x2.
  std::size_t connectingAisle(Millimetres x1, Millimetres x2) const noexcept;
};

}  // namespace wms::layouts
