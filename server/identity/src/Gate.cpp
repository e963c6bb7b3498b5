#include "wms/identity/Gate.h"

#include <Poco/Logger.h>

#include "wms/json/ObjectReader.h"

#include <algorithm>
#include <cctype>

namespace wms::identity {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

http::Response refuse(ErrorKind kind, const std::string& detail) { return http::Response::error(Error{kind, detail}); }

http::Response unauthorized(const std::string& detail) {
  auto r = refuse(ErrorKind::Unauthorized, detail);
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"wmsd\"");
  return r;
}

// "host:port" or "[v6]:port" -> the host, lower-cased.
std::string hostOf(const std::string& header) {
  std::string h = lower(header);
  if (!h.empty() && h.front() == '[') {
    const auto close = h.find(']');
    return close == std::string::npos ? h : h.substr(0, close + 1);
  }
  const auto colon = h.rfind(':');
  return colon == std::string::npos ? h : h.substr(0, colon);
}

// Every byte but unreserved characters as %XX (RFC 3986), for a query value.
std::string percentEncoded(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

bool safeMethod(const std::string& m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

// What a change names in its body that its path does not (an adjustment's
// SKU, a shipment's order), for finding it in the audit trail:
// "sku=A-1 order=42". Only these two fields, only simple values.
std::string subjectOf(const std::string& body) {
  if (body.empty() || body.front() != '{' || body.size() > 65536) return {};
  json::Rules rules;
  rules.unknown = json::Unknown::Allow;
  rules.maxBytes = 65536;
  auto r = json::ObjectReader::parse(body, "body", rules);
  if (!r) return {};
  std::string out;
  const std::string sku = r->has("sku") ? r->text("sku", json::Need::Optional, 100) : std::string();
  if (r->ok() && !sku.empty() && sku.find_first_of(" \t\n") == std::string::npos) out = "sku=" + sku;
  if (r->has("order_id")) {
    const auto order = r->integer("order_id", json::Need::Optional, {1, INT64_MAX});
    if (r->ok() && order > 0) out += (out.empty() ? "" : " ") + std::string("order=") + std::to_string(order);
  }
  return out;
}

}  // namespace

std::string cookieValue(const std::string& header, const std::string& name) {
  std::size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ';')) ++i;
    const auto end = header.find(';', i);
    const std::string pair = header.substr(i, end == std::string::npos ? std::string::npos : end - i);
    const auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    if (end == std::string::npos) break;
    i = end + 1;
  }
  return {};
}

std::string addressOnly(const std::string& remote) {
  if (!remote.empty() && remote.front() == '[') {
    const auto close = remote.find(']');
    return close == std::string::npos ? remote : remote.substr(1, close - 1);
  }
  const auto colon = remote.rfind(':');
  if (colon == std::string::npos || remote.find(':') != colon) return remote;  // no port, or a bare v6 address
  return remote.substr(0, colon);
}

Gate::Gate(const AccessTable& table, IdentityService& identity, GateConfig config)
    : table_(table), identity_(identity), config_(std::move(config)) {
  for (auto& h : config_.allowedHosts) h = lower(h);
}

std::optional<http::Response> Gate::checkHost(const http::Request& request) const {
  if (config_.allowedHosts.empty()) return std::nullopt;
  const std::string host = hostOf(request.header("host"));
  if (std::find(config_.allowedHosts.begin(), config_.allowedHosts.end(), host) != config_.allowedHosts.end())
    return std::nullopt;
  // 421 Misdirected Request: this server does not answer for that name.
  auto r = refuse(ErrorKind::Malformed, "this server does not answer for the host named in the request");
  r.status = 421;
  return r;
}

std::optional<http::Response> Gate::admit(http::Request& request, const http::Router::Match& match,
                                          Admission& admission) const {
  if (match.entry < 0) return refuse(ErrorKind::Forbidden, "this route has no entry in the access table");
  const AccessEntry& entry = table_.entry(match.entry);
  admission.via = "public";
  admission.who = "anonymous";

  const std::string authorization = request.header("authorization");
  const std::string cookies = request.header("cookie");
  const bool metricsOpen = config_.metricsPublic && request.path == "/metrics";
  if (entry.audience == Audience::Public || metricsOpen) {
    admission.checked = true;
    return std::nullopt;
  }
  if (entry.audience == Audience::Webhook) {
    // The handler checks the platform's signature; credentials of ours are
    // neither needed nor looked at.
    admission.via = "signature";
    admission.who = "webhook:" + (match.params.empty() ? std::string() : match.params.front());
    admission.checked = true;
    return std::nullopt;
  }

  Result<Caller> caller = Error{ErrorKind::Unauthorized, "sign in, or send an API token"};
  bool fromSession = false;
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() > 512) return unauthorized("the Authorization header is too long");
    if (authorization.compare(0, kBearer.size(), kBearer) != 0)
      return unauthorized("the Authorization header must be 'Bearer TOKEN'");
    caller = identity_.callerFromToken(std::string_view(authorization).substr(kBearer.size()));
  } else if (const std::string session = cookieValue(cookies, "wms_session"); !session.empty()) {
    caller = identity_.callerFromSession(session);
    fromSession = true;
  }
  if (!caller) {
    // A person's browser asking for a page goes to sign in, and back after.
    if (caller.error().kind == ErrorKind::Unauthorized && request.method == "GET" &&
        request.path.rfind("/api/", 0) != 0 && authorization.empty()) {
      std::string next = request.path;
      if (!request.query.empty()) {
        next += '?';
        for (const auto& [k, v] : request.query) next += (next.back() == '?' ? "" : "&") + k + "=" + v;
      }
      auto r = http::Response::text(303, "sign in first: /sign-in/\n");
      r.headers.emplace_back("Location", "/sign-in/?next=" + percentEncoded(next));
      return r;
    }
    if (caller.error().kind == ErrorKind::Unauthorized) return unauthorized(caller.error().message);
    return http::Response::error(caller.error());  // the store could not answer: 503
  }
  if (!entry.allows(caller->roles))
    return refuse(ErrorKind::Forbidden, "this needs one of the roles " + entry.who());
  // A page's request that changes something must prove it comes from our
  // page: the session's CSRF token, which another site cannot read.
  if (fromSession && !safeMethod(request.method)) {
    const std::string sent = request.header("x-csrf-token");
    if (sent.empty() || sent != caller->csrf)
      return refuse(ErrorKind::Forbidden, "the request lacks the session's CSRF token (X-CSRF-Token)");
  }
  admission.who = caller->name();
  admission.via = caller->via;
  admission.checked = true;
  request.caller = admission.who;
  return std::nullopt;
}

std::optional<http::Response> Gate::checkBodyType(const http::Request& request) const {
  if (request.body.empty()) return std::nullopt;
  std::string type = lower(request.header("content-type"));
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  // Neither is a type a cross-site form can send without a CORS preflight,
  // which wmsd never grants.
  if (type == "application/json" || type == "text/csv") return std::nullopt;
  auto r = refuse(ErrorKind::Malformed,
                  type.empty() ? "a request body needs Content-Type: application/json (or text/csv for a CSV import)"
                               : "Content-Type '" + type.substr(0, 60) +
                                     "' is not accepted; send application/json (or text/csv for a CSV import)");
  r.status = 415;
  return r;
}

namespace {

AuditEntry entryFor(const http::Request& request, const http::Router::Match& match, const Admission& admission) {
  AuditEntry e;
  e.who = admission.who;
  e.via = admission.via;
  e.address = addressOnly(request.remote);
  e.action = request.method + " " + match.pattern;
  e.target = request.path;
  e.detail = subjectOf(request.body);
  return e;
}

}  // namespace

std::unique_ptr<store::WriteAttachment> Gate::recordWithEffect(const http::Request& request,
                                                               const http::Router::Match& match,
                                                               const Admission& admission) const {
  // Anonymous public requests (a sign-in attempt) are recorded after, with
  // their status; a failed sign-in writes nothing to ride on.
  if (!config_.audit || !admission.checked || safeMethod(request.method) || admission.via == "public") return nullptr;
  // Outcome 0: committed with the change; the status is the answer's.
  return std::make_unique<store::WriteAttachment>(
      [entry = entryFor(request, match, admission)](store::Tx& tx) { IdentityService::recordIn(tx, entry); });
}

void Gate::finish(const http::Request& request, const http::Router::Match& match, const Admission& admission,
                  http::Response& response, const store::WriteAttachment* attached) const {
  auto set = [&response](const char* name, const std::string& value) {
    for (const auto& [k, v] : response.headers)
      if (lower(k) == lower(name)) return;
    response.headers.emplace_back(name, value);
  };
  set("X-Content-Type-Options", "nosniff");
  set("X-Frame-Options", "DENY");
  set("Referrer-Policy", "no-referrer");
  if (response.contentType.rfind("text/html", 0) == 0)
    set("Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  else if (response.contentType.rfind("application/json", 0) == 0)
    set("Cache-Control", "no-store");
  if (config_.tls) set("Strict-Transport-Security", "max-age=31536000");

  if (!config_.audit || !admission.checked || safeMethod(request.method)) return;
  if (attached && attached->committed()) return;  // in the trail with its effect
  AuditEntry e = entryFor(request, match, admission);
  e.outcome = response.status;
  if (auto st = identity_.record(e); !st)
    Poco::Logger::get("wmsd.audit").error("could not record %s %s by %s: %s", request.method, request.path, e.who,
                                          st.error().message);
}

}  // namespace wms::identity
