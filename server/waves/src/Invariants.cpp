// The invariant checks of Planner.h. They recompute everything from the
// plan's own data and trust nothing else, so that a bug in one planner stage
// cannot hide a bug in another.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "wms/waves/Planner.h"

namespace wms::waves {
namespace {

constexpr std::size_t kMaxViolations = 100;

class Violations {
 public:
  explicit Violations(std::vector<std::string>& out) : out_(out) {}
  void add(std::string message) {
    if (out_.size() < kMaxViolations) out_.push_back(std::move(message));
  }
  bool full() const { return out_.size() >= kMaxViolations; }

 private:
  std::vector<std::string>& out_;
};

std::string orderName(OrderId id) {
  return "order " + std::to_string(id);
}

}  // namespace

std::vector<std::string> checkAllocation(std::span<const PlanOrder> orders, const StockIndex& stock,
                                         const Allocation& allocation,
                                         std::span<const std::int64_t> initial) {
  std::vector<std::string> out;
  Violations v(out);
  const auto slots = stock.slots();
  const auto skus = stock.skus();
  std::vector<std::int64_t> start;
  if (initial.empty()) {
    for (const auto& s : slots) start.push_back(s.qty);
  } else if (initial.size() != slots.size()) {
    v.add("initial availability has " + std::to_string(initial.size()) + " entries for " +
          std::to_string(slots.size()) + " slots");
    return out;
  } else {
    start.assign(initial.begin(), initial.end());
  }
  std::set<std::pair<OrderId, int>> shortLines;
  for (const auto& s : allocation.shortfalls) shortLines.insert({s.order, s.lineNo});

  std::unordered_map<OrderId, int> seen;  // 1 allocated, 2 rejected
  std::vector<std::int64_t> taken(slots.size(), 0);
  for (const auto& ao : allocation.orders) {
    const std::string who = orderName(ao.id);
    if (seen[ao.id]++ > 0) v.add(who + " is allocated twice");
    if (ao.input >= orders.size() || orders[ao.input].id != ao.id) {
      v.add(who + ": input index " + std::to_string(ao.input) + " does not refer to it");
      continue;
    }
    const PlanOrder& po = orders[ao.input];
    std::int64_t units = 0, weight = 0, volume = 0;
    for (const auto& al : ao.lines) {
      const std::string where = who + " line " + std::to_string(al.lineNo);
      auto line = std::find_if(po.lines.begin(), po.lines.end(),
                               [&](const PlanLine& l) { return l.lineNo == al.lineNo; });
      if (line == po.lines.end()) {
        v.add(where + " is not a line of the order");
        continue;
      }
      if (al.sku >= skus.size() || skus[al.sku].sku != line->sku) v.add(where + ": wrong sku");
      if (al.ordered != line->qty)
        v.add(where + ": ordered " + std::to_string(al.ordered) + ", the order says " +
              std::to_string(line->qty));
      std::int64_t sum = 0;
      for (const auto& p : al.picks) {
        if (p.slot >= slots.size()) {
          v.add(where + ": pick from slot " + std::to_string(p.slot) + " that does not exist");
          continue;
        }
        if (slots[p.slot].sku != al.sku)
          v.add(where + ": pick from a slot of another sku (" + slots[p.slot].locationCode + ")");
        if (p.qty <= 0) v.add(where + ": pick of " + std::to_string(p.qty) + " units");
        taken[p.slot] += p.qty;
        sum += p.qty;
      }
      if (sum != al.allocated)
        v.add(where + ": picks sum to " + std::to_string(sum) + ", allocated " +
              std::to_string(al.allocated));
      if (al.allocated <= 0 || al.allocated > al.ordered)
        v.add(where + ": allocated " + std::to_string(al.allocated) + " of " + std::to_string(al.ordered));
      if (al.allocated < al.ordered && !shortLines.count({ao.id, al.lineNo}))
        v.add(where + ": partly allocated without a shortfall");
      units += al.allocated;
      if (al.sku < skus.size()) {
        weight += al.allocated * skus[al.sku].weightG;
        volume += al.allocated * skus[al.sku].volumeCm3;
      }
    }
    for (const auto& line : po.lines) {
      const bool listed = std::any_of(ao.lines.begin(), ao.lines.end(),
                                      [&](const AllocatedLine& al) { return al.lineNo == line.lineNo; });
      if (!listed && !shortLines.count({ao.id, line.lineNo}))
        v.add(who + " line " + std::to_string(line.lineNo) + " is neither allocated nor short");
    }
    if (units != ao.units || weight != ao.weightG || volume != ao.volumeCm3)
      v.add(who + ": totals do not match its lines");
  }
  for (const auto& r : allocation.rejected) {
    if (seen[r.order] == 1) v.add(orderName(r.order) + " is both allocated and rejected");
    seen[r.order] += 2;
    if (r.message.empty()) v.add(orderName(r.order) + " is rejected without a message");
  }
  for (const auto& o : orders) {
    const int s = seen.count(o.id) ? seen[o.id] : 0;
    if (s == 0) v.add(orderName(o.id) + " is neither allocated nor rejected");
    if (s > 2) v.add(orderName(o.id) + " is rejected twice");
  }
  if (allocation.remaining.size() != slots.size()) {
    v.add("remaining has " + std::to_string(allocation.remaining.size()) + " entries for " +
          std::to_string(slots.size()) + " slots");
    return out;
  }
  for (std::size_t s = 0; s < slots.size(); ++s) {
    if (taken[s] > start[s]) {
      v.add("slot " + slots[s].locationCode + " (" + skus[slots[s].sku].sku +
            ") over-drawn: " + std::to_string(taken[s]) + " taken of " + std::to_string(start[s]));
    }
    if (allocation.remaining[s] != start[s] - taken[s]) {
      v.add("slot " + slots[s].locationCode + ": remaining " + std::to_string(allocation.remaining[s]) +
            " but " + std::to_string(start[s]) + " - " + std::to_string(taken[s]) + " taken");
    }
  }
  return out;
}

std::vector<std::string> checkBatches(const Allocation& allocation, const StockIndex& stock,
                                      std::span<const Batch> batches, const CartSpec& cart) {
  std::vector<std::string> out;
  Violations v(out);
  const auto skus = stock.skus();
  std::vector<int> batchOf(allocation.orders.size(), 0);
  // (order index, line) -> units in totes
  std::map<std::pair<std::size_t, int>, std::int64_t> inTotes;
  for (std::size_t bi = 0; bi < batches.size(); ++bi) {
    const Batch& b = batches[bi];
    const std::string bn = "batch " + std::to_string(b.number);
    if (b.number != static_cast<int>(bi) + 1) v.add(bn + " is at position " + std::to_string(bi + 1));
    if (b.orders.empty()) v.add(bn + " has no orders");
    std::set<std::size_t> members(b.orders.begin(), b.orders.end());
    if (members.size() != b.orders.size()) v.add(bn + " lists an order twice");
    for (std::size_t k : b.orders) {
      if (k >= allocation.orders.size()) {
        v.add(bn + ": order index " + std::to_string(k) + " is not in the allocation");
        continue;
      }
      if (batchOf[k] != 0)
        v.add(orderName(allocation.orders[k].id) + " is in batches " + std::to_string(batchOf[k]) + " and " +
              std::to_string(b.number));
      batchOf[k] = b.number;
    }
    if (b.oversize ? b.orders.size() != 1 : static_cast<int>(b.totes.size()) > cart.totes) {
      v.add(bn + ": " + std::to_string(b.totes.size()) + " totes on a cart of " + std::to_string(cart.totes) +
            (b.oversize ? " (an oversize batch must hold one order)" : ""));
    }
    std::int64_t units = 0;
    std::size_t lastOrder = SIZE_MAX;
    std::set<std::size_t> finished;
    for (std::size_t ti = 0; ti < b.totes.size(); ++ti) {
      const Tote& t = b.totes[ti];
      const std::string tn = bn + " tote " + std::to_string(t.number);
      if (t.number != static_cast<int>(ti) + 1) v.add(tn + " is at position " + std::to_string(ti + 1));
      if (!members.count(t.allocated) || t.allocated >= allocation.orders.size()) {
        v.add(tn + " holds an order that is not in the batch");
        continue;
      }
      const AllocatedOrder& ao = allocation.orders[t.allocated];
      if (t.order != ao.id) v.add(tn + ": order id " + std::to_string(t.order) + " does not match its index");
      if (t.allocated != lastOrder) {
        if (finished.count(t.allocated))
          v.add(tn + ": the totes of " + orderName(ao.id) + " are not consecutive");
        if (lastOrder != SIZE_MAX) finished.insert(lastOrder);
        lastOrder = t.allocated;
      }
      std::int64_t tu = 0, tv = 0, tw = 0;
      for (const auto& tl : t.lines) {
        auto al = std::find_if(ao.lines.begin(), ao.lines.end(),
                               [&](const AllocatedLine& l) { return l.lineNo == tl.lineNo; });
        if (al == ao.lines.end()) {
          v.add(tn + ": line " + std::to_string(tl.lineNo) + " is not an allocated line of " +
                orderName(ao.id));
          continue;
        }
        if (tl.qty <= 0)
          v.add(tn + ": line " + std::to_string(tl.lineNo) + " has " + std::to_string(tl.qty) + " units");
        inTotes[{t.allocated, tl.lineNo}] += tl.qty;
        tu += tl.qty;
        tv += tl.qty * skus[al->sku].volumeCm3;
        tw += tl.qty * skus[al->sku].weightG;
      }
      if (tu != t.units || tv != t.volumeCm3 || tw != t.weightG)
        v.add(tn + ": totals do not match its lines");
      if (t.oversize) {
        if (tu != 1) v.add(tn + " is oversize but holds " + std::to_string(tu) + " units");
      } else if ((cart.maxUnits > 0 && tu > cart.maxUnits) ||
                 (cart.maxVolumeCm3 > 0 && tv > cart.maxVolumeCm3) ||
                 (cart.maxWeightG > 0 && tw > cart.maxWeightG)) {
        v.add(tn + " is over capacity: " + std::to_string(tu) + " units, " + std::to_string(tv) + " cm3, " +
              std::to_string(tw) + " g");
      }
      units += tu;
    }
    for (std::size_t k : b.orders) {
      const bool hasTote =
          std::any_of(b.totes.begin(), b.totes.end(), [&](const Tote& t) { return t.allocated == k; });
      if (!hasTote && k < allocation.orders.size())
        v.add(bn + ": " + orderName(allocation.orders[k].id) + " has no tote");
    }
    if (units != b.units)
      v.add(bn + ": units " + std::to_string(b.units) + " but its totes hold " + std::to_string(units));
  }
  for (std::size_t k = 0; k < allocation.orders.size() && !v.full(); ++k) {
    const AllocatedOrder& ao = allocation.orders[k];
    if (batchOf[k] == 0) v.add(orderName(ao.id) + " is in no batch");
    for (const auto& al : ao.lines) {
      auto it = inTotes.find({k, al.lineNo});
      const std::int64_t n = it == inTotes.end() ? 0 : it->second;
      if (n != al.allocated) {
        v.add(orderName(ao.id) + " line " + std::to_string(al.lineNo) + ": " + std::to_string(n) +
              " units in totes, " + std::to_string(al.allocated) + " allocated");
      }
    }
  }
  return out;
}

std::vector<std::string> checkPickList(const PickList& list, const Batch& batch, const Allocation& allocation,
                                       const StockIndex& stock, const layouts::Router& router) {
  std::vector<std::string> out;
  Violations v(out);
  const auto slots = stock.slots();
  const auto skus = stock.skus();
  const std::string ln = "pick list of batch " + std::to_string(batch.number);
  if (list.batch != batch.number) v.add(ln + " says it is for batch " + std::to_string(list.batch));
  std::set<std::uint32_t> slotSeen;
  std::set<int> ids;
  // (order, line, slot) -> units
  std::map<std::tuple<OrderId, int, std::uint32_t>, std::int64_t> fromPuts, fromAllocation;
  // (tote, line) -> units
  std::map<std::pair<int, int>, std::int64_t> putsPerTote, inTote;
  std::vector<LocationId> walk;
  int lastSeq = std::numeric_limits<int>::min();
  for (const Stop& s : list.stops) {
    const std::string sn = ln + " stop " + std::to_string(s.id);
    walk.push_back(s.location);
    if (!ids.insert(s.id).second) v.add(sn + ": id used twice");
    if (s.seq <= lastSeq) v.add(sn + ": seq " + std::to_string(s.seq) + " does not increase");
    lastSeq = s.seq;
    if (s.slot >= slots.size()) {
      v.add(sn + ": slot " + std::to_string(s.slot) + " does not exist");
      continue;
    }
    if (!slotSeen.insert(s.slot).second) v.add(sn + ": a second stop for " + s.locationCode + " " + s.sku);
    const auto& slot = slots[s.slot];
    if (s.location != slot.location || s.locationCode != slot.locationCode || s.sku != skus[slot.sku].sku ||
        s.lot != slot.lot) {
      v.add(sn + ": location, sku or lot differ from its slot");
    }
    std::int64_t sum = 0;
    for (const Put& p : s.puts) {
      sum += p.qty;
      if (p.qty <= 0) v.add(sn + ": a put of " + std::to_string(p.qty) + " units");
      fromPuts[{p.order, p.lineNo, s.slot}] += p.qty;
      putsPerTote[{p.tote, p.lineNo}] += p.qty;
      if (p.tote < 1 || p.tote > static_cast<int>(batch.totes.size())) {
        v.add(sn + ": put into tote " + std::to_string(p.tote) + " that the cart does not have");
      } else if (batch.totes[static_cast<std::size_t>(p.tote - 1)].order != p.order) {
        v.add(sn + ": put for " + orderName(p.order) + " into tote " + std::to_string(p.tote) +
              " of another order");
      }
    }
    if (sum != s.qty)
      v.add(sn + ": puts sum to " + std::to_string(sum) + ", the stop asks " + std::to_string(s.qty));
  }
  for (std::size_t k : batch.orders) {
    if (k >= allocation.orders.size()) continue;
    const auto& ao = allocation.orders[k];
    for (const auto& al : ao.lines) {
      for (const auto& p : al.picks) fromAllocation[{ao.id, al.lineNo, p.slot}] += p.qty;
    }
  }
  for (const auto& t : batch.totes) {
    for (const auto& tl : t.lines) inTote[{t.number, tl.lineNo}] += tl.qty;
  }
  if (fromPuts != fromAllocation) {
    for (const auto& [key, qty] : fromAllocation) {
      auto it = fromPuts.find(key);
      const std::int64_t got = it == fromPuts.end() ? 0 : it->second;
      if (got != qty) {
        v.add(ln + ": " + orderName(std::get<0>(key)) + " line " + std::to_string(std::get<1>(key)) +
              " from " + slots[std::get<2>(key)].locationCode + ": " + std::to_string(got) + " put, " +
              std::to_string(qty) + " allocated");
      }
    }
    for (const auto& [key, qty] : fromPuts) {
      if (!fromAllocation.count(key)) {
        v.add(ln + ": puts for " + orderName(std::get<0>(key)) + " line " + std::to_string(std::get<1>(key)) +
              " from a slot not allocated to it");
      }
    }
  }
  if (putsPerTote != inTote) v.add(ln + ": the puts per tote and line differ from the totes' contents");
  const Millimetres walked = router.evaluate(walk, list.start, list.end);
  if (walked != list.distanceMm) {
    v.add(ln + ": distance " + std::to_string(list.distanceMm) + " mm, but its stops in order walk " +
          std::to_string(walked) + " mm");
  }
  return out;
}

std::vector<std::string> checkWavePlan(std::span<const PlanOrder> orders, const StockIndex& stock,
                                       const WavePlan& plan, const CartSpec& cart,
                                       const layouts::Router& router) {
  std::vector<std::string> out = checkAllocation(orders, stock, plan.allocation);
  auto more = checkBatches(plan.allocation, stock, plan.batches, cart);
  out.insert(out.end(), more.begin(), more.end());
  if (plan.pickLists.size() != plan.batches.size()) {
    out.push_back(std::to_string(plan.pickLists.size()) + " pick lists for " +
                  std::to_string(plan.batches.size()) + " batches");
  } else {
    for (std::size_t i = 0; i < plan.batches.size() && out.size() < kMaxViolations; ++i) {
      more = checkPickList(plan.pickLists[i], plan.batches[i], plan.allocation, stock, router);
      out.insert(out.end(), more.begin(), more.end());
    }
  }
  if (out.size() > kMaxViolations) out.resize(kMaxViolations);
  return out;
}

}  // namespace wms::waves
