// Fuzzes Amazon SP-API's getOrders, getOrderItems and listings-patch answer readers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/channels/Payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)wms::channels::parseAmazonOrders(text);
  (void)wms::channels::parseAmazonOrderItems(text);
  (void)wms::channels::readAmazonListingsSubmission(text);
  return 0;
}
