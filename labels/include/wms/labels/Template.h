// Label stock sizes and resolutions, and the page geometry derived from them.
// Pure values; no I/O.
#pragma once

#include <string_view>

#include "wms/common/Result.h"

namespace wms::labels {

enum class LabelSize {
  FourBySix,   // 4 x 6 in (101.6 x 152.4 mm), the carrier standard
  FourByFour,  // 4 x 4 in (101.6 x 101.6 mm)
  A6,          // 105 x 148 mm
};

// Print head resolutions in dots per inch (203 = 8 dots/mm, 300 = 12 dots/mm).
enum class Dpi { D203 = 203, D300 = 300 };

// "4x6", "4x4", "a6".
const char* toString(LabelSize size) noexcept;
// Parses "4x6" | "4x4" | "a6" (case-insensitive). Invalid otherwise.
Result<LabelSize> parseLabelSize(std::string_view text);
// Parses "203" | "300". Invalid otherwise.
Result<Dpi> parseDpi(std::string_view text);

// A page of label stock at one resolution.
struct Template {
  LabelSize size = LabelSize::FourBySix;
  Dpi dpi = Dpi::D203;
  double widthMm = 0;
  double heightMm = 0;
  int widthDots = 0;
  int heightDots = 0;

  int dotsPerInch() const { return static_cast<int>(dpi); }
  // Millimetres to dots at this resolution, rounded to the nearest dot.
  int dots(double mm) const;
};

// The template for a size and resolution (e.g. 4x6 at 203 dpi is 812 x 1218 dots).
Template makeTemplate(LabelSize size, Dpi dpi);

}  // namespace wms::labels
