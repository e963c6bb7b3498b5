#include <boost/test/unit_test.hpp>

#include "LabelsTestSupport.h"
#include "wms/labels/Drawing.h"

using namespace wms;
using namespace wms::labels;
using namespace wms::labels::test;

namespace {

// The fullest label: every optional field, the longest values allowed.
ShippingLabel fullestLabel() {
  ShippingLabel l = exampleLabel("long-name");
  l.shipFrom.company = std::string(300, 'C');
  l.shipFrom.line2 = std::string(300, 'L');
  l.shipFrom.region = std::string(300, 'R');
  l.shipFrom.phone = std::string(40, '9');
  l.shipTo.name = std::string(300, 'W');
  l.shipTo.line2 = std::string(300, 'L');
  l.shipTo.region = std::string(300, 'R');
  l.shipTo.phone = std::string(40, '9');
  l.carrier = std::string(64, 'K');
  l.service = std::string(64, 'S');
  l.orderReference = std::string(kMaxOrderReferenceChars, 'O');
  l.channelOrderId = std::string(64, 'X');
  l.trackingNumber = std::string(kMaxTrackingChars, 'W');  // widest Code 128 characters are all alike
  l.weightGrams = 999'999;
  l.cartonNumber = 999;
  l.cartonCount = 999;
  return l;
}

void checkLayout(const Drawing& d, const std::string& context) {
  BOOST_TEST_CONTEXT(context) {
    const Box page{0, 0, d.widthDots, d.heightDots};
    for (const auto& t : d.texts) {
      BOOST_TEST(page.contains(t.box), "text off the page: " << t.text);
      BOOST_TEST(t.box.height == t.maxLines * lineHeight(t.fontDots));
      for (const auto& b : d.barcodes) {
        BOOST_TEST(!t.box.intersects(b.quietZone),
                   "text \"" << t.text << "\" overlaps the quiet zone of " << b.data);
      }
      for (const auto& r : d.rules)
        BOOST_TEST(!t.box.intersects(r), "text \"" << t.text << "\" crosses a rule");
      for (const auto& other : d.texts) {
        if (&other == &t) continue;
        BOOST_TEST(!t.box.intersects(other.box),
                   "text \"" << t.text << "\" overlaps \"" << other.text << "\"");
      }
    }
    for (const auto& b : d.barcodes) {
      BOOST_TEST(page.contains(b.quietZone), "barcode off the page: " << b.data);
      BOOST_TEST(b.quietZone.contains(b.symbolBox()));
      for (const auto& r : d.rules)
        BOOST_TEST(!b.quietZone.intersects(r), "barcode crosses a rule: " << b.data);
      for (const auto& other : d.barcodes) {
        if (&other != &b) BOOST_TEST(!b.quietZone.intersects(other.quietZone));
      }
    }
    for (const auto& r : d.rules) BOOST_TEST(page.contains(r));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(drawing)

BOOST_AUTO_TEST_CASE(every_template_keeps_every_item_on_the_page_and_apart) {
  std::vector<std::pair<std::string, ShippingLabel>> labels;
  for (const auto& name : exampleNames()) labels.emplace_back(name, exampleLabel(name));
  labels.emplace_back("fullest", fullestLabel());
  for (const Template& t : allTemplates()) {
    for (const auto& [name, label] : labels) {
      auto d = layoutShippingLabel(label, t);
      BOOST_REQUIRE_MESSAGE(d.ok(), name + " on " + templateName(t) + ": " + (why(d)));
      checkLayout(d.value(), name + " on " + templateName(t));
    }
  }
}

BOOST_AUTO_TEST_CASE(shipping_label_has_tracking_sscc_and_order_barcodes_at_scannable_module_widths) {
  const ShippingLabel label = fullestLabel();
  for (const Template& t : allTemplates()) {
    const Drawing d = layoutShippingLabel(label, t).value();
    BOOST_TEST_CONTEXT(templateName(t)) {
      BOOST_REQUIRE(d.barcodes.size() == 3u);
      for (const auto& b : d.barcodes) {
        const double moduleMm = b.moduleDots * 25.4 / t.dotsPerInch();
        // 0.25 mm is the narrowest bar a carrier's scanner reads reliably.
        BOOST_TEST(moduleMm >= 0.25 - 1e-9, b.data << " has modules of " << moduleMm << " mm");
        if (b.symbology != Symbology::QrCode) BOOST_TEST(b.barHeightDots >= t.dots(9.5));
      }
      BOOST_TEST(d.barcodes[0].symbology == Symbology::QrCode);
      BOOST_TEST(d.barcodes[0].data == label.orderReference);
      BOOST_TEST(d.barcodes[1].symbology == Symbology::Code128);
      BOOST_TEST(d.barcodes[1].data == label.trackingNumber);
      BOOST_TEST(d.barcodes[2].symbology == Symbology::Gs1_128);
      BOOST_TEST(d.barcodes[2].data == "00" + label.sscc);
    }
  }
}

BOOST_AUTO_TEST_CASE(weight_and_carton_are_printed_in_words_a_packer_reads) {
  ShippingLabel label = exampleLabel("basic-th");
  const auto texts = [&](LabelSize size) {
    std::string all;
    const Drawing d = layoutShippingLabel(label, makeTemplate(size, Dpi::D203)).value();
    for (const auto& t : d.texts) all += t.text + "|";
    return all;
  };
  BOOST_TEST(texts(LabelSize::FourBySix).find("|Weight 1.25 kg|") != std::string::npos);
  BOOST_TEST(texts(LabelSize::FourBySix).find("|CARTON 1 OF 2|") != std::string::npos);
  label.weightGrams = 850;
  BOOST_TEST(texts(LabelSize::FourBySix).find("|Weight 850 g|") != std::string::npos);
  label.weightGrams = 12'000;
  BOOST_TEST(texts(LabelSize::FourByFour).find("|12 kg|") != std::string::npos);
  label.weightGrams = 1'005;
  BOOST_TEST(texts(LabelSize::A6).find("|Weight 1.005 kg|") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_invalid_label_is_not_laid_out) {
  ShippingLabel label = exampleLabel("basic-th");
  label.shipTo.postalCode.clear();
  auto d = layoutShippingLabel(label, makeTemplate(LabelSize::FourBySix, Dpi::D203));
  BOOST_REQUIRE(!d.ok());
  BOOST_TEST(d.error().message == "ship_to.postal_code is required");
}

BOOST_AUTO_TEST_CASE(sanitize_replaces_control_characters_and_bad_utf8_with_a_visible_marker) {
  BOOST_TEST(sanitizeForPrint("Somchai") == "Somchai");
  BOOST_TEST(sanitizeForPrint(std::string("A\aB\0C\x1b[1m\x7f", 10)) == "A?B?C?[1m?");
  BOOST_TEST(sanitizeForPrint("line\r\nbreak\tand  spaces ") == "line break and spaces");
  BOOST_TEST(sanitizeForPrint("  \t\n ") == "");
  BOOST_TEST(sanitizeForPrint("bad \xff\xfe utf8 \xc3") == "bad ?? utf8 ?");
  BOOST_TEST(sanitizeForPrint("overlong \xc0\xbe") == "overlong ??");  // an overlong '>' is not a '>'
  BOOST_TEST(sanitizeForPrint("c1 \xc2\x85 next") == "c1 ? next");     // U+0085 NEL
  BOOST_TEST(sanitizeForPrint("sep\xe2\x80\xa8para") == "sep para");   // U+2028
  BOOST_TEST(sanitizeForPrint("สมชาย 王小明 محمد") == "สมชาย 王小明 محمد");
}

BOOST_AUTO_TEST_CASE(place_barcode_picks_the_widest_module_that_fits_and_refuses_what_cannot_scan) {
  // "A" is 11+11+11+13 = 46 modules, 66 with quiet zones.
  auto wide = placeBarcode(Symbology::Code128, "A", Box{0, 0, 1000, 100}, 2, 4, 80);
  BOOST_REQUIRE(wide.ok());
  BOOST_TEST(wide->moduleDots == 4);
  BOOST_TEST(wide->quietZone.width == 66 * 4);
  BOOST_TEST(wide->quietZone.x == (1000 - 66 * 4) / 2);
  BOOST_TEST(wide->x == wide->quietZone.x + 40);
  auto narrow = placeBarcode(Symbology::Code128, "A", Box{0, 0, 140, 100}, 2, 4, 80);
  BOOST_REQUIRE(narrow.ok());
  BOOST_TEST(narrow->moduleDots == 2);
  auto tooNarrow = placeBarcode(Symbology::Code128, "A", Box{0, 0, 131, 100}, 2, 4, 80);
  BOOST_REQUIRE(!tooNarrow.ok());
  BOOST_TEST(tooNarrow.error().message.find("too wide for the label") != std::string::npos);
  BOOST_CHECK_THROW((void)placeBarcode(Symbology::Code128, "A", Box{0, 0, 500, 100}, 0, 4, 80),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
