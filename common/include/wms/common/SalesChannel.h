// The sales channels an order can come from: one enum for the whole system.
// The order model (domain::Channel), the channel adapters and the shipping
// label all name a channel with it, so a new marketplace is added here once
// and every switch over it that forgets the new case fails to compile.
#pragma once

#include <optional>
#include <string_view>

namespace wms {

// Pos: a sale in the retailer's own store. Manual: an order keyed in by a
// person or imported from a file, with no marketplace behind it.
enum class SalesChannel { Shopify, Lazada, Shopee, TikTok, Amazon, Pos, Manual };

inline constexpr SalesChannel kAllSalesChannels[] = {SalesChannel::Shopify, SalesChannel::Lazada, SalesChannel::Shopee,
                                                     SalesChannel::TikTok,  SalesChannel::Amazon, SalesChannel::Pos,
                                                     SalesChannel::Manual};

// The spelling in JSON, the database and topic names: "shopify", "lazada",
// "shopee", "tiktok", "amazon", "pos", "manual".
constexpr const char* toString(SalesChannel channel) noexcept {
  switch (channel) {
    case SalesChannel::Shopify: return "shopify";
    case SalesChannel::Lazada: return "lazada";
    case SalesChannel::Shopee: return "shopee";
    case SalesChannel::TikTok: return "tiktok";
    case SalesChannel::Amazon: return "amazon";
    case SalesChannel::Pos: return "pos";
    case SalesChannel::Manual: return "manual";
  }
  return "manual";
}

// The channel spelled `text` (exactly, lower case), or nullopt.
constexpr std::optional<SalesChannel> salesChannelFrom(std::string_view text) noexcept {
  for (SalesChannel c : kAllSalesChannels) {
    if (text == toString(c)) return c;
  }
  return std::nullopt;
}

// The name a person reads, on a label or a page: "TikTok Shop", "Store POS".
constexpr const char* displayName(SalesChannel channel) noexcept {
  switch (channel) {
    case SalesChannel::Shopify: return "Shopify";
    case SalesChannel::Lazada: return "Lazada";
    case SalesChannel::Shopee: return "Shopee";
    case SalesChannel::TikTok: return "TikTok Shop";
    case SalesChannel::Amazon: return "Amazon";
    case SalesChannel::Pos: return "Store POS";
    case SalesChannel::Manual: return "Manual order";
  }
  return "Manual order";
}

}  // namespace wms
