// Bin, tote and location labels: a code as Code 128 with the code in large
// text above it, and an optional caption ("LOCATION", "TOTE"). Printed one per
// label on a label printer (ZPL) or as A4 sheets of 14 labels (PDF) for
// laser printers. Pure layout; the output goes through Zpl.h / Render.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/labels/Drawing.h"
#include "wms/labels/Template.h"

namespace wms::labels {

// Longest location / bin / tote code.
inline constexpr std::size_t kMaxLocationCodeChars = 24;

// Checks one code: 1..kMaxLocationCodeChars of [A-Za-z0-9-_./]. Invalid
// otherwise, the message quoting the code.
Status validateLocationCode(std::string_view code);

struct LocationLabelOptions {
  double widthMm = 101.6;  // one label on a roll (4 x 2 in by default)
  double heightMm = 50.8;
  Dpi dpi = Dpi::D203;
  std::string caption;  // printed above the code; may be empty
};

// One label for one code. Invalid for a bad code or a label too small for
// its barcode (the message says which).
Result<Drawing> layoutLocationLabel(std::string_view code, const LocationLabelOptions& options);

// The geometry of a sheet of labels. The default is A4 with 2 x 7 labels of
// 99.1 x 38.1 mm, the common laser label stock.
struct SheetOptions {
  double pageWidthMm = 210;
  double pageHeightMm = 297;
  int columns = 2;
  int rows = 7;
  double labelWidthMm = 99.1;
  double labelHeightMm = 38.1;
  double marginLeftMm = 4.65;
  double marginTopMm = 15.15;
  double gapXMm = 2.5;
  double gapYMm = 0;
  Dpi dpi = Dpi::D300;
  std::string caption;
};

// Pages of labels, one code per label in order, as many pages as needed.
// Invalid if `codes` is empty, a code is invalid (the message gives its
// position, 1-based, and the code) or the geometry does not fit the page.
Result<std::vector<Drawing>> layoutLocationSheets(const std::vector<std::string>& codes,
                                                  const SheetOptions& options = {});

// One label drawing per code (for ZPL). Same errors as layoutLocationSheets.
Result<std::vector<Drawing>> layoutLocationLabels(const std::vector<std::string>& codes,
                                                  const LocationLabelOptions& options = {});

}  // namespace wms::labels
