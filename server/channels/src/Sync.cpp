// Listings, the stock outbox and the pushers.
#include <Poco/Logger.h>

#include "ChannelApi.h"
#include "HubImpl.h"
#include "wms/domain/Ids.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/Query.h"
#include "wms/store/StockRepository.h"

namespace wms::channels {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("wmsd.channels"); }

struct DueRow {
  std::string sku;
  std::int64_t atp = 0;
  std::int64_t version = 0;
  int attempts = 0;
  Listing listing;
};

Result<std::vector<DueRow>> loadDue(store::Database& db, domain::Channel channel, std::int64_t nowMs, int limit) {
  std::vector<DueRow> rows;
  auto st = db.read([&](store::Tx& tx) -> Status {
    store::Query q(tx,
                   "SELECT o.sku, o.atp, o.version, o.attempts, l.channel_sku, l.listing_ref FROM channel_outbox o "
                   "JOIN channel_listings l ON l.channel = o.channel AND l.sku = o.sku "
                   "WHERE o.channel = ? AND o.due_at <= ? ORDER BY o.due_at LIMIT ?");
    q.bind(domain::toString(channel)).bind(nowMs).bind(limit);
    while (q.step()) {
      DueRow r;
      r.sku = q.text(0);
      r.atp = q.integer(1);
      r.version = q.integer(2);
      r.attempts = static_cast<int>(q.integer(3));
      r.listing.channel = channel;
      r.listing.sku = r.sku;
      r.listing.channelSku = q.text(4);
      r.listing.listingRef = q.text(5);
      rows.push_back(std::move(r));
    }
    return {};
  });
  if (!st) return st.error();
  return rows;
}

// When the channel's next outbox row is due, -1 if none.
Result<std::int64_t> nextDue(store::Database& db, domain::Channel channel) {
  std::int64_t next = -1;
  auto st = db.read([&](store::Tx& tx) -> Status {
    std::string ch = domain::toString(channel);
    const auto due = store::queryInteger(tx, "SELECT MIN(due_at) FROM channel_outbox WHERE channel = ?", ch);
    // MIN over no rows is NULL, which Query reads as 0: check for rows instead.
    const auto count = store::queryInteger(tx, "SELECT COUNT(*) FROM channel_outbox WHERE channel = ?", ch);
    if (count && *count > 0 && due) next = *due;
    return {};
  });
  if (!st) return st.error();
  return next;
}

ListingPolicy policyOf(std::int64_t buffer, std::int64_t cap, std::int64_t percent) {
  ListingPolicy p;
  p.buffer = buffer;
  if (cap >= 0) p.cap = cap;
  p.percent = static_cast<int>(percent);
  return p;
}

// Listing views of a channel (one SKU if sku is not empty), computed in one read.
std::vector<ListingView> views(store::Tx& tx, domain::Channel channel, const std::string& sku) {
  store::Query q(tx,
                 "SELECT l.sku, l.channel_sku, l.listing_ref, l.buffer, COALESCE(l.cap, -1), l.percent, "
                 "s.on_hand - s.allocated, COALESCE(o.atp, -1), COALESCE(y.pushed_atp, -1), COALESCE(y.pushed_at, 0), "
                 "COALESCE(o.attempts, 0), COALESCE(o.last_error, ''), COALESCE(o.refused_at, 0) "
                 "FROM channel_listings l JOIN sku_stock s ON s.sku = l.sku "
                 "LEFT JOIN channel_outbox o ON o.channel = l.channel AND o.sku = l.sku "
                 "LEFT JOIN channel_sync y ON y.channel = l.channel AND y.sku = l.sku "
                 "WHERE l.channel = ? AND (? = '' OR l.sku = ?) ORDER BY l.sku");
  q.bind(domain::toString(channel)).bind(sku).bind(sku);
  std::vector<ListingView> out;
  while (q.step()) {
    ListingView v;
    v.listing.channel = channel;
    v.listing.sku = q.text(0);
    v.listing.channelSku = q.text(1);
    v.listing.listingRef = q.text(2);
    v.listing.policy = policyOf(q.integer(3), q.integer(4), q.integer(5));
    const std::int64_t available = q.integer(6);
    v.available = available;
    v.atp = availableToPromise(available, v.listing.policy);
    if (const std::int64_t pending = q.integer(7); pending >= 0) v.pending = pending;
    if (const std::int64_t pushed = q.integer(8); pushed >= 0) v.pushed = pushed;
    v.pushedAtMs = q.integer(9);
    v.attempts = static_cast<int>(q.integer(10));
    v.lastError = q.text(11);
    v.refusedAtMs = q.integer(12);
    out.push_back(std::move(v));
  }
  return out;
}

bool inSync(const ListingView& v) { return !v.pending && v.pushed && *v.pushed == v.atp; }

}  // namespace

void ChannelHub::Impl::enqueue(store::Tx& tx, const std::string& sku) {
  // Every listing's row is read before any is written: the loop below writes
  // channel_outbox, which this SELECT reads.
  std::vector<std::string> channel;
  std::vector<std::int64_t> buffer, cap, percent, available, pending, pushed;
  {
    store::Query q(tx,
                   "SELECT l.channel, l.buffer, COALESCE(l.cap, -1), l.percent, s.on_hand - s.allocated, "
                   "COALESCE(o.atp, -1), COALESCE(y.pushed_atp, -1) "
                   "FROM channel_listings l JOIN sku_stock s ON s.sku = l.sku "
                   "LEFT JOIN channel_outbox o ON o.channel = l.channel AND o.sku = l.sku "
                   "LEFT JOIN channel_sync y ON y.channel = l.channel AND y.sku = l.sku WHERE l.sku = ?");
    q.bind(sku);
    while (q.step()) {
      channel.push_back(q.text(0));
      buffer.push_back(q.integer(1));
      cap.push_back(q.integer(2));
      percent.push_back(q.integer(3));
      available.push_back(q.integer(4));
      pending.push_back(q.integer(5));
      pushed.push_back(q.integer(6));
    }
  }
  const std::int64_t t = tx.nowMs();
  for (std::size_t i = 0; i < channel.size(); ++i) {
    const std::int64_t atp = availableToPromise(available[i], policyOf(buffer[i], cap[i], percent[i]));
    if (pending[i] >= 0) {
      if (pending[i] == atp) continue;
      // The row keeps its place in line (due_at): a SKU that changes all the
      // time is not pushed to the back, and one waiting out a backoff does
      // not hammer a channel that is down.
      store::exec(
          tx, "UPDATE channel_outbox SET atp = ?, version = ?, changed_at = ? WHERE channel = ? AND sku = ?",
          atp, ++version, t, channel[i], sku);
    } else if (pushed[i] != atp) {
      store::exec(tx,
                  "INSERT INTO channel_outbox(channel, sku, atp, version, changed_at, due_at, attempts) "
                  "VALUES (?, ?, ?, ?, ?, ?, 0)",
                  channel[i], sku, atp, ++version, t, t);
    }
  }
}

void ChannelHub::Impl::pusherLoop(domain::Channel channel) {
  const auto& settings = config.settings(channel);
  const std::string ch = domain::toString(channel);
  ChannelApi api(channel, settings, config.httpTimeoutMs, [this] { return db.nowMs(); });
  TokenBucket bucket(settings.pushRate, settings.pushBurst, db.nowMs());
  int failures = 0;              // consecutive channel-level failures
  std::int64_t pausedUntil = 0;  // channel-level backoff
  domain::Channel wake = channel;

  // What happened to each row of a batch, written back in one transaction:
  // one commit per batch instead of one per push keeps the pusher ahead of
  // a burst of changes.
  struct Done {
    DueRow row;
    enum { Pushed, Refused, Unreachable } outcome;
    std::string error;
    std::int64_t dueAt = 0;
  };
  // The pushes happened: their record is written until it commits (a
  // figure pushed twice would be harmless, but a row left due would be
  // pushed again and again). False if the hub stopped first.
  auto record = [&](const std::vector<Done>& done) {
    if (done.empty()) return true;
    return writeUntilDone(pushHealth, ch + ": recording " + std::to_string(done.size()) + " stock pushes", pushCv,
                          [&](store::Tx& tx) -> Status {
      for (const auto& d : done) {
        if (d.outcome == Done::Pushed) {
          // A newer figure (another version) stays queued.
          store::exec(tx, "DELETE FROM channel_outbox WHERE channel = ? AND sku = ? AND version = ?", ch,
                      d.row.sku, d.row.version);
          store::exec(tx,
                      "INSERT INTO channel_sync(channel, sku, pushed_atp, pushed_at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT(channel, sku) DO UPDATE SET pushed_atp = excluded.pushed_atp, "
                      "pushed_at = excluded.pushed_at",
                      ch, d.row.sku, d.row.atp, tx.nowMs());
          // A refusal this figure ends is over (the row left is a newer figure).
          store::exec(tx, "UPDATE channel_outbox SET refused_at = 0 WHERE channel = ? AND sku = ?", ch, d.row.sku);
          (void)store::ExceptionRepository(tx).resolveOpen("channel_push_refused", channelRef(channel, d.row.sku),
                                                           "the channel accepted " + std::to_string(d.row.atp));
        } else if (d.outcome == Done::Refused) {
          // The channel said no (not "not now"): not in sync, retried with
          // back-off, and raised once with the channel's reason for a person.
          store::exec(tx,
                      "UPDATE channel_outbox SET attempts = attempts + 1, due_at = ?, last_error = ?, "
                      "refused_at = CASE WHEN refused_at = 0 THEN ? ELSE refused_at END "
                      "WHERE channel = ? AND sku = ?",
                      d.dueAt, d.error.substr(0, 500), tx.nowMs(), ch, d.row.sku);
          store::ExceptionRepository(tx).raise(
              "channel_push_refused", channelRef(channel, d.row.sku),
              ch + " refused the stock figure " + std::to_string(d.row.atp) + " for " + d.row.sku + ": " +
                  d.error.substr(0, 400) + " (retried with back-off; fix the listing on the channel)");
        } else {
          store::exec(tx,
                      "UPDATE channel_outbox SET attempts = attempts + 1, last_error = ? WHERE channel = ? "
                      "AND sku = ?",
                      d.error.substr(0, 500), ch, d.row.sku);
        }
      }
      return {};
    });
  };

  for (;;) {
    std::int64_t nowMs = db.nowMs();
    if (nowMs < pausedUntil) {
      if (!sleepFor(pushCv, pausedUntil - nowMs)) return;
      continue;
    }
    // Shipped orders first: a customer waits for that one, and there are
    // far fewer of them than stock figures.
    if (!pushDueFulfilments(channel, api, bucket, failures, pausedUntil)) return;
    if (db.nowMs() < pausedUntil) continue;
    auto due = loadDue(db, channel, nowMs, 100);
    if (!pushHealth.check(ch + ": reading the stock outbox", due)) {
      if (!sleepFor(pushCv, pushHealth.backoff().count())) return;
      continue;
    }
    const auto& rows = *due;
    if (rows.empty()) {
      auto nextRow = nextDue(db, channel);
      auto nextNotice = nextFulfilmentDue(channel);
      if (!pushHealth.check(ch + ": reading when the next push is due", nextRow) ||
          !pushHealth.check(ch + ": reading when the next fulfilment is due", nextNotice)) {
        if (!sleepFor(pushCv, pushHealth.backoff().count())) return;
        continue;
      }
      std::int64_t next = *nextRow;
      if (std::int64_t f = *nextNotice; f >= 0 && (next < 0 || f < next)) next = f;
      std::int64_t wait = next < 0 ? 1000 : std::clamp<std::int64_t>(next - db.nowMs(), 1, 1000);
      if (!sleepFor(pushCv, wait, &wake)) return;
      continue;
    }
    std::vector<Done> done;
    bool stop = false;
    // One call per row, or per batch of rows on a channel that sets many
    // listings in one call (Shopify: one inventorySetQuantities costs as
    // much as one listing's, so a burst is not held to one SKU per call).
    const std::size_t perCall = api.stockBatchLimit();
    for (std::size_t first = 0; first < rows.size() && !stop; first += perCall) {
      const std::size_t last = std::min(rows.size(), first + perCall);
      // A channel that reports its cost budget (Shopify) is paced by it.
      if (const std::int64_t pace = api.paceMs(); pace > 0) bucket.pauseUntil(db.nowMs() + pace);
      for (std::int64_t w = bucket.tryTake(db.nowMs()); w > 0 && !stop; w = bucket.tryTake(db.nowMs())) {
        // Waiting for a token: record what is done so far first.
        stop = !record(done);
        done.clear();
        stop = stop || !sleepFor(pushCv, w);
      }
      if (stop) break;
      std::vector<Status> results;
      if (perCall == 1) {
        results.push_back(api.pushStock(rows[first].listing, rows[first].atp));
      } else {
        std::vector<std::pair<Listing, std::int64_t>> items;
        for (std::size_t i = first; i < last; ++i) items.emplace_back(rows[i].listing, rows[i].atp);
        results = api.pushStocks(items);
      }
      for (std::size_t i = first; i < last; ++i) {
        const auto& row = rows[i];
        const Status& st = results[i - first];
        if (st) {
          failures = 0;
          ++pushesOk[channel];
          done.push_back({row, Done::Pushed, {}, 0});
          continue;
        }
        ++pushesFailed[channel];
        noteError(channel, st.error().message);
        if (st.error().kind == ErrorKind::Unavailable) {
          // The channel is down or throttling us: pause the whole channel.
          ++failures;
          std::int64_t pause = api.retryAfterMs() >= 0 ? api.retryAfterMs() : backoffMs(config.retry, failures, unitRandom());
          pausedUntil = db.nowMs() + pause;
          bucket.pauseUntil(pausedUntil);
          for (std::size_t j = i; j < last; ++j) done.push_back({rows[j], Done::Unreachable, st.error().message, 0});
          if (failures == 1 || failures % 10 == 0)
            logger().warning("%s: stock push failed (%d in a row), pausing %Ld ms: %s", ch, failures,
                             static_cast<Poco::Int64>(pause), st.error().message);
          stop = true;
          break;
        }
        // This SKU was refused: back off this row alone.
        done.push_back({row, Done::Refused, st.error().message,
                        db.nowMs() + backoffMs(config.retry, row.attempts + 1, unitRandom())});
        logger().warning("%s: stock push of %s refused: %s", ch, row.sku, st.error().message);
      }
    }
    // A pause ends this batch; the loop goes on after it (stop from the hub
    // is seen by record() and sleepFor()).
    if (!record(done)) return;
    {
      std::lock_guard lock(mutex);
      if (stopping) return;
    }
  }
}

// --- listings and mappings ---------------------------------------------------------

Result<ListingView> ChannelHub::putListing(const Listing& in) {
  if (!isMarketplace(in.channel))
    return Error{ErrorKind::Invalid, std::string("channel ") + domain::toString(in.channel) + " has no listings"};
  if (auto st = domain::checkSku(in.sku); !st) return st.error();
  if (auto st = domain::checkExternalId(in.channelSku, "channel_sku"); !st) return st.error();
  if (!in.listingRef.empty()) {
    if (auto st = domain::checkExternalId(in.listingRef, "listing_ref"); !st) return st.error();
  }
  if (auto st = validateListingPolicy(in.policy); !st) return st.error();
  std::vector<std::string> changed;
  ListingView view;
  const std::string ch = domain::toString(in.channel);
  auto st = impl_->db.write([&](store::Tx& tx) -> Status {
    if (!store::CatalogRepository(tx).skuExists(in.sku)) return Error{ErrorKind::Invalid, "no SKU '" + in.sku + "' in the catalogue"};
    std::optional<std::string> mapped;
    {
      store::Query q(tx, "SELECT sku FROM channel_sku_map WHERE channel = ? AND channel_sku = ?");
      q.bind(ch).bind(in.channelSku);
      if (q.step()) mapped = q.text(0);
    }
    if (mapped && *mapped != in.sku)
      return Error{ErrorKind::Conflict, ch + " SKU " + in.channelSku + " already maps to " + *mapped};
    if (!mapped)
      store::exec(tx,
                  "INSERT INTO channel_sku_map(channel, channel_sku, sku, created_at) VALUES (?, ?, ?, ?)",
                  ch, in.channelSku, in.sku, tx.nowMs());
    const std::int64_t cap = in.policy.cap ? *in.policy.cap : -1;
    store::exec(
        tx,
        "INSERT INTO channel_listings(channel, sku, channel_sku, listing_ref, buffer, cap, percent, "
        "updated_at) "
        "VALUES (?, ?, ?, ?, ?, NULLIF(?, -1), ?, ?) ON CONFLICT(channel, sku) DO UPDATE SET "
        "channel_sku = excluded.channel_sku, listing_ref = excluded.listing_ref, buffer = excluded.buffer, "
        "cap = excluded.cap, percent = excluded.percent, updated_at = excluded.updated_at",
        ch, in.sku, in.channelSku, in.listingRef, in.policy.buffer, cap, in.policy.percent, tx.nowMs());
    impl_->enqueue(tx, in.sku);
    changed.push_back(in.sku);
    auto v = views(tx, in.channel, in.sku);
    if (!v.empty()) view = v.front();
    return {};
  });
  if (!st) return st.error();
  committed(changed);
  return view;
}

Status ChannelHub::deleteListing(domain::Channel channel, const std::string& sku) {
  const std::string ch = domain::toString(channel);
  return impl_->db.write([&](store::Tx& tx) -> Status {
    if (store::exec(tx, "DELETE FROM channel_listings WHERE channel = ? AND sku = ?", ch, sku) == 0)
      return Error{ErrorKind::NotFound, ch + " does not list " + sku};
    store::exec(tx, "DELETE FROM channel_outbox WHERE channel = ? AND sku = ?", ch, sku);
    return {};
  });
}

Result<std::vector<ListingView>> ChannelHub::listings(domain::Channel channel, bool onlyOutOfSync) {
  std::vector<ListingView> out;
  auto st = impl_->db.read([&](store::Tx& tx) -> Status {
    out = views(tx, channel, "");
    return {};
  });
  if (!st) return st.error();
  if (onlyOutOfSync) std::erase_if(out, [](const ListingView& v) { return inSync(v); });
  return out;
}

Result<SkuMapping> ChannelHub::putMapping(const SkuMapping& m) {
  if (!isMarketplace(m.channel))
    return Error{ErrorKind::Invalid, std::string("channel ") + domain::toString(m.channel) + " has no SKU mappings"};
  if (auto st = domain::checkExternalId(m.channelSku, "channel_sku"); !st) return st.error();
  if (auto st = domain::checkSku(m.sku); !st) return st.error();
  const std::string ch = domain::toString(m.channel);
  auto st = impl_->db.write([&](store::Tx& tx) -> Status {
    if (!store::CatalogRepository(tx).skuExists(m.sku)) return Error{ErrorKind::Invalid, "no SKU '" + m.sku + "' in the catalogue"};
    store::exec(tx,
                "INSERT INTO channel_sku_map(channel, channel_sku, sku, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(channel, channel_sku) DO UPDATE SET sku = excluded.sku",
                ch, m.channelSku, m.sku, tx.nowMs());
    return {};
  });
  if (!st) return st.error();
  return m;
}

Result<std::vector<SkuMapping>> ChannelHub::mappings(domain::Channel channel) {
  std::vector<SkuMapping> out;
  auto st = impl_->db.read([&](store::Tx& tx) -> Status {
    store::Query q(tx, "SELECT channel_sku, sku FROM channel_sku_map WHERE channel = ? ORDER BY channel_sku");
    q.bind(domain::toString(channel));
    while (q.step()) out.push_back({channel, q.text(0), q.text(1)});
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<ChannelStatus>> ChannelHub::status() {
  std::vector<ChannelStatus> out;
  for (auto ch : kMarketplaces) {
    ChannelStatus c;
    c.channel = ch;
    c.enabled = impl_->config.settings(ch).enabled;
    auto st = impl_->db.read([&](store::Tx& tx) -> Status {
      auto v = views(tx, ch, "");
      c.listings = static_cast<std::int64_t>(v.size());
      for (const auto& x : v) {
        if (x.pending) ++c.pendingPushes;
        if (!inSync(x)) ++c.outOfSync;
        if (x.refusedAtMs != 0) {
          ++c.refusedPushes;
          if (c.refusals.size() < kMaxRefusalsShown) c.refusals.push_back({x.listing.sku, x.lastError, x.refusedAtMs, x.attempts});
        }
      }
      std::string name = domain::toString(ch);
      c.pendingFetches =
          store::queryInteger(tx, "SELECT COUNT(*) FROM channel_inbox WHERE channel = ?", name).value_or(0);
      c.ordersSeen = store::queryInteger(tx, "SELECT COUNT(*) FROM channel_orders WHERE channel = ?", name).value_or(0);
      store::Query f(tx, "SELECT COUNT(*) - COUNT(sent_at), COUNT(sent_at) FROM channel_fulfilments WHERE channel = ?");
      f.bind(name);
      const bool counted = f.step();
      c.pendingFulfilments = counted ? f.integer(0) : 0;
      c.fulfilmentsSent = counted ? f.integer(1) : 0;
      return {};
    });
    if (!st) return st.error();
    c.pushesOk = impl_->pushesOk[ch];
    c.pushesFailed = impl_->pushesFailed[ch];
    {
      std::lock_guard lock(impl_->mutex);
      c.lastError = impl_->lastError[ch];
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace wms::channels
