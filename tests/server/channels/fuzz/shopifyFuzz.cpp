// Fuzzes the Shopify order parser and the GraphQL answer reader: each must
// return a value or an error for any bytes, never crash, hang or read out of
// bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/channels/Payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)wms::channels::parseShopifyOrder(text);
  (void)wms::channels::readShopifyGraphql(text, "inventorySetQuantities");
  (void)wms::channels::readShopifyGraphql(text, "");
  (void)wms::channels::shopifyGid("InventoryItem", text.substr(0, 64), "listing_ref");
  (void)wms::channels::parseTimestamp(text.substr(0, 64));
  return 0;
}
