#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Logger.h>

#include <sstream>

#include "HubImpl.h"
#include "wms/channels/Signatures.h"
#include "wms/common/HttpStatus.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/OrderRepository.h"
#include "wms/store/Query.h"

namespace wms::channels {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("wmsd.channels"); }

std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(o, out);
  return out.str();
}

WebhookReply reply(int status, const Poco::JSON::Object& body) { return {status, stringify(body)}; }

// A webhook's refusal, its status by the one map (wms/common/HttpStatus.h).
WebhookReply fail(const Error& e) { return {httpStatusOf(e.kind), errorJson(e)}; }
// A payload the hub cannot take in is a malformed message from the channel,
// whatever the reader called its problem: 400 naming the field, as
// docs/channels.md documents for every channel.
WebhookReply failPayload(const Error& e) { return fail(Error{ErrorKind::Malformed, e.message}); }

std::string joinKeys(const std::vector<std::string>& keys) {
  std::string s;
  for (const auto& k : keys) s += (s.empty() ? "" : "\n") + k;
  return s;
}

std::string header(const WebhookRequest& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

// A push taken in (stored durably, or recognised as one already taken), in
// the form each platform documents: Lazada wants HTTP 200 (within 500 ms),
// Shopee a 2xx with an empty body; TikTok Shop takes 200 with our JSON,
// which says what became of it.
WebhookReply acknowledge(domain::Channel channel, const std::string& result, const std::string& orderId,
                         const std::string& detail = {}) {
  if (channel == domain::Channel::Shopee) return {200, ""};
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("result", result);
  if (!orderId.empty()) o.set("order", orderId);
  if (!detail.empty()) o.set("detail", detail);
  return reply(200, o);
}

struct ChannelOrderRow {
  domain::OrderId orderId = 0;
  std::string state;
  std::int64_t channelUpdatedAt = 0;
};

std::optional<ChannelOrderRow> findChannelOrder(store::Tx& tx, domain::Channel channel, const std::string& ext) {
  store::Query q(
      tx, "SELECT order_id, state, channel_updated_at FROM channel_orders WHERE channel = ? AND external_id = ?");
  q.bind(domain::toString(channel)).bind(ext);
  if (!q.step()) return std::nullopt;
  return ChannelOrderRow{q.integer(0), q.text(1), q.integer(2)};
}

}  // namespace

std::string errorJson(const Error& error) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("error", toString(error.kind));
  o.set("detail", error.message);
  return stringify(o);
}

std::string channelRef(domain::Channel channel, const std::string& id) {
  return std::string(domain::toString(channel)) + ":" + id;
}

ChannelHub::ChannelHub(store::Database& db, stock::OrderIntake& intake, ChannelsConfig config,
                       background::Errors* errors)
    : impl_(std::make_unique<Impl>(db, intake, std::move(config), errors)) {
  for (auto ch : kMarketplaces) {
    impl_->pushesOk[ch] = 0;
    impl_->pushesFailed[ch] = 0;
    impl_->pushWake[ch] = false;
  }
  // Outbox versions only need to grow; the clock seeds them above any earlier run's.
  impl_->version = db.nowMs() * 1000;
}

ChannelHub::~ChannelHub() { stop(); }

void ChannelHub::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->running) return;
  impl_->running = true;
  impl_->stopping = false;
  Impl* impl = impl_.get();
  for (auto ch : kMarketplaces) {
    if (!impl->config.settings(ch).enabled) continue;
    impl->threads.emplace_back([impl, ch] { impl->pusherLoop(ch); });
  }
  bool anyFetch = false;
  for (auto ch : {domain::Channel::Lazada, domain::Channel::Shopee, domain::Channel::TikTok})
    anyFetch = anyFetch || impl->config.settings(ch).enabled;
  if (anyFetch) {
    for (int i = 0; i < impl->config.fetchThreads; ++i) impl->threads.emplace_back([impl] { impl->fetchLoop(); });
  }
  if (impl->config.settings(domain::Channel::Amazon).enabled)
    impl->threads.emplace_back([impl] { impl->amazonLoop(); });
}

void ChannelHub::stop() {
  if (!impl_) return;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->running) return;
    impl_->stopping = true;
    threads.swap(impl_->threads);
  }
  impl_->pushCv.notify_all();
  impl_->fetchCv.notify_all();
  for (auto& t : threads) t.join();
  std::lock_guard lock(impl_->mutex);
  impl_->running = false;
  impl_->fetchQueue.clear();
  impl_->fetchInFlight.clear();
}

void ChannelHub::Impl::wakePushers() {
  {
    std::lock_guard lock(mutex);
    for (auto& [ch, flag] : pushWake) flag = true;
  }
  pushCv.notify_all();
}

void ChannelHub::Impl::wakeFetchers() { fetchCv.notify_all(); }

bool ChannelHub::Impl::sleepFor(std::condition_variable& cv, std::int64_t ms, domain::Channel* wakeChannel) {
  std::unique_lock lock(mutex);
  auto woken = [&] { return stopping || (wakeChannel && pushWake[*wakeChannel]); };
  cv.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(ms, 1)), woken);
  if (wakeChannel) pushWake[*wakeChannel] = false;
  return !stopping;
}

bool ChannelHub::Impl::writeUntilDone(background::Loop& health, std::string_view doing, std::condition_variable& cv,
                                      const std::function<Status(store::Tx&)>& work) {
  for (;;) {
    if (health.check(doing, db.write(work))) return true;
    if (!sleepFor(cv, health.backoff().count())) return false;
  }
}

double ChannelHub::Impl::unitRandom() {
  std::lock_guard lock(mutex);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

void ChannelHub::Impl::noteError(domain::Channel channel, const std::string& message) {
  std::lock_guard lock(mutex);
  lastError[channel] = message;
}

void ChannelHub::changedInTx(store::Tx& tx, const std::vector<std::string>& skus) {
  for (const auto& sku : skus) impl_->enqueue(tx, sku);
}

void ChannelHub::committed(const std::vector<std::string>& skus) {
  if (!skus.empty()) impl_->wakePushers();
}

// --- orders in ------------------------------------------------------------------

std::optional<std::string> ChannelHub::Impl::mapSku(store::Tx& tx, domain::Channel channel,
                                                    const std::vector<std::string>& keys) {
  std::string ch = domain::toString(channel);
  for (const auto& key : keys) {
    store::Query q(tx, "SELECT sku FROM channel_sku_map WHERE channel = ? AND channel_sku = ?");
    q.bind(ch).bind(key);
    if (q.step()) return q.text(0);
  }
  return std::nullopt;
}

const char* toString(Applied applied) noexcept {
  switch (applied) {
    case Applied::Created: return "created";
    case Applied::Backordered: return "backordered";
    case Applied::Held: return "held";
    case Applied::Updated: return "updated";
    case Applied::Cancelled: return "cancelled";
    case Applied::Stale: return "stale";
    case Applied::Rejected: return "rejected";
    case Applied::Ignored: return "ignored";
    case Applied::Intercepted: return "intercepted";
    case Applied::CancelRefused: return "cancel_refused";
    case Applied::Duplicate: return "duplicate";
    case Applied::Error: return "error";
  }
  return "error";
}

ApplyOutcome ChannelHub::Impl::apply(store::Tx& tx, const ChannelOrder& co) {
  const std::string ch = domain::toString(co.channel);
  const auto who = stock::Actor::integration(ch);
  const std::string ref = channelRef(co.channel, co.externalId);
  store::ExceptionRepository exceptions(tx);
  ApplyOutcome out;
  auto existing = findChannelOrder(tx, co.channel, co.externalId);

  if (existing) {
    out.orderId = existing->orderId;
    // The channel's own timestamp orders its deliveries: an older (or the
    // same) state than the one applied changes nothing.
    if (co.updatedAtMs <= existing->channelUpdatedAt) {
      out.result = Applied::Stale;
      return out;
    }
    std::string newState = existing->state;
    out.result = Applied::Updated;
    if (co.state == OrderState::Cancelled && existing->state != "cancelled") {
      newState = "cancelled";
      out.result = Applied::Cancelled;
      if (existing->orderId != 0) {
        const std::string why = std::string("cancelled on ") + ch;
        auto r = intake.cancel(tx, who, existing->orderId, why);
        if (!r && r.error().kind == ErrorKind::Conflict) {
          // Picking has started: it must not ship. It is held (intercepted)
          // until a person puts its picked units back; shipped already: a
          // person decides. The channel gets its 200 either way.
          auto held = intake.intercept(tx, who, existing->orderId, why);
          if (held) {
            exceptions.raise("channel_cancel_after_pick", "order:" + std::to_string(existing->orderId),
                             ref + " was cancelled on the channel after picking started: it is held, do not ship it; "
                                   "cancel it with the location its picked units go back to");
            out.result = Applied::Intercepted;
            out.changedSkus = held->changedSkus;
          } else {
            exceptions.raise("channel_cancel_too_late", "order:" + std::to_string(existing->orderId),
                             ref + " was cancelled on the channel but " + held.error().message);
            out.result = Applied::CancelRefused;
            newState = existing->state;
          }
        } else if (!r) {
          exceptions.raise("channel_cancel_too_late", "order:" + std::to_string(existing->orderId),
                           ref + " was cancelled on the channel but " + r.error().message);
          out.result = Applied::CancelRefused;
          newState = existing->state;
        } else {
          out.changedSkus = r->changedSkus;
        }
      }
    } else if (co.state == OrderState::Closed && existing->state == "open") {
      newState = "closed";
    } else if (co.state == OrderState::Open && existing->orderId != 0) {
      correctAddress(tx, co, existing->orderId, out);
    }
    store::exec(
        tx,
        "UPDATE channel_orders SET state = ?, channel_status = ?, channel_updated_at = ?, updated_at = ? "
        "WHERE channel = ? AND external_id = ?",
        newState, co.channelStatus, co.updatedAtMs, tx.nowMs(), ch, co.externalId);
    return out;
  }

  auto record = [&](domain::OrderId id, const std::string& state) {
    store::exec(tx,
                "INSERT INTO channel_orders(channel, external_id, order_id, state, channel_status, "
                "channel_updated_at, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ch, co.externalId, id, state, co.channelStatus, co.updatedAtMs, tx.nowMs(), tx.nowMs());
  };

  if (co.state == OrderState::Cancelled && co.lines.empty()) {
    // Cancelled with nothing left on it (Amazon reports 0 ordered): remember it.
    record(0, "cancelled");
    out.result = Applied::Cancelled;
    return out;
  }
  if (co.state == OrderState::Closed) {
    // Shipped or fulfilled elsewhere before we saw it: nothing to pick.
    record(0, "closed");
    out.result = Applied::Ignored;
    out.detail = "the order is already " + co.channelStatus + " on the channel";
    return out;
  }

  domain::NewOrder order;
  order.channel = co.channel;
  order.externalId = co.externalId;
  order.serviceLevel = co.serviceLevel;
  order.shipTo = co.shipTo;
  order.onShortage = config.onShortage;
  std::vector<std::string> unmapped;
  std::vector<std::vector<std::string>> keysPerLine;
  for (std::size_t i = 0; i < co.lines.size(); ++i) {
    const auto& l = co.lines[i];
    domain::NewOrderLine line;
    line.qty = l.qty;
    line.externalLineId = l.externalLineId;
    if (auto sku = mapSku(tx, co.channel, l.skuKeys)) {
      line.sku = *sku;
    } else {
      line.sku = l.skuKeys.empty() ? "?" : l.skuKeys.front().substr(0, domain::kMaxSkuLength);
      unmapped.push_back("lines[" + std::to_string(i) + "] " + joinKeys(l.skuKeys).substr(0, 200));
    }
    order.lines.push_back(std::move(line));
    keysPerLine.push_back(l.skuKeys);
  }

  auto hold = [&](const std::string& reason, const char* kind) -> ApplyOutcome {
    auto held = intake.createHeld(tx, who, order, reason);
    if (!held) {
      out.result = Applied::Error;
      out.detail = held.error().message;
      return out;
    }
    out.orderId = held->order.id;
    for (std::size_t i = 0; i < keysPerLine.size(); ++i) {
      store::exec(tx, "INSERT INTO channel_held_lines(order_id, line_no, sku_keys) VALUES (?, ?, ?)",
                  out.orderId, static_cast<int>(i + 1), joinKeys(keysPerLine[i]));
    }
    if (kind) exceptions.raise(kind, "order:" + std::to_string(out.orderId), ref + ": " + reason);
    return out;
  };

  if (co.state == OrderState::Cancelled) {
    // A cancel that arrived before the create: remember the order as cancelled.
    ApplyOutcome h = hold("cancelled on the channel before it reached us", nullptr);
    if (h.result == Applied::Error) return h;
    auto c = intake.cancel(tx, who, h.orderId, std::string("cancelled on ") + ch);
    if (!c) {
      out.result = Applied::Error;
      out.detail = c.error().message;
      return out;
    }
    record(h.orderId, "cancelled");
    out.result = Applied::Cancelled;
    return out;
  }

  if (!unmapped.empty()) {
    std::string reason = "unknown channel SKU:";
    for (const auto& u : unmapped) reason += " " + u + ";";
    reason.pop_back();
    ApplyOutcome h = hold(reason, "unknown_channel_sku");
    if (h.result == Applied::Error) return h;
    record(h.orderId, "open");
    out.result = Applied::Held;
    out.detail = reason;
    return out;
  }
  // The intake validates the order once and is atomic: an order it refuses
  // as received (an address that cannot be shipped to, a bad quantity) is
  // kept held for a person instead.
  auto r = intake.create(tx, who, order);
  Status created = r ? Status{} : Status{r.error()};
  if (r) {
    out.orderId = r->order.id;
    out.changedSkus = r->changedSkus;
    out.result = r->order.status == domain::OrderStatus::Backordered ? Applied::Backordered : Applied::Created;
  } else if (r.error().kind == ErrorKind::Invalid) {
    std::string why = "cannot be fulfilled as received: " + r.error().message;
    if (co.channel == domain::Channel::Amazon && co.shipTo.name.empty() && co.shipTo.line1.empty())
      why += " (Amazon gives the buyer's name and street only to calls made with a restricted-data token: set "
             "channels.amazon.restricted_data_token = true; docs/channels.md)";
    ApplyOutcome h = hold(why, "channel_order_invalid");
    if (h.result == Applied::Error) return h;
    record(h.orderId, "open");
    out.result = Applied::Held;
    out.detail = r.error().message;
    return out;
  }
  if (!created) {
    if (created.error().kind == ErrorKind::InsufficientStock) {
      // Reject policy: the channel sold what we do not have. Nothing is
      // reserved; a person cancels it on the channel.
      record(0, "rejected");
      exceptions.raise("channel_order_rejected", ref, ref + " was rejected: " + created.error().message);
      out.result = Applied::Rejected;
      out.detail = created.error().message;
      return out;
    }
    out.result = Applied::Error;
    out.detail = created.error().message;
    return out;
  }
  record(out.orderId, "open");
  return out;
}

WebhookReply ChannelHub::handleWebhook(const WebhookRequest& request) {
  const auto& settings = impl_->config.settings(request.channel);
  if (!isMarketplace(request.channel))
    return fail(Error{ErrorKind::NotFound, std::string("no webhooks for channel ") + domain::toString(request.channel)});
  if (!settings.enabled)
    return fail(Error{ErrorKind::NotFound, std::string("channel ") + domain::toString(request.channel) +
                                                    " is not enabled (channels." + domain::toString(request.channel) +
                                                    ".enabled)"});
  if (request.channel == domain::Channel::Amazon)
    return fail(Error{ErrorKind::NotFound, "Amazon orders are polled, not pushed"});
  if (request.channel == domain::Channel::Shopify) return impl_->shopifyWebhook(request);
  return impl_->pushWebhook(request);
}

WebhookReply ChannelHub::Impl::shopifyWebhook(const WebhookRequest& request) {
  const auto& settings = config.settings(domain::Channel::Shopify);
  if (auto st = verifyShopifyWebhook(settings.secret, request.body, header(request, "x-shopify-hmac-sha256")); !st)
    return fail(Error{ErrorKind::Unauthorized, st.error().message});  // always 401
  auto order = parseShopifyOrder(request.body);
  if (!order) return failPayload(order.error());
  // Shopify's duplicate rule: the same X-Shopify-Event-Id means the same
  // event, whatever the delivery (a retry, a second subscription). The
  // webhook id is only a fallback for a delivery without an event id.
  std::string eventKey = header(request, "x-shopify-event-id");
  const char* keyHeader = "X-Shopify-Event-Id";
  if (eventKey.empty()) {
    eventKey = header(request, "x-shopify-webhook-id");
    keyHeader = "X-Shopify-Webhook-Id";
  }
  if (eventKey.empty()) eventKey = order->externalId + "@" + std::to_string(order->updatedAtMs);
  if (eventKey.size() > 200)
    return fail(Error{ErrorKind::Malformed, std::string(keyHeader) + " is longer than 200 bytes"});

  ApplyOutcome outcome;
  bool duplicate = false;
  auto st = db.write([&](store::Tx& tx) -> Status {
    std::string ch = "shopify";
    bool seen = false;
    {
      store::Query q(tx, "SELECT result FROM channel_events WHERE channel = ? AND event_key = ?");
      q.bind(ch).bind(eventKey);
      seen = q.step();
    }
    if (seen) {
      duplicate = true;
      outcome.result = Applied::Duplicate;
      return {};
    }
    outcome = apply(tx, *order);
    if (outcome.result == Applied::Error) return Error{ErrorKind::Invalid, outcome.detail};
    store::exec(tx, "INSERT INTO channel_events(channel, event_key, at, result) VALUES (?, ?, ?, ?)", ch,
                eventKey, tx.nowMs(), toString(outcome.result));
    return {};
  });
  if (!st) {
    // An order the hub cannot store (apply said why) is the payload's fault;
    // the database's failures keep their own status (503, 500).
    const auto kind = st.error().kind;
    if (kind == ErrorKind::Unavailable || kind == ErrorKind::Internal) return fail(st.error());
    return failPayload(st.error());
  }
  if (!outcome.changedSkus.empty()) wakePushers();
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("result", toString(outcome.result));
  if (outcome.orderId != 0) o.set("order_id", outcome.orderId);
  if (!outcome.detail.empty()) o.set("detail", outcome.detail);
  if (!duplicate) logger().debug("shopify %s: %s", order->externalId, std::string(toString(outcome.result)));
  return reply(200, o);
}

WebhookReply ChannelHub::Impl::pushWebhook(const WebhookRequest& request) {
  const auto& settings = config.settings(request.channel);
  const std::string auth = header(request, "authorization");
  Status verified;
  Result<PushNotice> notice = Error{ErrorKind::Internal, "unreachable"};
  switch (request.channel) {
    case domain::Channel::Lazada:
      verified = verifyLazadaPush(settings.appKey, settings.secret, request.body, auth);
      if (verified) notice = parseLazadaPush(request.body);
      break;
    case domain::Channel::Shopee:
      verified = verifyShopeePush(settings.secret, settings.callbackUrl, request.body, auth);
      if (verified) notice = parseShopeePush(request.body);
      break;
    default:
      verified = verifyTikTokWebhook(settings.appKey, settings.secret, request.body, auth);
      if (verified) notice = parseTikTokWebhook(request.body);
      break;
  }
  if (!verified) return fail(Error{ErrorKind::Unauthorized, verified.error().message});  // always 401
  if (request.body.empty()) {
    // A channel checking the callback URL (Shopee sends an empty body when it is set).
    return acknowledge(request.channel, "ignored", "", "empty body: callback check");
  }
  if (!notice) return failPayload(notice.error());
  if (!notice->aboutOrder) return acknowledge(request.channel, "ignored", "", "not an order message");
  const std::string ch = domain::toString(request.channel);
  std::string result;
  auto st = db.write([&](store::Tx& tx) -> Status {
    std::string key = notice->eventKey;
    bool seen = false;
    {
      store::Query q(tx, "SELECT result FROM channel_events WHERE channel = ? AND event_key = ?");
      q.bind(ch).bind(key);
      seen = q.step();
    }
    auto existing = findChannelOrder(tx, request.channel, notice->orderId);
    if (seen) {
      // The channel sends a push again when it did not get our answer, and
      // a seller can re-push an order by hand. If that order was never read
      // (its fetch failed for good and a person was told), this is its
      // second chance: fetch it again instead of calling it a duplicate.
      const bool waiting = store::queryInteger(tx, "SELECT COUNT(*) FROM channel_inbox WHERE channel = ? AND order_ref = ?",
                                               ch, notice->orderId)
                               .value_or(0) > 0;
      if (existing || waiting) {
        result = "duplicate";
        return {};
      }
      result = "requeued";
      store::exec(tx,
                  "INSERT INTO channel_inbox(channel, order_ref, push_updated_at, received_at, due_at, attempts) "
                  "VALUES (?, ?, ?, ?, ?, 0)",
                  ch, notice->orderId, notice->updatedAtMs, tx.nowMs(), tx.nowMs());
      return {};
    }
    if (existing && notice->updatedAtMs <= existing->channelUpdatedAt) {
      result = "stale";
    } else {
      result = "queued";
      store::exec(
          tx,
          "INSERT INTO channel_inbox(channel, order_ref, push_updated_at, received_at, due_at, attempts) "
          "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT(channel, order_ref) DO UPDATE SET "
          "push_updated_at = MAX(push_updated_at, excluded.push_updated_at)",
          ch, notice->orderId, notice->updatedAtMs, tx.nowMs(), tx.nowMs());
    }
    store::exec(tx, "INSERT INTO channel_events(channel, event_key, at, result) VALUES (?, ?, ?, ?)", ch, key,
                tx.nowMs(), result);
    return {};
  });
  if (!st) return fail(st.error().kind == ErrorKind::Unavailable ? st.error() : Error{ErrorKind::Internal, st.error().message});
  if (result == "queued" || result == "requeued") wakeFetchers();
  return acknowledge(request.channel, result, notice->orderId);
}

Result<stock::IntakeResult> ChannelHub::Impl::releaseHeld(store::Tx& tx, const domain::Order& order,
                                                          const std::string& why) {
  const domain::OrderId id = order.id;
  // Held for its address: mapping SKUs does not make it shippable.
  if (auto address = domain::validateAddress(order.shipTo, order.serviceLevel); !address)
    return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " cannot be shipped as received (" +
                                          address.error().message + "); it needs a corrected order from the channel"};
  // No channel lines to map: held for another reason (its units were not
  // at the pick locations): it is reserved again as it is.
  std::vector<std::pair<int, std::string>> lineSkus;
  {
    store::Query q(tx, "SELECT line_no, sku_keys FROM channel_held_lines WHERE order_id = ? ORDER BY line_no");
    q.bind(id);
    while (q.step()) {
      const std::int64_t lineNo = q.integer(0);
      std::vector<std::string> k;
      std::stringstream ss(q.text(1));
      for (std::string part; std::getline(ss, part, '\n');) k.push_back(part);
      auto sku = mapSku(tx, order.channel, k);
      if (!sku)
        return Error{ErrorKind::Conflict, "line " + std::to_string(lineNo) + ": channel SKU " +
                                              (k.empty() ? std::string("?") : k.front()) +
                                              " still has no mapping; PUT /api/v1/channels/" +
                                              domain::toString(order.channel) + "/sku-map/{channel_sku} first"};
      lineSkus.emplace_back(static_cast<int>(lineNo), *sku);
    }
  }
  auto r = intake.releaseHold(tx, stock::Actor::integration(domain::toString(order.channel)), id, lineSkus);
  if (!r) return r.error();
  store::exec(tx, "DELETE FROM channel_held_lines WHERE order_id = ?", id);
  store::ExceptionRepository exceptions(tx);
  for (const char* kind : {"unknown_channel_sku", "channel_order_invalid"})
    (void)exceptions.resolveOpen(kind, "order:" + std::to_string(id), why);
  return r;
}

void ChannelHub::Impl::correctAddress(store::Tx& tx, const ChannelOrder& co, domain::OrderId id, ApplyOutcome& out) {
  store::OrderRepository orders(tx);
  auto order = orders.find(id);
  if (!order || order->serviceLevel == domain::ServiceLevel::StorePickup) return;
  const auto& a = order->shipTo;
  const auto& b = co.shipTo;
  const bool same = a.name == b.name && a.company == b.company && a.line1 == b.line1 && a.line2 == b.line2 &&
                    a.city == b.city && a.region == b.region && a.postalCode == b.postalCode &&
                    a.country == b.country && a.phone == b.phone && a.email == b.email;
  if (same) return;
  const std::string ref = channelRef(co.channel, co.externalId);
  store::ExceptionRepository exceptions(tx);
  if (auto valid = domain::validateAddress(b, order->serviceLevel); !valid) {
    // Still not shippable (or no longer): a held order stays held; one in
    // progress keeps the address it has, and a person hears of it.
    if (order->status != domain::OrderStatus::Held)
      exceptions.raise("channel_address_invalid", "order:" + std::to_string(id),
                       ref + " was updated with an address that cannot be shipped to (" + valid.error().message +
                           "); it keeps its earlier address");
    return;
  }
  switch (order->status) {
    case domain::OrderStatus::Held: {
      const bool heldForAddress = !domain::validateAddress(a, order->serviceLevel);
      orders.setShipTo(id, b);
      if (!heldForAddress) return;  // held for another reason: that one still stands
      order->shipTo = b;
      auto released = releaseHeld(tx, *order, "the channel corrected the address");
      if (!released) {
        // Its address is fixed; something else (an unmapped SKU) still holds it.
        out.detail = "address corrected; still held: " + released.error().message;
        return;
      }
      out.changedSkus = released->changedSkus;
      out.detail = "address corrected; released";
      return;
    }
    case domain::OrderStatus::Backordered:
    case domain::OrderStatus::Allocated:
    case domain::OrderStatus::Released:
    case domain::OrderStatus::Picking:
    case domain::OrderStatus::Picked:
      orders.setShipTo(id, b);  // the label is printed at packing: it gets the new address
      out.detail = "address corrected";
      return;
    case domain::OrderStatus::Packed:
      exceptions.raise("channel_address_changed_after_pack", "order:" + std::to_string(id),
                       ref + " changed its address on the channel after its label was printed: reprint the "
                             "label or hold the parcel");
      return;
    default:
      return;  // shipped or cancelled: nothing to change
  }
}

Result<domain::Order> ChannelHub::releaseHold(domain::OrderId id) {
  stock::IntakeResult released;
  auto st = impl_->db.write([&](store::Tx& tx) -> Status {
    store::OrderRepository orders(tx);
    auto order = orders.find(id);
    if (!order) return Error{ErrorKind::NotFound, "no order " + std::to_string(id)};
    if (order->status != domain::OrderStatus::Held)
      return Error{ErrorKind::Conflict, "order " + std::to_string(id) + " is " + domain::toString(order->status) +
                                            ", not held"};
    auto r = impl_->releaseHeld(tx, *order, "released by hand");
    if (!r) return r.error();
    released = std::move(*r);
    return {};
  });
  if (!st) return st.error();
  if (!released.changedSkus.empty()) impl_->wakePushers();
  return released.order;
}

}  // namespace wms::channels
