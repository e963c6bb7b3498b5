// The fulfilment outbox: orders shipped, to tell each channel with the
// tracking numbers. Rows are written in the ship confirmation's transaction
// and pushed by the channel's pusher (Sync.cpp) between stock batches.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Logger.h>

#include <sstream>

#include "ChannelApi.h"
#include "HubImpl.h"
#include "wms/channels/SyncPolicy.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/Query.h"

namespace wms::channels {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("wmsd.channels"); }

std::string noticeJson(const ShippedNotice& n) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("order_id", static_cast<Poco::Int64>(n.orderId));
  o.set("carrier_code", n.carrierCode);
  o.set("carrier_name", n.carrierName);
  o.set("service", n.service);
  o.set("tracking_number", n.trackingNumber);
  Poco::JSON::Array::Ptr parcels = new Poco::JSON::Array;
  for (const auto& p : n.parcelTrackingNumbers) parcels->add(p);
  o.set("parcels", parcels);
  Poco::JSON::Array::Ptr lines = new Poco::JSON::Array;
  for (const auto& l : n.lines) {
    Poco::JSON::Object::Ptr line = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    line->set("external_line_id", l.externalLineId);
    line->set("sku", l.sku);
    line->set("qty", static_cast<Poco::Int64>(l.qty));
    lines->add(line);
  }
  o.set("lines", lines);
  o.set("shipped_at", static_cast<Poco::Int64>(n.shippedAtMs));
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(o, out);
  return out.str();
}

// The stored notice back. Only we write it, but a damaged row must not stop
// the pusher: it becomes an error on that row.
Result<ShippedNotice> noticeFrom(domain::Channel channel, const std::string& externalId, std::int64_t shipmentId,
                                 const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    auto o = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    ShippedNotice n;
    n.channel = channel;
    n.externalId = externalId;
    n.shipmentId = shipmentId;
    n.orderId = o->getValue<Poco::Int64>("order_id");
    n.carrierCode = o->getValue<std::string>("carrier_code");
    n.carrierName = o->getValue<std::string>("carrier_name");
    n.service = o->getValue<std::string>("service");
    n.trackingNumber = o->getValue<std::string>("tracking_number");
    n.shippedAtMs = o->getValue<Poco::Int64>("shipped_at");
    auto parcels = o->getArray("parcels");
    for (unsigned i = 0; parcels && i < parcels->size(); ++i) n.parcelTrackingNumbers.push_back(parcels->getElement<std::string>(i));
    auto lines = o->getArray("lines");
    for (unsigned i = 0; lines && i < lines->size(); ++i) {
      auto l = lines->getObject(i);
      n.lines.push_back({l->getValue<std::string>("external_line_id"), l->getValue<std::string>("sku"),
                         l->getValue<Poco::Int64>("qty")});
    }
    return n;
  } catch (const std::exception& e) {
    return Error{ErrorKind::Internal, "stored fulfilment notice unreadable: " + std::string(e.what())};
  }
}

struct DueNotice {
  std::string externalId;
  std::int64_t shipmentId = 0;
  std::string notice;
  int attempts = 0;
};

}  // namespace

bool ChannelHub::orderShippedInTx(store::Tx& tx, const ShippedNotice& notice) {
  if (!isMarketplace(notice.channel) || !impl_->config.settings(notice.channel).enabled) return false;
  if (notice.externalId.empty()) return false;
  ShippedNotice n = notice;
  std::erase_if(n.lines, [](const ShippedNoticeLine& l) { return l.qty <= 0; });
  if (n.lines.empty()) return false;
  if (n.shippedAtMs == 0) n.shippedAtMs = tx.nowMs();
  const std::string ch = domain::toString(n.channel);
  // A duplicate confirmation (or a replay) finds the row and adds nothing.
  return store::exec(tx,
                     "INSERT OR IGNORE INTO channel_fulfilments(channel, external_id, shipment_id, order_id, "
                     "tracking_number, notice, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     ch, n.externalId, n.shipmentId, static_cast<std::int64_t>(n.orderId), n.trackingNumber,
                     noticeJson(n), tx.nowMs(), tx.nowMs()) > 0;
}

void ChannelHub::shippedCommitted() { impl_->wakePushers(); }

Status ChannelHub::retryFulfilment(domain::Channel channel, const std::string& externalId) {
  const std::string ch = domain::toString(channel);
  std::size_t changed = 0;
  auto st = impl_->db.write([&](store::Tx& tx) -> Status {
    changed = store::exec(tx,
                          "UPDATE channel_fulfilments SET refused_at = 0, due_at = ? "
                          "WHERE channel = ? AND external_id = ? AND sent_at IS NULL AND refused_at <> 0",
                          tx.nowMs(), ch, externalId);
    return {};
  });
  if (!st) return st.error();
  if (changed == 0)
    return Error{ErrorKind::NotFound, "no refused fulfilment of " + ch + " order '" + externalId + "' waits for a retry"};
  impl_->wakePushers();
  return {};
}

Result<std::vector<FulfilmentView>> ChannelHub::fulfilments(domain::Channel channel, bool onlyPending, int limit) {
  std::vector<FulfilmentView> out;
  auto st = impl_->db.read([&](store::Tx& tx) -> Status {
    const std::int64_t pending = onlyPending ? 1 : 0, n = std::clamp(limit, 1, 10000);
    store::Query q(tx,
                   "SELECT external_id, shipment_id, notice, created_at, attempts, last_error, "
                   "COALESCE(sent_at, 0), refused_at FROM channel_fulfilments WHERE channel = ? "
                   "AND (? = 0 OR sent_at IS NULL) ORDER BY created_at DESC, shipment_id DESC LIMIT ?");
    q.bind(domain::toString(channel)).bind(pending).bind(n);
    while (q.step()) {
      const std::string ext = q.text(0);
      const std::int64_t shipment = q.integer(1);
      const std::int64_t sent = q.integer(6);
      FulfilmentView v;
      auto parsed = noticeFrom(channel, ext, shipment, q.text(2));
      if (parsed) {
        v.notice = std::move(*parsed);
      } else {
        v.notice.channel = channel;
        v.notice.externalId = ext;
        v.notice.shipmentId = shipment;
        v.lastError = parsed.error().message;
      }
      v.createdAtMs = q.integer(3);
      v.attempts = static_cast<int>(q.integer(4));
      if (v.lastError.empty()) v.lastError = q.text(5);
      v.sent = sent != 0;
      v.sentAtMs = sent;
      v.refusedAtMs = q.integer(7);
      out.push_back(std::move(v));
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::int64_t> ChannelHub::Impl::nextFulfilmentDue(domain::Channel channel) {
  std::int64_t next = -1;
  auto st = db.read([&](store::Tx& tx) -> Status {
    const std::string ch = domain::toString(channel);
    const auto due = store::queryInteger(tx,
                                         "SELECT due_at FROM channel_fulfilments WHERE channel = ? AND sent_at IS NULL "
                                         "AND refused_at = 0 ORDER BY due_at LIMIT 1",
                                         ch);
    if (due) next = *due;
    return {};
  });
  if (!st) return st.error();
  return next;
}

bool ChannelHub::Impl::pushDueFulfilments(domain::Channel channel, ChannelApi& api, TokenBucket& bucket,
                                          int& failures, std::int64_t& pausedUntil) {
  const std::string ch = domain::toString(channel);
  std::vector<DueNotice> rows;
  auto read = db.read([&](store::Tx& tx) -> Status {
    const std::int64_t t = db.nowMs();
    store::Query q(tx,
                   "SELECT external_id, shipment_id, notice, attempts FROM channel_fulfilments "
                   "WHERE channel = ? AND sent_at IS NULL AND refused_at = 0 AND due_at <= ? ORDER BY due_at LIMIT 20");
    q.bind(ch).bind(t);
    while (q.step()) rows.push_back({q.text(0), q.integer(1), q.text(2), static_cast<int>(q.integer(3))});
    return {};
  });
  // The stock pushes that follow read the database too: they meet the same
  // failure and the pusher backs off there.
  if (!pushHealth.check(ch + ": reading the due fulfilments", read)) return true;

  for (const auto& row : rows) {
    // A channel that reports its cost budget (Shopify) is paced by it.
    if (const std::int64_t pace = api.paceMs(); pace > 0) bucket.pauseUntil(db.nowMs() + pace);
    for (std::int64_t w = bucket.tryTake(db.nowMs()); w > 0; w = bucket.tryTake(db.nowMs())) {
      if (!sleepFor(pushCv, w)) return false;
    }
    auto notice = noticeFrom(channel, row.externalId, row.shipmentId, row.notice);
    Status pushed = notice ? api.pushFulfilment(*notice) : Status(notice.error());
    const bool unreachable = !pushed && pushed.error().kind == ErrorKind::Unavailable;
    if (pushed) {
      failures = 0;
      ++pushesOk[channel];
    } else {
      ++pushesFailed[channel];
      noteError(channel, pushed.error().message);
      if (unreachable) {
        ++failures;
        std::int64_t pause = api.retryAfterMs() >= 0 ? api.retryAfterMs() : backoffMs(config.retry, failures, unitRandom());
        pausedUntil = db.nowMs() + pause;
        bucket.pauseUntil(pausedUntil);
        if (failures == 1 || failures % 10 == 0)
          logger().warning("%s: fulfilment of %s failed (%d in a row), pausing %Ld ms: %s", ch, row.externalId,
                           failures, static_cast<Poco::Int64>(pause), pushed.error().message);
      } else {
        logger().warning("%s: fulfilment of %s refused, not sent again until a person retries it: %s", ch,
                         row.externalId, pushed.error().message);
      }
    }
    // The channel accepted it: mark it sent at once, so that nothing sends it
    // again (the window for a crash between the two is this one write). A
    // failed write is retried, not skipped: skipping it would tell the
    // channel twice.
    const bool recorded = writeUntilDone(pushHealth, ch + ": recording the fulfilment of " + row.externalId, pushCv,
                                         [&](store::Tx& tx) -> Status {
      if (pushed) {
        store::exec(tx,
                    "UPDATE channel_fulfilments SET sent_at = ?, attempts = attempts + 1, last_error = '' "
                    "WHERE channel = ? AND external_id = ? AND shipment_id = ?",
                    tx.nowMs(), ch, row.externalId, row.shipmentId);
        store::ExceptionRepository(tx).resolveOpen("channel_fulfilment_refused", channelRef(channel, row.externalId),
                                                   "sent when retried");
        return {};
      }
      const std::string error = pushed.error().message.substr(0, 500);
      if (unreachable) {
        store::exec(tx,
                    "UPDATE channel_fulfilments SET attempts = attempts + 1, last_error = ? "
                    "WHERE channel = ? AND external_id = ? AND shipment_id = ?",
                    error, ch, row.externalId, row.shipmentId);
        return {};
      }
      // A refusal needs a person (a wrong carrier, an order cancelled on
      // the channel after it shipped): the same notice would be refused
      // again every time, so it is not retried until a person has looked
      // (POST .../fulfilments/{order}/retry); raised once per order.
      store::exec(tx,
                  "UPDATE channel_fulfilments SET attempts = attempts + 1, last_error = ?, refused_at = ? "
                  "WHERE channel = ? AND external_id = ? AND shipment_id = ?",
                  error, tx.nowMs(), ch, row.externalId, row.shipmentId);
      store::ExceptionRepository(tx).raise("channel_fulfilment_refused", channelRef(channel, row.externalId),
                                           ch + " refused the shipment of order " + row.externalId + ": " + error +
                                               "; not sent again until retried (POST /api/v1/channels/" + ch +
                                               "/fulfilments/" + row.externalId + "/retry)");
      return {};
    });
    if (!recorded) return false;
    if (unreachable) break;
  }
  return true;
}

}  // namespace wms::channels
