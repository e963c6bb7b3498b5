#include "wms/handheld/FrameInput.h"

#include "wms/handheld/ScanMatch.h"

namespace wms::handheld {

FrameRead readFrame(Decoder& decoder, const Frame& frame, const std::optional<StepExpectation>& step) {
  FrameRead out{ScanFailed{"no barcode in the frame"}, 0, 0};
  if (frame.empty()) {
    out.input = ScanFailed{"the camera gave an empty frame"};
    return out;
  }
  const FormatSet formats = step ? formatsFor(step->expected.target) : FormatSet::all();
  auto decoded = decoder.decode(frame, formats, step ? 1 : 4);
  if (!decoded) {
    out.input = ScanFailed{decoded.error().message};
    return out;
  }
  out.milliseconds = decoded->milliseconds;
  out.crashes = decoded->crashes;
  if (decoded->barcodes.empty()) return out;
  const Barcode* chosen = &decoded->barcodes.front();
  if (step && decoded->barcodes.size() > 1) {
    for (const auto& b : decoded->barcodes)
      if (matchScan(b, step->expected)) {
        chosen = &b;
        break;
      }
  }
  out.input = ScanInput{*chosen};
  return out;
}

}  // namespace wms::handheld
