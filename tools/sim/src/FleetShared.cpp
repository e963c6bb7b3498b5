#include "FleetShared.h"

#include "wms/handheld/ScanEngine.h"
#include "wms/sim/BarcodeImage.h"

namespace wms::sim::detail {

using namespace wms::handheld;

Status DecoderPool::start(int n) {
  for (int i = 0; i < n; ++i) {
    auto d = std::make_unique<Decoder>();
    if (auto st = d->start(); !st) return st;
    free_.push_back(d.get());
    all_.push_back(std::move(d));
  }
  return {};
}

FrameRead DecoderPool::read(const Frame& frame, const std::optional<StepExpectation>& step) {
  Decoder* d = nullptr;
  {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [this] { return !free_.empty(); });
    d = free_.back();
    free_.pop_back();
  }
  FrameRead r = readFrame(*d, frame, step);
  {
    std::lock_guard lock(mutex_);
    free_.push_back(d);
  }
  available_.notify_one();
  return r;
}

std::optional<Input> simulatedScan(Shared& shared, std::mt19937& rng, BarcodeFormat format, const std::string& text,
                                   const std::optional<StepExpectation>& step, const std::string& device) {
  if (shared.options.scanner == Scanner::Engine) {
    // The engine decoded it: the text as the scanner sends it, no identifier.
    auto barcode = toBarcode(EngineScan{text, "", std::chrono::system_clock::now()});
    {
      std::lock_guard lock(shared.mutex);
      ++shared.summary.engineReads;
    }
    if (!barcode) {
      shared.error(device + ": the engine cannot read '" + text + "': " + barcode.error().message);
      return std::nullopt;
    }
    return Input{ScanInput{std::move(barcode).value()}};
  }
  CameraLook look;
  auto frame = renderLabel(format, text, look, rng);
  if (!frame) frame = renderLabel(BarcodeFormat::Code128, text, look, rng);
  if (!frame) {
    shared.error(device + ": cannot draw '" + text + "': " + frame.error().message);
    return std::nullopt;
  }
  auto read = shared.pool.read(*frame, step);
  {
    std::lock_guard lock(shared.mutex);
    auto& s = shared.summary;
    ++s.frames;
    s.decodeMsTotal += read.milliseconds;
    s.decoderCrashes += static_cast<std::uint64_t>(read.crashes);
    if (std::holds_alternative<ScanFailed>(read.input)) ++s.decodeFailures;
  }
  return std::move(read.input);
}

}  // namespace wms::sim::detail
