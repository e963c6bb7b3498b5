// Printing of library enums in Boost.Test failure messages.
#pragma once

#include <ostream>
#include <vector>

#include "wms/common/Result.h"

namespace wms {
inline std::ostream& operator<<(std::ostream& out, ErrorKind kind) {
  return out << toString(kind);
}
}  // namespace wms
