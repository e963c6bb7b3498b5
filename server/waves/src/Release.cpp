#include "wms/waves/Release.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <iterator>
#include <map>
#include <tuple>
#include <unordered_map>

#include "wms/waves/Progress.h"

namespace wms::waves {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}

constexpr Millis kMsPerMinute = 60'000;
constexpr int kMaxMinutes = 7 * 24 * 60;

int rankOf(PriorityClass cls) {
  return static_cast<int>(cls);
}

Status validateRate(const PickRate& rate) {
  if (!(rate.unitsPerHourPerPicker > 0) || !std::isfinite(rate.unitsPerHourPerPicker) ||
      rate.unitsPerHourPerPicker > 1e6) {
    return invalid("pick rate must be a positive number of units per hour per picker (at most 1000000)");
  }
  if (rate.pickers < 1 || rate.pickers > 100'000) return invalid("pickers must be 1..100000");
  return {};
}

std::string clock(Millis ms, int utcOffsetMinutes) {
  return formatLocalTime(ms, utcOffsetMinutes).substr(11);
}

struct Group {
  std::string carrier;
  std::optional<PriorityClass> cls;
  std::string zone;
  std::optional<domain::Channel> channel;
  std::vector<std::size_t> orders;  // indices into waiting
};

}  // namespace

const char* toString(PriorityClass cls) noexcept {
  switch (cls) {
    case PriorityClass::StorePickup:
      return "store_pickup";
    case PriorityClass::Express:
      return "express";
    case PriorityClass::Standard:
      return "standard";
  }
  return "standard";
}

PriorityClass priorityClassOf(domain::ServiceLevel level) noexcept {
  switch (level) {
    case domain::ServiceLevel::StorePickup:
      return PriorityClass::StorePickup;
    case domain::ServiceLevel::Express:
      return PriorityClass::Express;
    case domain::ServiceLevel::Standard:
      return PriorityClass::Standard;
  }
  return PriorityClass::Standard;
}

const char* toString(Trigger trigger) noexcept {
  switch (trigger) {
    case Trigger::Interval:
      return "interval";
    case Trigger::OrderCount:
      return "order_count";
    case Trigger::Cutoff:
      return "cutoff";
    case Trigger::LatestSafeRelease:
      return "latest_safe_release";
  }
  return "interval";
}

Status validateReleaseConfig(const ReleaseConfig& c) {
  auto minutes = [](int v, const char* key) -> Status {
    if (v < 0 || v > kMaxMinutes)
      return invalid(std::string(key) + " must be 0.." + std::to_string(kMaxMinutes) + " minutes");
    return {};
  };
  if (c.maxOrdersPerWave < 0) return invalid("max_orders_per_wave must be >= 0 (0 = no limit)");
  if (c.maxUnitsPerWave < 0) return invalid("max_units_per_wave must be >= 0 (0 = no limit)");
  if (c.whenOrdersWaiting < 0) return invalid("auto_when_orders_waiting must be >= 0 (0 = off)");
  if (auto st = minutes(c.everyMinutes, "auto_every_minutes"); !st) return st;
  if (auto st = minutes(c.minutesBeforeCutoff, "auto_minutes_before_cutoff"); !st) return st;
  if (auto st = minutes(c.safetyMarginMinutes, "safety_margin_minutes"); !st) return st;
  return {};
}

Result<std::vector<WaveProposal>> proposeWaves(std::span<const PlanOrder> waiting, Millis nowMs,
                                               const ReleaseConfig& config, const ReleaseContext& context) {
  if (waiting.empty()) return invalid("nothing to release: no orders selected");
  if (auto st = validateReleaseConfig(config); !st) return st.error();
  if (auto st = validateRate(context.rate); !st) return st.error();
  if (context.backlogUnits < 0) return invalid("backlog units must not be negative");
  if (auto st = validateOrders(waiting); !st) return st.error();
  std::unordered_map<std::string, Millis> cutoffOf;
  for (const auto& c : context.cutoffs) {
    if (!cutoffOf.emplace(c.carrier, c.atMs).second)
      return invalid("carrier '" + c.carrier + "' has two cutoffs");
  }
  auto cutoffFor = [&](const PlanOrder& o) -> std::optional<Millis> {
    auto it = cutoffOf.find(o.carrier);
    if (it == cutoffOf.end()) return std::nullopt;
    return it->second;
  };

  // Group.
  using Key = std::tuple<std::string, int, std::string, int>;
  std::map<Key, Group> groups;
  for (std::size_t i = 0; i < waiting.size(); ++i) {
    const auto& o = waiting[i];
    Key key{config.byCarrier ? o.carrier : std::string(),
            config.byPriorityClass ? rankOf(priorityClassOf(o.level)) : -1,
            config.byZone ? o.zone : std::string(), config.byChannel ? static_cast<int>(o.channel) : -1};
    auto& g = groups[key];
    if (g.orders.empty()) {
      g.carrier = std::get<0>(key);
      if (config.byPriorityClass) g.cls = priorityClassOf(o.level);
      g.zone = std::get<2>(key);
      if (config.byChannel) g.channel = o.channel;
    }
    g.orders.push_back(i);
  }

  // Order within each group, then split it into waves of the allowed size.
  std::vector<WaveProposal> out;
  std::vector<int> bestClass;  // per proposal: most urgent class of its orders
  std::vector<Millis> oldest;  // per proposal: oldest order
  for (auto& [key, g] : groups) {
    std::sort(g.orders.begin(), g.orders.end(), [&](std::size_t a, std::size_t b) {
      const auto& x = waiting[a];
      const auto& y = waiting[b];
      const int cx = rankOf(priorityClassOf(x.level)), cy = rankOf(priorityClassOf(y.level));
      if (cx != cy) return cx < cy;
      if (x.priority != y.priority) return x.priority > y.priority;
      if (x.createdAtMs != y.createdAtMs) return x.createdAtMs < y.createdAtMs;
      return x.id < y.id;
    });
    std::string name;
    auto addWord = [&](const std::string& w) {
      if (w.empty()) return;
      name += (name.empty() ? "" : " ") + w;
    };
    std::optional<Millis> cutoff;
    for (std::size_t i : g.orders) {
      auto c = cutoffFor(waiting[i]);
      if (c && (!cutoff || *c < *cutoff)) cutoff = c;
    }
    addWord(g.carrier);
    if (cutoff && config.byCarrier) addWord(clock(*cutoff, context.utcOffsetMinutes));
    if (g.cls) addWord(toString(*g.cls));
    if (g.channel) addWord(domain::toString(*g.channel));
    if (config.byZone) addWord(g.zone.empty() ? "mixed zones" : "zone " + g.zone);
    if (name.empty()) name = "all";

    std::size_t part = 0;
    std::size_t i = 0;
    const std::size_t firstOut = out.size();
    while (i < g.orders.size()) {
      WaveProposal p;
      p.carrier = g.carrier;
      p.cutoffMs = cutoff;
      p.priorityClass = g.cls;
      p.zone = g.zone;
      p.channel = g.channel;
      int best = rankOf(PriorityClass::Standard);
      Millis old = waiting[g.orders[i]].createdAtMs;
      while (i < g.orders.size()) {
        const auto& o = waiting[g.orders[i]];
        std::int64_t units = 0;
        for (const auto& l : o.lines) units += l.qty;
        const bool full =
            !p.orders.empty() && ((config.maxOrdersPerWave > 0 &&
                                   p.orders.size() >= static_cast<std::size_t>(config.maxOrdersPerWave)) ||
                                  (config.maxUnitsPerWave > 0 && p.units + units > config.maxUnitsPerWave));
        if (full) break;
        p.orders.push_back(o.id);
        p.lines += static_cast<std::int64_t>(o.lines.size());
        p.units += units;
        best = std::min(best, rankOf(priorityClassOf(o.level)));
        old = std::min(old, o.createdAtMs);
        ++i;
      }
      ++part;
      p.name = name;
      out.push_back(std::move(p));
      bestClass.push_back(best);
      oldest.push_back(old);
    }
    if (part > 1) {
      for (std::size_t k = firstOut; k < out.size(); ++k) {
        out[k].name += " #" + std::to_string(k - firstOut + 1) + "/" + std::to_string(part);
      }
    }
  }

  // Latest safe release: earliest-deadline-first work up to each cutoff.
  const Millis margin = Millis{config.safetyMarginMinutes} * kMsPerMinute;
  std::vector<std::pair<Millis, std::int64_t>> byCutoff;  // (cutoff, units), then prefix sums
  for (const auto& p : out) {
    if (p.cutoffMs) byCutoff.push_back({*p.cutoffMs, p.units});
  }
  std::sort(byCutoff.begin(), byCutoff.end());
  for (std::size_t i = 1; i < byCutoff.size(); ++i) byCutoff[i].second += byCutoff[i - 1].second;
  for (auto& p : out) {
    if (!p.cutoffMs) continue;
    // Everything due at or before this cutoff: the last entry with cutoff <= it.
    auto last = std::upper_bound(byCutoff.begin(), byCutoff.end(),
                                 std::pair<Millis, std::int64_t>{*p.cutoffMs, INT64_MAX});
    const std::int64_t work = context.backlogUnits + std::prev(last)->second;
    p.latestReleaseMs = *p.cutoffMs - margin - pickDurationMs(work, context.rate);
    p.due = nowMs >= *p.latestReleaseMs;
  }

  std::vector<std::size_t> idx(out.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = out[a];
    const auto& y = out[b];
    if (x.due != y.due) return x.due;
    if (x.due && *x.cutoffMs != *y.cutoffMs) return *x.cutoffMs < *y.cutoffMs;
    if (bestClass[a] != bestClass[b]) return bestClass[a] < bestClass[b];
    if (x.cutoffMs.has_value() != y.cutoffMs.has_value()) return x.cutoffMs.has_value();
    if (x.cutoffMs && *x.cutoffMs != *y.cutoffMs) return *x.cutoffMs < *y.cutoffMs;
    if (oldest[a] != oldest[b]) return oldest[a] < oldest[b];
    return a < b;
  });
  std::vector<WaveProposal> sorted;
  sorted.reserve(out.size());
  std::int64_t work = context.backlogUnits;
  for (std::size_t i : idx) {
    WaveProposal p = std::move(out[i]);
    work += p.units;
    p.expectedFinishMs = nowMs + pickDurationMs(work, context.rate);
    p.late = p.cutoffMs && p.expectedFinishMs > *p.cutoffMs - margin;
    sorted.push_back(std::move(p));
  }
  return sorted;
}

Result<std::optional<ReleaseDecision>> autoRelease(const ReleaseState& state, Millis nowMs,
                                                   const ReleaseConfig& config) {
  if (auto st = validateReleaseConfig(config); !st) return st.error();
  if (state.waiting.empty()) return std::optional<ReleaseDecision>{};
  auto proposals = proposeWaves(state.waiting, nowMs, config, state.context);
  if (!proposals) return proposals.error();
  const int tz = state.context.utcOffsetMinutes;

  ReleaseDecision d;
  std::vector<std::string> reasons;
  bool everything = false;
  if (config.everyMinutes > 0) {
    Millis since = 0;
    std::string what;
    if (state.lastReleaseMs) {
      since = *state.lastReleaseMs;
      what = "the last release at " + clock(since, tz);
    } else {
      since = std::min_element(
                  state.waiting.begin(), state.waiting.end(),
                  [](const PlanOrder& a, const PlanOrder& b) { return a.createdAtMs < b.createdAtMs; })
                  ->createdAtMs;
      what = "the oldest waiting order arrived at " + clock(since, tz);
    }
    if (nowMs - since >= Millis{config.everyMinutes} * kMsPerMinute) {
      everything = true;
      d.triggers.push_back(Trigger::Interval);
      reasons.push_back("interval: " + std::to_string((nowMs - since) / kMsPerMinute) + " min since " + what +
                        " (every " + std::to_string(config.everyMinutes) + " min)");
    }
  }
  if (config.whenOrdersWaiting > 0 &&
      state.waiting.size() >= static_cast<std::size_t>(config.whenOrdersWaiting)) {
    everything = true;
    d.triggers.push_back(Trigger::OrderCount);
    reasons.push_back("order count: " + std::to_string(state.waiting.size()) + " orders waiting (threshold " +
                      std::to_string(config.whenOrdersWaiting) + ")");
  }
  // One sentence per fired wave, at most kNamed per trigger, then a count.
  constexpr int kNamed = 3;
  std::vector<bool> fired(proposals->size(), false);
  int cutoffFired = 0, safeFired = 0;
  for (std::size_t i = 0; i < proposals->size(); ++i) {
    const auto& p = (*proposals)[i];
    if (!p.cutoffMs) continue;
    if (config.minutesBeforeCutoff > 0 &&
        nowMs >= *p.cutoffMs - Millis{config.minutesBeforeCutoff} * kMsPerMinute) {
      fired[i] = true;
      if (cutoffFired++ == 0) d.triggers.push_back(Trigger::Cutoff);
      if (cutoffFired > kNamed) continue;
      reasons.push_back("cutoff: wave '" + p.name + "' cuts off at " + clock(*p.cutoffMs, tz) + ", " +
                        std::to_string((*p.cutoffMs - nowMs) / kMsPerMinute) + " min from now (release " +
                        std::to_string(config.minutesBeforeCutoff) + " min before)");
    } else if (config.atLatestSafeRelease && p.due) {
      fired[i] = true;
      if (safeFired++ == 0) d.triggers.push_back(Trigger::LatestSafeRelease);
      if (safeFired > kNamed) continue;
      const auto& r = state.context.rate;
      reasons.push_back("latest safe release: wave '" + p.name + "' (" + std::to_string(p.units) +
                        " units) had to start by " + clock(*p.latestReleaseMs, tz) + " to make " +
                        clock(*p.cutoffMs, tz) + " at " + std::to_string(r.pickers) + " pickers x " +
                        std::to_string(static_cast<long long>(std::llround(r.unitsPerHourPerPicker))) +
                        " units/h");
    }
  }
  if (cutoffFired > kNamed)
    reasons.push_back("cutoff: and " + std::to_string(cutoffFired - kNamed) + " more waves");
  if (safeFired > kNamed) {
    reasons.push_back("latest safe release: and " + std::to_string(safeFired - kNamed) + " more waves");
  }
  if (!everything && cutoffFired == 0 && safeFired == 0) return std::optional<ReleaseDecision>{};
  for (std::size_t i = 0; i < proposals->size(); ++i) {
    if (everything || fired[i]) d.waves.push_back(std::move((*proposals)[i]));
  }
  for (const auto& r : reasons) d.reason += (d.reason.empty() ? "" : "; ") + r;
  return std::optional<ReleaseDecision>{std::move(d)};
}

}  // namespace wms::waves
