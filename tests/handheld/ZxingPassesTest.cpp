// Tests src/decode/ZxingPasses.cpp in-process: the order and stopping rule
// of the passes, and that the safe settings read what the normal ones do.
#include <boost/test/unit_test.hpp>
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
