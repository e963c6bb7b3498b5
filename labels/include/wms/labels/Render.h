// PNG and PDF output of a label (cairo + pango), for laser printers and
// previews. Text is shaped by pango with the Noto and DejaVu fonts
// (tools/bootstrap installs them), so Thai, Vietnamese, Chinese, Malay and
// right-to-left scripts print correctly. Barcodes are drawn as whole-dot
// rectangles from their module matrices.
//
// Threading: every function may be called from several threads at once;
// each call uses its own cairo surface and the calling thread's pango font
// map (the first call on a thread loads the fonts, later calls reuse them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/labels/Drawing.h"
#include "wms/labels/Label.h"
#include "wms/labels/Template.h"

namespace wms::labels {

// An 8-bit grayscale image, one pixel per printer dot: 0 is black, 255 white.
struct Raster {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> gray;  // row-major, width * height bytes

  std::uint8_t at(int x, int y) const { return gray[static_cast<std::size_t>(y) * width + x]; }
};

// Draws a drawing into a raster. Internal if cairo fails (e.g. out of memory).
Result<Raster> rasterize(const Drawing& drawing);

// A grayscale PNG of a raster, with its resolution (pHYs) set from dpi.
Result<std::string> encodePng(const Raster& raster, Dpi dpi);

// PNG of a drawing (rasterize + encodePng).
Result<std::string> drawingToPng(const Drawing& drawing);

// A PDF with one page per drawing, each page the drawing's physical size;
// text and barcodes are vectors. Invalid if `drawings` is empty.
Result<std::string> drawingsToPdf(const std::vector<Drawing>& drawings);

// How many characters of text no installed font can draw (they would print
// as empty boxes). 0 for Thai, Vietnamese, Chinese, Malay, Arabic... with
// the fonts tools/bootstrap installs. Lets a caller warn before printing.
int missingGlyphCount(std::string_view text);

// The shipping label as PNG / PDF for the template.
Result<std::string> renderPng(const ShippingLabel& label, const Template& tmpl);
Result<std::string> renderPdf(const ShippingLabel& label, const Template& tmpl);

}  // namespace wms::labels
