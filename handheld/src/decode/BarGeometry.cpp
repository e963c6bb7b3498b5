#include "BarGeometry.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>
#include <vector>

namespace wms::handheld::detail {
namespace {

// A measurement along x: where, what value, how much to trust it.
struct Sample {
  double x = 0, value = 0, weight = 0;
};

// Weighted least-squares line value = a + b * x through `samples`.
std::pair<double, double> fitLine(const std::vector<Sample>& samples) {
  double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& s : samples) {
    sw += s.weight, sx += s.weight * s.x, sy += s.weight * s.value;
    sxx += s.weight * s.x * s.x, sxy += s.weight * s.x * s.value;
  }
  if (sw <= 0) return {0, 0};
  const double det = sw * sxx - sx * sx;
  if (std::abs(det) < 1e-9 * sw * sw) return {sy / sw, 0};
  const double b = (sw * sxy - sx * sy) / det;
  return {(sy - b * sx) / sw, b};
}

struct Line {
  double a = 0, b = 0;  // value = a + b * x
};

// A line through `samples`, fitted again without those further than
// `maxResidual` from the first fit (a window that caught text under the
// bars, or matched a repeat of the bar pattern). nullopt if fewer than
// `minSamples` remain.
std::optional<Line> robustLine(std::vector<Sample> samples, double maxResidual, std::size_t minSamples) {
  if (samples.size() < minSamples) return std::nullopt;
  // Plain variables, not a structured binding: clang 14 (the fuzz build)
  // cannot capture one in a lambda.
  const auto first = fitLine(samples);
  const double a = first.first, b = first.second;
  std::erase_if(samples, [&](const Sample& s) { return std::abs(s.value - (a + b * s.x)) > maxResidual; });
  if (samples.size() < minSamples) return std::nullopt;
  const auto refit = fitLine(samples);
  return Line{refit.first, refit.second};
}

// The longest run of `energy` at or above `threshold`: {first, count}.
std::pair<int, int> longestRunAbove(const std::vector<double>& energy, double threshold) {
  int bestStart = 0, bestLength = 0;
  for (int y = 0; y < static_cast<int>(energy.size());) {
    if (energy[static_cast<std::size_t>(y)] < threshold) {
      ++y;
      continue;
    }
    int end = y;
    while (end < static_cast<int>(energy.size()) && energy[static_cast<std::size_t>(end)] >= threshold) ++end;
    if (end - y > bestLength) bestStart = y, bestLength = end - y;
    y = end;
  }
  return {bestStart, bestLength};
}

// The mean of `turned` over rows row(x) - radius .. row(x) + radius at each
// column x, where row(x) = `row0` + `slope` * x (nearest rows; outside the
// image counts as its edge row).
std::vector<double> stripProfile(GreyView turned, double row0, double slope, int radius) {
  std::vector<double> profile(static_cast<std::size_t>(turned.width), 0.0);
  for (int x = 0; x < turned.width; ++x) {
    const int centre = static_cast<int>(std::lround(row0 + slope * x));
    double sum = 0;
    for (int y = centre - radius; y <= centre + radius; ++y) sum += turned.at(x, std::clamp(y, 0, turned.height - 1));
    profile[static_cast<std::size_t>(x)] = sum / (2 * radius + 1);
  }
  return profile;
}

// Normalised cross-correlation of a[from, from + n) with b[from + shift, ...).
double correlation(const std::vector<double>& a, const std::vector<double>& b, int from, int n, int shift) {
  double ma = 0, mb = 0;
  for (int i = 0; i < n; ++i) {
    ma += a[static_cast<std::size_t>(from + i)];
    mb += b[static_cast<std::size_t>(from + i + shift)];
  }
  ma /= n, mb /= n;
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < n; ++i) {
    const double da = a[static_cast<std::size_t>(from + i)] - ma;
    const double db = b[static_cast<std::size_t>(from + i + shift)] - mb;
    ab += da * db, aa += da * da, bb += db * db;
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
}

// How many times a[from, from + n) crosses from below `mean - margin` to
// above `mean + margin` or back: the edges of the bars in a window.
int crossings(const std::vector<double>& a, int from, int n, double mean, double margin) {
  int count = 0, side = 0;
  for (int i = 0; i < n; ++i) {
    const double v = a[static_cast<std::size_t>(from + i)];
    const int now = v > mean + margin ? 1 : v < mean - margin ? -1 : 0;
    if (now != 0 && now != side) {
      if (side != 0) ++count;
      side = now;
    }
  }
  return count;
}

// The mean of a[from, from + n).
double meanOf(const std::vector<double>& a, int from, int n) {
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += a[static_cast<std::size_t>(from + i)];
  return sum / n;
}

// The standard deviation of a[from, from + n).
double spread(const std::vector<double>& a, int from, int n) {
  double mean = 0, sq = 0;
  for (int i = 0; i < n; ++i) mean += a[static_cast<std::size_t>(from + i)];
  mean /= n;
  for (int i = 0; i < n; ++i) sq += std::pow(a[static_cast<std::size_t>(from + i)] - mean, 2);
  return std::sqrt(sq / n);
}

}  // namespace

std::optional<BarGeometry> measureBarAxis(GreyView averaged) {
  // Windows of 32 columns: a few bars each, and enough of them to follow a
  // symbol that lies at a slant across the rows.
  constexpr int kWindow = 32, kStep = 16;
  constexpr std::size_t kMinWindows = 3;
  if (averaged.width < kWindow + 1 || averaged.height < 8) return std::nullopt;
  // Edge energy across the bars, per row and window.
  std::vector<Sample> middles, halves;
  std::vector<std::vector<double>> energies;
  std::vector<double> peaks;
  for (int x0 = 0; x0 + kWindow < averaged.width; x0 += kStep) {
    std::vector<double> energy(static_cast<std::size_t>(averaged.height), 0.0);
    for (int y = 0; y < averaged.height; ++y) {
      const std::uint8_t* row = averaged.data + static_cast<std::ptrdiff_t>(y) * averaged.stride + x0;
      int e = 0;
      for (int x = 0; x < kWindow; ++x) e += std::abs(row[x + 1] - row[x]);
      energy[static_cast<std::size_t>(y)] = e;
    }
    peaks.push_back(*std::max_element(energy.begin(), energy.end()));
    energies.push_back(std::move(energy));
  }
  const double strongest = *std::max_element(peaks.begin(), peaks.end());
  if (strongest <= 0) return std::nullopt;
  for (std::size_t i = 0; i < energies.size(); ++i) {
    // Windows well below the strongest hold background or quiet zone.
    if (peaks[i] < 0.35 * strongest) continue;
    const auto [first, count] = longestRunAbove(energies[i], 0.5 * peaks[i]);
    const double x = static_cast<double>(i) * kStep + kWindow / 2.0;
    middles.push_back({x, first + (count - 1) / 2.0, peaks[i]});
    halves.push_back({x, count / 2.0, peaks[i]});
  }
  std::vector<double> sortedHalves;
  for (const auto& h : halves) sortedHalves.push_back(h.value);
  if (sortedHalves.size() < kMinWindows) return std::nullopt;
  std::nth_element(sortedHalves.begin(), sortedHalves.begin() + static_cast<std::ptrdiff_t>(sortedHalves.size() / 2),
                   sortedHalves.end());
  const double halfHeight = sortedHalves[sortedHalves.size() / 2];
  // A window whose band caught text or a label edge besides the bars puts
  // its middle off the line by a good part of the height.
  const auto line = robustLine(middles, std::max(3.0, 0.3 * halfHeight), kMinWindows);
  if (!line) return std::nullopt;
  BarGeometry g;
  g.firstColumn = static_cast<int>(middles.front().x) - kWindow / 2;
  g.lastColumn = static_cast<int>(middles.back().x) + kWindow / 2;
  g.axisRow0 = line->a;
  g.axisSlope = line->b;
  g.halfHeight = halfHeight;
  return g;
}

std::optional<BarGeometry> measureBarLean(GreyView turned, const BarGeometry& axis) {
  // Windows of 48 px hold 14-32 modules of 1.5-3.5 px: enough for one clear
  // match, short enough to follow the lean along the symbol.
  constexpr int kWindow = 48, kStep = 16;
  constexpr std::size_t kMinWindows = 4;
  constexpr double kMinSpread = 4.0, kMinCorrelation = 0.5, kMaxResidual = 1.0;
  // A window of a symbol's bars has several edges; a label's border, a
  // row along a 2D symbol's finder, or bars crossed nearly lengthwise
  // (the wrong angle) have one or two.
  constexpr int kMinEdges = 4;
  const double apart = axis.halfHeight;  // strips half way to the bars' ends
  if (apart < 6 || turned.width < kWindow + 8) return std::nullopt;
  // Strips of a few rows: noise falls, and a leaning bar smears little.
  const int radius = std::clamp(static_cast<int>(apart / 8), 1, 3);
  const std::vector<double> upper = stripProfile(turned, axis.axisRow0 - apart / 2, axis.axisSlope, radius);
  const std::vector<double> lower = stripProfile(turned, axis.axisRow0 + apart / 2, axis.axisSlope, radius);
  // Leans up to 0.4 (22 degrees): more than the region's angle and 8%
  // perspective leave.
  const int maxShift = std::clamp(static_cast<int>(std::lround(0.4 * apart)), 2, kWindow / 3);
  std::vector<Sample> shifts;
  std::vector<double> c(static_cast<std::size_t>(2 * maxShift + 1));
  for (int x0 = maxShift; x0 + kWindow + maxShift <= turned.width; x0 += kStep) {
    // No bars here, or too few to be a symbol's (a label's border, a
    // line of a 2D symbol's finder).
    const double sd = spread(upper, x0, kWindow);
    if (sd < kMinSpread || crossings(upper, x0, kWindow, meanOf(upper, x0, kWindow), sd / 2) < kMinEdges) continue;
    for (int s = -maxShift; s <= maxShift; ++s)
      c[static_cast<std::size_t>(s + maxShift)] = correlation(upper, lower, x0, kWindow, s);
    const auto best = static_cast<int>(std::max_element(c.begin(), c.end()) - c.begin());
    // A best shift at the end of the range may lie beyond it.
    if (best == 0 || best == 2 * maxShift || c[static_cast<std::size_t>(best)] < kMinCorrelation) continue;
    const double l = c[static_cast<std::size_t>(best - 1)], m = c[static_cast<std::size_t>(best)],
                 r = c[static_cast<std::size_t>(best + 1)];
    const double curve = l - 2 * m + r;
    const double shift = best - maxShift + (curve < 0 ? 0.5 * (l - r) / curve : 0.0);
    // The bar at the window's middle on the upper strip crosses the axis
    // half the shift further on.
    shifts.push_back({x0 + kWindow / 2.0 + shift / 2, shift, m});
  }
  const auto line = robustLine(shifts, kMaxResidual, kMinWindows);
  if (!line) return std::nullopt;
  BarGeometry g = axis;
  g.lean0 = line->a / apart;
  g.leanPerPixel = line->b / apart;
  return g;
}

GreyImage rectifyBars(GreyView frame, const Affine& turnedToFrame, int width, const BarGeometry& bars,
                      Affine& toFrame) {
  // The bars' height and a quarter more, and a margin for the rows of
  // ZXing's scan that would otherwise fall off the ends.
  constexpr int kMargin = 8;
  const int half = static_cast<int>(std::ceil(1.25 * bars.halfHeight)) + kMargin;
  // Outside the frame: mid grey, which holds no edges.
  GreyImage out(std::max(width, 1), 2 * half + 1, 128);
  const Affine& t = turnedToFrame;
  for (int y = 0; y < out.height; ++y) {
    // Along this row, in the turned region: x' = lean0 * dy + x * (1 +
    // leanPerPixel * dy), y' = axisRow0 + dy + axisSlope * x; both linear in
    // x, so one start and one step in the frame.
    const double dy = y - half;
    const PointD startTurned{bars.lean0 * dy, bars.axisRow0 + dy};
    const PointD stepTurned{1 + bars.leanPerPixel * dy, bars.axisSlope};
    const PointD start = t.apply(startTurned.x, startTurned.y);
    const PointD step{t.a * stepTurned.x + t.b * stepTurned.y, t.d * stepTurned.x + t.e * stepTurned.y};
    sampleLine(frame, start, step, out.width, &out.at(0, y));
  }
  // Along the axis (no lean): turned = (x, axisRow0 - half + y + axisSlope * x).
  const Affine toTurned{1, 0, 0, bars.axisSlope, 1, bars.axisRow0 - half};
  toFrame = Affine{t.a * toTurned.a + t.b * toTurned.d, t.a * toTurned.b + t.b * toTurned.e,
                   t.a * toTurned.c + t.b * toTurned.f + t.c, t.d * toTurned.a + t.e * toTurned.d,
                   t.d * toTurned.b + t.e * toTurned.e, t.d * toTurned.c + t.e * toTurned.f + t.f};
  return out;
}

GreyImage widenRows(GreyView v, int factor) {
  factor = std::max(1, factor);
  GreyImage out(v.width * factor, v.height);
  if (v.width <= 0 || v.height <= 0) return out;
  // Each output column's source position and weight, shared by every row.
  std::vector<int> left(static_cast<std::size_t>(out.width));
  std::vector<int> weight(static_cast<std::size_t>(out.width));  // of the right pixel, in 1/256
  for (int x = 0; x < out.width; ++x) {
    const double sx = std::clamp((x + 0.5) / factor - 0.5, 0.0, v.width - 1.0);
    const int ix = std::min(static_cast<int>(sx), std::max(0, v.width - 2));
    left[static_cast<std::size_t>(x)] = ix;
    weight[static_cast<std::size_t>(x)] = v.width > 1 ? static_cast<int>(std::lround((sx - ix) * 256)) : 0;
  }
  for (int y = 0; y < v.height; ++y) {
    const std::uint8_t* row = v.data + static_cast<std::ptrdiff_t>(y) * v.stride;
    std::uint8_t* dst = &out.at(0, y);
    for (int x = 0; x < out.width; ++x) {
      const int ix = left[static_cast<std::size_t>(x)], f = weight[static_cast<std::size_t>(x)];
      const int right = v.width > 1 ? row[ix + 1] : row[ix];
      dst[x] = static_cast<std::uint8_t>(((256 - f) * row[ix] + f * right + 128) >> 8);
    }
  }
  return out;
}

}  // namespace wms::handheld::detail
