#include "HandlerFactory.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include "Connections.h"

#include <algorithm>
#include <chrono>

namespace wms::server::http {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

class Dispatch final : public Poco::Net::HTTPRequestHandler {
 public:
  Dispatch(const Router& router, const identity::Gate& gate, Metrics& metrics, ConnectionRegistry* connections)
      : router_(router), gate_(gate), metrics_(metrics), connections_(connections) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    auto started = std::chrono::steady_clock::now();
    Response response;
    bool closeAfter = false;
    std::string method = in.getMethod();
    std::string path;
    std::unique_ptr<ConnectionRegistry::StreamSlot> streamSlot;
    try {
      response = handle(in, closeAfter, path, streamSlot);
    } catch (const std::exception& e) {
      Poco::Logger::get("wmsd.http").error("%s %s failed: %s", method, in.getURI(), std::string(e.what()));
      response = Response::error(Error{ErrorKind::Internal, "internal error; see the server log"});
    }
    try {
      out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
      out.setContentType(response.contentType);
      for (const auto& [k, v] : response.headers) out.add(k, v);  // add: Set-Cookie may repeat
      if (closeAfter) out.setKeepAlive(false);
      if (response.stream) {
        sendStream(response, out, method, in.getURI());
      } else {
        out.setContentLength(static_cast<std::streamsize>(response.body.size()));
        out.send() << response.body;
      }
    } catch (const std::exception& e) {
      Poco::Logger::get("wmsd.http").warning("%s %s: could not send the response: %s", method, in.getURI(),
                                             std::string(e.what()));
    }
    auto ms = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    metrics_.add("http_requests_total", "status=\"" + std::to_string(response.status) + "\"");
    auto& log = Poco::Logger::get("wmsd.http");
    if (response.status >= 500)
      log.error("%s %s -> %d (%.1f ms)", method, in.getURI(), response.status, ms / 1000.0);
    else if (log.debug())
      log.debug("%s %s -> %d (%.1f ms)", method, in.getURI(), response.status, ms / 1000.0);
  }

 private:
  // A streamed body (Response::stream): chunked, never cached or buffered
  // by a proxy, the connection closed after it. The stream writes until it
  // is done or a write fails (the client left; POCO's send time-out,
  // http.io_timeout_s, ends a write the client does not read).
  static void sendStream(const Response& response, Poco::Net::HTTPServerResponse& out, const std::string& method,
                         const std::string& uri) {
    out.set("Cache-Control", "no-store");
    out.set("X-Accel-Buffering", "no");
    out.setChunkedTransferEncoding(true);
    out.setKeepAlive(false);
    std::ostream& body = out.send();
    body.flush();
    try {
      response.stream(body);
    } catch (const std::exception& e) {
      // The client went away mid-write, or the stream failed: either way it ends here.
      auto& log = Poco::Logger::get("wmsd.http");
      if (log.debug()) log.debug("%s %s: stream ended: %s", method, uri, std::string(e.what()));
    }
  }

  Response handle(Poco::Net::HTTPServerRequest& in, bool& closeAfter, std::string& pathOut,
                  std::unique_ptr<ConnectionRegistry::StreamSlot>& streamSlot) {
    Request req;
    req.method = in.getMethod();
    req.remote = in.clientAddress().toString();
    Poco::URI uri;
    try {
      uri = Poco::URI(in.getURI());
      req.path = uri.getPath();
      for (const auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
    } catch (const Poco::Exception& e) {
      return Response::error(Error{ErrorKind::Malformed, "bad request URI: " + e.message()});
    }
    pathOut = req.path;
    for (const auto& [k, v] : in) req.headers[lower(k)] = v;

    // A page of another site reaching us by DNS rebinding names its own
    // host: refused before anything, even a 404, is told.
    // A refused request's body is never read, so its connection is closed.
    if (auto refused = gate_.checkHost(req)) {
      closeAfter = true;
      return refusedFor("host", std::move(*refused));
    }
    // Matched first for the route's entry and body limit; no route: the
    // router's 404 or 405, without reading a body nobody wants.
    const auto match = router_.match(req.method, req.path);
    if (!match.handler) {
      Response unknown = router_.route(match, std::move(req));
      gate_.finish(Request{}, match, identity::Admission{}, unknown);
      return unknown;
    }
    // Who is calling, before a byte of the body is read.
    identity::Admission admission;
    if (auto refused = gate_.admit(req, match, admission)) {
      closeAfter = true;
      return refusedFor(refused->status == 401 ? "unauthorized" : "forbidden", std::move(*refused));
    }
    std::unique_ptr<store::WriteAttachment> audit;
    Response response = admitted(in, req, match, admission, closeAfter, audit);
    if (response.stream && connections_) {
      // Each stream holds a worker thread while it runs: only
      // http.max_streams of them, so that the API always has threads left.
      streamSlot = connections_->openStream();
      if (!streamSlot) {
        metrics_.add("http_refused_total", "reason=\"streams\"");
        response = Response::error(Error{
            ErrorKind::Unavailable, "too many live streams (http.max_streams = " +
                                        std::to_string(connections_->limits().maxStreams) +
                                        "); poll GET /api/v1/changes instead, or retry the stream later"});
        response.headers.emplace_back("Retry-After", "30");
      } else {
        metrics_.add("http_streams_total");
      }
    }
    gate_.finish(req, match, admission, response, audit.get());
    return response;
  }

  Response refusedFor(const char* reason, Response refusal) {
    metrics_.add("http_refused_total", std::string("reason=\"") + reason + "\"");
    identity::Admission none;
    gate_.finish(Request{}, Router::Match{}, none, refusal);
    return refusal;
  }

  // Reads the body of an admitted request within its route's limit and
  // routes it.
  // The audit row rides on the handler's first write (`audit`, held by the
  // caller until the answer is finished).
  Response admitted(Poco::Net::HTTPServerRequest& in, Request& req, const Router::Match& match,
                    const identity::Admission& admission, bool& closeAfter,
                    std::unique_ptr<store::WriteAttachment>& audit) {
    // Refuse an oversized body before reading it, then enforce the limit
    // while reading (chunked bodies have no length up front).
    const std::size_t limit = match.maxBody;
    auto tooLarge = [&] {
      closeAfter = true;
      return Response::error(Error{ErrorKind::TooLarge, "the request body is larger than " + std::to_string(limit) +
                                                            " bytes"});
    };
    // The body must arrive within the body deadline (http.body_timeout_s):
    // past it the connection is shut for reading, the read below ends and
    // the request gets a 408, never a handler with half a body.
    const auto connection = ConnectionRegistry::current();
    if (connections_ && connection != 0)
      connections_->enter(connection, ConnectionRegistry::Phase::Body,
                          connections_->limits().bodyTimeout);
    std::string readError;
    bool oversized = false, stalled = false;
    try {
      if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(limit)) {
        // A modest excess is read and dropped so that the client, still
        // sending, gets to read the 413 instead of a broken pipe; a large one
        // is not worth reading and the connection is just closed.
        constexpr Poco::Int64 kDrainAtMost = 4 << 20;
        if (in.getContentLength64() <= kDrainAtMost) {
          char sink[8192];
          while (in.stream().read(sink, sizeof sink) || in.stream().gcount() > 0) {
          }
        }
        oversized = true;
      } else {
        // A request with neither a length nor chunked encoding has no body
        // (RFC 9112 6.3); reading it would wait for the client to close.
        const bool hasBody = in.hasContentLength() || in.getChunkedTransferEncoding();
        std::istream& body = in.stream();
        char buf[8192];
        while (hasBody && body) {
          body.read(buf, sizeof buf);
          req.body.append(buf, static_cast<std::size_t>(body.gcount()));
          if (connections_ && connection != 0 && body.gcount() > 0) connections_->progress(connection);
          if (req.body.size() > limit) {
            oversized = true;
            break;
          }
        }
      }
    } catch (const std::exception& e) {
      readError = e.what();
    }
    // POCO's stream turns a read's time-out (nothing for http.io_timeout_s)
    // into a bad stream; a client that closed early is an end of stream.
    stalled = readError.empty() && in.stream().bad();
    const bool cutOff = stalled || (connections_ && connection != 0 && connections_->cutOff(connection));
    if (connections_ && connection != 0) connections_->enter(connection, ConnectionRegistry::Phase::Busy);
    if (oversized) return tooLarge();
    if (cutOff) {
      closeAfter = true;
      metrics_.add("http_refused_total", "reason=\"body_timeout\"");
      auto r = Response::error(Error{
          ErrorKind::Unavailable,
          stalled || !connections_
              ? "the request body stopped arriving"
              : "the request body did not arrive in time (" +
                    std::to_string(connections_->limits().bodyTimeout.count()) +
                    " s at most; less if it stalls while other clients wait)"});
      r.status = 408;
      return r;
    }
    if (!readError.empty() ||
        (in.hasContentLength() && static_cast<Poco::Int64>(req.body.size()) < in.getContentLength64())) {
      // Never a handler with half a body.
      closeAfter = true;
      return Response::error(Error{ErrorKind::Malformed, readError.empty()
                                                             ? "the request body ended before its Content-Length"
                                                             : "the request body could not be read: " + readError});
    }
    if (auto refused = gate_.checkBodyType(req)) return refusedFor("content_type", std::move(*refused));
    audit = gate_.recordWithEffect(req, match, admission);
    return router_.route(match, req);
  }

  const Router& router_;
  const identity::Gate& gate_;
  Metrics& metrics_;
  ConnectionRegistry* connections_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const Router& router, const identity::Gate& gate, Metrics& metrics, ConnectionRegistry* connections)
      : router_(router), gate_(gate), metrics_(metrics), connections_(connections) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Dispatch(router_, gate_, metrics_, connections_);
  }

 private:
  const Router& router_;
  const identity::Gate& gate_;
  Metrics& metrics_;
  ConnectionRegistry* connections_;
};

}  // namespace

Poco::Net::HTTPRequestHandlerFactory* makeHandlerFactory(const Router& router, const identity::Gate& gate,
                                                         Metrics& metrics, ConnectionRegistry* connections) {
  return new Factory(router, gate, metrics, connections);
}

}  // namespace wms::server::http
