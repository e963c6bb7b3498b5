// Tests src/LayoutLoader.cpp: the samples load; every broken fixture gives the
// error written beside it and nothing else.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "LayoutTestSupport.h"
#include "wms/testsupport/TempDir.h"

using namespace wms::layouts;
using namespace wms::layouts::test;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_sample_layouts_load_with_the_promised_shape) {
  Layout store = loadSample("store-backroom.json");
  BOOST_TEST(store.crossAisles().size() == 2u);
  BOOST_TEST(store.aisles().size() == 5u);

  Layout single = loadSample("dc-single-block.json");
  BOOST_TEST(single.crossAisles().size() == 2u);
  BOOST_TEST(single.aisles().size() >= 10u);
  BOOST_TEST(single.aisles().size() <= 20u);
  BOOST_TEST(single.places().size() > 1u);

  Layout multi = loadSample("dc-multi-block.json");
  BOOST_TEST(multi.aisles().size() >= 30u);
  BOOST_TEST(multi.crossAisles().size() >= 4u);  // front, back and at least two middle ones
  BOOST_TEST(multi.zones().size() >= 3u);
}

// racks.levelHeight gives every location a volume (put-away fills it no
// further); without it there is none.
BOOST_AUTO_TEST_CASE(a_level_height_gives_each_location_the_volume_of_its_bay_level) {
  BOOST_TEST(loadSample("dc-multi-block.json").locationVolumeCm3() == 2'700'000);  // 1.0 x 1.8 x 1.5 m
  BOOST_TEST(loadSample("store-backroom.json").locationVolumeCm3() == 0);
}

BOOST_AUTO_TEST_CASE(every_broken_fixture_gives_its_expected_error) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures() / "broken")) {
    if (entry.path().extension() != ".json") continue;
    auto expectedFile = entry.path();
    expectedFile.replace_extension(".expected");
    std::string expected = slurp(expectedFile);
    BOOST_REQUIRE_MESSAGE(!expected.empty(), "no .expected beside " << entry.path());
    expected.erase(expected.find_last_not_of("\n") + 1);
    const std::string kind = expected.substr(0, expected.find(": "));
    const std::string message = expected.substr(expected.find(": ") + 2);
    auto layout = parseLayout(slurp(entry.path()));
    BOOST_TEST_REQUIRE(!layout.ok(), entry.path().filename());
    BOOST_TEST(toString(layout.error().kind) == kind, entry.path().filename());
    BOOST_TEST(layout.error().message.find(message) != std::string::npos,
               entry.path().filename() << ": got \"" << layout.error().message << "\"");
    ++checked;
  }
  BOOST_TEST(checked >= 25);
}

BOOST_AUTO_TEST_CASE(every_valid_fixture_loads) {
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures() / "valid")) {
    auto layout = loadLayout(entry.path());
    BOOST_TEST(layout.ok(), entry.path().filename() << ": " << (layout ? "" : layout.error().message));
    ++loaded;
  }
  BOOST_TEST(loaded >= 5);
}

BOOST_AUTO_TEST_CASE(fields_starting_with_an_underscore_are_comments) {
  std::string text = slurp(fixtures() / "valid" / "small.json");
  text.insert(text.find("\"format\""), "\"_note\": {\"anything\": [1, 2, {\"x\": null}]},\n  ");
  auto layout = parseLayout(text);
  BOOST_TEST(layout.ok());
}

BOOST_AUTO_TEST_CASE(a_middle_cross_aisle_layout_gets_zones_per_block) {
  auto layout = loadLayout(fixtures() / "valid" / "middle-cross-aisle.json");
  BOOST_REQUIRE(layout.ok());
  BOOST_TEST(layout->find("A-01-03-1").has_value());
  BOOST_TEST(!layout->find("A-01-05-1").has_value());  // aisle 1 has 2 of 3 bays in B1
  BOOST_TEST(layout->find("BB-01-07-3").has_value());  // B2 starts at position 4: bays 07/08
  BOOST_TEST(!layout->find("BB-02-08-1").has_value());  // aisle 2 has racks on its left only
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_not_found_and_names_the_file) {
  wms::testsupport::TempDir dir("layouts");
  auto layout = loadLayout(dir / "nope.json");
  BOOST_REQUIRE(!layout.ok());
  BOOST_TEST((layout.error().kind == wms::ErrorKind::NotFound));
  BOOST_TEST(layout.error().message.find("nope.json") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_oversized_file_is_refused_before_parsing) {
  wms::testsupport::TempDir dir("layouts");
  std::string big(kMaxLayoutFileBytes + 1, ' ');
  wms::testsupport::writeFile(dir / "big.json", big);
  auto layout = loadLayout(dir / "big.json");
  BOOST_REQUIRE(!layout.ok());
  BOOST_TEST((layout.error().kind == wms::ErrorKind::TooLarge));
  BOOST_TEST((parseLayout(big).error().kind == wms::ErrorKind::TooLarge));
}

BOOST_AUTO_TEST_CASE(errors_in_a_file_are_prefixed_with_its_path) {
  auto layout = loadLayout(fixtures() / "broken" / "overlapping-aisles.json");
  BOOST_REQUIRE(!layout.ok());
  BOOST_TEST(layout.error().message.find("overlapping-aisles.json: aisle 02 overlaps aisle 01") != std::string::npos);
}
