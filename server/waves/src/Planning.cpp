#include "wms/waves/Planning.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "wms/domain/Stock.h"

namespace wms::waves {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}

constexpr Millis kMsPerMinute = 60'000;
constexpr Millis kMsPerDay = 24 * 60 * kMsPerMinute;

// Floor division: times before 1970 must still fall on the right day.
Millis floorDiv(Millis a, Millis b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Proleptic Gregorian date of a day count since 1970-01-01 (era-based
// arithmetic: 400-year eras of 146097 days, years starting in March).
void civilFromDays(Millis days, int& y, int& m, int& d) {
  days += 719468;
  const Millis era = floorDiv(days, 146097);
  const Millis doe = days - era * 146097;
  const Millis yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const Millis doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const Millis mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

}  // namespace

Result<std::vector<CarrierCutoff>> nextCutoffs(std::span<const DailyCutoff> daily, Millis nowMs,
                                               int utcOffsetMinutes) {
  if (utcOffsetMinutes < -14 * 60 || utcOffsetMinutes > 14 * 60) {
    return invalid("utc offset must be within -840..840 minutes, got " + std::to_string(utcOffsetMinutes));
  }
  std::vector<CarrierCutoff> out;
  std::unordered_set<std::string> seen;
  const Millis offset = Millis{utcOffsetMinutes} * kMsPerMinute;
  const Millis localMidnight = floorDiv(nowMs + offset, kMsPerDay) * kMsPerDay - offset;
  for (std::size_t i = 0; i < daily.size(); ++i) {
    const auto& c = daily[i];
    if (c.minuteOfDay < 0 || c.minuteOfDay >= 24 * 60) {
      return invalid("cutoff of carrier '" + c.carrier + "': minute of day must be 0..1439, got " +
                     std::to_string(c.minuteOfDay));
    }
    if (!seen.insert(c.carrier).second) return invalid("carrier '" + c.carrier + "' has two cutoffs");
    Millis at = localMidnight + Millis{c.minuteOfDay} * kMsPerMinute;
    if (at < nowMs) at += kMsPerDay;
    out.push_back({c.carrier, at});
  }
  return out;
}

std::string formatLocalTime(Millis ms, int utcOffsetMinutes) {
  const Millis local = ms + Millis{utcOffsetMinutes} * kMsPerMinute;
  const Millis days = floorDiv(local, kMsPerDay);
  const Millis minutes = (local - days * kMsPerDay) / kMsPerMinute;
  int y = 0, m = 0, d = 0;
  civilFromDays(days, y, m, d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", y, m, d, static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return buf;
}

Status validateOrders(std::span<const PlanOrder> orders) {
  std::unordered_set<OrderId> ids;
  ids.reserve(orders.size());
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const auto& o = orders[i];
    const std::string who = "order " + std::to_string(o.id);
    if (o.id <= 0)
      return invalid("orders[" + std::to_string(i) + "]: id must be positive, got " + std::to_string(o.id));
    if (!ids.insert(o.id).second) return invalid(who + " is listed twice");
    if (o.createdAtMs < 0) return invalid(who + ": created_at must not be before 1970");
    if (auto st = domain::checkText(o.carrier, "carrier", 64); !st)
      return invalid(who + ": " + st.error().message);
    if (auto st = domain::checkText(o.zone, "zone", 8); !st) return invalid(who + ": " + st.error().message);
    if (o.lines.empty()) return invalid(who + " has no lines");
    if (o.lines.size() > domain::kMaxOrderLines) {
      return invalid(who + " has " + std::to_string(o.lines.size()) + " lines; at most " +
                     std::to_string(domain::kMaxOrderLines) + " are allowed");
    }
    std::unordered_set<int> lineNos;
    for (const auto& l : o.lines) {
      const std::string where = who + " line " + std::to_string(l.lineNo);
      if (l.lineNo <= 0)
        return invalid(who + ": line numbers must be positive, got " + std::to_string(l.lineNo));
      if (!lineNos.insert(l.lineNo).second) return invalid(where + " is listed twice");
      if (auto st = domain::checkSku(l.sku); !st) return invalid(where + ": " + st.error().message);
      if (auto st = domain::checkPositiveQuantity(l.qty, "qty"); !st)
        return invalid(where + ": " + st.error().message);
    }
  }
  return {};
}

Status validateCart(const CartSpec& cart) {
  if (cart.totes < 1 || cart.totes > kMaxCartTotes) {
    return invalid("cart: totes must be 1.." + std::to_string(kMaxCartTotes) + ", got " +
                   std::to_string(cart.totes));
  }
  if (cart.maxUnits < 0) return invalid("cart: max units per tote must be >= 0 (0 = no limit)");
  if (cart.maxVolumeCm3 < 0) return invalid("cart: max volume per tote must be >= 0 (0 = no limit)");
  if (cart.maxWeightG < 0) return invalid("cart: max weight per tote must be >= 0 (0 = no limit)");
  return {};
}

struct StockIndex::Data {
  layouts::Layout layout;
  std::vector<SkuInfo> skus;
  std::unordered_map<std::string, std::uint32_t> skuByCode;
  std::vector<Slot> slots;
  std::vector<std::uint32_t> slotOffsets;  // CSR: slots of sku s are order[offsets[s] .. offsets[s+1])
  std::vector<std::uint32_t> order;
};

Result<StockIndex> StockIndex::build(const layouts::Layout& layout, std::span<const SkuInfo> skus,
                                     std::span<const StockSlot> slots) {
  auto data = std::make_shared<Data>(Data{layout, {}, {}, {}, {}, {}});
  data->skus.assign(skus.begin(), skus.end());
  data->skuByCode.reserve(skus.size());
  for (std::size_t i = 0; i < skus.size(); ++i) {
    const auto& s = skus[i];
    const std::string where = "skus[" + std::to_string(i) + "]";
    if (auto st = domain::checkSku(s.sku); !st) return invalid(where + ": " + st.error().message);
    if (s.weightG < 0) return invalid(where + " (" + s.sku + "): weight must not be negative");
    if (s.volumeCm3 < 0) return invalid(where + " (" + s.sku + "): volume must not be negative");
    if (!data->skuByCode.emplace(s.sku, static_cast<std::uint32_t>(i)).second) {
      return invalid(where + ": sku '" + s.sku + "' is listed twice");
    }
  }
  data->slots.reserve(slots.size());
  struct Key {
    std::uint32_t sku;
    std::uint32_t location;
    std::string lot;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return std::hash<std::string>()(k.lot) ^ (std::size_t{k.sku} * 1000003u) ^
             (std::size_t{k.location} << 20);
    }
  };
  std::unordered_set<Key, KeyHash> seen;
  seen.reserve(slots.size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const auto& s = slots[i];
    const std::string where = "stock[" + std::to_string(i) + "]";
    auto sku = data->skuByCode.find(s.sku);
    if (sku == data->skuByCode.end()) return invalid(where + ": sku '" + s.sku + "' is not in the SKU data");
    auto location = layout.lookup(s.location);
    if (!location) return invalid(where + ": " + location.error().message);
    if (s.lot.size() > domain::kMaxExternalIdLength) return invalid(where + ": lot is too long");
    if (!s.expiry.empty()) {
      if (auto st = domain::checkDate(s.expiry, "expiry"); !st)
        return invalid(where + ": " + st.error().message);
    }
    if (s.qty < 0 || s.qty > domain::kMaxQuantity) {
      return invalid(where + ": qty must be 0.." + std::to_string(domain::kMaxQuantity) + ", got " +
                     std::to_string(s.qty));
    }
    if (!seen.insert(Key{sku->second, layouts::index(*location), s.lot}).second) {
      return invalid(where + ": sku '" + s.sku + "' at '" + s.location + "'" +
                     (s.lot.empty() ? std::string() : " lot '" + s.lot + "'") + " is listed twice");
    }
    data->slots.push_back(Slot{sku->second, *location, s.location, s.lot, s.expiry, s.qty});
  }

  // Group slots by SKU in allocation preference order.
  const auto depot = layout.depot();
  std::vector<Millimetres> fromDepot(data->slots.size());
  for (std::size_t i = 0; i < data->slots.size(); ++i)
    fromDepot[i] = layout.distance(depot, data->slots[i].location);
  data->order.resize(data->slots.size());
  std::iota(data->order.begin(), data->order.end(), 0u);
  const auto& sl = data->slots;
  const auto& sk = data->skus;
  std::sort(data->order.begin(), data->order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (sl[a].sku != sl[b].sku) return sl[a].sku < sl[b].sku;
    if (sk[sl[a].sku].expiryTracked) {
      const bool ea = sl[a].expiry.empty(), eb = sl[b].expiry.empty();
      if (ea != eb) return eb;
      if (sl[a].expiry != sl[b].expiry) return sl[a].expiry < sl[b].expiry;
    }
    if (fromDepot[a] != fromDepot[b]) return fromDepot[a] < fromDepot[b];
    return a < b;
  });
  data->slotOffsets.assign(data->skus.size() + 1, 0);
  for (const auto& s : sl) ++data->slotOffsets[s.sku + 1];
  for (std::size_t i = 1; i < data->slotOffsets.size(); ++i) data->slotOffsets[i] += data->slotOffsets[i - 1];
  return StockIndex(std::move(data));
}

const layouts::Layout& StockIndex::layout() const noexcept {
  return data_->layout;
}
std::span<const SkuInfo> StockIndex::skus() const noexcept {
  return data_->skus;
}
std::span<const StockIndex::Slot> StockIndex::slots() const noexcept {
  return data_->slots;
}

std::optional<std::uint32_t> StockIndex::findSku(std::string_view sku) const noexcept {
  // A transparent lookup would avoid this copy; SKU codes are short.
  auto it = data_->skuByCode.find(std::string(sku));
  if (it == data_->skuByCode.end()) return std::nullopt;
  return it->second;
}

std::span<const std::uint32_t> StockIndex::slotsOf(std::uint32_t sku) const {
  if (sku >= data_->skus.size())
    throw std::out_of_range("StockIndex::slotsOf: no sku index " + std::to_string(sku));
  const auto begin = data_->slotOffsets[sku], end = data_->slotOffsets[sku + 1];
  return std::span<const std::uint32_t>(data_->order).subspan(begin, end - begin);
}

}  // namespace wms::waves
