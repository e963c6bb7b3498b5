// The decode passes: each a way of looking at a frame with ZXing (the whole
// frame fast, the whole frame thoroughly, the regions that look like
// barcodes with their contrast stretched, turned upright, normalised...).
// A frame goes through them in order until one finds something.
//
// This runs ZXing in the calling process: only the decode worker (and the
// tools that measure passes) call it; everything else goes through Decoder.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "Enhance.h"
#include "wms/handheld/Barcode.h"

namespace wms::handheld::detail {

int passCount() noexcept;
// A short stable name ("fast", "thorough", "regions", ...); "?" if out of range.
const char* passName(int index) noexcept;

struct PassSettings {
  // Settings known not to reach ZXing 1.4's abort (minLineCount 1, no
  // downscale pyramid), for retrying a frame that crashed a worker.
  bool safe = false;
};

struct PassCallbacks {
  std::function<void(int pass)> started;                        // before each pass runs
  std::function<void(const Barcode& barcode, int pass)> found;  // after each pass, for what it found
};

// Runs the passes from `firstPass` on, stopping after the first pass that
// finds anything (or once `maxSymbols` are found). Returns what was found,
// in frame coordinates, without duplicates. Never throws for ZXing's sake:
// a ZXing exception counts as "nothing found" for that call.
std::vector<Barcode> runPasses(GreyView frame, FormatSet formats, int maxSymbols, int firstPass,
                               const PassSettings& settings, const PassCallbacks& callbacks);

// Runs a single pass (for measuring what each pass contributes).
std::vector<Barcode> runOnePass(int pass, GreyView frame, FormatSet formats, int maxSymbols,
                                const PassSettings& settings);

}  // namespace wms::handheld::detail
