// libFuzzer target for parseZebraHostStatus: a printer's answer is outside
// input like any other (a misconfigured port, a device that is not a Zebra).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wms/labels/HostStatus.h"

using namespace wms::labels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)hostStatusComplete(input);
  auto status = parseZebraHostStatus(input);
  if (status) {
    (void)status->problem();
  } else if (status.error().message.empty()) {
    std::abort();
  }
  return 0;
}
