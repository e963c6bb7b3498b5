// libFuzzer target: the headless mode's script parser (src/cli/Script.cpp)
// and the config file parser (src/cli/HandheldCommand.cpp): both read files.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/handheld/HandheldCommand.h"
#include "wms/handheld/Script.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto script = wms::handheld::parseScript(text);
  if (script)
    for (const auto& c : *script)
      if (c.line < 1 || c.timeout.count() < 0) __builtin_trap();
  (void)wms::handheld::parseHandheldConfig(text);
  return 0;
}
