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

// `img` blurred by a Gaussian of `sigma` pixels (edges repeated), as a
// camera's defocus: computed in double, rounded once.
GreyImage gaussianBlurred(const GreyImage& img, double sigma) {
  const int r = static_cast<int>(std::ceil(4 * sigma)), w = img.width, h = img.height;
  std::vector<double> k(static_cast<std::size_t>(2 * r + 1));
  double total = 0;
  for (int i = -r; i <= r; ++i)
    total += k[static_cast<std::size_t>(i + r)] = std::exp(-i * i / (2 * sigma * sigma));
  for (double& v : k) v /= total;
  std::vector<double> rows(static_cast<std::size_t>(w) * h), cols(rows.size());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int i = -r; i <= r; ++i)
        s += k[static_cast<std::size_t>(i + r)] *
             img.pixels[static_cast<std::size_t>(y) * w + std::clamp(x + i, 0, w - 1)];
      rows[static_cast<std::size_t>(y) * w + x] = s;
    }
  GreyImage out(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int i = -r; i <= r; ++i)
        s += k[static_cast<std::size_t>(i + r)] *
             rows[static_cast<std::size_t>(std::clamp(y + i, 0, h - 1)) * w + x];
      out.at(x, y) = static_cast<std::uint8_t>(std::lround(s));
    }
  return out;
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

BOOST_AUTO_TEST_CASE(smoothing_along_bars_averages_columns_and_keeps_edges_across) {
  // Vertical bars 4 px wide with alternating noise on every other row.
  GreyImage img(32, 40);
  for (int y = 0; y < 40; ++y)
    for (int x = 0; x < 32; ++x)
      img.at(x, y) = static_cast<std::uint8_t>(((x / 4) % 2 ? 200 : 40) + (y % 2 ? 20 : -20));
  GreyImage out = smoothAlongBars(img.view(), 5);
  BOOST_TEST(out.width == 32);
  BOOST_TEST(out.height == 40);
  // The noise down each column averages out; the step between bars stays.
  BOOST_TEST(std::abs(out.at(1, 20) - 40) <= 2);
  BOOST_TEST(std::abs(out.at(5, 20) - 200) <= 2);
  BOOST_TEST(std::abs(out.at(5, 21) - 200) <= 2);
  // With a step, row j is the average centred on row j * step.
  GreyImage every4 = smoothAlongBars(img.view(), 5, 4);
  BOOST_TEST(every4.height == 10);
  BOOST_TEST(every4.at(5, 5) == out.at(5, 20));
}

BOOST_AUTO_TEST_CASE(sharpening_across_bars_deepens_a_blurred_thin_bar_and_leaves_flat_rows_alone) {
  // One row: a thin dark bar blurred into its bright neighbours; one flat row.
  GreyImage img(21, 2, 180);
  const std::uint8_t blurred[] = {160, 120, 100, 120, 160};
  for (int i = 0; i < 5; ++i) img.at(8 + i, 0) = blurred[i];
  GreyImage out = sharpenAcrossBars(img.view(), 1.5, 1.5);
  BOOST_TEST(out.at(10, 0) < 100);                               // darker at its centre
  BOOST_TEST(out.at(3, 0) == 180);                               // paper far from it unchanged
  for (int x = 0; x < 21; ++x) BOOST_TEST(out.at(x, 1) == 180);  // rows do not mix
}

BOOST_AUTO_TEST_CASE(sharpening_lifts_a_blurred_module_and_keeps_a_flat_image) {
  GreyImage img(15, 15, 200);
  for (int y = 6; y <= 8; ++y)
    for (int x = 6; x <= 8; ++x) img.at(x, y) = x == 7 && y == 7 ? 90 : 140;
  GreyImage out = sharpen(img.view(), 1.0, 1.5);
  BOOST_TEST(out.at(7, 7) < 90);
  BOOST_TEST(out.at(0, 0) == 200);
  GreyImage flat(9, 9, 77);
  GreyImage flatOut = sharpen(flat.view(), 2.5, 1.5);
  BOOST_TEST(flatOut.at(4, 4) == 77);
  BOOST_TEST(flatOut.at(0, 8) == 77);
}

BOOST_AUTO_TEST_CASE(bar_rows_are_the_band_of_rows_that_cross_bars) {
  GreyImage img(60, 100, 150);
  for (int y = 30; y < 60; ++y)
    for (int x = 0; x < 60; ++x) img.at(x, y) = (x / 3) % 2 ? 220 : 40;
  auto [first, count] = barRows(img.view(), 0.4, 5);
  BOOST_TEST(first == 25);
  BOOST_TEST(count == 40);
  GreyImage flat(10, 10, 5);
  auto whole = barRows(flat.view(), 0.4, 5);
  BOOST_TEST(whole.first == 0);
  BOOST_TEST(whole.second == 10);
}

BOOST_AUTO_TEST_CASE(a_region_whose_label_border_competes_with_its_bars_offers_both_directions) {
  // Faint vertical bars (edges across x) on a bright, long label whose
  // top and bottom borders against a dark desk are strong horizontal edges.
  GreyImage img(640, 480, 120);
  for (int y = 200; y < 280; ++y)
    for (int x = 120; x < 520; ++x)
      img.at(x, y) = static_cast<std::uint8_t>(x >= 160 && x < 480 && y >= 215 && y < 265
                                                   ? 200 + 15 * std::sin(2 * std::numbers::pi * x / 6)
                                                   : 215);
  auto regions = findCandidateRegions(img.view(), 1);
  BOOST_TEST_REQUIRE(regions.size() == 1u);
  const Region& r = regions[0];
  BOOST_TEST_REQUIRE(!std::isnan(r.otherGradientAngle), "first " << r.gradientAngle);
  const bool barsFirst = angleDiffDeg(r.gradientAngle, 0) < 5 && angleDiffDeg(r.otherGradientAngle, 90) < 5;
  const bool borderFirst = angleDiffDeg(r.gradientAngle, 90) < 5 && angleDiffDeg(r.otherGradientAngle, 0) < 5;
  BOOST_TEST((barsFirst || borderFirst), "found " << r.gradientAngle << " and " << r.otherGradientAngle);
  // Bars alone have one direction only.
  GreyImage plain = bars(640, 480, 20, 240, 120);
  BOOST_TEST(std::isnan(findCandidateRegions(plain.view(), 1).at(0).otherGradientAngle));
}

BOOST_AUTO_TEST_CASE(blur_estimate_recovers_the_sigma_of_a_blurred_step_edge) {
  // Dark left half, light right half, then a known defocus.
  GreyImage step(64, 48, 200);
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 32; ++x) step.at(x, y) = 60;
  for (double sigma : {1.5, 2.5, 3.5}) {
    const double estimate = estimateBlurSigma(gaussianBlurred(step, sigma).view());
    BOOST_TEST(std::abs(estimate - sigma) < 0.2 * sigma, "sigma " << sigma << " estimated " << estimate);
  }
  BOOST_TEST(estimateBlurSigma(GreyImage(32, 32, 90).view()) == 0);
  BOOST_TEST(estimateBlurSigma(GreyImage(2, 2, 90).view()) == 0);
}

BOOST_AUTO_TEST_CASE(deconvolution_deepens_a_blurred_module_and_keeps_the_paper_level) {
  // A dark 5x5 module on paper, blurred by 0.42 module: its centre keeps
  // about 60% of the contrast.
  GreyImage module(41, 41, 200);
  for (int y = 18; y < 23; ++y)
    for (int x = 18; x < 23; ++x) module.at(x, y) = 60;
  GreyImage blurred = gaussianBlurred(module, 2.1);
  GreyImage restored = deconvolve(blurred.view(), 2.1, 0.3);
  BOOST_TEST(restored.at(20, 20) + 12 < blurred.at(20, 20));
  BOOST_TEST(std::abs(restored.at(2, 2) - 200) <= 2);
  BOOST_TEST(std::abs(restored.at(38, 20) - 200) <= 2);
}

BOOST_AUTO_TEST_CASE(deconvolution_damps_detail_finer_than_the_blur_allows) {
  // A pixel checkerboard is finer than anything a blur of 2 px lets
  // through: on a blurred frame it can only be noise.
  GreyImage grain(32, 32);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x) grain.at(x, y) = static_cast<std::uint8_t>((x + y) % 2 ? 140 : 100);
  GreyImage out = deconvolve(grain.view(), 2.0, 0.3);
  for (int y = 8; y < 24; ++y)
    for (int x = 8; x < 24; ++x) BOOST_TEST(std::abs(out.at(x, y) - 120) <= 4, x << "," << y);
}

BOOST_AUTO_TEST_CASE(deconvolution_keeps_a_flat_image_and_copies_when_there_is_no_blur) {
  GreyImage flat(19, 11, 123);
  GreyImage out = deconvolve(flat.view(), 2.0, 0.3);
  BOOST_TEST(out.width == 19);
  BOOST_TEST(out.height == 11);
  for (std::uint8_t p : out.pixels) BOOST_TEST(std::abs(p - 123) <= 1);
  GreyImage ramp(8, 2);
  for (int x = 0; x < 8; ++x) ramp.at(x, 1) = static_cast<std::uint8_t>(30 * x);
  BOOST_TEST(deconvolve(ramp.view(), 0.0, 0.3).pixels == ramp.pixels);
}
