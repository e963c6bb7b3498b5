// Fuzzes Shopee's push, get_order_detail and update_stock answer readers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/channels/Payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)wms::channels::parseShopeePush(text);
  (void)wms::channels::parseShopeeOrderDetail(text, "220810QYP6D1UB");
  (void)wms::channels::readShopeeUpdateStock(text);
  return 0;
}
