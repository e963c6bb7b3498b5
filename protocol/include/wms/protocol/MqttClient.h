// MqttClient: the one MQTT client of the project (server gateway, handheld,
// simulators, benchmarks), a wrapper over Eclipse Paho C++'s async_client.
//
// It is configured for the protocol's delivery rules by default: persistent
// session (clean session off, so the broker queues QoS 1 messages while the
// client is away), automatic reconnect with exponential backoff, every
// subscription re-made after each reconnect, publishes accepted while the
// connection is down (buffered by Paho and sent after the reconnect).
//
// Threading contract:
// - Paho's callbacks (its own threads) only put an item on a queue and
//   return; they never block and never run user code.
// - The client owns ONE worker thread that takes items off that queue in
//   order and calls the message handler and the connection handler. Handlers
//   therefore never run concurrently with each other, and may take their
//   time (messages queue up meanwhile, see MqttOptions::maxQueued).
// - connect(), subscribe(), publish(), flush(), disconnect(), connected(),
//   subscribed() and metrics() are thread-safe and may also be called from a handler.
//   The destructor must not be called from a handler.
// - Set the handlers before connect(); setting them later throws
//   std::logic_error.
//
// Delivery: a received QoS 1 message is acknowledged to the broker when it
// is queued, before the handler runs; a process that dies in between loses
// it at the MQTT level. The protocol's own acks cover that (docs/protocol.md:
// devices resend events until acknowledged, the server re-sends a device's
// task when it comes back online).
//
// Performance notes (Paho C 1.3): the client turns Nagle's algorithm off on
// its broker sockets (Paho does not, which costs ~40 ms per round trip).
// While other clients of the same process are connected, Paho notices a new
// connection only on a one-second poll: connect many clients in parallel.
//
// Errors are Status values; no Paho exception leaves this class.
// ErrorKind::Unauthorized: the broker refused the username/password;
// Forbidden: the broker refused a subscription; Unavailable: the broker is
// not reachable or the connection is down and the offline buffer is full;
// Invalid: a bad topic or an oversized payload.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::protocol {

// A message as received.
struct MqttMessage {
  std::string topic;
  std::string payload;
  int qos = 0;
  bool retained = false;   // delivered from the broker's retained store
  bool duplicate = false;  // the broker flagged it as a possible redelivery
};

// What happened to the connection, delivered on the worker thread in order
// with the messages.
struct ConnectionEvent {
  enum class Kind {
    Connected,  // connected (first time or after a loss); every subscription was
                // sent again just before (a refusal follows as an Error)
    Subscribed, // after Connected: the broker has answered every subscription
                // (see subscribed()); what is published to them now arrives
    Lost,       // the connection dropped; Paho reconnects with backoff
    Error,      // something failed in the background (e.g. a re-subscribe); see detail
  };
  Kind kind = Kind::Connected;
  std::string detail;  // cause or error text, may be empty
};

// Options, builder style: MqttOptions().server(uri).clientId(id)...
// Defaults suit a protocol client; server() and clientId() are required.
class MqttOptions {
 public:
  // "tcp://host:port" or "ssl://host:port" (then set tls()).
  MqttOptions& server(std::string uri) { server_ = std::move(uri); return *this; }
  // The MQTT client id: the session's name on the broker. A handheld uses
  // its device id (= its username), wmsd its server username. With
  // `wms-broker setup --one-session-per-account` the broker replaces it by
  // the username anyway.
  MqttOptions& clientId(std::string id) { clientId_ = std::move(id); return *this; }
  MqttOptions& credentials(std::string username, std::string password) {
    username_ = std::move(username);
    password_ = std::move(password);
    return *this;
  }
  // Verify the broker's certificate against this CA file (PEM).
  MqttOptions& tls(std::filesystem::path caFile) { caFile_ = std::move(caFile); return *this; }
  // Default false: a persistent session.
  MqttOptions& cleanSession(bool on) { cleanSession_ = on; return *this; }
  // Default 20 s. The broker declares the client gone after 1.5 x this.
  MqttOptions& keepAlive(std::chrono::seconds interval) { keepAlive_ = interval; return *this; }
  // Published by the broker when the client vanishes without a disconnect.
  MqttOptions& lastWill(std::string topic, std::string payload, int qos = 1, bool retained = true) {
    willTopic_ = std::move(topic);
    willPayload_ = std::move(payload);
    willQos_ = qos;
    willRetained_ = retained;
    return *this;
  }
  // Reconnect waits: min first, doubling up to max (Paho counts whole
  // seconds, so min >= 1 s). Default 1 s .. 16 s.
  MqttOptions& reconnectBackoff(std::chrono::seconds min, std::chrono::seconds max) {
    reconnectMin_ = min;
    reconnectMax_ = max;
    return *this;
  }
  // Keep unacknowledged outgoing QoS 1 messages in this folder so that they
  // survive a crash of the process (default: in memory only).
  MqttOptions& persistence(std::filesystem::path dir) { persistenceDir_ = std::move(dir); return *this; }
  // Publishes accepted while disconnected, also before the first connect
  // (default 10000; 0 = refuse them).
  MqttOptions& offlineBuffer(int messages) { offlineBuffer_ = messages; return *this; }
  // QoS 1 publishes in flight at once, 1..65535 (default 65535: when the
  // window is full, Paho C 1.3 notices the broker's acknowledgements only
  // after a one-second timeout, so a small window stalls bursts).
  MqttOptions& maxInflight(int messages) { maxInflight_ = messages; return *this; }
  // Received messages waiting for the handler; more are dropped and counted
  // in MqttMetrics::dropped (default 100000).
  MqttOptions& maxQueued(std::size_t messages) { maxQueued_ = messages; return *this; }

  const std::string& server() const { return server_; }
  const std::string& clientId() const { return clientId_; }
  const std::string& username() const { return username_; }
  const std::string& password() const { return password_; }
  const std::filesystem::path& caFile() const { return caFile_; }
  bool cleanSession() const { return cleanSession_; }
  std::chrono::seconds keepAlive() const { return keepAlive_; }
  const std::string& willTopic() const { return willTopic_; }
  const std::string& willPayload() const { return willPayload_; }
  int willQos() const { return willQos_; }
  bool willRetained() const { return willRetained_; }
  std::chrono::seconds reconnectMin() const { return reconnectMin_; }
  std::chrono::seconds reconnectMax() const { return reconnectMax_; }
  const std::filesystem::path& persistenceDir() const { return persistenceDir_; }
  int offlineBuffer() const { return offlineBuffer_; }
  int maxInflight() const { return maxInflight_; }
  std::size_t maxQueued() const { return maxQueued_; }

 private:
  std::string server_, clientId_, username_, password_;
  std::filesystem::path caFile_;
  bool cleanSession_ = false;
  std::chrono::seconds keepAlive_{20};
  std::string willTopic_, willPayload_;
  int willQos_ = 1;
  bool willRetained_ = true;
  std::chrono::seconds reconnectMin_{1}, reconnectMax_{16};
  std::filesystem::path persistenceDir_;
  int offlineBuffer_ = 10000;
  int maxInflight_ = 65535;
  std::size_t maxQueued_ = 100000;
};

// Counters since the client was made (a snapshot).
struct MqttMetrics {
  std::uint64_t received = 0;        // messages handed to the queue
  std::uint64_t handled = 0;         // messages the handler returned from
  std::uint64_t dropped = 0;         // received but dropped: queue full (maxQueued)
  std::uint64_t handlerErrors = 0;   // handler calls that threw (caught, counted)
  std::uint64_t published = 0;       // publish() calls Paho accepted
  std::uint64_t delivered = 0;       // of those: QoS 0 sent / QoS 1 acknowledged by the broker
  std::uint64_t publishFailures = 0; // publish() calls refused
  std::uint64_t connects = 0;        // successful connections, including the first
  std::uint64_t connectionLosses = 0;
  std::uint64_t inFlight = 0;        // published, not yet delivered
  std::uint64_t queued = 0;          // received messages waiting for the handler now
};

class MqttClient {
 public:
  using MessageHandler = std::function<void(const MqttMessage&)>;
  using ConnectionHandler = std::function<void(const ConnectionEvent&)>;

  // Makes the client and its worker thread; does not connect. Throws
  // std::invalid_argument for options that cannot work (no server or client
  // id, a will without topic, backoff min > max, maxQueued 0...).
  explicit MqttClient(MqttOptions options);
  // Disconnects (waiting up to 2 s for in-flight messages), stops the worker
  // after it finished the handler call in progress; queued messages that
  // were not handled are discarded.
  ~MqttClient();
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  void onMessage(MessageHandler handler);
  void onConnection(ConnectionHandler handler);

  // Connects, retrying with backoff while the broker is unreachable, until
  // connected or `timeout` passed (Unavailable). A refused login returns
  // Unauthorized at once. After success the connection is kept up
  // automatically. Calling it while connected returns success.
  Status connect(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Adds a subscription, kept for every later reconnect. If connected now,
  // subscribes and waits up to `timeout` for the broker's answer: Forbidden
  // if refused, Unavailable if no answer. If not connected, returns success
  // and subscribes on connect.
  Status subscribe(const std::string& topicFilter, int qos = 1,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Hands a message to Paho and returns without waiting for the network.
  // QoS 1 messages are retransmitted by Paho until the broker acknowledges
  // them (metrics().inFlight counts the unacknowledged ones). While
  // disconnected the message is buffered (MqttOptions::offlineBuffer).
  // Invalid for an empty topic, a topic with wildcards or a payload over
  // 256 KiB; Unavailable if Paho cannot take it now.
  Status publish(const std::string& topic, std::string payload, int qos = 1, bool retain = false);

  // Publishes each message (QoS 1, pipelined) and waits until the broker
  // has acknowledged them or `timeout` passed; returns how many, from the
  // first, were acknowledged (those are on the broker; the rest may or may
  // not be, and may be published again). For a sender that keeps what it
  // sends in its own durable outbox (wmsd's commands in its database), so
  // it needs no file persistence: it marks a message sent only once this
  // says the broker has it. Errors as publish() for the first message.
  struct Outgoing {
    std::string topic;
    std::string payload;
  };
  Result<std::size_t> publishConfirmed(const std::vector<Outgoing>& messages, std::chrono::milliseconds timeout);

  // Waits until every publish so far has been delivered (inFlight == 0) or
  // `timeout` passed (Unavailable).
  Status flush(std::chrono::milliseconds timeout);

  // Disconnects cleanly (no last will) after waiting up to `timeout` for
  // in-flight messages. The session stays on the broker (persistent). The
  // client may connect() again afterwards.
  Status disconnect(std::chrono::milliseconds timeout = std::chrono::seconds(2));

  bool connected() const;
  // Connected, and the broker has answered every subscription re-made for
  // this connection: from now on nothing published to those filters is
  // missed. A brand-new persistent session has no subscription on the
  // broker yet, so until then a message meant for this client is dropped.
  // A refused subscription counts as answered (it is reported as an Error).
  bool subscribed() const;
  MqttMetrics metrics() const;
  const MqttOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wms::protocol
