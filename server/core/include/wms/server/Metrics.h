// Named counters and gauges exposed at /metrics in the Prometheus text
// format. A rejected MQTT message, a refused webhook, a retried print job:
// each is counted here as well as logged.
//
// Threading: all methods are thread-safe. References returned by counter()
// stay valid for the lifetime of the Metrics object.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace wms::server {

class Metrics {
 public:
  // The counter with this name and label set (e.g. `mqtt_rejected_total`,
  // `reason="bad_json"`), created at zero on first use.
  std::atomic<std::int64_t>& counter(const std::string& name, const std::string& labels = {});
  void add(const std::string& name, const std::string& labels = {}, std::int64_t n = 1) { counter(name, labels) += n; }
  std::int64_t value(const std::string& name, const std::string& labels = {});

  // All values, one "name{labels} value" line each, sorted.
  std::string render();

 private:
  std::mutex mutex_;  // protects values_ (the map, not the atomics in it)
  std::map<std::string, std::unique_ptr<std::atomic<std::int64_t>>> values_;
};

}  // namespace wms::server
