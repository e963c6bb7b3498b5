#include "wms/identity/Rest.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "wms/identity/Gate.h"
#include "wms/json/ObjectReader.h"

namespace wms::identity {
namespace {

using http::Request;
using http::Response;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr obj() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Response ok(const Object::Ptr& o, int status = 200) {
  std::ostringstream out;
  o->stringify(out);
  return Response::json(status, out.str());
}

const json::Rules kRules = [] {
  json::Rules r;
  r.maxBytes = 16 * 1024;
  return r;
}();

Object::Ptr toJson(const Account& a) {
  auto o = obj();
  o->set("login", a.login);
  o->set("name", a.name);
  o->set("kind", a.kind == AccountKind::Integration ? "integration" : "person");
  o->set("badge", a.badge);
  auto roles = new Array;
  for (Role r : kAllRoles)
    if (a.roles.has(r)) roles->add(std::string(toString(r)));
  o->set("roles", Poco::JSON::Array::Ptr(roles));
  o->set("active", a.active);
  o->set("has_password", a.hasPassword);
  o->set("has_pin", a.hasPin);
  o->set("created_at_ms", a.createdAt);
  o->set("updated_at_ms", a.updatedAt);
  return o;
}

Poco::JSON::Array::Ptr rolesJson(RoleSet set) {
  Poco::JSON::Array::Ptr roles = new Array;
  for (Role r : kAllRoles)
    if (set.has(r)) roles->add(std::string(toString(r)));
  return roles;
}

// Roles given as ["a","b"] in a JSON body.
std::optional<RoleSet> rolesFrom(json::ObjectReader& r, json::Need need) {
  auto names = r.strings("roles", need, 6);
  if (names.empty()) return std::nullopt;
  std::string joined;
  for (const auto& n : names) joined += (joined.empty() ? "" : ",") + n;
  auto roles = parseRoles(joined);
  if (!roles) {
    r.fail("roles", roles.error().message);
    return std::nullopt;
  }
  return *roles;
}

std::string cookie(const std::string& name, const std::string& value, std::int64_t maxAgeS, bool httpOnly, bool tls) {
  std::string c = name + "=" + value + "; Path=/; SameSite=Strict; Max-Age=" + std::to_string(maxAgeS);
  if (httpOnly) c += "; HttpOnly";
  if (tls) c += "; Secure";
  return c;
}

Response withSession(Response r, const NewSession& s, std::int64_t nowMs, bool tls) {
  const std::int64_t maxAge = std::max<std::int64_t>(1, (s.expiresAt - nowMs) / 1000);
  r.headers.emplace_back("Set-Cookie", cookie("wms_session", s.secret, maxAge, true, tls));
  // Read by the pages' scripts and echoed as X-CSRF-Token; another site can
  // neither read it nor make the browser send the session with its request.
  r.headers.emplace_back("Set-Cookie", cookie("wms_csrf", s.csrf, maxAge, false, tls));
  return r;
}

Object::Ptr sessionJson(const NewSession& s) {
  auto o = obj();
  o->set("login", s.caller.login);
  o->set("roles", rolesJson(s.caller.roles));
  o->set("csrf", s.csrf);
  o->set("expires_at_ms", s.expiresAt);
  return o;
}

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void addIdentityRoutes(http::Router& router, IdentityService& identity, RestOptions options) {
  const bool tls = options.tls;
  const std::size_t maxBody = options.maxBody;

  router.add(
      "POST", "/api/v1/auth/sign-in",
      [&identity, tls](const Request& req) {
        auto r = json::ObjectReader::parse(req.body, "request body", kRules);
        if (!r) return Response::error(r.error());
        const std::string login = r->text("login", json::Need::NonEmpty, 64);
        const std::string password = r->text("password", json::Need::NonEmpty, 200);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        const std::string address = addressOnly(req.remote);
        if (const auto wait = identity.throttledForMs(login, address); wait > 0) {
          auto refused = Response::error(
              Error{ErrorKind::Unauthorized, "too many failed sign-ins; try again in " +
                                                 std::to_string((wait + 59999) / 60000) + " minute(s)"});
          refused.status = 429;
          refused.headers.emplace_back("Retry-After", std::to_string((wait + 999) / 1000));
          return refused;
        }
        auto session = identity.signIn(login, password, address);
        if (!session) return Response::error(session.error());
        return withSession(ok(sessionJson(*session)), *session, nowMs(), tls);
      },
      maxBody);

  router.add("POST", "/api/v1/auth/sign-out", [&identity, tls](const Request& req) {
    if (auto st = identity.signOut(cookieValue(req.header("cookie"), "wms_session")); !st)
      return Response::error(st.error());
    Response r = Response::json(200, "{\"signed_out\":true}");
    r.headers.emplace_back("Set-Cookie", cookie("wms_session", "", 0, true, tls));
    r.headers.emplace_back("Set-Cookie", cookie("wms_csrf", "", 0, false, tls));
    return r;
  });

  router.add("GET", "/api/v1/auth/me", [&identity](const Request& req) {
    // The caller as the gate proved it; the account's current state.
    const auto at = req.caller.find(':');
    std::string login = req.caller.substr(at + 1);
    if (const auto amp = login.rfind('@'); req.caller.rfind("token:", 0) == 0 && amp != std::string::npos)
      login = login.substr(amp + 1);
    auto a = identity.account(login);
    if (!a) return Response::error(a.error());
    auto o = toJson(*a);
    o->set("caller", req.caller);
    return ok(o);
  });

  router.add(
      "POST", "/api/v1/auth/links",
      [&identity](const Request& req) {
        auto r = json::ObjectReader::parse(req.body, "request body", kRules);
        if (!r) return Response::error(r.error());
        const std::string login = r->text("login", json::Need::NonEmpty, 64);
        const std::string next = r->text("next", json::Need::Optional, 200);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        auto secret = identity.makeSignInLink(login, next.empty() ? "/dashboard/" : next, req.caller);
        if (!secret) return Response::error(secret.error());
        auto o = obj();
        o->set("url", "/auth/link/" + *secret);
        o->set("expires_in_s", identity.config().linkMs / 1000);
        return ok(o, 201);
      },
      maxBody);

  router.add("GET", "/auth/link/{secret}", [&identity, tls](const Request& req) {
    auto redeemed = identity.redeemSignInLink(req.params[0], addressOnly(req.remote));
    if (!redeemed) return Response::error(redeemed.error());
    Response r = Response::text(303, "signed in; see " + redeemed->second + "\n");
    r.headers.emplace_back("Location", redeemed->second);
    return withSession(std::move(r), redeemed->first, nowMs(), tls);
  });

  // --- accounts --------------------------------------------------------------
  router.add("GET", "/api/v1/accounts", [&identity](const Request&) {
    auto list = identity.accounts();
    if (!list) return Response::error(list.error());
    auto o = obj();
    Poco::JSON::Array::Ptr items = new Array;
    for (const auto& a : *list) items->add(toJson(a));
    o->set("items", items);
    return ok(o);
  });

  router.add(
      "POST", "/api/v1/accounts",
      [&identity](const Request& req) {
        auto r = json::ObjectReader::parse(req.body, "request body", kRules);
        if (!r) return Response::error(r.error());
        NewAccount n;
        n.login = r->text("login", json::Need::NonEmpty, 64);
        n.name = r->text("name", json::Need::NonEmpty, 200);
        const std::string kind = r->text("kind", json::Need::Optional, 20);
        if (!kind.empty() && kind != "person" && kind != "integration") r->fail("kind", "must be person or integration");
        n.kind = kind == "integration" ? AccountKind::Integration : AccountKind::Person;
        n.badge = r->text("badge", json::Need::Optional, 64);
        n.roles = rolesFrom(*r, json::Need::Required).value_or(RoleSet());
        n.password = r->text("password", json::Need::Optional, 200);
        n.pin = r->text("pin", json::Need::Optional, 12);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        auto made = identity.createAccount(n);
        if (!made) return Response::error(made.error());
        return ok(toJson(*made), 201);
      },
      maxBody);

  router.add("GET", "/api/v1/accounts/{login}", [&identity](const Request& req) {
    auto a = identity.account(req.params[0]);
    if (!a) return Response::error(a.error());
    return ok(toJson(*a));
  });

  router.add(
      "PUT", "/api/v1/accounts/{login}",
      [&identity](const Request& req) {
        auto r = json::ObjectReader::parse(req.body, "request body", kRules);
        if (!r) return Response::error(r.error());
        AccountChange c;
        if (r->has("name")) c.name = r->text("name", json::Need::NonEmpty, 200);
        if (r->has("badge")) c.badge = r->text("badge", json::Need::Optional, 64);
        if (r->has("roles")) c.roles = rolesFrom(*r, json::Need::Required).value_or(RoleSet());
        if (r->has("active")) c.active = r->flag("active");
        if (r->has("password")) c.password = r->text("password", json::Need::NonEmpty, 200);
        if (r->has("pin")) c.pin = r->text("pin", json::Need::Optional, 12);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        auto changed = identity.changeAccount(req.params[0], c);
        if (!changed) return Response::error(changed.error());
        return ok(toJson(*changed));
      },
      maxBody);

  // --- tokens ----------------------------------------------------------------
  router.add("GET", "/api/v1/accounts/{login}/tokens", [&identity](const Request& req) {
    if (auto a = identity.account(req.params[0]); !a) return Response::error(a.error());
    auto list = identity.tokens(req.params[0]);
    if (!list) return Response::error(list.error());
    auto o = obj();
    Poco::JSON::Array::Ptr items = new Array;
    for (const auto& t : *list) {
      auto i = obj();
      i->set("id", t.id);
      i->set("name", t.name);
      i->set("roles", rolesJson(t.roles));
      i->set("created_at_ms", t.createdAt);
      i->set("expires_at_ms", t.expiresAt);
      i->set("revoked", t.revokedAt != 0);
      items->add(i);
    }
    o->set("items", items);
    return ok(o);
  });

  router.add(
      "POST", "/api/v1/accounts/{login}/tokens",
      [&identity](const Request& req) {
        auto r = json::ObjectReader::parse(req.body, "request body", kRules);
        if (!r) return Response::error(r.error());
        const std::string name = r->text("name", json::Need::NonEmpty, 64);
        const auto roles = r->has("roles") ? rolesFrom(*r, json::Need::Required) : std::nullopt;
        const auto days = r->integer("days", json::Need::Optional, {1, 3650}, 90);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        auto issued = identity.issueToken(req.params[0], name, roles, static_cast<int>(days));
        if (!issued) return Response::error(issued.error());
        auto o = obj();
        o->set("id", issued->id);
        o->set("token", issued->secret);
        o->set("expires_at_ms", issued->expiresAt);
        o->set("note", "the token is shown this once; only its hash is kept");
        return ok(o, 201);
      },
      maxBody);

  router.add("POST", "/api/v1/tokens/{id}/revoke", [&identity](const Request& req) {
    const auto id = http::positiveId(req.params[0]);
    if (!id) return Response::error(Error{ErrorKind::NotFound, "no token '" + req.params[0].substr(0, 40) + "'"});
    if (auto st = identity.revokeToken(*id); !st) return Response::error(st.error());
    return Response::json(200, "{\"revoked\":true}");
  });

  // --- the audit trail -------------------------------------------------------
  router.add("GET", "/api/v1/audit-log", [&identity](const Request& req) {
    AuditQuery q;
    q.who = req.q("who").substr(0, 200);
    q.target = req.q("target").substr(0, 200);
    if (const auto order = req.q("order"); !order.empty()) {
      if (!http::positiveId(order)) return Response::error(Error{ErrorKind::Invalid, "order must be an order id"});
      q.about = "orders/" + order;
      q.detailTerm = "order=" + order;
    } else if (const auto sku = req.q("sku"); !sku.empty()) {
      if (sku.size() > 100 || sku.find_first_of("*?[] \t\n") != std::string::npos)
        return Response::error(Error{ErrorKind::Invalid, "sku must be a SKU code"});
      q.about = sku;
      q.detailTerm = "sku=" + sku;
    }
    auto number = [&req](const char* name, std::int64_t fallback, std::int64_t hi) -> std::optional<std::int64_t> {
      const std::string v = req.q(name);
      if (v.empty()) return fallback;
      if (v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
      const auto n = std::stoll(v);
      if (n > hi) return std::nullopt;
      return n;
    };
    const auto limit = number("limit", 100, 1000), before = number("before", 0, INT64_MAX),
               since = number("since_ms", 0, INT64_MAX), until = number("until_ms", 0, INT64_MAX);
    if (!limit || *limit < 1 || !before || !since || !until)
      return Response::error(Error{ErrorKind::Invalid,
                                   "limit is 1 to 1000; before, since_ms and until_ms are whole numbers"});
    q.limit = static_cast<int>(*limit);
    q.beforeId = *before;
    q.since = *since;
    q.until = *until;
    auto entries = identity.audit(q);
    if (!entries) return Response::error(entries.error());
    auto o = obj();
    Poco::JSON::Array::Ptr items = new Array;
    for (const auto& e : *entries) {
      auto i = obj();
      i->set("id", e.id);
      i->set("at_ms", e.at);
      i->set("who", e.who);
      i->set("via", e.via);
      i->set("address", e.address);
      i->set("action", e.action);
      i->set("target", e.target);
      // 0: committed with the change it records.
      if (e.outcome == 0) i->set("committed", true);
      else i->set("outcome", e.outcome);
      if (!e.detail.empty()) i->set("detail", e.detail);
      items->add(i);
    }
    o->set("items", items);
    if (static_cast<int>(entries->size()) == q.limit) o->set("next_before", entries->back().id);
    return ok(o);
  });
}

}  // namespace wms::identity
