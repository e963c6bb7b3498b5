#include "wms/waves/Allocation.h"

#include <stdexcept>

#include "wms/domain/Stock.h"

namespace wms::waves {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}

bool usable(const StockIndex::Slot& slot, const AllocationOptions& options) {
  return options.notExpiringBefore.empty() || slot.expiry.empty() || slot.expiry >= options.notExpiringBefore;
}

// The slot choice for one line; reads `available`, changes nothing.
std::vector<Pick> choose(const StockIndex& stock, std::uint32_t sku, std::int64_t qty,
                         std::span<const std::int64_t> available, const AllocationOptions& options) {
  std::vector<Pick> picks;
  const auto slots = stock.slots();
  const auto candidates = stock.slotsOf(sku);
  std::int64_t need = qty;
  if (stock.skus()[sku].expiryTracked) {
    // slotsOf() is already in FEFO order.
    for (std::uint32_t s : candidates) {
      if (need == 0) break;
      if (available[s] <= 0 || !usable(slots[s], options)) continue;
      const std::int64_t take = std::min(need, available[s]);
      picks.push_back({s, take});
      need -= take;
    }
    return picks;
  }
  // Fewest stops: a slot that covers what is left (the smallest such, so that
  // big slots stay for big lines), else the largest, until covered. Each slot
  // is used at most once: the largest is always emptied.
  std::vector<bool> used(candidates.size(), false);
  while (need > 0) {
    std::size_t cover = candidates.size(), largest = candidates.size();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const std::uint32_t s = candidates[i];
      if (used[i] || available[s] <= 0 || !usable(slots[s], options)) continue;
      if (available[s] >= need && (cover == candidates.size() || available[s] < available[candidates[cover]]))
        cover = i;
      if (largest == candidates.size() || available[s] > available[candidates[largest]]) largest = i;
    }
    const std::size_t pick = cover != candidates.size() ? cover : largest;
    if (pick == candidates.size()) break;
    used[pick] = true;
    const std::uint32_t s = candidates[pick];
    const std::int64_t take = std::min(need, available[s]);
    picks.push_back({s, take});
    need -= take;
  }
  return picks;
}

}  // namespace

const char* toString(RejectReason reason) noexcept {
  switch (reason) {
    case RejectReason::UnknownSku:
      return "unknown_sku";
    case RejectReason::Short:
      return "short";
  }
  return "short";
}

std::vector<Pick> chooseSlots(const StockIndex& stock, std::uint32_t sku, std::int64_t qty,
                              std::span<const std::int64_t> available, const AllocationOptions& options) {
  if (available.size() != stock.slots().size()) {
    throw std::out_of_range("chooseSlots: availability has " + std::to_string(available.size()) +
                            " entries for " + std::to_string(stock.slots().size()) + " slots");
  }
  if (qty <= 0) return {};
  return choose(stock, sku, qty, available, options);
}

Result<Allocation> allocate(std::span<const PlanOrder> orders, const StockIndex& stock,
                            const AllocationOptions& options, std::span<const std::int64_t> available) {
  if (auto st = validateOrders(orders); !st) return st.error();
  if (!options.notExpiringBefore.empty()) {
    if (auto st = domain::checkDate(options.notExpiringBefore, "not_expiring_before"); !st) return st.error();
  }
  const auto slots = stock.slots();
  Allocation out;
  if (available.empty()) {
    out.remaining.reserve(slots.size());
    for (const auto& s : slots) out.remaining.push_back(s.qty);
  } else {
    if (available.size() != slots.size()) {
      return invalid("availability has " + std::to_string(available.size()) + " entries for " +
                     std::to_string(slots.size()) + " stock slots");
    }
    for (std::size_t i = 0; i < available.size(); ++i) {
      if (available[i] < 0)
        return invalid("availability of stock slot " + std::to_string(i) + " is negative");
    }
    out.remaining.assign(available.begin(), available.end());
  }
  const auto& layout = stock.layout();
  const auto skus = stock.skus();
  out.orders.reserve(orders.size());

  std::vector<std::uint32_t> skuOf;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const PlanOrder& order = orders[i];
    const std::string who = "order " + std::to_string(order.id);
    skuOf.clear();
    std::string unknown;
    for (const auto& line : order.lines) {
      auto sku = stock.findSku(line.sku);
      if (!sku) {
        unknown = who + " line " + std::to_string(line.lineNo) + ": sku '" + line.sku + "' has no SKU data";
        break;
      }
      skuOf.push_back(*sku);
    }
    if (!unknown.empty()) {
      out.rejected.push_back({order.id, RejectReason::UnknownSku, std::move(unknown)});
      continue;
    }

    AllocatedOrder result;
    result.input = i;
    result.id = order.id;
    std::string shortMessage;
    int shortLines = 0;
    for (std::size_t l = 0; l < order.lines.size(); ++l) {
      const auto& line = order.lines[l];
      AllocatedLine al;
      al.lineNo = line.lineNo;
      al.sku = skuOf[l];
      al.ordered = line.qty;
      std::int64_t poolBefore = 0;
      for (std::uint32_t s : stock.slotsOf(al.sku)) {
        if (usable(slots[s], options)) poolBefore += out.remaining[s];
      }
      al.picks = choose(stock, al.sku, line.qty, out.remaining, options);
      for (const auto& p : al.picks) {
        out.remaining[p.slot] -= p.qty;
        al.allocated += p.qty;
      }
      if (al.allocated < al.ordered) {
        out.shortfalls.push_back({order.id, line.lineNo, line.sku, line.qty, poolBefore});
        if (shortLines++ < 3) {
          shortMessage += (shortMessage.empty() ? who : std::string(";")) + " line " +
                          std::to_string(line.lineNo) + ": sku '" + line.sku +
                          "' short: " + std::to_string(line.qty) + " ordered, " + std::to_string(poolBefore) +
                          " available";
        }
      }
      result.lines.push_back(std::move(al));
    }
    if (shortLines > 3) shortMessage += "; and " + std::to_string(shortLines - 3) + " more short lines";

    std::int64_t units = 0;
    for (const auto& al : result.lines) units += al.allocated;
    const bool hold = shortLines > 0 && options.onShortfall == ShortfallPolicy::HoldOrder;
    if (hold || units == 0) {
      for (const auto& al : result.lines) {
        for (const auto& p : al.picks) out.remaining[p.slot] += p.qty;
      }
      if (!hold) shortMessage += " (nothing could be allocated)";
      out.rejected.push_back({order.id, RejectReason::Short, std::move(shortMessage)});
      continue;
    }
    std::erase_if(result.lines, [](const AllocatedLine& al) { return al.allocated == 0; });
    int zone = -1;
    for (const auto& al : result.lines) {
      const SkuInfo& info = skus[al.sku];
      result.units += al.allocated;
      result.weightG += al.allocated * info.weightG;
      result.volumeCm3 += al.allocated * info.volumeCm3;
      for (const auto& p : al.picks) {
        const int z = layout.location(slots[p.slot].location).zone;
        zone = zone == -1 ? z : (zone == z ? z : -2);
      }
    }
    if (zone >= 0) result.zone = layout.zones()[static_cast<std::size_t>(zone)].code;
    out.orders.push_back(std::move(result));
  }
  return out;
}

}  // namespace wms::waves
