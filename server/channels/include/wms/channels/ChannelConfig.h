// The channels' settings: wmsd keys with the prefix `channels.` (documented
// in server/wmsd.properties), parsed here so that a typo is refused at start.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "wms/channels/SyncPolicy.h"
#include "wms/common/Result.h"
#include "wms/domain/Order.h"

namespace wms::channels {

// One marketplace's settings. Which credential field means what differs per
// channel; docs/channels.md has the table.
struct ChannelSettings {
  bool enabled = false;        // webhooks accepted, stock pushed, orders polled
  std::string apiBase;         // e.g. https://example.myshopify.com or http://127.0.0.1:8900/shopify
  std::string secret;          // Shopify app secret, Lazada/TikTok app secret, Shopee partner key
  std::string appKey;          // Lazada/TikTok app key, Shopee partner id
  std::string accessToken;     // the shop's access token (Amazon: the LWA access token)
  std::string shopId;          // Shopee shop_id, TikTok shop_cipher, Amazon seller id
  std::string locationId;      // Shopify location_id, TikTok warehouse_id, Shopee location_id
  std::string callbackUrl;     // Shopee: the callback URL it signs pushes with
  std::string marketplaceId;   // Amazon marketplace id
  double pushRate = 2.0;       // stock updates per second (token bucket)
  double pushBurst = 10.0;
  // Amazon: polling.
  std::int64_t pollMs = 60000;
  // Amazon: ask the Tokens API for a restricted-data token (the app needs
  // the Direct-to-Consumer Shipping role) and read orders with it: without
  // one, getOrders leaves out the buyer's name, street lines and phone, and
  // every order is held for its address.
  bool restrictedDataToken = false;
  double ordersRate = 0.0167;  // getOrders
  double ordersBurst = 20;
  double itemsRate = 0.5;      // getOrderItems
  double itemsBurst = 30;
};

struct ChannelsConfig {
  std::map<domain::Channel, ChannelSettings> channels;  // the five marketplaces, enabled or not
  RetryPolicy retry;
  std::optional<domain::ShortagePolicy> onShortage;     // unset: the server's orders.on_shortage
  int fetchThreads = 4;                                 // push-then-fetch workers
  int httpTimeoutMs = 5000;

  const ChannelSettings& settings(domain::Channel channel) const;  // a disabled default for others
};

// The marketplaces the channels component talks to (not pos/manual).
inline constexpr domain::Channel kMarketplaces[] = {domain::Channel::Shopify, domain::Channel::Lazada,
                                                    domain::Channel::Shopee, domain::Channel::TikTok,
                                                    domain::Channel::Amazon};
bool isMarketplace(domain::Channel channel) noexcept;

// Reads every `channels.*` key of `raw` (other keys are ignored). Invalid
// naming the key for an unknown key or a bad value, and for an enabled
// channel without the settings it needs (its secret and api_base).
Result<ChannelsConfig> channelsConfigFrom(const std::map<std::string, std::string>& raw);

}  // namespace wms::channels
