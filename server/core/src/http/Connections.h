// Internal: wmsd's HTTP connections, served on POCO's TCPServer threads
// with limits that keep slow, idle and greedy clients from starving the API
// (issue 20, item 6). POCO's own HTTPServerConnection waits for a request's
// header with a per-recv time-out only (a client sending a byte every few
// seconds holds a thread for ever) and holds a thread for each idle
// keep-alive connection; here:
//
// - a request's header must be complete within `headerTimeout` of its first
//   byte (for a new connection: of it getting a thread), and within
//   `headerUnderPressure` while other connections wait for a thread; its
//   body within `bodyTimeout` of the header, and while others wait it must
//   not stall for `bodyStallUnderPressure`; past that the socket is shut
//   for reading (the read ends, the request gets 408, the connection is
//   closed);
// - a connection waits for its next request at most `keepAliveTimeout`, at
//   most `keepAliveMaxRequests` requests are served on one, and none waits
//   at all while other connections wait for a thread: it is closed, so idle
//   connections never delay a new one; a new connection that has sent
//   nothing is closed the same way after a short grace;
// - a live stream (Response::stream: the dashboard's Server-Sent Events)
//   stays in the Busy phase, with no deadline, for as long as it runs: it is
//   neither idle nor a stalled request; at most `maxStreams` run at once
//   (openStream()), so streams cannot take the threads the API needs;
// - one client address (but those in `uncapped`) holds at most
//   `maxPerAddress` connections: a new one
//   beyond that closes that address's longest-waiting idle or unfinished
//   one, or, when all of them are inside a request, is answered 503 with
//   Retry-After and closed.
//
// Threading: the registry is shared by POCO's worker threads (one
// connection each) and its own timer thread; every method is thread-safe
// but stop(), which one thread calls (the server's, then the destructor).
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "wms/server/Metrics.h"

namespace wms::server::http {

struct HttpLimits {
  std::chrono::seconds headerTimeout{10};
  std::chrono::seconds bodyTimeout{30};
  std::chrono::seconds keepAliveTimeout{5};
  int keepAliveMaxRequests = 100;
  int maxPerAddress = 8;  // 0: no cap
  std::vector<std::string> uncapped;  // addresses (IPAddress::toString()) the cap does not apply to
  // A new connection that has sent nothing is closed after this while
  // others wait for a thread.
  std::chrono::milliseconds idleGrace{20};
  // While others wait for a thread, a header still incomplete after this
  // is cut off (a real client sends its few hundred bytes at once).
  std::chrono::milliseconds headerUnderPressure{1000};
  // ...and a body that has not moved on for this long (see progress()).
  std::chrono::milliseconds bodyStallUnderPressure{2000};
  // Live streams at once (each holds a worker thread while it runs).
  int maxStreams = 4;
};

class ConnectionRegistry {
 public:
  using Id = std::uint64_t;
  enum class Phase { Idle, Header, Body, Busy };

  // `othersWaiting` says how many connections wait for a thread (POCO's
  // queue); it is called often and must be cheap.
  ConnectionRegistry(HttpLimits limits, Metrics& metrics, std::function<int()> othersWaiting);
  ~ConnectionRegistry();
  ConnectionRegistry(const ConnectionRegistry&) = delete;
  ConnectionRegistry& operator=(const ConnectionRegistry&) = delete;

  const HttpLimits& limits() const { return limits_; }

  // Registers a connection from `address` (Idle, no deadline). 0 if the
  // address is at its cap with every connection inside a request.
  Id open(const Poco::Net::StreamSocket& socket, const std::string& address);
  void close(Id id);
  // Enters a phase; the deadline is `within` from now (0: none).
  void enter(Id id, Phase phase, std::chrono::milliseconds within = {});
  // The body being read moved on (resets the stall clock, not the deadline).
  void progress(Id id);
  // The connection was shut for reading by its deadline or to make room.
  bool cutOff(Id id) const;
  bool othersWaiting() const { return othersWaiting_() > 0; }
  // Closes idle connections, makes the rest stop after their request, and
  // stops the timer thread (othersWaiting is not called from it afterwards).
  void stop();
  bool stopping() const;

  // A running stream's claim on one of limits().maxStreams; the stream
  // ends, the slot frees. Non-copyable; must not outlive its registry.
  class StreamSlot {
   public:
    explicit StreamSlot(ConnectionRegistry& registry) : registry_(registry) {}
    ~StreamSlot();
    StreamSlot(const StreamSlot&) = delete;
    StreamSlot& operator=(const StreamSlot&) = delete;

   private:
    ConnectionRegistry& registry_;
  };
  // A slot for a new stream, or null when maxStreams run already (or the
  // server is stopping).
  std::unique_ptr<StreamSlot> openStream();

  // The connection the calling worker thread serves (0 if none), for the
  // request handler's body deadline.
  static Id current();
  static void setCurrent(Id id);

 private:
  struct Entry {
    Poco::Net::StreamSocket socket;  // held: its descriptor cannot be reused while registered
    std::string address;
    Phase phase = Phase::Idle;
    std::chrono::steady_clock::time_point since, deadline;  // deadline: epoch = none
    bool cutOff = false;
  };
  void cut(Entry& e, const char* reason);  // with mutex_ held
  void timerLoop();

  // ---- constant after construction ----
  const HttpLimits limits_;
  Metrics& metrics_;
  const std::function<int()> othersWaiting_;

  // ---- protected by mutex_ ----
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<Id, Entry> entries_;
  std::map<std::string, int> perAddress_;
  Id next_ = 1;
  int streams_ = 0;
  bool stopping_ = false;

  std::thread timer_;  // last: started when the rest exists
};

// POCO connections serving HTTP through `handlers` with `registry`'s
// limits; `params` gives POCO's per-recv/per-send time-out. The registry
// and the handler factory must outlive the TCPServer.
Poco::Net::TCPServerConnectionFactory* makeConnectionFactory(ConnectionRegistry& registry,
                                                             Poco::Net::HTTPServerParams::Ptr params,
                                                             Poco::Net::HTTPRequestHandlerFactory::Ptr handlers);

}  // namespace wms::server::http
