// What a label looks like, independent of the output format: a display list
// of text boxes, barcodes and filled rules in printer dots. The ZPL writer
// and the PNG/PDF renderer both draw the same Drawing, so a ZPL label and its
// PNG preview have the same layout. Pure: no I/O, no fonts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/labels/Barcode.h"
#include "wms/labels/Label.h"
#include "wms/labels/Template.h"

namespace wms::labels {

// A rectangle in dots; x grows right, y grows down, origin top-left.
struct Box {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;

  int right() const { return x + width; }
  int bottom() const { return y + height; }
  bool contains(const Box& other) const {
    return other.x >= x && other.y >= y && other.right() <= right() && other.bottom() <= bottom();
  }
  bool intersects(const Box& other) const {
    return other.x < right() && x < other.right() && other.y < bottom() && y < other.bottom();
  }
  friend bool operator==(const Box&, const Box&) = default;
};

enum class Align { Left, Center, Right };

// One paragraph of text. It wraps within box.width and never draws more than
// maxLines lines or outside box (a longer text is cut and ends in an
// ellipsis). box.height is maxLines * lineHeight(fontDots).
struct TextItem {
  Box box;
  int fontDots = 0;  // em size in dots
  int maxLines = 1;
  bool bold = false;
  Align align = Align::Left;
  std::string text;  // UTF-8, already passed through sanitizeForPrint
};

// A barcode: the symbol's modules drawn at (x, y) with moduleDots dots per
// module; a linear symbol's bars are barHeightDots tall. quietZone is the
// symbol plus its quiet zone, which the layout keeps free of anything else.
struct BarcodeItem {
  Symbology symbology = Symbology::Code128;
  std::string data;  // exactly what a scanner reads back
  ModuleMatrix matrix;
  int x = 0;
  int y = 0;
  int moduleDots = 1;
  int barHeightDots = 0;  // linear symbols only
  Box quietZone;

  // The symbol itself (without quiet zone).
  Box symbolBox() const;
};

struct Drawing {
  int widthDots = 0;
  int heightDots = 0;
  Dpi dpi = Dpi::D203;
  std::vector<Box> rules;  // filled black rectangles (separator lines)
  std::vector<TextItem> texts;
  std::vector<BarcodeItem> barcodes;
};

// The distance between the baselines of two wrapped lines, in dots.
int lineHeight(int fontDots);

// Text as it is printed: invalid UTF-8 sequences and control characters
// (C0 except tab/CR/LF, DEL, C1, U+2028/U+2029) become U+FFFD; tab, CR and
// LF become a space; runs of spaces collapse; leading/trailing spaces go.
std::string sanitizeForPrint(std::string_view text);

// The shipping label laid out on a template: ship-from, carrier and service,
// ship-to, order and channel reference with a QR code of the order
// reference, weight, carton n of m, the tracking number as Code 128 and the
// SSCC as GS1-128, each barcode with its human-readable line. Fails with the
// validateLabel error for an invalid label.
Result<Drawing> layoutShippingLabel(const ShippingLabel& label, const Template& tmpl);

// Places a barcode centred in `area` with the widest whole-dot module width
// between minModuleDots and maxModuleDots whose symbol and quiet zone fit;
// linear symbols get bars barHeightDots tall, 2D symbols use the area's
// height too. Invalid if even minModuleDots does not fit (the message names
// the symbology and the data length) or the data cannot be encoded. Throws
// std::invalid_argument unless 1 <= minModuleDots <= maxModuleDots.
Result<BarcodeItem> placeBarcode(Symbology symbology, std::string_view data, const Box& area,
                                 int minModuleDots, int maxModuleDots, int barHeightDots);

}  // namespace wms::labels
