#include "CameraFrames.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>

namespace wms::bench {
namespace {

constexpr int kFrameWidth = 1280;
constexpr int kFrameHeight = 720;
constexpr double kSourceModulePixels = 2.0;  // zint --scale=1

using Mat3 = std::array<double, 9>;

// Solves the 8 unknowns of the homography that maps src[i] to dst[i].
Mat3 homography(const std::array<double, 8>& src, const std::array<double, 8>& dst) {
  double a[8][9] = {};
  for (int i = 0; i < 4; ++i) {
    double x = src[2 * i], y = src[2 * i + 1], u = dst[2 * i], v = dst[2 * i + 1];
    double r0[9] = {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
    double r1[9] = {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    std::copy(r0, r0 + 9, a[2 * i]);
    std::copy(r1, r1 + 9, a[2 * i + 1]);
  }
  for (int col = 0; col < 8; ++col) {
    int pivot = col;
    for (int r = col + 1; r < 8; ++r)
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    std::swap(a[col], a[pivot]);
    for (int r = 0; r < 8; ++r) {
      if (r == col) continue;
      double f = a[r][col] / a[col][col];
      for (int c = col; c < 9; ++c) a[r][c] -= f * a[col][c];
    }
  }
  Mat3 h{};
  for (int i = 0; i < 8; ++i) h[static_cast<std::size_t>(i)] = a[i][8] / a[i][i];
  h[8] = 1;
  return h;
}

void gaussianBlur(std::vector<double>& img, int w, int h, double sigma) {
  if (sigma < 0.2) return;
  int radius = static_cast<int>(std::ceil(3 * sigma));
  std::vector<double> k(static_cast<std::size_t>(2 * radius + 1));
  double sum = 0;
  for (int i = -radius; i <= radius; ++i)
    sum += k[static_cast<std::size_t>(i + radius)] = std::exp(-i * i / (2 * sigma * sigma));
  for (auto& v : k) v /= sum;
  std::vector<double> tmp(img.size());
  auto at = [](int v, int n) { return std::clamp(v, 0, n - 1); };
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int i = -radius; i <= radius; ++i)
        s += k[static_cast<std::size_t>(i + radius)] * img[static_cast<std::size_t>(y * w + at(x + i, w))];
      tmp[static_cast<std::size_t>(y * w + x)] = s;
    }
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int i = -radius; i <= radius; ++i)
        s += k[static_cast<std::size_t>(i + radius)] * tmp[static_cast<std::size_t>(at(y + i, h) * w + x)];
      img[static_cast<std::size_t>(y * w + x)] = s;
    }
}

}  // namespace

CameraFrame makeCameraFrame(const GreyImage& symbol, bool matrix, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  Distortion d;

  // Size: a picker holds the scanner 10-40 cm away; modules of 1.5-3.5 px
  // for linear symbols, 3-8 px for matrix symbols.
  d.modulePixels = matrix ? uniform(3.0, 8.0) : uniform(1.5, 3.5);
  double scale = d.modulePixels / kSourceModulePixels;

  // Orientation: any quarter turn plus a tilt, as a hand holds it.
  d.angleDegrees = 90.0 * std::uniform_int_distribution<int>(0, 3)(rng) + uniform(-25, 25);
  double angle = d.angleDegrees * std::numbers::pi / 180;
  d.perspective = uniform(0.0, 0.08);

  // The picker aims at the whole symbol: shrink it (smaller modules) until
  // it fits in the frame with the tilt and perspective.
  double ca = std::abs(std::cos(angle)), sa = std::abs(std::sin(angle));
  double fitW = (symbol.width * ca + symbol.height * sa) * scale;
  double fitH = (symbol.width * sa + symbol.height * ca) * scale;
  double slack = 1.0 + 2.5 * d.perspective;
  double shrink = std::min({1.0, 0.9 * kFrameWidth / (fitW * slack), 0.9 * kFrameHeight / (fitH * slack)});
  scale *= shrink;
  d.modulePixels = scale * kSourceModulePixels;
  double symbolW = symbol.width * scale, symbolH = symbol.height * scale;
  double roomX = std::max(0.0, (kFrameWidth - (symbolW * ca + symbolH * sa) * slack) / 2);
  double roomY = std::max(0.0, (kFrameHeight - (symbolW * sa + symbolH * ca) * slack) / 2);
  double cx = kFrameWidth / 2.0 + uniform(-1, 1) * std::min(roomX, 0.1 * kFrameWidth);
  double cy = kFrameHeight / 2.0 + uniform(-1, 1) * std::min(roomY, 0.1 * kFrameHeight);

  // Corners of the symbol in the frame: rotate, then pull each corner a bit.
  std::array<double, 8> src = {
      0, 0, double(symbol.width), 0, double(symbol.width), double(symbol.height), 0, double(symbol.height)};
  std::array<double, 8> dst{};
  double extent = std::max(symbolW, symbolH);
  for (int i = 0; i < 4; ++i) {
    double x = src[static_cast<std::size_t>(2 * i)] * scale - symbolW / 2;
    double y = src[static_cast<std::size_t>(2 * i + 1)] * scale - symbolH / 2;
    double rx = x * std::cos(angle) - y * std::sin(angle);
    double ry = x * std::sin(angle) + y * std::cos(angle);
    dst[static_cast<std::size_t>(2 * i)] = cx + rx + uniform(-1, 1) * d.perspective * extent;
    dst[static_cast<std::size_t>(2 * i + 1)] = cy + ry + uniform(-1, 1) * d.perspective * extent;
  }
  Mat3 inv = homography(dst, src);  // frame -> symbol

  // Light: paper and ink levels from crisp to washed out.
  d.paper = static_cast<int>(uniform(150, 240));
  double contrast = uniform(0.2, 0.8);
  d.ink = static_cast<int>(d.paper * (1 - contrast));
  d.shading = uniform(0.0, 0.35);
  double shadeAngle = uniform(0, 2 * std::numbers::pi);
  d.blurSigma = uniform(0.15, 0.45) * d.modulePixels;
  d.noiseSigma = uniform(2, 10);

  // Background: a darker or lighter desk/shelf with slow texture and clutter.
  double bgLevel = uniform(40, 200);
  std::array<double, 6> waves{uniform(0.005, 0.03), uniform(0.005, 0.03), uniform(0, 6.3),
                              uniform(0.01, 0.05),  uniform(0.01, 0.05),  uniform(0, 6.3)};
  std::vector<double> img(static_cast<std::size_t>(kFrameWidth * kFrameHeight));
  double margin = 8 * kSourceModulePixels;  // label paper beyond the quiet zone
  for (int y = 0; y < kFrameHeight; ++y) {
    for (int x = 0; x < kFrameWidth; ++x) {
      double bg = bgLevel + 18 * std::sin(waves[0] * x + waves[1] * y + waves[2]) +
                  10 * std::sin(waves[3] * x - waves[4] * y + waves[5]);
      double w = inv[6] * x + inv[7] * y + inv[8];
      double u = (inv[0] * x + inv[1] * y + inv[2]) / w;
      double v = (inv[3] * x + inv[4] * y + inv[5]) / w;
      double value = bg;
      if (u >= -margin && v >= -margin && u < symbol.width + margin && v < symbol.height + margin) {
        double s = 1.0;  // paper
        if (u >= 0 && v >= 0 && u < symbol.width - 1 && v < symbol.height - 1) {
          int iu = static_cast<int>(u), iv = static_cast<int>(v);
          double fu = u - iu, fv = v - iv;
          auto px = [&](int xx, int yy) {
            return symbol.pixels[static_cast<std::size_t>(yy * symbol.width + xx)] / 255.0;
          };
          s = (1 - fv) * ((1 - fu) * px(iu, iv) + fu * px(iu + 1, iv)) +
              fv * ((1 - fu) * px(iu, iv + 1) + fu * px(iu + 1, iv + 1));
        }
        value = d.ink + s * (d.paper - d.ink);
      }
      img[static_cast<std::size_t>(y * kFrameWidth + x)] = value;
    }
  }
  gaussianBlur(img, kFrameWidth, kFrameHeight, d.blurSigma);

  std::normal_distribution<double> noise(0, d.noiseSigma);
  CameraFrame out;
  out.distortion = d;
  out.image.width = kFrameWidth;
  out.image.height = kFrameHeight;
  out.image.pixels.resize(img.size());
  double nx = std::cos(shadeAngle), ny = std::sin(shadeAngle);
  for (int y = 0; y < kFrameHeight; ++y)
    for (int x = 0; x < kFrameWidth; ++x) {
      double ramp =
          0.5 + 0.5 * ((x - kFrameWidth / 2.0) * nx + (y - kFrameHeight / 2.0) * ny) / (kFrameWidth / 2.0);
      auto i = static_cast<std::size_t>(y * kFrameWidth + x);
      double v = img[i] * (1 - d.shading * std::clamp(ramp, 0.0, 1.0)) + noise(rng);
      out.image.pixels[i] = static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
    }
  return out;
}

std::string describe(const Distortion& d) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "module %.1fpx, angle %.0f deg, perspective %.2f, blur %.1fpx, noise %.1f, paper %d ink %d, "
                "shading %.2f",
                d.modulePixels, d.angleDegrees, d.perspective, d.blurSigma, d.noiseSigma, d.paper, d.ink,
                d.shading);
  return buf;
}

}  // namespace wms::bench
