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

namespace {

// One read: `engineText` with `symbology` through the engine path, or a
// rendering of `writerText` in `format` (Code 128 if that format cannot
// carry it) through a pooled decoder.
std::optional<Input> scanOnce(Shared& shared, std::mt19937& rng, BarcodeFormat format, const std::string& writerText,
                              const std::string& engineText, const std::string& symbology,
                              const std::optional<StepExpectation>& step, const std::string& device) {
  if (shared.options.scanner == Scanner::Engine) {
    // The engine decoded it: the text as the scanner sends it.
    auto barcode = toBarcode(EngineScan{engineText, symbology, std::chrono::system_clock::now()});
    {
      std::lock_guard lock(shared.mutex);
      ++shared.summary.engineReads;
    }
    if (!barcode) {
      shared.error(device + ": the engine cannot read '" + engineText + "': " + barcode.error().message);
      return std::nullopt;
    }
    return Input{ScanInput{std::move(barcode).value()}};
  }
  CameraLook look;
  auto frame = renderLabel(format, writerText, look, rng);
  if (!frame) frame = renderLabel(BarcodeFormat::Code128, writerText, look, rng);
  if (!frame) {
    shared.error(device + ": cannot draw '" + engineText + "': " + frame.error().message);
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

}  // namespace

std::optional<Input> simulatedScan(Shared& shared, std::mt19937& rng, BarcodeFormat format, const std::string& text,
                                   const std::optional<StepExpectation>& step, const std::string& device) {
  return scanOnce(shared, rng, format, text, text, "", step, device);
}

std::optional<Input> simulatedGs1Scan(Shared& shared, std::mt19937& rng, const std::string& elementString,
                                      const std::optional<StepExpectation>& step, const std::string& device) {
  return scanOnce(shared, rng, BarcodeFormat::Code128, gs1_128WriterText(elementString), elementString, "]C1", step,
                  device);
}

}  // namespace wms::sim::detail
