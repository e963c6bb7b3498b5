#include "wms/server/DeviceGateway.h"

#include <Poco/Logger.h>

#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>

#include "wms/common/HttpStatus.h"
#include "wms/domain/Csv.h"
#include "wms/identity/Identity.h"
#include "wms/protocol/Codec.h"
#include "wms/protocol/MqttClient.h"
#include "wms/protocol/Topics.h"
#include "wms/store/DeviceRepository.h"
#include "wms/store/ExceptionRepository.h"

namespace wms::server {
namespace {

Poco::Logger& log() { return Poco::Logger::get("wmsd.gateway"); }

std::string metricReason(ErrorKind kind) { return std::string("reason=\"") + toString(kind) + "\""; }

// Stored form of a refused event's error: "kind: message".
std::string encodeError(const Error& e) { return std::string(toString(e.kind)) + ": " + e.message; }
Error decodeError(const std::string& text) {
  auto colon = text.find(": ");
  if (colon != std::string::npos) {
    if (auto kind = protocol::errorKindFromString(text.substr(0, colon))) return Error{*kind, text.substr(colon + 2)};
  }
  return Error{ErrorKind::Invalid, text};
}

constexpr std::size_t kMessageKinds = std::variant_size_v<protocol::Message>;

// The wire type name of each device event, by its index in protocol::Message
// ("" for the other alternatives).
std::array<std::string_view, kMessageKinds> eventTypeNames() {
  std::array<std::string_view, kMessageKinds> names{};
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((names[I] = std::is_base_of_v<protocol::EventBase, std::variant_alternative_t<I, protocol::Message>>
                     ? protocol::typeName(protocol::Message(std::in_place_index<I>))
                     : std::string_view()),
     ...);
  }(std::make_index_sequence<kMessageKinds>{});
  return names;
}

}  // namespace

Result<GatewayConfig> gatewayConfigFrom(const ServerConfig& config) {
  GatewayConfig g;
  const auto& raw = config.raw;
  auto text = [&](const char* key, std::string& out) {
    if (auto it = raw.find(key); it != raw.end()) out = it->second;
  };
  auto seconds = [&](const char* key, std::chrono::seconds& out, std::int64_t lo, std::int64_t hi) -> Status {
    auto it = raw.find(key);
    if (it == raw.end()) return {};
    auto v = domain::parseInt64(it->second);
    if (!v || *v < lo || *v > hi)
      return Error{ErrorKind::Invalid, std::string("config ") + key + ": must be a whole number of seconds from " +
                                           std::to_string(lo) + " to " + std::to_string(hi)};
    out = std::chrono::seconds(*v);
    return {};
  };
  static const std::set<std::string> known = {"mqtt.uri",      "mqtt.username",      "mqtt.password",
                                              "mqtt.client_id", "mqtt.ca_file",       "mqtt.keepalive_s",
                                              "mqtt.workers",  "mqtt.persistence_dir", "devices.silent_after_s",
                                              "devices.reclaim_after_s", "devices.silent_policy",
                                              "devices.badge_pin_required", "devices.second_device"};
  for (const auto& [key, value] : raw) {
    if ((key.rfind("mqtt.", 0) == 0 || key.rfind("devices.", 0) == 0) && !known.count(key))
      return Error{ErrorKind::Invalid, "config " + key + ": unknown setting"};
  }
  text("mqtt.uri", g.uri);
  text("mqtt.username", g.username);
  text("mqtt.password", g.password);
  text("mqtt.client_id", g.clientId);
  std::string ca, persistence;
  text("mqtt.ca_file", ca);
  text("mqtt.persistence_dir", persistence);
  g.caFile = ca;
  // Accepted from older configs and ignored: Paho's file persistence is
  // gone (Paho C 1.3.12 crashes in its own thread when that folder's disk
  // is full, and wmsd's commands are kept in its database until the broker
  // acknowledges them).
  if (!persistence.empty())
    log().warning("mqtt.persistence_dir is ignored: wmsd keeps unacknowledged commands in its database");
  if (g.clientId.empty()) g.clientId = g.username;
  if (!g.uri.empty() && g.uri.rfind("tcp://", 0) != 0 && g.uri.rfind("ssl://", 0) != 0)
    return Error{ErrorKind::Invalid, "config mqtt.uri: must start with tcp:// or ssl://, got '" + g.uri + "'"};
  if (auto st = seconds("mqtt.keepalive_s", g.keepAlive, 5, 600); !st) return st.error();
  if (auto st = seconds("devices.silent_after_s", g.silentAfter, 5, 86400); !st) return st.error();
  if (auto st = seconds("devices.reclaim_after_s", g.reclaimAfter, 5, 86400 * 7); !st) return st.error();
  if (auto it = raw.find("devices.silent_policy"); it != raw.end()) {
    if (it->second == "keep") g.silentPolicy = SilentPolicy::Keep;
    else if (it->second == "free") g.silentPolicy = SilentPolicy::Free;
    else if (it->second == "reassign") g.silentPolicy = SilentPolicy::Reassign;
    else return Error{ErrorKind::Invalid, "config devices.silent_policy: must be keep, free or reassign"};
  }
  if (auto it = raw.find("devices.badge_pin_required"); it != raw.end()) {
    if (it->second == "true") g.badgePinRequired = true;
    else if (it->second == "false") g.badgePinRequired = false;
    else return Error{ErrorKind::Invalid, "config devices.badge_pin_required: must be true or false"};
  }
  if (auto it = raw.find("devices.second_device"); it != raw.end()) {
    if (it->second == "refuse") g.secondDevice = SecondDevice::Refuse;
    else if (it->second == "replace") g.secondDevice = SecondDevice::Replace;
    else return Error{ErrorKind::Invalid, "config devices.second_device: must be refuse or replace"};
  }
  auto identitySettings = identity::identitySettingsFrom(raw);
  if (!identitySettings) return identitySettings.error();
  g.pinLimits = identitySettings->config;
  if (auto it = raw.find("mqtt.workers"); it != raw.end()) {
    auto v = domain::parseInt64(it->second);
    if (!v || *v < 1 || *v > 64) return Error{ErrorKind::Invalid, "config mqtt.workers: must be 1 to 64"};
    g.workers = static_cast<int>(*v);
  }
  return g;
}

identity::Role roleForMode(protocol::WorkMode mode) {
  return mode == protocol::WorkMode::Pack ? identity::Role::Packer : identity::Role::Picker;
}

struct DeviceGateway::Impl {
  // Constant after construction / start().
  GatewayConfig config;
  store::Database& db;
  Metrics& metrics;
  // By the event's index in protocol::Message; an empty handler: not handled.
  std::array<EventHandler, kMessageKinds> handlers;
  std::array<std::vector<EventHandler>, kMessageKinds> followUps;
  ReclaimHandler reclaim;
  OnlineHandler online;
  std::unique_ptr<protocol::MqttClient> client;

  // A decoded message waiting for its device's worker.
  struct Item {
    std::string device;
    protocol::Message message;
    std::chrono::steady_clock::time_point received;
  };
  struct Shard {
    std::mutex mutex;  // protects queue and stopping
    std::condition_variable cv;
    std::deque<Item> queue;
    bool stopping = false;
    std::thread thread;
  };
  std::vector<std::unique_ptr<Shard>> shards;
  static constexpr std::size_t kShardQueueMax = 10000;

  // Protected by wakeMutex.
  std::mutex wakeMutex;
  std::condition_variable wakeCv;
  bool woken = false;
  bool stopping = false;
  std::thread publisher, watchdog, connector;
  bool started = false;

  // Protected by linkMutex: the broker's refusal of the last login, "" if
  // none (it was accepted, or not tried yet).
  mutable std::mutex linkMutex;
  std::string loginRefused;

  // ---- the connector thread ----

  // Connects until the broker accepts the login or stop(); a refused login
  // is recorded for /healthz and retried every few seconds (the password
  // file may be fixed meanwhile). Then watches the link: a connection the
  // client's reconnects have not restored for kLoginCheckAfter is connected
  // here, which tells a refused login from an absent broker.
  void connectLoop() {
    bool warned = false;
    auto downSince = std::chrono::steady_clock::time_point{};
    for (;;) {
      if (client->connected()) {
        downSince = {};
        if (!pause(std::chrono::seconds(1))) return;
        continue;
      }
      const auto now = std::chrono::steady_clock::now();
      if (downSince == std::chrono::steady_clock::time_point{}) downSince = now;
      const bool everConnected = client->metrics().connects > 0;
      if (everConnected && now - downSince < kLoginCheckAfter) {
        if (!pause(std::chrono::seconds(1))) return;
        continue;
      }
      {
        std::lock_guard lock(wakeMutex);
        if (stopping) return;
      }
      auto st = client->connect(std::chrono::seconds(5));
      if (st) {
        downSince = {};
        if (setLoginRefused("")) log().information("the broker accepted wmsd's MQTT login again");
        continue;
      }
      if (st.error().kind == ErrorKind::Unauthorized) {
        // /healthz is public: it shows the broker's answer, not the URI.
        const std::string& message = st.error().message;
        const auto open = message.find("refused the login (");
        std::string reason = message;
        if (open != std::string::npos && message.back() == ')')
          reason = message.substr(open + 19, message.size() - open - 20);
        // Paho says "MQTT error [5]: CONNACK return code": name the code.
        if (reason.find("[4]") != std::string::npos) reason = "bad username or password (CONNACK 4)";
        else if (reason.find("[5]") != std::string::npos) reason = "not authorised (CONNACK 5)";
        if (setLoginRefused(reason))
          log().fatal("the broker refused wmsd's MQTT login (%s); fix mqtt.username/mqtt.password or the "
                      "broker's account (wms-broker); retrying every 5 s",
                      st.error().message);
        if (!pause(std::chrono::seconds(5))) return;
        continue;
      }
      if (!warned && !everConnected) {
        log().warning("broker not reachable at %s (%s); retrying", config.uri, st.error().message);
        warned = true;
      }
      if (everConnected) downSince = std::chrono::steady_clock::now();  // the client's reconnects carry on
    }
  }

  // Records the refusal ("" = accepted); true if that changed it.
  bool setLoginRefused(const std::string& reason) {
    std::lock_guard lock(linkMutex);
    if (loginRefused == reason) return false;
    loginRefused = reason;
    return true;
  }

  Impl(GatewayConfig c, store::Database& d, Metrics& m) : config(std::move(c)), db(d), metrics(m) {}

  // The database errors of the loops below: counted, logged once, backed off.
  background::Loop& eventsHealth = metrics.background().loop("gateway.events");
  background::Loop& publishHealth = metrics.background().loop("gateway.publish");
  background::Loop& watchHealth = metrics.background().loop("gateway.watch");

  // Waits up to `wait` or until stop(); false if stopping.
  bool pause(std::chrono::milliseconds wait) {
    std::unique_lock lock(wakeMutex);
    return !wakeCv.wait_for(lock, wait, [&] { return stopping; });
  }

  // ---- receiving ------------------------------------------------------------

  void onMessage(const protocol::MqttMessage& m) {
    metrics.add("mqtt_messages_received_total");
    auto decoded = protocol::decodeFromTopic(m.topic, m.payload);
    if (!decoded) {
      refuse(m, decoded.error());
      return;
    }
    auto address = protocol::parseTopic(m.topic);  // decodeFromTopic checked it
    Shard& shard = *shards[std::hash<std::string>{}(address->device) % shards.size()];
    std::unique_lock lock(shard.mutex);
    // Back-pressure: the MQTT client's worker waits here rather than drop an
    // event it would otherwise have to refuse.
    shard.cv.wait(lock, [&] { return shard.queue.size() < kShardQueueMax || shard.stopping; });
    if (shard.stopping) return;
    shard.queue.push_back(Item{address->device, std::move(*decoded), std::chrono::steady_clock::now()});
    shard.cv.notify_all();
  }

  void refuse(const protocol::MqttMessage& m, const Error& error) {
    metrics.add("mqtt_rejected_total", metricReason(error.kind));
    log().warning("refused a message on %s (%z bytes): %s", m.topic, m.payload.size(), error.message);
    auto address = protocol::parseTopic(m.topic);
    if (!address) return;  // cannot answer anyone
    if (auto eventId = protocol::peekEventId(m.payload)) {
      protocol::Ack ack;
      ack.device = address->device;
      ack.ts = db.nowMs();
      ack.eventId = *eventId;
      ack.result = protocol::AckResult::Rejected;
      ack.error = Error{error.kind, protocol::fitText(error.message)};
      publishNow(ack);
    } else {
      protocol::ServerError err;
      err.device = address->device;
      err.ts = db.nowMs();
      err.error = Error{error.kind, protocol::fitText(error.message)};
      publishNow(err);
    }
  }

  void shardLoop(Shard& shard) {
    for (;;) {
      Item item;
      {
        std::unique_lock lock(shard.mutex);
        shard.cv.wait(lock, [&] { return shard.stopping || !shard.queue.empty(); });
        if (shard.queue.empty()) return;
        item = std::move(shard.queue.front());
        shard.queue.pop_front();
        shard.cv.notify_all();
      }
      try {
        apply(item);
      } catch (const std::exception& e) {
        // A bug must not take the gateway down; the device resends and the
        // supervisor sees it in the log.
        metrics.add("mqtt_handler_failures_total");
        log().error("applying %s from %s failed: %s", std::string(protocol::typeName(item.message)), item.device,
                    std::string(e.what()));
      }
    }
  }

  // Every kind of message that can arrive has its branch here.
  void apply(const Item& item) {
    std::visit(
        [&](const auto& message) {
          using M = std::decay_t<decltype(message)>;
          if constexpr (std::is_same_v<M, protocol::Presence>) {
            applyPresence(item, message);
          } else if constexpr (std::is_same_v<M, protocol::Heartbeat>) {
            applyHeartbeat(item, message);
          } else if constexpr (std::is_base_of_v<protocol::EventBase, M>) {
            applyEvent(item, message.eventId);
          } else {
            // A server -> device command: decodeFromTopic lets none through
            // (they belong on cmd, which wmsd does not subscribe to).
            log().warning("ignored %s from %s: a command, not a device message",
                          std::string(protocol::typeName(item.message)), item.device);
          }
        },
        item.message);
  }

  void applyPresence(const Item& item, const protocol::Presence& presence) {
    const bool isOnline = presence.state == protocol::PresenceState::Online;
    Replies replies;
    auto st = db.write([&](store::Tx& tx) -> Status {
      replies = Replies{};
      store::DeviceRepository(tx).setPresence(item.device, isOnline ? "online" : "offline", presence.app);
      // A device back online gets its current work again (it may have
      // lost it with its app); the protocol's revisions make that harmless.
      if (isOnline && this->online) {
        if (auto s = this->online(tx, item.device, replies); !s) return s;
        DeviceGateway::queue(tx, replies);
      }
      return {};
    });
    // Lost with the failed write; the device's next heartbeat or presence sets it again.
    if (eventsHealth.check("recording that " + item.device + " is " + (isOnline ? "online" : "offline"), st))
      log().information("device %s is %s", item.device, std::string(isOnline ? "online" : "offline"));
    if (st && !replies.messages().empty()) wake();
  }

  void applyHeartbeat(const Item& item, const protocol::Heartbeat& hb) {
    // Lost with a failed write; the next heartbeat carries the same figures.
    (void)eventsHealth.check("recording a heartbeat of " + item.device, db.write([&](store::Tx& tx) -> Status {
      store::DeviceRepository(tx).setHeartbeat(item.device, hb.battery, hb.rssi, hb.outbox, tx.nowMs());
      return {};
    }));
    metrics.add("mqtt_heartbeats_total");
  }

  void applyEvent(const Item& item, const std::string& eventId) {
    const std::string type(protocol::typeName(item.message));
    // A PIN is checked here, on a read: its slow hash must not hold the
    // store's one writer. The sign-in's write then requires the account to
    // hold the hash it matched.
    identity::PinCheck pin;
    if (const auto* signin = std::get_if<protocol::SignIn>(&item.message); signin && signin->pin)
      pin = identity::checkBadgePin(db, signin->badge, *signin->pin);
    protocol::AckResult result = protocol::AckResult::Applied;
    std::optional<Error> error;
    Replies replies;
    auto st = db.write([&](store::Tx& tx) -> Status {
      replies = Replies{};
      error.reset();
      store::DeviceRepository devices(tx);
      if (auto seen = devices.recordedEvent(item.device, eventId)) {
        // The same event again (a redelivery or a resend): the first answer,
        // and nothing applied now.
        if (seen->result == "rejected") {
          result = protocol::AckResult::Rejected;
          error = decodeError(seen->error);
        } else {
          result = protocol::AckResult::Duplicate;
        }
        return {};
      }
      devices.touch(item.device, tx.nowMs());
      auto device = devices.find(item.device);
      DeviceContext ctx{item.device, device ? device->badge : "", device ? device->mode : "",
                        device ? device->station : "", pin};
      Status applied;
      const std::size_t kind = item.message.index();
      const EventHandler& handler = handlers[kind];
      if (!handler) {
        applied = Error{ErrorKind::Invalid, "this server does not handle '" + type + "' events"};
      } else {
        applied = tx.atomically([&]() -> Status {
          if (auto first = handler(tx, ctx, item.message, replies); !first) return first;
          for (const auto& next : followUps[kind]) {
            if (auto step = next(tx, ctx, item.message, replies); !step) return step;
          }
          return {};
        });
      }
      // The audit trail names the device and the person signed in on it,
      // in the event's own transaction (docs/security.md).
      identity::AuditEntry audit;
      const std::string badge = ctx.badge.empty() && device ? device->badge : ctx.badge;
      audit.who = "device:" + item.device + (badge.empty() ? std::string() : "/" + badge);
      audit.via = "mqtt";
      audit.address = item.device;
      audit.action = type;
      audit.target = "/devices/" + item.device + "/events/" + eventId;
      if (applied) {
        result = protocol::AckResult::Applied;
        DeviceGateway::queue(tx, replies);
        devices.recordEvent(item.device, eventId, type, "applied", "");
        identity::IdentityService::recordIn(tx, audit);
      } else {
        result = protocol::AckResult::Rejected;
        error = applied.error();
        for (const auto& work : replies.refusalWork()) work(tx);
        Replies refusal;
        for (const auto& m : replies.onRefusal()) refusal.send(m);
        replies = std::move(refusal);
        DeviceGateway::queue(tx, replies);
        devices.recordEvent(item.device, eventId, type, "rejected", encodeError(applied.error()));
        audit.outcome = httpStatusOf(applied.error().kind);
        audit.detail = applied.error().message.substr(0, 200);
        identity::IdentityService::recordIn(tx, audit);
      }
      return {};
    });
    if (!st) {
      // Not recorded, so not acknowledged: the device resends it later.
      metrics.add("mqtt_events_failed_total");
      eventsHealth.failed("applying " + type + " " + eventId + " from " + item.device, st.error());
      return;
    }
    eventsHealth.succeeded();
    const char* label = result == protocol::AckResult::Applied     ? "applied"
                        : result == protocol::AckResult::Duplicate ? "duplicate"
                                                                   : "rejected";
    metrics.add("mqtt_events_total", std::string("result=\"") + label + "\"");
    if (result == protocol::AckResult::Rejected)
      log().notice("refused %s %s from %s: %s", type, eventId, item.device, error ? error->message : std::string());
    protocol::Ack ack;
    ack.device = item.device;
    ack.ts = db.nowMs();
    ack.eventId = eventId;
    ack.result = result;
    if (error) ack.error = Error{error->kind, protocol::fitText(error->message)};
    if (!replies.messages().empty()) wake();
    publishNow(ack);
    // From the event's arrival to its ack: queueing, applying, the durable commit.
    metrics.observe("mqtt_event_latency_ms", "type=\"" + type + "\"",
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - item.received).count());
    if (result == protocol::AckResult::Applied) {
      for (const auto& work : replies.afterCommit()) {
        try {
          work();
        } catch (const std::exception& e) {
          log().error("after %s %s from %s: %s", type, eventId, item.device, std::string(e.what()));
        }
      }
    }
  }

  void publishNow(const protocol::Message& message) {
    if (!client) return;
    auto st = client->publish(protocol::topicOf(message), protocol::encode(message), 1, false);
    if (!st) log().warning("could not publish to %s: %s", protocol::baseOf(message).device, st.error().message);
  }

  // ---- commands outbox ------------------------------------------------------

  void wake() {
    {
      std::lock_guard lock(wakeMutex);
      woken = true;
    }
    wakeCv.notify_all();
  }

  void publishLoop() {
    for (;;) {
      {
        std::unique_lock lock(wakeMutex);
        wakeCv.wait_for(lock, std::chrono::seconds(1), [&] { return woken || stopping; });
        if (stopping) return;
        woken = false;
      }
      if (!client || !client->connected()) continue;
      for (;;) {
        std::vector<store::DeviceRepository::QueuedCommand> pending;
        auto st = db.read([&](store::Tx& tx) -> Status {
          pending = store::DeviceRepository(tx).pendingCommands(200);
          return {};
        });
        if (!publishHealth.check("reading the commands to publish", st)) {
          if (!pause(publishHealth.backoff())) return;
          continue;
        }
        if (pending.empty()) break;
        // A command is marked published only once the broker has
        // acknowledged it: until then it stays in the database, so wmsd
        // needs no file persistence of its own (a crash before the broker's
        // ack publishes it again; the devices ignore a command they have).
        std::vector<protocol::MqttClient::Outgoing> outgoing;
        outgoing.reserve(pending.size());
        for (const auto& c : pending)
          outgoing.push_back({protocol::topicFor(c.device, protocol::TopicKind::Commands), c.payload});
        auto confirmed = client->publishConfirmed(outgoing, std::chrono::seconds(10));
        std::vector<std::int64_t> published;
        for (std::size_t i = 0; confirmed && i < *confirmed; ++i) published.push_back(pending[i].id);
        if (published.empty()) {
          if (!confirmed) log().warning("could not publish commands: %s", confirmed.error().message);
          if (!pause(std::chrono::seconds(1))) return;
          break;
        }
        // Published: recorded until the write commits. Re-reading before
        // that would publish the same commands again, at full speed.
        while (!publishHealth.check("marking " + std::to_string(published.size()) + " commands published",
                                    db.write([&](store::Tx& tx) -> Status {
                                      store::DeviceRepository devices(tx);
                                      for (auto id : published) devices.markPublished(id);
                                      return {};
                                    }))) {
          if (!pause(publishHealth.backoff())) return;
        }
        metrics.add("mqtt_commands_published_total", {}, static_cast<std::int64_t>(published.size()));
        if (published.size() < pending.size()) break;
      }
    }
  }

  // ---- silent devices ---------------------------------------------------------

  void watchLoop() {
    const auto period = std::max(std::chrono::milliseconds(200),
                                 std::chrono::duration_cast<std::chrono::milliseconds>(config.silentAfter) / 5);
    for (;;) {
      {
        std::unique_lock lock(wakeMutex);
        if (wakeCv.wait_for(lock, period, [&] { return stopping; })) return;
      }
      Replies replies;
      std::vector<std::string> silenced, reclaimed;
      auto st = db.write([&](store::Tx& tx) -> Status {
        replies = Replies{};
        silenced.clear();
        reclaimed.clear();
        store::DeviceRepository devices(tx);
        store::ExceptionRepository exceptions(tx);
        const auto now = tx.nowMs();
        const auto silentBefore = now - std::chrono::duration_cast<std::chrono::milliseconds>(config.silentAfter).count();
        for (const auto& d : devices.seenBefore("online", silentBefore)) {
          devices.setState(d, "silent");
          exceptions.raise("device_silent", "device:" + d,
                           "handheld " + d + " has not been heard from for " +
                               std::to_string(config.silentAfter.count()) + " s");
          silenced.push_back(d);
        }
        const auto reclaimBefore =
            now - std::chrono::duration_cast<std::chrono::milliseconds>(config.reclaimAfter).count();
        for (const char* state : {"silent", "offline"}) {
          for (const auto& d : devices.seenBefore(state, reclaimBefore)) {
            if (reclaim && config.silentPolicy != SilentPolicy::Keep) {
              if (auto s = reclaim(tx, d, config.silentPolicy, replies); !s) return s;
            }
            devices.setState(d, "gone");
            reclaimed.push_back(d);
          }
        }
        DeviceGateway::queue(tx, replies);
        return {};
      });
      if (!watchHealth.check("checking for silent devices", st)) {
        if (!pause(watchHealth.backoff())) return;
        continue;
      }
      for (const auto& d : silenced) {
        metrics.add("devices_silenced_total");
        log().warning("device %s went silent", d);
      }
      for (const auto& d : reclaimed) log().warning("device %s is gone; its work was reclaimed", d);
      if (!replies.messages().empty()) wake();
    }
  }
};

DeviceGateway::DeviceGateway(GatewayConfig config, store::Database& db, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(config), db, metrics)) {
  // Built-in handlers; a registration replaces them.
  handle<protocol::SignIn>([impl = impl_.get()](store::Tx& tx, const DeviceContext& ctx,
                                                const protocol::SignIn& signin, Replies& replies) -> Status {
    // Decided in this write, so a person disabled a moment ago is refused.
    auto person = identity::badgeSignIn(tx, signin.badge, ctx.pin, roleForMode(signin.mode),
                                        impl->config.badgePinRequired, impl->config.pinLimits);
    if (!person) {
      // A wrong PIN counts towards the badge's throttle, refused or not.
      if (ctx.pin.given && ctx.pin.matchedHash.empty())
        replies.onRefusalInTx([badge = signin.badge, device = ctx.device, limits = impl->config.pinLimits](
                                  store::Tx& t) { identity::recordPinFailure(t, badge, device, limits); });
      return person.error();
    }
    store::DeviceRepository devices(tx);
    for (const auto& other : devices.list()) {
      if (other.device == ctx.device || other.badge != signin.badge) continue;
      // A device gone so long its work was reclaimed holds no one.
      if (impl->config.secondDevice == SecondDevice::Refuse && other.state != "gone")
        return Error{ErrorKind::Conflict, "badge " + signin.badge + " is signed in on " + other.device +
                                              "; sign out there first"};
      // That session ends as a sign-out would end it: its batch is freed
      // (signed out first, so the batch does not go straight back to it).
      devices.setSignedIn(other.device, "", "");
      if (impl->reclaim) {
        if (auto st = impl->reclaim(tx, other.device, SilentPolicy::Free, replies); !st) return st;
      }
    }
    devices.setSignedIn(ctx.device, signin.badge, std::string(protocol::toString(signin.mode)));
    return {};
  });
  handle<protocol::SignOut>([impl = impl_.get()](store::Tx& tx, const DeviceContext& ctx, const protocol::SignOut&,
                                                 Replies& replies) -> Status {
    if (impl->reclaim) {
      if (auto st = impl->reclaim(tx, ctx.device, SilentPolicy::Free, replies); !st) return st;
    }
    store::DeviceRepository(tx).setSignedIn(ctx.device, "", "");
    return {};
  });
  handle<protocol::Scan>([](store::Tx& tx, const DeviceContext& ctx, const protocol::Scan& scan, Replies&) -> Status {
    std::string reference = scan.batchId ? "batch:" + *scan.batchId : "";
    if (scan.stopId) reference += (reference.empty() ? "stop:" : "/stop:") + *scan.stopId;
    store::DeviceRepository(tx).recordScan(ctx.device, ctx.badge, scan.barcode, scan.symbology.value_or(""),
                                           reference);
    return {};
  });
}

DeviceGateway::~DeviceGateway() { stop(); }

void DeviceGateway::handleKind(std::size_t kind, EventHandler handler) {
  if (impl_->started) throw std::logic_error("DeviceGateway::handle after start()");
  impl_->handlers[kind] = std::move(handler);
}

void DeviceGateway::onOnline(OnlineHandler handler) {
  if (impl_->started) throw std::logic_error("DeviceGateway::onOnline after start()");
  impl_->online = std::move(handler);
}

void DeviceGateway::alsoKind(std::size_t kind, EventHandler handler) {
  if (impl_->started) throw std::logic_error("DeviceGateway::also after start()");
  impl_->followUps[kind].push_back(std::move(handler));
}

void DeviceGateway::onReclaim(ReclaimHandler handler) {
  if (impl_->started) throw std::logic_error("DeviceGateway::onReclaim after start()");
  impl_->reclaim = std::move(handler);
}

void DeviceGateway::queue(store::Tx& tx, const Replies& replies) {
  store::DeviceRepository devices(tx);
  for (const auto& m : replies.messages()) devices.queueCommand(protocol::baseOf(m).device, protocol::encode(m));
}

void DeviceGateway::wake() { impl_->wake(); }

bool DeviceGateway::connected() const { return impl_->client && impl_->client->connected(); }
bool DeviceGateway::subscribed() const { return impl_->client && impl_->client->subscribed(); }
bool DeviceGateway::enabled() const { return !impl_->config.uri.empty(); }

MqttLink DeviceGateway::link() const {
  if (!enabled()) return {MqttLink::State::Off, {}};
  if (impl_->client && impl_->client->subscribed()) return {MqttLink::State::Ok, {}};
  if (impl_->client && impl_->client->connected()) return {MqttLink::State::Subscribing, {}};
  std::lock_guard lock(impl_->linkMutex);
  if (!impl_->loginRefused.empty()) return {MqttLink::State::LoginRefused, impl_->loginRefused};
  return {MqttLink::State::Connecting, {}};
}

std::string MqttLink::text() const {
  switch (state) {
    case State::Off: return "off";
    case State::Connecting: return "connecting";
    case State::Subscribing: return "subscribing";
    case State::Ok: return "ok";
    case State::LoginRefused: return "login refused: " + reason;
  }
  return "unknown";
}

Status DeviceGateway::start() {
  auto& c = impl_->config;
  if (c.uri.empty()) {
    log().information("no mqtt.uri: the handheld gateway is off");
    return {};
  }
  // An event type without a handler is refused; say so once, at start-up.
  static const auto eventNames = eventTypeNames();
  std::string unhandled;
  for (std::size_t kind = 0; kind < kMessageKinds; ++kind) {
    if (!eventNames[kind].empty() && !impl_->handlers[kind])
      unhandled += (unhandled.empty() ? "" : ", ") + std::string(eventNames[kind]);
  }
  if (!unhandled.empty()) log().warning("no handler for %s: such events get a rejected ack", unhandled);
  protocol::MqttOptions options;
  options.server(c.uri).clientId(c.clientId).credentials(c.username, c.password).keepAlive(c.keepAlive)
      .cleanSession(false).reconnectBackoff(std::chrono::seconds(1), std::chrono::seconds(8));
  if (!c.caFile.empty()) options.tls(c.caFile);
  try {
    impl_->client = std::make_unique<protocol::MqttClient>(options);
  } catch (const std::exception& e) {
    return Error{ErrorKind::Invalid, std::string("mqtt: ") + e.what()};
  }
  for (int i = 0; i < std::max(1, c.workers); ++i) impl_->shards.push_back(std::make_unique<Impl::Shard>());
  for (auto& shard : impl_->shards) {
    Impl::Shard* s = shard.get();
    s->thread = std::thread([this, s] { impl_->shardLoop(*s); });
  }
  impl_->client->onMessage([this](const protocol::MqttMessage& m) { impl_->onMessage(m); });
  impl_->client->onConnection([this](const protocol::ConnectionEvent& e) {
    using K = protocol::ConnectionEvent::Kind;
    if (e.kind == K::Connected) {
      log().information("connected to the broker at %s", impl_->config.uri);
      impl_->metrics.add("mqtt_connects_total");
      impl_->wake();  // publish what waited while disconnected
    } else if (e.kind == K::Subscribed) {
      log().information("subscribed to the device topics");
    } else if (e.kind == K::Lost) {
      log().warning("lost the broker connection (%s); reconnecting", e.detail);
    } else {
      log().error("mqtt: %s", e.detail);
    }
  });
  for (auto channel : {protocol::TopicKind::Events, protocol::TopicKind::Heartbeat, protocol::TopicKind::Status}) {
    (void)impl_->client->subscribe(protocol::filterForAllDevices(channel), protocol::qosOf(channel));
  }
  impl_->started = true;
  impl_->publisher = std::thread([this] { impl_->publishLoop(); });
  impl_->watchdog = std::thread([this] { impl_->watchLoop(); });
  // The first connection may have to wait for the broker; wmsd serves its
  // HTTP API meanwhile.
  impl_->connector = std::thread([this] { impl_->connectLoop(); });
  return {};
}

void DeviceGateway::stop() {
  if (!impl_ || !impl_->started) return;
  {
    std::lock_guard lock(impl_->wakeMutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->wakeCv.notify_all();
  if (impl_->connector.joinable()) impl_->connector.join();
  // Stop the input first so no new work arrives, then let the shards drain.
  if (impl_->client) (void)impl_->client->disconnect(std::chrono::seconds(2));
  for (auto& shard : impl_->shards) {
    {
      std::lock_guard lock(shard->mutex);
      shard->stopping = true;
    }
    shard->cv.notify_all();
  }
  for (auto& shard : impl_->shards)
    if (shard->thread.joinable()) shard->thread.join();
  if (impl_->publisher.joinable()) impl_->publisher.join();
  if (impl_->watchdog.joinable()) impl_->watchdog.join();
  impl_->client.reset();
}

}  // namespace wms::server
