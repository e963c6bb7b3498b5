// From a camera frame to a workflow input: the frame goes through the
// isolated Decoder, narrowed to the formats the current step reads, and the
// barcode that best fits the step becomes the scan (or a ScanFailed saying
// why nothing could be read). Used by the terminal's trigger key, the
// script's `frame` command and the fleet simulator.
#pragma once

#include <optional>

#include "wms/handheld/Decoder.h"
#include "wms/handheld/Frame.h"
#include "wms/handheld/Workflow.h"

namespace wms::handheld {

struct FrameRead {
  Input input;                // ScanInput or ScanFailed
  double milliseconds = 0;    // decode time
  int crashes = 0;            // decode worker deaths on this frame (survived)
};

// Decodes one frame. With a step, only its target's formats are read and a
// barcode that matches the step wins over others in the frame; without one
// (sign-in, pack start) every format is read. Never throws for a bad frame:
// an empty frame or a decoder failure is a ScanFailed.
FrameRead readFrame(Decoder& decoder, const Frame& frame, const std::optional<StepExpectation>& step);

}  // namespace wms::handheld
