// DeviceGateway: wmsd's side of the handheld protocol over MQTT
// (docs/protocol.md).
//
// It subscribes to every device's events, heartbeats and presence, decodes
// each message strictly (wms::protocol::decodeFromTopic: the payload's device
// must be the topic's device), and applies each event AT MOST ONCE: the event
// id is recorded in the same database transaction as the event's effect, and
// a redelivered or resent event is answered "duplicate" without effect. Every
// event gets an ack. Commands for devices (tasks, pack tasks, label results)
// are written to an outbox in the transaction that decided them and
// published after the commit, so a crash between the two loses nothing.
// Bad input (undecodable, wrong topic, wrong device, unknown version, too
// large) is refused with a log line, a metric and, where it can be tied to an
// event, a rejected ack; it never changes anything or stops the gateway.
//
// Threading: messages arrive on the MQTT client's worker thread, which only
// decodes them and hands them to one of `workers` threads chosen by device,
// so one device's events are applied in order while different devices'
// events are group-committed together. Handlers run on those threads, inside
// a database write (they must only use the Tx). send() and the other public
// methods are thread-safe. Handlers must be registered before start().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "wms/common/Result.h"
#include "wms/identity/Identity.h"
#include "wms/protocol/Messages.h"
#include "wms/server/Config.h"
#include "wms/server/Metrics.h"
#include "wms/store/Database.h"
#include "wms/store/Tx.h"

namespace wms::server {

// What happens to the work of a device that has gone silent.
enum class SilentPolicy {
  Keep,      // nothing: the device may come back (it keeps working offline)
  Free,      // its batch goes back to the queue for anyone
  Reassign,  // its batch goes to another free picker at once
};

// What a badge sign-in does when the person is signed in on another device.
enum class SecondDevice {
  Refuse,   // the new sign-in is refused until they sign out there
  Replace,  // the other device's session ends (its batch is freed) and this one starts
};

struct GatewayConfig {
  std::string uri;  // "tcp://127.0.0.1:1883" or "ssl://..."; empty disables the gateway
  std::string username = "wmsd";
  std::string password;
  std::string clientId;  // default: the username
  std::filesystem::path caFile;
  std::chrono::seconds keepAlive{20};
  // A device with no message for this long is marked silent and a supervisor
  // exception is raised; after reclaimAfter its work follows the policy.
  std::chrono::seconds silentAfter{45};
  std::chrono::seconds reclaimAfter{600};
  SilentPolicy silentPolicy = SilentPolicy::Free;
  // Threads applying events; more of them let more events share one commit.
  int workers = 64;
  // Every badge needs a PIN to sign in (a badge whose account has a PIN
  // always needs it).
  bool badgePinRequired = false;
  SecondDevice secondDevice = SecondDevice::Refuse;
  // Wrong PINs are throttled per badge like passwords per login: the
  // identity.max_failures_per_login and identity.failure_window_minutes settings.
  identity::IdentityConfig pinLimits;
};

// Reads the mqtt.* and devices.* settings (server/wmsd.properties).
Result<GatewayConfig> gatewayConfigFrom(const ServerConfig& config);

// The role a person needs to sign in on a handheld in `mode`: packer to
// pack, picker for everything else (picking and the dock's work).
identity::Role roleForMode(protocol::WorkMode mode);

// Who sent an event, as the handlers see it.
struct DeviceContext {
  std::string device;
  std::string badge;  // the signed-in worker, "" if none
  std::string mode;   // "pick", "pack" or ""
  std::string station;  // the packing station it is bound to (pack mode), "" if none
  // A signin's PIN as checked before the write (identity::checkBadgePin: the
  // hash is too slow to compute inside it); empty for other events.
  identity::PinCheck pin;
};

// The link to the broker, as /healthz reports it ("mqtt").
struct MqttLink {
  enum class State {
    Off,           // no mqtt.uri: the gateway is off
    Connecting,    // not connected; the broker is unreachable or restarting (retried)
    Subscribing,   // connected, the subscriptions not yet answered
    Ok,            // connected and subscribed: device events reach wmsd
    LoginRefused,  // the broker refused wmsd's username/password (retried, but it
                   // does not heal by itself: an account or password to fix)
  };
  State state = State::Off;
  std::string reason;  // LoginRefused: the broker's answer as Paho reports it (no URI: /healthz is public)

  // "off", "connecting", "subscribing", "ok" or "login refused: <reason>".
  std::string text() const;
};

// Messages a handler wants sent to devices (published after its commit),
// and work to do once the commit succeeded (e.g. printing a label, which
// opens transactions of its own).
class Replies {
 public:
  void send(protocol::Message message) { messages_.push_back(std::move(message)); }
  // A message that goes out even if the handler then refuses the event: what
  // the device needs to act on the refusal (the batch it tried to close, with
  // the stops still open). Sent after the refusal is recorded.
  void sendOnRefusal(protocol::Message message) { onRefusal_.push_back(std::move(message)); }
  void afterCommit(std::function<void()> work) { after_.push_back(std::move(work)); }
  // Work that stays although the handler refuses the event: a supervisor
  // exception about what was refused (an unknown item at the dock). It
  // runs in the transaction that records the refusal, after the refused
  // work was rolled back.
  void onRefusalInTx(std::function<void(store::Tx&)> work) { refusalWork_.push_back(std::move(work)); }
  const std::vector<protocol::Message>& messages() const { return messages_; }
  const std::vector<protocol::Message>& onRefusal() const { return onRefusal_; }
  const std::vector<std::function<void()>>& afterCommit() const { return after_; }
  const std::vector<std::function<void(store::Tx&)>>& refusalWork() const { return refusalWork_; }

 private:
  std::vector<protocol::Message> messages_;
  std::vector<protocol::Message> onRefusal_;
  std::vector<std::function<void()>> after_;
  std::vector<std::function<void(store::Tx&)>> refusalWork_;
};

class DeviceGateway {
 public:
  // Applies one event's effect inside the write transaction that records its
  // id. An error value rejects the event (its changes are rolled back and the
  // device gets a rejected ack carrying the error).
  using EventHandler =
      std::function<Status(store::Tx&, const DeviceContext&, const protocol::Message&, Replies&)>;
  // The same for one event type E (protocol::PickConfirm, ...): it gets the
  // decoded event itself.
  template <class E>
  using HandlerOf = std::function<Status(store::Tx&, const DeviceContext&, const E&, Replies&)>;
  // Called inside a write transaction when a device's work must be reclaimed
  // (silent past reclaimAfter, or signed out) with the configured policy.
  using ReclaimHandler = std::function<Status(store::Tx&, const std::string& device, SilentPolicy, Replies&)>;
  // Called inside a write transaction when a device reports itself online.
  using OnlineHandler = std::function<Status(store::Tx&, const std::string& device, Replies&)>;

  // `db` must hold identity's schema (identity::identitySchema()): badges
  // are checked against its accounts and every event's audit row is written
  // to its audit_log in the event's own transaction.
  DeviceGateway(GatewayConfig config, store::Database& db, Metrics& metrics);
  ~DeviceGateway();
  DeviceGateway(const DeviceGateway&) = delete;
  DeviceGateway& operator=(const DeviceGateway&) = delete;

  // Registers the handler of the device event E, e.g.
  //   gateway.handle<protocol::PickConfirm>([](store::Tx&, const DeviceContext&,
  //                                             const protocol::PickConfirm&, Replies&) { ... });
  // Events are dispatched by the decoded message's type, so only a device
  // event type compiles here. signin, signout and scan have built-in
  // handlers that a registration replaces. The built-in signin signs the
  // device in only if the badge's person may work in that mode
  // (identity::badgeSignIn with roleForMode, the PIN, badgePinRequired) and
  // is not signed in on another device (secondDevice). An event type without
  // a handler is refused (a rejected ack); start() logs which types those are.
  template <class E>
  void handle(HandlerOf<E> handler) {
    handleKind(eventKind<E>(), adapt<E>(std::move(handler)));
  }
  // Adds a step that runs after E's handler succeeded, in the same
  // transaction (e.g. assigning work after a sign-in). Its error rejects the
  // whole event.
  template <class E>
  void also(HandlerOf<E> handler) {
    alsoKind(eventKind<E>(), adapt<E>(std::move(handler)));
  }
  void onReclaim(ReclaimHandler handler);
  void onOnline(OnlineHandler handler);

  // Connects (retrying in the background if the broker is not up yet),
  // subscribes and starts the workers; publishes any commands left in the
  // outbox by an earlier run.
  Status start();
  // Stops taking messages, finishes those being applied, disconnects.
  void stop();

  // Queues commands inside a caller's write transaction (published after
  // its commit; call wake() after the commit).
  static void queue(store::Tx& tx, const Replies& replies);
  // Publishes queued commands now (after a commit that queued some).
  void wake();

  bool connected() const;
  // Connected, and the broker has answered the gateway's subscriptions:
  // device events published from now on reach it (on a brand-new session
  // they are dropped until then).
  bool subscribed() const;
  bool enabled() const;
  // The link's state for /healthz. A refused login is found by the first
  // connect and, after a lost connection, by a connect the gateway makes
  // itself when the client's own reconnects have not succeeded for
  // kLoginCheckAfter (Paho does not say why a reconnect failed); it is
  // cleared by the next successful login.
  MqttLink link() const;
  static constexpr std::chrono::seconds kLoginCheckAfter{10};

 private:
  // E's index in protocol::Message, for a device event E.
  template <class E, std::size_t I = 0>
  static constexpr std::size_t eventKind() {
    static_assert(std::is_base_of_v<protocol::EventBase, E>, "only device events have handlers");
    static_assert(I < std::variant_size_v<protocol::Message>, "not a protocol::Message alternative");
    if constexpr (std::is_same_v<std::variant_alternative_t<I, protocol::Message>, E>) return I;
    else return eventKind<E, I + 1>();
  }
  template <class E>
  static EventHandler adapt(HandlerOf<E> handler) {
    return [h = std::move(handler)](store::Tx& tx, const DeviceContext& ctx, const protocol::Message& m,
                                    Replies& replies) { return h(tx, ctx, std::get<E>(m), replies); };
  }
  void handleKind(std::size_t kind, EventHandler handler);
  void alsoKind(std::size_t kind, EventHandler handler);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wms::server
