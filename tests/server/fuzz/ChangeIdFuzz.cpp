// Fuzzes the change-feed position parser (a client's `since` and
// Last-Event-ID): any bytes give a position or an error value, never a crash
// or an overread; a position read back from its text is the same position.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wms/server/ChangeFeed.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = wms::server::parsePosition(text);
  if (p.ok()) {
    auto again = wms::server::parsePosition(wms::server::formatPosition(*p));
    if (!again.ok() || again->epoch != p->epoch || again->seq != p->seq) std::abort();
  }
  return 0;
}
