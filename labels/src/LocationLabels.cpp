#include "wms/labels/LocationLabels.h"

#include <algorithm>
#include <cmath>

namespace wms::labels {
namespace {

int toDots(double mm, Dpi dpi) {
  return static_cast<int>(std::lround(mm * static_cast<int>(dpi) / 25.4));
}

void offset(Box& b, int dx, int dy) {
  b.x += dx;
  b.y += dy;
}

// Copies a label's items onto a page at (dx, dy).
void place(Drawing& page, const Drawing& label, int dx, int dy) {
  for (Box r : label.rules) {
    offset(r, dx, dy);
    page.rules.push_back(r);
  }
  for (TextItem t : label.texts) {
    offset(t.box, dx, dy);
    page.texts.push_back(std::move(t));
  }
  for (BarcodeItem b : label.barcodes) {
    b.x += dx;
    b.y += dy;
    offset(b.quietZone, dx, dy);
    page.barcodes.push_back(std::move(b));
  }
}

Status checkCodes(const std::vector<std::string>& codes) {
  if (codes.empty()) return makeError(ErrorKind::Invalid, "no location codes given");
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (auto s = validateLocationCode(codes[i]); !s) {
      return makeError(ErrorKind::Invalid, "code " + std::to_string(i + 1) + ": " + s.error().message);
    }
  }
  return {};
}

}  // namespace

Status validateLocationCode(std::string_view code) {
  // Quoted only up to a point, so a huge bad line does not become a huge message.
  const std::string shown = "\"" + std::string(code.substr(0, 40)) + (code.size() > 40 ? "...\"" : "\"");
  if (code.empty()) return makeError(ErrorKind::Invalid, "location code is empty");
  if (code.size() > kMaxLocationCodeChars) {
    return makeError(ErrorKind::Invalid, "location code " + shown + " is longer than " +
                                             std::to_string(kMaxLocationCodeChars) + " characters");
  }
  for (char c : code) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
                    c == '_' || c == '.' || c == '/';
    if (!ok) {
      return makeError(ErrorKind::Invalid,
                       "location code " + shown + " may contain only letters, digits and - _ . /");
    }
  }
  return {};
}

Result<Drawing> layoutLocationLabel(std::string_view code, const LocationLabelOptions& options) {
  if (auto s = validateLocationCode(code); !s) return s.error();
  if (options.widthMm < 20 || options.heightMm < 15 || options.widthMm > 300 || options.heightMm > 300) {
    return makeError(ErrorKind::Invalid, "location labels must be 20..300 mm wide and 15..300 mm high");
  }
  const Dpi dpi = options.dpi;
  const auto dots = [dpi](double mm) { return toDots(mm, dpi); };
  Drawing d;
  d.dpi = dpi;
  d.widthDots = dots(options.widthMm);
  d.heightDots = dots(options.heightMm);

  const double margin = 2.0;
  const double innerWidth = options.widthMm - 2 * margin;
  int y = dots(margin);
  const std::string caption = sanitizeForPrint(options.caption);
  if (!caption.empty()) {
    TextItem t;
    t.fontDots = dots(std::min(3.0, options.heightMm * 0.08));
    t.box = Box{dots(margin), y, dots(innerWidth), lineHeight(t.fontDots)};
    t.bold = true;
    t.text = caption;
    y = t.box.bottom();
    d.texts.push_back(std::move(t));
  }
  // The code in letters as large as fits on one line: people read it from
  // a distance before they scan it.
  const double byHeight = options.heightMm * 0.2;
  const double byWidth = innerWidth / (static_cast<double>(code.size()) * 0.7);
  TextItem codeText;
  codeText.fontDots = dots(std::min({byHeight, byWidth, 12.0}));
  codeText.box = Box{dots(margin), y, dots(innerWidth), lineHeight(codeText.fontDots)};
  codeText.bold = true;
  codeText.align = Align::Center;
  codeText.text = std::string(code);
  y = codeText.box.bottom() + dots(1);
  d.texts.push_back(std::move(codeText));

  const int barBottom = d.heightDots - dots(margin);
  if (barBottom - y < dots(8)) {
    return makeError(ErrorKind::Invalid, "location label of " + std::to_string(options.widthMm) + " x " +
                                             std::to_string(options.heightMm) +
                                             " mm leaves no room for its barcode");
  }
  const Box area{dots(margin), y, dots(innerWidth), barBottom - y};
  const bool d203 = dpi == Dpi::D203;
  auto barcode = placeBarcode(Symbology::Code128, code, area, d203 ? 2 : 3, d203 ? 4 : 6, area.height);
  if (!barcode) return barcode.error();
  d.barcodes.push_back(std::move(barcode.value()));
  return d;
}

Result<std::vector<Drawing>> layoutLocationSheets(const std::vector<std::string>& codes,
                                                  const SheetOptions& o) {
  if (auto s = checkCodes(codes); !s) return s.error();
  if (o.columns < 1 || o.rows < 1 || o.columns > 20 || o.rows > 40) {
    return makeError(ErrorKind::Invalid, "a sheet needs 1..20 columns and 1..40 rows");
  }
  const double usedWidth = o.marginLeftMm + o.columns * o.labelWidthMm + (o.columns - 1) * o.gapXMm;
  const double usedHeight = o.marginTopMm + o.rows * o.labelHeightMm + (o.rows - 1) * o.gapYMm;
  if (o.marginLeftMm < 0 || o.marginTopMm < 0 || o.gapXMm < 0 || o.gapYMm < 0 ||
      usedWidth > o.pageWidthMm + 0.01 || usedHeight > o.pageHeightMm + 0.01) {
    return makeError(ErrorKind::Invalid, "the labels do not fit on the sheet");
  }
  const LocationLabelOptions labelOptions{o.labelWidthMm, o.labelHeightMm, o.dpi, o.caption};
  const std::size_t perPage = static_cast<std::size_t>(o.columns) * o.rows;
  std::vector<Drawing> pages;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i % perPage == 0) {
      Drawing page;
      page.dpi = o.dpi;
      page.widthDots = toDots(o.pageWidthMm, o.dpi);
      page.heightDots = toDots(o.pageHeightMm, o.dpi);
      pages.push_back(std::move(page));
    }
    auto label = layoutLocationLabel(codes[i], labelOptions);
    if (!label)
      return makeError(ErrorKind::Invalid, "code " + std::to_string(i + 1) + ": " + label.error().message);
    const std::size_t slot = i % perPage;
    const int col = static_cast<int>(slot % o.columns);
    const int row = static_cast<int>(slot / o.columns);
    place(pages.back(), label.value(), toDots(o.marginLeftMm + col * (o.labelWidthMm + o.gapXMm), o.dpi),
          toDots(o.marginTopMm + row * (o.labelHeightMm + o.gapYMm), o.dpi));
  }
  return pages;
}

Result<std::vector<Drawing>> layoutLocationLabels(const std::vector<std::string>& codes,
                                                  const LocationLabelOptions& options) {
  if (auto s = checkCodes(codes); !s) return s.error();
  std::vector<Drawing> labels;
  labels.reserve(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    auto label = layoutLocationLabel(codes[i], options);
    if (!label)
      return makeError(ErrorKind::Invalid, "code " + std::to_string(i + 1) + ": " + label.error().message);
    labels.push_back(std::move(label.value()));
  }
  return labels;
}

}  // namespace wms::labels
