// Camera-like images of barcodes for the fleet simulator: a symbol encoded
// by ZXing's writer, drawn at a random module size on a grey background,
// tilted, blurred and noisy, as a handheld's camera would see a label at
// arm's length. What the simulator feeds through the real decode path.
//
// Pure functions over values (the caller's random generator); thread-safe
// as long as each thread uses its own generator.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "wms/common/Result.h"
#include "wms/handheld/Barcode.h"
#include "wms/handheld/Frame.h"

namespace wms::sim {

struct CameraLook {
  int width = 640;            // frame size
  int height = 480;
  double moduleMin = 2.0;     // pixels per module (narrowest bar / cell)
  double moduleMax = 3.5;
  double maxTiltDegrees = 12; // rotation either way
  double blurMax = 0.6;       // Gaussian blur sigma, up to, in pixels
  double noiseMax = 8;        // sensor noise sigma, up to, in grey levels
  int paperMin = 170;         // light level of the label
  int paperMax = 235;
  int inkMax = 70;            // dark level of the bars, up to
};

// The symbology a label with this text is printed in for a step: item
// barcodes by their digits (13 EAN-13, 12 UPC-A, 8 EAN-8, 14 ITF-14 when
// the check digit is right), else Code 128; locations and totes Code 128,
// sometimes QR Code (locations) or Code 39 (totes, when the text allows).
handheld::BarcodeFormat labelFormat(handheld::ScanTarget target, std::string_view text, std::mt19937& rng);

// What ZXing's writer takes to draw a GS1-128 symbol of `elementString`
// (raw element strings, a GS (0x1D) after each variable-length value that is
// not last): FNC1 in front and in place of each GS. Drawn with
// BarcodeFormat::Code128, it decodes as `]C1` with the element string.
std::string gs1_128WriterText(std::string_view elementString);

// A frame showing `text` in `format` with the look drawn from `look`.
// Errors: Invalid if the writer cannot encode the text in that format.
Result<handheld::Frame> renderLabel(handheld::BarcodeFormat format, std::string_view text, const CameraLook& look,
                                    std::mt19937& rng);

}  // namespace wms::sim
