// Tests src/decode/Enhance.cpp: the image helpers the decode passes use.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <numbers>

#include "decode/Enhance.h"

using namespace wms::handheld::detail;

namespace {

// Bars of `period` pixels whose edge normal points at `angleDeg`, inside a
// w x h box centred in a flat image; smooth (sine) like a camera sees them,
// not jagged.
GreyImage bars(int width, int height, double angleDeg, int boxW, int boxH, int period = 8) {
  GreyImage img(width, height, 160);
  const double a = angleDeg * std::numbers::pi / 180, c = std::cos(a), s = std::sin(a);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      double dx = x - width / 2.0, dy = y - height / 2.0;
      double u = dx * c + dy * s, v = -dx * s + dy * c;  // u across the bars, v along them
      if (std::abs(u) < boxW / 2.0 && std::abs(v) < boxH / 2.0)
        img.at(x, y) = static_cast<std::uint8_t>(130 + 90 * std::sin(2 * std::numbers::pi * u / period));
    }
  return img;
}

// Difference between two orientations (modulo 180 degrees).
double angleDiffDeg(double radians, double deg) {
  double d = std::fmod(std::abs(radians * 180 / std::numbers::pi - deg), 180.0);
  return std::min(d, 180.0 - d);
}

}  // namespace

BOOST_AUTO_TEST_CASE(contrast_stretch_maps_the_percentile_range_to_full_range) {
  GreyImage img(100, 1);
  for (int x = 0; x < 100; ++x) img.at(x, 0) = static_cast<std::uint8_t>(100 + x / 2);  // 100..149
  GreyImage out = stretchContrast(img.view(), 0.0, 1.0);
  BOOST_TEST(out.at(0, 0) == 0);
  BOOST_TEST(out.at(99, 0) == 255);
  BOOST_TEST(std::abs(out.at(50, 0) - 130) <= 2);
}

BOOST_AUTO_TEST_CASE(downscale_by_two_averages_each_block) {
  GreyImage img(4, 2);
  img.pixels = {0, 100, 10, 10, 100, 200, 30, 30};
  GreyImage out = downscale2(img.view());
  BOOST_TEST(out.width == 2);
  BOOST_TEST(out.height == 1);
  BOOST_TEST(out.at(0, 0) == 100);
  BOOST_TEST(out.at(1, 0) == 20);
}

BOOST_AUTO_TEST_CASE(local_normalisation_flattens_shading_and_keeps_edges) {
  GreyImage img(64, 64);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) img.at(x, y) = static_cast<std::uint8_t>(60 + x * 2 + ((x / 4) % 2) * 20);
  GreyImage out = localNormalize(img.view(), 8);
  // Same stripe, different brightness: the same output.
  BOOST_TEST(std::abs(out.at(9, 32) - out.at(49, 32)) <= 12);
  BOOST_TEST(out.at(5, 32) - out.at(1, 32) > 60);  // a bright stripe stays far above a dark one
  GreyImage flat(16, 16, 90);
  BOOST_TEST(localNormalize(flat.view(), 4).at(8, 8) == 128);
}

BOOST_AUTO_TEST_CASE(regions_find_a_tilted_bar_pattern_and_its_angle) {
  for (double angle : {0.0, 25.0, -40.0, 90.0}) {
    GreyImage img = bars(640, 480, angle, 240, 120);
    auto regions = findCandidateRegions(img.view(), 3);
    BOOST_TEST_REQUIRE(!regions.empty(), "angle " << angle);
    const Region& r = regions[0];
    // The box's extent in the image, whatever its rotation.
    const double a = angle * std::numbers::pi / 180;
    const double halfW = std::abs(120 * std::cos(a)) + std::abs(60 * std::sin(a));
    const double halfH = std::abs(120 * std::sin(a)) + std::abs(60 * std::cos(a));
    BOOST_TEST(r.x <= 320 - halfW + 8, "angle " << angle);
    BOOST_TEST(r.x + r.width >= 320 + halfW - 8, "angle " << angle);
    BOOST_TEST(r.y <= 240 - halfH + 8, "angle " << angle);
    BOOST_TEST(r.y + r.height >= 240 + halfH - 8, "angle " << angle);
    BOOST_TEST(angleDiffDeg(r.gradientAngle, angle) < 1.5, "angle " << angle << " found " << r.gradientAngle);
    BOOST_TEST(r.coherence > 0.7);
  }
  GreyImage flat(640, 480, 128);
  BOOST_TEST(findCandidateRegions(flat.view(), 3).empty());
}

BOOST_AUTO_TEST_CASE(a_region_turned_upright_has_vertical_bars) {
  GreyImage img = bars(640, 480, 30, 240, 160);
  auto regions = findCandidateRegions(img.view(), 1);
  BOOST_TEST_REQUIRE(regions.size() == 1u);
  Affine toFrame;
  GreyImage up = rotateRegion(img.view(), regions[0], toFrame);
  // Down a column through the middle of a bar the value hardly changes;
  // along a row it alternates.
  int cx = up.width / 2, cy = up.height / 2, columnChanges = 0, rowChanges = 0;
  for (int x = up.width / 2 - 4; x <= up.width / 2 + 4; ++x)
    if (std::abs(up.at(x, cy) - 130) > std::abs(up.at(cx, cy) - 130)) cx = x;
  for (int d = -40; d < 40; ++d) {
    columnChanges += std::abs(up.at(cx, cy + d + 1) - up.at(cx, cy + d)) > 60;
    rowChanges += std::abs(up.at(cx + d + 1, cy) - up.at(cx + d, cy)) > 60;
  }
  BOOST_TEST(columnChanges <= 2);
  BOOST_TEST(rowChanges >= 12);
  // The mapping back lands the centre on the region's centre.
  PointD c = toFrame.apply(up.width / 2.0, up.height / 2.0);
  BOOST_TEST(std::abs(c.x - (regions[0].x + regions[0].width / 2.0)) < 1.0);
}

BOOST_AUTO_TEST_CASE(affine_inverse_undoes_the_mapping) {
  Affine a{0.8, -0.6, 100, 0.6, 0.8, -20};
  PointD p = a.apply(12, 34);
  PointD back = a.inverse().apply(p.x, p.y);
  BOOST_TEST(std::abs(back.x - 12) < 1e-9);
  BOOST_TEST(std::abs(back.y - 34) < 1e-9);
}

BOOST_AUTO_TEST_CASE(fill_quad_fills_inside_and_nothing_outside) {
  GreyImage img(20, 20, 0);
  fillQuad(img, {PointD{5, 5}, PointD{14, 5}, PointD{14, 14}, PointD{5, 14}}, 255);
  BOOST_TEST(img.at(10, 10) == 255);
  BOOST_TEST(img.at(5, 5) == 255);
  BOOST_TEST(img.at(3, 10) == 0);
  BOOST_TEST(img.at(10, 16) == 0);
  fillQuad(img, {PointD{-50, -50}, PointD{100, -50}, PointD{100, 100}, PointD{-50, 100}}, 7);  // clipped
  BOOST_TEST(img.at(0, 0) == 7);
  BOOST_TEST(img.at(19, 19) == 7);
}
