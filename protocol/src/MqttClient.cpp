#include "wms/protocol/MqttClient.h"

#include <mqtt/async_client.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <variant>
#include <vector>

namespace wms::protocol {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxPublishBytes = 256 * 1024;

// MQTT 3.1.1 CONNACK codes 4 (bad username or password) and 5 (not
// authorised) are final: retrying cannot help.
bool isLoginRefusal(int rc) { return rc == 4 || rc == 5; }

// The one place where Paho's exceptions become errors.
Error fromPaho(const mqtt::exception& e, const std::string& what) {
  int rc = e.get_return_code();
  if (isLoginRefusal(rc)) {
    return makeError(ErrorKind::Unauthorized, what + ": the broker refused the login (" + e.what() + ")");
  }
  return makeError(ErrorKind::Unavailable, what + ": " + e.what());
}

bool hasWildcard(const std::string& topic) { return topic.find_first_of("+#") != std::string::npos; }

// The broker's addresses as getpeername() reports them, from a URI like
// "tcp://host:port" or "ssl://[::1]:8883"; empty if it does not resolve.
std::vector<sockaddr_storage> brokerAddresses(const std::string& uri) {
  std::vector<sockaddr_storage> out;
  auto scheme = uri.find("://");
  auto colon = uri.rfind(':');
  if (scheme == std::string::npos || colon == std::string::npos || colon <= scheme + 3) return out;
  std::string host = uri.substr(scheme + 3, colon - scheme - 3);
  std::string port = uri.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return out;
  for (addrinfo* a = found; a; a = a->ai_next) {
    sockaddr_storage s{};
    std::memcpy(&s, a->ai_addr, std::min<std::size_t>(a->ai_addrlen, sizeof s));
    out.push_back(s);
  }
  ::freeaddrinfo(found);
  return out;
}

bool sameEndpoint(const sockaddr_storage& a, const sockaddr_storage& b) {
  if (a.ss_family != b.ss_family) return false;
  if (a.ss_family == AF_INET) {
    const auto& x = reinterpret_cast<const sockaddr_in&>(a);
    const auto& y = reinterpret_cast<const sockaddr_in&>(b);
    return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
  }
  if (a.ss_family == AF_INET6) {
    const auto& x = reinterpret_cast<const sockaddr_in6&>(a);
    const auto& y = reinterpret_cast<const sockaddr_in6&>(b);
    return x.sin6_port == y.sin6_port && std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof x.sin6_addr) == 0;
  }
  return false;
}

// Paho C 1.3 never turns Nagle's algorithm off, and does not expose its
// sockets. With Nagle on, a small publish waits for the TCP acknowledgement
// of the previous small packet, which the peer delays by up to 40 ms: every
// request/answer round trip of the protocol would stall. So after each
// connect, every TCP socket of this process connected to the broker gets
// TCP_NODELAY (for other clients of the same broker that is right too).
void disableNagleTowards(const std::vector<sockaddr_storage>& broker) {
  if (broker.empty()) return;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    int fd = std::atoi(entry.path().filename().c_str());
    int type = 0;
    socklen_t len = sizeof type;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) continue;
    sockaddr_storage peer{};
    socklen_t peerLen = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peerLen) != 0) continue;
    for (const auto& b : broker) {
      if (sameEndpoint(peer, b)) {
        int on = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        break;
      }
    }
  }
}

}  // namespace

struct MqttClient::Impl final : public mqtt::callback {
  explicit Impl(MqttOptions o) : options(std::move(o)), resubscribed(*this) {}

  // Answers to the subscriptions re-made after a reconnect, on Paho's thread:
  // a refusal becomes an Error event for the connection handler.
  class Resubscribed final : public mqtt::iaction_listener {
   public:
    explicit Resubscribed(Impl& impl) : impl_(impl) {}
    void on_failure(const mqtt::token& tok) override {
      report(tok, "failed");
      answered(tok);
    }
    void on_success(const mqtt::token& tok) override {
      const auto codes = tok.get_subscribe_response().get_reason_codes();
      for (auto code : codes) {
        if (static_cast<int>(code) >= 0x80) {
          report(tok, "refused by the broker");
          break;
        }
      }
      answered(tok);
    }

   private:
    void report(const mqtt::token& tok, const char* what) {
      std::string filters;
      if (auto topics = tok.get_topics()) {
        for (std::size_t i = 0; i < topics->size(); ++i) filters += (i ? ", " : "") + (*topics)[i];
      }
      impl_.enqueue(ConnectionEvent{ConnectionEvent::Kind::Error, "re-subscribe " + filters + ": " + what}, true);
    }
    // The token's user context is the connection it was sent for; the
    // last answer for the current connection makes the client subscribed().
    void answered(const mqtt::token& tok) {
      const auto connection = reinterpret_cast<std::uintptr_t>(tok.get_user_context());
      std::lock_guard lock(impl_.subscriptionsMutex);
      if (connection != impl_.resubscribedFor) return;
      if (impl_.resubscribesPending > 0 && --impl_.resubscribesPending == 0) impl_.allAnswered(connection);
    }
    Impl& impl_;
  };

  // ---- constant after construction ----
  MqttOptions options;
  std::vector<sockaddr_storage> brokerEndpoints;
  std::unique_ptr<mqtt::async_client> client;
  mqtt::connect_options connectOptions;

  // ---- set before connect(), read only by the worker afterwards ----
  MessageHandler messageHandler;
  ConnectionHandler connectionHandler;
  std::atomic<bool> started{false};

  // ---- protected by queueMutex ----
  std::mutex queueMutex;
  std::condition_variable queueReady;
  std::deque<std::variant<MqttMessage, ConnectionEvent>> queue;
  // Messages in `queue`; connection events do not count against maxQueued,
  // or a late Subscribed event would make the client drop a message it has
  // room for.
  std::size_t queuedMessages = 0;
  bool stopping = false;

  // ---- protected by subscriptionsMutex ----
  std::mutex subscriptionsMutex;
  std::vector<std::pair<std::string, int>> subscriptions;
  // Connections are numbered by `connects`: the one whose re-subscribes
  // are out, how many of them are unanswered, and the last one whose
  // re-subscribes were all answered (subscribed() compares it to connects).
  std::uintptr_t resubscribedFor = 0;
  std::size_t resubscribesPending = 0;
  std::uintptr_t subscribedFor = 0;

  // ---- serialises connect()/disconnect() ----
  std::mutex connectMutex;

  // ---- flush() waits on this; delivered/published are the state ----
  std::mutex flushMutex;
  std::condition_variable flushed;

  std::atomic<std::uint64_t> received{0}, handled{0}, dropped{0}, handlerErrors{0}, published{0},
      delivered{0}, publishFailures{0}, connects{0}, connectionLosses{0};

  Resubscribed resubscribed;
  std::thread worker;  // last: started when everything above exists

  std::uint64_t inFlight() const {
    std::uint64_t p = published.load(), d = delivered.load();
    // Messages restored from file persistence complete without a publish() of this run.
    return p > d ? p - d : 0;
  }

  // ---- Paho callbacks: enqueue and return, never block ----
  void connected(const std::string& cause) override {
    ++connects;
    enqueue(ConnectionEvent{ConnectionEvent::Kind::Connected, cause}, true);
  }
  void connection_lost(const std::string& cause) override {
    ++connectionLosses;
    enqueue(ConnectionEvent{ConnectionEvent::Kind::Lost, cause.empty() ? "connection lost" : cause}, true);
  }
  void message_arrived(mqtt::const_message_ptr msg) override {
    MqttMessage m{msg->get_topic(), msg->to_string(), msg->get_qos(), msg->is_retained(), msg->is_duplicate()};
    enqueue(std::move(m), false);
  }
  void delivery_complete(mqtt::delivery_token_ptr) override {
    ++delivered;
    std::lock_guard lock(flushMutex);
    flushed.notify_all();
  }

  void enqueue(std::variant<MqttMessage, ConnectionEvent> item, bool always) {
    {
      std::lock_guard lock(queueMutex);
      if (!always) {
        if (queuedMessages >= options.maxQueued()) {
          ++dropped;
          return;
        }
        ++received;
        ++queuedMessages;
      }
      queue.push_back(std::move(item));
    }
    queueReady.notify_one();
  }

  // ---- the worker thread ----
  void run() {
    for (;;) {
      std::variant<MqttMessage, ConnectionEvent> item;
      {
        std::unique_lock lock(queueMutex);
        queueReady.wait(lock, [this] { return stopping || !queue.empty(); });
        if (stopping) return;
        item = std::move(queue.front());
        queue.pop_front();
        if (std::holds_alternative<MqttMessage>(item)) --queuedMessages;
      }
      if (auto* m = std::get_if<MqttMessage>(&item)) {
        deliver(*m);
      } else {
        auto& event = std::get<ConnectionEvent>(item);
        if (event.kind == ConnectionEvent::Kind::Connected) {
          disableNagleTowards(brokerEndpoints);
          resubscribe();
        }
        notify(event);
      }
    }
  }

  void deliver(const MqttMessage& m) {
    if (messageHandler) {
      try {
        messageHandler(m);
      } catch (...) {
        // A throwing handler is a bug of the caller; the worker must survive it.
        ++handlerErrors;
      }
    }
    ++handled;
  }

  void notify(const ConnectionEvent& event) {
    if (!connectionHandler) return;
    try {
      connectionHandler(event);
    } catch (...) {
      ++handlerErrors;
    }
  }

  // The broker may have lost the session (no persistence, or a clean
  // session), so every filter is subscribed again on every connect. The
  // worker does not wait for the answers (the connection may drop again
  // meanwhile); Resubscribed reports refusals.
  void resubscribe() {
    std::vector<std::pair<std::string, int>> subs;
    const auto connection = static_cast<std::uintptr_t>(connects.load());
    {
      std::lock_guard lock(subscriptionsMutex);
      subs = subscriptions;
      resubscribedFor = connection;
      resubscribesPending = subs.size();
      if (subs.empty()) allAnswered(connection);
    }
    for (const auto& [filter, qos] : subs) {
      try {
        client->subscribe(filter, qos, reinterpret_cast<void*>(connection), resubscribed);
      } catch (const mqtt::exception& e) {
        notify(ConnectionEvent{ConnectionEvent::Kind::Error, "re-subscribe " + filter + ": " + e.what()});
        std::lock_guard lock(subscriptionsMutex);
        if (resubscribedFor == connection && resubscribesPending > 0 && --resubscribesPending == 0)
          allAnswered(connection);
      }
    }
  }

  // Called with subscriptionsMutex held.
  void allAnswered(std::uintptr_t connection) {
    subscribedFor = connection;
    enqueue(ConnectionEvent{ConnectionEvent::Kind::Subscribed, {}}, true);
  }

  Status subscribeNow(const std::string& filter, int qos, std::chrono::milliseconds timeout) {
    try {
      auto token = client->subscribe(filter, qos);
      if (!token->wait_for(timeout)) {
        return makeError(ErrorKind::Unavailable, "subscribe " + filter + ": no answer from the broker");
      }
      // A refusal comes back as the SUBACK code 0x80 (MQTT 3.1.1).
      const auto codes = token->get_subscribe_response().get_reason_codes();
      for (auto code : codes) {
        if (static_cast<int>(code) >= 0x80) {
          return makeError(ErrorKind::Forbidden, "subscribe " + filter + ": refused by the broker");
        }
      }
      return {};
    } catch (const mqtt::exception& e) {
      if (e.get_return_code() == 0x80 || e.get_reason_code() >= 0x80) {
        return makeError(ErrorKind::Forbidden, "subscribe " + filter + ": refused by the broker");
      }
      return fromPaho(e, "subscribe " + filter);
    }
  }
};

MqttClient::MqttClient(MqttOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  const MqttOptions& o = impl_->options;
  if (o.server().empty()) throw std::invalid_argument("MqttClient: server URI is required");
  if (o.clientId().empty()) throw std::invalid_argument("MqttClient: client id is required");
  if (!o.willPayload().empty() && o.willTopic().empty()) {
    throw std::invalid_argument("MqttClient: last will needs a topic");
  }
  if (!o.willTopic().empty() && (hasWildcard(o.willTopic()) || o.willQos() < 0 || o.willQos() > 2)) {
    throw std::invalid_argument("MqttClient: last will topic must have no wildcards and QoS 0..2");
  }
  if (o.reconnectMin().count() < 1 || o.reconnectMax() < o.reconnectMin()) {
    throw std::invalid_argument("MqttClient: reconnect backoff needs 1 s <= min <= max");
  }
  if (o.keepAlive().count() < 1) throw std::invalid_argument("MqttClient: keep-alive must be at least 1 s");
  if (o.maxQueued() == 0 || o.maxInflight() < 1 || o.maxInflight() > 65535 || o.offlineBuffer() < 0) {
    throw std::invalid_argument("MqttClient: need maxQueued > 0, maxInflight 1..65535, offlineBuffer >= 0");
  }

  mqtt::create_options create(MQTTVERSION_3_1_1);
  if (o.offlineBuffer() > 0) {
    // Also before the first connection: a handheld that starts without
    // Wi-Fi keeps its events until the network is there.
    create.set_send_while_disconnected(true, true);
    create.set_max_buffered_messages(o.offlineBuffer());
  }
  try {
    if (o.persistenceDir().empty()) {
      impl_->client = std::make_unique<mqtt::async_client>(o.server(), o.clientId(), create, nullptr);
    } else {
      impl_->client =
          std::make_unique<mqtt::async_client>(o.server(), o.clientId(), create, o.persistenceDir().string());
    }
  } catch (const mqtt::exception& e) {
    // Paho rejects a malformed URI here: bad options, i.e. misuse.
    throw std::invalid_argument("MqttClient: cannot create a client for '" + o.server() + "': " + e.what());
  }

  auto builder = mqtt::connect_options_builder()
                     .mqtt_version(MQTTVERSION_3_1_1)
                     .clean_session(o.cleanSession())
                     .keep_alive_interval(o.keepAlive())
                     .connect_timeout(std::chrono::seconds(5))
                     .automatic_reconnect(o.reconnectMin(), o.reconnectMax())
                     .max_inflight(o.maxInflight());
  if (!o.username().empty()) builder.user_name(o.username()).password(o.password());
  if (!o.willTopic().empty()) {
    builder.will(mqtt::will_options(o.willTopic(), o.willPayload(), o.willQos(), o.willRetained()));
  }
  if (!o.caFile().empty()) {
    builder.ssl(mqtt::ssl_options_builder()
                    .trust_store(o.caFile().string())
                    .enable_server_cert_auth(true)
                    .verify(true)
                    .finalize());
  }
  impl_->connectOptions = builder.finalize();
  impl_->brokerEndpoints = brokerAddresses(o.server());
  impl_->client->set_callback(*impl_);
  impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
}

MqttClient::~MqttClient() {
  try {
    if (impl_->client->is_connected()) impl_->client->disconnect(std::chrono::seconds(2))->wait_for(std::chrono::seconds(3));
  } catch (const std::exception&) {
    // Going away anyway; the broker sees the connection close.
  }
  try {
    impl_->client->disable_callbacks();
  } catch (const std::exception&) {
    // Paho refuses while a connect is still in progress; its callbacks only
    // touch the queue, which outlives the Paho client below.
  }
  {
    std::lock_guard lock(impl_->queueMutex);
    impl_->stopping = true;
  }
  impl_->queueReady.notify_all();
  impl_->worker.join();
  impl_->client.reset();
}

void MqttClient::onMessage(MessageHandler handler) {
  if (impl_->started) throw std::logic_error("MqttClient::onMessage must be called before connect()");
  impl_->messageHandler = std::move(handler);
}

void MqttClient::onConnection(ConnectionHandler handler) {
  if (impl_->started) throw std::logic_error("MqttClient::onConnection must be called before connect()");
  impl_->connectionHandler = std::move(handler);
}

Status MqttClient::connect(std::chrono::milliseconds timeout) {
  std::lock_guard lock(impl_->connectMutex);
  impl_->started = true;
  auto deadline = Clock::now() + timeout;
  auto pause = std::chrono::milliseconds(200);
  std::string last = "not connected";
  for (;;) {
    if (impl_->client->is_connected()) return {};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    try {
      auto token = impl_->client->connect(impl_->connectOptions);
      if (token->wait_for(left)) {
        disableNagleTowards(impl_->brokerEndpoints);
        return {};
      }
      last = "no answer from " + impl_->options.server();
      break;
    } catch (const mqtt::exception& e) {
      Error err = fromPaho(e, "connect to " + impl_->options.server());
      if (err.kind == ErrorKind::Unauthorized) return err;
      last = err.message;
    }
    // The broker is not there (yet): wait and try again until the deadline.
    auto sleep = std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    if (sleep.count() > 0) std::this_thread::sleep_for(sleep);
    pause = std::min(pause * 2, std::chrono::milliseconds(impl_->options.reconnectMax()));
  }
  return makeError(ErrorKind::Unavailable, last);
}

Status MqttClient::subscribe(const std::string& topicFilter, int qos, std::chrono::milliseconds timeout) {
  if (topicFilter.empty()) return makeError(ErrorKind::Invalid, "subscribe: empty topic filter");
  if (qos < 0 || qos > 2) return makeError(ErrorKind::Invalid, "subscribe: QoS must be 0..2");
  {
    std::lock_guard lock(impl_->subscriptionsMutex);
    bool known = false;
    for (auto& [f, q] : impl_->subscriptions) {
      if (f == topicFilter) {
        q = qos;
        known = true;
      }
    }
    if (!known) impl_->subscriptions.emplace_back(topicFilter, qos);
  }
  if (!impl_->client->is_connected()) return {};
  return impl_->subscribeNow(topicFilter, qos, timeout);
}

Status MqttClient::publish(const std::string& topic, std::string payload, int qos, bool retain) {
  if (topic.empty() || hasWildcard(topic)) {
    ++impl_->publishFailures;
    return makeError(ErrorKind::Invalid, "publish: topic '" + topic + "' is empty or has wildcards");
  }
  if (qos < 0 || qos > 2) {
    ++impl_->publishFailures;
    return makeError(ErrorKind::Invalid, "publish: QoS must be 0..2");
  }
  if (payload.size() > kMaxPublishBytes) {
    ++impl_->publishFailures;
    return makeError(ErrorKind::Invalid, "publish " + topic + ": payload of " + std::to_string(payload.size()) +
                                             " bytes is over the " + std::to_string(kMaxPublishBytes) +
                                             "-byte limit");
  }
  try {
    // Count first: a fast broker can acknowledge before publish() returns.
    ++impl_->published;
    impl_->client->publish(mqtt::make_message(topic, std::move(payload), qos, retain));
    return {};
  } catch (const mqtt::exception& e) {
    --impl_->published;
    ++impl_->publishFailures;
    return fromPaho(e, "publish " + topic);
  }
}

Result<std::size_t> MqttClient::publishConfirmed(const std::vector<Outgoing>& messages,
                                                  std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::vector<mqtt::delivery_token_ptr> tokens;
  tokens.reserve(messages.size());
  for (const auto& m : messages) {
    if (m.topic.empty() || hasWildcard(m.topic) || m.payload.size() > kMaxPublishBytes) {
      if (tokens.empty()) {
        auto st = publish(m.topic, m.payload, 1, false);  // the same refusal, with its reason
        return st ? makeError(ErrorKind::Invalid, "publish " + m.topic + ": refused") : st.error();
      }
      break;
    }
    try {
      ++impl_->published;
      tokens.push_back(impl_->client->publish(mqtt::make_message(m.topic, m.payload, 1, false)));
    } catch (const mqtt::exception& e) {
      --impl_->published;
      ++impl_->publishFailures;
      if (tokens.empty()) return fromPaho(e, "publish " + m.topic);
      break;
    }
  }
  std::size_t confirmed = 0;
  for (const auto& token : tokens) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    try {
      if (left.count() <= 0 || !token->wait_for(left)) break;
    } catch (const mqtt::exception&) {
      break;  // lost with the connection: not confirmed
    }
    ++confirmed;
  }
  return confirmed;
}

Status MqttClient::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->flushMutex);
  bool done = impl_->flushed.wait_for(lock, timeout, [this] { return impl_->inFlight() == 0; });
  if (done) return {};
  return makeError(ErrorKind::Unavailable,
                   std::to_string(impl_->inFlight()) + " message(s) still unacknowledged by the broker");
}

Status MqttClient::disconnect(std::chrono::milliseconds timeout) {
  std::lock_guard lock(impl_->connectMutex);
  try {
    if (!impl_->client->is_connected()) return {};
    auto token = impl_->client->disconnect(static_cast<int>(timeout.count()));
    if (!token->wait_for(timeout + std::chrono::seconds(1))) {
      return makeError(ErrorKind::Unavailable, "disconnect: no answer");
    }
    return {};
  } catch (const mqtt::exception& e) {
    return fromPaho(e, "disconnect");
  }
}

bool MqttClient::connected() const { return impl_->client->is_connected(); }

bool MqttClient::subscribed() const {
  if (!impl_->client->is_connected()) return false;
  std::lock_guard lock(impl_->subscriptionsMutex);
  return impl_->subscribedFor == static_cast<std::uintptr_t>(impl_->connects.load());
}

MqttMetrics MqttClient::metrics() const {
  MqttMetrics m;
  m.received = impl_->received;
  m.handled = impl_->handled;
  m.dropped = impl_->dropped;
  m.handlerErrors = impl_->handlerErrors;
  m.published = impl_->published;
  m.delivered = impl_->delivered;
  m.publishFailures = impl_->publishFailures;
  m.connects = impl_->connects;
  m.connectionLosses = impl_->connectionLosses;
  m.inFlight = impl_->inFlight();
  {
    std::lock_guard lock(impl_->queueMutex);
    m.queued = impl_->queue.size();
  }
  return m;
}

const MqttOptions& MqttClient::options() const { return impl_->options; }

}  // namespace wms::protocol
