// Slotting proposals (Slotting.h).
#include "wms/inbound/Slotting.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace wms::inbound {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}

std::string metres(std::int64_t mm) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f m", static_cast<double>(mm) / 1000.0);
  return buf;
}

std::string units(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::int64_t rounded(double v) {
  return static_cast<std::int64_t>(std::llround(v));
}

}  // namespace

const char* toString(SlotMove::Reason reason) noexcept {
  switch (reason) {
    case SlotMove::Reason::ToFreeFace:
      return "to_free_face";
    case SlotMove::Reason::SwapOut:
      return "swap_out";
    case SlotMove::Reason::SwapIn:
      return "swap_in";
    case SlotMove::Reason::SwapBack:
      return "swap_back";
  }
  return "to_free_face";
}

Status validate(const SlottingOptions& o) {
  if (o.waistLevel < 1 || o.waistLevel > 9)
    return invalid("waist_level must be 1..9, got " + std::to_string(o.waistLevel));
  if (o.levelPenaltyMm < 0 || o.levelPenaltyMm > 100'000)
    return invalid("level_penalty_mm must be 0..100000, got " + std::to_string(o.levelPenaltyMm));
  if (o.minGainMm < 0) return invalid("min_gain_mm must be 0 or more, got " + std::to_string(o.minGainMm));
  if (o.maxMoves < 1 || o.maxMoves > 10'000)
    return invalid("max_moves must be 1..10000, got " + std::to_string(o.maxMoves));
  return {};
}

std::int64_t faceCost(const SlotFace& face, const SlottingOptions& options) noexcept {
  return face.distanceMm + options.levelPenaltyMm * std::abs(face.level - options.waistLevel);
}

Result<SlottingProposal> planSlotting(std::span<const SlotFace> faces, std::span<const SlotVelocity> velocity,
                                      const SlottingOptions& options) {
  if (auto st = validate(options); !st) return st.error();
  std::unordered_map<std::string, int> seen;
  for (std::size_t i = 0; i < faces.size(); ++i) {
    const auto& f = faces[i];
    const std::string at = "faces[" + std::to_string(i) + "]";
    if (f.location.empty()) return invalid(at + ": the location is empty");
    if (f.distanceMm < 0) return invalid(at + " (" + f.location + "): distance must be 0 or more");
    if (f.level < 1) return invalid(at + " (" + f.location + "): level must be 1 or more");
    if (f.units < 0) return invalid(at + " (" + f.location + "): units must be 0 or more");
    ++seen[f.location];
  }
  std::unordered_map<std::string, std::int64_t> speed;
  for (std::size_t i = 0; i < velocity.size(); ++i) {
    if (velocity[i].units < 0)
      return invalid("velocity[" + std::to_string(i) + "] (" + velocity[i].sku +
                     "): units must be 0 or more");
    speed[velocity[i].sku] += velocity[i].units;
  }

  // The faces the planner works on: a location given more than once holds
  // several SKUs and is left alone.
  std::vector<const SlotFace*> slot;
  for (const auto& f : faces)
    if (seen[f.location] == 1) slot.push_back(&f);
  const std::size_t n = slot.size();
  std::vector<std::int64_t> cost(n);
  std::unordered_map<std::string, int> facesOf;
  for (std::size_t s = 0; s < n; ++s) {
    cost[s] = faceCost(*slot[s], options);
    if (!slot[s]->sku.empty()) ++facesOf[slot[s]->sku];
  }
  // What each face's SKU weighs: its velocity split over its faces.
  std::vector<double> weight(n, 0.0);
  for (std::size_t s = 0; s < n; ++s) {
    if (slot[s]->sku.empty()) continue;
    const auto it = speed.find(slot[s]->sku);
    if (it != speed.end()) weight[s] = static_cast<double>(it->second) / facesOf[slot[s]->sku];
  }

  // An item is the content of one occupied face: it keeps its weight and
  // SKU wherever it goes. holder[slot] = item (-1: free), at[item] = slot.
  std::vector<int> holder(n, -1), at;
  std::vector<std::size_t> items;
  for (std::size_t s = 0; s < n; ++s)
    if (!slot[s]->sku.empty()) {
      holder[s] = static_cast<int>(at.size());
      at.push_back(static_cast<int>(s));
      items.push_back(s);  // the item's weight and SKU are those of its first face
    }
  auto itemWeight = [&](int item) { return weight[items[static_cast<std::size_t>(item)]]; };
  auto itemSku = [&](int item) -> const std::string& {
    return slot[items[static_cast<std::size_t>(item)]]->sku;
  };

  SlottingProposal out;
  for (std::size_t s = 0; s < n; ++s) out.beforeMm += rounded(weight[s] * static_cast<double>(cost[s]));

  std::vector<std::size_t> best(n);
  for (std::size_t s = 0; s < n; ++s) best[s] = s;
  std::sort(best.begin(), best.end(), [&](std::size_t a, std::size_t b) {
    return cost[a] != cost[b] ? cost[a] < cost[b] : slot[a]->location < slot[b]->location;
  });
  std::vector<int> order(at.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (itemWeight(a) != itemWeight(b)) return itemWeight(a) > itemWeight(b);
    if (itemSku(a) != itemSku(b)) return itemSku(a) < itemSku(b);
    return slot[static_cast<std::size_t>(at[static_cast<std::size_t>(a)])]->location <
           slot[static_cast<std::size_t>(at[static_cast<std::size_t>(b)])]->location;
  });

  auto describe = [&](std::size_t s) {
    return metres(slot[s]->distanceMm) + " from the depot at level " + std::to_string(slot[s]->level);
  };
  auto add = [&](int item, std::size_t from, std::size_t to, SlotMove::Reason reason, std::int64_t gain,
                 std::string why) {
    SlotMove m;
    m.number = static_cast<int>(out.moves.size()) + 1;
    m.sku = itemSku(item);
    m.qty = slot[items[static_cast<std::size_t>(item)]]->units;
    m.from = reason == SlotMove::Reason::SwapBack ? options.staging : slot[from]->location;
    m.to = reason == SlotMove::Reason::SwapOut ? options.staging : slot[to]->location;
    m.reason = reason;
    m.gainMm = gain;
    m.why = std::move(why);
    out.moves.push_back(std::move(m));
  };

  // Slots a faster item has taken or kept; `next` walks `best` past them.
  std::vector<bool> claimed(n, false);
  std::size_t next = 0;
  for (int item : order) {
    const double w = itemWeight(item);
    if (w <= 0) break;  // the rest do not move (the order puts them last)
    const auto c = static_cast<std::size_t>(at[static_cast<std::size_t>(item)]);
    while (next < n && claimed[best[next]]) ++next;
    if (next == n) break;
    const std::size_t t = best[next];
    if (t == c || cost[t] >= cost[c]) {
      claimed[c] = true;
      continue;
    }
    const int other = holder[t];
    if (other >= 0 && options.staging.empty()) {
      claimed[c] = true;
      continue;
    }
    const double saved = static_cast<double>(cost[c] - cost[t]);
    const std::int64_t gain = rounded((other >= 0 ? w - itemWeight(other) : w) * saved);
    const int moves = other >= 0 ? 3 : 1;
    if (gain <= options.minGainMm) {
      claimed[c] = true;
      continue;
    }
    if (static_cast<int>(out.moves.size()) + moves > options.maxMoves) {
      ++out.skippedForCap;
      claimed[c] = true;
      continue;
    }
    const std::string why = "velocity " + units(w) + ": " + describe(c) + ", to " + describe(t);
    if (other < 0) {
      add(item, c, t, SlotMove::Reason::ToFreeFace, gain, why);
      holder[c] = -1;
    } else {
      const std::string room = "makes room for " + itemSku(item) + " (velocity " + units(w) + " against " +
                               units(itemWeight(other)) + ")";
      add(other, t, t, SlotMove::Reason::SwapOut, gain,
          room + ": out of " + slot[t]->location + " to staging");
      add(item, c, t, SlotMove::Reason::SwapIn, gain, why);
      add(other, c, c, SlotMove::Reason::SwapBack, gain,
          room + ": into " + slot[c]->location + ", " + describe(c));
      holder[c] = other;
      at[static_cast<std::size_t>(other)] = static_cast<int>(c);
    }
    holder[t] = item;
    at[static_cast<std::size_t>(item)] = static_cast<int>(t);
    claimed[t] = true;
    ++out.exchanges;
  }

  for (std::size_t item = 0; item < at.size(); ++item)
    out.afterMm += rounded(itemWeight(static_cast<int>(item)) *
                           static_cast<double>(cost[static_cast<std::size_t>(at[item])]));
  return out;
}

}  // namespace wms::inbound
