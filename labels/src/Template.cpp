#include "wms/labels/Template.h"

#include <cctype>
#include <cmath>
#include <string>

namespace wms::labels {

const char* toString(LabelSize size) noexcept {
  switch (size) {
    case LabelSize::FourBySix:
      return "4x6";
    case LabelSize::FourByFour:
      return "4x4";
    case LabelSize::A6:
      return "a6";
  }
  return "?";
}

Result<LabelSize> parseLabelSize(std::string_view text) {
  std::string lower;
  for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "4x6") return LabelSize::FourBySix;
  if (lower == "4x4") return LabelSize::FourByFour;
  if (lower == "a6") return LabelSize::A6;
  return makeError(ErrorKind::Invalid,
                   "label size must be 4x6, 4x4 or a6, got \"" + std::string(text) + "\"");
}

Result<Dpi> parseDpi(std::string_view text) {
  if (text == "203") return Dpi::D203;
  if (text == "300") return Dpi::D300;
  return makeError(ErrorKind::Invalid, "dpi must be 203 or 300, got \"" + std::string(text) + "\"");
}

int Template::dots(double mm) const {
  return static_cast<int>(std::lround(mm * dotsPerInch() / 25.4));
}

Template makeTemplate(LabelSize size, Dpi dpi) {
  Template t;
  t.size = size;
  t.dpi = dpi;
  switch (size) {
    case LabelSize::FourBySix:
      t.widthMm = 101.6, t.heightMm = 152.4;
      break;
    case LabelSize::FourByFour:
      t.widthMm = 101.6, t.heightMm = 101.6;
      break;
    case LabelSize::A6:
      t.widthMm = 105.0, t.heightMm = 148.0;
      break;
  }
  // Whole inches come out exact (4 in at 203 dpi = 812 dots); A6 rounds.
  t.widthDots = t.dots(t.widthMm);
  t.heightDots = t.dots(t.heightMm);
  return t;
}

}  // namespace wms::labels
