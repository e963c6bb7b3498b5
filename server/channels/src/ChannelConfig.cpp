#include "wms/channels/ChannelConfig.h"

#include <cstdlib>
#include <set>

#include "wms/domain/Csv.h"

namespace wms::channels {
namespace {

Error invalid(const std::string& key, const std::string& message) {
  return Error{ErrorKind::Invalid, "config " + key + ": " + message};
}

Result<double> number(const std::string& key, const std::string& text, double lo, double hi) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(v >= lo && v <= hi))
    return invalid(key, "must be a number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" +
                            text + "'");
  return v;
}

Result<std::int64_t> whole(const std::string& key, const std::string& text, std::int64_t lo, std::int64_t hi) {
  auto v = domain::parseInt64(text);
  if (!v || *v < lo || *v > hi)
    return invalid(key, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" +
                            text + "'");
  return *v;
}

}  // namespace

bool isMarketplace(domain::Channel channel) noexcept {
  for (auto c : kMarketplaces) {
    if (c == channel) return true;
  }
  return false;
}

const ChannelSettings& ChannelsConfig::settings(domain::Channel channel) const {
  static const ChannelSettings disabled;
  auto it = channels.find(channel);
  return it == channels.end() ? disabled : it->second;
}

Result<ChannelsConfig> channelsConfigFrom(const std::map<std::string, std::string>& raw) {
  ChannelsConfig c;
  for (auto ch : kMarketplaces) c.channels[ch] = ChannelSettings{};
  for (const auto& entry : raw) {
    // Named copies: clang 14 cannot capture structured bindings in the lambda below.
    const std::string& key = entry.first;
    const std::string& value = entry.second;
    if (key.rfind("channels.", 0) != 0) continue;
    const std::string rest = key.substr(9);
    if (rest == "retry_base_ms") {
      auto v = whole(key, value, 1, 600000);
      if (!v) return v.error();
      c.retry.baseMs = *v;
    } else if (rest == "retry_max_ms") {
      auto v = whole(key, value, 1, 3600000);
      if (!v) return v.error();
      c.retry.maxMs = *v;
    } else if (rest == "fetch_threads") {
      auto v = whole(key, value, 1, 64);
      if (!v) return v.error();
      c.fetchThreads = static_cast<int>(*v);
    } else if (rest == "http_timeout_ms") {
      auto v = whole(key, value, 100, 600000);
      if (!v) return v.error();
      c.httpTimeoutMs = static_cast<int>(*v);
    } else if (rest == "on_shortage") {
      auto p = domain::shortagePolicyFromString(value);
      if (!p) return invalid(key, "must be reject or backorder, got '" + value + "'");
      c.onShortage = *p;
    } else {
      auto dot = rest.find('.');
      auto channel = dot == std::string::npos ? std::nullopt : domain::channelFromString(rest.substr(0, dot));
      if (!channel || !isMarketplace(*channel)) return invalid(key, "unknown setting");
      auto& s = c.channels[*channel];
      const std::string field = rest.substr(dot + 1);
      auto num = [&](double& out, double lo, double hi) -> Status {
        auto v = number(key, value, lo, hi);
        if (!v) return v.error();
        out = *v;
        return {};
      };
      Status st;
      if (field == "enabled") {
        if (value != "true" && value != "false") return invalid(key, "must be true or false, got '" + value + "'");
        s.enabled = value == "true";
      } else if (field == "api_base") {
        if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0)
          return invalid(key, "must be an http:// or https:// URL, got '" + value + "'");
        s.apiBase = value;
        while (!s.apiBase.empty() && s.apiBase.back() == '/') s.apiBase.pop_back();
      } else if (field == "secret") s.secret = value;
      else if (field == "app_key") s.appKey = value;
      else if (field == "access_token") s.accessToken = value;
      else if (field == "shop_id") s.shopId = value;
      else if (field == "location_id") s.locationId = value;
      else if (field == "callback_url") s.callbackUrl = value;
      else if (field == "marketplace_id") s.marketplaceId = value;
      else if (field == "restricted_data_token") {
        if (channel != domain::Channel::Amazon) return invalid(key, "is an Amazon setting");
        if (value != "true" && value != "false") return invalid(key, "must be true or false, got '" + value + "'");
        s.restrictedDataToken = value == "true";
      } else if (field == "push_rate") st = num(s.pushRate, 0.001, 100000);
      else if (field == "push_burst") st = num(s.pushBurst, 1, 100000);
      else if (field == "orders_rate") st = num(s.ordersRate, 0.0001, 100000);
      else if (field == "orders_burst") st = num(s.ordersBurst, 1, 100000);
      else if (field == "items_rate") st = num(s.itemsRate, 0.0001, 100000);
      else if (field == "items_burst") st = num(s.itemsBurst, 1, 100000);
      else if (field == "poll_ms") {
        auto v = whole(key, value, 10, 86400000);
        if (!v) return v.error();
        s.pollMs = *v;
      } else return invalid(key, "unknown setting");
      if (!st) return st.error();
    }
  }
  for (const auto& [channel, s] : c.channels) {
    if (!s.enabled) continue;
    const std::string prefix = std::string("channels.") + domain::toString(channel) + ".";
    if (s.apiBase.empty()) return invalid(prefix + "api_base", "is required when the channel is enabled");
    if (channel != domain::Channel::Amazon && s.secret.empty())
      return invalid(prefix + "secret", "is required when the channel is enabled");
    if ((channel == domain::Channel::Lazada || channel == domain::Channel::TikTok) && s.appKey.empty())
      return invalid(prefix + "app_key", "is required when the channel is enabled");
    if (channel == domain::Channel::Shopee && s.callbackUrl.empty())
      return invalid(prefix + "callback_url", "is required when the channel is enabled (Shopee signs it)");
    if (channel == domain::Channel::Amazon && s.marketplaceId.empty())
      return invalid(prefix + "marketplace_id", "is required when the channel is enabled");
  }
  if (c.retry.maxMs < c.retry.baseMs) return invalid("channels.retry_max_ms", "must not be below channels.retry_base_ms");
  return c;
}

}  // namespace wms::channels
