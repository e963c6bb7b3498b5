// The one HTTP router of wmsd. Every endpoint (the API, the channels'
// webhooks, the packing station's routes, the pages) is one route on it:
// a method, a path pattern and a handler that takes a plain Request and
// returns a plain Response. It knows nothing of sockets: wmsd's POCO server
// (server/core) reads a request within the matched route's body limit and
// calls route(); packing, which sits below server/core, registers its routes
// on the same router, and tests call route() directly. No POCO here.
//
// Every refusal is the one error body, {"error": KIND, "detail": MESSAGE},
// with the status of the one map, httpStatusOf (wms/common/HttpStatus.h;
// docs/api.md): so a refusal reads the same whichever component made it.
//
// Threading: add() and onHandlerFailure() are for setting up, before the
// router is shared. After that match() and route() only read the routes and
// may be called from any number of threads at once; a handler runs on the
// caller's thread, possibly on several at once, and whatever it refers to
// must outlive the router.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wms/common/Result.h"

namespace wms::http {

struct Request {
  std::string method;               // "GET", "POST", ...
  std::string path;                 // decoded, without the query
  std::vector<std::string> params;  // values of the route's {placeholders}, in order; filled by route()
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string remote;  // the client's address, for logs; may be empty
  // Who is asking, as the edge established it before the handler runs
  // ("person:LOGIN" signed in on a page, "token:NAME" for a machine's API
  // token; "" on a public route or a platform's signed webhook). Handlers
  // name it on what they write (the ledger's who, the audit trail).
  std::string caller;

  // A query parameter or `fallback`.
  std::string q(const std::string& name, const std::string& fallback = {}) const;
  // A header by its lower-case name, or "".
  std::string header(const std::string& lowerName) const;
};

struct Response {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // A body written as it happens (Server-Sent Events) instead of `body`:
  // when set, the edge sends the status and headers with chunked transfer
  // encoding, `Cache-Control: no-store` and `X-Accel-Buffering: no` (a proxy
  // must not hold it back), then calls `stream` on the request's worker
  // thread, which writes and flushes as it goes and returns when it is done
  // (the connection is then closed). It must return once a write fails (the
  // stream's state goes bad: the client left) and should not run for ever
  // without writing, since a vanished client is only noticed by a write.
  // The edge may refuse to start it (too many streams: a 503 instead).
  std::function<void(std::ostream& out)> stream;

  static Response json(int status, std::string body);
  // The error body of `error` with the status httpStatusOf(error.kind).
  static Response error(const Error& error);
  static Response text(int status, std::string body, std::string contentType = "text/plain; charset=utf-8");
};

// {"error":KIND,"detail":MESSAGE}, keys in that order, no spaces. Strings are
// escaped as wmsd's JSON writer (POCO) escapes them: \" \\ \b \f \n \r \t,
// other control characters as \u00XX (upper-case hex), every other byte as
// it is (UTF-8 passes through, '/' is not escaped).
std::string errorBody(const Error& error);

// An id in a path or a query: 1..18 digits (so that it fits an int64),
// more than 0; nullopt for anything else.
std::optional<std::int64_t> positiveId(std::string_view text);

using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  static constexpr std::size_t kDefaultMaxBody = 1u << 20;

  // Registers a route. Pattern segments in braces ({id}) match any one
  // non-empty segment, and the handler finds their values in
  // Request::params, in order. Empty segments do not count ("/a//b/" is
  // "/a/b"). maxBody bounds the request body: whoever reads the body (the
  // server) reads at most that and answers 413 above it; match() reports it.
  // The first route registered for a method and path wins.
  // With an entry check set (requireEntries), a route the check does not
  // know is refused with std::logic_error: a misuse found at start-up.
  void add(const std::string& method, const std::string& pattern, Handler handler,
           std::size_t maxBody = kDefaultMaxBody);

  // Who may call each route is kept outside the router (docs/security.md's
  // table, wms::identity): `entryOf` gives a route's entry number in that
  // table, or nullopt when the table has none. Set before any route is
  // added; from then on every add() must have an entry, so that a new route
  // cannot be reachable by accident, and match() reports the entry.
  using EntryCheck = std::function<std::optional<int>(const std::string& method, const std::string& pattern)>;
  void requireEntries(EntryCheck entryOf);

  // Every route as registered: (method, pattern), in order; for tests that
  // walk the routes and for the documentation check.
  std::vector<std::pair<std::string, std::string>> routes() const;

  // Called with the request and the exception's text when a handler throws
  // (route() answers 500 "internal error; see the server log"), so that the
  // server logs what happened. None by default.
  using FailureLog = std::function<void(const Request& request, const std::string& what)>;
  void onHandlerFailure(FailureLog log);

  // What a method and path lead to. `handler` is null when no route takes
  // them; `pathKnown` then says some route has this path with another
  // method (405 rather than 404). The handler pointer is valid while the
  // router lives and no route is added.
  struct Match {
    const Handler* handler = nullptr;
    std::vector<std::string> params;
    std::size_t maxBody = kDefaultMaxBody;
    bool pathKnown = false;
    std::string pattern;  // the matched route's pattern, as registered
    int entry = -1;       // its entry from requireEntries' check; -1 without one
  };
  Match match(const std::string& method, const std::string& path) const;

  // The answer to a request: 404 not_found "no such endpoint: METHOD PATH"
  // when no route has the path, 405 (kind malformed) "method METHOD is not
  // allowed here" when the path takes other methods; otherwise the handler's
  // response, with request.params filled in. The body is taken as it is
  // (reading it within maxBody is the caller's part). A handler that throws
  // gets 500 internal, and the failure log its text. Never throws for a
  // handler's sake.
  Response route(Request request) const;
  // The same for a request already matched by this router's match() with
  // its method and path (the server matches first to learn the body limit
  // before it reads the body).
  Response route(const Match& match, Request request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
    std::size_t maxBody;
    std::string pattern;
    int entry;
  };
  std::vector<Route> routes_;
  FailureLog failureLog_;
  EntryCheck entryOf_;
};

}  // namespace wms::http
