#include "Connections.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Timestamp.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>

namespace wms::server::http {
namespace {

using Clock = std::chrono::steady_clock;

thread_local ConnectionRegistry::Id currentConnection = 0;

const char* cutReason(ConnectionRegistry::Phase phase) {
  return phase == ConnectionRegistry::Phase::Body ? "body_timeout" : "header_timeout";
}

// POCO keeps what it read ahead of the current request in the session;
// the next request may already be there (pipelining).
class Session final : public Poco::Net::HTTPServerSession {
 public:
  using HTTPServerSession::HTTPServerSession;
  using HTTPSession::buffered;
};

class Connection final : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& socket, ConnectionRegistry& registry,
             Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
      : TCPServerConnection(socket), registry_(registry), params_(std::move(params)), handlers_(std::move(handlers)) {}

  void run() override {
    std::string address;
    try {
      address = socket().peerAddress().host().toString();
    } catch (const Poco::Exception&) {
      return;  // gone before it was served
    }
    const auto id = registry_.open(socket(), address);
    if (id == 0) {
      refuse();
      return;
    }
    ConnectionRegistry::setCurrent(id);
    try {
      serve(id);
    } catch (const std::exception& e) {
      Poco::Logger::get("wmsd.http").warning("connection from %s: %s", address, std::string(e.what()));
    }
    ConnectionRegistry::setCurrent(0);
    registry_.close(id);
  }

 private:
  // Requests one after the other while the connection may be kept.
  void serve(ConnectionRegistry::Id id) {
    using Phase = ConnectionRegistry::Phase;
    const auto& limits = registry_.limits();
    Session session(socket(), params_);
    for (int served = 0;;) {
      if (served == 0) {
        if (!waitForBytes(session, id, limits.headerTimeout, limits.idleGrace)) return;
      } else {
        registry_.enter(id, Phase::Idle);
        if (!waitForBytes(session, id, limits.keepAliveTimeout, std::chrono::milliseconds(0))) return;
      }
      registry_.enter(id, Phase::Header, limits.headerTimeout);
      try {
        Poco::Net::HTTPServerResponseImpl response(session);
        Poco::Net::HTTPServerRequestImpl request(response, session, params_);
        registry_.enter(id, Phase::Busy);
        ++served;
        response.setDate(Poco::Timestamp());
        response.setVersion(request.getVersion());
        const bool keep = params_->getKeepAlive() && limits.keepAliveTimeout.count() > 0 && request.getKeepAlive() &&
                          served < limits.keepAliveMaxRequests && !registry_.stopping() &&
                          !registry_.othersWaiting();
        response.setKeepAlive(keep);
        std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(handlers_->createRequestHandler(request));
        if (request.getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK)
          response.sendContinue();
        handler->handleRequest(request, response);
        if (!response.getKeepAlive() || registry_.cutOff(id) || registry_.stopping()) return;
      } catch (const Poco::Net::NoMessageException&) {
        return;  // closed (or cut off) before a request
      } catch (const Poco::Net::MessageException&) {
        // A malformed or oversized header, or one cut off half-way.
        sendError(session, registry_.cutOff(id) ? Poco::Net::HTTPResponse::HTTP_REQUEST_TIMEOUT
                                                : Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
        return;
      } catch (const Poco::Exception&) {
        return;  // a time-out or a reset: nothing more to say on this connection
      }
    }
  }

  // Waits until the next request's first bytes are there; false when the
  // connection should close instead: nothing came within `wait`, it was
  // cut off, or others wait for a thread and it sent nothing for `grace`.
  bool waitForBytes(Session& session, ConnectionRegistry::Id id, std::chrono::milliseconds wait,
                    std::chrono::milliseconds grace) {
    if (session.buffered() > 0) return true;
    const auto start = Clock::now();
    for (;;) {
      if (registry_.cutOff(id) || registry_.stopping()) return false;
      const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      if (waited >= wait) return false;
      if (waited >= grace && registry_.othersWaiting()) return false;
      const auto slice = std::min(std::chrono::milliseconds(10), wait - waited);
      try {
        if (socket().poll(Poco::Timespan(slice.count() * 1000), Poco::Net::Socket::SELECT_READ)) return true;
      } catch (const Poco::Exception&) {
        return false;
      }
    }
  }

  void sendError(Session& session, Poco::Net::HTTPResponse::HTTPStatus status) {
    try {
      Poco::Net::HTTPServerResponseImpl response(session);
      response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
      response.setStatusAndReason(status);
      response.setKeepAlive(false);
      response.setContentLength(0);
      response.send();
    } catch (const Poco::Exception&) {
    }
  }

  // Over the per-address cap: 503, then close once the client has had the
  // chance to read it (closing with its request unread would reset the
  // connection, and the answer with it).
  void refuse() {
    static const std::string body =
        R"({"error":"unavailable","detail":"too many connections from this address; retry in a second"})";
    const std::string text = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + std::to_string(body.size()) +
                             "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body;
    try {
      socket().setSendTimeout(Poco::Timespan(1, 0));
      socket().sendBytes(text.data(), static_cast<int>(text.size()));
      socket().shutdownSend();
      char sink[4096];
      const auto until = Clock::now() + std::chrono::milliseconds(200);
      while (Clock::now() < until && socket().poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_READ)) {
        if (socket().receiveBytes(sink, sizeof sink) <= 0) break;
      }
    } catch (const Poco::Exception&) {
    }
  }

  ConnectionRegistry& registry_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
};

class Factory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  Factory(ConnectionRegistry& registry, Poco::Net::HTTPServerParams::Ptr params,
          Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
      : registry_(registry), params_(std::move(params)), handlers_(std::move(handlers)) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new Connection(socket, registry_, params_, handlers_);
  }

 private:
  ConnectionRegistry& registry_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
};

}  // namespace

ConnectionRegistry::ConnectionRegistry(HttpLimits limits, Metrics& metrics, std::function<int()> othersWaiting)
    : limits_(limits), metrics_(metrics), othersWaiting_(std::move(othersWaiting)) {
  timer_ = std::thread([this] { timerLoop(); });
}

ConnectionRegistry::~ConnectionRegistry() { stop(); }

ConnectionRegistry::Id ConnectionRegistry::open(const Poco::Net::StreamSocket& socket, const std::string& address) {
  std::lock_guard lock(mutex_);
  if (stopping_) return 0;
  const bool capped = limits_.maxPerAddress > 0 &&
                      std::find(limits_.uncapped.begin(), limits_.uncapped.end(), address) == limits_.uncapped.end();
  if (capped && perAddress_[address] >= limits_.maxPerAddress) {
    // Make room by the address's connection that has waited longest
    // without a request; if every one is inside a request, refuse.
    Entry* victim = nullptr;
    for (auto& [id, e] : entries_) {
      if (e.address != address || e.cutOff || (e.phase != Phase::Idle && e.phase != Phase::Header)) continue;
      if (!victim || e.since < victim->since) victim = &e;
    }
    if (!victim) {
      metrics_.add("http_refused_total", "reason=\"per_address\"");
      return 0;
    }
    cut(*victim, "per_address");
  }
  const Id id = next_++;
  Entry e;
  e.socket = socket;
  e.address = address;
  e.since = Clock::now();
  entries_.emplace(id, std::move(e));
  ++perAddress_[address];
  return id;
}

void ConnectionRegistry::close(Id id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (!it->second.cutOff) {
    auto count = perAddress_.find(it->second.address);
    if (count != perAddress_.end() && --count->second <= 0) perAddress_.erase(count);
  }
  entries_.erase(it);
}

void ConnectionRegistry::enter(Id id, Phase phase, std::chrono::milliseconds within) {
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    it->second.phase = phase;
    it->second.since = Clock::now();
    it->second.deadline = within.count() > 0 ? it->second.since + within : Clock::time_point{};
  }
  if (within.count() > 0) wake_.notify_all();
}

void ConnectionRegistry::progress(Id id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it != entries_.end()) it->second.since = Clock::now();
}

bool ConnectionRegistry::cutOff(Id id) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  return it == entries_.end() || it->second.cutOff;
}

void ConnectionRegistry::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      for (auto& [id, e] : entries_) {
        if (!e.cutOff && (e.phase == Phase::Idle || e.phase == Phase::Header)) cut(e, "stopping");
      }
    }
  }
  wake_.notify_all();
  // From here on only the worker threads ask othersWaiting.
  if (timer_.joinable() && timer_.get_id() != std::this_thread::get_id()) timer_.join();
}

bool ConnectionRegistry::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

std::unique_ptr<ConnectionRegistry::StreamSlot> ConnectionRegistry::openStream() {
  std::lock_guard lock(mutex_);
  if (stopping_ || streams_ >= limits_.maxStreams) return nullptr;
  ++streams_;
  return std::make_unique<StreamSlot>(*this);
}

ConnectionRegistry::StreamSlot::~StreamSlot() {
  std::lock_guard lock(registry_.mutex_);
  --registry_.streams_;
}

ConnectionRegistry::Id ConnectionRegistry::current() { return currentConnection; }
void ConnectionRegistry::setCurrent(Id id) { currentConnection = id; }

// The reading side only: a blocked read ends (end of stream), the answer
// (a 408) can still be written.
void ConnectionRegistry::cut(Entry& e, const char* reason) {
  e.cutOff = true;
  ::shutdown(e.socket.impl()->sockfd(), SHUT_RD);
  auto count = perAddress_.find(e.address);
  if (count != perAddress_.end() && --count->second <= 0) perAddress_.erase(count);
  metrics_.add("http_connections_cut_total", std::string("reason=\"") + reason + "\"");
}

void ConnectionRegistry::timerLoop() {
  bool headersPending = false;  // or bodies
  for (;;) {
    // Asked outside the lock: it takes POCO's dispatcher lock.
    const bool pressure = headersPending && othersWaiting();
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    const auto now = Clock::now();
    auto next = now + std::chrono::seconds(1);
    headersPending = false;
    for (auto& [id, e] : entries_) {
      if (e.cutOff) continue;
      if (e.phase == Phase::Header || e.phase == Phase::Body) {
        headersPending = true;
        const auto allowed = e.phase == Phase::Header ? limits_.headerUnderPressure : limits_.bodyStallUnderPressure;
        if (pressure && now - e.since >= allowed) {
          cut(e, cutReason(e.phase));
          continue;
        }
      }
      if (e.deadline == Clock::time_point{}) continue;
      if (e.deadline <= now) {
        cut(e, cutReason(e.phase));
      } else {
        next = std::min(next, e.deadline);
      }
    }
    // Unfinished headers and bodies are looked at often, for the pressure rule.
    if (headersPending) next = std::min(next, now + std::chrono::milliseconds(100));
    wake_.wait_until(lock, next);
  }
}

Poco::Net::TCPServerConnectionFactory* makeConnectionFactory(ConnectionRegistry& registry,
                                                             Poco::Net::HTTPServerParams::Ptr params,
                                                             Poco::Net::HTTPRequestHandlerFactory::Ptr handlers) {
  return new Factory(registry, std::move(params), std::move(handlers));
}

}  // namespace wms::server::http
