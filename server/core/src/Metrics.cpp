#include "wms/server/Metrics.h"

namespace wms::server {

std::atomic<std::int64_t>& Metrics::counter(const std::string& name, const std::string& labels) {
  std::string key = labels.empty() ? name : name + "{" + labels + "}";
  std::lock_guard lock(mutex_);
  auto& slot = values_[key];
  if (!slot) slot = std::make_unique<std::atomic<std::int64_t>>(0);
  return *slot;
}

std::int64_t Metrics::value(const std::string& name, const std::string& labels) { return counter(name, labels).load(); }

std::string Metrics::render() {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [key, v] : values_) out += key + " " + std::to_string(v->load()) + "\n";
  return out;
}

}  // namespace wms::server
