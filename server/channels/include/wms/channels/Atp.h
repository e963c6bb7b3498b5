// Available-to-promise per channel listing. Pure.
//
//   atp = max(0, min(cap, floor((available - buffer) * percent / 100)))
//
// where available = on_hand - allocated of the central stock, buffer is held
// back from this channel, percent (0..100) is the share of the rest it may
// sell, and cap (optional) is the most it is ever shown. Worked examples are in
// docs/channels.md and pinned by tests/server/channels/AtpTest.cpp.
#pragma once

#include <cstdint>
#include <optional>

#include "wms/common/Result.h"

namespace wms::channels {

struct ListingPolicy {
  std::int64_t buffer = 0;           // 0..kMaxQuantity
  std::optional<std::int64_t> cap;   // 0..kMaxQuantity; unset: no cap
  int percent = 100;                 // 0..100
};

// Invalid naming the field if buffer, cap or percent is out of range.
Status validateListingPolicy(const ListingPolicy& policy);

// The figure a channel is told for `available` units. Never negative.
std::int64_t availableToPromise(std::int64_t available, const ListingPolicy& policy) noexcept;

}  // namespace wms::channels
