// Image helpers for the decode passes: contrast stretching, downscaling,
// local normalisation, finding the regions that look like barcodes and
// turning them upright. Pure functions on 8-bit grey images; no ZXing here.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace wms::handheld::detail {

// A non-owning view of grey pixels (the caller keeps them alive).
struct GreyView {
  const std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int stride = 0;
  std::uint8_t at(int x, int y) const { return data[static_cast<std::ptrdiff_t>(y) * stride + x]; }
};

// An owned grey image, rows packed.
struct GreyImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
  GreyImage() = default;
  GreyImage(int w, int h, std::uint8_t fill = 0)
      : width(w), height(h), pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), fill) {}
  GreyView view() const { return {pixels.data(), width, height, width}; }
  std::uint8_t& at(int x, int y) { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

struct PointD {
  double x = 0;
  double y = 0;
};

// Maps image coordinates of a derived image back to the original frame:
// frame = (a*x + b*y + c, d*x + e*y + f).
struct Affine {
  double a = 1, b = 0, c = 0, d = 0, e = 1, f = 0;
  PointD apply(double x, double y) const { return {a * x + b * y + c, d * x + e * y + f}; }
  // The mapping the other way (frame to image); identity if singular.
  Affine inverse() const;
};

// A part of the frame that looks like a barcode.
struct Region {
  int x = 0, y = 0, width = 0, height = 0;  // frame pixels
  double gradientAngle = 0;                 // radians; the dominant edge-normal direction (across bars)
  // A second edge direction at least 20 degrees from the first with a fair
  // share of the votes, if there is one (a label's border or printed text
  // can outvote faint bars): radians, or NaN.
  double otherGradientAngle = std::numeric_limits<double>::quiet_NaN();
  double coherence = 0;  // 0..1; near 1 for parallel bars, lower for 2D symbols
  double score = 0;      // edge energy, for ranking
};

// Maps the darkest `lowFraction` of pixels to 0 and the brightest
// 1 - `highFraction` to 255, linearly in between.
GreyImage stretchContrast(GreyView v, double lowFraction = 0.01, double highFraction = 0.99);

// Half size, each pixel the mean of a 2x2 block.
GreyImage downscale2(GreyView v);

// Each pixel relative to the mean and spread of its (2r+1)^2 neighbourhood,
// centred on 128: evens out shading and lifts weak contrast.
GreyImage localNormalize(GreyView v, int radius);

// Every `step`-th row (0, step, 2*step...) of `v` as the mean of the 2r+1
// rows centred on it (fewer at the edges): on an image whose bars stand
// upright (rotateRegion), noise falls with the square root of the rows
// averaged while the bars keep their edges, and a reader has `step` times
// fewer rows to scan. Row j of the result is row j*step of `v`.
GreyImage smoothAlongBars(GreyView v, int radius, int step = 1);

// The rows of an image with upright bars where the bars are: the longest
// run of rows whose horizontal edge energy is at least `fraction` of the
// strongest row's, grown by `margin` rows each side. {first, count}; the
// whole image if it has no edges.
std::pair<int, int> barRows(GreyView v, double fraction, int margin);

// Unsharp mask along rows only: each pixel plus `amount` times its
// difference from a Gaussian (sigma in pixels) of its row. Lifts thin bars
// that blur has pulled towards their neighbours' level, without touching
// the direction along the bars.
GreyImage sharpenAcrossBars(GreyView v, double sigma, double amount);

// Unsharp mask in both directions: each pixel plus `amount` times its
// difference from a Gaussian (sigma in pixels) around it. Separates the
// modules of a blurred 2D symbol before a fixed threshold.
GreyImage sharpen(GreyView v, double sigma, double amount);

// How far the image is blurred, as the sigma (pixels) of a Gaussian: a
// step from dark to light of contrast C blurred by sigma rises at most
// C / (sigma * sqrt(2 pi)) per pixel, and the steepest edges (the 99th
// percentile of the gradient) are taken as such steps, C as the spread
// between the 5th and 95th percentile of the grey levels. Rough (noise
// steepens edges, neighbouring edges of small modules flatten each
// other): within about a third of the true sigma on camera frames of 2D
// symbols. 0 for an image without edges or smaller than 3x3.
double estimateBlurSigma(GreyView v);

// Undoes a Gaussian blur of `sigma` pixels as far as noise allows (Wiener
// deconvolution): across each direction the filter with frequency response
// H / (H^2 + noiseToSignal), H the blur's, as a separable kernel of 3 sigma
// each side, scaled to keep flat areas' level. With noiseToSignal 0.3 it
// lifts the detail the blur kept 30-100% of (by up to 19%, at 55%) and
// damps what it kept less of, which on a blurred frame is mostly noise: a
// smoothing matched to the blur rather than a strong sharpening. Same size
// as `v`; a copy if sigma < 0.1.
GreyImage deconvolve(GreyView v, double sigma, double noiseToSignal);

// Up to `maxRegions` regions with dense, strong edges, best first, each grown
// by a margin and clipped to the frame.
std::vector<Region> findCandidateRegions(GreyView v, int maxRegions);

// Samples `count` pixels of `v` along a line of the frame, from `start`
// stepping by `step` (bilinear, 16-bit fixed point) into dst; pixels whose
// neighbourhood leaves the frame are left as they are.
void sampleLine(GreyView v, PointD start, PointD step, int count, std::uint8_t* dst);

// The region cut out and rotated so that `gradientAngle` points along +x
// (bars of a linear code become vertical). `toFrame` receives the mapping
// from the result's coordinates back to `v`'s.
GreyImage rotateRegion(GreyView v, const Region& r, Affine& toFrame);

// The region cut out as is; `toFrame` as above.
GreyImage cropRegion(GreyView v, const Region& r, Affine& toFrame);

// Fills a convex quadrilateral with `value` (used to hide a symbol already
// found so that the next search finds the others).
void fillQuad(GreyImage& img, const std::array<PointD, 4>& quad, std::uint8_t value);

}  // namespace wms::handheld::detail
