// libFuzzer target: the topic parser. Whatever parses must be rebuilt
// exactly by topicFor().
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wms/protocol/Topics.h"

using namespace wms::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view topic(reinterpret_cast<const char*>(data), size);
  auto parsed = parseTopic(topic);
  if (parsed.ok() && topicFor(parsed->device, parsed->channel) != topic) std::abort();
  if (!parsed.ok() && parsed.error().message.size() > 400) std::abort();
  return 0;
}
