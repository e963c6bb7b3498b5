#include "wms/server/Metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace wms::server {

std::atomic<std::int64_t>& Metrics::counter(const std::string& name, const std::string& labels) {
  std::string key = labels.empty() ? name : name + "{" + labels + "}";
  std::lock_guard lock(mutex_);
  auto& slot = values_[key];
  if (!slot) slot = std::make_unique<std::atomic<std::int64_t>>(0);
  return *slot;
}

std::int64_t Metrics::value(const std::string& name, const std::string& labels) { return counter(name, labels).load(); }

namespace {

constexpr double kBase = 0.01;   // ms: the lower edge of bucket 1
constexpr double kGrowth = 1.1;  // each bucket 10% wider than the one before

int bucketOf(double ms) {
  if (ms < kBase) return 0;
  const int i = 1 + static_cast<int>(std::log(ms / kBase) / std::log(kGrowth));
  return std::min(i, 199);
}

// The upper edge of a bucket (ms).
double upperEdge(int bucket) { return kBase * std::pow(kGrowth, bucket); }

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", v);
  return text;
}

}  // namespace

void Metrics::observe(const std::string& name, const std::string& labels, double ms) {
  std::lock_guard lock(mutex_);
  auto& h = histograms_[{name, labels}];
  ++h.counts[static_cast<std::size_t>(bucketOf(ms))];
  ++h.total;
  h.max = std::max(h.max, ms);
}

std::string Metrics::render() {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [key, v] : values_) out += key + " " + std::to_string(v->load()) + "\n";
  for (const auto& [key, h] : histograms_) {
    const auto& [name, labels] = key;
    const std::string sep = labels.empty() ? "" : labels + ",";
    for (double q : {0.5, 0.99}) {
      // The first bucket at which the running count reaches q of the total.
      const auto rank = static_cast<std::int64_t>(std::ceil(q * static_cast<double>(h.total)));
      std::int64_t seen = 0;
      double value = h.max;
      for (int i = 0; i < Histogram::kBuckets; ++i) {
        seen += h.counts[static_cast<std::size_t>(i)];
        if (seen >= rank) {
          value = std::min(h.max, upperEdge(i));
          break;
        }
      }
      out += name + "{" + sep + "quantile=\"" + (q == 0.5 ? "0.5" : "0.99") + "\"} " + number(value) + "\n";
    }
    out += name + "{" + sep + "quantile=\"1\"} " + number(h.max) + "\n";
    out += name + "_count" + (labels.empty() ? "" : "{" + labels + "}") + " " + std::to_string(h.total) + "\n";
  }
  out += background_.render();
  return out;
}

}  // namespace wms::server
