// Tests src/decode/BarGeometry.cpp: finding where a linear symbol's bars lie
// in a turned region, how they lean, and sampling them upright.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <random>

#include "decode/BarGeometry.h"

using namespace wms::handheld::detail;

namespace {

// Irregular bars (widths of 1-4 modules, fixed seed), as a camera sees them:
// ink 60 on paper 200, edges smoothed over about a pixel. `at(u)` is the
// grey level at `u` modules from the first bar; paper outside [0, length).
struct BarPattern {
  std::vector<double> edges;  // in modules: bar, space, bar...
  double length = 0;
  explicit BarPattern(int elements) {
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> width(1, 4);
    for (int i = 0; i < elements; ++i) {
      edges.push_back(length);
      length += width(rng);
    }
    edges.push_back(length);
  }
  double at(double u, double module) const {
    // Each edge contributes a smooth step (about a pixel wide).
    double ink = 0;
    for (std::size_t i = 0; i + 1 < edges.size(); i += 2) {
      auto step = [&](double e) { return 0.5 + 0.5 * std::tanh((u - e) * module / 0.6); };
      ink += step(edges[i]) - step(edges[i + 1]);
    }
    return 200 - 140 * std::clamp(ink, 0.0, 1.0);
  }
};

// A `w` x `h` image of `pattern` with modules of `module` px starting at
// column `left`: the bar that crosses row axisRow(x) at column x leans by
// lean0 + leanPerPixel * x columns per row (bars through a vanishing point,
// as perspective draws them), and the bars reach `halfHeight` rows either
// side of a slanted axis. Paper 200 elsewhere.
GreyImage fannedBars(const BarPattern& pattern, int w, int h, double module, int left, const BarGeometry& g) {
  GreyImage img(w, h, 200);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      // The axis crossing x0 of the bar through (x, y): x = x0 + lean(x0) * dy,
      // with dy measured from the axis at x (the axis is slanted a little).
      const double dy = y - g.axisRow(x);
      if (std::abs(dy) > g.halfHeight) continue;
      const double x0 = (x - g.lean0 * dy) / (1 + g.leanPerPixel * dy);
      img.at(x, y) = static_cast<std::uint8_t>(std::lround(pattern.at((x0 - left) / module, module)));
    }
  return img;
}

BarGeometry layout(double axisRow0, double axisSlope, double halfHeight, double lean0, double leanPerPixel) {
  BarGeometry g;
  g.axisRow0 = axisRow0;
  g.axisSlope = axisSlope;
  g.halfHeight = halfHeight;
  g.lean0 = lean0;
  g.leanPerPixel = leanPerPixel;
  return g;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_axis_of_a_slanted_band_of_bars_is_found) {
  const BarPattern pattern(120);
  const BarGeometry truth = layout(60, 0.12, 25, 0, 0);
  GreyImage img = fannedBars(pattern, 700, 200, 2.0, 60, truth);
  auto axis = measureBarAxis(smoothAlongBars(img.view(), 5).view());
  BOOST_TEST_REQUIRE(axis.has_value());
  BOOST_TEST(std::abs(axis->axisSlope - 0.12) < 0.02);
  for (double x : {100.0, 350.0, 600.0}) BOOST_TEST(std::abs(axis->axisRow(x) - truth.axisRow(x)) < 3, x);
  BOOST_TEST(std::abs(axis->halfHeight - 25) < 4);
}

BOOST_AUTO_TEST_CASE(fanned_out_bars_have_a_lean_that_changes_along_the_symbol) {
  // Leaning 0.2 one way at the left end and 0.08 the other at the right.
  const BarPattern pattern(120);
  const BarGeometry truth = layout(100, 0.0, 30, 0.2, -0.0004);
  GreyImage img = fannedBars(pattern, 760, 200, 2.0, 60, truth);
  auto axis = measureBarAxis(smoothAlongBars(img.view(), 5).view());
  BOOST_TEST_REQUIRE(axis.has_value());
  auto bars = measureBarLean(img.view(), *axis);
  BOOST_TEST_REQUIRE(bars.has_value());
  for (double x : {100.0, 380.0, 660.0}) BOOST_TEST(std::abs(bars->lean(x) - truth.lean(x)) < 0.02, x);
}

BOOST_AUTO_TEST_CASE(rectified_bars_stand_upright_with_the_axis_in_the_middle_row) {
  const BarPattern pattern(120);
  const BarGeometry truth = layout(90, 0.08, 30, 0.2, -0.0004);
  GreyImage img = fannedBars(pattern, 760, 220, 2.0, 60, truth);
  Affine toFrame;
  GreyImage upright = rectifyBars(img.view(), Affine{}, img.width, truth, toFrame);
  BOOST_TEST(upright.width == img.width);
  // Upright: every column keeps its level from 20 rows above the axis to 20
  // below it (a leaning bar would cross from ink to paper).
  const int middle = upright.height / 2;
  int changing = 0;
  for (int x = 60; x < 700; ++x)
    if (std::abs(upright.at(x, middle - 20) - upright.at(x, middle + 20)) > 40) ++changing;
  BOOST_TEST(changing < 20);
  // Unstraightened, many would.
  int changingBefore = 0;
  for (int x = 60; x < 700; ++x) {
    const int y = static_cast<int>(std::lround(truth.axisRow(x)));
    if (std::abs(img.at(x, y - 20) - img.at(x, y + 20)) > 40) ++changingBefore;
  }
  BOOST_TEST(changingBefore > 150);
  // The middle row maps to the axis in the frame.
  for (double x : {100.0, 400.0}) {
    const PointD p = toFrame.apply(x, middle);
    BOOST_TEST(std::abs(p.x - x) < 1e-6);
    BOOST_TEST(std::abs(p.y - truth.axisRow(x)) < 1e-6);
  }
}

BOOST_AUTO_TEST_CASE(an_image_without_bars_has_no_bar_layout) {
  GreyImage flat(400, 120, 150);
  BOOST_TEST(!measureBarAxis(flat.view()).has_value());
  // Noise has edges but no bars that match from one strip to the other.
  GreyImage noise(400, 120);
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> grey(60, 200);
  for (auto& p : noise.pixels) p = static_cast<std::uint8_t>(grey(rng));
  BOOST_TEST(!measureBarLean(noise.view(), layout(60, 0, 30, 0, 0)).has_value());
}

BOOST_AUTO_TEST_CASE(widened_rows_interpolate_between_the_pixels) {
  GreyImage row(2, 1);
  row.pixels = {0, 90};
  GreyImage wide = widenRows(row.view(), 3);
  BOOST_TEST_REQUIRE(wide.width == 6);
  BOOST_TEST(wide.height == 1);
  // Column x is column (x + 0.5) / 3 - 0.5 of the original, edges held.
  const std::vector<int> expected{0, 0, 30, 60, 90, 90};
  for (int x = 0; x < 6; ++x) BOOST_TEST(wide.at(x, 0) == expected[static_cast<std::size_t>(x)], x);
}
