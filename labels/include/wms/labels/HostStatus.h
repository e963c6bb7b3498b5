// The answer of a Zebra printer to ~HS (host status): three <STX>...<ETX><CR><LF>
// strings of comma-separated flags. Parsed here so that RawTcpPrinter can
// refuse to send a label to a printer that is out of paper, paused or open.
// Pure; the parser checks every length before reading.
#pragma once

#include <string>
#include <string_view>

#include "wms/common/Result.h"

namespace wms::labels {

// Longest ~HS answer accepted (a real one is about 80 bytes).
inline constexpr std::size_t kMaxHostStatusBytes = 512;

struct ZebraHostStatus {
  bool paperOut = false;
  bool paused = false;
  int labelLengthDots = 0;
  int formatsInBuffer = 0;
  bool bufferFull = false;
  bool corruptRam = false;
  bool underTemperature = false;
  bool overTemperature = false;
  bool headUp = false;
  bool ribbonOut = false;

  // Empty if the printer can print; otherwise what stops it, for a person
  // ("paper out, head open").
  std::string problem() const;
};

// True once `bytes` holds three complete <STX>...<ETX> strings (the whole
// answer may arrive in pieces).
bool hostStatusComplete(std::string_view bytes);

// Parses a complete ~HS answer. Malformed if the framing is wrong (missing
// STX/ETX, fewer than three strings), a string has the wrong number of fields
// or a field is not a number; TooLarge beyond kMaxHostStatusBytes.
Result<ZebraHostStatus> parseZebraHostStatus(std::string_view bytes);

}  // namespace wms::labels
