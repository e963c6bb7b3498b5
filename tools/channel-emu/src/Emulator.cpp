#include "wms/channelemu/Emulator.h"

#include <cstdlib>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/ThreadPool.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "Payloads.h"
#include "wms/apiclient/Session.h"
#include "wms/channels/ChannelConfig.h"
#include "wms/channels/Signatures.h"
#include "wms/channels/SyncPolicy.h"

namespace wms::channelemu {
namespace {

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string jsonText(const Poco::JSON::Object& o) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(o, out);
  return out.str();
}

// A JSON string literal of s.
std::string jsonQuote(const std::string& s) {
  Poco::JSON::Object o;
  o.set("s", s);
  std::string t = jsonText(o);
  return t.substr(5, t.size() - 6);  // {"s":"..."} -> "..."
}

std::string errorJson(const std::string& kind, const std::string& detail) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("error", kind);
  o.set("detail", detail);
  return jsonText(o);
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream ss(path);
  for (std::string part; std::getline(ss, part, '/');) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

struct Delivery {
  domain::Channel channel = domain::Channel::Shopify;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // While it is being retried: its tries that failed so far, and when the first did.
  int failures = 0;
  std::chrono::steady_clock::time_point firstFailedAt{};
};

struct Reply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace

std::string pushKey(domain::Channel channel, const std::string& channelSku, const std::string& listingRef) {
  switch (channel) {
    case domain::Channel::Shopify: {
      // Updates are recorded by the inventory item's number; a listing may name it by GID.
      const std::string ref = listingRef.empty() ? channelSku : listingRef;
      const auto slash = ref.rfind('/');
      return ref.rfind("gid://shopify/InventoryItem/", 0) == 0 ? ref.substr(slash + 1) : ref;
    }
    case domain::Channel::Shopee: return listingRef.empty() ? channelSku : listingRef;
    case domain::Channel::TikTok: {
      const std::string ref = listingRef.empty() ? channelSku : listingRef;
      auto colon = ref.find(':');
      if (colon == std::string::npos) return ref + ":" + channelSku;
      return ref;
    }
    default: return channelSku;
  }
}

struct Emulator::Impl {
  Options options;
  std::uint16_t port = 0;
  // Its own pool, larger than POCO's default 16: every idle keep-alive
  // connection (wmsd's channel clients, the tools, a restarted wmsd's new
  // ones) holds a thread, and the control API must still answer at once.
  // Declared before the server, which uses it until it is destroyed.
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;

  mutable std::mutex mutex;  // protects everything below
  std::condition_variable sendCv, drainCv;
  std::string wmsdUrl;
  // wmsd's API token for the emulator's own reads of wmsd (listings,
  // shipped orders); its webhooks need none, they are signed.
  std::string wmsdToken;
  std::map<domain::Channel, std::map<std::string, EmuOrder>> orders;
  std::map<domain::Channel, std::map<std::string, Delivery>> lastDelivery, firstDelivery;
  std::deque<Delivery> outgoing;
  std::int64_t inFlight = 0;
  // Deliveries that failed, by when they are tried again; still pending.
  std::multimap<std::chrono::steady_clock::time_point, Delivery> retrying;
  std::chrono::milliseconds retryFor{0};  // how long a failed delivery is retried (Options)
  std::map<int, std::int64_t> statuses;
  std::vector<StockUpdate> updates;
  std::vector<Fulfilment> fulfilled;
  std::map<domain::Channel, std::pair<FaultMode, std::int64_t>> faults;
  // Stock updates the channel refuses, by channel and push key, with the
  // reason it gives (POST /_emu/refusals).
  std::map<std::pair<domain::Channel, std::string>, std::string> refusing;
  // Lazada's own stock per SellerSku: sellable (what buyers may buy; a sale
  // on Lazada moves units from it to "occupied" until they ship or are
  // cancelled) and withheld (campaign units). Total = sellable + occupied +
  // withheld; UpdatePriceQuantity sets the total and is refused below
  // occupied + withheld; UpdateSellableQuantity sets sellable.
  struct LazadaStock {
    std::int64_t sellable = 0;
    std::int64_t withheld = 0;
  };
  std::map<std::string, LazadaStock> lazadaStock;
  // Amazon's fulfillment_availability per SKU, as a seller may have set it.
  struct AmazonAvailability {
    std::int64_t quantity = -1;
    std::int64_t leadTimeDays = -1;
    std::string restockDate;
  };
  std::map<std::string, AmazonAvailability> amazonListings;
  // How wmsd acknowledged each delivery, per channel: time to the answer and
  // the answers that broke the channel's documented rule (Lazada: HTTP 200
  // within 500 ms; Shopee: a 2xx with an empty body).
  struct Acks {
    std::vector<double> ms;
    std::int64_t violations = 0;
    std::string lastViolation;
  };
  std::map<domain::Channel, Acks> acks;
  std::int64_t tiktokDeliveries = 0;
  std::map<domain::Channel, std::unique_ptr<channels::TokenBucket>> buckets;
  std::int64_t nextId = 0;
  std::int64_t lastSecond = 0;
  // Shopify's GraphQL Admin API: the app's cost bucket (a leaky bucket of
  // query-cost points), inventory levels by item@location, the items and
  // locations the shop no longer has, the idempotency keys seen (key ->
  // the variables sent, the answer's data, whether it failed).
  struct ShopifyShop {
    double maximum = 1000, restorePerSecond = 50, points = 1000;
    std::int64_t atMs = 0;
    std::map<std::string, std::int64_t> levels;
    std::set<std::string> removedItems, removedLocations;
    struct Seen {
      std::string variables, data;
      bool failed = false;
    };
    std::map<std::string, Seen> keys;
    // Oldest first: Shopify keeps keys for a while, the emulator the last 50000.
    std::deque<std::string> keyOrder;
    ShopifyStats stats;

    void remember(const std::string& key, Seen seen) {
      if (keys.emplace(key, std::move(seen)).second) keyOrder.push_back(key);
      while (keyOrder.size() > 50000) {
        keys.erase(keyOrder.front());
        keyOrder.pop_front();
      }
    }
  } shopify;
  std::mt19937_64 rng{42};
  bool stopping = false;
  ScenarioProgress progress;
  Emulator* self = nullptr;  // set once constructed; for the control API's scenario calls
  std::vector<std::thread> senders;
  std::thread scenarioThread;

  // --- orders and deliveries (mutex held) ---------------------------------

  // Every state of an order gets a strictly newer second: the channels'
  // timestamps have one-second resolution and wmsd orders states by them.
  std::int64_t tick(std::int64_t previous) {
    std::int64_t s = std::max(nowMs() / 1000, previous + 1);
    lastSecond = std::max(lastSecond, s);
    return s;
  }

  std::string newId(domain::Channel ch) {
    ++nextId;
    switch (ch) {
      case domain::Channel::Shopify: return std::to_string(9007199254740993LL + nextId * 7);  // above 2^53
      case domain::Channel::Lazada: return std::to_string(260422900000000LL + nextId);
      case domain::Channel::Shopee: {
        static const char* a = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        std::string s = "2611" + std::to_string(100000 + nextId % 900000);
        for (int i = 0; i < 4; ++i) s += a[(nextId >> (5 * i)) & 31];
        return s;
      }
      case domain::Channel::TikTok: return std::to_string(576460752303423488LL + nextId);
      default: {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%03lld-%07lld-%07lld", static_cast<long long>(100 + nextId % 900),
                      static_cast<long long>(nextId), static_cast<long long>((nextId * 7919) % 10000000));
        return buf;
      }
    }
  }

  Delivery delivery(const EmuOrder& o, const std::string& topic) {
    Delivery d;
    d.channel = o.channel;
    const auto& s = options.secrets;
    switch (o.channel) {
      case domain::Channel::Shopify:
        d.body = shopifyOrder(o);
        d.headers = {
            {"X-Shopify-Topic", topic},
            {"X-Shopify-Hmac-Sha256", channels::shopifyWebhookSignature(s.shopifySecret, d.body)},
            {"X-Shopify-Shop-Domain", "wms-demo.myshopify.com"},
            {"X-Shopify-API-Version", "2026-10"},
            // One event id per event (this state of the order): a
            // redelivery keeps it; send() gives each delivery its
            // own X-Shopify-Webhook-Id.
            {"X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-" + std::to_string(100000000000LL + ++nextId)},
            {"X-Shopify-Triggered-At", isoUtc(o.updatedSec)}};
        break;
      case domain::Channel::Lazada:
        d.body = lazadaPush(o);
        d.headers = {{"Authorization", channels::lazadaPushSignature(s.lazadaAppKey, s.lazadaSecret, d.body)}};
        break;
      case domain::Channel::Shopee:
        d.body = shopeePush(o);
        d.headers = {{"Authorization", channels::shopeePushSignature(s.shopeePartnerKey, s.shopeeCallbackUrl, d.body)}};
        break;
      case domain::Channel::TikTok:
        // Every other delivery in the shape without tts_notification_id.
        d.body = tiktokWebhook(o, ++tiktokDeliveries % 2 == 1 ? "TTN" + std::to_string(7000000000000LL + ++nextId)
                                                              : std::string());
        d.headers = {{"Authorization", channels::tiktokWebhookSignature(s.tiktokAppKey, s.tiktokSecret, d.body)}};
        break;
      default:
        break;
    }
    return d;
  }

  void send(const Delivery& d) {
    if (d.channel == domain::Channel::Amazon) return;
    outgoing.push_back(d);
    if (d.channel == domain::Channel::Shopify)
      outgoing.back().headers.emplace_back(
          "X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-" + std::to_string(1000000000000LL + ++nextId));
    sendCv.notify_one();
  }

  Result<std::string> create(const NewOrder& in, bool deliver) {
    if (!channels::isMarketplace(in.channel)) return Error{ErrorKind::Invalid, "not a marketplace"};
    if (in.lines.empty()) return Error{ErrorKind::Invalid, "an order needs lines"};
    EmuOrder o;
    o.channel = in.channel;
    o.id = in.id.empty() ? newId(in.channel) : in.id;
    if (orders[in.channel].count(o.id)) return Error{ErrorKind::Conflict, "order " + o.id + " exists"};
    o.lines = in.lines;
    o.pickup = in.pickup;
    o.badAddress = in.badAddress;
    o.country = in.country;
    if (o.channel == domain::Channel::Lazada) {
      for (const auto& l : o.lines) {
        auto& st = lazadaStock[l.channelSku];
        st.sellable = std::max<std::int64_t>(0, st.sellable - l.qty);
      }
    }
    o.createdSec = o.updatedSec = tick(0);
    Delivery d = delivery(o, "orders/create");
    firstDelivery[o.channel][o.id] = d;
    lastDelivery[o.channel][o.id] = d;
    orders[o.channel][o.id] = o;
    if (deliver) send(d);
    return o.id;
  }

  Status change(domain::Channel ch, const std::string& id, bool cancel, bool deliver) {
    auto it = orders[ch].find(id);
    if (it == orders[ch].end()) return Error{ErrorKind::NotFound, "no order " + id};
    auto& o = it->second;
    if (cancel && !o.cancelled && ch == domain::Channel::Lazada) {
      // Lazada puts the unshipped units of a cancelled order back on sale.
      for (const auto& [sku, units] : lazadaOccupiedBy(o)) lazadaStock[sku].sellable += units;
    }
    if (cancel) o.cancelled = true;
    else o.updated = true;
    o.updatedSec = tick(o.updatedSec);
    Delivery d = delivery(o, cancel ? "orders/cancelled" : "orders/updated");
    lastDelivery[ch][id] = d;
    if (deliver) send(d);
    return {};
  }

  // --- the sender pool --------------------------------------------------------

  // Deliveries not answered for good yet: queued, being sent, or waiting
  // to be tried again. Call with the mutex held.
  std::int64_t pendingDeliveries() const {
    return static_cast<std::int64_t>(outgoing.size() + retrying.size()) + inFlight;
  }

  // One try of a delivery on the thread's session: wmsd's status, 0 for no answer.
  int deliverOnce(const Delivery& d, const std::string& base, std::unique_ptr<Poco::Net::HTTPClientSession>& session,
                  std::string& sessionBase) {
    try {
      if (!session || sessionBase != base) {
        auto opened = apiclient::openSession(Poco::URI(base));  // wmsd may be https://
        if (!opened) throw Poco::InvalidArgumentException(opened.error().message);
        session = std::move(*opened);
        session->setKeepAlive(true);
        session->setTimeout(Poco::Timespan(30, 0));
        sessionBase = base;
      }
      Poco::Net::HTTPRequest req("POST", std::string("/api/v1/channels/") + domain::toString(d.channel) + "/webhooks",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
      req.setKeepAlive(true);
      req.setContentType("application/json");
      req.setContentLength(static_cast<std::streamsize>(d.body.size()));
      for (const auto& [k, v] : d.headers) req.set(k, v);
      const auto sentAt = std::chrono::steady_clock::now();
      session->sendRequest(req) << d.body;
      Poco::Net::HTTPResponse res;
      std::istream& in = session->receiveResponse(res);
      std::string answer;
      Poco::StreamCopier::copyToString(in, answer);
      const int status = static_cast<int>(res.getStatus());
      noteAck(d.channel, status, answer,
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sentAt).count());
      return status;
    } catch (const std::exception&) {
      session.reset();
      return 0;
    }
  }

  // The sender pool. Marketplaces retry a webhook that failed (no answer,
  // 5xx, 429) for hours with growing pauses; here 200 ms doubling to 5 s,
  // for options.deliveryRetrySeconds. A failed delivery waits in `retrying`
  // without holding its thread, so the others keep flowing; it is counted
  // (statuses) only by its last answer.
  void senderLoop() {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    std::string sessionBase;
    for (;;) {
      Delivery d;
      std::string base;
      {
        std::unique_lock lock(mutex);
        for (;;) {
          if (stopping) return;
          if (!wmsdUrl.empty() && !outgoing.empty()) {
            d = std::move(outgoing.front());
            outgoing.pop_front();
            break;
          }
          const auto now = std::chrono::steady_clock::now();
          if (!wmsdUrl.empty() && !retrying.empty() && retrying.begin()->first <= now) {
            d = std::move(retrying.begin()->second);
            retrying.erase(retrying.begin());
            break;
          }
          if (!wmsdUrl.empty() && !retrying.empty()) sendCv.wait_until(lock, retrying.begin()->first);
          else sendCv.wait(lock);
        }
        ++inFlight;
        base = wmsdUrl;
      }
      const int status = deliverOnce(d, base, session, sessionBase);
      std::lock_guard lock(mutex);
      --inFlight;
      const auto now = std::chrono::steady_clock::now();
      if ((status == 0 || status >= 500 || status == 429) && !stopping) {
        if (d.failures == 0) d.firstFailedAt = now;
        if (now - d.firstFailedAt < retryFor) {
          const auto pause = std::min<std::chrono::milliseconds>(std::chrono::seconds(5),
                                                                 std::chrono::milliseconds(200 << std::min(d.failures, 5)));
          ++d.failures;
          retrying.emplace(now + pause, std::move(d));
          sendCv.notify_one();  // a waiting sender may need to wake sooner
          continue;
        }
      }
      ++statuses[status];
      ++progress.statuses[status];
      drainCv.notify_all();
    }
  }

  // --- the channels' endpoints -------------------------------------------------

  // Fault and rate limit of a channel's endpoint; a reply if refused.
  std::optional<Reply> gate(domain::Channel ch) {
    std::lock_guard lock(mutex);
    auto f = faults.find(ch);
    if (f != faults.end() && f->second.first != FaultMode::None) {
      if (nowMs() >= f->second.second) {
        faults.erase(f);
      } else {
        switch (f->second.first) {
          case FaultMode::Down: return Reply{503, errorJson("unavailable", "channel is down (emulated)"), {}};
          case FaultMode::Error: return Reply{500, errorJson("internal", "channel failed (emulated)"), {}};
          case FaultMode::Throttle: return Reply{429, errorJson("too_many_requests", "throttled (emulated)"), {{"Retry-After", "1"}}};
          case FaultMode::Garbage: return Reply{200, "<html><body>502 Bad Gateway</body></html>", {}};
          case FaultMode::PlatformError:
            switch (ch) {
              case domain::Channel::Lazada:
                return Reply{200, R"({"type":"ISP","code":"InternalError","message":"The request has failed due to an internal error of the service provider","request_id":"0ba2887315178178017221099"})", {}};
              case domain::Channel::Shopee:
                return Reply{200, R"({"error":"error_server","message":"Something wrong. Please try later.","request_id":"e3e3e7f3c7a0"})", {}};
              case domain::Channel::TikTok:
                return Reply{200, R"({"code":36009004,"message":"Internal error, please try again later.","request_id":"202311150212"})", {}};
              default:
                return Reply{500, errorJson("internal", "channel failed (emulated)"), {}};
            }
          default: break;
        }
      }
    }
    auto& bucket = buckets[ch];
    if (!bucket) {
      auto it = options.rateLimits.find(ch);
      RateLimit rl = it == options.rateLimits.end() ? RateLimit{} : it->second;
      bucket = std::make_unique<channels::TokenBucket>(rl.perSecond, rl.burst, nowMs());
    }
    if (auto wait = bucket->tryTake(nowMs()); wait > 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(wait) / 1000.0);
      return Reply{429, errorJson("too_many_requests", "rate limit exceeded"), {{"Retry-After", buf}}};
    }
    return std::nullopt;
  }

  void record(domain::Channel ch, const std::string& key, std::int64_t qty) {
    std::lock_guard lock(mutex);
    updates.push_back({ch, key, qty, nowMs()});
  }

  // The refusal reason for a stock update of key, if the channel refuses it.
  std::optional<std::string> refusal(domain::Channel ch, const std::string& key) {
    std::lock_guard lock(mutex);
    auto it = refusing.find({ch, key});
    if (it == refusing.end()) return std::nullopt;
    return it->second;
  }

  // Units of a Lazada order not shipped yet, per SellerSku (mutex held).
  static std::map<std::string, std::int64_t> lazadaOccupiedBy(const EmuOrder& o) {
    std::map<std::string, std::int64_t> out;
    if (o.cancelled) return out;
    const auto ids = lineIds(o);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      for (const auto& unit : ids[i]) {
        if (!o.shipped.count(unit)) out[o.lines[i].channelSku] += 1;
      }
    }
    return out;
  }
  std::int64_t lazadaOccupied(const std::string& sellerSku) {
    std::int64_t n = 0;
    for (const auto& [id, o] : orders[domain::Channel::Lazada]) {
      auto units = lazadaOccupiedBy(o);
      if (auto it = units.find(sellerSku); it != units.end()) n += it->second;
    }
    return n;
  }

  std::map<domain::Channel, Emulator::AckStats> ackStats() const {
    std::lock_guard lock(mutex);
    std::map<domain::Channel, Emulator::AckStats> out;
    for (const auto& [ch, a] : acks) {
      std::vector<double> sorted = a.ms;
      std::sort(sorted.begin(), sorted.end());
      auto pct = [&](double p) {
        return sorted.empty() ? 0.0
                              : sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
      };
      auto& o = out[ch];
      o.count = static_cast<std::int64_t>(sorted.size());
      o.p50Ms = pct(0.50);
      o.p99Ms = pct(0.99);
      o.maxMs = sorted.empty() ? 0.0 : sorted.back();
      o.violations = a.violations;
      o.lastViolation = a.lastViolation;
    }
    return out;
  }

  void noteAck(domain::Channel ch, int status, const std::string& body, double ms) {
    std::string violation;
    if (ch == domain::Channel::Lazada && status != 200)
      violation = "Lazada expects HTTP 200, got " + std::to_string(status);
    else if (ch == domain::Channel::Lazada && ms > 500)
      violation = "Lazada expects the answer within 500 ms, took " + std::to_string(static_cast<int>(ms)) + " ms";
    else if (ch == domain::Channel::Shopee && (status < 200 || status > 299))
      violation = "Shopee expects a 2xx, got " + std::to_string(status);
    else if (ch == domain::Channel::Shopee && !body.empty())
      violation = "Shopee expects an empty body, got " + std::to_string(body.size()) + " bytes";
    std::lock_guard lock(mutex);
    auto& a = acks[ch];
    a.ms.push_back(ms);
    if (!violation.empty()) {
      ++a.violations;
      a.lastViolation = violation;
    }
  }

  static Poco::JSON::Object::Ptr parseObject(const std::string& body) {
    Poco::JSON::Parser p;
    return p.parse(body).extract<Poco::JSON::Object::Ptr>();
  }

  // --- shipment notices (mutex held) -------------------------------------------

  // The order and line index of a unit/line id of the channel's orders.
  struct UnitRef {
    EmuOrder* order = nullptr;
    std::size_t line = 0;
  };
  std::optional<UnitRef> findUnit(domain::Channel ch, const std::string& id) {
    for (auto& [oid, o] : orders[ch]) {
      const auto ids = lineIds(o);
      for (std::size_t i = 0; i < ids.size(); ++i) {
        for (const auto& u : ids[i]) {
          if (u == id) return UnitRef{&o, i};
        }
      }
    }
    return std::nullopt;
  }

  // Lines of a notice from units/lines shipped (id -> qty), grouped per order line.
  static std::vector<FulfilmentLine> linesOf(const EmuOrder& o, const std::map<std::string, std::int64_t>& units) {
    std::vector<FulfilmentLine> out;
    const auto ids = lineIds(o);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      FulfilmentLine l;
      l.lineId = ids[i].front();
      l.channelSku = o.lines[i].channelSku;
      for (const auto& u : ids[i]) {
        auto it = units.find(u);
        if (it != units.end()) l.qty += it->second;
      }
      if (l.qty > 0) out.push_back(std::move(l));
    }
    return out;
  }

  void recordFulfilment(Fulfilment f) {
    f.atMs = nowMs();
    fulfilled.push_back(std::move(f));
  }

  // Shopify's legacy REST fulfillments.json (wmsd uses GraphQL; still
  // answered): line items of the order's fulfillment order,
  // each at most its fulfillable quantity, and a tracking number.
  Reply shopifyFulfil(const std::string& body) {
    auto unprocessable = [](const std::string& m) { return Reply{422, R"({"errors":{"fulfillment":[")" + m + R"("]}})", {}}; };
    auto f = parseObject(body)->getObject("fulfillment");
    if (!f) return Reply{400, R"({"errors":{"fulfillment":"Required parameter missing or invalid"}})", {}};
    auto groups = f->getArray("line_items_by_fulfillment_order");
    auto tracking = f->getObject("tracking_info");
    if (!groups || groups->size() == 0) return unprocessable("line_items_by_fulfillment_order is required");
    if (!tracking || tracking->optValue<std::string>("number", "").empty())
      return unprocessable("tracking_info.number is required (emulator)");
    std::lock_guard lock(mutex);
    Fulfilment out;
    out.channel = domain::Channel::Shopify;
    out.call = "POST /admin/api/2024-01/fulfillments.json";
    out.trackingNumber = tracking->getValue<std::string>("number");
    out.carrier = tracking->optValue<std::string>("company", "");
    EmuOrder* order = nullptr;
    std::map<std::string, std::int64_t> units;
    for (unsigned g = 0; g < groups->size(); ++g) {
      auto group = groups->getObject(g);
      const std::string foId = group->get("fulfillment_order_id").convert<std::string>();
      EmuOrder* o = nullptr;
      for (auto& [id, candidate] : orders[domain::Channel::Shopify]) {
        if (shopifyFulfillmentOrderId(candidate) == foId) o = &candidate;
      }
      if (!o) return Reply{404, R"({"errors":"Not Found"})", {}};
      if (order && order != o) return unprocessable("fulfillment orders of different orders");
      order = o;
      if (o->cancelled) return unprocessable("the fulfillment order is cancelled");
      auto items = group->getArray("fulfillment_order_line_items");
      const auto ids = lineIds(*o);
      for (unsigned i = 0; items && i < items->size(); ++i) {
        auto item = items->getObject(i);
        const std::string foLine = item->get("id").convert<std::string>();
        const std::int64_t qty = item->getValue<Poco::Int64>("quantity");
        bool found = false;
        for (std::size_t l = 0; l < ids.size(); ++l) {
          if (shopifyFulfillmentOrderLineId(ids[l].front()) != foLine) continue;
          found = true;
          const std::int64_t left = o->lines[l].qty - o->shipped[ids[l].front()] - units[ids[l].front()];
          if (qty < 1 || qty > left) return unprocessable("Invalid fulfillment order line item quantity requested.");
          units[ids[l].front()] += qty;
        }
        if (!found) return unprocessable("fulfillment order line item " + foLine + " is not on the fulfillment order");
      }
    }
    if (units.empty()) return unprocessable("no line items to fulfill");
    for (const auto& [id, qty] : units) order->shipped[id] += qty;
    out.orderId = order->id;
    out.lines = linesOf(*order, units);
    recordFulfilment(out);
    return Reply{201, R"({"fulfillment":{"id":)" + std::to_string(4000000000000LL + static_cast<std::int64_t>(fulfilled.size())) +
                          R"(,"order_id":)" + order->id + R"(,"status":"success","tracking_number":")" + out.trackingNumber + R"("}})", {}};
  }

  // --- Shopify GraphQL Admin (not a GraphQL engine: the three operations wmsd
  // uses are recognised by their root field and their variables read) -------

  // The decimal tail of "gid://shopify/<type>/<digits>", "" if it is not one.
  static std::string shopifyGidNumber(const std::string& type, const std::string& gid) {
    const std::string prefix = "gid://shopify/" + type + "/";
    if (gid.rfind(prefix, 0) != 0) return {};
    const std::string n = gid.substr(prefix.size());
    return !n.empty() && n.size() <= 20 && n.find_first_not_of("0123456789") == std::string::npos
               ? n
               : std::string();
  }

  // The leaky bucket: restored continuously up to its maximum (mutex held).
  void shopifyRefill() {
    const std::int64_t now = nowMs();
    if (shopify.atMs != 0 && now > shopify.atMs)
      shopify.points = std::min(shopify.maximum, shopify.points + static_cast<double>(now - shopify.atMs) *
                                                                      shopify.restorePerSecond / 1000.0);
    shopify.atMs = now;
  }

  // extensions.cost of an answer (actual < 0: null, the query did not run).
  std::string shopifyCost(double requested, double actual) const {
    Poco::JSON::Object::Ptr status = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    status->set("maximumAvailable", shopify.maximum);
    status->set("currentlyAvailable", static_cast<Poco::Int64>(std::floor(shopify.points)));
    status->set("restoreRate", shopify.restorePerSecond);
    Poco::JSON::Object::Ptr cost = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    cost->set("requestedQueryCost", static_cast<Poco::Int64>(requested));
    cost->set("actualQueryCost",
              actual < 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(static_cast<Poco::Int64>(actual)));
    cost->set("throttleStatus", status);
    Poco::JSON::Object ext(Poco::JSON_PRESERVE_KEY_ORDER);
    ext.set("cost", cost);
    return jsonText(ext);
  }

  // One userError: {"code"?, "field": [...], "message"}.
  static Poco::JSON::Object::Ptr shopifyUserError(const std::string& code,
                                                  const std::vector<std::string>& field,
                                                  const std::string& message) {
    Poco::JSON::Object::Ptr e = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (!code.empty()) e->set("code", code);
    Poco::JSON::Array::Ptr path = new Poco::JSON::Array;
    for (const auto& f : field) path->add(f);
    e->set("field", path);
    e->set("message", message);
    return e;
  }

  struct GraphqlOutcome {
    std::string data;   // the JSON of "data" when it ran
    std::string error;  // a top-level error instead
    std::string errorCode;
    double actualCost = 1;
  };

  // inventorySetQuantities: all or nothing; an @idempotent key is required
  // (2026-04 and later), and so is changeFromQuantity on each quantity (null
  // opts out of the compare-and-swap).
  GraphqlOutcome shopifySetQuantities(const std::string& query, const Poco::JSON::Object::Ptr& vars) {
    GraphqlOutcome out;
    out.actualCost = 10;
    const auto at = query.find("@idempotent");
    const auto q1 = at == std::string::npos ? at : query.find('"', at);
    const auto q2 = q1 == std::string::npos ? q1 : query.find('"', q1 + 1);
    if (q2 == std::string::npos) {
      out.error = "inventorySetQuantities requires an idempotency key: add @idempotent(key: \"<uuid>\")";
      out.errorCode = "BAD_REQUEST";
      return out;
    }
    const std::string key = query.substr(q1 + 1, q2 - q1 - 1);
    auto input = vars->getObject("input");
    if (!input) {
      out.error = "Variable $input of type InventorySetQuantitiesInput! was provided invalid value";
      out.errorCode = "INVALID_VARIABLE";
      return out;
    }
    std::ostringstream fingerprint;
    Poco::JSON::Stringifier::stringify(vars, fingerprint);
    Poco::JSON::Array::Ptr errors = new Poco::JSON::Array;
    auto answer = [&](const std::string& group) {
      return std::string(R"({"inventorySetQuantities":{"inventoryAdjustmentGroup":)") + group +
             R"(,"userErrors":)" +
             [&] {
               std::ostringstream e;
               Poco::JSON::Stringifier::stringify(errors, e);
               return e.str();
             }() +
             "}}";
    };
    if (auto seen = shopify.keys.find(key); seen != shopify.keys.end()) {
      if (seen->second.variables != fingerprint.str()) {
        errors->add(
            shopifyUserError("IDEMPOTENCY_KEY_PARAMETER_MISMATCH", {},
                             "The same idempotency key cannot be used with different operation parameters."));
      } else if (seen->second.failed) {
        errors->add(shopifyUserError(
            "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED", {},
            "A previous request with this idempotency key failed. Retry with a new idempotency key."));
      } else {
        ++shopify.stats.replays;
        out.data = seen->second.data;  // the first answer; nothing is applied again
        return out;
      }
      out.data = answer("null");
      return out;
    }
    static const std::set<std::string> reasons = {"correction",
                                                  "cycle_count_available",
                                                  "damaged",
                                                  "movement_created",
                                                  "movement_updated",
                                                  "movement_received",
                                                  "movement_canceled",
                                                  "other",
                                                  "promotion",
                                                  "quality_control",
                                                  "received",
                                                  "reservation_created",
                                                  "reservation_deleted",
                                                  "reservation_updated",
                                                  "restock",
                                                  "safety_stock",
                                                  "shrinkage"};
    const std::string name = input->optValue<std::string>("name", "");
    if (name != "available" && name != "on_hand")
      errors->add(shopifyUserError("INVALID_NAME", {"input", "name"},
                                   "The quantity name must be either 'available' or 'on_hand'."));
    if (!reasons.count(input->optValue<std::string>("reason", "")))
      errors->add(
          shopifyUserError("INVALID_REASON", {"input", "reason"}, "The specified reason is invalid."));
    auto quantities = input->getArray("quantities");
    std::vector<std::pair<std::string, std::int64_t>> sets;  // (item@location, quantity)
    for (unsigned i = 0; quantities && i < quantities->size(); ++i) {
      auto q = quantities->getObject(i);
      if (!q) continue;
      const std::string index = std::to_string(i);
      const std::string item =
          shopifyGidNumber("InventoryItem", q->optValue<std::string>("inventoryItemId", ""));
      const std::string location = shopifyGidNumber("Location", q->optValue<std::string>("locationId", ""));
      const std::int64_t quantity = q->getValue<Poco::Int64>("quantity");
      if (item.empty() || shopify.removedItems.count(item))
        errors->add(shopifyUserError("INVALID_INVENTORY_ITEM",
                                     {"input", "quantities", index, "inventoryItemId"},
                                     "The specified inventory item could not be found."));
      if (location.empty() || shopify.removedLocations.count(location))
        errors->add(shopifyUserError("INVALID_LOCATION", {"input", "quantities", index, "locationId"},
                                     "The specified location could not be found."));
      if (quantity < 0)
        errors->add(shopifyUserError("INVALID_QUANTITY_NEGATIVE", {"input", "quantities", index, "quantity"},
                                     "The quantity can't be negative."));
      if (quantity > 1000000000)
        errors->add(shopifyUserError("INVALID_QUANTITY_TOO_HIGH", {"input", "quantities", index, "quantity"},
                                     "The total quantity can't be higher than 1,000,000,000."));
      const std::string slot = item + "@" + location;
      if (!q->has("changeFromQuantity")) {
        errors->add(shopifyUserError(
            "COMPARE_QUANTITY_REQUIRED", {"input", "quantities", index, "changeFromQuantity"},
            "changeFromQuantity must be given for each quantity (null opts out of the check)."));
      } else if (!q->isNull("changeFromQuantity")) {
        auto level = shopify.levels.find(slot);
        if (q->getValue<Poco::Int64>("changeFromQuantity") !=
            (level == shopify.levels.end() ? 0 : level->second))
          errors->add(shopifyUserError("CHANGE_FROM_QUANTITY_STALE",
                                       {"input", "quantities", index, "changeFromQuantity"},
                                       "The changeFromQuantity value does not match persisted value."));
      }
      sets.emplace_back(slot, quantity);
    }
    if (sets.empty() && errors->size() == 0)
      errors->add(shopifyUserError("", {"input", "quantities"}, "quantities must not be empty"));
    if (errors->size() > 0) {
      out.data = answer("null");
      shopify.remember(key, {fingerprint.str(), out.data, true});
      return out;
    }
    for (const auto& [slot, quantity] : sets) {
      shopify.levels[slot] = quantity;
      updates.push_back({domain::Channel::Shopify, slot.substr(0, slot.find('@')), quantity, nowMs()});
    }
    out.data = answer(R"({"id":"gid://shopify/InventoryAdjustmentGroup/)" +
                      std::to_string(20000000000LL + ++nextId) + R"("})");
    shopify.remember(key, {fingerprint.str(), out.data, false});
    return out;
  }

  // order(id:) { fulfillmentOrders }: the order's one fulfillment order.
  GraphqlOutcome shopifyFulfillmentOrdersOf(const Poco::JSON::Object::Ptr& vars) {
    GraphqlOutcome out;
    const std::string id = shopifyGidNumber("Order", vars->optValue<std::string>("id", ""));
    if (id.empty()) {
      out.error = "Variable $id of type ID! was provided invalid value";
      out.errorCode = "INVALID_VARIABLE";
      return out;
    }
    auto it = orders[domain::Channel::Shopify].find(id);
    out.data = std::string(R"({"order":)") +
               (it == orders[domain::Channel::Shopify].end() ? "null"
                                                             : shopifyFulfillmentOrdersGraphql(it->second)) +
               "}";
    out.actualCost = it == orders[domain::Channel::Shopify].end()
                         ? 1
                         : 3 + 2 * static_cast<double>(it->second.lines.size());
    return out;
  }

  // fulfillmentCreate: line items of the order's fulfillment order, each at
  // most its remaining quantity (none listed: all that remain), and a
  // tracking number (the emulator insists on one).
  GraphqlOutcome shopifyFulfillmentCreate(const Poco::JSON::Object::Ptr& vars) {
    GraphqlOutcome out;
    out.actualCost = 10;
    Poco::JSON::Array::Ptr errors = new Poco::JSON::Array;
    auto refuse = [&](const std::vector<std::string>& field, const std::string& message) {
      errors->add(shopifyUserError("", field, message));
      std::ostringstream e;
      Poco::JSON::Stringifier::stringify(errors, e);
      out.data = R"({"fulfillmentCreate":{"fulfillment":null,"userErrors":)" + e.str() + "}}";
      return out;
    };
    auto f = vars->getObject("fulfillment");
    if (!f) {
      out.error = "Variable $fulfillment of type FulfillmentInput! was provided invalid value";
      out.errorCode = "INVALID_VARIABLE";
      return out;
    }
    auto groups = f->getArray("lineItemsByFulfillmentOrder");
    auto tracking = f->getObject("trackingInfo");
    if (!groups || groups->size() == 0)
      return refuse({"fulfillment", "lineItemsByFulfillmentOrder"},
                    "lineItemsByFulfillmentOrder is required");
    if (!tracking || tracking->optValue<std::string>("number", "").empty())
      return refuse({"fulfillment", "trackingInfo", "number"}, "A tracking number is required (emulator).");
    EmuOrder* order = nullptr;
    std::map<std::string, std::int64_t> units;
    for (unsigned g = 0; g < groups->size(); ++g) {
      auto group = groups->getObject(g);
      const std::string at = std::to_string(g);
      const std::string foId = shopifyGidNumber(
          "FulfillmentOrder", group ? group->optValue<std::string>("fulfillmentOrderId", "") : "");
      EmuOrder* o = nullptr;
      for (auto& [id, candidate] : orders[domain::Channel::Shopify]) {
        if (!foId.empty() && shopifyFulfillmentOrderId(candidate) == foId) o = &candidate;
      }
      if (!o)
        return refuse({"fulfillment", "lineItemsByFulfillmentOrder", at, "fulfillmentOrderId"},
                      "Fulfillment order does not exist.");
      if (order && order != o)
        return refuse({"fulfillment", "lineItemsByFulfillmentOrder"},
                      "Fulfillment orders must belong to the same order.");
      order = o;
      if (o->cancelled)
        return refuse({"fulfillment", "lineItemsByFulfillmentOrder", at, "fulfillmentOrderId"},
                      "Fulfillment order is not in a fulfillable state.");
      const auto ids = lineIds(*o);
      auto items = group->getArray("fulfillmentOrderLineItems");
      if (!items || items->size() == 0) {
        for (std::size_t l = 0; l < ids.size(); ++l) {
          const std::int64_t left = o->lines[l].qty - o->shipped[ids[l].front()] - units[ids[l].front()];
          if (left > 0) units[ids[l].front()] += left;
        }
        continue;
      }
      for (unsigned i = 0; i < items->size(); ++i) {
        auto item = items->getObject(i);
        const std::string foLine =
            shopifyGidNumber("FulfillmentOrderLineItem", item ? item->optValue<std::string>("id", "") : "");
        const std::int64_t qty = item ? item->getValue<Poco::Int64>("quantity") : 0;
        bool found = false;
        for (std::size_t l = 0; l < ids.size() && !foLine.empty(); ++l) {
          if (shopifyFulfillmentOrderLineId(ids[l].front()) != foLine) continue;
          found = true;
          const std::int64_t left = o->lines[l].qty - o->shipped[ids[l].front()] - units[ids[l].front()];
          if (qty < 1 || qty > left)
            return refuse({"fulfillment", "lineItemsByFulfillmentOrder", at, "fulfillmentOrderLineItems",
                           std::to_string(i), "quantity"},
                          "Invalid fulfillment order line item quantity requested.");
          units[ids[l].front()] += qty;
        }
        if (!found)
          return refuse({"fulfillment", "lineItemsByFulfillmentOrder", at, "fulfillmentOrderLineItems",
                         std::to_string(i), "id"},
                        "Fulfillment order line item does not exist on the fulfillment order.");
      }
    }
    if (units.empty()) return refuse({"fulfillment"}, "There are no line items left to fulfill.");
    for (const auto& [id, qty] : units) order->shipped[id] += qty;
    Fulfilment done;
    done.channel = domain::Channel::Shopify;
    done.orderId = order->id;
    done.call = "POST /admin/api/{version}/graphql.json fulfillmentCreate";
    done.trackingNumber = tracking->getValue<std::string>("number");
    done.carrier = tracking->optValue<std::string>("company", "");
    done.lines = linesOf(*order, units);
    recordFulfilment(done);
    out.data = R"({"fulfillmentCreate":{"fulfillment":{"id":"gid://shopify/Fulfillment/)" +
               std::to_string(4000000000000LL + static_cast<std::int64_t>(fulfilled.size())) +
               R"(","status":"SUCCESS"},"userErrors":[]}})";
    return out;
  }

  // POST /admin/api/<version>/graphql.json: charges the operation's requested
  // cost to the bucket (THROTTLED, HTTP 200, nothing run, if it lacks it),
  // runs it and refunds the difference to its actual cost.
  Reply shopifyGraphql(const std::string& body) {
    auto request = parseObject(body);
    const std::string query = request->optValue<std::string>("query", "");
    auto vars = request->getObject("variables");
    if (!vars) vars = new Poco::JSON::Object;
    std::string op;
    double requested = 10;
    if (query.find("inventorySetQuantities(") != std::string::npos) {
      op = "inventorySetQuantities";
    } else if (query.find("fulfillmentCreate(") != std::string::npos) {
      op = "fulfillmentCreate";
    } else if (query.find("order(") != std::string::npos &&
               query.find("fulfillmentOrders(") != std::string::npos) {
      op = "fulfillmentOrders";
      // Connections cost 2 plus their size times their nodes' cost: Shopify's
      // rule, with the sizes the query asks for.
      auto first = [&](const std::string& field, double fallback) {
        const auto at = query.find(field + "(first:");
        return at == std::string::npos ? fallback : std::atof(query.c_str() + at + field.size() + 7);
      };
      requested = 1 + 2 + first("fulfillmentOrders", 10) * (1 + 2 + first("lineItems", 50) * 2);
    }
    auto errorReply = [&](const std::string& message, const std::string& code, double cost, double actual) {
      Poco::JSON::Object e(Poco::JSON_PRESERVE_KEY_ORDER);
      e.set("message", message);
      Poco::JSON::Object::Ptr ext = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      ext->set("code", code);
      e.set("extensions", ext);
      return Reply{
          200, R"({"errors":[)" + jsonText(e) + R"(],"extensions":)" + shopifyCost(cost, actual) + "}", {}};
    };
    std::lock_guard lock(mutex);
    shopifyRefill();
    if (op.empty())
      return errorReply(
          "The emulator answers only inventorySetQuantities, order { fulfillmentOrders } and "
          "fulfillmentCreate",
          "UNSUPPORTED_OPERATION", 0, 0);
    if (shopify.points < requested) {
      ++shopify.stats.throttled;
      return errorReply("Throttled", "THROTTLED", requested, -1);
    }
    shopify.points -= requested;
    ++shopify.stats.operations[op];
    GraphqlOutcome out = op == "inventorySetQuantities" ? shopifySetQuantities(query, vars)
                         : op == "fulfillmentCreate"    ? shopifyFulfillmentCreate(vars)
                                                        : shopifyFulfillmentOrdersOf(vars);
    shopify.points = std::min(shopify.maximum, shopify.points + std::max(0.0, requested - out.actualCost));
    if (!out.error.empty()) return errorReply(out.error, out.errorCode, requested, out.actualCost);
    return Reply{
        200,
        R"({"data":)" + out.data + R"(,"extensions":)" + shopifyCost(requested, out.actualCost) + "}",
        {}};
  }

  // Lazada SetStatusToPackedByMarketplace (/order/pack) and
  // SetStatusToReadyToShip (/order/rts) on item rows of one order.
  Reply lazadaFulfil(const std::string& path, std::map<std::string, std::string>& q) {
    auto fail = [](const std::string& code, const std::string& m) {
      return Reply{200, R"({"code":")" + code + R"(","type":"ISV","message":")" + m + R"("})", {}};
    };
    if (q["delivery_type"].empty()) return fail("MissingParameter", "The input parameter delivery_type that is mandatory for processing this request is not supplied.");
    Poco::JSON::Parser parser;
    auto arr = parser.parse(q["order_item_ids"]).extract<Poco::JSON::Array::Ptr>();
    if (!arr || arr->size() == 0) return fail("MissingParameter", "order_item_ids is required");
    const bool rts = path == "/order/rts";
    if (rts && q["tracking_number"].empty()) return fail("MissingParameter", "tracking_number is required");
    if (rts ? q["shipment_provider"].empty() : q["shipping_provider"].empty())
      return fail("MissingParameter", "the shipment provider is required");
    std::lock_guard lock(mutex);
    EmuOrder* order = nullptr;
    std::map<std::string, std::int64_t> units;
    for (unsigned i = 0; i < arr->size(); ++i) {
      const std::string id = arr->get(i).convert<std::string>();
      auto ref = findUnit(domain::Channel::Lazada, id);
      if (!ref) return fail("ORDER_ITEM_NOT_FOUND", "order item " + id + " not found");
      if (order && order != ref->order) return fail("E0" "01", "order items of different orders");
      order = ref->order;
      if (order->cancelled) return fail("E082", "order item " + id + " is canceled");
      if (order->shipped.count(id)) return fail("E073", "order item " + id + " is already ready_to_ship");
      if (rts && !order->packed.count(id)) return fail("E073", "order item " + id + " is not packed");
      units[id] = 1;
    }
    if (!rts) {
      for (const auto& [id, n] : units) order->packed.insert(id);
      return Reply{200, R"({"code":"0","data":{"order_items":[]},"request_id":"0ba2887315178178017221017"})", {}};
    }
    for (const auto& [id, n] : units) {
      order->packed.erase(id);
      order->shipped[id] = 1;
    }
    Fulfilment out;
    out.channel = domain::Channel::Lazada;
    out.orderId = order->id;
    out.call = "POST /order/rts";
    out.trackingNumber = q["tracking_number"];
    out.carrier = q["shipment_provider"];
    out.lines = linesOf(*order, units);
    recordFulfilment(out);
    return Reply{200, R"({"code":"0","data":{"order_items":[]},"request_id":"0ba2887315178178017221018"})", {}};
  }

  // Shopee logistics.ship_order, non-integrated channel: the whole order.
  Reply shopeeFulfil(const std::string& body) {
    auto fail = [](const std::string& e, const std::string& m) {
      return Reply{200, R"({"error":")" + e + R"(","message":")" + m + R"(","request_id":"e3e3e7f3"})", {}};
    };
    auto b = parseObject(body);
    const std::string sn = b->optValue<std::string>("order_sn", "");
    auto ni = b->getObject("non_integrated");
    const std::string tracking = ni ? ni->optValue<std::string>("tracking_number", "") : "";
    if (sn.empty()) return fail("error_param", "order_sn is required");
    if (tracking.empty()) return fail("error_param", "non_integrated.tracking_number is required for this channel");
    std::lock_guard lock(mutex);
    auto it = orders[domain::Channel::Shopee].find(sn);
    if (it == orders[domain::Channel::Shopee].end()) return fail("error_not_found", "order " + sn + " not found");
    auto& o = it->second;
    if (o.cancelled) return fail("logistics.order_status_error", "order is cancelled");
    if (o.shipped.count(o.id)) return fail("logistics.order_status_error", "order is already shipped");
    o.shipped[o.id] = 1;
    std::map<std::string, std::int64_t> units;
    for (const auto& l : o.lines) units[l.channelSku] += l.qty;
    Fulfilment out;
    out.channel = domain::Channel::Shopee;
    out.orderId = o.id;
    out.call = "POST /api/v2/logistics/ship_order";
    out.trackingNumber = tracking;
    out.lines = linesOf(o, units);
    recordFulfilment(out);
    return Reply{200, R"({"error":"","message":"","request_id":"e3e3e7f3"})", {}};
  }

  // TikTok Shop Mark Package As Shipped: line item ids of the order.
  Reply tiktokFulfil(const std::string& orderId, const std::string& body) {
    auto fail = [](int code, const std::string& m) {
      return Reply{200, R"({"code":)" + std::to_string(code) + R"(,"message":")" + m + R"(","data":{}})", {}};
    };
    auto b = parseObject(body);
    auto ids = b->getArray("order_line_item_ids");
    const std::string tracking = b->optValue<std::string>("tracking_number", "");
    const std::string provider = b->optValue<std::string>("shipping_provider_id", "");
    if (!ids || ids->size() == 0) return fail(36009004, "order_line_item_ids is required");
    if (tracking.empty() || provider.empty()) return fail(36009004, "tracking_number and shipping_provider_id are required");
    std::lock_guard lock(mutex);
    auto it = orders[domain::Channel::TikTok].find(orderId);
    if (it == orders[domain::Channel::TikTok].end()) return fail(21011001, "order " + orderId + " not found");
    auto& o = it->second;
    if (o.cancelled) return fail(21011016, "order is cancelled");
    const auto lineUnits = lineIds(o);
    std::map<std::string, std::int64_t> units;
    for (unsigned i = 0; i < ids->size(); ++i) {
      const std::string id = ids->get(i).convert<std::string>();
      bool mine = false;
      for (const auto& line : lineUnits) mine = mine || std::find(line.begin(), line.end(), id) != line.end();
      if (!mine) return fail(21011002, "line item " + id + " is not in order " + orderId);
      if (o.shipped.count(id) || units.count(id)) return fail(21011017, "line item " + id + " is already shipped");
      units[id] = 1;
    }
    for (const auto& [id, n] : units) o.shipped[id] = 1;
    Fulfilment out;
    out.channel = domain::Channel::TikTok;
    out.orderId = o.id;
    out.call = "POST /fulfillment/202309/orders/{order_id}/packages";
    out.trackingNumber = tracking;
    out.carrier = provider;
    out.lines = linesOf(o, units);
    recordFulfilment(out);
    return Reply{200, R"({"code":0,"message":"Success","data":{"package_id":")" + o.id.substr(0, 6) + std::to_string(fulfilled.size()) + R"("}})", {}};
  }

  // Amazon confirmShipment: a package reference again edits that package.
  Reply amazonFulfil(const std::string& orderId, const std::string& body) {
    auto bad = [](const std::string& m) {
      return Reply{400, R"({"errors":[{"code":"InvalidInput","message":")" + m + R"("}]})", {}};
    };
    auto b = parseObject(body);
    if (b->optValue<std::string>("marketplaceId", "").empty()) return bad("marketplaceId is required");
    auto p = b->getObject("packageDetail");
    if (!p) return bad("packageDetail is required");
    const std::string ref = p->optValue<std::string>("packageReferenceId", "");
    if (ref.empty() || ref.find_first_not_of("0123456789") != std::string::npos || ref == "0")
      return bad("packageReferenceId must be a positive number");
    for (const char* field : {"carrierCode", "trackingNumber", "shipDate"}) {
      if (p->optValue<std::string>(field, "").empty()) return bad(std::string(field) + " is required");
    }
    if (p->getValue<std::string>("carrierCode") == "Other" && p->optValue<std::string>("carrierName", "").empty())
      return bad("carrierName is required when carrierCode is Other");
    auto items = p->getArray("orderItems");
    if (!items || items->size() == 0) return bad("orderItems is required");
    std::lock_guard lock(mutex);
    auto it = orders[domain::Channel::Amazon].find(orderId);
    if (it == orders[domain::Channel::Amazon].end())
      return Reply{404, R"({"errors":[{"code":"NotFound","message":"order not found"}]})", {}};
    auto& o = it->second;
    if (o.cancelled) return bad("the order is cancelled");
    const auto ids = lineIds(o);
    std::map<std::string, std::int64_t> units;
    for (unsigned i = 0; i < items->size(); ++i) {
      auto item = items->getObject(i);
      const std::string id = item->getValue<std::string>("orderItemId");
      const std::int64_t qty = item->getValue<Poco::Int64>("quantity");
      std::optional<std::size_t> line;
      for (std::size_t l = 0; l < ids.size(); ++l) {
        if (ids[l].front() == id) line = l;
      }
      if (!line) return bad("orderItemId " + id + " is not in order " + orderId);
      if (qty < 1 || qty > o.lines[*line].qty) return bad("quantity of " + id + " is more than ordered");
      units[id] += qty;
    }
    Fulfilment out;
    out.channel = domain::Channel::Amazon;
    out.orderId = o.id;
    out.call = "POST /orders/v0/orders/{orderId}/shipmentConfirmation #" + ref;
    out.trackingNumber = p->getValue<std::string>("trackingNumber");
    out.carrier = p->getValue<std::string>("carrierCode");
    out.lines = linesOf(o, units);
    // The same package reference edits the package (Amazon's rule); every
    // accepted call is recorded, so a repeat shows.
    for (const auto& [id, qty] : units) o.shipped[id] = qty;
    recordFulfilment(out);
    return Reply{204, "", {}};
  }

  Reply channelRequest(domain::Channel ch, const std::string& method, const std::vector<std::string>& seg,
                       const Poco::URI& uri, const std::string& body,
                       const std::map<std::string, std::string>& headers) {
    if (auto refused = gate(ch)) return *refused;
    std::map<std::string, std::string> q;
    std::vector<std::pair<std::string, std::string>> params;
    for (const auto& [k, v] : uri.getQueryParameters()) {
      q[k] = v;
      if (k != "sign") params.emplace_back(k, v);
    }
    const std::string path = "/" + [&] {
      std::string p;
      for (std::size_t i = 1; i < seg.size(); ++i) p += (i > 1 ? "/" : "") + seg[i];
      return p;
    }();
    const auto& s = options.secrets;
    auto notFound = Reply{404, errorJson("not_found", "no such endpoint: " + method + " " + path), {}};
    auto findOrder = [&](const std::string& id) -> std::optional<EmuOrder> {
      std::lock_guard lock(mutex);
      auto it = orders[ch].find(id);
      if (it == orders[ch].end()) return std::nullopt;
      return it->second;
    };
    try {
      switch (ch) {
        case domain::Channel::Shopify: {
          if (method == "POST" && seg.size() == 5 && seg[1] == "admin" && seg[2] == "api" &&
              seg[4] == "graphql.json") {
            if (headers.count("x-shopify-access-token") == 0)
              return Reply{
                  401,
                  R"x({"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"})x",
                  {}};
            return shopifyGraphql(body);
          }
          {
            std::lock_guard lock(mutex);
            ++shopify.stats.restCalls;  // the legacy REST Admin API, still answered
          }
          if (method == "POST" && seg.size() == 6 && seg[4] == "inventory_levels" && seg[5] == "set.json") {
            if (headers.count("x-shopify-access-token") == 0)
              return Reply{401, errorJson("unauthorized", "missing X-Shopify-Access-Token"), {}};
            auto o = parseObject(body);
            record(ch, o->get("inventory_item_id").convert<std::string>(), o->getValue<Poco::Int64>("available"));
            return Reply{200, R"({"inventory_level":{"available":)" + std::to_string(o->getValue<Poco::Int64>("available")) + "}}", {}};
          }
          if (headers.count("x-shopify-access-token") == 0 && seg.size() >= 5)
            return Reply{401, errorJson("unauthorized", "missing X-Shopify-Access-Token"), {}};
          if (method == "GET" && seg.size() == 7 && seg[4] == "orders" && seg[6] == "fulfillment_orders.json") {
            auto o = findOrder(seg[5]);
            if (!o) return Reply{404, R"({"errors":"Not Found"})", {}};
            return Reply{200, shopifyFulfillmentOrders(*o), {}};
          }
          if (method == "POST" && seg.size() == 5 && seg[4] == "fulfillments.json") return shopifyFulfil(body);
          return notFound;
        }
        case domain::Channel::Lazada: {
          if (!q.count("sign") || q["sign"] != channels::lazadaRequestSignature(s.lazadaSecret, path, params))
            return Reply{200, R"({"code":"IncompleteSignature","type":"ISV","message":"The request signature does not conform to platform standards"})", {}};
          if (method == "GET" && path == "/order/get") {
            auto o = findOrder(q["order_id"]);
            if (!o) return Reply{200, R"({"code":"ORDER_NOT_FOUND","message":"order not found"})", {}};
            return Reply{200, lazadaGetOrder(*o), {}};
          }
          if (method == "GET" && path == "/order/items/get") {
            auto o = findOrder(q["order_id"]);
            if (!o) return Reply{200, R"({"code":"ORDER_NOT_FOUND","message":"order not found"})", {}};
            return Reply{200, lazadaGetOrderItems(*o), {}};
          }
          if (method == "POST" &&
              (path == "/product/price_quantity/update" || path == "/product/stock/sellable/update")) {
            const std::string& payload = q["payload"];
            auto tag = [&](const std::string& name) {
              auto b = payload.find("<" + name + ">"), e = payload.find("</" + name + ">");
              if (b == std::string::npos || e == std::string::npos) return std::string();
              return payload.substr(b + name.size() + 2, e - b - name.size() - 2);
            };
            const bool sellable = path == "/product/stock/sellable/update";
            const std::string sellerSku = tag("SellerSku");
            const std::string figure = tag(sellable ? "SellableQuantity" : "Quantity");
            if (sellerSku.empty() || figure.empty() || figure.find_first_not_of("0123456789") != std::string::npos)
              return Reply{200, R"({"code":"MissingParameter","type":"ISV","message":"SellerSku and a whole quantity are required"})", {}};
            if (auto why = refusal(ch, sellerSku))
              return Reply{200, R"({"code":"E0501","type":"ISV","message":)" + jsonQuote(*why) + "}", {}};
            const std::int64_t n = std::stoll(figure);
            std::int64_t shown = n;
            {
              std::lock_guard lock(mutex);
              auto& st = lazadaStock[sellerSku];
              if (sellable) {
                st.sellable = n;
              } else {
                // The total must cover what Lazada holds for its own open
                // orders and campaigns; the rest is sellable.
                const std::int64_t held = lazadaOccupied(sellerSku) + st.withheld;
                if (n < held)
                  return Reply{200, R"({"code":"E0502","type":"ISV","message":"Quantity )" + figure +
                                        " of " + sellerSku + " is below its withholding and occupied stock " +
                                        std::to_string(held) + R"("})", {}};
                st.sellable = n - held;
              }
              shown = st.sellable;
            }
            record(ch, sellerSku, shown);
            return Reply{200, R"({"code":"0","request_id":"0ba2887315178178017221016"})", {}};
          }
          if (method == "POST" && (path == "/order/pack" || path == "/order/rts")) return lazadaFulfil(path, q);
          return notFound;
        }
        case domain::Channel::Shopee: {
          const std::string expected = channels::shopeeRequestSignature(s.shopeePartnerKey, s.shopeePartnerId, path,
                                                                        q["timestamp"], q["access_token"], q["shop_id"]);
          if (q["sign"] != expected) return Reply{403, R"({"error":"error_sign","message":"Wrong sign."})", {}};
          if (method == "GET" && path == "/api/v2/order/get_order_detail") {
            std::vector<EmuOrder> found;
            std::stringstream ss(q["order_sn_list"]);
            for (std::string id; std::getline(ss, id, ',');) {
              if (auto o = findOrder(id)) found.push_back(*o);
            }
            return Reply{200, shopeeOrderDetail(found), {}};
          }
          if (method == "POST" && path == "/api/v2/product/update_stock") {
            auto o = parseObject(body);
            auto model = o->getArray("stock_list")->getObject(0);
            auto stock = model->getArray("seller_stock")->getObject(0);
            const std::string key =
                o->get("item_id").convert<std::string>() + ":" + model->get("model_id").convert<std::string>();
            if (auto why = refusal(ch, key))
              return Reply{200, R"({"error":"","message":"","warning":"","request_id":"e3e3e7f3c7a1","response":{"failure_list":[{"model_id":)" +
                                    model->get("model_id").convert<std::string>() + R"(,"failed_reason":)" + jsonQuote(*why) +
                                    R"(}],"success_list":[]}})", {}};
            record(ch, key, stock->getValue<Poco::Int64>("stock"));
            return Reply{200, R"({"error":"","message":"","warning":"","request_id":"e3e3e7f3c7a2","response":{"failure_list":[],"success_list":[{"model_id":)" +
                                  model->get("model_id").convert<std::string>() + R"(,"stock":)" +
                                  std::to_string(stock->getValue<Poco::Int64>("stock")) + "}]}}", {}};
          }
          if (method == "POST" && path == "/api/v2/logistics/ship_order") return shopeeFulfil(body);
          return notFound;
        }
        case domain::Channel::TikTok: {
          if (q["sign"] != channels::toHexLower(channels::hmacSha256(s.tiktokSecret, [&] {
                auto sorted = params;
                std::sort(sorted.begin(), sorted.end());
                std::string t = s.tiktokSecret + path;
                for (const auto& [k, v] : sorted) t += k + v;
                return t + body + s.tiktokSecret;
              }())))
            return Reply{200, R"({"code":106001,"message":"signature is invalid"})", {}};
          if (method == "GET" && path == "/order/202309/orders") {
            std::vector<EmuOrder> found;
            std::stringstream ss(q["ids"]);
            for (std::string id; std::getline(ss, id, ',');) {
              if (auto o = findOrder(id)) found.push_back(*o);
            }
            return Reply{200, tiktokOrderDetail(found), {}};
          }
          if (method == "POST" && seg.size() == 7 && seg[1] == "product" && seg[6] == "update") {
            auto o = parseObject(body);
            auto sku = o->getArray("skus")->getObject(0);
            auto inv = sku->getArray("inventory")->getObject(0);
            const std::string key = seg[4] + ":" + sku->getValue<std::string>("id");
            if (auto why = refusal(ch, key))
              return Reply{200, R"({"code":12052023,"message":)" + jsonQuote(*why) + R"(,"data":{}})", {}};
            record(ch, key, inv->getValue<Poco::Int64>("quantity"));
            return Reply{200, R"({"code":0,"message":"Success","data":{}})", {}};
          }
          if (method == "POST" && seg.size() == 6 && seg[1] == "fulfillment" && seg[2] == "202309" && seg[3] == "orders" &&
              seg[5] == "packages")
            return tiktokFulfil(seg[4], body);
          return notFound;
        }
        case domain::Channel::Amazon: {
          if (headers.count("x-amz-access-token") == 0)
            return Reply{403, R"({"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied."}]})", {}};
          if (method == "GET" && path == "/orders/v0/orders") {
            std::vector<EmuOrder> all;
            std::int64_t after = 0;
            std::size_t start = 0;
            if (q.count("NextToken")) {
              auto colon = q["NextToken"].find(':');
              after = std::stoll(q["NextToken"].substr(0, colon));
              start = static_cast<std::size_t>(std::stoll(q["NextToken"].substr(colon + 1)));
            } else {
              const std::string& t = q["LastUpdatedAfter"];
              std::tm tm{};
              if (!strptime(t.c_str(), "%Y-%m-%dT%H:%M:%S", &tm))
                return Reply{400, R"({"errors":[{"code":"InvalidInput","message":"LastUpdatedAfter is not a date"}]})", {}};
              after = timegm(&tm);
            }
            std::int64_t before;
            {
              std::lock_guard lock(mutex);
              // Only orders whose last update is over: the current second may still change.
              before = nowMs() / 1000;
              for (const auto& [id, o] : orders[ch]) {
                if (o.updatedSec >= after && o.updatedSec < before) all.push_back(o);
              }
            }
            std::sort(all.begin(), all.end(), [](const EmuOrder& a, const EmuOrder& b) {
              return a.updatedSec != b.updatedSec ? a.updatedSec < b.updatedSec : a.id < b.id;
            });
            constexpr std::size_t kPage = 50;
            std::vector<EmuOrder> page(all.begin() + static_cast<std::ptrdiff_t>(std::min(start, all.size())),
                                       all.begin() + static_cast<std::ptrdiff_t>(std::min(start + kPage, all.size())));
            std::string next = start + kPage < all.size() ? std::to_string(after) + ":" + std::to_string(start + kPage) : "";
            // The buyer's name, street and phone only with a restricted-data token.
            auto token = headers.find("x-amz-access-token");
            const bool withPii = token != headers.end() && token->second.rfind("Atz.sprdt", 0) == 0;
            return Reply{200, amazonOrders(page, next, next.empty() ? isoUtc(before - 1) : "", withPii), {}};
          }
          if (method == "GET" && seg.size() == 6 && seg[1] == "orders" && seg[5] == "orderItems") {
            auto o = findOrder(seg[4]);
            if (!o) return Reply{404, R"({"errors":[{"code":"NotFound","message":"order not found"}]})", {}};
            return Reply{200, amazonOrderItems(*o), {}};
          }
          if (method == "PATCH" && seg.size() == 6 && seg[1] == "listings") {
            auto o = parseObject(body);
            auto patch = o->getArray("patches")->getObject(0);
            const std::string op = patch->getValue<std::string>("op");
            auto value = patch->getArray("value")->getObject(0);
            if (auto why = refusal(ch, seg[5]))
              return Reply{200, R"({"sku":)" + jsonQuote(seg[5]) + R"(,"status":"INVALID","submissionId":"f1dc2914-75dd-11ea-bc55-0242ac130004","issues":[{"code":"90220","message":)" +
                                    jsonQuote(*why) + R"(,"severity":"ERROR","attributeNames":["fulfillment_availability"]}]})", {}};
            if (op != "replace" && op != "merge")
              return Reply{400, R"({"errors":[{"code":"InvalidInput","message":"op must be add, replace, merge or delete"}]})", {}};
            {
              // replace: the attribute becomes the value (fields left out are
              // gone); merge: fields left out keep their values.
              std::lock_guard lock(mutex);
              auto& a = amazonListings[seg[5]];
              if (op == "replace") a = AmazonAvailability{};
              a.quantity = value->getValue<Poco::Int64>("quantity");
              if (value->has("lead_time_to_ship_max_days")) a.leadTimeDays = value->getValue<Poco::Int64>("lead_time_to_ship_max_days");
              if (value->has("restock_date")) a.restockDate = value->getValue<std::string>("restock_date");
            }
            record(ch, seg[5], value->getValue<Poco::Int64>("quantity"));
            return Reply{200, R"({"sku":")" + seg[5] + R"(","status":"ACCEPTED","submissionId":"f1dc2914-75dd-11ea-bc55-0242ac130003","issues":[]})", {}};
          }
          if (method == "POST" && path == "/tokens/2021-03-01/restrictedDataToken") {
            auto o = parseObject(body);
            auto resources = o->getArray("restrictedResources");
            if (!resources || resources->size() == 0)
              return Reply{400, R"({"errors":[{"code":"InvalidInput","message":"restrictedResources is required"}]})", {}};
            return Reply{200, R"({"restrictedDataToken":"Atz.sprdt|IQEBLjAsAhRmHjNgHpi0U-Dme37rR6CuUpSR","expiresIn":3600})", {}};
          }
          if (method == "POST" && seg.size() == 6 && seg[1] == "orders" && seg[5] == "shipmentConfirmation")
            return amazonFulfil(seg[4], body);
          return notFound;
        }
        default:
          return notFound;
      }
    } catch (const std::exception& e) {
      return Reply{400, errorJson("malformed", std::string("cannot read the request: ") + e.what()), {}};
    }
  }

  // --- the control API -----------------------------------------------------------

  Reply control(const std::string& method, const std::vector<std::string>& seg, const Poco::URI& uri,
                const std::string& body);

  Reply handle(const std::string& method, const Poco::URI& uri, const std::string& body,
               const std::map<std::string, std::string>& headers) {
    auto seg = split(uri.getPath());
    if (seg.empty()) return Reply{404, errorJson("not_found", "no such endpoint"), {}};
    if (seg[0] == "_emu") return control(method, seg, uri, body);
    auto ch = domain::channelFromString(seg[0]);
    if (!ch || !channels::isMarketplace(*ch)) return Reply{404, errorJson("not_found", "no channel " + seg[0]), {}};
    return channelRequest(*ch, method, seg, uri, body, headers);
  }
};

namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(Emulator::Impl& impl) : impl_(impl) {}
  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    Reply r;
    try {
      std::string body;
      if (in.hasContentLength() || in.getChunkedTransferEncoding()) Poco::StreamCopier::copyToString(in.stream(), body);
      std::map<std::string, std::string> headers;
      for (const auto& [k, v] : in) {
        std::string key = k;
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        headers[key] = v;
      }
      r = impl_.handle(in.getMethod(), Poco::URI(in.getURI()), body, headers);
    } catch (const std::exception& e) {
      r = Reply{400, errorJson("malformed", e.what()), {}};
    }
    try {
      out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
      out.setContentType("application/json");
      for (const auto& [k, v] : r.headers) out.set(k, v);
      out.setContentLength(static_cast<std::streamsize>(r.body.size()));
      out.send() << r.body;
    } catch (const std::exception&) {
    }
  }

 private:
  Emulator::Impl& impl_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Emulator::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(impl_);
  }

 private:
  Emulator::Impl& impl_;
};

Poco::JSON::Object::Ptr fulfilmentJson(const Fulfilment& f) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("channel", domain::toString(f.channel));
  o->set("order_id", f.orderId);
  o->set("call", f.call);
  o->set("tracking_number", f.trackingNumber);
  o->set("carrier", f.carrier);
  Poco::JSON::Array::Ptr lines = new Poco::JSON::Array;
  for (const auto& l : f.lines) {
    Poco::JSON::Object::Ptr line = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    line->set("line_id", l.lineId);
    line->set("channel_sku", l.channelSku);
    line->set("qty", static_cast<Poco::Int64>(l.qty));
    lines->add(line);
  }
  o->set("lines", lines);
  o->set("at", static_cast<Poco::Int64>(f.atMs));
  return o;
}

std::optional<FaultMode> faultFrom(const std::string& s) {
  if (s == "none") return FaultMode::None;
  if (s == "down") return FaultMode::Down;
  if (s == "platform_error") return FaultMode::PlatformError;
  if (s == "garbage") return FaultMode::Garbage;
  if (s == "error") return FaultMode::Error;
  if (s == "throttle") return FaultMode::Throttle;
  return std::nullopt;
}

}  // namespace

Reply Emulator::Impl::control(const std::string& method, const std::vector<std::string>& seg, const Poco::URI& uri,
                              const std::string& body) {
  auto ok = [](const Poco::JSON::Object& o) { return Reply{200, jsonText(o), {}}; };
  auto bad = [](const std::string& m) { return Reply{400, errorJson("invalid", m), {}}; };
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  try {
    if (method == "GET" && seg.size() == 2 && seg[1] == "health") {
      out.set("status", "ok");
      out.set("port", port);
      return ok(out);
    }
    if (method == "POST" && seg.size() == 2 && seg[1] == "config") {
      auto o = parseObject(body);
      if (o->has("delivery_retry_seconds")) {
        const double seconds = o->getValue<double>("delivery_retry_seconds");
        if (!(seconds >= 0) || seconds > 7 * 86400) return bad("delivery_retry_seconds must be 0 to 604800");
      }
      {
        std::lock_guard lock(mutex);
        if (o->has("wmsd")) wmsdUrl = o->getValue<std::string>("wmsd");
        if (o->has("token")) wmsdToken = o->getValue<std::string>("token");
        if (o->has("delivery_retry_seconds"))
          retryFor = std::chrono::milliseconds(static_cast<std::int64_t>(o->getValue<double>("delivery_retry_seconds") * 1000));
        out.set("wmsd", wmsdUrl);
        out.set("delivery_retry_seconds", static_cast<double>(retryFor.count()) / 1000.0);
      }
      sendCv.notify_all();
      return ok(out);
    }
    if (method == "POST" && seg.size() == 2 && seg[1] == "orders") {
      auto o = parseObject(body);
      NewOrder n;
      auto ch = domain::channelFromString(o->getValue<std::string>("channel"));
      if (!ch) return bad("unknown channel");
      n.channel = *ch;
      if (o->has("id")) n.id = o->getValue<std::string>("id");
      n.pickup = o->optValue<bool>("pickup", false);
      n.badAddress = o->optValue<bool>("bad_address", false);
      n.country = o->optValue<std::string>("country", "");
      auto lines = o->getArray("lines");
      for (unsigned i = 0; i < lines->size(); ++i) {
        auto l = lines->getObject(i);
        n.lines.push_back({l->getValue<std::string>("sku"), l->optValue<Poco::Int64>("qty", 1)});
      }
      Result<std::string> id = Error{ErrorKind::Internal, ""};
      {
        std::lock_guard lock(mutex);
        id = create(n, o->optValue<bool>("deliver", true));
      }
      if (!id) return bad(id.error().message);
      out.set("channel", domain::toString(n.channel));
      out.set("id", *id);
      return ok(out);
    }
    if (method == "POST" && seg.size() == 5 && seg[1] == "orders") {
      auto ch = domain::channelFromString(seg[2]);
      if (!ch) return bad("unknown channel");
      Status st;
      {
        std::lock_guard lock(mutex);
        if (seg[4] == "cancel") st = change(*ch, seg[3], true, true);
        else if (seg[4] == "update") st = change(*ch, seg[3], false, true);
        else if (seg[4] == "correct") {
          // The buyer or the seller fixed the address on the channel: the
          // channel sends the order again, updated.
          auto it = orders[*ch].find(seg[3]);
          if (it == orders[*ch].end()) st = Error{ErrorKind::NotFound, "no order " + seg[3]};
          else {
            it->second.badAddress = false;
            st = change(*ch, seg[3], false, true);
          }
        }
        else if (seg[4] == "redeliver" || seg[4] == "stale") {
          auto& m = seg[4] == "redeliver" ? lastDelivery[*ch] : firstDelivery[*ch];
          auto it = m.find(seg[3]);
          if (it == m.end()) st = Error{ErrorKind::NotFound, "no order " + seg[3]};
          else send(it->second);
        } else {
          return Reply{404, errorJson("not_found", "no such order action"), {}};
        }
      }
      if (!st) return Reply{st.error().kind == ErrorKind::NotFound ? 404 : 400, errorJson("invalid", st.error().message), {}};
      out.set("ok", true);
      return ok(out);
    }
    if (method == "POST" && seg.size() == 2 && seg[1] == "drain") {
      std::unique_lock lock(mutex);
      bool done = drainCv.wait_for(lock, std::chrono::seconds(30), [&] { return pendingDeliveries() == 0; });
      out.set("drained", done);
      return ok(out);
    }
    if (method == "POST" && seg.size() == 3 && seg[1] == "faults") {
      auto ch = domain::channelFromString(seg[2]);
      auto o = parseObject(body);
      auto mode = faultFrom(o->getValue<std::string>("mode"));
      if (!ch || !mode) return bad("unknown channel or mode (none, down, error, throttle, platform_error, garbage)");
      std::int64_t ms = static_cast<std::int64_t>(o->optValue<double>("seconds", 3600) * 1000);
      {
        std::lock_guard lock(mutex);
        faults[*ch] = {*mode, nowMs() + ms};
      }
      out.set("channel", seg[2]);
      out.set("mode", o->getValue<std::string>("mode"));
      return ok(out);
    }
    if (method == "POST" && seg.size() == 2 && seg[1] == "refusals") {
      // {"channel", "key" (as in /_emu/stock), "reason"}: the channel refuses
      // that listing's stock updates in its own way; "reason": "" stops it.
      auto o = parseObject(body);
      auto ch = domain::channelFromString(o->getValue<std::string>("channel"));
      if (!ch || !channels::isMarketplace(*ch)) return bad("unknown channel");
      const std::string key = o->getValue<std::string>("key");
      const std::string reason = o->optValue<std::string>("reason", "");
      self->refuseStock(*ch, key, reason);
      out.set("channel", domain::toString(*ch));
      out.set("key", key);
      out.set("refusing", !reason.empty());
      return ok(out);
    }
    if (seg.size() == 4 && seg[1] == "lazada" && seg[2] == "stock") {
      // Lazada's own view of a SellerSku: sellable, occupied, withheld, total.
      std::lock_guard lock(mutex);
      auto& st = lazadaStock[seg[3]];
      if (method == "POST") {
        auto o = parseObject(body);
        if (o->has("withheld")) st.withheld = std::max<std::int64_t>(0, o->getValue<Poco::Int64>("withheld"));
        if (o->has("sellable")) st.sellable = std::max<std::int64_t>(0, o->getValue<Poco::Int64>("sellable"));
      } else if (method != "GET") {
        return Reply{405, errorJson("method_not_allowed", "GET or POST"), {}};
      }
      const std::int64_t occupied = lazadaOccupied(seg[3]);
      out.set("seller_sku", seg[3]);
      out.set("sellable", st.sellable);
      out.set("occupied", occupied);
      out.set("withheld", st.withheld);
      out.set("total", st.sellable + occupied + st.withheld);
      return ok(out);
    }
    if (seg.size() == 4 && seg[1] == "amazon" && seg[2] == "listings") {
      // The listing's fulfillment_availability as Amazon holds it; POST sets
      // what a seller sets in Seller Central (lead time, restock date).
      std::lock_guard lock(mutex);
      auto& a = amazonListings[seg[3]];
      if (method == "POST") {
        auto o = parseObject(body);
        if (o->has("lead_time_to_ship_max_days")) a.leadTimeDays = o->getValue<Poco::Int64>("lead_time_to_ship_max_days");
        if (o->has("restock_date")) a.restockDate = o->getValue<std::string>("restock_date");
      } else if (method != "GET") {
        return Reply{405, errorJson("method_not_allowed", "GET or POST"), {}};
      }
      out.set("sku", seg[3]);
      out.set("quantity", a.quantity >= 0 ? Poco::Dynamic::Var(a.quantity) : Poco::Dynamic::Var());
      out.set("lead_time_to_ship_max_days", a.leadTimeDays >= 0 ? Poco::Dynamic::Var(a.leadTimeDays) : Poco::Dynamic::Var());
      out.set("restock_date", a.restockDate.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(a.restockDate));
      return ok(out);
    }
    if (method == "GET" && seg.size() == 2 && seg[1] == "stock") {
      std::string filter;
      for (const auto& [k, v] : uri.getQueryParameters()) {
        if (k == "channel") filter = v;
      }
      Poco::JSON::Object::Ptr latest = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      std::int64_t count = 0;
      {
        std::lock_guard lock(mutex);
        std::map<std::string, Poco::JSON::Object::Ptr> perChannel;
        for (const auto& u : updates) {
          const std::string ch = domain::toString(u.channel);
          if (!filter.empty() && ch != filter) continue;
          ++count;
          auto& c = perChannel[ch];
          if (!c) c = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
          c->set(u.key, u.quantity);
        }
        for (const auto& [ch, c] : perChannel) latest->set(ch, c);
      }
      out.set("updates", count);
      out.set("latest", latest);
      return ok(out);
    }
    if (method == "GET" && seg.size() == 2 && seg[1] == "fulfilments") {
      std::string filter;
      for (const auto& [k, v] : uri.getQueryParameters()) {
        if (k == "channel") filter = v;
      }
      Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
      std::lock_guard lock(mutex);
      for (const auto& f : fulfilled) {
        if (!filter.empty() && filter != domain::toString(f.channel)) continue;
        items->add(fulfilmentJson(f));
      }
      out.set("count", static_cast<Poco::Int64>(items->size()));
      out.set("items", items);
      return ok(out);
    }
    if (method == "DELETE" && seg.size() == 2 && seg[1] == "stock") {
      std::lock_guard lock(mutex);
      updates.clear();
      out.set("cleared", true);
      return ok(out);
    }
    if (method == "POST" && seg.size() == 2 && seg[1] == "scenario") {
      auto o = parseObject(body);
      Scenario sc;
      sc.orders = o->optValue<Poco::Int64>("orders", 100);
      sc.perSecond = o->optValue<double>("per_second", 50);
      sc.duplicates = o->optValue<double>("duplicates", 0);
      sc.lateCancels = o->optValue<double>("late_cancels", 0);
      sc.cancelAfter = o->optValue<Poco::Int64>("cancel_after", 20);
      if (sc.cancelAfter < 1 || sc.cancelAfter > 1000000) return bad("cancel_after must be 1..1000000 orders");
      sc.outOfOrder = o->optValue<double>("out_of_order", 0);
      sc.maxQty = o->optValue<Poco::Int64>("max_qty", 2);
      sc.seed = static_cast<std::uint64_t>(o->optValue<Poco::Int64>("seed", 1));
      if (sc.orders < 0 || sc.orders > 10000000 || !(sc.perSecond > 0) || sc.perSecond > 100000)
        return bad("orders must be 0..10000000 and per_second above 0");
      auto skus = o->getObject("skus");
      for (const auto& name : skus->getNames()) {
        auto ch = domain::channelFromString(name);
        if (!ch) return bad("unknown channel " + name);
        auto arr = skus->getArray(name);
        for (unsigned i = 0; i < arr->size(); ++i) sc.skus[*ch].push_back(arr->getElement<std::string>(i));
      }
      if (auto st = self->startScenario(sc); !st) return Reply{409, errorJson("conflict", st.error().message), {}};
      out.set("started", true);
      return ok(out);
    }
    if (method == "GET" && seg.size() == 2 && seg[1] == "scenario") {
      std::lock_guard lock(mutex);
      // Running until every delivery is answered: one being retried may
      // still bring an order.
      out.set("running", progress.running || pendingDeliveries() > 0);
      out.set("pending", pendingDeliveries());
      out.set("created", progress.created);
      out.set("deliveries", progress.deliveries);
      out.set("cancels", progress.cancels);
      Poco::JSON::Object::Ptr s = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      for (const auto& [status, n] : progress.statuses) s->set(std::to_string(status), n);
      out.set("statuses", s);
      return ok(out);
    }
    if (method == "GET" && seg.size() == 2 && seg[1] == "verdict") {
      // Compares the last figure each channel received with what wmsd says
      // the channel should show now.
      std::string base, token;
      {
        std::lock_guard lock(mutex);
        base = wmsdUrl;
        token = wmsdToken;
      }
      if (base.empty()) return bad("no wmsd URL configured (POST /_emu/config)");
      Poco::URI wu(base);
      bool allOk = true;
      std::int64_t compared = 0, mismatched = 0;
      Poco::JSON::Array::Ptr mismatches = new Poco::JSON::Array;
      for (auto ch : channels::kMarketplaces) {
        auto opened = apiclient::openSession(wu);
        if (!opened) return bad(opened.error().message);
        Poco::Net::HTTPClientSession& session = **opened;
        session.setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest req("GET", std::string("/api/v1/channels/") + domain::toString(ch) + "/listings",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
        if (!token.empty()) req.set("Authorization", "Bearer " + token);
        session.sendRequest(req);
        Poco::Net::HTTPResponse res;
        std::string text;
        Poco::StreamCopier::copyToString(session.receiveResponse(res), text);
        if (res.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) return Reply{502, errorJson("unavailable", "wmsd answered " + std::to_string(res.getStatus())), {}};
        auto items = parseObject(text)->getArray("items");
        std::map<std::string, std::int64_t> latest;
        {
          std::lock_guard lock(mutex);
          for (const auto& u : updates) {
            if (u.channel == ch) latest[u.key] = u.quantity;
          }
        }
        for (unsigned i = 0; i < items->size(); ++i) {
          auto l = items->getObject(i);
          const std::string key = pushKey(ch, l->getValue<std::string>("channel_sku"), l->getValue<std::string>("listing_ref"));
          const std::int64_t atp = l->getValue<Poco::Int64>("atp");
          ++compared;
          auto it = latest.find(key);
          if (it == latest.end() || it->second != atp) {
            allOk = false;
            ++mismatched;
            Poco::JSON::Object::Ptr m = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            m->set("channel", domain::toString(ch));
            m->set("sku", l->getValue<std::string>("sku"));
            m->set("key", key);
            m->set("wmsd_atp", atp);
            m->set("channel_shows", it == latest.end() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(it->second));
            mismatches->add(m);
          }
        }
      }
      // Orders wmsd shipped that the channel was not told about. One the
      // channel cancelled before it was told (the buyer cancelled while the
      // parcel was leaving) cannot be told any more: it is counted apart, as
      // shipped after the channel's cancel, for a person to recall the parcel
      // (wmsd raises channel_cancel_too_late for it).
      std::set<std::pair<domain::Channel, std::string>> told, cancelledHere;
      {
        std::lock_guard lock(mutex);
        for (const auto& f : fulfilled) told.insert({f.channel, f.orderId});
        for (const auto& [ch, byId] : orders)
          for (const auto& [id, o] : byId)
            if (o.cancelled) cancelledHere.insert({ch, id});
      }
      Poco::JSON::Array::Ptr afterCancel = new Poco::JSON::Array;
      std::int64_t shipped = 0;
      Poco::JSON::Array::Ptr missing = new Poco::JSON::Array;
      for (auto ch : channels::kMarketplaces) {
        std::string after = "0";
        for (int page = 0; page < 1000 && !after.empty(); ++page) {
          auto opened = apiclient::openSession(wu);
          if (!opened) return bad(opened.error().message);
          Poco::Net::HTTPClientSession& session = **opened;
          session.setTimeout(Poco::Timespan(10, 0));
          Poco::Net::HTTPRequest req("GET",
                                     std::string("/api/v1/orders?status=shipped&limit=1000&channel=") +
                                         domain::toString(ch) + "&after=" + after,
                                     Poco::Net::HTTPMessage::HTTP_1_1);
          if (!token.empty()) req.set("Authorization", "Bearer " + token);
          session.sendRequest(req);
          Poco::Net::HTTPResponse res;
          std::string text;
          Poco::StreamCopier::copyToString(session.receiveResponse(res), text);
          if (res.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
            return Reply{502, errorJson("unavailable", "wmsd answered " + std::to_string(res.getStatus())), {}};
          auto pageObj = parseObject(text);
          auto items = pageObj->getArray("items");
          for (unsigned i = 0; items && i < items->size(); ++i) {
            auto o = items->getObject(i);
            ++shipped;
            const std::string ext = o->optValue<std::string>("external_id", "");
            if (told.count({ch, ext})) continue;
            Poco::JSON::Object::Ptr m = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            m->set("channel", domain::toString(ch));
            m->set("external_id", ext);
            m->set("order_id", o->get("id"));
            (cancelledHere.count({ch, ext}) ? afterCancel : missing)->add(m);
          }
          after = pageObj->get("next_after").isEmpty() ? std::string() : pageObj->get("next_after").convert<std::string>();
        }
      }
      const auto missingCount = static_cast<Poco::Int64>(missing->size());
      out.set("ok", allOk && missingCount == 0);
      out.set("stock_ok", allOk);
      out.set("listings_compared", compared);
      out.set("out_of_sync", mismatched);
      out.set("mismatches", mismatches);
      out.set("orders_shipped", shipped);
      out.set("fulfilments_missing", missingCount);
      out.set("missing_fulfilments", missing);
      out.set("shipped_after_channel_cancel", static_cast<Poco::Int64>(afterCancel->size()));
      out.set("shipped_after_channel_cancel_orders", afterCancel);
      return ok(out);
    }
    if (method == "GET" && seg.size() == 2 && seg[1] == "deliveries") {
      {
        std::lock_guard lock(mutex);
        Poco::JSON::Object::Ptr s = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& [status, n] : statuses) s->set(std::to_string(status), n);
        out.set("statuses", s);
        out.set("queued", pendingDeliveries());
        out.set("retrying", static_cast<Poco::Int64>(retrying.size()));
      }
      Poco::JSON::Object::Ptr perChannel = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      for (const auto& [ch, a] : ackStats()) {
        Poco::JSON::Object::Ptr c = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        c->set("count", a.count);
        c->set("p50_ms", a.p50Ms);
        c->set("p99_ms", a.p99Ms);
        c->set("max_ms", a.maxMs);
        c->set("violations", a.violations);
        c->set("last_violation", a.lastViolation);
        perChannel->set(domain::toString(ch), c);
      }
      out.set("acks", perChannel);
      return ok(out);
    }
    if (seg.size() >= 2 && seg[1] == "shopify") {
      // Shopify's GraphQL cost bucket, its stats, items and locations it lost.
      if (method == "POST" && seg.size() == 3 && seg[2] == "cost") {
        auto o = parseObject(body);
        const double maximum = o->optValue<double>("maximum", 1000),
                     restore = o->optValue<double>("restore_rate", 50);
        if (!(maximum >= 1) || !(restore > 0))
          return bad("maximum must be at least 1 and restore_rate above 0");
        self->setShopifyCostBucket(maximum, restore, o->optValue<double>("available", -1));
      } else if (method == "POST" && seg.size() == 3 && seg[2] == "remove") {
        auto o = parseObject(body);
        if (o->has("inventory_item"))
          self->removeShopifyInventoryItem(o->get("inventory_item").convert<std::string>());
        if (o->has("location")) self->removeShopifyLocation(o->get("location").convert<std::string>());
      } else if (method != "GET" || seg.size() != 2) {
        return Reply{
            404, errorJson("not_found", "no such control endpoint: " + method + " " + uri.getPath()), {}};
      }
      const auto stats = self->shopifyStats();
      Poco::JSON::Object::Ptr ops = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      for (const auto& [name, n] : stats.operations) ops->set(name, n);
      out.set("operations", ops);
      out.set("throttled", stats.throttled);
      out.set("replays", stats.replays);
      out.set("rest_calls", stats.restCalls);
      std::lock_guard lock(mutex);
      shopifyRefill();
      Poco::JSON::Object::Ptr cost = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      cost->set("maximum", shopify.maximum);
      cost->set("restore_rate", shopify.restorePerSecond);
      cost->set("available", shopify.points);
      out.set("cost", cost);
      return ok(out);
    }
    return Reply{404, errorJson("not_found", "no such control endpoint: " + method + " " + uri.getPath()), {}};
  } catch (const std::exception& e) {
    return bad(std::string("bad control request: ") + e.what());
  }
}

Emulator::Emulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Emulator::~Emulator() { stop(); }

Result<std::unique_ptr<Emulator>> Emulator::start(Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->wmsdUrl = impl->options.wmsdUrl;
  impl->retryFor = std::chrono::milliseconds(
      static_cast<std::int64_t>(std::clamp(impl->options.deliveryRetrySeconds, 0.0, 7 * 86400.0) * 1000));
  if (const char* token = std::getenv("WMS_TOKEN"); token) impl->wmsdToken = token;
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(impl->options.address, impl->options.port), 256);
    impl->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(64);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    impl->pool = std::make_unique<Poco::ThreadPool>(2, 64);
    impl->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl), *impl->pool, socket, params);
    impl->server->start();
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Unavailable, "cannot listen on " + impl->options.address + ":" +
                                             std::to_string(impl->options.port) + ": " + e.displayText()};
  }
  Impl* raw = impl.get();
  for (int i = 0; i < std::max(1, impl->options.senderThreads); ++i) impl->senders.emplace_back([raw] { raw->senderLoop(); });
  std::unique_ptr<Emulator> emu(new Emulator(std::move(impl)));
  raw->self = emu.get();
  return emu;
}

std::uint16_t Emulator::port() const { return impl_->port; }

std::string Emulator::baseUrl(domain::Channel channel) const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + "/" + domain::toString(channel);
}

void Emulator::setWmsdUrl(const std::string& url) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->wmsdUrl = url;
  }
  impl_->sendCv.notify_all();
}

Result<std::string> Emulator::createOrder(const NewOrder& order, bool deliver) {
  std::lock_guard lock(impl_->mutex);
  return impl_->create(order, deliver);
}

Status Emulator::cancelOrder(domain::Channel channel, const std::string& id, bool deliver) {
  std::lock_guard lock(impl_->mutex);
  return impl_->change(channel, id, true, deliver);
}

Status Emulator::redeliver(domain::Channel channel, const std::string& id) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->lastDelivery[channel].find(id);
  if (it == impl_->lastDelivery[channel].end()) return Error{ErrorKind::NotFound, "no order " + id};
  impl_->send(it->second);
  return {};
}

Status Emulator::deliverStale(domain::Channel channel, const std::string& id) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->firstDelivery[channel].find(id);
  if (it == impl_->firstDelivery[channel].end()) return Error{ErrorKind::NotFound, "no order " + id};
  impl_->send(it->second);
  return {};
}

bool Emulator::drain(std::int64_t timeoutMs) {
  std::unique_lock lock(impl_->mutex);
  return impl_->drainCv.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                 [&] { return impl_->pendingDeliveries() == 0; });
}

void Emulator::setFault(domain::Channel channel, FaultMode mode, std::int64_t forMs) {
  std::lock_guard lock(impl_->mutex);
  impl_->faults[channel] = {mode, nowMs() + forMs};
}

std::vector<StockUpdate> Emulator::stockUpdates(domain::Channel channel) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<StockUpdate> out;
  for (const auto& u : impl_->updates) {
    if (u.channel == channel) out.push_back(u);
  }
  return out;
}

std::map<std::string, StockUpdate> Emulator::latestStock(domain::Channel channel) const {
  std::map<std::string, StockUpdate> out;
  for (const auto& u : stockUpdates(channel)) out[u.key] = u;
  return out;
}

std::vector<Fulfilment> Emulator::fulfilments(domain::Channel channel) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<Fulfilment> out;
  for (const auto& f : impl_->fulfilled) {
    if (f.channel == channel) out.push_back(f);
  }
  return out;
}

void Emulator::clearStockUpdates() {
  std::lock_guard lock(impl_->mutex);
  impl_->updates.clear();
}

void Emulator::setShopifyCostBucket(double maximum, double restorePerSecond, double available) {
  std::lock_guard lock(impl_->mutex);
  auto& shop = impl_->shopify;
  impl_->shopifyRefill();
  shop.maximum = std::max(1.0, maximum);
  shop.restorePerSecond = restorePerSecond > 0 ? restorePerSecond : 50;
  shop.points = std::min(shop.maximum, available >= 0 ? available : shop.points);
}

void Emulator::removeShopifyInventoryItem(const std::string& id) {
  std::lock_guard lock(impl_->mutex);
  impl_->shopify.removedItems.insert(id);
}

void Emulator::removeShopifyLocation(const std::string& id) {
  std::lock_guard lock(impl_->mutex);
  impl_->shopify.removedLocations.insert(id);
}

ShopifyStats Emulator::shopifyStats() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->shopify.stats;
}

Status Emulator::startScenario(const Scenario& scenario) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->progress.running) return Error{ErrorKind::Conflict, "a scenario is running"};
  if (impl_->scenarioThread.joinable()) impl_->scenarioThread.join();
  std::vector<domain::Channel> chans;
  for (const auto& [ch, skus] : scenario.skus) {
    if (!skus.empty() && channels::isMarketplace(ch)) chans.push_back(ch);
  }
  if (chans.empty()) return Error{ErrorKind::Invalid, "a scenario needs channel SKUs to order"};
  impl_->progress = ScenarioProgress{};
  impl_->progress.running = true;
  Impl* impl = impl_.get();
  impl_->scenarioThread = std::thread([impl, scenario, chans] {
    std::mt19937_64 rng(scenario.seed);
    std::uniform_real_distribution<double> u(0, 1);
    const auto start = std::chrono::steady_clock::now();
    std::deque<std::pair<std::int64_t, std::pair<domain::Channel, std::string>>> cancels;  // (due index, order)
    for (std::int64_t i = 0; i < scenario.orders; ++i) {
      std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<std::int64_t>(1e6 * static_cast<double>(i) / scenario.perSecond)));
      std::unique_lock guard(impl->mutex);
      if (impl->stopping) break;
      NewOrder n;
      n.channel = chans[static_cast<std::size_t>(rng() % chans.size())];
      const auto& skus = scenario.skus.at(n.channel);
      const std::size_t lines = 1 + rng() % std::min<std::size_t>(2, skus.size());
      for (std::size_t l = 0; l < lines; ++l) {
        const std::string& sku = skus[(rng() + l) % skus.size()];
        bool dup = false;
        for (const auto& x : n.lines) dup = dup || x.channelSku == sku;
        if (!dup) n.lines.push_back({sku, 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(std::max<std::int64_t>(1, scenario.maxQty)))});
      }
      const bool reorder = n.channel != domain::Channel::Amazon && u(rng) < scenario.outOfOrder;
      auto id = impl->create(n, !reorder);
      if (!id) continue;
      ++impl->progress.created;
      ++impl->progress.deliveries;
      if (reorder) {
        // A newer state overtakes the creation.
        (void)impl->change(n.channel, *id, false, true);
        impl->send(impl->firstDelivery[n.channel][*id]);
        ++impl->progress.deliveries;
      }
      if (n.channel != domain::Channel::Amazon && u(rng) < scenario.duplicates) {
        impl->send(impl->lastDelivery[n.channel][*id]);
        ++impl->progress.deliveries;
      }
      if (u(rng) < scenario.lateCancels) cancels.push_back({i + scenario.cancelAfter, {n.channel, *id}});
      while (!cancels.empty() && cancels.front().first <= i) {
        auto [ch, oid] = cancels.front().second;
        cancels.pop_front();
        if (impl->change(ch, oid, true, true)) {
          ++impl->progress.cancels;
          ++impl->progress.deliveries;
        }
      }
    }
    std::lock_guard guard(impl->mutex);
    for (auto& [due, c] : cancels) {
      if (impl->change(c.first, c.second, true, true)) {
        ++impl->progress.cancels;
        ++impl->progress.deliveries;
      }
    }
    impl->progress.running = false;
  });
  return {};
}

ScenarioProgress Emulator::scenarioProgress() const {
  std::lock_guard lock(impl_->mutex);
  ScenarioProgress out = impl_->progress;
  out.pending = impl_->pendingDeliveries();
  out.running = out.running || out.pending > 0;
  return out;
}

std::map<int, std::int64_t> Emulator::deliveryStatuses() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->statuses;
}

std::map<domain::Channel, Emulator::AckStats> Emulator::acks() const { return impl_->ackStats(); }

void Emulator::clearAcks() {
  std::lock_guard lock(impl_->mutex);
  impl_->acks.clear();
}

void Emulator::refuseStock(domain::Channel channel, const std::string& key, const std::string& reason) {
  std::lock_guard lock(impl_->mutex);
  if (reason.empty()) impl_->refusing.erase({channel, key});
  else impl_->refusing[{channel, key}] = reason;
}

void Emulator::stop() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->sendCv.notify_all();
  if (impl_->scenarioThread.joinable()) impl_->scenarioThread.join();
  for (auto& t : impl_->senders) t.join();
  if (impl_->server) impl_->server->stopAll(true);
}

}  // namespace wms::channelemu
