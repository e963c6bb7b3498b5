// Tests src/Svg.cpp: the drawing holds the layout, the route and the heat.
#include <boost/test/unit_test.hpp>

#include "LayoutTestSupport.h"
#include "wms/layouts/Svg.h"

using namespace wms::layouts;
using namespace wms::layouts::test;

namespace {

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_layout_drawing_has_a_rect_per_bay_face_and_labels) {
  Layout layout = loadSample("store-backroom.json");
  const std::string svg = renderSvg(layout);
  BOOST_TEST(svg.rfind("<?xml", 0) == 0u);
  BOOST_TEST(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
  BOOST_TEST(svg.find("</svg>") != std::string::npos);
  // One rectangle per bay face: locations / levels (4 levels in the sample).
  std::size_t faces = layout.locations().size() / 4;
  BOOST_TEST(count(svg, "stroke=\"#8a8070\"") == faces);
  BOOST_TEST(svg.find(">PICKUP<") != std::string::npos);
  BOOST_TEST(svg.find("zone V") != std::string::npos);
  BOOST_TEST(svg.find("id=\"route\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_route_is_drawn_as_a_polyline_with_numbered_stops) {
  Layout layout = loadSample("dc-single-block.json");
  Router router(layout);
  std::vector<LocationId> picks{*layout.find("A-02-05-1"), *layout.find("C-15-30-2"), *layout.find("B-09-12-3")};
  auto route = router.route(picks);
  SvgOptions options;
  options.route = &*route;
  const std::string svg = renderSvg(layout, options);
  BOOST_TEST(svg.find("<g id=\"route\" data-method=\"optimal\">") != std::string::npos);
  BOOST_TEST(count(svg, "<polyline") == 1u);
  BOOST_TEST(count(svg, "<circle") == 3u);
  BOOST_TEST(svg.find("<title>1: " + layout.location(route->stops[0]).code + "</title>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(heat_colours_bays_by_pick_count_and_leaves_unpicked_bays_grey) {
  Layout layout = loadSample("store-backroom.json");
  std::vector<HeatEntry> heat{{*layout.find("S-02-03-1"), 10}, {*layout.find("S-02-03-2"), 5},
                              {*layout.find("V-04-06-1"), 1}};
  SvgOptions options;
  options.heat = heat;
  const std::string svg = renderSvg(layout, options);
  // Levels add up per bay face: 02-03 has 15 picks, the hottest.
  BOOST_TEST(svg.find("02-03: 15 picks") != std::string::npos);
  BOOST_TEST(svg.find("04-06: 1 picks") != std::string::npos);
  BOOST_TEST(svg.find("fill=\"#af1414\"") != std::string::npos);  // the hottest colour
  BOOST_TEST(count(svg, "fill=\"#f2f2f2\"") == layout.locations().size() / 4 - 2);
}

BOOST_AUTO_TEST_CASE(names_are_escaped_in_the_drawing) {
  auto spec = smallSpec();
  spec.site.name = "A&B <\"west\">";
  spec.depot.name = "<DOCK>";
  auto layout = Layout::build(spec);
  BOOST_REQUIRE(layout.ok());
  const std::string svg = renderSvg(*layout);
  BOOST_TEST(svg.find("A&amp;B &lt;&quot;west&quot;&gt;") != std::string::npos);
  BOOST_TEST(svg.find("&lt;DOCK&gt;") != std::string::npos);
  BOOST_TEST(svg.find("<DOCK>") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_scale_out_of_range_is_a_misuse) {
  Layout layout = loadSample("store-backroom.json");
  SvgOptions options;
  options.pixelsPerMetre = 0;
  BOOST_CHECK_THROW(renderSvg(layout, options), std::invalid_argument);
}
