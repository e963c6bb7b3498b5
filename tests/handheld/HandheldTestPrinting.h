// Printing of library enums in Boost.Test failure messages.
#pragma once

#include <ostream>

#include "wms/common/Result.h"
#include "wms/handheld/Barcode.h"

namespace wms {
inline std::ostream& operator<<(std::ostream& out, ErrorKind kind) {
  return out << toString(kind);
}
}  // namespace wms

namespace wms::handheld {
inline std::ostream& operator<<(std::ostream& out, BarcodeFormat f) {
  return out << formatName(f);
}
inline std::ostream& operator<<(std::ostream& out, FormatSet s) {
  return out << s.toString();
}
}  // namespace wms::handheld
