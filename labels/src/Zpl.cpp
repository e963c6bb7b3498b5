#include "wms/labels/Zpl.h"

#include <string>

#include "Text.h"

namespace wms::labels {
namespace {

// ^FD holds at most 3072 bytes (ZPL II guide); our fields stay well below.
constexpr std::size_t kMaxFieldBytes = 3072;

void appendHex(std::string& out, unsigned char c) {
  static const char* hex = "0123456789ABCDEF";
  out.push_back('_');
  out.push_back(hex[c >> 4]);
  out.push_back(hex[c & 0xF]);
}

// The printer wraps ^FB text with its own font metrics, which we do not
// have; text that would need more than maxLines lines would be printed over
// the last line. So text is cut beforehand to what fits by a conservative
// estimate of glyph widths (wide CJK glyphs count double, combining marks
// zero), with "..." marking the cut.
std::string fitToBlock(const std::string& text, int widthDots, int maxLines, int fontDots, bool ascii) {
  // Average advance of ^A0 (CG Triumvirate Bold Condensed) is about half
  // its height; a Unicode TrueType font is wider. 85 % of the block allows
  // for space lost at word-wrap points.
  const double narrow = fontDots * (ascii ? 0.55 : 0.62);
  const double wide = fontDots * 1.0;
  const double capacity = 0.85 * widthDots * maxLines;
  double used = 0;
  std::size_t pos = 0;
  std::size_t lastFit = 0;  // byte offset of the end of what fits with "..."
  const double ellipsis = 3 * narrow;
  while (pos < text.size()) {
    const char32_t cp = text::decode(text, pos);
    used += text::isZeroWidth(cp) ? 0.0 : (text::isWide(cp) ? wide : narrow);
    if (used > capacity) return text.substr(0, lastFit) + "...";
    if (used + ellipsis <= capacity) lastFit = pos;
  }
  return text;
}

char justification(Align align) {
  switch (align) {
    case Align::Left:
      return 'L';
    case Align::Center:
      return 'C';
    case Align::Right:
      return 'R';
  }
  return 'L';
}

Status checkOptions(const ZplOptions& options) {
  if (options.copies < 1 || options.copies > 99) {
    return makeError(ErrorKind::Invalid,
                     "copies must be between 1 and 99, got " + std::to_string(options.copies));
  }
  if (options.unicodeFont.empty() || options.unicodeFont.size() > 64) {
    return makeError(ErrorKind::Invalid, "unicodeFont must be 1 to 64 characters");
  }
  for (char c : options.unicodeFont) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
                    c == '.' || c == ':' || c == '-';
    if (!ok) return makeError(ErrorKind::Invalid, "unicodeFont may contain only letters, digits and _.:-");
  }
  return {};
}

void appendText(std::string& out, const TextItem& t, const ZplOptions& options) {
  const bool ascii = text::isAscii(t.text);
  const std::string fitted = fitToBlock(t.text, t.box.width, t.maxLines, t.fontDots, ascii);
  out += "^FO" + std::to_string(t.box.x) + "," + std::to_string(t.box.y);
  // ^A0 has no bold variant (it is bold already); the Unicode font is used as is.
  if (ascii) {
    out += "^A0N," + std::to_string(t.fontDots) + "," + std::to_string(t.fontDots);
  } else {
    out +=
        "^A@N," + std::to_string(t.fontDots) + "," + std::to_string(t.fontDots) + "," + options.unicodeFont;
  }
  // Extra dots between lines so that ^FB lines land where the layout
  // reserved them (lineHeight).
  const int spacing = lineHeight(t.fontDots) - t.fontDots;
  out += "^FB" + std::to_string(t.box.width) + "," + std::to_string(t.maxLines) + "," +
         std::to_string(spacing) + "," + justification(t.align) + ",0";
  // Escaped code point by code point so that a cut at the ^FD limit never
  // splits an _XX escape or a UTF-8 sequence.
  std::string data;
  std::size_t pos = 0;
  while (pos < fitted.size()) {
    const std::size_t start = pos;
    text::decode(fitted, pos);
    const std::string piece = escapeZplFieldData(std::string_view(fitted).substr(start, pos - start), true);
    if (data.size() + piece.size() > kMaxFieldBytes) break;
    data += piece;
  }
  out += "^FH_^FD" + data + "^FS\n";
}

void appendBarcode(std::string& out, const BarcodeItem& b) {
  out += "^FO" + std::to_string(b.x) + "," + std::to_string(b.y);
  switch (b.symbology) {
    case Symbology::Code128:
      // Mode A: the printer picks subsets B/C itself. Its symbol can differ
      // from our preview (barcode/Code128.cpp, fewest symbol characters) by
      // a few modules, which the quiet zone and the label margin absorb.
      out += "^BY" + std::to_string(b.moduleDots) + ",3," + std::to_string(b.barHeightDots);
      out += "^BCN," + std::to_string(b.barHeightDots) + ",N,N,N,A";
      out += "^FH_^FD" + escapeZplFieldData(b.data, false) + "^FS\n";
      break;
    case Symbology::Gs1_128:
      // Start C (>;), FNC1 (>8), then digit pairs: exactly the symbol our
      // encoder draws for the preview of an even-length element string
      // ("00" + SSCC, 20 digits). The element string is digits only.
      out += "^BY" + std::to_string(b.moduleDots) + ",3," + std::to_string(b.barHeightDots);
      out += "^BCN," + std::to_string(b.barHeightDots) + ",N,N,N,N";
      out += "^FD>;>8" + b.data + "^FS\n";
      break;
    case Symbology::QrCode:
      // Model 2, error correction M, automatic input ("MA,"): the model and
      // level of our preview (barcode/QrCode.cpp); the printer picks the
      // mode and version itself.
      out += "^BQN,2," + std::to_string(b.moduleDots) + ",M";
      out += "^FH_^FDMA," + escapeZplFieldData(b.data, false) + "^FS\n";
      break;
  }
}

void appendFormat(std::string& out, const Drawing& d, const ZplOptions& options) {
  out +=
      "^XA\n^CI28\n^PW" + std::to_string(d.widthDots) + "\n^LL" + std::to_string(d.heightDots) + "\n^LH0,0\n";
  for (const Box& r : d.rules) {
    const int thickness = std::min(r.width, r.height);
    out += "^FO" + std::to_string(r.x) + "," + std::to_string(r.y) + "^GB" + std::to_string(r.width) + "," +
           std::to_string(r.height) + "," + std::to_string(thickness) + ",B,0^FS\n";
  }
  for (const TextItem& t : d.texts) appendText(out, t, options);
  for (const BarcodeItem& b : d.barcodes) appendBarcode(out, b);
  out += "^PQ" + std::to_string(options.copies) + "\n^XZ\n";
}

}  // namespace

std::string escapeZplFieldData(std::string_view text, bool inFieldBlock) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\' && inFieldBlock) {
      appendHex(out, c);
      appendHex(out, c);
    } else if (c == '^' || c == '~' || c == '\\' || c == '_' || c < 0x20 || c == 0x7F) {
      appendHex(out, c);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

Result<std::string> drawingToZpl(const Drawing& drawing, const ZplOptions& options) {
  if (auto s = checkOptions(options); !s) return s.error();
  std::string out;
  out.reserve(4096);
  appendFormat(out, drawing, options);
  return out;
}

Result<std::string> drawingsToZpl(const std::vector<Drawing>& drawings, const ZplOptions& options) {
  if (auto s = checkOptions(options); !s) return s.error();
  std::string out;
  for (const Drawing& d : drawings) appendFormat(out, d, options);
  return out;
}

Result<std::string> renderZpl(const ShippingLabel& label, const Template& tmpl, const ZplOptions& options) {
  auto drawing = layoutShippingLabel(label, tmpl);
  if (!drawing) return drawing.error();
  return drawingToZpl(drawing.value(), options);
}

}  // namespace wms::labels
