// Layout: a validated warehouse layout with its generated storage locations
// and the walking distances between them.
//
// Geometry is in whole millimetres (the file's metres are rounded on build).
// Aisles are vertical corridors (x = centre line) that run through every
// block; cross aisles are horizontal corridors (y = centre line) across the
// whole site. A picker walks on the centre lines only, stands in the aisle at
// the centre of a bay and picks both sides and every level from there. See
// docs/layouts.md ("Walking model") for the exact distance model.
//
// A Layout is an immutable value: copies share the same data, and every const
// method may be called from any number of threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wms/common/Result.h"
#include "wms/layouts/LayoutSpec.h"

namespace wms::layouts {

using Millimetres = std::int64_t;

// Index of a storage location in Layout::locations().
enum class LocationId : std::uint32_t {};
// Index of a place (the depot or a packing station) in Layout::places().
enum class PlaceId : std::uint32_t {};

constexpr std::uint32_t index(LocationId id) noexcept { return static_cast<std::uint32_t>(id); }
constexpr std::uint32_t index(PlaceId id) noexcept { return static_cast<std::uint32_t>(id); }

struct Point {
  Millimetres x = 0;
  Millimetres y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

struct CrossAisle {
  std::string name;
  Millimetres y = 0;      // centre line
  Millimetres width = 0;
};

struct Aisle {
  int number = 0;          // as in location codes
  Millimetres x = 0;       // centre line
  Millimetres width = 0;
  RackSides sides = RackSides::Both;
};

struct Block {
  std::string name;
  Millimetres rackStart = 0;  // y where the racks begin (front cross aisle's back edge)
  Millimetres rackEnd = 0;    // y where the next cross aisle begins
  int baysPerSide = 0;        // nominal bay positions per aisle side
  int levels = 0;             // nominal levels
};

struct Zone {
  std::string code;
  std::string name;
};

// One storage location (a shelf level in a bay). Code: "<zone>-<aisle nn>-<bay nn>-<level>",
// e.g. "A-03-12-2"; odd bays are on the aisle's left side, even bays on its right side.
struct Location {
  std::string code;
  std::uint16_t aisle = 0;  // index in Layout::aisles() (left to right)
  std::uint16_t block = 0;  // index in Layout::blocks() (front to back)
  std::uint16_t zone = 0;   // index in Layout::zones()
  std::uint16_t bay = 0;    // bay number of the code
  std::uint8_t level = 0;   // level number of the code (1 = floor)
  Point pick;               // where the picker stands: aisle centre line, bay centre
  Millimetres along = 0;    // pick.y minus the front cross aisle's y: position along the aisle
};

// A named point on the front or back cross aisle's centre line.
struct Place {
  std::string name;
  std::size_t crossAisle = 0;  // index in Layout::crossAisles()
  Point at;
};

class Layout {
 public:
  // Validates a spec and generates its locations. Errors (kind Invalid) name the
  // offending element, e.g. "aisle 04 overlaps aisle 03: ...". Never throws.
  static Result<Layout> build(const LayoutSpec& spec);

  const SiteSpec& site() const noexcept;
  Millimetres rackDepth() const noexcept;
  Millimetres bayWidth() const noexcept;
  // What one location (a bay's level) holds: rack depth x bay width x
  // racks.levelHeight, in cm^3; 0 when the file gives no levelHeight.
  std::int64_t locationVolumeCm3() const noexcept;
  std::span<const CrossAisle> crossAisles() const noexcept;  // front to back
  std::span<const Block> blocks() const noexcept;            // front to back
  std::span<const Aisle> aisles() const noexcept;            // left to right
  std::span<const Zone> zones() const noexcept;
  std::span<const Location> locations() const noexcept;      // by aisle, then bay, then level
  std::span<const Place> places() const noexcept;            // the depot first, then packing stations

  // The location with this id; throws std::out_of_range for an id not from this layout.
  const Location& location(LocationId id) const;
  // The place with this id; throws std::out_of_range for an id not from this layout.
  const Place& place(PlaceId id) const;
  PlaceId depot() const noexcept { return PlaceId{0}; }

  // The location with exactly this code, if any. O(1).
  std::optional<LocationId> find(std::string_view code) const noexcept;
  // Like find(), but a NotFound error says why the code is unknown (not a code,
  // no such aisle, no such bay, no such level, wrong zone).
  Result<LocationId> lookup(std::string_view code) const;
  // The depot or packing station with this name, if any.
  std::optional<PlaceId> findPlace(std::string_view name) const noexcept;

  // Walking distances along aisle and cross-aisle centre lines (shortest path).
  // O(1); throw std::out_of_range for ids not from this layout.
  Millimetres distance(LocationId a, LocationId b) const;
  Millimetres distance(PlaceId a, LocationId b) const;
  Millimetres distance(PlaceId a, PlaceId b) const;

  struct Data;  // implementation detail, defined in the library's sources
  const Data& data() const noexcept { return *data_; }

 private:
  explicit Layout(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace wms::layouts
