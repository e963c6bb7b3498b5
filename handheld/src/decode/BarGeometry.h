// Where a linear symbol lies in a region turned so that its bars stand
// nearly upright (rotateRegion), and that region sampled again with every bar
// straight up and the symbol level. A symbol seen at an angle (perspective)
// or sheared has bars that fan out and an axis that is not square to them:
// no one turn makes every bar upright, and no one row of the turned region
// may cross every bar. Pure functions on grey images; no ZXing here.
#pragma once

#include <optional>

#include "Enhance.h"

namespace wms::handheld::detail {

// The layout of a linear symbol's bars in a turned region (image
// coordinates of that region).
struct BarGeometry {
  // The middle of the bars: at column x, row axisRow0 + axisSlope * x.
  double axisRow0 = 0;
  double axisSlope = 0;
  double halfHeight = 0;  // half the bars' height, in rows
  // The columns from the first window with bars to the last.
  int firstColumn = 0;
  int lastColumn = 0;
  // The bar that crosses the axis at column x moves lean(x) columns per row
  // down. Perspective makes bars meet at a vanishing point, which makes the
  // lean change linearly along the symbol.
  double lean0 = 0;
  double leanPerPixel = 0;

  double axisRow(double x) const { return axisRow0 + axisSlope * x; }
  double lean(double x) const { return lean0 + leanPerPixel * x; }
};

// The axis and height of the bars in `averaged` (a turned region averaged
// along its bars, smoothAlongBars): the band of rows with edges across them,
// found in windows along x, with a line fitted through the windows' middles.
// The lean is left 0. nullopt if fewer than three windows show bars.
std::optional<BarGeometry> measureBarAxis(GreyView averaged);

// `axis` (from measureBarAxis) with the lean of the bars in `turned` (the
// region before averaging): a strip above the axis and one below it are
// matched window by window along x, and a line is fitted to their shifts.
// nullopt if too few windows match (no clear bars).
std::optional<BarGeometry> measureBarLean(GreyView turned, const BarGeometry& axis);

// The region sampled from `frame` afresh with every bar upright and the
// axis level in the middle row: column x of the result follows the bar that
// crosses the axis at column x of the turned region (`turnedToFrame` maps
// that region to the frame), and the result is as wide as that region, with
// the bars' height and a margin above and below. One resampling of the
// frame (each bilinear resampling blurs thin modules a little more).
// `toFrame` receives the mapping back to the frame along the axis, where
// bars cross it; away from the axis a lean moves bars by a pixel or two
// from where it says.
GreyImage rectifyBars(GreyView frame, const Affine& turnedToFrame, int width, const BarGeometry& bars,
                      Affine& toFrame);

// Each row stretched `factor` times along x with linear interpolation, so
// that a threshold finds the edges of thin bars to a fraction of a pixel of
// the original (a 1.5 px module is otherwise one or two pixels after
// thresholding). Row y of the result is row y of `v`, column x its column
// (x + 0.5) / factor - 0.5.
GreyImage widenRows(GreyView v, int factor);

}  // namespace wms::handheld::detail
