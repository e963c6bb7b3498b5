// Tests layouts/app/wms-route.cpp: runs the real binary and reads its output.
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <sstream>

#include "LayoutTestSupport.h"
#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/TempDir.h"

using namespace wms::layouts;
using namespace wms::layouts::test;
using wms::testsupport::runCommand;

namespace {

std::string binary() {
  const char* dir = std::getenv("WMS_BINARY_DIR");
  return std::string(dir ? dir : WMS_BINARY_DIR) + "/layouts/app/wms-route";
}

wms::testsupport::CommandResult run(std::vector<std::string> args) {
  args.insert(args.begin(), binary());
  return runCommand(args);
}

Poco::JSON::Object::Ptr json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string samplePath(const std::string& name) { return sample(name).string(); }

bool oneLine(const std::string& s) { return !s.empty() && s.find('\n') == s.size() - 1; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_route_is_one_json_object_with_method_distance_and_stops) {
  auto r = run({"--layout", samplePath("dc-single-block.json"), "--method", "optimal", "A-02-05-1", "C-15-30-2",
                "B-09-12-3", "A-02-05-1"});
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  auto obj = json(r.output);
  BOOST_TEST(obj->getValue<std::string>("method") == "optimal");
  BOOST_TEST(obj->getValue<bool>("optimal"));
  auto stops = obj->getArray("stops");
  BOOST_TEST(stops->size() == 3u);

  Layout layout = loadSample("dc-single-block.json");
  Router router(layout);
  std::vector<LocationId> picks{*layout.find("A-02-05-1"), *layout.find("C-15-30-2"), *layout.find("B-09-12-3")};
  auto route = router.route(picks);
  BOOST_TEST(std::llround(obj->getValue<double>("distance_m") * 1000) == route->distanceMm);
  BOOST_TEST(stops->getElement<std::string>(0) == layout.location(route->stops[0]).code);
  BOOST_TEST(obj->getArray("path_m")->size() == route->path.size());
}

BOOST_AUTO_TEST_CASE(every_method_is_accepted_and_given_keeps_the_order) {
  for (const char* m : {"sshape", "return", "midpoint", "largestgap", "combined", "optimal", "localsearch", "best",
                        "given"}) {
    auto r = run({"--layout", samplePath("dc-multi-block.json"), "--method", m, "D-30-70-1", "A-01-03-2", "C-12-40-1"});
    BOOST_REQUIRE_MESSAGE(r.exitCode == 0, m << ": " << r.output);
    auto obj = json(r.output);
    BOOST_TEST(obj->getArray("stops")->size() == 3u);
    if (std::string(m) == "given") BOOST_TEST(obj->getArray("stops")->getElement<std::string>(0) == "D-30-70-1");
    if (std::string(m) == "best") BOOST_TEST(obj->getValue<std::string>("method") == "localsearch");
  }
}

BOOST_AUTO_TEST_CASE(an_empty_pick_list_is_a_route_of_zero_metres) {
  auto r = run({"--layout", samplePath("store-backroom.json")});
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  auto obj = json(r.output);
  BOOST_TEST(obj->getValue<double>("distance_m") == 0.0);
  BOOST_TEST(obj->getArray("stops")->size() == 0u);
}

BOOST_AUTO_TEST_CASE(a_route_can_end_at_a_packing_station) {
  auto r = run({"--layout", samplePath("dc-single-block.json"), "--end", "PACK-04", "A-02-05-1"});
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  auto obj = json(r.output);
  BOOST_TEST(obj->getValue<std::string>("end") == "PACK-04");
  Layout layout = loadSample("dc-single-block.json");
  const Millimetres expected =
      layout.distance(layout.depot(), *layout.find("A-02-05-1")) +
      layout.distance(*layout.findPlace("PACK-04"), *layout.find("A-02-05-1"));
  BOOST_TEST(std::llround(obj->getValue<double>("distance_m") * 1000) == expected);
}

BOOST_AUTO_TEST_CASE(bad_input_is_one_line_on_stderr_and_exit_code_2) {
  auto expectError = [](std::vector<std::string> args, const std::string& part) {
    auto r = run(std::move(args));
    BOOST_TEST(r.exitCode == 2, part);
    BOOST_TEST(r.output.find(part) != std::string::npos, r.output);
    BOOST_TEST(r.output.rfind("wms-route: ", 0) == 0u, r.output);
  };
  const std::string dc = samplePath("dc-single-block.json");
  expectError({"--layout", dc, "A-02-05-1", "A-44-01-1"}, "unknown location 'A-44-01-1': there is no aisle 44");
  expectError({"--layout", dc, "--method", "fastest", "A-02-05-1"}, "unknown method 'fastest'");
  expectError({"--layout", (fixtures() / "valid" / "six-cross-aisles.json").string(), "--method", "optimal",
               "A-01-01-1"},
              "method 'optimal' does not apply to this layout");
  expectError({"--layout", (fixtures() / "broken" / "overlapping-aisles.json").string(), "A-01-01-1"},
              "aisle 02 overlaps aisle 01");
  expectError({"--layout", "/nonexistent/layout.json"}, "cannot read layout file");
  expectError({"--layout", dc, "--end", "PACK-99"}, "unknown place 'PACK-99'");
  expectError({"--layout", dc, "--frobnicate"}, "unknown option --frobnicate");
  expectError({"A-02-05-1"}, "--layout FILE is required");
  // Single-line errors where the input was at fault.
  auto r = run({"--layout", dc, "B-02-05-1"});
  BOOST_TEST(oneLine(r.output), r.output);
}

BOOST_AUTO_TEST_CASE(list_locations_prints_every_code_with_x_and_y_and_every_one_routes) {
  auto r = run({"--layout", samplePath("store-backroom.json"), "--list-locations"});
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  Layout layout = loadSample("store-backroom.json");
  std::istringstream lines(r.output);
  std::string code;
  double x = 0, y = 0;
  std::vector<std::string> args{"--layout", samplePath("store-backroom.json"), "--method", "optimal"};
  std::size_t n = 0;
  while (lines >> code >> x >> y) {
    const Location& loc = layout.location(*layout.find(code));
    BOOST_TEST(std::llround(x * 1000) == loc.pick.x);
    BOOST_TEST(std::llround(y * 1000) == loc.pick.y);
    args.push_back(code);
    ++n;
  }
  BOOST_TEST(n == layout.locations().size());
  auto all = run(args);
  BOOST_REQUIRE_MESSAGE(all.exitCode == 0, all.output.substr(0, 300));
  BOOST_TEST(json(all.output)->getArray("stops")->size() == n);
}

BOOST_AUTO_TEST_CASE(matrix_prints_walking_distances_from_the_depot_and_between_locations) {
  auto r = run({"--layout", samplePath("dc-multi-block.json"), "--matrix", "A-01-03-2", "D-30-70-1", "A-01-03-2"});
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  auto obj = json(r.output);
  auto labels = obj->getArray("labels");
  BOOST_TEST(labels->size() == 4u);
  BOOST_TEST(labels->getElement<std::string>(0) == "depot");
  BOOST_TEST(labels->getElement<std::string>(2) == "D-30-70-1");
  auto m = obj->getArray("m");
  Layout layout = loadSample("dc-multi-block.json");
  auto a = *layout.find("A-01-03-2"), d = *layout.find("D-30-70-1");
  auto at = [&](unsigned i, unsigned j) { return std::llround(m->getArray(i)->getElement<double>(j) * 1000); };
  BOOST_TEST(at(0, 0) == 0);
  BOOST_TEST(at(0, 1) == layout.distance(layout.depot(), a));
  BOOST_TEST(at(1, 2) == layout.distance(a, d));
  BOOST_TEST(at(2, 1) == at(1, 2));
  BOOST_TEST(at(1, 3) == 0);
}

BOOST_AUTO_TEST_CASE(svg_output_draws_the_layout_with_the_route_and_heat) {
  wms::testsupport::TempDir dir("wms-route");
  const std::string out = (dir / "route.svg").string();
  auto r = run({"--layout", samplePath("dc-single-block.json"), "--svg", out, "A-02-05-1", "C-15-30-2"});
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  const std::string svg = wms::testsupport::readFile(out);
  BOOST_TEST(svg.find("<polyline") != std::string::npos);
  BOOST_TEST(svg.find("</svg>") != std::string::npos);

  wms::testsupport::writeFile(dir / "heat.txt", "# location count\nA-02-05-1 12\nC-15-30-2 3\n");
  const std::string heatSvg = (dir / "heat.svg").string();
  auto h = run({"--layout", samplePath("dc-single-block.json"), "--svg", heatSvg, "--heat", (dir / "heat.txt").string()});
  BOOST_REQUIRE_MESSAGE(h.exitCode == 0, h.output);
  BOOST_TEST(wms::testsupport::readFile(heatSvg).find("02-05: 12 picks") != std::string::npos);

  wms::testsupport::writeFile(dir / "bad-heat.txt", "A-02-05-1 lots\n");
  auto bad = run({"--layout", samplePath("dc-single-block.json"), "--svg", heatSvg, "--heat",
                  (dir / "bad-heat.txt").string()});
  BOOST_TEST(bad.exitCode == 2);
  BOOST_TEST(bad.output.find("bad-heat.txt:1: count must be a whole number") != std::string::npos, bad.output);
}
