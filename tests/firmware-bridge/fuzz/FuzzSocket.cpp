// libFuzzer target: lines on the bridge's Unix socket (src/SocketProtocol.cpp):
// commands as the bridge reads them and events as wms-handheld reads them;
// whatever parses must encode and parse back to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wms/fwbridge/SocketProtocol.h"

using namespace wms::fwbridge;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  if (auto cmd = parseCommand(line)) {
    auto again = parseCommand(encodeCommand(*cmd));
    if (!again || !(*again == *cmd)) std::abort();
  }
  if (auto event = parseEvent(line)) {
    auto again = parseEvent(encodeEvent(*event));
    if (!again || !(*again == *event)) std::abort();
  }
  return 0;
}
