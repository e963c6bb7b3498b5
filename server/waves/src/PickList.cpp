#include "wms/waves/PickList.h"

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>

namespace wms::waves {
namespace {

void requireSameLayout(const layouts::Router& router, const StockIndex& stock, const char* what) {
  if (&router.layout().data() != &stock.layout().data()) {
    throw std::invalid_argument(std::string(what) + ": the router is not built on the stock index's layout");
  }
}

std::vector<LocationId> locationsOf(const std::vector<Stop>& stops) {
  std::vector<LocationId> out;
  out.reserve(stops.size());
  for (const auto& s : stops) out.push_back(s.location);
  return out;
}

struct Remainder {
  int tote;
  OrderId order;
  int lineNo;
  std::int64_t qty;
};

}  // namespace

const char* toString(ShortReason reason) noexcept {
  switch (reason) {
    case ShortReason::Empty:
      return "empty";
    case ShortReason::Damaged:
      return "damaged";
    case ShortReason::NotFound:
      return "not_found";
  }
  return "empty";
}

std::optional<ShortReason> shortReasonFromString(std::string_view text) noexcept {
  for (auto r : {ShortReason::Empty, ShortReason::Damaged, ShortReason::NotFound}) {
    if (text == toString(r)) return r;
  }
  return std::nullopt;
}

Result<PickList> buildPickList(const Batch& batch, const Allocation& allocation, const StockIndex& stock,
                               layouts::Router& router, const SequenceOptions& options) {
  requireSameLayout(router, stock, "buildPickList");
  const auto slots = stock.slots();
  const auto skus = stock.skus();
  std::map<std::uint32_t, Stop> bySlot;

  // Per order line: its picks (slot by slot) are poured into its tote
  // portions (tote by tote), so each unit lands in exactly one tote.
  for (std::size_t k : batch.orders) {
    const AllocatedOrder& order = allocation.orders.at(k);
    for (const auto& line : order.lines) {
      std::vector<std::pair<int, std::int64_t>> portions;  // (tote, qty)
      for (const auto& tote : batch.totes) {
        if (tote.allocated != k) continue;
        for (const auto& tl : tote.lines) {
          if (tl.lineNo == line.lineNo) portions.push_back({tote.number, tl.qty});
        }
      }
      std::size_t pi = 0;
      std::int64_t portionLeft = portions.empty() ? 0 : portions[0].second;
      for (const auto& pick : line.picks) {
        std::int64_t left = pick.qty;
        while (left > 0 && pi < portions.size()) {
          const std::int64_t n = std::min(left, portionLeft);
          auto [it, fresh] = bySlot.try_emplace(pick.slot);
          Stop& stop = it->second;
          if (fresh) {
            const auto& slot = slots[pick.slot];
            stop.slot = pick.slot;
            stop.location = slot.location;
            stop.locationCode = slot.locationCode;
            stop.sku = skus[slot.sku].sku;
            stop.lot = slot.lot;
            stop.expiry = slot.expiry;
          }
          stop.puts.push_back({portions[pi].first, order.id, line.lineNo, n});
          stop.qty += n;
          left -= n;
          portionLeft -= n;
          if (portionLeft == 0 && ++pi < portions.size()) portionLeft = portions[pi].second;
        }
      }
    }
  }

  std::vector<Stop> stops;
  stops.reserve(bySlot.size());
  for (auto& [slot, stop] : bySlot) stops.push_back(std::move(stop));
  std::vector<LocationId> picks = locationsOf(stops);
  layouts::RouteOptions ro;
  ro.method = options.method;
  ro.start = options.start;
  ro.end = options.end;
  ro.withPath = false;
  auto route = router.route(picks, ro);
  if (!route) return route.error();

  // Visiting rank of each location, looked up by binary search (a batch has few).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranks;  // (location index, rank)
  for (std::size_t i = 0; i < route->stops.size(); ++i) {
    ranks.push_back({layouts::index(route->stops[i]), static_cast<std::uint32_t>(i)});
  }
  std::sort(ranks.begin(), ranks.end());
  auto rankOf = [&](LocationId location) {
    auto it = std::lower_bound(ranks.begin(), ranks.end(),
                               std::pair<std::uint32_t, std::uint32_t>{layouts::index(location), 0});
    return it != ranks.end() && it->first == layouts::index(location)
               ? it->second
               : std::numeric_limits<std::uint32_t>::max();
  };
  std::sort(stops.begin(), stops.end(), [&](const Stop& a, const Stop& b) {
    const auto ra = rankOf(a.location), rb = rankOf(b.location);
    if (ra != rb) return ra < rb;
    if (a.sku != b.sku) return a.sku < b.sku;
    if (a.lot != b.lot) return a.lot < b.lot;
    return a.slot < b.slot;
  });
  PickList list;
  list.batch = batch.number;
  list.start = options.start.value_or(stock.layout().depot());
  list.end = options.end.value_or(stock.layout().depot());
  int n = 0;
  for (auto& s : stops) {
    ++n;
    s.id = n;
    s.seq = n * kSeqGap;
    std::sort(s.puts.begin(), s.puts.end(), [](const Put& a, const Put& b) {
      return a.tote != b.tote ? a.tote < b.tote : a.lineNo < b.lineNo;
    });
  }
  list.stops = std::move(stops);
  list.method = route->method;
  list.optimal = route->optimal;
  list.distanceMm = router.evaluate(locationsOf(list.stops), list.start, list.end);
  return list;
}

Result<ShortReplan> replanAfterShort(const PickList& list, const ShortReport& report, const StockIndex& stock,
                                     std::span<const std::int64_t> available, layouts::Router& router,
                                     std::span<const int> doneStops, const AllocationOptions& rules) {
  requireSameLayout(router, stock, "replanAfterShort");
  const auto at = std::find_if(list.stops.begin(), list.stops.end(),
                               [&](const Stop& s) { return s.id == report.stopId; });
  if (at == list.stops.end()) {
    return Error{ErrorKind::NotFound, "stop " + std::to_string(report.stopId) +
                                          " is not on the pick list of batch " + std::to_string(list.batch)};
  }
  const Stop& shortStop = *at;
  const std::string where =
      "stop " + std::to_string(shortStop.id) + " (" + shortStop.locationCode + ", " + shortStop.sku + ")";
  if (shortStop.shortQty > 0) return Error{ErrorKind::Conflict, where + " was already reported short"};
  if (report.pickedQty < 0)
    return Error{ErrorKind::Invalid, where + ": picked quantity must not be negative"};
  if (report.pickedQty >= shortStop.qty) {
    return Error{ErrorKind::Invalid, where + ": picked " + std::to_string(report.pickedQty) + " of " +
                                         std::to_string(shortStop.qty) + " is not a short pick"};
  }
  const auto slots = stock.slots();
  if (available.size() != slots.size()) {
    return Error{ErrorKind::Invalid, "availability has " + std::to_string(available.size()) +
                                         " entries for " + std::to_string(slots.size()) + " stock slots"};
  }
  if (std::any_of(available.begin(), available.end(), [](std::int64_t q) { return q < 0; })) {
    return Error{ErrorKind::Invalid, "availability must not be negative"};
  }
  if (shortStop.slot >= slots.size() || slots[shortStop.slot].locationCode != shortStop.locationCode) {
    return Error{ErrorKind::Invalid, where + " does not refer to a slot of this stock index"};
  }

  ShortReplan out;
  out.pickList = list;
  out.cycleCount = {shortStop.locationCode, shortStop.sku, shortStop.lot, report.reason};
  const std::size_t shortIndex = static_cast<std::size_t>(at - list.stops.begin());
  std::vector<Stop>& stops = out.pickList.stops;

  // The picked units fill the puts in tote order; the rest is still owed.
  std::vector<Remainder> owed;
  {
    Stop& s = stops[shortIndex];
    std::int64_t picked = report.pickedQty;
    std::vector<Put> kept;
    for (const Put& p : s.puts) {
      const std::int64_t n = std::min(picked, p.qty);
      picked -= n;
      if (n > 0) kept.push_back({p.tote, p.order, p.lineNo, n});
      if (p.qty > n) owed.push_back({p.tote, p.order, p.lineNo, p.qty - n});
    }
    s.puts = std::move(kept);
    s.shortQty = s.qty - report.pickedQty;
    s.qty = report.pickedQty;
  }
  const std::int64_t missing = stops[shortIndex].shortQty;

  // Look elsewhere: never the short slot; after "empty" or "not found" no
  // other lot of the SKU at that location either (the location is suspect).
  const std::uint32_t sku = slots[shortStop.slot].sku;
  std::vector<std::int64_t> pool(available.begin(), available.end());
  pool[shortStop.slot] = 0;
  if (report.reason != ShortReason::Damaged) {
    for (std::uint32_t s : stock.slotsOf(sku)) {
      if (slots[s].location == shortStop.location) pool[s] = 0;
    }
  }
  const std::vector<Pick> found = chooseSlots(stock, sku, missing, pool, rules);

  auto isDone = [&](int id) { return std::find(doneStops.begin(), doneStops.end(), id) != doneStops.end(); };
  int nextId = 0;
  for (const auto& s : stops) nextId = std::max(nextId, s.id);
  const auto& layout = stock.layout();
  const PlaceId endPlace = list.end;
  std::size_t owedAt = 0;
  for (const Pick& pick : found) {
    // Puts for this slot, taken from what is owed in tote order.
    std::vector<Put> puts;
    std::int64_t left = pick.qty;
    while (left > 0 && owedAt < owed.size()) {
      Remainder& r = owed[owedAt];
      const std::int64_t n = std::min(left, r.qty);
      puts.push_back({r.tote, r.order, r.lineNo, n});
      r.qty -= n;
      left -= n;
      if (r.qty == 0) ++owedAt;
    }
    // The short stop's position in the (changing) list.
    const auto shortPos = static_cast<std::size_t>(
        std::find_if(stops.begin(), stops.end(), [&](const Stop& s) { return s.id == shortStop.id; }) -
        stops.begin());
    const auto sameSlot =
        std::find_if(stops.begin() + static_cast<std::ptrdiff_t>(shortPos) + 1, stops.end(),
                     [&](const Stop& s) { return s.slot == pick.slot && !isDone(s.id) && s.shortQty == 0; });
    if (sameSlot != stops.end()) {
      for (const Put& p : puts) {
        auto existing = std::find_if(sameSlot->puts.begin(), sameSlot->puts.end(), [&](const Put& q) {
          return q.tote == p.tote && q.lineNo == p.lineNo && q.order == p.order;
        });
        if (existing != sameSlot->puts.end()) {
          existing->qty += p.qty;
        } else {
          sameSlot->puts.push_back(p);
        }
        sameSlot->qty += p.qty;
      }
      std::sort(sameSlot->puts.begin(), sameSlot->puts.end(), [](const Put& a, const Put& b) {
        return a.tote != b.tote ? a.tote < b.tote : a.lineNo < b.lineNo;
      });
      if (std::find(out.changedStops.begin(), out.changedStops.end(), sameSlot->id) ==
          out.changedStops.end()) {
        out.changedStops.push_back(sameSlot->id);
      }
      continue;
    }
    // Cheapest insertion into the walk still ahead: after the short stop or
    // after any stop still to visit, before the next stop still to visit (or the end).
    const LocationId x = slots[pick.slot].location;
    std::vector<std::size_t> ahead;  // positions of the stops still to visit
    for (std::size_t i = shortPos + 1; i < stops.size(); ++i) {
      if (!isDone(stops[i].id)) ahead.push_back(i);
    }
    std::size_t bestAfter = shortPos;
    Millimetres bestCost = std::numeric_limits<Millimetres>::max();
    for (std::size_t k = 0; k <= ahead.size(); ++k) {
      const std::size_t prevPos = k == 0 ? shortPos : ahead[k - 1];
      const LocationId p = stops[prevPos].location;
      Millimetres cost = 0;
      if (k < ahead.size()) {
        const LocationId n = stops[ahead[k]].location;
        cost = layout.distance(p, x) + layout.distance(x, n) - layout.distance(p, n);
      } else {
        cost = layout.distance(p, x) + layout.distance(endPlace, x) - layout.distance(endPlace, p);
      }
      if (cost < bestCost) {
        bestCost = cost;
        bestAfter = prevPos;
      }
    }
    Stop added;
    added.id = ++nextId;
    added.slot = pick.slot;
    added.location = x;
    added.locationCode = slots[pick.slot].locationCode;
    added.sku = shortStop.sku;
    added.lot = slots[pick.slot].lot;
    added.expiry = slots[pick.slot].expiry;
    added.qty = pick.qty;
    added.puts = std::move(puts);
    const int prevSeq = stops[bestAfter].seq;
    const bool last = bestAfter + 1 == stops.size();
    if (last || stops[bestAfter + 1].seq - prevSeq >= 2) {
      added.seq = last ? prevSeq + kSeqGap : prevSeq + (stops[bestAfter + 1].seq - prevSeq) / 2;
      stops.insert(stops.begin() + static_cast<std::ptrdiff_t>(bestAfter) + 1, std::move(added));
    } else {
      // No gap left: renumber everything after the short stop.
      stops.insert(stops.begin() + static_cast<std::ptrdiff_t>(bestAfter) + 1, std::move(added));
      for (std::size_t i = shortPos + 1; i < stops.size(); ++i) stops[i].seq = stops[i - 1].seq + kSeqGap;
    }
    out.addedStops.push_back(nextId);
  }
  for (std::size_t i = owedAt; i < owed.size(); ++i) {
    if (owed[i].qty > 0) out.shortPuts.push_back({owed[i].tote, owed[i].order, owed[i].lineNo, owed[i].qty});
  }
  // Added stops in visiting order.
  std::vector<int> order;
  for (const auto& s : stops) {
    if (std::find(out.addedStops.begin(), out.addedStops.end(), s.id) != out.addedStops.end())
      order.push_back(s.id);
  }
  out.addedStops = std::move(order);
  if (!out.addedStops.empty()) {
    out.pickList.distanceMm = router.evaluate(locationsOf(stops), list.start, list.end);
    out.pickList.optimal = false;
    out.pickList.method = layouts::Method::Given;
  }
  return out;
}

}  // namespace wms::waves
