// Internal: pieces every channel's normaliser shares.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "../PayloadJson.h"
#include "wms/channels/ChannelOrder.h"
#include "wms/common/Result.h"

namespace wms::channels::payloads {

// Adds one unit-row or line to `lines`, summing quantities of rows with the
// same SKU keys (channels that send one row per unit).
void addLine(std::vector<ChannelLine>& lines, ChannelLine line);

// A quantity field: 1..domain::kMaxQuantity.
std::int64_t quantity(json::ObjectReader& r, const std::string& key);

// Reads a unix-seconds field into ms (Shopee, TikTok, Lazada push).
std::int64_t unixSeconds(json::ObjectReader& r, const std::string& key, json::Need need);
// Reads an ISO 8601 / Lazada timestamp field into ms.
std::int64_t timestamp(json::ObjectReader& r, const std::string& key, json::Need need);

// The reader's first error, or `value`.
template <class T>
Result<T> finish(const json::ObjectReader& r, T value) {
  if (auto st = r.status(); !st) return st.error();
  return value;
}

// Lower-cases ASCII.
std::string lower(std::string_view s);
// An ISO 3166 alpha-2 code for a country given by code or by English name
// (the six Lazada countries and common names); "" if unknown.
std::string countryCode(std::string_view nameOrCode);

}  // namespace wms::channels::payloads
