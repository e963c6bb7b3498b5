#include "wms/server/ChangeFeed.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <utility>

namespace wms::server {
namespace {

Error malformed(const std::string& what) {
  return Error{ErrorKind::Malformed, what};
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string formatPosition(const FeedPosition& position) {
  char epoch[17];
  std::snprintf(epoch, sizeof epoch, "%016llx", static_cast<unsigned long long>(position.epoch));
  return std::string(epoch) + "-" + std::to_string(position.seq);
}

Result<FeedPosition> parsePosition(std::string_view text) {
  constexpr std::size_t kEpochDigits = 16, kMaxSeqDigits = 19;  // 19 digits always fit a uint64
  const auto dash = text.find('-');
  if (text.empty()) return malformed("a change id is empty; expected EPOCH-SEQ as the server gave it");
  if (dash == std::string_view::npos)
    return malformed("a change id is EPOCH-SEQ (16 hex digits, '-', a number); it has no '-'");
  const std::string_view epoch = text.substr(0, dash), seq = text.substr(dash + 1);
  if (epoch.size() != kEpochDigits || !std::all_of(epoch.begin(), epoch.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      }))
    return malformed("a change id's epoch is 16 lower-case hex digits");
  if (seq.empty() || seq.size() > kMaxSeqDigits ||
      !std::all_of(seq.begin(), seq.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return malformed("a change id's sequence number is 1 to 19 digits");
  FeedPosition p;
  for (char c : epoch) p.epoch = p.epoch * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  for (char c : seq) p.seq = p.seq * 10 + static_cast<std::uint64_t>(c - '0');
  return p;
}

// The board's panels by what they read (server/assets/dashboard/app.js maps
// topics back to panels). A table left out here changes nothing a panel
// shows: reloading for it would only cost the server reads.
std::string topicOfTable(std::string_view table) {
  static const std::pair<std::string_view, std::string_view> exact[] = {
      {"orders", "orders"},
      {"order_lines", "orders"},
      {"order_history", "orders"},
      {"waves", "waves"},
      {"wave_orders", "waves"},
      {"batches", "waves"},
      {"batch_totes", "waves"},
      {"stops", "waves"},
      {"stop_puts", "waves"},
      {"totes", "waves"},
      {"picked_units", "waves"},
      {"devices", "devices"},
      {"device_events", "devices"},
      {"device_outbox", "devices"},
      {"exceptions", "exceptions"},
      {"stock", "stock"},
      {"sku_stock", "stock"},
      {"ledger", "stock"},
      {"shipments", "packing"},
      {"shipped_lines", "packing"},
      {"cartons", "packing"},
      {"carton_items", "packing"},
      {"pack_sessions", "packing"},
      {"pack_session_events", "packing"},
      {"print_jobs", "packing"},
      {"print_attempts", "packing"},
      {"shipment_print_jobs", "packing"},
      {"purchase_orders", "dock"},
      {"po_lines", "dock"},
      {"po_units", "dock"},
      {"po_unit_lines", "dock"},
      {"receipts", "dock"},
      {"putaways", "dock"},
      {"replenishments", "dock"},
      {"count_tasks", "dock"},
      {"count_entries", "dock"},
      {"slotting_proposals", "dock"},
      {"slotting_moves", "dock"},
      {"face_rules", "dock"},
  };
  for (const auto& [name, topic] : exact)
    if (name == table) return std::string(topic);
  // Every channel table (listings, the outbox, fetched orders, refusals).
  if (startsWith(table, "channel_")) return "channels";
  return {};
}

ChangeFeed::ChangeFeed(std::size_t capacity, std::uint64_t epoch)
    : capacity_(std::max<std::size_t>(capacity, 1)), epoch_([epoch] {
        if (epoch != 0) return epoch;
        std::random_device random;
        std::uint64_t drawn = 0;
        while (drawn == 0) drawn = (static_cast<std::uint64_t>(random()) << 32) ^ random();
        return drawn;
      }()) {}

void ChangeFeed::committed(const std::vector<std::string>& tables, std::int64_t atMs) {
  std::set<std::string> topics;
  for (const auto& t : tables) {
    if (auto topic = topicOfTable(t); !topic.empty()) topics.insert(std::move(topic));
  }
  if (topics.empty()) return;
  {
    std::lock_guard lock(mutex_);
    ring_.push_back(FeedChange{++seq_, atMs, std::vector<std::string>(topics.begin(), topics.end())});
    if (ring_.size() > capacity_) ring_.pop_front();
  }
  changed_.notify_all();
}

FeedPosition ChangeFeed::head() const {
  std::lock_guard lock(mutex_);
  return FeedPosition{epoch_, seq_};
}

ChangeFeed::Batch ChangeFeed::wait(const FeedPosition& since, std::chrono::milliseconds timeout) const {
  Batch out;
  std::unique_lock lock(mutex_);
  out.head = FeedPosition{epoch_, seq_};
  if (stopped_) {
    out.stopped = true;
    return out;
  }
  // The ring holds seqs (seq_ - size, seq_]: `since` must be at most one
  // before its oldest, or something between was dropped.
  const std::uint64_t oldestKnown = seq_ - ring_.size();
  if (since.epoch != epoch_ || since.seq > seq_ || since.seq < oldestKnown) {
    out.resync = true;
    return out;
  }
  if (since.seq == seq_ && timeout.count() > 0) {
    changed_.wait_for(lock, timeout, [&] { return stopped_ || seq_ > since.seq; });
    if (stopped_) {
      out.stopped = true;
      out.head = FeedPosition{epoch_, seq_};
      return out;
    }
  }
  // Waiting may have let changes go past the ring's end (more than its
  // capacity while this caller slept): the same rule again.
  if (since.seq < seq_ - ring_.size()) {
    out.resync = true;
    out.head = FeedPosition{epoch_, seq_};
    return out;
  }
  for (auto it = ring_.end() - static_cast<std::ptrdiff_t>(seq_ - since.seq); it != ring_.end(); ++it)
    out.changes.push_back(*it);
  out.head = FeedPosition{epoch_, seq_};
  return out;
}

void ChangeFeed::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
}

}  // namespace wms::server
