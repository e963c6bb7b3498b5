#include "Enhance.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <numeric>

namespace wms::handheld::detail {
namespace {

std::uint8_t clampByte(double v) {
  return static_cast<std::uint8_t>(std::clamp(v + 0.5, 0.0, 255.0));
}

}  // namespace

Affine Affine::inverse() const {
  const double det = a * e - b * d;
  if (std::abs(det) < 1e-12) return Affine{};
  Affine r;
  r.a = e / det;
  r.b = -b / det;
  r.d = -d / det;
  r.e = a / det;
  r.c = -(r.a * c + r.b * f);
  r.f = -(r.d * c + r.e * f);
  return r;
}

GreyImage stretchContrast(GreyView v, double lowFraction, double highFraction) {
  GreyImage out(v.width, v.height);
  if (v.width <= 0 || v.height <= 0) return out;
  std::array<std::int64_t, 256> hist{};
  for (int y = 0; y < v.height; ++y)
    for (int x = 0; x < v.width; ++x) ++hist[v.at(x, y)];
  const auto n = static_cast<std::int64_t>(v.width) * v.height;
  const auto lowCount = static_cast<std::int64_t>(lowFraction * static_cast<double>(n));
  const auto highCount = static_cast<std::int64_t>((1.0 - highFraction) * static_cast<double>(n));
  int lo = 0, hi = 255;
  for (std::int64_t c = 0; lo < 255 && (c += hist[static_cast<std::size_t>(lo)]) <= lowCount;) ++lo;
  for (std::int64_t c = 0; hi > 0 && (c += hist[static_cast<std::size_t>(hi)]) <= highCount;) --hi;
  if (hi <= lo) hi = std::min(255, lo + 1);
  std::array<std::uint8_t, 256> lut{};
  for (int i = 0; i < 256; ++i) lut[static_cast<std::size_t>(i)] = clampByte((i - lo) * 255.0 / (hi - lo));
  for (int y = 0; y < v.height; ++y)
    for (int x = 0; x < v.width; ++x) out.at(x, y) = lut[v.at(x, y)];
  return out;
}

GreyImage downscale2(GreyView v) {
  GreyImage out(v.width / 2, v.height / 2);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x)
      out.at(x, y) = static_cast<std::uint8_t>((v.at(2 * x, 2 * y) + v.at(2 * x + 1, 2 * y) +
                                                v.at(2 * x, 2 * y + 1) + v.at(2 * x + 1, 2 * y + 1) + 2) /
                                               4);
  return out;
}

GreyImage localNormalize(GreyView v, int radius) {
  GreyImage out(v.width, v.height);
  if (v.width <= 0 || v.height <= 0) return out;
  const int w = v.width, h = v.height, W = w + 1;
  // Integral images of values and squares: each window mean and spread in O(1).
  std::vector<std::int64_t> sum(static_cast<std::size_t>(W) * (h + 1)), sq(sum.size());
  for (int y = 0; y < h; ++y) {
    std::int64_t rs = 0, rq = 0;
    for (int x = 0; x < w; ++x) {
      int p = v.at(x, y);
      rs += p;
      rq += p * p;
      auto i = static_cast<std::size_t>(y + 1) * W + x + 1;
      sum[i] = sum[i - W] + rs;
      sq[i] = sq[i - W] + rq;
    }
  }
  for (int y = 0; y < h; ++y) {
    const int y0 = std::max(0, y - radius), y1 = std::min(h, y + radius + 1);
    for (int x = 0; x < w; ++x) {
      const int x0 = std::max(0, x - radius), x1 = std::min(w, x + radius + 1);
      auto at = [&](const std::vector<std::int64_t>& t, int xx, int yy) {
        return t[static_cast<std::size_t>(yy) * W + xx];
      };
      const double count = static_cast<double>((x1 - x0) * (y1 - y0));
      const double s =
          static_cast<double>(at(sum, x1, y1) - at(sum, x0, y1) - at(sum, x1, y0) + at(sum, x0, y0));
      const double q = static_cast<double>(at(sq, x1, y1) - at(sq, x0, y1) - at(sq, x1, y0) + at(sq, x0, y0));
      const double mean = s / count;
      const double sd = std::sqrt(std::max(0.0, q / count - mean * mean));
      // A floor on the spread keeps flat paper from turning into amplified noise.
      out.at(x, y) = clampByte(128 + 60.0 * (v.at(x, y) - mean) / std::max(sd, 6.0));
    }
  }
  return out;
}

GreyImage smoothAlongBars(GreyView v, int radius, int step) {
  step = std::max(1, step);
  radius = std::max(0, radius);
  GreyImage out(v.width, v.height > 0 ? (v.height + step - 1) / step : 0);
  if (v.width <= 0 || v.height <= 0) return out;
  // Running column sums: O(1) per pixel whatever the radius.
  std::vector<int> sum(static_cast<std::size_t>(v.width), 0);
  auto addRow = [&](int y, int sign) {
    for (int x = 0; x < v.width; ++x) sum[static_cast<std::size_t>(x)] += sign * v.at(x, y);
  };
  for (int y = 0; y < std::min(radius, v.height); ++y) addRow(y, 1);
  for (int y = 0; y < v.height; ++y) {
    if (y + radius < v.height) addRow(y + radius, 1);
    if (y - radius - 1 >= 0) addRow(y - radius - 1, -1);
    if (y % step != 0) continue;
    const int count = std::min(v.height - 1, y + radius) - std::max(0, y - radius) + 1;
    // The rounded mean; the division in double is exact here and, unlike
    // an int division, vectorises.
    const double divisor = count;
    std::uint8_t* dst = &out.at(0, y / step);
    for (int x = 0; x < v.width; ++x)
      dst[x] = static_cast<std::uint8_t>(static_cast<double>(sum[static_cast<std::size_t>(x)] + count / 2) /
                                         divisor);
  }
  return out;
}

namespace {

// A normalised Gaussian of `sigma` pixels, 3 sigma each side.
std::vector<double> gaussianKernel(double sigma, int& radius) {
  radius = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<double> kernel(static_cast<std::size_t>(2 * radius + 1));
  double total = 0;
  for (int i = -radius; i <= radius; ++i)
    total += kernel[static_cast<std::size_t>(i + radius)] = std::exp(-i * i / (2 * sigma * sigma));
  for (auto& k : kernel) k /= total;
  return kernel;
}

}  // namespace

GreyImage sharpen(GreyView v, double sigma, double amount) {
  GreyImage out(v.width, v.height);
  if (v.width <= 0 || v.height <= 0) return out;
  int radius = 0;
  const std::vector<double> kd = gaussianKernel(sigma, radius);
  const std::vector<float> kernel(kd.begin(), kd.end());
  const int w = v.width, h = v.height;
  // Rows first into a padded buffer (edges repeated), then columns, so that
  // the inner loops need no clamping.
  const int pw = w + 2 * radius;
  std::vector<float> line(static_cast<std::size_t>(pw));
  std::vector<float> rows(static_cast<std::size_t>(w) * static_cast<std::size_t>(h + 2 * radius));
  auto rowAt = [&](int y) { return rows.data() + static_cast<std::ptrdiff_t>(y + radius) * w; };
  for (int y = 0; y < h; ++y) {
    for (int x = -radius; x < w + radius; ++x)
      line[static_cast<std::size_t>(x + radius)] = v.at(std::clamp(x, 0, w - 1), y);
    float* dst = rowAt(y);
    for (int x = 0; x < w; ++x) {
      float s = 0;
      const float* p = line.data() + x;
      for (std::size_t i = 0; i < kernel.size(); ++i) s += kernel[i] * p[i];
      dst[x] = s;
    }
  }
  for (int r = 1; r <= radius; ++r) {
    std::copy(rowAt(0), rowAt(0) + w, rowAt(-r));
    std::copy(rowAt(h - 1), rowAt(h - 1) + w, rowAt(h - 1 + r));
  }
  std::vector<float> blurred(static_cast<std::size_t>(w));
  for (int y = 0; y < h; ++y) {
    std::fill(blurred.begin(), blurred.end(), 0.0f);
    for (int i = -radius; i <= radius; ++i) {
      const float k = kernel[static_cast<std::size_t>(i + radius)];
      const float* src = rowAt(y + i);
      for (int x = 0; x < w; ++x) blurred[static_cast<std::size_t>(x)] += k * src[x];
    }
    for (int x = 0; x < w; ++x) {
      const double p = v.at(x, y);
      out.at(x, y) = clampByte(p + amount * (p - blurred[static_cast<std::size_t>(x)]));
    }
  }
  return out;
}

double estimateBlurSigma(GreyView v) {
  if (v.width < 3 || v.height < 3) return 0;
  std::array<std::int64_t, 256> levels{};
  for (int y = 0; y < v.height; ++y)
    for (int x = 0; x < v.width; ++x) ++levels[v.at(x, y)];
  const auto n = static_cast<std::int64_t>(v.width) * v.height;
  auto level = [&](double fraction) {
    std::int64_t seen = 0;
    for (int i = 0; i < 256; ++i)
      if ((seen += levels[static_cast<std::size_t>(i)]) >
          static_cast<std::int64_t>(fraction * static_cast<double>(n)))
        return i;
    return 255;
  };
  const double contrast = level(0.95) - level(0.05);
  // Sobel magnitudes in quarter grey levels per pixel (a Sobel sum is 8
  // times the slope): a histogram is enough for the percentile.
  std::vector<std::int64_t> slopes(4 * 256 + 1, 0);
  for (int y = 1; y < v.height - 1; ++y)
    for (int x = 1; x < v.width - 1; ++x) {
      const int gx = (v.at(x + 1, y - 1) + 2 * v.at(x + 1, y) + v.at(x + 1, y + 1)) -
                     (v.at(x - 1, y - 1) + 2 * v.at(x - 1, y) + v.at(x - 1, y + 1));
      const int gy = (v.at(x - 1, y + 1) + 2 * v.at(x, y + 1) + v.at(x + 1, y + 1)) -
                     (v.at(x - 1, y - 1) + 2 * v.at(x, y - 1) + v.at(x + 1, y - 1));
      const double slope = std::sqrt(static_cast<double>(gx * gx + gy * gy)) / 8;
      ++slopes[static_cast<std::size_t>(std::min(4.0 * 256, std::round(4 * slope)))];
    }
  const auto inner = static_cast<std::int64_t>(v.width - 2) * (v.height - 2);
  std::int64_t seen = 0;
  std::size_t bin = 0;
  while (bin + 1 < slopes.size() &&
         (seen += slopes[bin]) <= static_cast<std::int64_t>(0.99 * static_cast<double>(inner)))
    ++bin;
  const double steepest = static_cast<double>(bin) / 4;
  if (steepest <= 0 || contrast <= 0) return 0;
  return contrast / (std::sqrt(2 * std::numbers::pi) * steepest);
}

namespace {

// The Wiener filter of a Gaussian blur across one direction, as taps
// -radius..radius: the inverse transform of H / (H^2 + noiseToSignal) over
// 256 frequencies (the filter is real and even: a cosine sum), scaled so
// that the taps sum to 1.
std::vector<float> wienerKernel(double sigma, double noiseToSignal, int& radius) {
  constexpr int kFrequencies = 256;
  radius = std::max(2, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<double> response(kFrequencies);
  for (int k = 0; k < kFrequencies; ++k) {
    const double f = static_cast<double>(k <= kFrequencies / 2 ? k : k - kFrequencies) / kFrequencies;
    const double h = std::exp(-2 * std::numbers::pi * std::numbers::pi * sigma * sigma * f * f);
    response[static_cast<std::size_t>(k)] = h / (h * h + noiseToSignal);
  }
  std::vector<double> taps(static_cast<std::size_t>(2 * radius + 1));
  double total = 0;
  for (int n = -radius; n <= radius; ++n) {
    double t = 0;
    for (int k = 0; k < kFrequencies; ++k)
      t += response[static_cast<std::size_t>(k)] * std::cos(2 * std::numbers::pi * k * n / kFrequencies);
    total += taps[static_cast<std::size_t>(n + radius)] = t;
  }
  std::vector<float> kernel(taps.size());
  for (std::size_t i = 0; i < taps.size(); ++i) kernel[i] = static_cast<float>(taps[i] / total);
  return kernel;
}

}  // namespace

GreyImage deconvolve(GreyView v, double sigma, double noiseToSignal) {
  GreyImage out(v.width, v.height);
  if (v.width <= 0 || v.height <= 0) return out;
  const int w = v.width, h = v.height;
  if (sigma < 0.1) {
    for (int y = 0; y < h; ++y)
      std::memcpy(&out.at(0, y), v.data + static_cast<std::ptrdiff_t>(y) * v.stride,
                  static_cast<std::size_t>(w));
    return out;
  }
  int radius = 0;
  const std::vector<float> kernel = wienerKernel(sigma, noiseToSignal, radius);
  // Rows first into a buffer with `radius` rows repeated above and below,
  // then columns; taps outside, pixels inside, so that the inner loops run
  // over whole rows (and vectorise) without clamping.
  const auto uw = static_cast<std::size_t>(w);
  std::vector<float> line(uw + 2 * static_cast<std::size_t>(radius));
  std::vector<float> rows(uw * static_cast<std::size_t>(h + 2 * radius), 0.0f);
  auto rowAt = [&](int y) { return rows.data() + static_cast<std::ptrdiff_t>(y + radius) * w; };
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* src = v.data + static_cast<std::ptrdiff_t>(y) * v.stride;
    for (int x = -radius; x < w + radius; ++x)
      line[static_cast<std::size_t>(x + radius)] = src[std::clamp(x, 0, w - 1)];
    float* dst = rowAt(y);
    for (std::size_t i = 0; i < kernel.size(); ++i) {
      const float k = kernel[i];
      const float* p = line.data() + i;
      for (int x = 0; x < w; ++x) dst[x] += k * p[x];
    }
  }
  for (int r = 1; r <= radius; ++r) {
    std::copy(rowAt(0), rowAt(0) + w, rowAt(-r));
    std::copy(rowAt(h - 1), rowAt(h - 1) + w, rowAt(h - 1 + r));
  }
  std::vector<float> sum(uw);
  for (int y = 0; y < h; ++y) {
    std::fill(sum.begin(), sum.end(), 0.0f);
    for (int i = -radius; i <= radius; ++i) {
      const float k = kernel[static_cast<std::size_t>(i + radius)];
      const float* src = rowAt(y + i);
      for (int x = 0; x < w; ++x) sum[static_cast<std::size_t>(x)] += k * src[x];
    }
    std::uint8_t* dst = &out.at(0, y);
    for (int x = 0; x < w; ++x)
      dst[x] = static_cast<std::uint8_t>(std::clamp(sum[static_cast<std::size_t>(x)] + 0.5f, 0.0f, 255.0f));
  }
  return out;
}

std::pair<int, int> barRows(GreyView v, double fraction, int margin) {
  if (v.width < 2 || v.height <= 0) return {0, std::max(0, v.height)};
  std::vector<long> energy(static_cast<std::size_t>(v.height), 0);
  for (int y = 0; y < v.height; ++y) {
    const std::uint8_t* row = v.data + static_cast<std::ptrdiff_t>(y) * v.stride;
    long e = 0;
    for (int x = 1; x < v.width; ++x) e += std::abs(row[x] - row[x - 1]);
    energy[static_cast<std::size_t>(y)] = e;
  }
  const long peak = *std::max_element(energy.begin(), energy.end());
  if (peak <= 0) return {0, v.height};
  const double threshold = fraction * static_cast<double>(peak);
  int bestStart = 0, bestLength = 0;
  for (int y = 0; y < v.height;) {
    if (static_cast<double>(energy[static_cast<std::size_t>(y)]) < threshold) {
      ++y;
      continue;
    }
    int end = y;
    while (end < v.height && static_cast<double>(energy[static_cast<std::size_t>(end)]) >= threshold) ++end;
    if (end - y > bestLength) bestStart = y, bestLength = end - y;
    y = end;
  }
  const int first = std::max(0, bestStart - margin);
  const int last = std::min(v.height, bestStart + bestLength + margin);
  return {first, last - first};
}

GreyImage sharpenAcrossBars(GreyView v, double sigma, double amount) {
  GreyImage out(v.width, v.height);
  if (v.width <= 0 || v.height <= 0) return out;
  // Integer weights summing to exactly 1 << 12 (the centre one takes the
  // rounding), so that the blurred value is a shift, not a division; the
  // kernel is symmetric, so each pair of taps costs one multiply. This runs
  // on every band the along pass reads, where it must cost less than the
  // ZXing call after it.
  int radius = 0;
  const std::vector<double> kernel = gaussianKernel(sigma, radius);
  std::vector<int> weights;  // 1..radius pixels out
  int centre = 4096;
  for (int i = 1; i <= radius; ++i) {
    weights.push_back(static_cast<int>(std::lround(kernel[static_cast<std::size_t>(radius + i)] * 4096)));
    centre -= 2 * weights.back();
  }
  const int w = v.width;
  const int gain = static_cast<int>(std::lround(amount * 256));
  // Each row copied with its edge pixels repeated `radius` times, then
  // summed tap pair by tap pair over the whole row: no clamping inside the
  // loops, which the compiler vectorises.
  std::vector<int> padded(static_cast<std::size_t>(w + 2 * radius));
  std::vector<int> sums(static_cast<std::size_t>(w));
  for (int y = 0; y < v.height; ++y) {
    const std::uint8_t* row = v.data + static_cast<std::ptrdiff_t>(y) * v.stride;
    std::uint8_t* dst = &out.at(0, y);
    for (int x = 0; x < radius; ++x) {
      padded[static_cast<std::size_t>(x)] = row[0];
      padded[static_cast<std::size_t>(w + radius + x)] = row[w - 1];
    }
    for (int x = 0; x < w; ++x) padded[static_cast<std::size_t>(x + radius)] = row[x];
    const int* p = padded.data() + radius;
    for (int x = 0; x < w; ++x) sums[static_cast<std::size_t>(x)] = centre * p[x];
    for (int i = 1; i <= radius; ++i) {
      const int weight = weights[static_cast<std::size_t>(i - 1)];
      for (int x = 0; x < w; ++x) sums[static_cast<std::size_t>(x)] += weight * (p[x - i] + p[x + i]);
    }
    for (int x = 0; x < w; ++x) {
      // p + amount * (p - blurred), in 1/256ths of a grey level.
      const int blurred256 = (sums[static_cast<std::size_t>(x)] + 8) >> 4;
      const int v256 = p[x] * 256 + gain * (p[x] * 256 - blurred256) / 256;
      dst[x] = static_cast<std::uint8_t>(std::clamp((v256 + 128) / 256, 0, 255));
    }
  }
  return out;
}

std::vector<Region> findCandidateRegions(GreyView v, int maxRegions) {
  // Work on 2x2 block means: sensor noise averages out, while bars of
  // 1.5-pixel modules still show (coarser blocks would blur them away).
  constexpr int kScale = 2;
  constexpr int kCell = 8;  // cells of 8x8 small pixels = 16x16 frame pixels
  const int sw = v.width / kScale, sh = v.height / kScale;
  if (sw < 3 * kCell || sh < 3 * kCell || maxRegions <= 0) return {};
  std::vector<float> small(static_cast<std::size_t>(sw) * sh);
  for (int y = 0; y < sh; ++y)
    for (int x = 0; x < sw; ++x) {
      int s = 0;
      for (int dy = 0; dy < kScale; ++dy)
        for (int dx = 0; dx < kScale; ++dx) s += v.at(x * kScale + dx, y * kScale + dy);
      small[static_cast<std::size_t>(y) * sw + x] = static_cast<float>(s) / (kScale * kScale);
    }

  const int cw = sw / kCell, ch = sh / kCell;
  std::vector<double> jxx(static_cast<std::size_t>(cw) * ch), jyy(jxx.size()), jxy(jxx.size());
  auto px = [&](int x, int y) { return small[static_cast<std::size_t>(y) * sw + x]; };
  for (int y = 1; y < sh - 1; ++y)
    for (int x = 1; x < sw - 1; ++x) {
      int cx = x / kCell, cy = y / kCell;
      if (cx >= cw || cy >= ch) continue;
      double gx = (px(x + 1, y - 1) + 2 * px(x + 1, y) + px(x + 1, y + 1)) -
                  (px(x - 1, y - 1) + 2 * px(x - 1, y) + px(x - 1, y + 1));
      double gy = (px(x - 1, y + 1) + 2 * px(x, y + 1) + px(x + 1, y + 1)) -
                  (px(x - 1, y - 1) + 2 * px(x, y - 1) + px(x + 1, y - 1));
      auto i = static_cast<std::size_t>(cy) * cw + cx;
      jxx[i] += gx * gx;
      jyy[i] += gy * gy;
      jxy[i] += gx * gy;
    }

  std::vector<double> energy(jxx.size());
  for (std::size_t i = 0; i < energy.size(); ++i) energy[i] = jxx[i] + jyy[i];
  std::vector<double> sorted = energy;
  auto fifth = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 5);
  std::nth_element(sorted.begin(), fifth, sorted.end());
  const double floor = *fifth;  // background and paper, unless a symbol fills the image
  const double peak = *std::max_element(energy.begin(), energy.end());
  // A cell counts if it has far more edge energy than the quiet fifth of the
  // image and is not negligible next to the strongest; the cap keeps an
  // image that is nearly all symbol (a scan, a close-up) from having none.
  const double threshold = std::max(std::min(6.0 * floor, 0.3 * peak), 0.08 * peak);
  if (peak <= 0) return {};
  std::vector<std::uint8_t> hot(energy.size());
  for (std::size_t i = 0; i < energy.size(); ++i) hot[i] = energy[i] > threshold;

  // Connected groups of hot cells (8-neighbourhood, bridging one-cell gaps).
  std::vector<int> label(energy.size(), -1);
  std::vector<Region> regions;
  std::vector<int> stack, members;
  for (int start = 0; start < cw * ch; ++start) {
    if (!hot[static_cast<std::size_t>(start)] || label[static_cast<std::size_t>(start)] >= 0) continue;
    const int id = static_cast<int>(regions.size());
    int minX = cw, minY = ch, maxX = -1, maxY = -1;
    stack.assign(1, start);
    members.clear();
    label[static_cast<std::size_t>(start)] = id;
    while (!stack.empty()) {
      int c = stack.back();
      stack.pop_back();
      members.push_back(c);
      int cx = c % cw, cy = c / cw;
      minX = std::min(minX, cx), maxX = std::max(maxX, cx), minY = std::min(minY, cy),
      maxY = std::max(maxY, cy);
      for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx) {
          int nx = cx + dx, ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
          auto ni = static_cast<std::size_t>(ny) * cw + nx;
          if (hot[ni] && label[ni] < 0) {
            label[ni] = id;
            stack.push_back(static_cast<int>(ni));
          }
        }
    }
    // Orientation by vote: each cell's own edge direction, weighted by how
    // clearly it has one. Summing tensors instead would let a label's
    // high-contrast border outweigh many fainter bars.
    constexpr int kBins = 90;
    std::array<double, kBins> votes{};
    double total = 0, score = 0;
    for (int c : members) {
      auto ci = static_cast<std::size_t>(c);
      double e = jxx[ci] + jyy[ci];
      if (e <= 0) continue;
      double coherence = std::sqrt((jxx[ci] - jyy[ci]) * (jxx[ci] - jyy[ci]) + 4 * jxy[ci] * jxy[ci]) / e;
      double angle = 0.5 * std::atan2(2 * jxy[ci], jxx[ci] - jyy[ci]);  // -pi/2..pi/2
      int bin = static_cast<int>((angle + std::numbers::pi / 2) / std::numbers::pi * kBins) % kBins;
      double w = std::sqrt(e) * coherence;
      votes[static_cast<std::size_t>(bin)] += w;
      total += std::sqrt(e);
      score += e;
    }
    int peakBin = static_cast<int>(std::max_element(votes.begin(), votes.end()) - votes.begin());
    // The runner-up: the strongest bin at least 20 degrees from the peak.
    int otherBin = -1;
    for (int b = 0; b < kBins; ++b) {
      const int apart = std::min(std::abs(b - peakBin), kBins - std::abs(b - peakBin));
      if (apart >= 10 &&
          (otherBin < 0 || votes[static_cast<std::size_t>(b)] > votes[static_cast<std::size_t>(otherBin)]))
        otherBin = b;
    }
    const double binWidth = std::numbers::pi / kBins;
    double near = 0;
    // The angle itself from the summed tensors of the cells that voted near
    // a bin: finer than the bins, and the border cells stay out of it.
    auto refine = [&](int bin, double* support) {
      const double peakAngle = (bin + 0.5) * binWidth - std::numbers::pi / 2;
      double txx = 0, tyy = 0, txy = 0, weight = 0;
      for (int c : members) {
        auto ci = static_cast<std::size_t>(c);
        double e = jxx[ci] + jyy[ci];
        if (e <= 0) continue;
        double angle = 0.5 * std::atan2(2 * jxy[ci], jxx[ci] - jyy[ci]);
        double diff = std::abs(std::remainder(angle - peakAngle, std::numbers::pi));
        if (diff > 10 * std::numbers::pi / 180) continue;
        double coherence = std::sqrt((jxx[ci] - jyy[ci]) * (jxx[ci] - jyy[ci]) + 4 * jxy[ci] * jxy[ci]) / e;
        weight += std::sqrt(e) * coherence;
        // At full resolution: bars of 1.5-3 px modules are near the limit of
        // the half-size image, where the gradient's direction is biased.
        const int x0 = (c % cw) * kCell * kScale, y0 = (c / cw) * kCell * kScale;
        for (int y = std::max(1, y0); y < std::min(v.height - 1, y0 + kCell * kScale); ++y)
          for (int x = std::max(1, x0); x < std::min(v.width - 1, x0 + kCell * kScale); ++x) {
            double gx = (v.at(x + 1, y - 1) + 2 * v.at(x + 1, y) + v.at(x + 1, y + 1)) -
                        (v.at(x - 1, y - 1) + 2 * v.at(x - 1, y) + v.at(x - 1, y + 1));
            double gy = (v.at(x - 1, y + 1) + 2 * v.at(x, y + 1) + v.at(x + 1, y + 1)) -
                        (v.at(x - 1, y - 1) + 2 * v.at(x, y - 1) + v.at(x + 1, y - 1));
            txx += gx * gx, tyy += gy * gy, txy += gx * gy;
          }
      }
      if (support) *support = weight;
      return 0.5 * std::atan2(2 * txy, txx - tyy);
    };
    const double angle = refine(peakBin, &near);
    Region r;
    const int cellPx = kCell * kScale;
    const int margin = 2 * cellPx;
    r.x = std::max(0, minX * cellPx - margin);
    r.y = std::max(0, minY * cellPx - margin);
    r.width = std::min(v.width, (maxX + 1) * cellPx + margin) - r.x;
    r.height = std::min(v.height, (maxY + 1) * cellPx + margin) - r.y;
    r.gradientAngle = angle;
    if (otherBin >= 0 &&
        votes[static_cast<std::size_t>(otherBin)] >= 0.25 * votes[static_cast<std::size_t>(peakBin)])
      r.otherGradientAngle = refine(otherBin, nullptr);
    r.coherence = total > 0 ? near / total : 0;
    r.score = members.size() >= 3 ? score : 0;
    regions.push_back(r);
  }
  std::erase_if(regions, [](const Region& r) { return r.score <= 0; });
  std::sort(regions.begin(), regions.end(),
            [](const Region& a, const Region& b) { return a.score > b.score; });
  if (static_cast<int>(regions.size()) > maxRegions) regions.resize(static_cast<std::size_t>(maxRegions));
  return regions;
}

GreyImage cropRegion(GreyView v, const Region& r, Affine& toFrame) {
  GreyImage out(r.width, r.height);
  for (int y = 0; y < r.height; ++y)
    std::memcpy(&out.at(0, y), v.data + static_cast<std::ptrdiff_t>(r.y + y) * v.stride + r.x,
                static_cast<std::size_t>(r.width));
  toFrame = Affine{1, 0, static_cast<double>(r.x), 0, 1, static_cast<double>(r.y)};
  return out;
}

void sampleLine(GreyView v, PointD start, PointD step, int count, std::uint8_t* dst) {
  constexpr double kOne = 65536.0;
  const std::int64_t maxX = static_cast<std::int64_t>(v.width - 1) << 16;
  const std::int64_t maxY = static_cast<std::int64_t>(v.height - 1) << 16;
  const auto stepX = static_cast<std::int64_t>(std::llround(step.x * kOne));
  const auto stepY = static_cast<std::int64_t>(std::llround(step.y * kOne));
  auto px = static_cast<std::int64_t>(std::llround(start.x * kOne));
  auto py = static_cast<std::int64_t>(std::llround(start.y * kOne));
  for (int x = 0; x < count; ++x, px += stepX, py += stepY) {
    if (px < 0 || py < 0 || px >= maxX || py >= maxY) continue;
    const auto ix = static_cast<int>(px >> 16), iy = static_cast<int>(py >> 16);
    const auto fx = static_cast<int>((px >> 8) & 0xff), fy = static_cast<int>((py >> 8) & 0xff);
    const std::uint8_t* p = v.data + static_cast<std::ptrdiff_t>(iy) * v.stride + ix;
    const int top = (256 - fx) * p[0] + fx * p[1];
    const int bottom = (256 - fx) * p[v.stride] + fx * p[v.stride + 1];
    dst[x] = static_cast<std::uint8_t>(((256 - fy) * top + fy * bottom + (1 << 15)) >> 16);
  }
}

GreyImage rotateRegion(GreyView v, const Region& r, Affine& toFrame) {
  const double c = std::cos(r.gradientAngle), s = std::sin(r.gradientAngle);
  const int w = static_cast<int>(std::ceil(std::abs(r.width * c) + std::abs(r.height * s)));
  const int h = static_cast<int>(std::ceil(std::abs(r.width * s) + std::abs(r.height * c)));
  const double cx = r.x + r.width / 2.0, cy = r.y + r.height / 2.0;
  // Output x runs along the gradient: frame = centre + R(angle) * (p - outCentre).
  toFrame = Affine{c, -s, cx - c * w / 2.0 + s * h / 2.0, s, c, cy - s * w / 2.0 - c * h / 2.0};
  // Outside the frame: mid grey, which holds no edges.
  GreyImage out(std::max(w, 1), std::max(h, 1), 128);
  // Row by row along the turned axes (sampleLine: fixed point), as this
  // turns whole regions several times per frame.
  const PointD step{toFrame.a, toFrame.d};
  for (int y = 0; y < out.height; ++y) sampleLine(v, toFrame.apply(0, y), step, out.width, &out.at(0, y));
  return out;
}

void fillQuad(GreyImage& img, const std::array<PointD, 4>& quad, std::uint8_t value) {
  double minY = quad[0].y, maxY = quad[0].y;
  for (const auto& p : quad) minY = std::min(minY, p.y), maxY = std::max(maxY, p.y);
  const int y0 = std::max(0, static_cast<int>(std::floor(minY))),
            y1 = std::min(img.height - 1, static_cast<int>(std::ceil(maxY)));
  for (int y = y0; y <= y1; ++y) {
    // Scanline fill: where this row crosses the quad's edges.
    double lo = 1e18, hi = -1e18;
    for (int i = 0; i < 4; ++i) {
      const PointD& a = quad[static_cast<std::size_t>(i)];
      const PointD& b = quad[static_cast<std::size_t>((i + 1) % 4)];
      if ((y < std::min(a.y, b.y)) || (y > std::max(a.y, b.y))) continue;
      double x = a.y == b.y ? a.x : a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y);
      if (a.y == b.y) {
        lo = std::min({lo, a.x, b.x});
        hi = std::max({hi, a.x, b.x});
      } else {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    }
    if (lo > hi) continue;
    const int x0 = std::max(0, static_cast<int>(std::floor(lo))),
              x1 = std::min(img.width - 1, static_cast<int>(std::ceil(hi)));
    for (int x = x0; x <= x1; ++x) img.at(x, y) = value;
  }
}

}  // namespace wms::handheld::detail
