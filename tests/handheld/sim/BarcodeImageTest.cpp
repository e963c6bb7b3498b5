// The simulator's camera images: every label kind it draws is read back by
// the real isolated decoder, most of the time (as a camera would).
#define BOOST_TEST_MODULE handheld_sim
#include <boost/test/unit_test.hpp>

#include "../HandheldTestPrinting.h"
#include "wms/handheld/Decoder.h"
#include "wms/handheld/ScanMatch.h"
#include "wms/sim/BarcodeImage.h"

using namespace wms;
using namespace wms::handheld;

BOOST_AUTO_TEST_CASE(rendered_labels_of_every_printed_kind_decode_through_the_real_decoder) {
  Decoder decoder;
  BOOST_REQUIRE(static_cast<bool>(decoder.start()));
  struct Case {
    BarcodeFormat format;
    ScanTarget target;
    std::string text;
  };
  const Case cases[] = {
      {BarcodeFormat::Ean13, ScanTarget::Item, "4006381333931"},
      {BarcodeFormat::UpcA, ScanTarget::Item, "036000291452"},
      {BarcodeFormat::Ean8, ScanTarget::Item, "96385074"},
      {BarcodeFormat::Itf, ScanTarget::Item, "04006381333931"},
      {BarcodeFormat::DataMatrix, ScanTarget::Item, "INT-20731"},
      {BarcodeFormat::Code128, ScanTarget::Location, "A-01-02-3"},
      {BarcodeFormat::QrCode, ScanTarget::Location, "B-12-04-1"},
      {BarcodeFormat::Code39, ScanTarget::Tote, "T-0042"},
  };
  std::mt19937 rng(20251111);
  sim::CameraLook look;
  for (const auto& c : cases) {
    int read = 0;
    const int frames = 10;
    for (int i = 0; i < frames; ++i) {
      auto frame = sim::renderLabel(c.format, c.text, look, rng);
      BOOST_REQUIRE_MESSAGE(frame, (frame ? "" : frame.error().message));
      BOOST_TEST(frame->width() == look.width);
      auto r = decoder.decode(*frame, formatsFor(c.target), 1);
      BOOST_REQUIRE(r);
      if (!r->barcodes.empty() && r->barcodes[0].text == c.text && r->barcodes[0].format == c.format) ++read;
    }
    BOOST_TEST_CONTEXT(formatName(c.format)) { BOOST_TEST(read >= 8, read << " of " << frames << " read"); }
  }
}

BOOST_AUTO_TEST_CASE(label_formats_follow_the_text_and_unwritable_ones_are_errors) {
  std::mt19937 rng(1);
  BOOST_CHECK(sim::labelFormat(ScanTarget::Item, "4006381333931", rng) == BarcodeFormat::Ean13);
  BOOST_CHECK(sim::labelFormat(ScanTarget::Item, "036000291452", rng) == BarcodeFormat::UpcA);
  BOOST_CHECK(sim::labelFormat(ScanTarget::Item, "96385074", rng) == BarcodeFormat::Ean8);
  // A bad check digit is not an EAN.
  const auto f = sim::labelFormat(ScanTarget::Item, "4006381333932", rng);
  BOOST_CHECK(f == BarcodeFormat::Code128 || f == BarcodeFormat::DataMatrix);
  auto bad = sim::renderLabel(BarcodeFormat::Ean13, "not digits", sim::CameraLook{}, rng);
  BOOST_TEST(!bad);
  BOOST_TEST(!sim::renderLabel(BarcodeFormat::DataBar, "04006381333931", sim::CameraLook{}, rng));
}

// The dock's labels: a case's GS1-128 (GTIN, expiry, lot; a GS where a
// variable-length value is not last) and a pallet's SSCC are read back as
// GS1 (`]C1`) with the element string, which parseGs1 takes apart.
BOOST_AUTO_TEST_CASE(gs1_128_case_and_pallet_labels_decode_as_gs1_with_their_element_strings) {
  Decoder decoder;
  BOOST_REQUIRE(static_cast<bool>(decoder.start()));
  const std::string cases[] = {"0109501101530003172901311" "0L5", "0010614141123456789" "7",
                               "0100000096385074" "10LOT7\x1D" "17290131"};
  std::mt19937 rng(15);
  for (const auto& elements : cases) {
    const std::string written = sim::gs1_128WriterText(elements);
    BOOST_TEST(written.rfind("\xC3\xB1", 0) == 0u);  // FNC1 first
    BOOST_TEST(written.find('\x1D') == std::string::npos);
    int read = 0;
    const int frames = 10;
    for (int i = 0; i < frames; ++i) {
      auto frame = sim::renderLabel(BarcodeFormat::Code128, written, sim::CameraLook{}, rng);
      BOOST_REQUIRE_MESSAGE(frame, (frame ? "" : frame.error().message));
      auto r = decoder.decode(*frame, formatsFor(ScanTarget::Item), 1);
      BOOST_REQUIRE(r);
      if (r->barcodes.empty()) continue;
      const auto& b = r->barcodes[0];
      BOOST_TEST(b.isGs1());
      BOOST_TEST(b.text == elements);
      BOOST_TEST(static_cast<bool>(parseGs1(b)));
      ++read;
    }
    BOOST_TEST_CONTEXT(elements) { BOOST_TEST(read >= 8, read << " of " << frames << " read"); }
  }
}
