// Named counters and gauges exposed at /metrics in the Prometheus text
// format. A rejected MQTT message, a refused webhook, a retried print job:
// each is counted here as well as logged.
//
// Threading: all methods are thread-safe. References returned by counter()
// stay valid for the lifetime of the Metrics object.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "wms/background/Errors.h"

namespace wms::server {

class Metrics {
 public:
  // The counter with this name and label set (e.g. `mqtt_rejected_total`,
  // `reason="bad_json"`), created at zero on first use.
  std::atomic<std::int64_t>& counter(const std::string& name, const std::string& labels = {});
  void add(const std::string& name, const std::string& labels = {}, std::int64_t n = 1) { counter(name, labels) += n; }
  std::int64_t value(const std::string& name, const std::string& labels = {});

  // Records one duration (ms) in the histogram with this name and labels
  // (e.g. `mqtt_event_latency_ms`, `type="pick.confirm"`). Rendered as the
  // summary lines name{labels,quantile="0.5"|"0.99"|"1"} and name_count.
  // Quantiles are read from buckets 10% wide, so they are within 10%.
  void observe(const std::string& name, const std::string& labels, double ms);

  // The background loops' errors (channels, printing, the device gateway),
  // rendered with the rest.
  background::Errors& background() { return background_; }

  // All values, one "name{labels} value" line each, sorted.
  std::string render();

 private:
  background::Errors background_;
  // Durations in logarithmic buckets: bucket i holds [1.1^(i-1), 1.1^i) * 0.01 ms.
  struct Histogram {
    static constexpr int kBuckets = 200;
    std::array<std::int64_t, kBuckets> counts{};
    std::int64_t total = 0;
    double max = 0;
  };
  std::mutex mutex_;  // protects values_ (the map, not the atomics in it) and histograms_
  std::map<std::string, std::unique_ptr<std::atomic<std::int64_t>>> values_;
  std::map<std::pair<std::string, std::string>, Histogram> histograms_;
};

}  // namespace wms::server
