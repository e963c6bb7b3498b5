// Fuzzes TikTok Shop's webhook and order detail parsers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/channels/Payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)wms::channels::parseTikTokWebhook(text);
  (void)wms::channels::parseTikTokOrderDetail(text, "576461413038785752");
  return 0;
}
