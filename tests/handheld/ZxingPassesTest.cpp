// Tests src/decode/ZxingPasses.cpp in-process: the order and stopping rule
// of the passes, and that the safe settings read what the normal ones do.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <numbers>
#include <random>
#include <set>

#include "DecodeTestSupport.h"
#include "HandheldTestPrinting.h"
#include "decode/Passes.h"

using namespace wms::handheld;
using namespace wms::handheld::detail;
using namespace wms::handheld::test;

namespace {
GreyView viewOf(const Frame& f) {
  return GreyView{f.data(), f.width(), f.height(), f.width()};
}

// `symbol` as a camera might see it on a 1000x500 frame: turned by
// `degrees`, blurred a little, its contrast cut to paper 180 / ink 120, and noisy
// (sigma `noise`, fixed seed).
GreyImage cameraLike(const Frame& symbol, double degrees, double noise) {
  const int w = 1000, h = 500;
  const double a = degrees * std::numbers::pi / 180, c = std::cos(a), s = std::sin(a);
  std::vector<double> img(static_cast<std::size_t>(w) * h, 150);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      // Frame to symbol: turn back about both centres.
      const double dx = x - w / 2.0, dy = y - h / 2.0;
      const double u = c * dx + s * dy + symbol.width() / 2.0, v = -s * dx + c * dy + symbol.height() / 2.0;
      if (u < 0 || v < 0 || u >= symbol.width() - 1 || v >= symbol.height() - 1) continue;
      const int iu = static_cast<int>(u), iv = static_cast<int>(v);
      const double fu = u - iu, fv = v - iv;
      auto px = [&](int xx, int yy) {
        return symbol.data()[static_cast<std::size_t>(yy) * symbol.width() + xx];
      };
      const double g = (1 - fv) * ((1 - fu) * px(iu, iv) + fu * px(iu + 1, iv)) +
                       fv * ((1 - fu) * px(iu, iv + 1) + fu * px(iu + 1, iv + 1));
      img[static_cast<std::size_t>(y) * w + x] = 120 + (g - 20) * 60.0 / 215;
    }
  // Blur: a 3x3 box (sigma 0.8 px, 0.4 module at 2 px per module).
  for (int pass = 0; pass < 1; ++pass) {
    std::vector<double> out(img.size());
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        double sum = 0;
        for (int j = -1; j <= 1; ++j)
          for (int i = -1; i <= 1; ++i)
            sum +=
                img[static_cast<std::size_t>(std::clamp(y + j, 0, h - 1)) * w + std::clamp(x + i, 0, w - 1)];
        out[static_cast<std::size_t>(y) * w + x] = sum / 9;
      }
    img.swap(out);
  }
  std::mt19937 rng(7);
  std::normal_distribution<double> grain(0, noise);
  GreyImage result(w, h);
  for (std::size_t i = 0; i < img.size(); ++i)
    result.pixels[i] = static_cast<std::uint8_t>(std::clamp(img[i] + grain(rng), 0.0, 255.0));
  return result;
}

// `symbol` seen at an angle on a 1000x500 frame: its top edge drawn
// `topScale` times as long as its bottom edge, so that its bars fan out
// (the end bars lean by about a quarter), then turned by `degrees`; blur,
// contrast and noise as cameraLike.
GreyImage seenAtAnAngle(const Frame& symbol, double topScale, double degrees, double noise) {
  const int w = 1000, h = 500;
  const double a = degrees * std::numbers::pi / 180, c = std::cos(a), s = std::sin(a);
  const double top = h / 2.0 - symbol.height() / 2.0, bottom = h / 2.0 + symbol.height() / 2.0;
  std::vector<double> img(static_cast<std::size_t>(w) * h, 150);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      // Turn back about the frame's centre, then undo the keystone: the row
      // gives the scale, the scale the column.
      const double dx = x - w / 2.0, dy = y - h / 2.0;
      const double fx = c * dx + s * dy, fy = -s * dx + c * dy + h / 2.0;
      const double t = (fy - top) / (bottom - top);
      const double scale = topScale + t * (1 - topScale);
      const double u = fx / scale + symbol.width() / 2.0, v = fy - top;
      if (t < 0 || t > 1 || u < 0 || u >= symbol.width() - 1 || v >= symbol.height() - 1) continue;
      const int iu = static_cast<int>(u), iv = static_cast<int>(v);
      const double fu = u - iu;
      auto px = [&](int xx, int yy) {
        return symbol.data()[static_cast<std::size_t>(yy) * symbol.width() + xx];
      };
      const double g = (1 - fu) * px(iu, iv) + fu * px(iu + 1, iv);
      img[static_cast<std::size_t>(y) * w + x] = 120 + (g - 20) * 60.0 / 215;
    }
  std::vector<double> blurred(img.size());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double sum = 0;
      for (int j = -1; j <= 1; ++j)
        for (int i = -1; i <= 1; ++i)
          sum += img[static_cast<std::size_t>(std::clamp(y + j, 0, h - 1)) * w + std::clamp(x + i, 0, w - 1)];
      blurred[static_cast<std::size_t>(y) * w + x] = sum / 9;
    }
  std::mt19937 rng(7);
  std::normal_distribution<double> grain(0, noise);
  GreyImage result(w, h);
  for (std::size_t i = 0; i < blurred.size(); ++i)
    result.pixels[i] = static_cast<std::uint8_t>(std::clamp(blurred[i] + grain(rng), 0.0, 255.0));
  return result;
}

// `symbol` in the middle of a 640x480 frame (background 150), its light
// modules at `paper` and dark ones at `ink`, defocused by a Gaussian of
// `sigma` px and noisy (sigma `noise`, fixed seed).
GreyImage defocused(const Frame& symbol, double sigma, int paper, int ink, double noise) {
  const int w = 640, h = 480;
  std::vector<double> img(static_cast<std::size_t>(w) * h, 150);
  const int ox = (w - symbol.width()) / 2, oy = (h - symbol.height()) / 2;
  for (int y = 0; y < symbol.height(); ++y)
    for (int x = 0; x < symbol.width(); ++x) {
      const int g = symbol.data()[static_cast<std::size_t>(y) * symbol.width() + x];
      img[static_cast<std::size_t>(oy + y) * w + ox + x] = ink + (g - 20) * (paper - ink) / 215.0;
    }
  const int r = static_cast<int>(std::ceil(4 * sigma));
  std::vector<double> k(static_cast<std::size_t>(2 * r + 1));
  double total = 0;
  for (int i = -r; i <= r; ++i)
    total += k[static_cast<std::size_t>(i + r)] = std::exp(-i * i / (2 * sigma * sigma));
  std::vector<double> rows(img.size());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double sum = 0;
      for (int i = -r; i <= r; ++i)
        sum += k[static_cast<std::size_t>(i + r)] *
               img[static_cast<std::size_t>(y) * w + std::clamp(x + i, 0, w - 1)];
      rows[static_cast<std::size_t>(y) * w + x] = sum / total;
    }
  std::mt19937 rng(11);
  std::normal_distribution<double> grain(0, noise);
  GreyImage result(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double sum = 0;
      for (int i = -r; i <= r; ++i)
        sum += k[static_cast<std::size_t>(i + r)] *
               rows[static_cast<std::size_t>(std::clamp(y + i, 0, h - 1)) * w + x];
      result.at(x, y) = static_cast<std::uint8_t>(std::clamp(sum / total + grain(rng), 0.0, 255.0));
    }
  return result;
}

int passIndex(const std::string& name) {
  for (int p = 0; p < passCount(); ++p)
    if (name == passName(p)) return p;
  return -1;
}
// The middle of a read symbol's four corners, in frame pixels.
std::pair<double, double> centreOf(const Barcode& found) {
  double cx = 0, cy = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    cx += found.corners[2 * i] / 4.0;
    cy += found.corners[2 * i + 1] / 4.0;
  }
  return {cx, cy};
}

}  // namespace

BOOST_AUTO_TEST_CASE(passes_have_distinct_names) {
  std::set<std::string> names;
  for (int p = 0; p < passCount(); ++p) names.insert(passName(p));
  BOOST_TEST(names.size() == static_cast<std::size_t>(passCount()));
  BOOST_TEST(std::string(passName(-1)) == "?");
  BOOST_TEST(std::string(passName(passCount())) == "?");
}

BOOST_AUTO_TEST_CASE(one_symbol_wanted_stops_at_the_first_pass_that_finds_it) {
  Frame f = fixtureFrame("barcodes/EAN-13/gtin13.png");
  std::vector<int> started, foundIn;
  PassCallbacks cb;
  cb.started = [&](int p) { started.push_back(p); };
  cb.found = [&](const Barcode&, int p) { foundIn.push_back(p); };
  auto found = runPasses(viewOf(f), FormatSet::all(), 1, 0, {}, cb);
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(started == std::vector<int>{0});
  BOOST_TEST(foundIn == std::vector<int>{0});
}

BOOST_AUTO_TEST_CASE(starting_later_skips_the_earlier_passes) {
  Frame f = fixtureFrame("barcodes/EAN-13/gtin13.png");
  std::vector<int> started;
  PassCallbacks cb;
  cb.started = [&](int p) { started.push_back(p); };
  auto found = runPasses(viewOf(f), FormatSet::all(), 1, 2, {}, cb);
  BOOST_TEST(found.size() == 1u);
  BOOST_TEST(started.front() == 2);
}

BOOST_AUTO_TEST_CASE(safe_settings_read_the_fixtures_too) {
  for (const char* fixture : {"barcodes/DataBar/gtin.png", "barcodes/DataBarExpanded/weight-best-before.png",
                              "barcodes/Code128/gs1-sscc.png", "frames/databar-aborts-plain-zxing.png"}) {
    Frame f = fixtureFrame(fixture);
    auto found = runPasses(viewOf(f), formatsFor(ScanTarget::Item), 1, 0, PassSettings{true}, {});
    BOOST_TEST(found.size() == 1u, fixture);
  }
}

BOOST_AUTO_TEST_CASE(corners_are_reported_in_frame_coordinates) {
  // A symbol in the lower right of a large canvas: every pass maps its
  // crop or rotation back to where the symbol is.
  Frame f = fixtureFrame("labels/label-4x6.png");
  for (int p = 0; p < passCount(); ++p) {
    auto found = runOnePass(p, viewOf(f), FormatSet{BarcodeFormat::Code128}, 8, {});
    for (const auto& b : found) {
      if (b.text != "TOTE-0042") continue;
      // The tote code sits at y = 980..1212 of the label.
      for (int i = 0; i < 4; ++i) {
        BOOST_TEST(b.corners[static_cast<std::size_t>(2 * i + 1)] > 960, passName(p));
        BOOST_TEST(b.corners[static_cast<std::size_t>(2 * i + 1)] < 1218, passName(p));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_tilted_long_code128_in_noise_is_read_along_its_bars) {
  // A GS1-128 as long as a lot and expiry make it, tilted, blurred, faint
  // and noisy: no single row of the frame crosses all of its bars cleanly,
  // and no other pass reads it.
  Frame symbol = zxingSymbol(ZXing::BarcodeFormat::Code128, L"\u00f10109501101530003101ABC123X17270131", 2);
  GreyImage frame = cameraLike(symbol, 12, 14);
  const int along = passIndex("along");
  BOOST_TEST_REQUIRE(along >= 0);
  for (int p = 0; p < passCount(); ++p)
    if (p != along)
      BOOST_TEST(runOnePass(p, frame.view(), formatsFor(ScanTarget::Item), 1, {}).empty(), passName(p));
  auto found = runOnePass(along, frame.view(), formatsFor(ScanTarget::Item), 1, {});
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].format == BarcodeFormat::Code128);
  BOOST_TEST(found[0].text.find("ABC123X") != std::string::npos, found[0].text);
  // Reported where it is: inside the frame, around its centre.
  const auto centre = centreOf(found[0]);
  BOOST_TEST(std::abs(centre.first - 500) < 120);
  BOOST_TEST(std::abs(centre.second - 250) < 60);
}

BOOST_AUTO_TEST_CASE(a_long_code128_seen_at_an_angle_is_read_with_its_fanned_out_bars_upright) {
  // Perspective: the bars of a long GS1-128 fan out, so no one turn makes
  // them all upright, and averaging along one direction smears its ends.
  Frame symbol = zxingSymbol(ZXing::BarcodeFormat::Code128, L"\u00f10109501101530003101ABC123X17270131", 2);
  GreyImage frame = seenAtAnAngle(symbol, 0.88, 8, 8);
  const int along = passIndex("along");
  BOOST_TEST_REQUIRE(along >= 0);
  auto found = runOnePass(along, frame.view(), formatsFor(ScanTarget::Item), 1, {});
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].format == BarcodeFormat::Code128);
  BOOST_TEST(found[0].text.find("ABC123X") != std::string::npos, found[0].text);
  const auto centre = centreOf(found[0]);
  BOOST_TEST(std::abs(centre.first - 500) < 120);
  BOOST_TEST(std::abs(centre.second - 250) < 60);
}

BOOST_AUTO_TEST_CASE(a_data_matrix_defocused_by_0_4_module_is_read_only_once_the_blur_is_filtered_out) {
  // 5 px modules, a blur of 2 px, 70 grey levels of contrast and noise:
  // what the frame's noise leaves of the lone modules decides the
  // threshold, and no pass before the deblur pass reads it.
  Frame symbol = zxingSymbol(ZXing::BarcodeFormat::DataMatrix, L"0109501101530003172701311024A7B9", 5);
  GreyImage frame = defocused(symbol, 2.0, 190, 120, 8);
  const int deblur = passIndex("deblur");
  BOOST_TEST_REQUIRE(deblur >= 0);
  for (int p = 0; p < deblur; ++p)
    BOOST_TEST(runOnePass(p, frame.view(), formatsFor(ScanTarget::Item), 1, {}).empty(), passName(p));
  auto found = runOnePass(deblur, frame.view(), formatsFor(ScanTarget::Item), 1, {});
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].format == BarcodeFormat::DataMatrix);
  BOOST_TEST(found[0].text == "0109501101530003172701311024A7B9");
}

BOOST_AUTO_TEST_CASE(a_databar_expanded_of_1_5_px_modules_seen_at_an_angle_is_read_along_its_bars) {
  // A bench frame's symbol (fixtures/README.md): 1.5 px modules on average,
  // fewer at the far end, 4% perspective, 40 grey levels of contrast.
  // Resampled twice (turned upright, then widened) its far end's modules
  // ran together; sampled densely from the frame they stay apart.
  Frame frame = fixtureFrame("frames/databar-expanded-at-an-angle.png");
  const int along = passIndex("along");
  BOOST_TEST_REQUIRE(along >= 0);
  auto found = runOnePass(along, viewOf(frame), formatsFor(ScanTarget::Item), 1, {});
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].format == BarcodeFormat::DataBarExpanded);
  BOOST_TEST(found[0].text == fixtureText("frames/databar-expanded-at-an-angle.txt"));
}
