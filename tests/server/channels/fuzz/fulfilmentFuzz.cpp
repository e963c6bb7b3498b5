// Fuzzes the fulfilment planners (the channels' answers about an order:
// Shopify fulfillment orders, Lazada order items, TikTok order detail) with
// a fixed notice whose line ids occur in the seeds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/channels/Payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const wms::channels::ShippedNotice shopify = [] {
    wms::channels::ShippedNotice n;
    n.externalId = "450789469";
    n.lines = {{"466157049", "A", 3}, {"518995019", "B", 1}};
    return n;
  }();
  static const wms::channels::ShippedNotice lazada = [] {
    wms::channels::ShippedNotice n;
    n.externalId = "260422900198363";
    n.lines = {{"260422900298363", "A", 2}, {"260422900298365", "B", 1}};
    return n;
  }();
  static const wms::channels::ShippedNotice tiktok = [] {
    wms::channels::ShippedNotice n;
    n.externalId = "576461413038785752";
    n.lines = {{"577087614418520000", "A", 2}, {"577087614418520002", "B", 1}};
    return n;
  }();
  (void)wms::channels::planShopifyFulfilment(text, shopify);
  (void)wms::channels::planLazadaUnits(text, lazada);
  (void)wms::channels::planTikTokUnits(text, tiktok);
  return 0;
}
