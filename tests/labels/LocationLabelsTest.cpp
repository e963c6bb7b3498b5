#include <boost/test/unit_test.hpp>

#include "LabelsTestSupport.h"
#include "wms/labels/LocationLabels.h"
#include "wms/labels/Render.h"
#include "wms/labels/Zpl.h"

using namespace wms;
using namespace wms::labels;
using namespace wms::labels::test;

namespace {

std::vector<std::string> codes(int n) {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i) {
    out.push_back("A-" + std::to_string(10 + i / 10) + "-0" + std::to_string(i % 10) + "-" +
                  std::to_string(1 + i % 4));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(location_labels)

BOOST_AUTO_TEST_CASE(thirty_codes_fill_three_a4_sheets_of_fourteen) {
  auto pages = layoutLocationSheets(codes(30));
  BOOST_REQUIRE(pages.ok());
  BOOST_REQUIRE(pages->size() == 3u);
  BOOST_TEST(pages->at(0).widthDots == 2480);  // 210 mm at 300 dpi
  BOOST_TEST(pages->at(0).heightDots == 3508);
  BOOST_TEST(pages->at(0).barcodes.size() == 14u);
  BOOST_TEST(pages->at(2).barcodes.size() == 2u);
}

BOOST_AUTO_TEST_CASE(every_code_on_a_sheet_decodes_and_is_printed_in_letters) {
  const auto list = codes(14);
  const Drawing page = layoutLocationSheets(list).value().at(0);
  const Raster raster = rasterize(page).value();
  BOOST_REQUIRE(page.barcodes.size() == list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Decoded decoded = decodeBarcodeRegion(raster, page.barcodes[i]);
    BOOST_TEST_CONTEXT(list[i]) {
      BOOST_TEST(decoded.found);
      BOOST_TEST(decoded.text == list[i]);
      BOOST_TEST(std::any_of(page.texts.begin(), page.texts.end(),
                             [&](const TextItem& t) { return t.text == list[i]; }));
    }
  }
  // Labels of a sheet stay inside their own cells: no two quiet zones meet.
  for (const auto& a : page.barcodes) {
    for (const auto& b : page.barcodes) {
      if (&a != &b) BOOST_TEST(!a.quietZone.intersects(b.quietZone));
    }
  }
}

BOOST_AUTO_TEST_CASE(tote_labels_print_one_zpl_format_per_code_with_the_caption) {
  const std::vector<std::string> totes{"T-0001", "T-0002", "T-0003"};
  LocationLabelOptions options;
  options.caption = "TOTE";
  const auto labels = layoutLocationLabels(totes, options).value();
  const std::string zpl = drawingsToZpl(labels).value();
  std::size_t formats = 0;
  for (std::size_t at = zpl.find("^XA"); at != std::string::npos; at = zpl.find("^XA", at + 1)) ++formats;
  BOOST_TEST(formats == 3u);
  for (const auto& t : totes) BOOST_TEST(zpl.find("^FD" + t + "^FS") != std::string::npos, t);
  BOOST_TEST(zpl.find("^FDTOTE^FS") != std::string::npos);
  for (const Drawing& d : labels) {
    const Raster raster = rasterize(d).value();
    BOOST_TEST(decodeBarcodeRegion(raster, d.barcodes.at(0)).found);
  }
}

BOOST_AUTO_TEST_CASE(the_longest_code_fits_a_label_at_both_resolutions) {
  const std::string longest(kMaxLocationCodeChars, 'Z');
  for (Dpi dpi : {Dpi::D203, Dpi::D300}) {
    LocationLabelOptions options;
    options.dpi = dpi;
    auto label = layoutLocationLabel(longest, options);
    BOOST_REQUIRE_MESSAGE(label.ok(), why(label));
    const Raster raster = rasterize(label.value()).value();
    BOOST_TEST(decodeBarcodeRegion(raster, label->barcodes.at(0)).text == longest);
    // The code in letters is not cut short in ZPL either.
    BOOST_TEST(drawingToZpl(label.value()).value().find("^FD" + longest + "^FS") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_bad_code_is_named_with_its_position) {
  auto list = codes(5);
  list[3] = "A 01";
  auto pages = layoutLocationSheets(list);
  BOOST_REQUIRE(!pages.ok());
  BOOST_TEST(pages.error().message ==
             "code 4: location code \"A 01\" may contain only letters, digits and - _ . /");
  BOOST_TEST(validateLocationCode("").error().message == "location code is empty");
  BOOST_TEST(!validateLocationCode(std::string(kMaxLocationCodeChars + 1, 'A')).ok());
  BOOST_TEST(!validateLocationCode("A^XZ").ok());
  BOOST_TEST(layoutLocationLabels({}).error().message == "no location codes given");
}

BOOST_AUTO_TEST_CASE(impossible_geometry_is_refused) {
  SheetOptions tooMany;
  tooMany.rows = 8;  // 8 x 38.1 mm + 15.15 mm does not fit 297 mm
  BOOST_TEST(layoutLocationSheets(codes(2), tooMany).error().message == "the labels do not fit on the sheet");
  LocationLabelOptions tiny;
  tiny.widthMm = 10;
  BOOST_TEST(!layoutLocationLabel("A-01", tiny).ok());
  LocationLabelOptions flat;
  flat.heightMm = 16;
  flat.caption = "LOCATION";
  auto noRoom = layoutLocationLabel("A-01", flat);
  BOOST_REQUIRE(!noRoom.ok());
  BOOST_TEST(noRoom.error().message.find("leaves no room for its barcode") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sheets_become_a_multi_page_pdf) {
  const std::string pdf = drawingsToPdf(layoutLocationSheets(codes(20)).value()).value();
  BOOST_TEST(pdf.rfind("%PDF-", 0) == 0);
  BOOST_TEST(pdf.find("/MediaBox [ 0 0 595.2 841.92 ]") !=
             std::string::npos);  // A4: 2480 x 3508 dots at 300 dpi
  BOOST_TEST(pdf.find("/Count 2") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
