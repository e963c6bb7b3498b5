#include "wms/handheld/ScanEngine.h"

#include <algorithm>
#include <cstdio>

#include "wms/handheld/Gs1.h"

namespace wms::handheld {
namespace {

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<EngineScan> parseEngineOutput(std::string_view raw, std::chrono::system_clock::time_point at) {
  while (!raw.empty() && (raw.back() == '\r' || raw.back() == '\n')) raw.remove_suffix(1);
  if (raw.size() > kMaxEngineScanLength)
    return makeError(ErrorKind::TooLarge, "scan of " + std::to_string(raw.size()) +
                                              " characters exceeds the limit of " +
                                              std::to_string(kMaxEngineScanLength));
  EngineScan scan{{}, {}, at};
  if (!raw.empty() && raw[0] == ']') {
    if (raw.size() < 3) return makeError(ErrorKind::Malformed, "scan ends inside its symbology identifier");
    scan.symbology = std::string(raw.substr(0, 3));
    raw.remove_prefix(3);
  }
  if (raw.empty()) return makeError(ErrorKind::Malformed, "scan has no data");
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if ((c < 0x20 && c != 0x1d) || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "0x%02X", c);
      return makeError(ErrorKind::Malformed, std::string("scan has control character ") + buf +
                                                 " at position " + std::to_string(i + 1));
    }
  }
  scan.text = std::string(raw);
  return scan;
}

Result<Barcode> toBarcode(const EngineScan& scan) {
  Barcode b;
  b.text = scan.text;
  b.symbology = scan.symbology;
  const std::string& id = scan.symbology;
  const std::size_t n = scan.text.size();
  if (id.empty()) {
    // No identifier (a keyboard-wedge scanner): only a valid GTIN check
    // digit makes it an EAN/UPC; everything else counts as Code 128.
    if (allDigits(scan.text) && (n == 8 || n == 12 || n == 13) && hasValidGs1CheckDigit(scan.text))
      b.format = n == 8 ? BarcodeFormat::Ean8 : n == 12 ? BarcodeFormat::UpcA : BarcodeFormat::Ean13;
    else
      b.format = BarcodeFormat::Code128;
    return b;
  }
  char code = id.size() == 3 ? id[1] : '\0';
  switch (code) {
    case 'E':
      if (id[2] == '4') {
        b.format = BarcodeFormat::Ean8;
      } else if (n == 13) {
        b.format = BarcodeFormat::Ean13;
      } else if (n == 12) {
        b.format = BarcodeFormat::UpcA;
      } else if (n == 8) {
        b.format = BarcodeFormat::UpcE;
      } else {
        return makeError(ErrorKind::Invalid, "EAN/UPC scan (" + id + ") has " + std::to_string(n) +
                                                 " characters, expected 8, 12 or 13");
      }
      return b;
    case 'C':
      b.format = BarcodeFormat::Code128;
      return b;
    case 'A':
      b.format = BarcodeFormat::Code39;
      return b;
    case 'I':
      b.format = BarcodeFormat::Itf;
      return b;
    case 'd':
      b.format = BarcodeFormat::DataMatrix;
      return b;
    case 'Q':
      b.format = BarcodeFormat::QrCode;
      return b;
    case 'e':
      // DataBar Omnidirectional holds exactly (01) + GTIN-14; anything else is Expanded.
      b.format = (n == 16 && scan.text.compare(0, 2, "01") == 0 && allDigits(scan.text))
                     ? BarcodeFormat::DataBar
                     : BarcodeFormat::DataBarExpanded;
      return b;
    default:
      break;
  }
  return makeError(ErrorKind::Invalid, "scan symbology " + id + " is not one a warehouse label uses");
}

ScanQueue::ScanQueue(std::string description, std::size_t capacity)
    : description_(std::move(description)), capacity_(std::max<std::size_t>(capacity, 1)) {}

bool ScanQueue::push(EngineScan scan) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    if (queue_.size() >= capacity_) queue_.pop_front();
    queue_.push_back(std::move(scan));
  }
  ready_.notify_one();
  return true;
}

void ScanQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

Result<std::optional<EngineScan>> ScanQueue::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, timeout, [&] { return !queue_.empty() || closed_; });
  if (!queue_.empty()) {
    EngineScan scan = std::move(queue_.front());
    queue_.pop_front();
    return std::optional<EngineScan>(std::move(scan));
  }
  if (closed_) return makeError(ErrorKind::Unavailable, description_ + " is closed");
  return std::optional<EngineScan>();
}

}  // namespace wms::handheld
