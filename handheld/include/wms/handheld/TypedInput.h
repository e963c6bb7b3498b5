// What a line typed on the handheld's keypad means. A keyboard-wedge
// scanner and the firmware bridge "type" a scan followed by Enter; the
// picker types quantities and one-letter commands the same way, so one rule
// tells them apart:
//
//   ""                        Enter (confirm the step)
//   one of S K C L U D Q      that command (any case): short, skip, close
//                             carton, label, undo, damaged, sign out
//   1-6 digits, when the step takes a number
//                             NumberEntry (a quantity or a menu choice);
//                             longer digit strings are barcodes (EAN/UPC)
//   anything else             a scan: an AIM symbology identifier may lead
//                             (]C1..., ]E0...), as parseEngineOutput reads it;
//                             its Barcode is marked `typed` (a line from a
//                             keyboard-wedge scanner cannot be told from one
//                             typed by hand, so it counts as typed too)
//
// Pure function; thread-safe.
#pragma once

#include <string_view>
#include <variant>

#include "wms/common/Result.h"
#include "wms/handheld/Workflow.h"

namespace wms::handheld {

// Longest line the keypad accepts (a GS1 DataMatrix typed by a wedge).
inline constexpr std::size_t kMaxTypedLine = 1024;

using TypedInput = std::variant<KeyPress, NumberEntry, ScanInput>;

// Errors: Malformed for a scan with control characters (other than GS) or a
// truncated symbology identifier, Invalid for a symbology the warehouse does
// not use, TooLarge beyond kMaxTypedLine.
Result<TypedInput> interpretTypedLine(std::string_view line, bool numberWanted);

}  // namespace wms::handheld
