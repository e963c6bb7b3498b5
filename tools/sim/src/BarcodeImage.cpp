#include "wms/sim/BarcodeImage.h"

#define ZX_USE_UTF8
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <vector>

#include "wms/handheld/Gs1.h"

namespace wms::sim {
namespace {

using handheld::BarcodeFormat;

std::optional<ZXing::BarcodeFormat> zxingFormat(BarcodeFormat f) {
  switch (f) {
    case BarcodeFormat::Ean8: return ZXing::BarcodeFormat::EAN8;
    case BarcodeFormat::Ean13: return ZXing::BarcodeFormat::EAN13;
    case BarcodeFormat::UpcA: return ZXing::BarcodeFormat::UPCA;
    case BarcodeFormat::UpcE: return ZXing::BarcodeFormat::UPCE;
    case BarcodeFormat::Code128: return ZXing::BarcodeFormat::Code128;
    case BarcodeFormat::Code39: return ZXing::BarcodeFormat::Code39;
    case BarcodeFormat::Itf: return ZXing::BarcodeFormat::ITF;
    case BarcodeFormat::DataMatrix: return ZXing::BarcodeFormat::DataMatrix;
    case BarcodeFormat::QrCode: return ZXing::BarcodeFormat::QRCode;
    case BarcodeFormat::DataBar:
    case BarcodeFormat::DataBarExpanded: return std::nullopt;  // ZXing 1.4 cannot write them
  }
  return std::nullopt;
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool code39Text(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' || c == ' ' || c == '$' ||
           c == '/' || c == '+' || c == '%';
  });
}

// Module grid of the symbol, quiet zone included: true = dark.
struct Grid {
  int width = 0;
  int height = 0;  // 1 for linear symbols
  std::vector<std::uint8_t> dark;
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y) * width + x] != 0; }
};

Result<Grid> encode(BarcodeFormat format, std::string_view text) {
  auto zf = zxingFormat(format);
  if (!zf) return makeError(ErrorKind::Invalid, std::string("cannot draw ") + handheld::formatName(format));
  try {
    ZXing::MultiFormatWriter writer(*zf);
    writer.setMargin(0);
    const ZXing::BitMatrix bits = writer.encode(std::string(text), 0, 0);
    if (bits.width() <= 0 || bits.height() <= 0) return makeError(ErrorKind::Invalid, "empty symbol");
    const bool linear = !handheld::isMatrix(format);
    const int quiet = linear ? 10 : (format == BarcodeFormat::QrCode ? 4 : 2);
    Grid g;
    g.width = bits.width() + 2 * quiet;
    g.height = linear ? 1 : bits.height() + 2 * quiet;
    g.dark.assign(static_cast<std::size_t>(g.width) * g.height, 0);
    for (int y = 0; y < (linear ? 1 : bits.height()); ++y)
      for (int x = 0; x < bits.width(); ++x)
        g.dark[static_cast<std::size_t>(y + (linear ? 0 : quiet)) * g.width + x + quiet] = bits.get(x, y) ? 1 : 0;
    return g;
  } catch (const std::exception& e) {
    return makeError(ErrorKind::Invalid, std::string("cannot encode '") + std::string(text.substr(0, 40)) + "' as " +
                                             handheld::formatName(format) + ": " + e.what());
  }
}

// Separable Gaussian blur in place.
void blur(std::vector<float>& img, int w, int h, double sigma) {
  if (sigma < 0.15) return;
  const int r = std::max(1, static_cast<int>(std::ceil(sigma * 2.5)));
  std::vector<float> k(static_cast<std::size_t>(2 * r + 1));
  float sum = 0;
  for (int i = -r; i <= r; ++i) sum += k[static_cast<std::size_t>(i + r)] = static_cast<float>(std::exp(-(i * i) / (2 * sigma * sigma)));
  for (auto& v : k) v /= sum;
  std::vector<float> tmp(img.size());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      float acc = 0;
      for (int i = -r; i <= r; ++i) acc += k[static_cast<std::size_t>(i + r)] * img[static_cast<std::size_t>(y) * w + std::clamp(x + i, 0, w - 1)];
      tmp[static_cast<std::size_t>(y) * w + x] = acc;
    }
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      float acc = 0;
      for (int i = -r; i <= r; ++i) acc += k[static_cast<std::size_t>(i + r)] * tmp[static_cast<std::size_t>(std::clamp(y + i, 0, h - 1)) * w + x];
      img[static_cast<std::size_t>(y) * w + x] = acc;
    }
}

}  // namespace

BarcodeFormat labelFormat(handheld::ScanTarget target, std::string_view text, std::mt19937& rng) {
  std::uniform_real_distribution<double> coin(0, 1);
  switch (target) {
    case handheld::ScanTarget::Item:
      if (allDigits(text) && handheld::hasValidGs1CheckDigit(text)) {
        if (text.size() == 13) return BarcodeFormat::Ean13;
        if (text.size() == 12) return BarcodeFormat::UpcA;
        if (text.size() == 8) return BarcodeFormat::Ean8;
        if (text.size() == 14) return BarcodeFormat::Itf;
      }
      return coin(rng) < 0.3 ? BarcodeFormat::DataMatrix : BarcodeFormat::Code128;
    case handheld::ScanTarget::Location:
      return coin(rng) < 0.25 ? BarcodeFormat::QrCode : BarcodeFormat::Code128;
    case handheld::ScanTarget::Tote:
      return code39Text(text) && coin(rng) < 0.3 ? BarcodeFormat::Code39 : BarcodeFormat::Code128;
  }
  return BarcodeFormat::Code128;
}

std::string gs1_128WriterText(std::string_view elementString) {
  // ZXing's Code 128 writer reads U+00F1 as FNC1 (UTF-8 here: ZX_USE_UTF8).
  const std::string fnc1 = "\xC3\xB1";
  std::string out = fnc1;
  for (char c : elementString) {
    if (c == '\x1D') out += fnc1;
    else out += c;
  }
  return out;
}

Result<handheld::Frame> renderLabel(BarcodeFormat format, std::string_view text, const CameraLook& look,
                                    std::mt19937& rng) {
  auto grid = encode(format, text);
  if (!grid) return grid.error();
  const bool linear = grid->height == 1;
  std::uniform_real_distribution<double> u(0, 1);
  auto between = [&](double a, double b) { return a + (b - a) * u(rng); };

  const int w = look.width, h = look.height;
  // Module size: drawn from the look, shrunk until the symbol fits in 80%
  // of the shorter side at any tilt.
  double m = between(look.moduleMin, look.moduleMax) * (linear ? 1.0 : 1.6);
  const double fitW = 0.8 * std::min(w, h) / (linear ? 1.0 : 1.0);
  const double span = linear ? grid->width : std::max(grid->width, grid->height);
  if (span * m > (linear ? 0.85 * w : fitW)) m = (linear ? 0.85 * w : fitW) / span;
  const double symW = grid->width * m;
  const double symH = linear ? std::clamp(0.35 * symW, 40.0, 0.45 * h) : grid->height * m;
  const double angle = between(-look.maxTiltDegrees, look.maxTiltDegrees) * std::numbers::pi / 180.0;
  const double cs = std::cos(angle), sn = std::sin(angle);
  const double cx = w / 2.0 + between(-0.05, 0.05) * w, cy = h / 2.0 + between(-0.05, 0.05) * h;
  const double paper = between(look.paperMin, look.paperMax);
  const double ink = between(10, look.inkMax);
  const double background = between(60, 130);
  const double border = 6 * m;  // label paper around the quiet zone

  std::vector<float> img(static_cast<std::size_t>(w) * h);
  // Two-by-two supersampling smooths the bar edges as a lens would.
  static const double offsets[2] = {0.25, 0.75};
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double acc = 0;
      for (double oy : offsets)
        for (double ox : offsets) {
          const double dx = x + ox - cx, dy = y + oy - cy;
          const double sx = cs * dx + sn * dy + symW / 2, sy = -sn * dx + cs * dy + symH / 2;
          double v;
          if (sx < -border || sy < -border || sx >= symW + border || sy >= symH + border) {
            v = background + 20 * std::sin(x * 0.05) * std::cos(y * 0.07);
          } else if (sx < 0 || sy < 0 || sx >= symW || sy >= symH) {
            v = paper;
          } else {
            const int mx = std::min(grid->width - 1, static_cast<int>(sx / m));
            const int my = linear ? 0 : std::min(grid->height - 1, static_cast<int>(sy / m));
            v = grid->at(mx, my) ? ink : paper;
          }
          acc += v;
        }
      img[static_cast<std::size_t>(y) * w + x] = static_cast<float>(acc / 4);
    }
  blur(img, w, h, between(0.2, look.blurMax));
  std::normal_distribution<double> noise(0, between(1, look.noiseMax));
  const double fall = between(0, 0.25);  // light falling off across the frame
  std::vector<std::uint8_t> pixels(img.size());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double light = 1.0 - fall * x / w;
      const double v = img[static_cast<std::size_t>(y) * w + x] * light + noise(rng);
      pixels[static_cast<std::size_t>(y) * w + x] = static_cast<std::uint8_t>(std::clamp(v, 0.0, 255.0));
    }
  return handheld::Frame::fromPixels(w, h, std::move(pixels));
}

}  // namespace wms::sim
