#include "wms/channels/Atp.h"

#include <algorithm>

#include "wms/domain/Ids.h"

namespace wms::channels {

Status validateListingPolicy(const ListingPolicy& p) {
  if (p.buffer < 0 || p.buffer > domain::kMaxQuantity)
    return Error{ErrorKind::Invalid, "buffer must be a whole number from 0 to " + std::to_string(domain::kMaxQuantity)};
  if (p.cap && (*p.cap < 0 || *p.cap > domain::kMaxQuantity))
    return Error{ErrorKind::Invalid, "cap must be a whole number from 0 to " + std::to_string(domain::kMaxQuantity)};
  if (p.percent < 0 || p.percent > 100) return Error{ErrorKind::Invalid, "percent must be a whole number from 0 to 100"};
  return {};
}

std::int64_t availableToPromise(std::int64_t available, const ListingPolicy& p) noexcept {
  const std::int64_t rest = available - p.buffer;
  if (rest <= 0) return 0;  // also keeps the division below on non-negative numbers (it floors)
  std::int64_t share = rest * p.percent / 100;
  if (p.cap) share = std::min(share, *p.cap);
  return std::max<std::int64_t>(0, share);
}

}  // namespace wms::channels
