// The one place that calls ZXing. Everything ZXing-specific (its format
// enum, hints, results, exceptions) stays in this file.
#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>

#include "BarGeometry.h"
#include "Passes.h"

namespace wms::handheld::detail {
namespace {

namespace zx = ZXing;

constexpr zx::BarcodeFormat kZxFormats[kBarcodeFormatCount] = {
    zx::BarcodeFormat::EAN8,       zx::BarcodeFormat::EAN13,   zx::BarcodeFormat::UPCA,
    zx::BarcodeFormat::UPCE,       zx::BarcodeFormat::Code128, zx::BarcodeFormat::Code39,
    zx::BarcodeFormat::ITF,        zx::BarcodeFormat::DataBar, zx::BarcodeFormat::DataBarExpanded,
    zx::BarcodeFormat::DataMatrix, zx::BarcodeFormat::QRCode};

zx::BarcodeFormats toZx(FormatSet set) {
  zx::BarcodeFormats out;
  for (auto f : set.formats()) out |= kZxFormats[static_cast<int>(f)];
  return out;
}

std::optional<BarcodeFormat> fromZx(zx::BarcodeFormat f) {
  for (int i = 0; i < kBarcodeFormatCount; ++i)
    if (kZxFormats[i] == f) return static_cast<BarcodeFormat>(i);
  return std::nullopt;
}

const FormatSet kDataBars{BarcodeFormat::DataBar, BarcodeFormat::DataBarExpanded};
const FormatSet kChecked{BarcodeFormat::Code128, BarcodeFormat::DataBar, BarcodeFormat::DataBarExpanded};
const FormatSet kLinear{BarcodeFormat::Ean8, BarcodeFormat::Ean13,   BarcodeFormat::UpcA,
                        BarcodeFormat::UpcE, BarcodeFormat::Code128, BarcodeFormat::Code39,
                        BarcodeFormat::Itf,  BarcodeFormat::DataBar, BarcodeFormat::DataBarExpanded};

// How one ZXing call looks at an image.
struct Look {
  bool tryHarder = true;
  bool tryRotate = true;
  bool tryDownscale = true;
  zx::Binarizer binarizer = zx::Binarizer::LocalAverage;
  // For images whose rows are already averages of several
  // (smoothAlongBars), where neighbouring lines are no longer independent
  // looks: accept a Code 128 from one line (as DataBar always is; its
  // mod-103 check holds against misreads), and ask three agreeing lines of
  // the formats with a weak check or none (EAN/UPC's one digit, ITF, Code
  // 39): with one or two, sharpened rows misread an EAN-13 on the bench.
  bool averagedRows = false;
};

// ZXing 1.4 asserts (and aborts) in Result::operator== when it merges two
// multi-line DataBar reads; a DataBar accepted from one line never gets
// there, and its check characters make single-line reads safe. Other
// linear formats keep ZXing's two-line confirmation against misreads,
// except in safe mode, where nothing may risk the abort again.
zx::DecodeHints hintsFor(FormatSet group, const Look& look, const PassSettings& settings) {
  zx::DecodeHints h;
  h.setFormats(toZx(group))
      .setTryHarder(look.tryHarder)
      .setTryRotate(look.tryRotate)
      .setTryDownscale(look.tryDownscale && !settings.safe)
      .setBinarizer(look.binarizer)
      .setMaxNumberOfSymbols(1);
  bool dataBarOnly = (group & kDataBars) == group;
  bool checked = (group & kChecked) == group;
  int lines = settings.safe || dataBarOnly ? 1 : 2;
  if (look.averagedRows && !settings.safe) lines = checked ? 1 : 3;
  h.setMinLineCount(lines);
  return h;
}

bool same(const Barcode& a, const Barcode& b) {
  return a.format == b.format && a.text == b.text;
}

// Hides a found symbol so that the next call finds another one. Linear
// reads report a scan line; the band around it grows with `growth` when the
// same symbol keeps coming back.
void mask(GreyImage& img, const std::array<PointD, 4>& q, bool matrix, int growth) {
  PointD c{(q[0].x + q[1].x + q[2].x + q[3].x) / 4, (q[0].y + q[1].y + q[2].y + q[3].y) / 4};
  std::array<PointD, 4> fill;
  if (matrix) {
    for (std::size_t i = 0; i < 4; ++i) fill[i] = {c.x + 1.25 * (q[i].x - c.x), c.y + 1.25 * (q[i].y - c.y)};
  } else {
    double ux = q[1].x - q[0].x, uy = q[1].y - q[0].y;
    double len = std::hypot(ux, uy);
    if (len < 1) return;
    ux /= len, uy /= len;
    const double nx = -uy, ny = ux;
    double lo = 0, hi = 0;
    for (const auto& p : q) {
      double d = (p.x - q[0].x) * nx + (p.y - q[0].y) * ny;
      lo = std::min(lo, d), hi = std::max(hi, d);
    }
    const double band = std::max(12.0, 0.35 * len * growth);
    const double along = 0.08 * len;
    auto at = [&](double s, double t) { return PointD{q[0].x + s * ux + t * nx, q[0].y + s * uy + t * ny}; };
    fill = {at(-along, lo - band), at(len + along, lo - band), at(len + along, hi + band),
            at(-along, hi + band)};
  }
  // Paper-coloured: the brightest of the corners, so the hole has no edges.
  std::uint8_t paper = 0;
  for (const auto& p : fill) {
    int x = std::clamp(static_cast<int>(p.x), 0, img.width - 1),
        y = std::clamp(static_cast<int>(p.y), 0, img.height - 1);
    paper = std::max(paper, img.at(x, y));
  }
  fillQuad(img, fill, paper);
}

// Reads up to `maxSymbols` symbols of `formats` from `img` (which it may
// mask), adding new ones to `found` in frame coordinates.
void readInto(GreyImage& img, const Affine& toFrame, FormatSet formats, const Look& look, int maxSymbols,
              const PassSettings& settings, std::vector<Barcode>& found) {
  if (formats.empty() || img.width < 8 || img.height < 8) return;
  // Symbols found by earlier passes are hidden first, so that this look
  // spends its calls on the others.
  const Affine toImage = toFrame.inverse();
  for (const Barcode& b : found) {
    std::array<PointD, 4> q;
    for (std::size_t i = 0; i < 4; ++i) q[i] = toImage.apply(b.corners[2 * i], b.corners[2 * i + 1]);
    mask(img, q, isMatrix(b.format), 1);
  }
  // DataBar runs on its own (see hintsFor) when mixed with other formats;
  // so does Code 128 when it may be read from one line.
  const FormatSet alone = look.averagedRows ? kChecked : kDataBars;
  FormatSet groups[3] = {formats & kDataBars, formats & FormatSet::fromBits(alone.bits() & ~kDataBars.bits()),
                         FormatSet::fromBits(formats.bits() & ~alone.bits())};
  for (FormatSet group : groups) {
    if (group.empty()) continue;
    const zx::DecodeHints hints = hintsFor(group, look, settings);
    int repeats = 0;
    while (static_cast<int>(found.size()) < maxSymbols) {
      zx::Result r;
      try {
        r = zx::ReadBarcode(zx::ImageView(img.pixels.data(), img.width, img.height, zx::ImageFormat::Lum),
                            hints);
      } catch (...) {  // ZXing's own exceptions mean "could not read this"
        break;
      }
      if (!r.isValid()) break;
      auto format = fromZx(r.format());
      if (!format) break;
      Barcode b;
      b.format = *format;
      b.text = r.text();
      b.symbology = r.symbologyIdentifier();
      const auto& pos = r.position();
      for (std::size_t i = 0; i < 4; ++i) {
        PointD p = toFrame.apply(pos[i].x, pos[i].y);
        b.corners[2 * i] = static_cast<int>(std::lround(p.x));
        b.corners[2 * i + 1] = static_cast<int>(std::lround(p.y));
      }
      bool known = std::any_of(found.begin(), found.end(), [&](const Barcode& o) { return same(o, b); });
      if (known) {
        if (++repeats > 2) break;
      } else {
        found.push_back(std::move(b));
        repeats = 0;
        if (static_cast<int>(found.size()) >= maxSymbols) break;
      }
      std::array<PointD, 4> q;
      for (std::size_t i = 0; i < 4; ++i)
        q[i] = {static_cast<double>(pos[i].x), static_cast<double>(pos[i].y)};
      mask(img, q, isMatrix(*format), repeats + 1);
    }
  }
}

// What the passes share for one frame, computed when first needed.
struct FrameCache {
  GreyView frame;
  int maxRegions = 3;
  std::optional<std::vector<Region>> regions;
  // Regions in which the along pass measured the layout of bars
  // (measureBarLean): linear symbols, not 2D ones.
  std::vector<const Region*> barred;
  const std::vector<Region>& candidateRegions() {
    if (!regions) regions = findCandidateRegions(frame, maxRegions);
    return *regions;
  }
  bool hasBars(const Region& r) const { return std::find(barred.begin(), barred.end(), &r) != barred.end(); }
};

// A few more regions than symbols wanted: clutter can outrank a symbol.
int regionsFor(int maxSymbols) {
  return std::clamp(maxSymbols + 2, 3, 8);
}

GreyImage copyOf(GreyView v) {
  Affine ignored;
  return cropRegion(v, Region{0, 0, v.width, v.height, 0, 0, 0}, ignored);
}

using PassFn = void (*)(FrameCache&, FormatSet, int, const PassSettings&, std::vector<Barcode>&);

struct Pass {
  const char* name;
  PassFn run;
};

const FormatSet kMatrix{BarcodeFormat::DataMatrix, BarcodeFormat::QrCode};

// Rows averaged each side by passAlong: 11 rows in all, less than the
// shortest bars of a symbol that fills a region.
constexpr int kAlongRadius = 5;
// Neighbouring averaged rows share most of their pixels: the widened
// images have every other one, half the rows for ZXing to scan.
constexpr int kAlongStep = 2;
// Each averaged row widened this many times before the threshold
// (widenRows): 3 reads more GS1-128 and DataBar Expanded on the benchmark
// than 2.
constexpr int kWiden = 3;
// Bars drifting sideways by more than this (px) over the rows averaged
// smear into their neighbours: the band is then rectified.
constexpr double kMaxDrift = 0.6;
// Read widened and, where the bars lean or fan out, rectified: the long
// formats, whose thin modules decide the read. Code 39 needs three agreeing
// lines, like EAN/UPC and ITF, but reads more frames widened; those do not.
const FormatSet kWideFormats{BarcodeFormat::Code128, BarcodeFormat::Code39, BarcodeFormat::DataBar,
                             BarcodeFormat::DataBarExpanded};
// DataBar's rectified band is sampled from the frame kWiden times as densely
// along the symbol instead of widened afterwards (a second bilinear
// resampling blurs modules of 1.5-2 px at the far end of a symbol seen at
// an angle), and sharpened harder: a Gaussian of 1 px of the frame
// (kWiden px of the band), 2.5 times. Code 128 and 39 read fewer frames so.
constexpr double kFineSharpenSigma = 1.0 * kWiden;
constexpr double kFineSharpenAmount = 2.5;
constexpr double kSureCoherence = 0.6;
constexpr std::size_t kAlongRegions = 2;

// 2D symbols' regions have no dominant edge direction: on the benchmark's
// frames their coherence stays under 0.5, while half of the long linear
// symbols' is above 0.6. And they are about square.
constexpr double kMatrixCoherence = 0.5;
constexpr double kMatrixAspect = 2.2;

// Runs `look` over each candidate region, prepared by `prepare`.
// Regions whose edges run mostly one way (coherence) are linear symbols;
// passes for one kind skip regions that are clearly of the other.
// A region that may hold a 2D symbol: no dominant edge direction, and
// roughly square (a long linear symbol's region is at least 2.5 times as
// long as wide unless it lies near the diagonal).
bool mayBeMatrix(const Region& r) {
  const double aspect =
      static_cast<double>(std::max(r.width, r.height)) / std::max(1, std::min(r.width, r.height));
  return r.coherence <= kMatrixCoherence && aspect <= kMatrixAspect;
}

bool anyRegion(const Region&) {
  return true;
}

template <class Prepare, class Accept = decltype(&anyRegion)>
void overRegions(FrameCache& c, FormatSet formats, int maxSymbols, const PassSettings& s, const Look& look,
                 std::vector<Barcode>& found, Prepare prepare, Accept accept = &anyRegion) {
  if (formats.empty()) return;
  for (const Region& r : c.candidateRegions()) {
    if (!accept(r)) continue;
    Affine toFrame;
    GreyImage img = prepare(r, toFrame);
    readInto(img, toFrame, formats, look, maxSymbols, s, found);
    if (static_cast<int>(found.size()) >= maxSymbols) return;
  }
}

// Each barcode-like region alone, its own contrast stretched to the full
// range, with ZXing's quick look: most frames end here, in a few ms.
void passQuick(FrameCache& c, FormatSet formats, int maxSymbols, const PassSettings& s,
               std::vector<Barcode>& found) {
  overRegions(c, formats, maxSymbols, s, Look{false, true, false, {}}, found,
              [&](const Region& r, Affine& toFrame) {
                GreyImage crop = cropRegion(c.frame, r, toFrame);
                return stretchContrast(crop.view(), 0.02, 0.98);
              });
}

// Whether averaging along the plain turn would smear the bars (they drift
// sideways by more than kMaxDrift px over the rows averaged) or miss some
// (the symbol's axis climbs by more than a quarter of the bars' height
// along it, so that no row crosses them all).
bool needsRectifying(const BarGeometry& g) {
  const double x0 = g.firstColumn, x1 = g.lastColumn;
  const double lean = std::max(std::abs(g.lean(x0)), std::abs(g.lean(x1)));
  return lean * kAlongRadius > kMaxDrift || std::abs(g.axisSlope) * (x1 - x0) > 0.25 * g.halfHeight;
}

// Rows of a region averaged along its bars, contrast stretched, and the
// mapping back to the frame.
struct Band {
  GreyImage image;
  Affine toFrame;
};

// What the along pass reads in one turn of a region.
struct AlongBands {
  Band plain;                   // the turn's rows that cross bars
  std::optional<Band> upright;  // the region sampled again, bars upright
  // With `upright`, when asked for: the same sampled kWiden times as densely
  // along the symbol, every kAlongStep-th averaged row.
  std::optional<Band> fine;
  bool barsMeasured = false;  // measureBarLean found bars
};

// `bars` measured in a turned region, for the same region sampled `factor`
// times as densely along x.
BarGeometry denser(BarGeometry bars, int factor) {
  bars.axisSlope /= factor;
  bars.lean0 *= factor;  // columns per row; leanPerPixel (per column) keeps
  bars.firstColumn *= factor;
  bars.lastColumn *= factor;
  return bars;
}

// The rows of region `r` that cross its bars, turned upright, averaged
// along the bars and with their contrast stretched over the symbol. Where
// the bars' layout can be measured and the plain turn does not suit it,
// also the region sampled again with every bar upright and the symbol
// level (rectifyBars): with perspective the bars fan out, and averaging
// along one direction smears an end of the symbol; with shear no row of
// the plain turn crosses every bar.
AlongBands alongBands(GreyView frame, const Region& r, bool fine) {
  Affine turnedToFrame;
  GreyImage turned = rotateRegion(frame, r, turnedToFrame);
  GreyImage averaged = smoothAlongBars(turned.view(), kAlongRadius);
  AlongBands out;
  if (auto axis = measureBarAxis(averaged.view())) {
    auto bars = measureBarLean(turned.view(), *axis);
    out.barsMeasured = bars.has_value();
    if (bars && needsRectifying(*bars)) {
      Band upright;
      GreyImage sampled = rectifyBars(frame, turnedToFrame, turned.width, *bars, upright.toFrame);
      upright.image = stretchContrast(smoothAlongBars(sampled.view(), kAlongRadius).view(), 0.02, 0.98);
      out.upright = std::move(upright);
      if (fine) {
        Affine denseToFrame = turnedToFrame;
        denseToFrame.a /= kWiden, denseToFrame.d /= kWiden;
        Band band;
        GreyImage dense =
            rectifyBars(frame, denseToFrame, turned.width * kWiden, denser(*bars, kWiden), band.toFrame);
        band.image =
            stretchContrast(smoothAlongBars(dense.view(), kAlongRadius, kAlongStep).view(), 0.02, 0.98);
        // Row j of the band is row j * kAlongStep of `dense`.
        band.toFrame.b *= kAlongStep, band.toFrame.e *= kAlongStep;
        out.fine = std::move(band);
      }
    }
  }
  // Only the rows that cross bars: less to sharpen and scan, and the
  // contrast is stretched over the symbol rather than the background.
  const auto [first, count] = barRows(averaged.view(), 0.4, 8);
  GreyView rows{averaged.pixels.data() + static_cast<std::ptrdiff_t>(first) * averaged.width, averaged.width,
                count, averaged.width};
  // Row j of the band is row first + j of `turned`.
  out.plain.toFrame = turnedToFrame;
  out.plain.toFrame.c += out.plain.toFrame.b * first;
  out.plain.toFrame.f += out.plain.toFrame.e * first;
  out.plain.image = stretchContrast(rows, 0.02, 0.98);
  return out;
}

// Sharpened against blur (a band's rows are averages along the bars: only
// across them is there anything to sharpen).
Band sharpened(const Band& band) {
  return {sharpenAcrossBars(band.image.view(), 1.5, 1.5), band.toFrame};
}

// Every kAlongStep-th row of `band` widened kWiden times: the threshold
// then places thin bars' edges to a fraction of a pixel (a module of 1.5 px
// is otherwise one pixel or two, too coarse for the width ratios the
// readers check).
Band widened(const Band& band) {
  // The widened image is the costly one to read; neighbouring averaged
  // rows share most of their pixels.
  const GreyImage& img = band.image;
  const GreyView someRows{img.pixels.data(), img.width, (img.height + kAlongStep - 1) / kAlongStep,
                          img.width * kAlongStep};
  Band out{widenRows(someRows, kWiden), band.toFrame};
  // Column x of the result is column (x + 0.5) / kWiden - 0.5 of `band`,
  // row y its row y * kAlongStep.
  Affine& t = out.toFrame;
  t.b *= kAlongStep, t.e *= kAlongStep;
  const double offset = 0.5 / kWiden - 0.5;
  t.c += offset * t.a, t.f += offset * t.d;
  t.a /= kWiden, t.d /= kWiden;
  return out;
}

// Linear symbols turned upright, then averaged along their bars: noise
// falls with the square root of the rows averaged while the bars keep their
// edges, so the thin bars of long symbols (GS1-128, DataBar Expanded, Code
// 39) survive blur and noise that break every single scan line. A region
// is also tried at its second edge direction (a label's border or printed
// text can outvote faint bars) unless bars were measured at the first.
//
// The long formats (kWideFormats) are read widened, in the rectified band
// when there is one (DataBar's sampled densely instead: AlongBands::fine);
// EAN/UPC and ITF, which need three agreeing lines and have wider modules,
// in the plain band, sharpened, as before: on the benchmark they read fewer
// frames widened or rectified. The best region's plain band is also read
// for DataBar as it is, not widened: some symbols with little perspective
// read only there.
void passAlong(FrameCache& c, FormatSet formats, int maxSymbols, const PassSettings& s,
               std::vector<Barcode>& found) {
  formats = formats & kLinear;
  if (formats.empty()) return;
  const FormatSet wideFormats = formats & kWideFormats;
  const FormatSet dataBars = formats & kDataBars;
  const FormatSet narrowFormats = FormatSet::fromBits(formats.bits() & ~kWideFormats.bits());
  const Look local{true, false, false, zx::Binarizer::LocalAverage, true};
  const Look fixed{true, false, false, zx::Binarizer::FixedThreshold, true};
  const auto& regions = c.candidateRegions();
  auto done = [&] { return static_cast<int>(found.size()) >= maxSymbols; };
  // The best-ranked regions get the most looks: on a frame with no symbol
  // to find, every look is spent for nothing.
  for (std::size_t ri = 0; ri < std::min<std::size_t>(regions.size(), kAlongRegions); ++ri) {
    const Region& r = regions[ri];
    // Bars that clearly run one way (high coherence) leave no doubt about
    // the angle; only the best region gets a second angle. Without a
    // runner-up direction, the square one: a bright label on a dark desk
    // can outvote faint bars with its long borders, which run square to
    // the bars' edges.
    double other = std::nan("");
    if (ri == 0 && r.coherence < kSureCoherence)
      other =
          std::isnan(r.otherGradientAngle) ? r.gradientAngle + std::numbers::pi / 2 : r.otherGradientAngle;
    bool barsMeasured = false;
    for (double angle : {r.gradientAngle, other}) {
      // Bars measured at the first angle: the second is a label's border.
      if (std::isnan(angle) || barsMeasured) continue;
      Region turnedRegion = r;
      turnedRegion.gradientAngle = angle;
      const AlongBands bands = alongBands(c.frame, turnedRegion, !dataBars.empty());
      barsMeasured = bands.barsMeasured;
      if (barsMeasured) c.barred.push_back(&r);
      Band sharp = sharpened(bands.plain);
      Band wide = widened(bands.upright ? sharpened(*bands.upright) : sharp);
      // DataBar in its own band when there is one (readInto reads DataBar
      // apart from the other formats anyway).
      std::optional<Band> fine;
      if (bands.fine)
        fine = Band{sharpenAcrossBars(bands.fine->image.view(), kFineSharpenSigma, kFineSharpenAmount),
                    bands.fine->toFrame};
      const FormatSet inWide =
          fine ? FormatSet::fromBits(wideFormats.bits() & ~kDataBars.bits()) : wideFormats;
      const FormatSet inFine = fine ? dataBars : FormatSet{};
      // ZXing's local threshold first; then, for the best region, a fixed
      // one (the contrast is stretched), which keeps blurred thin bars
      // that the local threshold loses between wide ones.
      readInto(wide.image, wide.toFrame, inWide, local, maxSymbols, s, found);
      if (done()) return;
      if (fine) readInto(fine->image, fine->toFrame, inFine, local, maxSymbols, s, found);
      if (done()) return;
      readInto(sharp.image, sharp.toFrame, narrowFormats, local, maxSymbols, s, found);
      if (done()) return;
      if (ri > 0) continue;
      readInto(wide.image, wide.toFrame, inWide, fixed, maxSymbols, s, found);
      if (done()) return;
      if (fine) readInto(fine->image, fine->toFrame, inFine, fixed, maxSymbols, s, found);
      if (done()) return;
      GreyImage smooth = bands.plain.image;
      readInto(smooth, bands.plain.toFrame, narrowFormats, fixed, maxSymbols, s, found);
      if (done()) return;
      readInto(sharp.image, sharp.toFrame, dataBars, local, maxSymbols, s, found);
      if (done()) return;
    }
  }
}

// The regions again with ZXing's thorough look (every scan line, rotations).
void passRegions(FrameCache& c, FormatSet formats, int maxSymbols, const PassSettings& s,
                 std::vector<Barcode>& found) {
  overRegions(c, formats, maxSymbols, s, Look{true, true, false, {}}, found,
              [&](const Region& r, Affine& toFrame) {
                GreyImage crop = cropRegion(c.frame, r, toFrame);
                return stretchContrast(crop.view(), 0.02, 0.98);
              });
}

// 2D symbols in regions with local contrast normalised and a fixed
// threshold: uneven light and blur that defeat ZXing's own binarizer.
// Regions where the along pass measured bars hold a linear symbol: on a
// frame that nothing reads, these looks were a good part of its time.
void passMatrix(FrameCache& c, FormatSet formats, int maxSymbols, const PassSettings& s,
                std::vector<Barcode>& found) {
  overRegions(
      c, formats & kMatrix, maxSymbols, s, Look{true, true, false, zx::Binarizer::FixedThreshold}, found,
      [&](const Region& r, Affine& toFrame) {
        GreyImage crop = cropRegion(c.frame, r, toFrame);
        return sharpen(localNormalize(crop.view(), 12).view(), 2.5, 1.5);
      },
      [&](const Region& r) { return mayBeMatrix(r) && !c.hasBars(r); });
}

// 2D symbols in regions at half size (noise averages out, and blur shrinks
// against the modules), sharpened, with a fixed threshold: modules that
// blur has run together come apart again.
void passMatrixHalf(FrameCache& c, FormatSet formats, int maxSymbols, const PassSettings& s,
                    std::vector<Barcode>& found) {
  overRegions(
      c, formats & kMatrix, maxSymbols, s, Look{true, true, false, zx::Binarizer::FixedThreshold}, found,
      [&](const Region& r, Affine& toFrame) {
        Affine toCrop;
        GreyImage crop = cropRegion(c.frame, r, toCrop);
        GreyImage small = downscale2(crop.view());
        toFrame = Affine{2, 0, toCrop.c, 0, 2, toCrop.f};
        return sharpen(stretchContrast(small.view(), 0.02, 0.98).view(), 1.0, 1.5);
      },
      [&](const Region& r) { return mayBeMatrix(r) && !c.hasBars(r); });
}

// The noise-to-signal ratio the deblur pass's Wiener filter assumes: from
// 0.25 to 0.4 it reads the most of the benchmark's blurred 2D symbols
// (0.05-0.1 leaves the noise of low-contrast frames too strong, 1 undoes
// too little of the blur). On the same frames a Gaussian smoothing of half
// the blur read fewer, unsharp masks none, and Richardson-Lucy about as
// many at ten times the cost.
constexpr double kDeblurNoise = 0.3;
// The blur estimate's range on 2D symbols' regions (pixels): below it there
// is nothing to undo, above it the estimate has met a smooth background.
constexpr double kMinDeblurSigma = 0.8;
constexpr double kMaxDeblurSigma = 4.0;

// 2D symbols blurred by 0.35-0.45 module, where a lone module keeps under
// half its contrast and the frame's noise decides what a threshold sees:
// each region filtered for the blur measured on its own edges
// (estimateBlurSigma, deconvolve), then read with ZXing's local threshold
// and, normalised, with a fixed one; each reads symbols the other misses.
void passDeblur(FrameCache& c, FormatSet formats, int maxSymbols, const PassSettings& s,
                std::vector<Barcode>& found) {
  formats = formats & kMatrix;
  if (formats.empty()) return;
  const Look local{true, true, false, zx::Binarizer::LocalAverage};
  const Look fixed{true, true, false, zx::Binarizer::FixedThreshold};
  for (const Region& r : c.candidateRegions()) {
    if (!mayBeMatrix(r) || c.hasBars(r)) continue;
    Affine toFrame;
    GreyImage crop = cropRegion(c.frame, r, toFrame);
    const double sigma = std::clamp(estimateBlurSigma(crop.view()), kMinDeblurSigma, kMaxDeblurSigma);
    GreyImage sharp = deconvolve(stretchContrast(crop.view(), 0.02, 0.98).view(), sigma, kDeblurNoise);
    GreyImage normalised = localNormalize(sharp.view(), 12);
    readInto(sharp, toFrame, formats, local, maxSymbols, s, found);
    if (static_cast<int>(found.size()) >= maxSymbols) return;
    readInto(normalised, toFrame, formats, fixed, maxSymbols, s, found);
    if (static_cast<int>(found.size()) >= maxSymbols) return;
  }
}

// The whole frame at half size with stretched contrast: noise and blur
// average out, and it does not depend on the regions found.
void passHalf(FrameCache& c, FormatSet formats, int maxSymbols, const PassSettings& s,
              std::vector<Barcode>& found) {
  GreyImage small = downscale2(c.frame);
  GreyImage img = stretchContrast(small.view());
  readInto(img, Affine{2, 0, 0, 0, 2, 0}, formats, Look{true, true, false, {}}, maxSymbols, s, found);
}

// The whole frame as ZXing would read it, when no region looked like a
// barcode (a symbol on a busy background).
void passWhole(FrameCache& c, FormatSet formats, int maxSymbols, const PassSettings& s,
               std::vector<Barcode>& found) {
  if (!c.candidateRegions().empty()) return;
  GreyImage img = copyOf(c.frame);
  readInto(img, Affine{}, formats, Look{}, maxSymbols, s, found);
}

constexpr Pass kPasses[] = {
    {"quick", passQuick},
    {"along", passAlong},
    {"regions", passRegions},
    {"matrix", passMatrix},
    {"matrix-half", passMatrixHalf},
    {"deblur", passDeblur},
    {"half", passHalf},
    {"whole", passWhole},
};
constexpr int kPassCount = static_cast<int>(std::size(kPasses));

}  // namespace

int passCount() noexcept {
  return kPassCount;
}

const char* passName(int index) noexcept {
  return index >= 0 && index < kPassCount ? kPasses[index].name : "?";
}

std::vector<Barcode> runPasses(GreyView frame, FormatSet formats, int maxSymbols, int firstPass,
                               const PassSettings& settings, const PassCallbacks& callbacks) {
  std::vector<Barcode> found;
  FrameCache cache{frame, regionsFor(maxSymbols), std::nullopt, {}};
  // One symbol wanted (a scan step): stop at the first pass that finds it.
  // Several (reading a whole label): every pass may add more.
  for (int p = std::max(0, firstPass);
       p < kPassCount && static_cast<int>(found.size()) < maxSymbols && (found.empty() || maxSymbols > 1);
       ++p) {
    const std::size_t before = found.size();
    if (callbacks.started) callbacks.started(p);
    kPasses[p].run(cache, formats, maxSymbols, settings, found);
    if (callbacks.found)
      for (std::size_t i = before; i < found.size(); ++i) callbacks.found(found[i], p);
  }
  return found;
}

std::vector<Barcode> runOnePass(int pass, GreyView frame, FormatSet formats, int maxSymbols,
                                const PassSettings& settings) {
  std::vector<Barcode> found;
  if (pass < 0 || pass >= kPassCount) return found;
  FrameCache cache{frame, regionsFor(maxSymbols), std::nullopt, {}};
  kPasses[pass].run(cache, formats, maxSymbols, settings, found);
  return found;
}

}  // namespace wms::handheld::detail
