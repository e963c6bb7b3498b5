// Fuzzes Lazada's push and order parsers (the input is split at the first
// 0x00 byte into the GetOrder and GetOrderItems bodies).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/channels/Payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)wms::channels::parseLazadaPush(text);
  auto cut = text.find('\0');
  std::string_view order = text.substr(0, cut);
  std::string_view items = cut == std::string_view::npos ? text : text.substr(cut + 1);
  (void)wms::channels::parseLazadaOrder(order, items);
  return 0;
}
