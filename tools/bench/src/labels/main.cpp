// Labels per second, single thread, 4x6 in at 203 dpi:
//   zpl: renderZpl  (validate, lay out, encode barcodes, write escaped ZPL)
//   png: renderPng  (the same layout, cairo + pango drawing, PNG encoding)
// Baselines in the same run: snprintf of a minimal ZPL format with the same
// fields (no layout, no escaping, no barcode encoding), and cairo writing a
// blank 812 x 1218 surface as PNG (its own encoder, nothing drawn).
// One JSON object on stdout; progress on stderr.
#include <cairo.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>

#include "wms/labels/Label.h"
#include "wms/labels/Render.h"
#include "wms/labels/Zpl.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace wms::labels;

struct Rate {
  double perSecond = 0;
  long iterations = 0;
};

// Runs `work` repeatedly for about `seconds` and returns the rate.
Rate measure(const char* name, double seconds, const std::function<std::size_t()>& work) {
  std::cerr << "bench-labels: " << name << " for " << seconds << " s\n";
  work();  // warm-up: fonts, caches
  std::size_t sink = 0;
  long n = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    sink += work();
    ++n;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  if (sink == 0) std::cerr << "bench-labels: " << name << " produced nothing\n";
  return Rate{n / elapsed, n};
}

cairo_status_t count(void* closure, const unsigned char*, unsigned int length) {
  *static_cast<std::size_t*>(closure) += length;
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  std::string input = std::string(WMS_SOURCE_DIR) + "/labels/examples/basic-th.json";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds") seconds = std::stod(argv[i + 1]);
    else if (flag == "--in") input = argv[i + 1];
    else {
      std::cerr << "usage: wms-bench-labels [--seconds S] [--in LABEL.json]\n";
      return 2;
    }
  }
  std::ifstream file(input);
  std::stringstream text;
  text << file.rdbuf();
  auto parsed = parseLabelJson(text.str());
  if (!parsed) {
    std::cerr << "bench-labels: " << input << ": " << parsed.error().message << "\n";
    return 2;
  }
  const ShippingLabel label = parsed.value();
  const Template tmpl = makeTemplate(LabelSize::FourBySix, Dpi::D203);

  std::size_t zplBytes = 0;
  std::size_t pngBytes = 0;
  const Rate zpl = measure("zpl", seconds, [&] { return zplBytes = renderZpl(label, tmpl).value().size(); });
  const Rate png = measure("png", seconds, [&] { return pngBytes = renderPng(label, tmpl).value().size(); });

  const Rate baseZpl = measure("baseline zpl (snprintf)", seconds, [&] {
    char buffer[2048];
    const int n = std::snprintf(
        buffer, sizeof buffer,
        "^XA^CI28^PW812^LL1218^FO24,24^A0N,20,20^FD%s^FS^FO24,240^A0N,37,37^FD%s^FS^FO24,330^A0N,28,28^FD%s^FS"
        "^FO24,400^A0N,30,30^FD%s %s^FS^FO24,547^A0N,27,27^FDORDER %s^FS^FO608,583^BQN,2,7^FDMA,%s^FS"
        "^FO138,815^BY4^BCN,120,N,N,N,A^FD%s^FS^FO94,1023^BY4^BCN,120,N,N,N,N^FD>;>800%s^FS^PQ1^XZ",
        label.shipFrom.name.c_str(), label.shipTo.name.c_str(), label.shipTo.line1.c_str(), label.shipTo.city.c_str(),
        label.shipTo.postalCode.c_str(), label.orderReference.c_str(), label.orderReference.c_str(),
        label.trackingNumber.c_str(), label.sscc.c_str());
    return static_cast<std::size_t>(n);
  });
  const Rate basePng = measure("baseline png (blank cairo surface)", seconds, [&] {
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_A8, tmpl.widthDots, tmpl.heightDots);
    std::size_t bytes = 0;
    cairo_surface_write_to_png_stream(surface, count, &bytes);
    cairo_surface_destroy(surface);
    return bytes;
  });

  const bool meets = zpl.perSecond >= 1000 && png.perSecond >= 50;
  std::printf(
      "{\"benchmark\": \"labels\", \"template\": \"4x6@203\", \"input\": \"%s\", \"threads\": 1, \"seconds_each\": %.1f, "
      "\"zpl_per_second\": %.0f, \"png_per_second\": %.1f, "
      "\"baseline_zpl_snprintf_per_second\": %.0f, \"baseline_png_blank_cairo_per_second\": %.1f, "
      "\"zpl_vs_baseline\": %.3f, \"png_vs_baseline\": %.3f, "
      "\"zpl_bytes\": %zu, \"png_bytes\": %zu, "
      "\"targets\": {\"zpl_per_second\": 1000, \"png_per_second\": 50}, \"meets_targets\": %s}\n",
      input.c_str(), seconds, zpl.perSecond, png.perSecond, baseZpl.perSecond, basePng.perSecond,
      zpl.perSecond / baseZpl.perSecond, png.perSecond / basePng.perSecond, zplBytes, pngBytes,
      meets ? "true" : "false");
  return 0;
}
