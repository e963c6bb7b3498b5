#include "wms/server/Watchdog.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "wms/domain/Csv.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/OrderRepository.h"

namespace wms::server {
namespace {

Poco::Logger& log() { return Poco::Logger::get("wmsd.watchdog"); }

constexpr const char* kKind = "order_stuck";
// At most this many stuck orders of one status are looked at per sweep, so
// that a floor that has stopped altogether does not make one huge write.
constexpr int kMaxPerStatus = 2000;

std::string reference(domain::OrderId id, Stage stage) {
  return "order:" + std::to_string(id) + "/" + toString(stage);
}

// "40 s", "12 min", "3 h 5 min": how long, for a person.
std::string duration(std::int64_t ms) {
  const auto s = std::max<std::int64_t>(0, ms / 1000);
  if (s < 120) return std::to_string(s) + " s";
  const auto m = s / 60;
  if (m < 120) return std::to_string(m) + " min";
  return std::to_string(m / 60) + " h " + std::to_string(m % 60) + " min";
}

std::vector<domain::OrderStatus> statusesOf(Stage stage) {
  switch (stage) {
    case Stage::Allocated: return {domain::OrderStatus::Allocated};
    case Stage::Released: return {domain::OrderStatus::Released, domain::OrderStatus::Picking};
    case Stage::Picked: return {domain::OrderStatus::Picked};
    case Stage::Packed: return {domain::OrderStatus::Packed};
  }
  return {};
}

}  // namespace

const char* toString(Stage stage) noexcept {
  switch (stage) {
    case Stage::Allocated: return "allocated";
    case Stage::Released: return "released";
    case Stage::Picked: return "picked";
    case Stage::Packed: return "packed";
  }
  return "allocated";
}

std::optional<Stage> stageOf(domain::OrderStatus status) noexcept {
  switch (status) {
    case domain::OrderStatus::Allocated: return Stage::Allocated;
    case domain::OrderStatus::Released:
    case domain::OrderStatus::Picking: return Stage::Released;
    case domain::OrderStatus::Picked: return Stage::Picked;
    case domain::OrderStatus::Packed: return Stage::Packed;
    default: return std::nullopt;
  }
}

std::chrono::seconds WatchdogConfig::limit(Stage stage) const {
  switch (stage) {
    case Stage::Allocated: return allocatedAfter;
    case Stage::Released: return releasedAfter;
    case Stage::Picked: return pickedAfter;
    case Stage::Packed: return packedAfter;
  }
  return std::chrono::seconds(0);
}

std::int64_t StuckCounts::total() const {
  std::int64_t n = 0;
  for (auto v : byStage) n += v;
  return n;
}

Result<WatchdogConfig> watchdogConfigFrom(const ServerConfig& config) {
  WatchdogConfig c;
  const std::map<std::string, std::chrono::seconds*> keys = {
      {"watchdog.check_s", &c.every},
      {"watchdog.allocated_after_s", &c.allocatedAfter},
      {"watchdog.released_after_s", &c.releasedAfter},
      {"watchdog.picked_after_s", &c.pickedAfter},
      {"watchdog.packed_after_s", &c.packedAfter},
  };
  for (const auto& [key, value] : config.raw) {
    if (key.rfind("watchdog.", 0) != 0) continue;
    auto it = keys.find(key);
    if (it == keys.end()) return Error{ErrorKind::Invalid, "config " + key + ": unknown setting"};
    const bool isPeriod = key == "watchdog.check_s";
    const std::int64_t lo = isPeriod ? 1 : 0, hi = 7 * 86400;
    auto n = domain::parseInt64(value);
    if (!n || *n < lo || *n > hi)
      return Error{ErrorKind::Invalid, "config " + key + ": must be a whole number of seconds from " +
                                           std::to_string(lo) + " to " + std::to_string(hi) + ", got '" + value +
                                           "'"};
    *it->second = std::chrono::seconds(*n);
  }
  return c;
}

struct Watchdog::Impl {
  // Constant after start().
  WatchdogConfig config;
  store::Database& db;
  Metrics& metrics;
  std::vector<Explainer> explainers;

  // Protected by mutex.
  std::mutex mutex;
  std::condition_variable cv;
  bool stopping = false;
  std::thread thread;

  Impl(WatchdogConfig c, store::Database& d, Metrics& m) : config(c), db(d), metrics(m) {}

  std::string why(store::Tx& tx, Stage stage, const domain::Order& order) {
    for (const auto& explain : explainers) {
      auto text = explain(tx, stage, order);
      if (!text.empty()) return text;
    }
    return "no reason known";
  }

  Result<StuckCounts> sweep() {
    StuckCounts counts;
    std::vector<std::string> raisedNow;
    auto st = db.write([&](store::Tx& tx) -> Status {
      counts = StuckCounts{};
      raisedNow.clear();
      store::OrderRepository orders(tx);
      store::ExceptionRepository exceptions(tx);
      const auto now = tx.nowMs();
      const auto openList = exceptions.openReferences(kKind);
      const std::set<std::string> open(openList.begin(), openList.end());
      std::set<std::string> stuck;
      for (std::size_t i = 0; i < kStages.size(); ++i) {
        const Stage stage = kStages[i];
        const auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(config.limit(stage)).count();
        if (limit <= 0) continue;
        for (auto status : statusesOf(stage)) {
          for (const auto& [id, since] : orders.unchangedSince(status, now - limit, kMaxPerStatus)) {
            ++counts.byStage[i];
            const auto ref = reference(id, stage);
            stuck.insert(ref);
            if (open.count(ref)) continue;
            auto order = orders.find(id);
            if (!order) continue;
            exceptions.raise(kKind, ref,
                             "order " + std::to_string(id) + " (" + domain::toString(order->channel) + " " +
                                 order->externalId + ") has been " + domain::toString(status) + " for " +
                                 duration(now - since) + ": " + why(tx, stage, *order));
            raisedNow.push_back(toString(stage));
          }
        }
      }
      // Orders that moved on since their exception was raised.
      for (const auto& ref : openList) {
        if (stuck.count(ref)) continue;
        std::string resolution = "moved on";
        const auto slash = ref.find('/');
        if (auto id = domain::parseInt64(ref.substr(6, slash == std::string::npos ? std::string::npos : slash - 6))) {
          if (auto order = orders.find(*id)) {
            // Still stuck, only beyond this sweep's window (kMaxPerStatus).
            const auto stage = stageOf(order->status);
            const auto limit = stage ? std::chrono::duration_cast<std::chrono::milliseconds>(config.limit(*stage)).count() : 0;
            if (stage && limit > 0 && ref == reference(order->id, *stage) && order->updatedAtMs < now - limit) continue;
            resolution += std::string(": now ") + domain::toString(order->status);
          }
        }
        if (exceptions.resolveOpen(kKind, ref, resolution)) ++counts.resolved;
      }
      counts.raised = static_cast<std::int64_t>(raisedNow.size());
      return {};
    });
    if (!st) return st.error();
    for (std::size_t i = 0; i < kStages.size(); ++i)
      metrics.counter("orders_stuck", std::string("stage=\"") + toString(kStages[i]) + "\"") = counts.byStage[i];
    for (const auto& stage : raisedNow) metrics.add("orders_stuck_raised_total", "stage=\"" + stage + "\"");
    if (counts.raised > 0)
      log().warning("%Ld order(s) stuck (%Ld in all): see the supervisor's exceptions",
                    static_cast<Poco::Int64>(counts.raised), static_cast<Poco::Int64>(counts.total()));
    return counts;
  }

  void loop() {
    const auto maxPause = std::max<std::chrono::milliseconds>(config.every, std::chrono::minutes(5));
    auto& health = metrics.background().loop("watchdog");
    std::chrono::milliseconds pause = config.every;
    for (;;) {
      {
        std::unique_lock lock(mutex);
        if (cv.wait_for(lock, pause, [&] { return stopping; })) return;
      }
      auto r = sweep();
      if (health.check("checking for stuck work", r)) {
        pause = config.every;
        continue;
      }
      metrics.add("watchdog_failures_total");
      // The pause grows so that a broken disk is not hammered.
      pause = std::min(maxPause, config.every + health.backoff());
    }
  }
};

Watchdog::Watchdog(WatchdogConfig config, store::Database& db, Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, db, metrics)) {}

Watchdog::~Watchdog() { stop(); }

void Watchdog::explain(Explainer explainer) {
  if (impl_->thread.joinable()) throw std::logic_error("Watchdog::explain after start()");
  impl_->explainers.push_back(std::move(explainer));
}

void Watchdog::start() {
  if (impl_->thread.joinable()) return;
  impl_->thread = std::thread([this] { impl_->loop(); });
}

void Watchdog::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Result<StuckCounts> Watchdog::sweep() { return impl_->sweep(); }

}  // namespace wms::server
