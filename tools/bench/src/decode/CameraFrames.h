// Camera-like test frames for the decode benchmark: a clean symbol image (as
// rendered by zint) placed on a 1280x720 frame with rotation, perspective,
// blur, noise, uneven light and low contrast. Deterministic for a given seed.
#pragma once

#include <array>
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
  int paper = 0;            // grey level of the label's white
  int ink = 0;              // grey level of the bars
  double shading = 0;       // fraction of light lost across the frame
  double motionPixels = 0;  // how far the symbol moved during the exposure (streams)
};

// What the camera sees around the label: the background's level and
// texture, and the direction light falls off in.
struct Scene {
  double bgLevel = 0;
  std::array<double, 6> waves{};
  double shadeAngle = 0;
};

struct CameraFrame {
  GreyImage image;
  Distortion distortion;
};

// Places `symbol` (white quiet zone around it, 2 pixels per module) on a
// 1280x720 frame. `matrix` picks module sizes typical for 2D symbols.
CameraFrame makeCameraFrame(const GreyImage& symbol, bool matrix, std::uint64_t seed);

std::string describe(const Distortion& d);

// Where a stream's symbol is at one moment.
struct StreamPose {
  double x = 0, y = 0;  // centre, frame pixels
  double angleDegrees = 0;
  double scale = 1;  // of the module size it settles at
};

// A symbol coming into view at 30 frames per second, as a picker brings the
// scanner to it: it moves in from one side, turning and growing (getting
// nearer), slows down and settles where makeCameraFrame would have put it,
// with a small tremor. Each frame has the defocus, light and noise of that
// still frame plus the motion blur of its exposure (half a frame interval).
// Deterministic for a given seed; frames can be made in any order.
class SymbolStream {
 public:
  static constexpr double kFramesPerSecond = 30.0;
  SymbolStream(const GreyImage& symbol, bool matrix, std::uint64_t seed, int frames);
  int frames() const { return frames_; }
  CameraFrame frame(int index) const;
  StreamPose pose(double seconds) const;

 private:
  GreyImage symbol_;
  int frames_ = 0;
  Distortion rest_;
  Scene scene_;
  double restX_ = 0, restY_ = 0;
  std::array<double, 8> pulls_{};
  double startDx_ = 0, startDy_ = 0, startTurn_ = 0, startScale_ = 1, tauSeconds_ = 0.25;
  double tremor_ = 0, tremorPhase_ = 0;
  std::uint64_t noiseSeed_ = 0;
};

}  // namespace wms::bench
