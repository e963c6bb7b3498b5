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
#include <ctime>
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
  double perCpuSecond = 0;   // per second of this thread's CPU time: "on one core"
  double perWallSecond = 0;  // lower when the machine is busy with other work
  long iterations = 0;
};

double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

// Runs `work` repeatedly for about `seconds` of wall time and returns the
// rates. CPU time is what the targets are about; on a shared machine the
// wall-clock rate also counts time the thread spent waiting for a core.
Rate measure(const char* name, double seconds, const std::function<std::size_t()>& work) {
  std::cerr << "bench-labels: " << name << " for " << seconds << " s\n";
  work();  // warm-up: fonts, caches
  std::size_t sink = 0;
  long n = 0;
  const auto start = Clock::now();
  const double cpuStart = threadCpuSeconds();
  double elapsed = 0;
  while (elapsed < seconds) {
    sink += work();
    ++n;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  const double cpu = threadCpuSeconds() - cpuStart;
  if (sink == 0) std::cerr << "bench-labels: " << name << " produced nothing\n";
  return Rate{n / cpu, n / elapsed, n};
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
    if (flag == "--seconds")
      seconds = std::stod(argv[i + 1]);
    else if (flag == "--in")
      input = argv[i + 1];
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

  // Encoding alone, ours against cairo's writer on the same drawn label.
  const Raster raster = rasterize(layoutShippingLabel(label, tmpl).value()).value();
  const Rate encode =
      measure("png encode only (ours)", seconds, [&] { return encodePng(raster, tmpl.dpi).value().size(); });
  cairo_surface_t* drawn = cairo_image_surface_create(CAIRO_FORMAT_A8, raster.width, raster.height);
  {
    unsigned char* pixels = cairo_image_surface_get_data(drawn);
    const int stride = cairo_image_surface_get_stride(drawn);
    for (int y = 0; y < raster.height; ++y) {
      for (int x = 0; x < raster.width; ++x)
        pixels[y * stride + x] = static_cast<unsigned char>(255 - raster.at(x, y));
    }
    cairo_surface_mark_dirty(drawn);
  }
  const Rate encodeCairo = measure("png encode only (cairo)", seconds, [&] {
    std::size_t bytes = 0;
    cairo_surface_write_to_png_stream(drawn, count, &bytes);
    return bytes;
  });
  cairo_surface_destroy(drawn);

  const Rate baseZpl = measure("baseline zpl (snprintf)", seconds, [&] {
    char buffer[2048];
    const int n = std::snprintf(
        buffer, sizeof buffer,
        "^XA^CI28^PW812^LL1218^FO24,24^A0N,20,20^FD%s^FS^FO24,240^A0N,37,37^FD%s^FS^FO24,330^A0N,28,28^FD%s^"
        "FS"
        "^FO24,400^A0N,30,30^FD%s %s^FS^FO24,547^A0N,27,27^FDORDER %s^FS^FO608,583^BQN,2,7^FDMA,%s^FS"
        "^FO138,815^BY4^BCN,120,N,N,N,A^FD%s^FS^FO94,1023^BY4^BCN,120,N,N,N,N^FD>;>800%s^FS^PQ1^XZ",
        label.shipFrom.name.c_str(), label.shipTo.name.c_str(), label.shipTo.line1.c_str(),
        label.shipTo.city.c_str(), label.shipTo.postalCode.c_str(), label.orderReference.c_str(),
        label.orderReference.c_str(), label.trackingNumber.c_str(), label.sscc.c_str());
    return static_cast<std::size_t>(n);
  });
  const Rate basePng = measure("baseline png (blank cairo surface)", seconds, [&] {
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_A8, tmpl.widthDots, tmpl.heightDots);
    std::size_t bytes = 0;
    cairo_surface_write_to_png_stream(surface, count, &bytes);
    cairo_surface_destroy(surface);
    return bytes;
  });

  const bool meets = zpl.perCpuSecond >= 1000 && png.perCpuSecond >= 50;
  std::printf(
      "{\"benchmark\": \"labels\", \"template\": \"4x6@203\", \"input\": \"%s\", \"threads\": 1, "
      "\"seconds_each\": %.1f, \"rates\": \"per second of thread CPU time (wall-clock in *_wall)\", "
      "\"zpl_per_second\": %.0f, \"png_per_second\": %.1f, "
      "\"baseline_zpl_snprintf_per_second\": %.0f, \"baseline_png_blank_cairo_per_second\": %.1f, "
      "\"zpl_vs_baseline\": %.4f, \"png_vs_baseline\": %.3f, "
      "\"zpl_per_second_wall\": %.0f, \"png_per_second_wall\": %.1f, "
      "\"png_encode_per_second\": %.0f, \"png_encode_cairo_per_second\": %.0f, "
      "\"zpl_bytes\": %zu, \"png_bytes\": %zu, "
      "\"targets\": {\"zpl_per_second\": 1000, \"png_per_second\": 50}, \"meets_targets\": %s}\n",
      input.c_str(), seconds, zpl.perCpuSecond, png.perCpuSecond, baseZpl.perCpuSecond, basePng.perCpuSecond,
      zpl.perCpuSecond / baseZpl.perCpuSecond, png.perCpuSecond / basePng.perCpuSecond, zpl.perWallSecond,
      png.perWallSecond, encode.perCpuSecond, encodeCairo.perCpuSecond, zplBytes, pngBytes,
      meets ? "true" : "false");
  return 0;
}
