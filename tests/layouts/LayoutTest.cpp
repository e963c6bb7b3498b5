// Tests src/Layout.cpp: geometry validation, generated locations, lookups and
// walking distances.
#define BOOST_TEST_MODULE layouts
#include <boost/test/unit_test.hpp>

#include <random>
#include <set>

#include "LayoutTestSupport.h"

using namespace wms::layouts;
using namespace wms::layouts::test;

namespace {

std::string buildError(const LayoutSpec& spec) {
  auto layout = Layout::build(spec);
  if (layout.ok()) return "(built)";
  BOOST_TEST((layout.error().kind == wms::ErrorKind::Invalid));
  return layout.error().message;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(locations_get_codes_from_zone_aisle_bay_and_level) {
  auto layout = Layout::build(smallSpec());
  BOOST_REQUIRE(layout.ok());
  // 2 aisles x 6 positions x 2 sides x 2 levels.
  BOOST_TEST(layout->locations().size() == 48u);
  const Location& loc = layout->location(*layout->find("A-02-12-2"));
  BOOST_TEST(loc.aisle == 1);
  BOOST_TEST(loc.bay == 12);
  BOOST_TEST(loc.level == 2);
  BOOST_TEST(loc.pick.x == 8000);
  BOOST_TEST(loc.pick.y == 14000);  // sixth bay of 2 m from y 3: centre at 14
  BOOST_TEST(loc.along == 12000);   // from the front cross aisle's centre line
  // Odd and even bays of one position face each other across the aisle.
  BOOST_TEST(layout->location(*layout->find("A-02-11-1")).pick == loc.pick);
  std::set<std::string> codes;
  for (const auto& l : layout->locations()) codes.insert(l.code);
  BOOST_TEST(codes.size() == layout->locations().size());
}

BOOST_AUTO_TEST_CASE(bay_numbers_continue_across_middle_cross_aisles) {
  Layout layout = loadSample("dc-multi-block.json");
  // 14 positions per block: bay 29 is the first left bay of the middle block.
  const Location& first = layout.location(*layout.find("C-05-29-1"));
  BOOST_TEST(first.block == 1);
  BOOST_TEST(first.pick.y == layout.blocks()[1].rackStart + 900);
  BOOST_TEST(!layout.find("C-05-85-1").has_value());
  // Aisle 18 is four bays short in the front block.
  BOOST_TEST(layout.find("A-18-20-1").has_value());
  BOOST_TEST(!layout.find("A-18-21-1").has_value());
}

BOOST_AUTO_TEST_CASE(racks_on_one_side_only_have_only_odd_or_only_even_bays) {
  Layout layout = loadSample("store-backroom.json");
  BOOST_TEST(layout.find("S-01-02-1").has_value());
  BOOST_TEST(!layout.find("S-01-01-1").has_value());
  BOOST_TEST(layout.find("V-05-01-1").has_value());
  BOOST_TEST(!layout.find("V-05-02-1").has_value());
}

BOOST_AUTO_TEST_CASE(lookup_says_why_a_code_is_unknown) {
  Layout layout = loadSample("dc-single-block.json");
  BOOST_TEST(layout.lookup("A-03-12-2").ok());
  auto why = [&](const char* code) {
    auto r = layout.lookup(code);
    BOOST_TEST((r.error().kind == wms::ErrorKind::NotFound));
    return r.error().message;
  };
  BOOST_TEST(contains(why("hello"), "not a location code"));
  BOOST_TEST(contains(why("A-3-12-2"), "not a location code"));
  BOOST_TEST(contains(why("A-03-12-2-1"), "not a location code"));
  BOOST_TEST(contains(why(""), "not a location code"));
  BOOST_TEST(contains(why("A-44-01-1"), "there is no aisle 44"));
  BOOST_TEST(contains(why("A-03-99-1"), "aisle 03 has no bay 99"));
  BOOST_TEST(contains(why("A-03-12-7"), "has no level 7"));
  BOOST_TEST(contains(why("C-03-12-2"), "is in zone A, not C"));
}

BOOST_AUTO_TEST_CASE(places_are_found_by_name_and_the_depot_comes_first) {
  Layout layout = loadSample("dc-single-block.json");
  BOOST_TEST(layout.places().size() == 5u);
  BOOST_TEST(layout.place(layout.depot()).name == "DEPOT");
  BOOST_TEST(index(*layout.findPlace("PACK-03")) == 3u);
  BOOST_TEST(!layout.findPlace("PACK-99").has_value());
}

BOOST_AUTO_TEST_CASE(distance_in_one_aisle_is_the_difference_along_it) {
  Layout layout = loadSample("dc-multi-block.json");
  auto a = *layout.find("A-07-01-1"), b = *layout.find("D-07-84-5");
  BOOST_TEST(layout.distance(a, b) == layout.location(b).pick.y - layout.location(a).pick.y);
}

BOOST_AUTO_TEST_CASE(distance_between_aisles_of_one_block_goes_round_the_nearer_end) {
  auto layout = Layout::build(smallSpec());
  // y 4 and y 6 near the front (y 2): 2 + 2 + 4 + 5 across = 11 m, not via the back.
  BOOST_TEST(layout->distance(*layout->find("A-01-01-1"), *layout->find("A-02-03-1")) == 11000);
  // y 12 and y 14 nearer the back (y 18): 6 + 4 + 5 across = 15 m (27 m via the front).
  BOOST_TEST(layout->distance(*layout->find("A-01-09-1"), *layout->find("A-02-12-1")) == 15000);
  // From the depot (x 5.5, y 2): straight along the cross aisle, then up the aisle.
  BOOST_TEST(layout->distance(layout->depot(), *layout->find("A-02-12-1")) == 2500 + 12000);
}

BOOST_AUTO_TEST_CASE(distance_across_blocks_is_rectilinear) {
  Layout layout = loadSample("dc-multi-block.json");
  const auto& a = layout.location(*layout.find("A-02-05-1"));
  const auto& b = layout.location(*layout.find("D-30-70-1"));
  BOOST_TEST(layout.distance(*layout.find("A-02-05-1"), *layout.find("D-30-70-1")) ==
             (b.pick.x - a.pick.x) + (b.pick.y - a.pick.y));
}

BOOST_AUTO_TEST_CASE(distances_are_symmetric_and_obey_the_triangle_inequality) {
  std::mt19937 rng(99);
  for (int rows = 2; rows <= 5; ++rows) {
    for (int l = 0; l < 20; ++l) {
      auto layout = Layout::build(randomSpec(rng, rows));
      BOOST_REQUIRE(layout.ok());
      if (layout->locations().empty()) continue;
      for (int k = 0; k < 200; ++k) {
        auto p = randomPicks(rng, *layout, 3);
        BOOST_TEST(layout->distance(p[0], p[1]) == layout->distance(p[1], p[0]));
        BOOST_TEST(layout->distance(p[0], p[0]) == 0);
        BOOST_TEST(layout->distance(p[0], p[2]) <= layout->distance(p[0], p[1]) + layout->distance(p[1], p[2]));
        const PlaceId d = layout->depot(), s = PlaceId{1};
        BOOST_TEST(layout->distance(d, p[0]) <= layout->distance(d, s) + layout->distance(s, p[0]));
        BOOST_TEST(layout->distance(d, s) <= layout->distance(d, p[0]) + layout->distance(s, p[0]));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(walking_between_places_on_front_and_back_uses_the_nearest_aisle) {
  auto spec = smallSpec();
  spec.depot = PlaceSpec{"DEPOT", "front", 0.5};
  spec.packingStations = {{"BACKDOOR", "back", 1.0}};
  auto layout = Layout::build(spec);
  BOOST_REQUIRE(layout.ok());
  // No aisle between x 0.5 and x 1: over to aisle 1 (x 3), up 16 m, back to x 1.
  BOOST_TEST(layout->distance(layout->depot(), PlaceId{1}) == 2500 + 16000 + 2000);
}

BOOST_AUTO_TEST_CASE(bad_geometry_is_an_error_naming_the_element) {
  auto spec = smallSpec();
  spec.aisles[1].x = 4.5;
  BOOST_TEST(contains(buildError(spec), "aisle 02 overlaps aisle 01"));

  spec = smallSpec();
  spec.crossAisles[1].width = -3;
  BOOST_TEST(contains(buildError(spec), "cross aisle 'back': width must be positive"));

  spec = smallSpec();
  spec.racks.bayWidth = 0;
  BOOST_TEST(contains(buildError(spec), "racks.bayWidth must be positive"));

  spec = smallSpec();
  spec.depot = PlaceSpec{};
  BOOST_TEST(contains(buildError(spec), "a layout needs a depot"));

  spec = smallSpec();
  spec.depot.crossAisle = "loading bay";
  BOOST_TEST(contains(buildError(spec), "depot 'DEPOT': unknown cross aisle 'loading bay'"));

  spec = smallSpec();
  spec.blocks[0].baysPerSide = 8;
  BOOST_TEST(contains(buildError(spec), "block 'B1': 8 bays of 2.000 m (16.000 m) do not fit"));

  spec = smallSpec();
  spec.crossAisles[1].y = 2.5;
  BOOST_TEST(contains(buildError(spec), "cross aisle 'back' overlaps cross aisle 'front'"));

  spec = smallSpec();
  std::swap(spec.crossAisles[0], spec.crossAisles[1]);
  BOOST_TEST(contains(buildError(spec), "listed front to back"));

  spec = smallSpec();
  spec.aisles[1].x = 11.5;
  BOOST_TEST(contains(buildError(spec), "aisle 02 (x 11.500 m with its racks) lies outside the site"));

  spec = smallSpec();
  spec.aisles[1].number = 1;
  BOOST_TEST(contains(buildError(spec), "duplicate aisle 01"));

  spec = smallSpec();
  spec.zones[0].toAisle = 1;
  BOOST_TEST(contains(buildError(spec), "aisle 02 has bays in block 'B1' but no zone covers them"));

  spec = smallSpec();
  spec.zones.push_back({"B", "overlap", 2, 2, {}});
  BOOST_TEST(contains(buildError(spec), "zone B overlaps zone A at aisle 02"));

  spec = smallSpec();
  spec.zones[0].code = "a1";
  BOOST_TEST(contains(buildError(spec), "code must be 1 to 3 capital letters"));

  spec = smallSpec();
  spec.blocks.push_back({"B2", 1, 1});
  BOOST_TEST(contains(buildError(spec), "2 cross aisles make 1 block(s), but 2 are listed"));

  spec = smallSpec();
  spec.blocks[0].levels = 10;
  BOOST_TEST(contains(buildError(spec), "levels must be 1..9"));

  spec = smallSpec();
  spec.aisles[0].baysPerSide = {7};
  BOOST_TEST(contains(buildError(spec), "aisle 01: baysPerSide for block 'B1' must be 0..6, got 7"));

  spec = smallSpec();
  spec.packingStations[0].name = "DEPOT";
  BOOST_TEST(contains(buildError(spec), "duplicate name 'DEPOT'"));

  spec = smallSpec();
  spec.site.width = std::numeric_limits<double>::quiet_NaN();
  BOOST_TEST(contains(buildError(spec), "site.width must be a number"));

  spec = smallSpec();
  spec.crossAisles.push_back({"mid", 10.0, 2.0});
  spec.blocks = {{"B1", 3, 1}, {"B2", 3, 1}};
  std::swap(spec.crossAisles[1], spec.crossAisles[2]);
  spec.depot.crossAisle = "mid";
  BOOST_TEST(contains(buildError(spec), "must be on the front or back cross aisle"));
}
