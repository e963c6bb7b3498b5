// Push-then-fetch workers (Lazada, Shopee, TikTok) and the Amazon poller.
#include <Poco/Logger.h>

#include "ChannelApi.h"
#include "HubImpl.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/Query.h"

namespace wms::channels {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("wmsd.channels"); }

}  // namespace

void ChannelHub::Impl::fetchLoop() {
  std::map<domain::Channel, std::unique_ptr<ChannelApi>> apis;
  for (;;) {
    std::pair<domain::Channel, std::string> item;
    bool refill = false;
    {
      std::unique_lock lock(mutex);
      if (stopping) return;
      if (fetchQueue.empty() && !fetchRefilling) {
        fetchRefilling = true;
        refill = true;
      } else if (!fetchQueue.empty()) {
        item = fetchQueue.front();
        fetchQueue.pop_front();
      } else {
        fetchCv.wait_for(lock, std::chrono::milliseconds(200));
        continue;
      }
    }
    if (refill) {
      // One worker at a time reads due rows into the shared queue.
      std::vector<std::string> channel, ref;
      std::int64_t nextDue = -1;
      const std::int64_t nowMs = db.nowMs();
      auto read = db.read([&](store::Tx& tx) -> Status {
        store::Query q(tx, "SELECT channel, order_ref FROM channel_inbox WHERE due_at <= ? ORDER BY due_at LIMIT 500");
        q.bind(nowMs);
        while (q.step()) {
          channel.push_back(q.text(0));
          ref.push_back(q.text(1));
        }
        store::Query later(tx, "SELECT COUNT(*), COALESCE(MIN(due_at), 0) FROM channel_inbox WHERE due_at > ?");
        later.bind(nowMs);
        if (later.step() && later.integer(0) > 0) nextDue = later.integer(1);
        return {};
      });
      if (!fetchHealth.check("reading the orders due for fetching", read)) {
        {
          std::lock_guard lock(mutex);
          fetchRefilling = false;
        }
        if (!sleepFor(fetchCv, fetchHealth.backoff().count())) return;
        continue;
      }
      std::unique_lock lock(mutex);
      fetchRefilling = false;
      std::size_t added = 0;
      for (std::size_t i = 0; i < ref.size(); ++i) {
        auto ch = domain::channelFromString(channel[i]);
        if (!ch || !config.settings(*ch).enabled) continue;
        std::pair<domain::Channel, std::string> key{*ch, ref[i]};
        if (fetchInFlight.count(key)) continue;
        fetchInFlight.insert(key);
        fetchQueue.push_back(key);
        ++added;
      }
      if (added == 0) {
        std::int64_t wait = nextDue < 0 ? 1000 : std::clamp<std::int64_t>(nextDue - db.nowMs(), 1, 1000);
        fetchCv.wait_for(lock, std::chrono::milliseconds(wait));
      } else {
        fetchCv.notify_all();
      }
      continue;
    }

    auto& api = apis[item.first];
    if (!api) api = std::make_unique<ChannelApi>(item.first, config.settings(item.first), config.httpTimeoutMs,
                                                  [this] { return db.nowMs(); });
    const std::string ch = domain::toString(item.first);
    auto order = api->fetchOrder(item.second);
    ApplyOutcome outcome;
    Status st;
    if (order) {
      st = db.write([&](store::Tx& tx) -> Status {
        // The order is applied whole or not at all: an order it cannot store
        // leaves nothing of itself behind, only the exception for a person.
        auto applied = tx.atomically([&]() -> Status {
          outcome = apply(tx, *order);
          if (outcome.result == Applied::Error) return Error{ErrorKind::Invalid, outcome.detail};
          return {};
        });
        if (!applied && outcome.result != Applied::Error) return applied;  // the database: retried, row kept
        if (!applied) {
          store::ExceptionRepository(tx).raise("channel_order_unreadable", channelRef(item.first, item.second),
                                               "cannot store " + channelRef(item.first, item.second) + ": " + outcome.detail);
          outcome.changedSkus.clear();
        } else {
          // Read at last (a re-push after a failure): the person told it
          // could not be read need not act.
          (void)store::ExceptionRepository(tx).resolveOpen("channel_order_unreadable",
                                                           channelRef(item.first, item.second),
                                                           "read on a later push");
        }
        store::exec(tx, "DELETE FROM channel_inbox WHERE channel = ? AND order_ref = ?", ch, item.second);
        return {};
      });
      // A failed write keeps the inbox row: the order is fetched again after
      // the loop's backoff and applied once (apply is keyed by its id).
      if (!st) outcome.changedSkus.clear();
      fetchHealth.check("storing " + channelRef(item.first, item.second), st);
    } else if (order.error().kind == ErrorKind::Unavailable) {
      noteError(item.first, order.error().message);
      st = db.write([&](store::Tx& tx) -> Status {
        const auto attempts =
            store::queryInteger(tx, "SELECT attempts FROM channel_inbox WHERE channel = ? AND order_ref = ?", ch,
                                item.second);
        const int n = !attempts ? 1 : static_cast<int>(*attempts) + 1;
        const std::int64_t wait =
            api->retryAfterMs() >= 0 ? api->retryAfterMs() : backoffMs(config.retry, n, unitRandom());
        store::exec(tx,
                    "UPDATE channel_inbox SET attempts = ?, due_at = ?, last_error = ? WHERE channel = ? AND "
                    "order_ref = ?",
                    n, tx.nowMs() + wait, order.error().message.substr(0, 500), ch, item.second);
        return {};
      });
      fetchHealth.check("recording a failed fetch of " + channelRef(item.first, item.second), st);
    } else {
      // The channel answered with something we cannot read: a person looks.
      noteError(item.first, order.error().message);
      st = db.write([&](store::Tx& tx) -> Status {
        store::ExceptionRepository(tx).raise("channel_order_unreadable", channelRef(item.first, item.second),
                                             "cannot read " + channelRef(item.first, item.second) + ": " +
                                                 order.error().message);
        store::exec(tx, "DELETE FROM channel_inbox WHERE channel = ? AND order_ref = ?", ch, item.second);
        return {};
      });
      fetchHealth.check("raising the unreadable " + channelRef(item.first, item.second), st);
      logger().warning("%s order %s unreadable: %s", ch, item.second, order.error().message);
    }
    {
      std::lock_guard lock(mutex);
      fetchInFlight.erase(item);
    }
    if (!outcome.changedSkus.empty()) wakePushers();
    if (!st && !sleepFor(fetchCv, fetchHealth.backoff().count())) return;
  }
}

void ChannelHub::Impl::amazonLoop() {
  const auto& settings = config.settings(domain::Channel::Amazon);
  ChannelApi api(domain::Channel::Amazon, settings, config.httpTimeoutMs, [this] { return db.nowMs(); });
  TokenBucket ordersBucket(settings.ordersRate, settings.ordersBurst, db.nowMs());
  TokenBucket itemsBucket(settings.itemsRate, settings.itemsBurst, db.nowMs());
  int failures = 0;
  bool complete = true;  // this poll saw every order it was shown
  auto take = [&](TokenBucket& bucket) {
    for (std::int64_t w = bucket.tryTake(db.nowMs()); w > 0; w = bucket.tryTake(db.nowMs())) {
      if (!sleepFor(fetchCv, w)) return false;
    }
    return true;
  };
  auto backOff = [&](const Error& e, TokenBucket& bucket) {
    ++failures;
    noteError(domain::Channel::Amazon, e.message);
    std::int64_t wait = api.retryAfterMs() >= 0 ? api.retryAfterMs() : backoffMs(config.retry, failures, unitRandom());
    bucket.pauseUntil(db.nowMs() + wait);
    if (failures == 1 || failures % 10 == 0) logger().warning("amazon: %s (waiting %Ld ms)", e.message, static_cast<Poco::Int64>(wait));
  };

  // A database failure ends this poll without moving the cursor: the next
  // poll (after the loop's backoff) reads the same window again, and what
  // was applied already is recognised as stale.
  auto dbFailed = [&](std::string_view doing, const Status& st) {
    if (amazonHealth.check(doing, st)) return false;
    complete = false;
    return true;
  };
  for (;;) {
    std::int64_t cursor = -1;
    auto read = db.read([&](store::Tx& tx) -> Status {
      if (auto pos = store::queryInteger(tx, "SELECT position FROM channel_cursors WHERE channel = 'amazon'"))
        cursor = *pos;
      return {};
    });
    if (!amazonHealth.check("reading the amazon cursor", read)) {
      if (!sleepFor(fetchCv, amazonHealth.backoff().count())) return;
      continue;
    }
    // First start: look one day back.
    if (cursor < 0) cursor = db.nowMs() - 24LL * 3600 * 1000;
    std::int64_t newest = cursor;
    complete = true;
    std::string token;
    do {
      if (!take(ordersBucket)) return;
      auto page = api.amazonOrders(cursor, token);
      if (!page) {
        complete = false;
        if (page.error().kind == ErrorKind::Unavailable) backOff(page.error(), ordersBucket);
        else noteError(domain::Channel::Amazon, page.error().message);
        break;
      }
      for (auto& order : page->orders) {
        // Skip what we already have in this state or newer, before spending a getOrderItems call.
        bool current = false;
        auto known = db.read([&](store::Tx& tx) -> Status {
          const auto updated = store::queryInteger(
              tx, "SELECT channel_updated_at FROM channel_orders WHERE channel = 'amazon' AND external_id = ?",
              order.externalId);
          current = updated && *updated >= order.updatedAtMs;
          return {};
        });
        if (dbFailed("reading amazon order " + order.externalId, known)) continue;
        if (!current && order.state != OrderState::Closed) {
          std::string itemsToken;
          bool itemsOk = true;
          do {
            if (!take(itemsBucket)) return;
            auto items = api.amazonOrderItems(order.externalId, itemsToken);
            if (!items) {
              itemsOk = false;
              if (items.error().kind == ErrorKind::Unavailable) backOff(items.error(), itemsBucket);
              else {
                (void)dbFailed("raising the unreadable amazon:" + order.externalId,
                               db.write([&](store::Tx& tx) -> Status {
                                 store::ExceptionRepository(tx).raise(
                                     "channel_order_unreadable", channelRef(domain::Channel::Amazon, order.externalId),
                                     "cannot read amazon:" + order.externalId + ": " + items.error().message);
                                 return {};
                               }));
              }
              break;
            }
            for (auto& l : items->lines) order.lines.push_back(std::move(l));
            itemsToken = items->nextToken;
          } while (!itemsToken.empty());
          if (!itemsOk) {
            complete = false;
            continue;
          }
        }
        if (!current) {
          if (order.lines.empty() && order.state == OrderState::Open) {
            complete = false;
            continue;
          }
          ApplyOutcome outcome;
          auto st = db.write([&](store::Tx& tx) -> Status {
            outcome = apply(tx, order);
            if (outcome.result == Applied::Error) return Error{ErrorKind::Invalid, outcome.detail};
            return {};
          });
          if (!st && outcome.result == Applied::Error) {
            // The order itself cannot be stored (nothing of it was): a person looks.
            logger().warning("amazon order %s: %s", order.externalId, st.error().message);
            (void)dbFailed("raising the unstorable amazon:" + order.externalId,
                           db.write([&](store::Tx& tx) -> Status {
                             store::ExceptionRepository(tx).raise(
                                 "channel_order_unreadable", channelRef(domain::Channel::Amazon, order.externalId),
                                 "cannot store amazon:" + order.externalId + ": " + st.error().message);
                             return {};
                           }));
          } else if (dbFailed("storing amazon:" + order.externalId, st)) {
            continue;  // the database: the next poll applies it
          }
          if (!outcome.changedSkus.empty()) wakePushers();
        }
        newest = std::max(newest, order.updatedAtMs);
      }
      token = page->nextToken;
      if (token.empty() && page->lastUpdatedBeforeMs > 0 && complete) newest = std::max(newest, page->lastUpdatedBeforeMs);
    } while (!token.empty());
    if (complete) {
      failures = 0;
      if (newest > cursor) {
        // If this fails the next poll reads the same window again (stale).
        (void)dbFailed("moving the amazon cursor", db.write([&](store::Tx& tx) -> Status {
          store::exec(tx,
                      "INSERT INTO channel_cursors(channel, position, updated_at) VALUES ('amazon', ?, ?) "
                      "ON CONFLICT(channel) DO UPDATE SET position = excluded.position, updated_at = "
                      "excluded.updated_at",
                      newest, tx.nowMs());
          return {};
        }));
      }
    }
    if (!sleepFor(fetchCv, std::max<std::int64_t>(settings.pollMs, amazonHealth.backoff().count()))) return;
  }
}

}  // namespace wms::channels
