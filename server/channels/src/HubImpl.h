// Internal: the hub's state, shared by its source files (Hub.cpp: lifecycle,
// webhooks and applying channel orders; Sync.cpp: listings, the outbox and
// the pushers; Fetch.cpp: push-then-fetch workers and the Amazon poller;
// StoreSales.cpp: POS sales and returns).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "wms/channels/ChannelHub.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {

class ChannelApi;
class TokenBucket;

// What applying one channel order did.
// What taking in one of a channel's orders did. Its name (toString) is what a
// webhook answers in "result" and what channel_events records.
enum class Applied {
  Created,
  Backordered,
  Held,
  Updated,
  Cancelled,
  Stale,          // older than the state already applied: nothing changed
  Rejected,       // short of stock under the reject policy
  Ignored,        // nothing to pick (closed on the channel before we saw it)
  Intercepted,    // cancelled on the channel after picking started: held
  CancelRefused,  // cancelled on the channel after it shipped: a person decides
  Duplicate,      // the same delivery again
  Error,          // the order could not be stored (detail says why)
};
const char* toString(Applied applied) noexcept;

struct ApplyOutcome {
  Applied result = Applied::Ignored;
  domain::OrderId orderId = 0;
  std::vector<std::string> changedSkus;
  std::string detail;
};

struct ChannelHub::Impl {
  Impl(store::Database& d, stock::OrderIntake& i, ChannelsConfig c, background::Errors* e)
      : db(d), intake(i), config(std::move(c)), errors(e ? *e : ownErrors) {}

  // Constant after construction.
  store::Database& db;
  stock::OrderIntake& intake;
  const ChannelsConfig config;
  background::Errors ownErrors;  // used when the hub was given none
  background::Errors& errors;
  // The loops' database errors (background::Loop is thread-safe).
  background::Loop& fetchHealth = errors.loop("channels.fetch");
  background::Loop& amazonHealth = errors.loop("channels.amazon_poll");
  background::Loop& pushHealth = errors.loop("channels.push");

  // Lifecycle; protected by mutex.
  std::mutex mutex;
  std::condition_variable pushCv;   // pushers wait here (woken per channel)
  std::condition_variable fetchCv;  // fetch workers and the poller wait here
  bool running = false;
  bool stopping = false;
  std::map<domain::Channel, bool> pushWake;
  std::deque<std::pair<domain::Channel, std::string>> fetchQueue;
  std::set<std::pair<domain::Channel, std::string>> fetchInFlight;
  bool fetchRefilling = false;
  std::map<domain::Channel, std::string> lastError;
  std::mt19937_64 rng{std::random_device{}()};
  std::vector<std::thread> threads;

  // Counters.
  std::atomic<std::int64_t> version{0};  // outbox versions: unique and increasing
  std::map<domain::Channel, std::atomic<std::int64_t>> pushesOk, pushesFailed;

  // --- Hub.cpp
  ApplyOutcome apply(store::Tx& tx, const ChannelOrder& order);
  std::optional<std::string> mapSku(store::Tx& tx, domain::Channel channel, const std::vector<std::string>& keys);
  // Releases a held channel order: its channel SKUs mapped (Conflict naming
  // a line still unmapped), reserved again, its hold exceptions resolved.
  // Conflict if its address still cannot be shipped to.
  Result<stock::IntakeResult> releaseHeld(store::Tx& tx, const domain::Order& order, const std::string& why);
  // The channel sent an order we have with a changed address: a held order
  // whose address was the problem is corrected and released; one not packed
  // yet takes the new address; a packed one raises an exception (its label
  // is printed). Adds to `out` what it changed.
  void correctAddress(store::Tx& tx, const ChannelOrder& co, domain::OrderId id, ApplyOutcome& out);
  WebhookReply shopifyWebhook(const WebhookRequest& request);
  WebhookReply pushWebhook(const WebhookRequest& request);
  void wakePushers();
  void wakeFetchers();
  // Waits up to ms (or until stop); false if stopping.
  bool sleepFor(std::condition_variable& cv, std::int64_t ms, domain::Channel* wakeChannel = nullptr);
  // Writes what a loop already did outside (a push the channel accepted) until
  // the write commits: a failed write is counted on `health` and retried
  // after its backoff, never skipped, so the work is not done twice. False
  // if the hub stopped first (the work is then redone after restart, the
  // same window as a crash).
  bool writeUntilDone(background::Loop& health, std::string_view doing, std::condition_variable& cv,
                      const std::function<Status(store::Tx&)>& work);
  double unitRandom();
  void noteError(domain::Channel channel, const std::string& message);

  // --- Sync.cpp
  void enqueue(store::Tx& tx, const std::string& sku);
  void pusherLoop(domain::Channel channel);

  // --- Fulfil.cpp
  // Pushes the channel's due fulfilment notices (under the pusher's bucket
  // and channel-level backoff, shared with stock); false if stopping.
  bool pushDueFulfilments(domain::Channel channel, ChannelApi& api, TokenBucket& bucket, int& failures,
                          std::int64_t& pausedUntil);
  // When the channel's next pending notice is due, -1 if none.
  Result<std::int64_t> nextFulfilmentDue(domain::Channel channel);

  // --- Fetch.cpp
  void fetchLoop();
  void amazonLoop();
};

// {"error": kind, "detail": message}
std::string errorJson(const Error& error);
// "channel:key" style references.
std::string channelRef(domain::Channel channel, const std::string& id);

}  // namespace wms::channels
