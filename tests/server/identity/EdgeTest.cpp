// wmsd's edge against a real process: sign-in and sessions, CSRF, tokens,
// the body type, the Host check, the first start and the audit trail
// (docs/security.md). Each refusal changes nothing.
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>

#include <fstream>
#include <sstream>
#include <string>

#include "wms/testsupport/WmsdProcess.h"

using wms::testsupport::HttpResult;
using wms::testsupport::httpRequest;
using wms::testsupport::WmsdProcess;

namespace {

Poco::JSON::Object::Ptr json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

const std::map<std::string, std::string> kNoAuth = {{"Authorization", ""}};
const std::string kPassword = "a long enough password";

// A browser's session: the cookies sign-in set, as the browser sends them back.
struct Session {
  std::string cookies;       // "wms_session=...; wms_csrf=..."
  std::string csrf;
  std::string sessionLine;   // the session's Set-Cookie, attributes included
};

Session sessionFrom(const HttpResult& r) {
  Session s;
  std::istringstream lines(r.headers.count("set-cookie") ? r.headers.at("set-cookie") : std::string());
  std::string line;
  while (std::getline(lines, line)) {
    const std::string pair = line.substr(0, line.find(';'));
    s.cookies += (s.cookies.empty() ? "" : "; ") + pair;
    if (pair.rfind("wms_session=", 0) == 0) s.sessionLine = line;
    if (pair.rfind("wms_csrf=", 0) == 0) s.csrf = pair.substr(9);
  }
  return s;
}

HttpResult signInRequest(const WmsdProcess& wmsd, const std::string& login, const std::string& password) {
  return httpRequest(wmsd.port(), "POST", "/api/v1/auth/sign-in",
                     "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}", kNoAuth);
}

Session signIn(const WmsdProcess& wmsd, const std::string& login, const std::string& password) {
  auto r = signInRequest(wmsd, login, password);
  BOOST_REQUIRE_MESSAGE(r.status == 200, r.status << " " << r.body);
  return sessionFrom(r);
}

HttpResult asSession(const WmsdProcess& wmsd, const std::string& method, const std::string& path,
                     const std::string& cookies, const std::string& csrf, const std::string& body = {},
                     const std::string& type = "application/json") {
  std::map<std::string, std::string> h = {{"Authorization", ""}, {"Cookie", cookies}, {"Content-Type", type}};
  if (!csrf.empty()) h["X-CSRF-Token"] = csrf;
  return httpRequest(wmsd.port(), method, path, body, h);
}

std::string adminPassword(const WmsdProcess& wmsd) {
  std::ifstream in(wmsd.dataDir() / "admin-password");
  std::string p;
  std::getline(in, p);
  return p;
}

std::int64_t onHand(const WmsdProcess& wmsd) {
  auto r = wmsd.get("/api/v1/stock/SKU-1");
  BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
  return json(r.body)->getValue<std::int64_t>("on_hand");
}

const std::string kAdjust = R"({"sku":"SKU-1","location":"A-01-01-1","delta":-3,"reason":"damage"})";

void seed(const WmsdProcess& wmsd) {
  auto sku = wmsd.post("/api/v1/skus", R"({"sku":"SKU-1","description":"mug"})");
  BOOST_REQUIRE_MESSAGE(sku.status == 201, sku.body);
  auto loc = wmsd.post("/api/v1/locations", R"({"code":"A-01-01-1","zone":"A"})");
  BOOST_REQUIRE_MESSAGE(loc.status == 201, loc.body);
  auto adj = wmsd.post("/api/v1/stock/adjustments",
                       R"({"sku":"SKU-1","location":"A-01-01-1","delta":10,"reason":"count"})");
  BOOST_REQUIRE_MESSAGE(adj.status < 300, adj.body);
  auto sup = wmsd.post("/api/v1/accounts", R"({"login":"sup","name":"Sue","roles":["supervisor"],"password":")" +
                                               kPassword + "\"}");
  BOOST_REQUIRE_MESSAGE(sup.status == 201, sup.body);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(edge)

BOOST_AUTO_TEST_CASE(first_start_makes_an_admin_with_a_random_password_only_its_owner_can_read) {
  WmsdProcess wmsd;
  struct stat st {};
  BOOST_REQUIRE(::stat((wmsd.dataDir() / "admin-password").c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
  const std::string password = adminPassword(wmsd);
  BOOST_TEST(password.size() >= 20u);
  BOOST_TEST(wmsd.log().find(password) == std::string::npos);  // never in the log
  BOOST_TEST(signInRequest(wmsd, "admin", password).status == 200);
  BOOST_TEST(signInRequest(wmsd, "admin", "admin").status == 401);  // no default password
  // A restart keeps the admin and its password.
  BOOST_TEST(wmsd.stop() == 0);
  WmsdProcess::Options again;
  again.dataDir = wmsd.dataDir();
  WmsdProcess restarted(again);
  BOOST_TEST(adminPassword(restarted) == password);
  BOOST_TEST(signInRequest(restarted, "admin", password).status == 200);
}

BOOST_AUTO_TEST_CASE(a_page_session_changes_nothing_without_its_csrf_token_and_ends_at_sign_out) {
  WmsdProcess wmsd;
  seed(wmsd);
  Session s = signIn(wmsd, "sup", kPassword);
  BOOST_TEST(s.sessionLine.find("HttpOnly") != std::string::npos, s.sessionLine);
  BOOST_TEST(s.sessionLine.find("SameSite=Strict") != std::string::npos, s.sessionLine);
  BOOST_TEST(s.sessionLine.find("Secure") == std::string::npos);  // plain HTTP here
  BOOST_REQUIRE(!s.csrf.empty());

  // Reads need no CSRF token.
  BOOST_TEST(asSession(wmsd, "GET", "/api/v1/stock", s.cookies, "").status == 200);
  // A stolen cookie replayed from another site: no token, or a wrong one.
  auto noToken = asSession(wmsd, "POST", "/api/v1/stock/adjustments", s.cookies, "", kAdjust);
  BOOST_TEST(noToken.status == 403);
  BOOST_TEST(noToken.body.find("CSRF") != std::string::npos, noToken.body);
  BOOST_TEST(asSession(wmsd, "POST", "/api/v1/stock/adjustments", s.cookies, "forged", kAdjust).status == 403);
  BOOST_TEST(onHand(wmsd) == 10);
  // The page's own request.
  auto ok = asSession(wmsd, "POST", "/api/v1/stock/adjustments", s.cookies, s.csrf, kAdjust);
  BOOST_TEST(ok.status < 300, ok.status << " " << ok.body);
  BOOST_TEST(onHand(wmsd) == 7);

  // Signed out: the cookie is worth nothing.
  auto out = asSession(wmsd, "POST", "/api/v1/auth/sign-out", s.cookies, s.csrf);
  BOOST_TEST(out.status == 200, out.body);
  BOOST_TEST(asSession(wmsd, "GET", "/api/v1/stock", s.cookies, "").status == 401);
  BOOST_TEST(asSession(wmsd, "POST", "/api/v1/stock/adjustments", s.cookies, s.csrf, kAdjust).status == 401);
  BOOST_TEST(onHand(wmsd) == 7);
}

BOOST_AUTO_TEST_CASE(a_cross_site_text_plain_post_never_reaches_a_handler) {
  WmsdProcess wmsd;
  seed(wmsd);
  Session s = signIn(wmsd, "sup", kPassword);
  // What a form on another site can send without a preflight: text/plain,
  // form-urlencoded. Even with the right token (it could not have it).
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""}) {
    auto r = asSession(wmsd, "POST", "/api/v1/stock/adjustments", s.cookies, s.csrf, kAdjust, type);
    BOOST_TEST(r.status == (std::string(type).empty() ? 415 : 415), type << ": " << r.status << " " << r.body);
  }
  // The same with a token (a machine) is refused alike.
  auto token = wmsd.post("/api/v1/stock/adjustments", kAdjust, {{"Content-Type", "text/plain"}});
  BOOST_TEST(token.status == 415, token.body);
  BOOST_TEST(onHand(wmsd) == 10);
}

BOOST_AUTO_TEST_CASE(a_host_that_is_not_ours_is_refused_before_anything_is_told) {
  WmsdProcess wmsd;
  for (const char* path : {"/api/v1/stock", "/healthz", "/no-such-page"}) {
    auto r = httpRequest(wmsd.port(), "GET", path, {}, {{"Host", "rebind.attacker.example:8080"}});
    BOOST_TEST(r.status == 421, path << ": " << r.status << " " << r.body);
    BOOST_TEST(r.body.find("stock") == std::string::npos);
  }
  BOOST_TEST(httpRequest(wmsd.port(), "GET", "/healthz", {}, {{"Host", "localhost:1234"}}).status == 200);
  BOOST_TEST(httpRequest(wmsd.port(), "GET", "/healthz", {}, {{"Host", "127.0.0.1"}}).status == 200);
  // A name the operator allows.
  WmsdProcess::Options o;
  o.settings["http.allowed_hosts"] = "wms.warehouse.lan";
  WmsdProcess named(o);
  BOOST_TEST(httpRequest(named.port(), "GET", "/healthz", {}, {{"Host", "WMS.warehouse.lan:8080"}}).status == 200);
  BOOST_TEST(httpRequest(named.port(), "GET", "/healthz", {}, {{"Host", "other.lan"}}).status == 421);
}

BOOST_AUTO_TEST_CASE(tokens_expire_are_revoked_and_carry_no_more_than_their_roles) {
  WmsdProcess wmsd;
  seed(wmsd);
  auto made = wmsd.post("/api/v1/accounts", R"({"login":"pos-1","name":"Till 1","kind":"integration","roles":["integration"]})");
  BOOST_REQUIRE_MESSAGE(made.status == 201, made.body);
  auto issued = wmsd.post("/api/v1/accounts/pos-1/tokens", R"({"name":"till","days":30})");
  BOOST_REQUIRE_MESSAGE(issued.status == 201, issued.body);
  const std::string token = json(issued.body)->getValue<std::string>("token");
  const auto id = json(issued.body)->getValue<std::int64_t>("id");
  const std::map<std::string, std::string> asTill = {{"Authorization", "Bearer " + token}};
  BOOST_TEST(httpRequest(wmsd.port(), "GET", "/api/v1/stock", {}, asTill).status == 200);
  // Shown once: the listing has no secret.
  auto listed = wmsd.get("/api/v1/accounts/pos-1/tokens");
  BOOST_TEST(listed.body.find(token) == std::string::npos);
  BOOST_TEST(listed.body.find("\"till\"") != std::string::npos);
  // Another role's route.
  auto accounts = httpRequest(wmsd.port(), "GET", "/api/v1/accounts", {}, asTill);
  BOOST_TEST(accounts.status == 403);
  BOOST_TEST(accounts.body.find("admin") != std::string::npos, accounts.body);
  // More roles than the account: refused at issue.
  BOOST_TEST(wmsd.post("/api/v1/accounts/pos-1/tokens", R"({"name":"x","roles":["admin"]})").status == 422);
  // Malformed, oversized, unknown.
  for (const std::string& header : {std::string("Basic dXNlcjpwYXNz"), std::string("Bearer"), "Bearer " + std::string(600, 'a'),
                                    std::string("Bearer wms_not-a-token")}) {
    auto r = httpRequest(wmsd.port(), "GET", "/api/v1/stock", {}, {{"Authorization", header}});
    BOOST_TEST(r.status == 401, header.substr(0, 20) << ": " << r.status);
    BOOST_TEST(r.body.find("pos-1") == std::string::npos);
  }
  // Expired: refused, the same as unknown (the clock moved on: the row's expiry set in the past).
  auto other = wmsd.post("/api/v1/accounts/pos-1/tokens", R"({"name":"old","days":1})");
  BOOST_REQUIRE_EQUAL(other.status, 201);
  const std::string oldToken = json(other.body)->getValue<std::string>("token");
  BOOST_TEST(httpRequest(wmsd.port(), "GET", "/api/v1/stock", {}, {{"Authorization", "Bearer " + oldToken}}).status ==
             200);
  {
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(wmsd.dbPath().c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const std::string sql =
        "UPDATE api_tokens SET expires_at = 1 WHERE id = " + std::to_string(json(other.body)->getValue<std::int64_t>("id"));
    BOOST_TEST(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto expired = httpRequest(wmsd.port(), "GET", "/api/v1/stock", {}, {{"Authorization", "Bearer " + oldToken}});
  BOOST_TEST(expired.status == 401);
  BOOST_TEST(expired.body.find("not valid") != std::string::npos, expired.body);
  // Revoked: refused at once.
  BOOST_TEST(wmsd.post("/api/v1/tokens/" + std::to_string(id) + "/revoke", "").status == 200);
  BOOST_TEST(httpRequest(wmsd.port(), "GET", "/api/v1/stock", {}, asTill).status == 401);
  BOOST_TEST(httpRequest(wmsd.port(), "POST", "/api/v1/stock/adjustments", kAdjust, asTill).status == 401);
  BOOST_TEST(onHand(wmsd) == 10);
}

BOOST_AUTO_TEST_CASE(a_person_disabled_mid_session_is_refused_at_once) {
  WmsdProcess wmsd;
  seed(wmsd);
  Session s = signIn(wmsd, "sup", kPassword);
  BOOST_TEST(asSession(wmsd, "GET", "/api/v1/stock", s.cookies, "").status == 200);
  auto off = httpRequest(wmsd.port(), "PUT", "/api/v1/accounts/sup", R"({"active":false})", {});
  BOOST_REQUIRE_MESSAGE(off.status == 200, off.body);
  BOOST_TEST(asSession(wmsd, "GET", "/api/v1/stock", s.cookies, "").status == 401);
  BOOST_TEST(asSession(wmsd, "POST", "/api/v1/stock/adjustments", s.cookies, s.csrf, kAdjust).status == 401);
  BOOST_TEST(signInRequest(wmsd, "sup", kPassword).status == 401);
  BOOST_TEST(onHand(wmsd) == 10);
  // The last admin cannot be disabled (nobody could manage accounts then).
  auto lastAdmin = httpRequest(wmsd.port(), "PUT", "/api/v1/accounts/admin", R"({"active":false})", {});
  BOOST_TEST(lastAdmin.status == 409, lastAdmin.body);
}

BOOST_AUTO_TEST_CASE(guessing_passwords_is_throttled_logged_and_raised_to_the_supervisor) {
  WmsdProcess::Options o;
  o.settings["identity.max_failures_per_login"] = "3";
  WmsdProcess wmsd(o);
  seed(wmsd);
  for (int i = 0; i < 3; ++i) {
    auto r = signInRequest(wmsd, "sup", "not the password " + std::to_string(i));
    BOOST_TEST(r.status == 401);
    BOOST_TEST(r.body.find("wrong login or password") != std::string::npos, r.body);
  }
  // An unknown login answers the same as a wrong password.
  BOOST_TEST(signInRequest(wmsd, "nobody-here", "whatever it is").body == signInRequest(wmsd, "nobody-2", "x").body);
  auto throttled = signInRequest(wmsd, "sup", kPassword);  // even the right password, now
  BOOST_TEST(throttled.status == 429, throttled.body);
  BOOST_TEST(!throttled.headers["retry-after"].empty());
  auto exceptions = wmsd.get("/api/v1/exceptions");
  BOOST_TEST(exceptions.body.find("sign_in_throttled") != std::string::npos, exceptions.body);
  BOOST_TEST(exceptions.body.find("login:sup") != std::string::npos);
  // The attempts are in the audit trail, with their outcome.
  auto audit = wmsd.get("/api/v1/audit-log?target=/auth/sign-in");
  BOOST_TEST(audit.body.find("\"outcome\":401") != std::string::npos, audit.body);
  BOOST_TEST(audit.body.find("\"outcome\":429") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_change_is_in_the_audit_trail_with_who_how_and_from_where) {
  WmsdProcess wmsd;
  seed(wmsd);
  Session s = signIn(wmsd, "sup", kPassword);
  BOOST_REQUIRE(asSession(wmsd, "POST", "/api/v1/stock/adjustments", s.cookies, s.csrf, kAdjust).status < 300);
  auto page = asSession(wmsd, "GET", "/api/v1/audit-log?who=person:sup", s.cookies, "");
  BOOST_REQUIRE_MESSAGE(page.status == 200, page.body);
  auto items = json(page.body)->getArray("items");
  BOOST_REQUIRE(items->size() >= 1u);
  auto last = items->getObject(0);
  BOOST_TEST(last->getValue<std::string>("action") == "POST /api/v1/stock/adjustments");
  BOOST_TEST(last->getValue<std::string>("via") == "session");
  BOOST_TEST(last->getValue<std::string>("address") == "127.0.0.1");
  // Written in the change's own transaction: committed with it.
  BOOST_TEST(last->getValue<bool>("committed"));
  // The harness's token is named as a token; reads are not recorded.
  auto all = wmsd.get("/api/v1/audit-log?limit=1000");
  BOOST_TEST(all.body.find("token:test-harness@test-harness") != std::string::npos);
  BOOST_TEST(all.body.find("\"action\":\"GET ") == std::string::npos);
  // Found by the SKU the change named in its body, and not by another.
  auto bySku = wmsd.get("/api/v1/audit-log?sku=SKU-1");
  BOOST_TEST(bySku.body.find("POST /api/v1/stock/adjustments") != std::string::npos, bySku.body);
  BOOST_TEST(bySku.body.find("\"detail\":\"sku=SKU-1\"") != std::string::npos);
  BOOST_TEST(wmsd.get("/api/v1/audit-log?sku=SKU-").body.find("adjustments") == std::string::npos);
  BOOST_TEST(wmsd.get("/api/v1/audit-log?sku=SK*").status == 422);
  BOOST_TEST(wmsd.get("/api/v1/audit-log?order=abc").status == 422);
  // A viewer may not read it.
  auto viewerToken = wmsd.issueToken("viewer-1", "viewer");
  BOOST_TEST(httpRequest(wmsd.port(), "GET", "/api/v1/audit-log", {}, {{"Authorization", "Bearer " + viewerToken}})
                 .status == 403);
}

BOOST_AUTO_TEST_CASE(pages_carry_a_script_only_policy_and_answers_are_never_framed_or_sniffed) {
  WmsdProcess wmsd;
  // Only the sign-in page is open; the others need a session (a token here).
  auto closed = httpRequest(wmsd.port(), "GET", "/dashboard/", {}, kNoAuth);
  BOOST_TEST(closed.status == 303);
  BOOST_TEST(closed.headers["location"] == "/sign-in/?next=%2Fdashboard%2F");
  for (const char* page : {"/dashboard/", "/packing/", "/sign-in/"}) {
    auto r = httpRequest(wmsd.port(), "GET", page, {});
    BOOST_TEST(r.status == 200, page);
    const std::string csp = r.headers["content-security-policy"];
    BOOST_TEST(csp.find("script-src 'self'") != std::string::npos, page << ": " << csp);
    BOOST_TEST(csp.find("unsafe-inline") == std::string::npos);
    BOOST_TEST(csp.find("frame-ancestors 'none'") != std::string::npos);
    // No inline script for the policy to block.
    BOOST_TEST(r.body.find("<script>") == std::string::npos, page);
  }
  auto api = wmsd.get("/api/v1/stock");
  BOOST_TEST(api.headers["x-content-type-options"] == "nosniff");
  BOOST_TEST(api.headers["x-frame-options"] == "DENY");
  BOOST_TEST(api.headers["cache-control"] == "no-store");
  BOOST_TEST(api.headers.count("strict-transport-security") == 0u);  // plain HTTP
  // /healthz says nothing about what is inside.
  auto health = httpRequest(wmsd.port(), "GET", "/healthz", {}, kNoAuth);
  BOOST_TEST(health.status == 200);
  BOOST_TEST(health.body.find("admin") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_one_time_link_signs_a_browser_in_once) {
  WmsdProcess wmsd;
  seed(wmsd);
  auto link = wmsd.post("/api/v1/auth/links", R"({"login":"sup","next":"/packing/"})");
  BOOST_REQUIRE_MESSAGE(link.status == 201, link.body);
  const std::string url = json(link.body)->getValue<std::string>("url");
  auto first = httpRequest(wmsd.port(), "GET", url, {}, kNoAuth);
  BOOST_TEST(first.status == 303);
  BOOST_TEST(first.headers["location"] == "/packing/");
  Session s = sessionFrom(first);
  BOOST_TEST(asSession(wmsd, "GET", "/api/v1/auth/me", s.cookies, "").body.find("\"login\":\"sup\"") !=
             std::string::npos);
  BOOST_TEST(httpRequest(wmsd.port(), "GET", url, {}, kNoAuth).status == 401);  // used
  // Only to a page of this server.
  BOOST_TEST(wmsd.post("/api/v1/auth/links", R"({"login":"sup","next":"//evil.example/"})").status == 422);
  BOOST_TEST(wmsd.post("/api/v1/auth/links", R"({"login":"sup","next":"https://evil.example/"})").status == 422);
}

BOOST_AUTO_TEST_CASE(a_client_that_stops_sending_mid_request_is_cut_off) {
  WmsdProcess::Options o;
  o.settings["http.io_timeout_s"] = "1";
  WmsdProcess wmsd(o);
  Poco::Net::StreamSocket slow(Poco::Net::SocketAddress("127.0.0.1", wmsd.port()));
  const std::string partial = "POST /api/v1/stock/adjustments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le";
  slow.sendBytes(partial.data(), static_cast<int>(partial.size()));
  slow.setReceiveTimeout(Poco::Timespan(10, 0));
  const auto started = std::chrono::steady_clock::now();
  char buf[256];
  int n = 0;
  try {
    n = slow.receiveBytes(buf, sizeof buf);  // 0: closed by wmsd
  } catch (const Poco::Exception&) {
    n = -1;  // reset by wmsd
  }
  const auto waited = std::chrono::steady_clock::now() - started;
  BOOST_TEST(n <= 0);
  BOOST_TEST(waited < std::chrono::seconds(8));  // cut off, not left to the client's own timeout
  BOOST_TEST(wmsd.get("/healthz").status == 200);  // and wmsd serves the others
}

BOOST_AUTO_TEST_SUITE_END()
