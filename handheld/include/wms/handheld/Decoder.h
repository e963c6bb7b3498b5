// Decoder: finds barcodes in luminance frames with ZXing-C++, isolated in a
// worker process so that a crash inside ZXing costs one attempt, never the
// caller.
//
// Why a process: Debian's ZXing 1.4.0 aborts through an internal assert on
// some frames (GS1 DataBar, labels with several Code 128s; see
// docs/handheld.md). The Decoder forks a long-lived worker on first use;
// each frame goes to it through shared memory, with a small request on a
// socket. If the worker dies (abort, segfault) or is stuck longer than
// `timeout`, the Decoder logs it, starts a fresh worker and retries the
// frame from the pass that failed, with settings that do not reach the
// assert; the frame still decodes. After `maxCrashesPerFrame` failures on
// one frame it gives up on that frame with an Error.
//
// Speed: `formats` narrows the search to what the step expects (see
// formatsFor()); the worker tries the regions that look like barcodes first,
// then enhanced copies (turned upright and averaged along the bars,
// contrast-stretched, sharpened, normalised, halved), and stops at the first
// pass that finds something (docs/handheld.md lists the passes).
//
// Threading: a Decoder is used by one thread at a time (it owns one worker
// and one socket). Use one Decoder per thread. It forks the calling process:
// construct it (or call start()) early, before other threads hold locks.
// The worker is tied to the thread that started it (it is killed if that
// thread exits; the next decode then starts another).
// Ownership: the worker is stopped and reaped by the destructor; a
// moved-from Decoder may only be destroyed or assigned to.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/handheld/Barcode.h"
#include "wms/handheld/Frame.h"

namespace wms::handheld {

// Test-only markers: with DecoderOptions::testHooks set, a frame whose first
// 16 pixels hold one of these byte strings makes the worker abort (as ZXing
// does) or hang on the normal settings (the safe retry ignores them), abort
// whatever the settings (to reach maxCrashesPerFrame), or abort right after
// reporting the first barcode it found.
inline constexpr std::string_view kTestAbortMarker = "WMS:TEST:ABORT:1";
inline constexpr std::string_view kTestHangMarker = "WMS:TEST:HANG::1";
inline constexpr std::string_view kTestAlwaysAbortMarker = "WMS:TEST:ABORT:*";
inline constexpr std::string_view kTestAbortAfterFoundMarker = "WMS:TEST:ABORT:F";

struct DecoderOptions {
  // A worker busy longer than this on one frame is killed and replaced.
  std::chrono::milliseconds timeout{5000};
  // Worker deaths (crash or timeout) on one frame before giving up on it.
  int maxCrashesPerFrame = 3;
  // Where crash and restart reports go (one line each, no newline). Default:
  // standard error, prefixed "wms-handheld decoder: ".
  std::function<void(const std::string&)> log;
  // Honour kTestAbortMarker / kTestHangMarker (tests only).
  bool testHooks = false;
};

struct DecodeResult {
  std::vector<Barcode> barcodes;  // empty when nothing was found (not an error)
  double milliseconds = 0;        // wall time of this decode, retries included
  int crashes = 0;                // worker deaths while decoding this frame
  std::string pass;               // name of the pass that found them, if any
};

class Decoder {
 public:
  explicit Decoder(DecoderOptions options = {});
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;

  // Starts the worker now instead of on the first decode. Errors:
  // Unavailable if the process cannot be created.
  Status start();

  // Decodes up to `maxSymbols` (1-255) barcodes of `formats` in `frame`.
  // Errors: Unavailable if no worker can be started; Internal if the frame
  // crashed the worker maxCrashesPerFrame times (the message says how).
  // Throws std::invalid_argument for an empty frame, empty `formats` or
  // `maxSymbols` out of range (misuse).
  Result<DecodeResult> decode(const Frame& frame, FormatSet formats, int maxSymbols = 1);

  // Workers started so far (1 after the first decode; +1 per crash).
  int workersStarted() const noexcept;
  // Process id of the current worker, or -1.
  int workerPid() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wms::handheld
