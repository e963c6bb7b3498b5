// Wave progress and expected finish against the cutoff: pure arithmetic over
// counts the server keeps, for the REST layer and the dashboard.
#pragma once

#include <cstdint>
#include <optional>

#include "wms/common/Result.h"
#include "wms/waves/Planning.h"
#include "wms/waves/Release.h"

namespace wms::waves {

// What a wave holds and how far it is. "Done" lines and totes are finished
// (picked in full or closed short); short units count as done work.
struct WaveCounts {
  std::int64_t linesTotal = 0;
  std::int64_t linesDone = 0;
  std::int64_t linesShort = 0;
  std::int64_t unitsTotal = 0;
  std::int64_t unitsPicked = 0;
  std::int64_t unitsShort = 0;
  std::int64_t totesTotal = 0;
  std::int64_t totesDone = 0;
};

struct WaveProgress {
  double lines = 0;  // fraction done, 0..1
  double units = 0;  // (picked + short) / total, 0..1
  double totes = 0;  // 0..1
  std::int64_t unitsRemaining = 0;
  Millis expectedFinishMs = 0;
  std::optional<Millis> cutoffMs;
  std::optional<Millis> slackMs;  // cutoff - safety margin - expected finish; negative = late
  bool late = false;
};

// Progress of one wave at nowMs, the remaining units picked at `rate` (the
// pickers working on this wave). Errors: Invalid when a count is negative or
// a done count exceeds its total, or the rate is not positive.
Result<WaveProgress> waveProgress(const WaveCounts& counts, Millis nowMs, const PickRate& rate,
                                  std::optional<Millis> cutoffMs = {}, int safetyMarginMinutes = 0);

// How long `units` take at `rate`, rounded up to a millisecond. Precondition:
// rate positive (else std::invalid_argument), units >= 0.
Millis pickDurationMs(std::int64_t units, const PickRate& rate);

}  // namespace wms::waves
