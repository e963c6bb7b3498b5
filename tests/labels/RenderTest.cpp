#include <stb/stb_image.h>

#include <boost/test/unit_test.hpp>
#include <memory>
#include <thread>

#include "LabelsTestSupport.h"
#include "wms/labels/Render.h"

using namespace wms;
using namespace wms::labels;
using namespace wms::labels::test;

namespace {

std::uint32_t bigEndian(const std::string& s, std::size_t at) {
  const auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i]));
  };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

int darkPixelsIn(const Raster& r, const Box& box) {
  int dark = 0;
  for (int y = std::max(0, box.y); y < std::min(r.height, box.bottom()); ++y) {
    for (int x = std::max(0, box.x); x < std::min(r.width, box.right()); ++x) dark += r.at(x, y) < 128;
  }
  return dark;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(render)

BOOST_AUTO_TEST_CASE(every_barcode_on_every_template_decodes_back_to_its_exact_data) {
  for (const std::string example :
       {"basic-th", "long-name", "chinese-address", "hostile-text", "arabic-rtl"}) {
    const ShippingLabel label = exampleLabel(example);
    for (const Template& t : allTemplates()) {
      const Drawing d = layoutShippingLabel(label, t).value();
      const Raster raster = rasterize(d).value();
      BOOST_TEST_CONTEXT(example << " on " << templateName(t)) {
        BOOST_REQUIRE(d.barcodes.size() == 3u);
        const Decoded qr = decodeBarcodeRegion(raster, d.barcodes[0]);
        BOOST_TEST(qr.found);
        BOOST_TEST(qr.text == label.orderReference);
        const Decoded tracking = decodeBarcodeRegion(raster, d.barcodes[1]);
        BOOST_TEST(tracking.found);
        BOOST_TEST(tracking.text == label.trackingNumber);
        BOOST_TEST(tracking.symbologyIdentifier == "]C0");
        const Decoded sscc = decodeBarcodeRegion(raster, d.barcodes[2]);
        BOOST_TEST(sscc.found);
        BOOST_TEST(sscc.text == "00" + label.sscc);     // AI (00) + the 18 digits
        BOOST_TEST(sscc.symbologyIdentifier == "]C1");  // GS1-128: FNC1 first
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(quiet_zones_stay_white_around_every_symbol) {
  const ShippingLabel label = exampleLabel("long-name");
  for (const Template& t : allTemplates()) {
    const Drawing d = layoutShippingLabel(label, t).value();
    const Raster raster = rasterize(d).value();
    for (const BarcodeItem& b : d.barcodes) {
      const Box s = b.symbolBox();
      const Box q = b.quietZone;
      BOOST_TEST_CONTEXT(templateName(t) << " " << b.data) {
        BOOST_TEST(darkPixelsIn(raster, Box{q.x, q.y, s.x - q.x, q.height}) == 0);
        BOOST_TEST(darkPixelsIn(raster, Box{s.right(), q.y, q.right() - s.right(), q.height}) == 0);
        BOOST_TEST(darkPixelsIn(raster, s) > 0);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(bars_are_drawn_on_whole_dots) {
  const Drawing d =
      layoutShippingLabel(exampleLabel("basic-th"), makeTemplate(LabelSize::FourBySix, Dpi::D203)).value();
  const Raster raster = rasterize(d).value();
  for (const BarcodeItem& b : d.barcodes) {
    const Box s = b.symbolBox();
    for (int y = s.y; y < s.bottom(); y += std::max(1, s.height / 7)) {
      for (int x = s.x; x < s.right(); ++x) {
        const std::uint8_t v = raster.at(x, y);
        BOOST_TEST((v == 0 || v == 255), "grey dot at " << x << "," << y << " in " << b.data);
        if (v != 0 && v != 255) return;
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(text_never_leaves_its_box_whatever_the_script_or_length) {
  for (const std::string example : {"long-name", "thai-address", "vietnamese-address", "chinese-address",
                                    "arabic-rtl", "hostile-text", "malay-address"}) {
    for (const Template& t : allTemplates()) {
      Drawing d = layoutShippingLabel(exampleLabel(example), t).value();
      d.barcodes.clear();
      d.rules.clear();
      const Raster raster = rasterize(d).value();
      int outside = 0;
      for (int y = 0; y < raster.height; ++y) {
        for (int x = 0; x < raster.width; ++x) {
          if (raster.at(x, y) == 255) continue;
          const Box dot{x, y, 1, 1};
          outside += std::none_of(d.texts.begin(), d.texts.end(),
                                  [&](const TextItem& i) { return i.box.contains(dot); });
        }
      }
      BOOST_TEST(outside == 0,
                 example << " on " << templateName(t) << ": " << outside << " dots outside text boxes");
    }
  }
}

BOOST_AUTO_TEST_CASE(right_to_left_text_is_set_from_the_right_edge) {
  const Drawing d =
      layoutShippingLabel(exampleLabel("arabic-rtl"), makeTemplate(LabelSize::FourBySix, Dpi::D203)).value();
  const Raster raster = rasterize(d).value();
  const auto name = std::find_if(d.texts.begin(), d.texts.end(),
                                 [](const TextItem& t) { return t.text == "محمد عبد الله"; });
  BOOST_REQUIRE(name != d.texts.end());
  const Box left{name->box.x, name->box.y, name->box.width / 2, name->box.height};
  const Box right{name->box.x + name->box.width / 2, name->box.y, name->box.width / 2, name->box.height};
  BOOST_TEST(darkPixelsIn(raster, left) == 0);
  BOOST_TEST(darkPixelsIn(raster, right) > 100);
}

BOOST_AUTO_TEST_CASE(thai_vietnamese_chinese_malay_and_arabic_have_glyphs_in_the_installed_fonts) {
  for (const std::string example :
       {"thai-address", "vietnamese-address", "chinese-address", "malay-address", "arabic-rtl"}) {
    const ShippingLabel l = exampleLabel(example);
    for (const std::string* text :
         {&l.shipTo.name, &l.shipTo.line1, &l.shipTo.city, &l.carrier, &l.service}) {
      BOOST_TEST(missingGlyphCount(*text) == 0, example << ": \"" << *text << "\" would print boxes");
    }
  }
  BOOST_TEST(missingGlyphCount("\xEE\x80\x80") == 1);  // U+E000, private use: no font has it
  BOOST_TEST(missingGlyphCount("") == 0);
}

BOOST_AUTO_TEST_CASE(png_is_lossless_grayscale_of_the_template_size_and_resolution) {
  for (const Template& t : allTemplates()) {
    const Drawing d = layoutShippingLabel(exampleLabel("basic-th"), t).value();
    const std::string png = drawingToPng(d).value();
    BOOST_TEST_CONTEXT(templateName(t)) {
      BOOST_REQUIRE(png.size() > 57u);
      BOOST_TEST(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
      BOOST_TEST(png.substr(12, 4) == "IHDR");
      BOOST_TEST(bigEndian(png, 16) == static_cast<std::uint32_t>(t.widthDots));
      BOOST_TEST(bigEndian(png, 20) == static_cast<std::uint32_t>(t.heightDots));
      BOOST_TEST(png[24] == 8);  // bit depth
      BOOST_TEST(png[25] == 0);  // grayscale
      BOOST_TEST(png.substr(37, 4) == "pHYs");
      const double dpi = bigEndian(png, 41) * 0.0254;
      BOOST_TEST(std::abs(dpi - t.dotsPerInch()) < 0.5);

      // A PNG reader gets back exactly the raster the barcodes were read from.
      int w = 0, h = 0, channels = 0;
      std::unique_ptr<unsigned char, void (*)(void*)> pixels(
          stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png.data()),
                                static_cast<int>(png.size()), &w, &h, &channels, 1),
          stbi_image_free);
      BOOST_REQUIRE(pixels);
      BOOST_TEST(w == t.widthDots);
      BOOST_TEST(h == t.heightDots);
      const Raster raster = rasterize(d).value();
      BOOST_TEST(std::equal(raster.gray.begin(), raster.gray.end(), pixels.get()));
    }
  }
}

BOOST_AUTO_TEST_CASE(pdf_has_one_page_of_the_label_size_per_drawing) {
  const std::string pdf =
      renderPdf(exampleLabel("thai-address"), makeTemplate(LabelSize::FourBySix, Dpi::D203)).value();
  BOOST_TEST(pdf.rfind("%PDF-", 0) == 0);
  BOOST_TEST(pdf.find("/MediaBox [ 0 0 288 432 ]") != std::string::npos);  // 4 x 6 in in points
  BOOST_TEST(pdf.find("%%EOF") != std::string::npos);
  BOOST_TEST(pdf.find("NotoSansThai") != std::string::npos);  // the Thai font is embedded

  const Drawing a6 =
      layoutShippingLabel(exampleLabel("basic-th"), makeTemplate(LabelSize::A6, Dpi::D300)).value();
  const Drawing square =
      layoutShippingLabel(exampleLabel("basic-th"), makeTemplate(LabelSize::FourByFour, Dpi::D203)).value();
  const std::string two = drawingsToPdf({a6, square}).value();
  std::size_t pages = 0;
  for (std::size_t at = two.find("/Type /Page\n"); at != std::string::npos;
       at = two.find("/Type /Page\n", at + 1))
    ++pages;
  for (std::size_t at = two.find("/Type /Page "); at != std::string::npos;
       at = two.find("/Type /Page ", at + 1))
    ++pages;
  BOOST_TEST(pages == 2u);
  BOOST_TEST(two.find("/MediaBox [ 0 0 288 288 ]") != std::string::npos);
  BOOST_TEST(drawingsToPdf({}).error().kind == ErrorKind::Invalid);
}

BOOST_AUTO_TEST_CASE(threads_rendering_at_once_get_the_same_bytes_as_one_thread_alone) {
  const Template t = makeTemplate(LabelSize::FourBySix, Dpi::D203);
  const std::vector<std::string> examples{"thai-address", "chinese-address", "arabic-rtl",
                                          "vietnamese-address"};
  std::vector<std::string> alone;
  for (const auto& e : examples) alone.push_back(renderPng(exampleLabel(e), t).value());
  std::vector<std::string> together(examples.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 3; ++round) together[i] = renderPng(exampleLabel(examples[i]), t).value();
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t i = 0; i < examples.size(); ++i) BOOST_TEST(together[i] == alone[i], examples[i]);
}

BOOST_AUTO_TEST_CASE(a_drawing_of_impossible_size_is_an_error_value) {
  Drawing d;
  d.widthDots = 0;
  d.heightDots = 100;
  BOOST_TEST(rasterize(d).error().kind == ErrorKind::Invalid);
  Raster r;
  r.width = 10;
  r.height = 10;
  BOOST_TEST(encodePng(r, Dpi::D203).error().kind == ErrorKind::Invalid);
}

BOOST_AUTO_TEST_SUITE_END()
