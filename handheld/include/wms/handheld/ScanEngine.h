// Scans from a hardware scan engine: text already decoded by the scanner's
// own engine (serial or USB), as the firmware bridge delivers it. The third
// source of barcodes next to camera frames and image files.
//
// A later firmware bridge implements ScanSource (or pushes into a ScanQueue);
// the workflow turns each EngineScan into a Barcode with toBarcode() and
// checks it with ScanMatch like a camera decode.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "wms/common/Result.h"
#include "wms/handheld/Barcode.h"

namespace wms::handheld {

struct EngineScan {
  std::string text;                          // the data, without the symbology identifier
  std::string symbology;                     // AIM identifier such as "]C1", or empty if the engine sent none
  std::chrono::system_clock::time_point at;  // when the trigger read it
  friend bool operator==(const EngineScan&, const EngineScan&) = default;
};

// Longest scan accepted from an engine (a full GS1 DataMatrix is ~3000).
inline constexpr std::size_t kMaxEngineScanLength = 4096;

// Splits one transmitted read into symbology identifier and data; strips a
// trailing CR/LF. Errors: Malformed for an empty read, control characters
// other than GS (0x1D) or a truncated identifier; TooLarge beyond the limit.
Result<EngineScan> parseEngineOutput(std::string_view raw, std::chrono::system_clock::time_point at);

// The Barcode an engine read stands for, its format taken from the AIM
// symbology identifier (]E0 with 13/12/8 digits: EAN-13/UPC-A/UPC-E; ]E4:
// EAN-8; ]C: Code 128; ]A: Code 39; ]I: ITF; ]e0: DataBar or DataBar
// Expanded; ]d: DataMatrix; ]Q: QR Code). Without an identifier, digits with
// a valid check digit are taken as EAN-8/UPC-A/EAN-13 and anything else as
// Code 128. Errors: Invalid for identifiers of formats a warehouse does not use.
Result<Barcode> toBarcode(const EngineScan& scan);

// Where scans come from.
//
// Threading: next() is called by one consumer thread.
class ScanSource {
 public:
  virtual ~ScanSource() = default;
  // Waits up to `timeout` for the next scan: nullopt if none came in time.
  // Errors: Unavailable when the source has closed or failed.
  virtual Result<std::optional<EngineScan>> next(std::chrono::milliseconds timeout) = 0;
  virtual std::string describe() const = 0;
};

// A ScanSource fed by another thread (the firmware bridge's reader).
//
// Threading: push() and close() may be called from any thread, next() from
// one consumer; all are internally synchronised.
class ScanQueue : public ScanSource {
 public:
  explicit ScanQueue(std::string description = "scan queue", std::size_t capacity = 64);
  // Adds a scan; when full, the oldest is dropped (a picker re-scans).
  // Returns false after close().
  bool push(EngineScan scan);
  // Wakes next(); queued scans are still delivered, then Unavailable.
  void close();
  Result<std::optional<EngineScan>> next(std::chrono::milliseconds timeout) override;
  std::string describe() const override { return description_; }

 private:
  const std::string description_;  // constant after construction
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<EngineScan> queue_;  // guarded by mutex_
  bool closed_ = false;           // guarded by mutex_
};

}  // namespace wms::handheld
