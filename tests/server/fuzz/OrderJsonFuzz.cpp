// Fuzzes the readers of order, SKU and adjustment request bodies: any bytes
// must give a value or an error naming the problem, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/Mapping.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto order = wms::server::json::newOrderFromJson(body);
  if (order) (void)wms::domain::validateNewOrder(*order);
  (void)wms::server::json::skuFromJson(body, "");
  (void)wms::server::json::adjustmentFromJson(body);
  return 0;
}
