// SKU velocity and ABC classes (Velocity.h).
#include "wms/inbound/Velocity.h"

#include <algorithm>

#include "wms/store/Query.h"

namespace wms::inbound {

std::vector<SkuVelocity> classify(std::vector<std::pair<std::string, std::int64_t>> unitsBySku) {
  std::stable_sort(unitsBySku.begin(), unitsBySku.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::int64_t total = 0;
  for (const auto& [sku, units] : unitsBySku) total += std::max<std::int64_t>(0, units);
  std::vector<SkuVelocity> out;
  std::int64_t before = 0;  // units of the faster SKUs
  for (const auto& [sku, units] : unitsBySku) {
    SkuVelocity v{sku, units, 'C'};
    // A SKU is classed by where its own units start in the running share,
    // so the one that crosses 80% is still A.
    if (units > 0 && total > 0) {
      if (before * 100 < total * 80) v.abc = 'A';
      else if (before * 100 < total * 95) v.abc = 'B';
    }
    before += std::max<std::int64_t>(0, units);
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<SkuVelocity>> velocity(store::Tx& tx, std::int64_t sinceMs) {
  std::vector<std::pair<std::string, std::int64_t>> units;
  store::Query q(tx,
                 "SELECT s.code, COALESCE((SELECT -SUM(l.delta_on_hand) FROM ledger l WHERE l.sku = s.code AND "
                 "l.cause = 'ship' AND l.at >= ?), 0) FROM skus s ORDER BY s.code");
  q.bind(sinceMs);
  while (q.step()) units.emplace_back(q.text(0), q.integer(1));
  return classify(std::move(units));
}

}  // namespace wms::inbound
