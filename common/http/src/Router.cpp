#include "wms/http/Router.h"

#include <stdexcept>

#include "wms/common/HttpStatus.h"

namespace wms::http {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool isPlaceholder(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Byte for byte what Poco::JSON's stringifier wrote when core built the
// error body with it (and what clients and tests have seen since), so that
// moving the body here changed no response.
void appendJsonString(std::string& out, const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace

std::string Request::q(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

std::string Request::header(const std::string& lowerName) const {
  auto it = headers.find(lowerName);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::int64_t> positiveId(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) v = v * 10 + (c - '0');
  if (v <= 0) return std::nullopt;
  return v;
}

std::string errorBody(const Error& error) {
  std::string out = "{\"error\":";
  appendJsonString(out, toString(error.kind));
  out += ",\"detail\":";
  appendJsonString(out, error.message);
  out += '}';
  return out;
}

Response Response::json(int status, std::string body) {
  return Response{status, "application/json", std::move(body), {}, {}};
}

Response Response::error(const Error& error) {
  return json(httpStatusOf(error.kind), errorBody(error));
}

Response Response::text(int status, std::string body, std::string contentType) {
  return Response{status, std::move(contentType), std::move(body), {}, {}};
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler,
                 std::size_t maxBody) {
  int entry = -1;
  if (entryOf_) {
    auto found = entryOf_(method, pattern);
    if (!found)
      throw std::logic_error("route " + method + " " + pattern +
                             " has no entry in the access table (docs/security.md): add one before the route");
    entry = *found;
  }
  routes_.push_back({method, splitPath(pattern), std::move(handler), maxBody, pattern, entry});
}

void Router::requireEntries(EntryCheck entryOf) {
  if (!routes_.empty()) throw std::logic_error("Router::requireEntries must be called before any route is added");
  entryOf_ = std::move(entryOf);
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) out.emplace_back(r.method, r.pattern);
  return out;
}

void Router::onHandlerFailure(FailureLog log) {
  failureLog_ = std::move(log);
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match result;
  const auto segments = splitPath(path);
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::vector<std::string> params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& pattern = route.segments[i];
      if (isPlaceholder(pattern))
        params.push_back(segments[i]);
      else
        ok = pattern == segments[i];
    }
    if (!ok) continue;
    result.pathKnown = true;
    if (route.method != method) continue;
    result.handler = &route.handler;
    result.params = std::move(params);
    result.maxBody = route.maxBody;
    result.pattern = route.pattern;
    result.entry = route.entry;
    return result;
  }
  return result;
}

Response Router::route(Request request) const {
  const Match m = match(request.method, request.path);
  return route(m, std::move(request));
}

Response Router::route(const Match& match, Request request) const {
  if (!match.handler) {
    if (match.pathKnown) {
      Response r =
          Response::error(Error{ErrorKind::Malformed, "method " + request.method + " is not allowed here"});
      r.status = 405;
      return r;
    }
    return Response::error(
        Error{ErrorKind::NotFound, "no such endpoint: " + request.method + " " + request.path});
  }
  request.params = match.params;
  // A handler's exception must not reach the transport (POCO would answer
  // with its own page, or drop the connection): it becomes the one 500
  // body, and the failure log gets the text, which is for the server's log
  // and not for the client.
  std::string what;
  try {
    return (*match.handler)(request);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "an exception that is not a std::exception";
  }
  if (failureLog_) {
    try {
      failureLog_(request, what);
    } catch (...) {
      // Logging failed too; the client still gets its 500.
    }
  }
  return Response::error(Error{ErrorKind::Internal, "internal error; see the server log"});
}

}  // namespace wms::http
