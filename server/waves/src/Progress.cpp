#include "wms/waves/Progress.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace wms::waves {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}

double fraction(std::int64_t done, std::int64_t total) {
  return total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
}

}  // namespace

Millis pickDurationMs(std::int64_t units, const PickRate& rate) {
  if (!(rate.unitsPerHourPerPicker > 0) || rate.pickers <= 0) {
    throw std::invalid_argument("pickDurationMs: the pick rate must be positive");
  }
  if (units <= 0) return 0;
  const double ms = static_cast<double>(units) * 3'600'000.0 / (rate.unitsPerHourPerPicker * rate.pickers);
  return static_cast<Millis>(std::ceil(ms));
}

Result<WaveProgress> waveProgress(const WaveCounts& c, Millis nowMs, const PickRate& rate,
                                  std::optional<Millis> cutoffMs, int safetyMarginMinutes) {
  if (!(rate.unitsPerHourPerPicker > 0) || !std::isfinite(rate.unitsPerHourPerPicker) || rate.pickers <= 0) {
    return invalid("pick rate and pickers must be positive");
  }
  if (safetyMarginMinutes < 0) return invalid("safety margin must not be negative");
  auto check = [](std::int64_t done, std::int64_t total, const char* what) -> Status {
    if (done < 0 || total < 0) return invalid(std::string(what) + " counts must not be negative");
    if (done > total) {
      return invalid(std::string(what) + ": " + std::to_string(done) + " done of " + std::to_string(total) +
                     " is more than the total");
    }
    return {};
  };
  if (auto st = check(c.linesDone, c.linesTotal, "lines"); !st) return st.error();
  if (auto st = check(c.linesShort, c.linesDone, "short lines"); !st) return st.error();
  if (auto st = check(c.unitsPicked + c.unitsShort, c.unitsTotal, "units"); !st) return st.error();
  if (c.unitsPicked < 0 || c.unitsShort < 0) return invalid("unit counts must not be negative");
  if (auto st = check(c.totesDone, c.totesTotal, "totes"); !st) return st.error();

  WaveProgress p;
  p.lines = fraction(c.linesDone, c.linesTotal);
  p.units = fraction(c.unitsPicked + c.unitsShort, c.unitsTotal);
  p.totes = fraction(c.totesDone, c.totesTotal);
  p.unitsRemaining = c.unitsTotal - c.unitsPicked - c.unitsShort;
  p.expectedFinishMs = nowMs + pickDurationMs(p.unitsRemaining, rate);
  p.cutoffMs = cutoffMs;
  if (cutoffMs) {
    p.slackMs = *cutoffMs - Millis{safetyMarginMinutes} * 60'000 - p.expectedFinishMs;
    p.late = *p.slackMs < 0;
  }
  return p;
}

}  // namespace wms::waves
