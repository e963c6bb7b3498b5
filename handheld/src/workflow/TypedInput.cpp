#include "wms/handheld/TypedInput.h"

#include <algorithm>
#include <chrono>

#include "wms/handheld/ScanEngine.h"

namespace wms::handheld {

Result<TypedInput> interpretTypedLine(std::string_view line, bool numberWanted) {
  if (line.size() > kMaxTypedLine)
    return makeError(ErrorKind::TooLarge, "typed line is over " + std::to_string(kMaxTypedLine) + " characters");
  // A wedge may end its scan with CR or LF besides the Enter that submitted it.
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.empty()) return TypedInput{KeyPress{Key::Enter}};
  if (line.size() == 1) {
    switch (line[0]) {
      case 's': case 'S': return TypedInput{KeyPress{Key::Short}};
      case 'k': case 'K': return TypedInput{KeyPress{Key::Skip}};
      case 'c': case 'C': return TypedInput{KeyPress{Key::CloseCarton}};
      case 'l': case 'L': return TypedInput{KeyPress{Key::Label}};
      case 'u': case 'U': return TypedInput{KeyPress{Key::Undo}};
      case 'd': case 'D': return TypedInput{KeyPress{Key::Damaged}};
      case 'q': case 'Q': return TypedInput{KeyPress{Key::SignOut}};
      default: break;
    }
  }
  const bool digits = std::all_of(line.begin(), line.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numberWanted && digits && line.size() <= 6) {
    int value = 0;
    for (char c : line) value = value * 10 + (c - '0');
    return TypedInput{NumberEntry{value}};
  }
  auto scan = parseEngineOutput(line, std::chrono::system_clock::time_point{});
  if (!scan) return scan.error();
  auto barcode = toBarcode(*scan);
  if (!barcode) return barcode.error();
  ScanInput typed{std::move(barcode).value()};
  typed.barcode.typed = true;
  return TypedInput{std::move(typed)};
}

}  // namespace wms::handheld
