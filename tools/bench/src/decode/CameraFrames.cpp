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

// Averages each pixel in x0..x1, y0..y1 along a straight path of `dx, dy`
// pixels centred on it: what a moving scene leaves on one exposure. Only
// the label's surroundings need it: the background's texture is smooth
// (waves of 125 px and more), and it keeps a frame's cost near a still one's.
void motionBlur(std::vector<double>& img, int w, int h, double dx, double dy, int x0, int y0, int x1,
                int y1) {
  const double length = std::hypot(dx, dy);
  if (length < 0.75) return;
  const int n = static_cast<int>(std::ceil(length)) + 1;
  x0 = std::max(0, x0), y0 = std::max(0, y0), x1 = std::min(w - 1, x1), y1 = std::min(h - 1, y1);
  std::vector<double> out = img;
  auto px = [&](int x, int y) {
    return img[static_cast<std::size_t>(std::clamp(y, 0, h - 1) * w + std::clamp(x, 0, w - 1))];
  };
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) {
      double s = 0;
      for (int i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / (n - 1) - 0.5;
        const double sx = x + t * dx, sy = y + t * dy;
        const int ix = static_cast<int>(std::floor(sx)), iy = static_cast<int>(std::floor(sy));
        const double fx = sx - ix, fy = sy - iy;
        s += (1 - fy) * ((1 - fx) * px(ix, iy) + fx * px(ix + 1, iy)) +
             fy * ((1 - fx) * px(ix, iy + 1) + fx * px(ix + 1, iy + 1));
      }
      out[static_cast<std::size_t>(y * w + x)] = s / n;
    }
  img.swap(out);
}

// Draws `symbol` with its corners at `dst` (frame pixels) on the scene, then
// blur (defocus, then motion of `motionX, motionY` pixels during the
// exposure), light fall-off and sensor noise.
GreyImage render(const GreyImage& symbol, const std::array<double, 8>& dst, const Distortion& d,
                 const Scene& scene, double motionX, double motionY, std::mt19937_64& rng) {
  std::array<double, 8> src = {
      0, 0, double(symbol.width), 0, double(symbol.width), double(symbol.height), 0, double(symbol.height)};
  Mat3 inv = homography(dst, src);  // frame -> symbol
  const auto& waves = scene.waves;
  std::vector<double> img(static_cast<std::size_t>(kFrameWidth * kFrameHeight));
  double margin = 8 * kSourceModulePixels;  // label paper beyond the quiet zone
  for (int y = 0; y < kFrameHeight; ++y) {
    for (int x = 0; x < kFrameWidth; ++x) {
      double bg = scene.bgLevel + 18 * std::sin(waves[0] * x + waves[1] * y + waves[2]) +
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
  if (motionX != 0 || motionY != 0) {
    // The label (symbol and its paper) and how far it smears.
    const double scale = d.modulePixels / kSourceModulePixels,
                 pad = 8 * kSourceModulePixels * scale * 1.5 + std::hypot(motionX, motionY) + 2;
    double minX = dst[0], maxX = dst[0], minY = dst[1], maxY = dst[1];
    for (std::size_t i = 0; i < 4; ++i)
      minX = std::min(minX, dst[2 * i]), maxX = std::max(maxX, dst[2 * i]),
      minY = std::min(minY, dst[2 * i + 1]), maxY = std::max(maxY, dst[2 * i + 1]);
    motionBlur(img, kFrameWidth, kFrameHeight, motionX, motionY, static_cast<int>(minX - pad),
               static_cast<int>(minY - pad), static_cast<int>(maxX + pad), static_cast<int>(maxY + pad));
  }

  std::normal_distribution<double> noise(0, d.noiseSigma);
  GreyImage out;
  out.width = kFrameWidth;
  out.height = kFrameHeight;
  out.pixels.resize(img.size());
  double nx = std::cos(scene.shadeAngle), ny = std::sin(scene.shadeAngle);
  for (int y = 0; y < kFrameHeight; ++y)
    for (int x = 0; x < kFrameWidth; ++x) {
      double ramp =
          0.5 + 0.5 * ((x - kFrameWidth / 2.0) * nx + (y - kFrameHeight / 2.0) * ny) / (kFrameWidth / 2.0);
      auto i = static_cast<std::size_t>(y * kFrameWidth + x);
      double v = img[i] * (1 - d.shading * std::clamp(ramp, 0.0, 1.0)) + noise(rng);
      out.pixels[i] = static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
    }
  return out;
}

// The symbol's corners for a centre, angle and module size, each corner
// pulled by up to `perspective` of the symbol's extent (`pulls`: 8 values in
// -1..1).
std::array<double, 8> corners(const GreyImage& symbol, double cx, double cy, double angle, double scale,
                              double perspective, const std::array<double, 8>& pulls) {
  std::array<double, 8> src = {
      0, 0, double(symbol.width), 0, double(symbol.width), double(symbol.height), 0, double(symbol.height)};
  std::array<double, 8> dst{};
  double symbolW = symbol.width * scale, symbolH = symbol.height * scale;
  double extent = std::max(symbolW, symbolH);
  for (std::size_t i = 0; i < 4; ++i) {
    double x = src[2 * i] * scale - symbolW / 2;
    double y = src[2 * i + 1] * scale - symbolH / 2;
    double rx = x * std::cos(angle) - y * std::sin(angle);
    double ry = x * std::sin(angle) + y * std::cos(angle);
    dst[2 * i] = cx + rx + pulls[2 * i] * perspective * extent;
    dst[2 * i + 1] = cy + ry + pulls[2 * i + 1] * perspective * extent;
  }
  return dst;
}

// A random pose, light and blur, as makeCameraFrame draws them. The order of
// the draws is what fixes the frames of a seed; keep it.
struct Shot {
  Distortion d;
  double cx = 0, cy = 0;
  std::array<double, 8> pulls{};
  Scene scene;
};

Shot drawShot(const GreyImage& symbol, bool matrix, std::mt19937_64& rng) {
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  Shot shot;
  Distortion& d = shot.d;

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
  shot.cx = kFrameWidth / 2.0 + uniform(-1, 1) * std::min(roomX, 0.1 * kFrameWidth);
  shot.cy = kFrameHeight / 2.0 + uniform(-1, 1) * std::min(roomY, 0.1 * kFrameHeight);
  for (auto& p : shot.pulls) p = uniform(-1, 1);

  // Light: paper and ink levels from crisp to washed out.
  d.paper = static_cast<int>(uniform(150, 240));
  double contrast = uniform(0.2, 0.8);
  d.ink = static_cast<int>(d.paper * (1 - contrast));
  d.shading = uniform(0.0, 0.35);
  shot.scene.shadeAngle = uniform(0, 2 * std::numbers::pi);
  d.blurSigma = uniform(0.15, 0.45) * d.modulePixels;
  d.noiseSigma = uniform(2, 10);

  // Background: a darker or lighter desk/shelf with slow texture and clutter.
  shot.scene.bgLevel = uniform(40, 200);
  shot.scene.waves = {uniform(0.005, 0.03), uniform(0.005, 0.03), uniform(0, 6.3),
                      uniform(0.01, 0.05),  uniform(0.01, 0.05),  uniform(0, 6.3)};
  return shot;
}

}  // namespace

CameraFrame makeCameraFrame(const GreyImage& symbol, bool matrix, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Shot shot = drawShot(symbol, matrix, rng);
  const double scale = shot.d.modulePixels / kSourceModulePixels;
  auto dst = corners(symbol, shot.cx, shot.cy, shot.d.angleDegrees * std::numbers::pi / 180, scale,
                     shot.d.perspective, shot.pulls);
  CameraFrame out;
  out.distortion = shot.d;
  out.image = render(symbol, dst, shot.d, shot.scene, 0, 0, rng);
  return out;
}

SymbolStream::SymbolStream(const GreyImage& symbol, bool matrix, std::uint64_t seed, int frames)
    : symbol_(symbol), frames_(frames) {
  std::mt19937_64 rng(seed);
  Shot shot = drawShot(symbol, matrix, rng);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  rest_ = shot.d;
  scene_ = shot.scene;
  restX_ = shot.cx;
  restY_ = shot.cy;
  pulls_ = shot.pulls;
  // The hand comes in from one side, 250-450 px away, turned 15-40 degrees
  // further and 25-40% smaller (farther), and settles with a time constant
  // of 0.15-0.35 s, then trembles by a few pixels.
  const double from = uniform(0, 2 * std::numbers::pi), distance = uniform(250, 450);
  startDx_ = distance * std::cos(from);
  startDy_ = distance * std::sin(from);
  startTurn_ = (uniform(0, 1) < 0.5 ? -1 : 1) * uniform(15, 40);
  startScale_ = 1 - uniform(0.25, 0.4);
  tauSeconds_ = uniform(0.15, 0.35);
  tremor_ = uniform(1, 4);
  tremorPhase_ = uniform(0, 2 * std::numbers::pi);
  noiseSeed_ = rng();
}

StreamPose SymbolStream::pose(double t) const {
  const double k = std::exp(-t / tauSeconds_);
  StreamPose p;
  p.x = restX_ + startDx_ * k + tremor_ * std::sin(2 * std::numbers::pi * 5 * t + tremorPhase_);
  p.y = restY_ + startDy_ * k + tremor_ * std::cos(2 * std::numbers::pi * 4 * t + tremorPhase_);
  p.angleDegrees = rest_.angleDegrees + startTurn_ * k;
  p.scale = 1 - (1 - startScale_) * k;
  return p;
}

CameraFrame SymbolStream::frame(int index) const {
  const double t = index / kFramesPerSecond;
  const StreamPose p = pose(t);
  // Motion during the exposure (half the frame interval): where the centre
  // goes in that time.
  const double exposure = 0.5 / kFramesPerSecond;
  const StreamPose a = pose(t - exposure / 2), b = pose(t + exposure / 2);
  Distortion d = rest_;
  d.modulePixels = rest_.modulePixels * p.scale;
  d.angleDegrees = p.angleDegrees;
  d.blurSigma = rest_.blurSigma * p.scale;
  d.motionPixels = std::hypot(b.x - a.x, b.y - a.y);
  const double scale = d.modulePixels / kSourceModulePixels;
  auto dst =
      corners(symbol_, p.x, p.y, p.angleDegrees * std::numbers::pi / 180, scale, d.perspective, pulls_);
  std::mt19937_64 rng(noiseSeed_ + static_cast<std::uint64_t>(index));
  CameraFrame out;
  out.distortion = d;
  out.image = render(symbol_, dst, d, scene_, b.x - a.x, b.y - a.y, rng);
  return out;
}

std::string describe(const Distortion& d) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "module %.1fpx, angle %.0f deg, perspective %.2f, blur %.1fpx, noise %.1f, paper %d ink %d, "
                "shading %.2f, motion %.1fpx",
                d.modulePixels, d.angleDegrees, d.perspective, d.blurSigma, d.noiseSigma, d.paper, d.ink,
                d.shading, d.motionPixels);
  return buf;
}

}  // namespace wms::bench
