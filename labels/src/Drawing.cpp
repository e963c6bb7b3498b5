#include "wms/labels/Drawing.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "Text.h"
#include "wms/labels/Gs1.h"

namespace wms::labels {
namespace {

// Module widths that scan: at least 0.25 mm for bars (10 mil) and about
// 0.35 mm for QR cells; at most about 0.5 mm (1D) / 1 mm (QR), beyond which
// symbols only grow without reading better.
struct ModuleLimits {
  int linearMin, linearMax, qrMin, qrMax;
};
ModuleLimits moduleLimits(Dpi dpi) {
  return dpi == Dpi::D203 ? ModuleLimits{2, 4, 3, 8} : ModuleLimits{3, 6, 4, 12};
}

// Positions in millimetres on a design canvas, converted to dots of the
// actual template. Tall stock (4x6, A6) shares one design scaled to the
// page; 4x4 has its own.
class Canvas {
 public:
  Canvas(const Template& t, double designWidthMm, double designHeightMm)
      : t_(t), sx_(t.widthMm / designWidthMm), sy_(t.heightMm / designHeightMm) {}

  int x(double mm) const { return t_.dots(mm * sx_); }
  int y(double mm) const { return t_.dots(mm * sy_); }
  int font(double mm) const { return std::max(8, t_.dots(mm * std::min(sx_, sy_))); }
  Box box(double x0, double y0, double x1, double y1) const {
    return Box{x(x0), y(y0), x(x1) - x(x0), y(y1) - y(y0)};
  }

 private:
  const Template& t_;
  double sx_;
  double sy_;
};

// Stacks text paragraphs downwards from a starting y inside a column.
class Column {
 public:
  Column(Drawing& d, int x, int width, int y) : d_(d), x_(x), width_(width), y_(y) {}

  void add(std::string_view text, int fontDots, int maxLines, bool bold = false, Align align = Align::Left) {
    std::string clean = sanitizeForPrint(text);
    if (clean.empty()) return;
    TextItem item;
    item.fontDots = fontDots;
    item.maxLines = maxLines;
    item.bold = bold;
    item.align = align;
    item.box = Box{x_, y_, width_, maxLines * lineHeight(fontDots)};
    item.text = std::move(clean);
    y_ = item.box.bottom();
    d_.texts.push_back(std::move(item));
  }
  void skip(int dots) { y_ += dots; }
  int y() const { return y_; }

 private:
  Drawing& d_;
  int x_;
  int width_;
  int y_;
};

std::string join(std::initializer_list<std::string_view> parts, std::string_view separator) {
  std::string out;
  for (std::string_view p : parts) {
    p = text::trim(p);
    if (p.empty()) continue;
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

std::string weightText(std::int64_t grams) {
  if (grams < 1000) return std::to_string(grams) + " g";
  std::string kg = std::to_string(grams / 1000);
  int rest = static_cast<int>(grams % 1000);
  if (rest != 0) {
    std::string frac = std::to_string(1000 + rest).substr(1);  // 3 digits with leading zeros
    while (frac.back() == '0') frac.pop_back();
    kg += "." + frac;
  }
  return kg + " kg";
}

struct AddressFonts {
  int caption, name, body, city;
  int nameLines, streetLines;
};

void addAddress(Column& c, std::string_view caption, const Address& a, const AddressFonts& f) {
  c.add(caption, f.caption, 1, true);
  c.add(a.name, f.name, f.nameLines, true);
  c.add(a.company, f.body, 1);
  c.add(join({a.line1, a.line2}, ", "), f.body, f.streetLines);
  c.add(join({join({a.city, a.region}, ", "), a.postalCode}, "  "), f.city, 1, f.city > f.body);
  const std::string phone = a.phone.empty() ? std::string() : "Tel " + a.phone;
  c.add(join({a.country, phone}, "   "), f.body, 1);
}

Status addBarcode(Drawing& d, Symbology symbology, const std::string& data, const Box& area, int barHeight) {
  const ModuleLimits limits = moduleLimits(d.dpi);
  const bool qr = symbology == Symbology::QrCode;
  auto item = placeBarcode(symbology, data, area, qr ? limits.qrMin : limits.linearMin,
                           qr ? limits.qrMax : limits.linearMax, barHeight);
  if (!item) return item.error();
  d.barcodes.push_back(std::move(item.value()));
  return {};
}

Result<Drawing> layoutTall(const ShippingLabel& l, const Template& t) {
  const Canvas c(t, 101.6, 152.4);
  Drawing d;
  d.widthDots = t.widthDots;
  d.heightDots = t.heightDots;
  d.dpi = t.dpi;
  const int rule = std::max(2, t.dots(0.4));
  const auto hrule = [&](double yMm) { d.rules.push_back(Box{c.x(3), c.y(yMm), c.x(98.6) - c.x(3), rule}); };

  // Row A: ship-from (small) and carrier / service.
  Column from(d, c.x(3), c.x(61) - c.x(3), c.y(3));
  addAddress(from, "FROM", l.shipFrom, {c.font(2.2), c.font(2.5), c.font(2.5), c.font(2.5), 1, 1});
  Column carrier(d, c.x(63), c.x(98.6) - c.x(63), c.y(3));
  carrier.add(l.carrier, c.font(4.2), 2, true, Align::Right);
  carrier.add(l.service, c.font(3.0), 2, false, Align::Right);
  hrule(25.5);

  // Row B: ship-to, the largest text on the label.
  Column to(d, c.x(3), c.x(98.6) - c.x(3), c.y(27));
  addAddress(to, "SHIP TO", l.shipTo, {c.font(2.5), c.font(4.6), c.font(3.5), c.font(3.8), 2, 2});
  hrule(67);

  // Row C: order, channel, weight, carton; QR code of the order reference.
  Column info(d, c.x(3), c.x(70) - c.x(3), c.y(68.5));
  info.add("ORDER " + l.orderReference, c.font(3.4), 1, true);
  info.add(join({displayName(l.channel), l.channelOrderId}, " "), c.font(3.0), 1);
  info.add("Weight " + weightText(l.weightGrams), c.font(3.0), 1);
  info.add("CARTON " + std::to_string(l.cartonNumber) + " OF " + std::to_string(l.cartonCount), c.font(5.5),
           1, true);
  if (auto s = addBarcode(d, Symbology::QrCode, l.orderReference, c.box(72, 68.5, 98.6, 96), 0); !s)
    return s.error();
  hrule(97);

  // Row D: tracking number. Barcode rows reach into the side margins: a
  // quiet zone is white space either way, and a 30-character tracking
  // number needs the room at 0.25 mm per module.
  Column tracking(d, c.x(3), c.x(98.6) - c.x(3), c.y(98.5));
  tracking.add("TRACKING NUMBER", c.font(2.2), 1, true);
  if (auto s = addBarcode(d, Symbology::Code128, l.trackingNumber, c.box(1.5, 102, 100.1, 117),
                          c.y(117) - c.y(102));
      !s) {
    return s.error();
  }
  Column trackingText(d, c.x(3), c.x(98.6) - c.x(3), c.y(117.8));
  trackingText.add(l.trackingNumber, c.font(3.4), 1, true, Align::Center);
  hrule(123);

  // Row E: SSCC as GS1-128.
  Column sscc(d, c.x(3), c.x(98.6) - c.x(3), c.y(124.5));
  sscc.add("SSCC", c.font(2.2), 1, true);
  if (auto s = addBarcode(d, Symbology::Gs1_128, ssccElementString(l.sscc), c.box(1.5, 128, 100.1, 143),
                          c.y(143) - c.y(128));
      !s) {
    return s.error();
  }
  Column ssccText(d, c.x(3), c.x(98.6) - c.x(3), c.y(143.8));
  ssccText.add(ssccHumanReadable(l.sscc), c.font(3.0), 1, false, Align::Center);
  return d;
}

Result<Drawing> layoutSquare(const ShippingLabel& l, const Template& t) {
  const Canvas c(t, 101.6, 101.6);
  Drawing d;
  d.widthDots = t.widthDots;
  d.heightDots = t.heightDots;
  d.dpi = t.dpi;
  const int rule = std::max(2, t.dots(0.4));
  const auto hrule = [&](double yMm) {
    d.rules.push_back(Box{c.x(2.5), c.y(yMm), c.x(99.1) - c.x(2.5), rule});
  };

  Column from(d, c.x(2.5), c.x(60) - c.x(2.5), c.y(2.5));
  addAddress(from, "FROM", l.shipFrom, {c.font(1.8), c.font(2.0), c.font(2.0), c.font(2.0), 1, 1});
  Column carrier(d, c.x(62), c.x(99.1) - c.x(62), c.y(2.5));
  carrier.add(l.carrier, c.font(3.4), 2, true, Align::Right);
  carrier.add(l.service, c.font(2.6), 2, false, Align::Right);
  hrule(19);

  Column to(d, c.x(2.5), c.x(73) - c.x(2.5), c.y(20));
  addAddress(to, "SHIP TO", l.shipTo, {c.font(2.0), c.font(3.6), c.font(2.8), c.font(3.0), 2, 2});
  if (auto s = addBarcode(d, Symbology::QrCode, l.orderReference, c.box(75, 20.5, 99.1, 49.5), 0); !s)
    return s.error();
  hrule(50.5);

  Column info(d, c.x(2.5), c.x(99.1) - c.x(2.5), c.y(51.5));
  info.add(join({"ORDER " + l.orderReference, displayName(l.channel), l.channelOrderId}, "  "), c.font(2.8),
           1, true);
  Column weight(d, c.x(2.5), c.x(50) - c.x(2.5), info.y() + c.y(0.3));
  weight.add(weightText(l.weightGrams), c.font(3.2), 1);
  Column carton(d, c.x(50), c.x(99.1) - c.x(50), info.y() + c.y(0.3));
  carton.add("CARTON " + std::to_string(l.cartonNumber) + " OF " + std::to_string(l.cartonCount), c.font(3.6),
             1, true, Align::Right);
  hrule(61);

  Column tracking(d, c.x(2.5), c.x(99.1) - c.x(2.5), c.y(62));
  tracking.add("TRACKING NUMBER", c.font(1.8), 1, true);
  if (auto s = addBarcode(d, Symbology::Code128, l.trackingNumber, c.box(1.5, 64.8, 100.1, 76.8),
                          c.y(76.8) - c.y(64.8));
      !s) {
    return s.error();
  }
  Column trackingText(d, c.x(2.5), c.x(99.1) - c.x(2.5), c.y(77.2));
  trackingText.add(l.trackingNumber, c.font(2.8), 1, true, Align::Center);
  hrule(81.3);

  Column sscc(d, c.x(2.5), c.x(99.1) - c.x(2.5), c.y(82.3));
  sscc.add("SSCC", c.font(1.8), 1, true);
  if (auto s = addBarcode(d, Symbology::Gs1_128, ssccElementString(l.sscc), c.box(1.5, 85, 100.1, 95),
                          c.y(95) - c.y(85));
      !s) {
    return s.error();
  }
  Column ssccText(d, c.x(2.5), c.x(99.1) - c.x(2.5), c.y(95.5));
  ssccText.add(ssccHumanReadable(l.sscc), c.font(2.6), 1, false, Align::Center);
  return d;
}

}  // namespace

Box BarcodeItem::symbolBox() const {
  return Box{x, y, matrix.width * moduleDots, matrix.isLinear() ? barHeightDots : matrix.height * moduleDots};
}

int lineHeight(int fontDots) {
  return (fontDots * 5 + 3) / 4;
}

std::string sanitizeForPrint(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  bool pendingSpace = false;
  std::size_t pos = 0;
  while (pos < input.size()) {
    char32_t cp = text::decode(input, pos);
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029 || cp == ' ') {
      pendingSpace = !out.empty();
      continue;
    }
    // A visible '?' rather than silent removal: the packer sees that the
    // source data is damaged, and every printer font has the glyph.
    if (cp == text::kInvalid || text::isControl(cp)) cp = '?';
    if (pendingSpace) out.push_back(' ');
    pendingSpace = false;
    text::append(out, cp);
  }
  return out;
}

Result<BarcodeItem> placeBarcode(Symbology symbology, std::string_view data, const Box& area,
                                 int minModuleDots, int maxModuleDots, int barHeightDots) {
  if (minModuleDots < 1 || maxModuleDots < minModuleDots) {
    throw std::invalid_argument("placeBarcode: module limits must satisfy 1 <= min <= max");
  }
  auto matrix = encodeBarcode(symbology, data);
  if (!matrix) return matrix.error();
  const int quiet = quietZoneModules(symbology);
  const int totalW = matrix->width + 2 * quiet;
  const int totalH = matrix->isLinear() ? 0 : matrix->height + 2 * quiet;
  int module = std::min(maxModuleDots, area.width / totalW);
  if (totalH > 0) module = std::min(module, area.height / totalH);
  if (module < minModuleDots) {
    return makeError(ErrorKind::Invalid,
                     std::string(toString(symbology)) + " of " + std::to_string(data.size()) +
                         " characters is too wide for the label at a scannable module width");
  }
  BarcodeItem item;
  item.symbology = symbology;
  item.data = std::string(data);
  item.moduleDots = module;
  const int qzW = totalW * module;
  const int qzX = area.x + (area.width - qzW) / 2;
  item.x = qzX + quiet * module;
  if (totalH > 0) {
    const int qzH = totalH * module;
    const int qzY = area.y + (area.height - qzH) / 2;
    item.y = qzY + quiet * module;
    item.quietZone = Box{qzX, qzY, qzW, qzH};
  } else {
    item.y = area.y;
    item.barHeightDots = barHeightDots;
    item.quietZone = Box{qzX, area.y, qzW, barHeightDots};
  }
  item.matrix = std::move(matrix.value());
  return item;
}

Result<Drawing> layoutShippingLabel(const ShippingLabel& label, const Template& tmpl) {
  if (auto s = validateLabel(label); !s) return s.error();
  return tmpl.size == LabelSize::FourByFour ? layoutSquare(label, tmpl) : layoutTall(label, tmpl);
}

}  // namespace wms::labels
