// Camera-like test frames for the decode benchmark: a clean symbol image (as
// rendered by zint) placed on a 1280x720 frame with rotation, perspective,
// blur, noise, uneven light and low contrast. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wms::bench {

// An 8-bit grey image, rows packed (stride == width), 0 = black.
struct GreyImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

// What was done to a frame; printed with failures so a person can look.
struct Distortion {
  double modulePixels = 0;  // size of one module in the frame
  double angleDegrees = 0;
  double perspective = 0;  // corner displacement as a fraction of the symbol size
  double blurSigma = 0;
  double noiseSigma = 0;
  int paper = 0;       // grey level of the label's white
  int ink = 0;         // grey level of the bars
  double shading = 0;  // fraction of light lost across the frame
};

struct CameraFrame {
  GreyImage image;
  Distortion distortion;
};

// Places `symbol` (white quiet zone around it, 2 pixels per module) on a
// 1280x720 frame. `matrix` picks module sizes typical for 2D symbols.
CameraFrame makeCameraFrame(const GreyImage& symbol, bool matrix, std::uint64_t seed);

std::string describe(const Distortion& d);

}  // namespace wms::bench
