// Every route of a real wmsd against docs/security.md's table: without
// credentials 401 (but the public ones and the signed webhooks), and with a
// token of each role exactly what the table says.
#include <boost/test/unit_test.hpp>

#include <map>
#include <string>

#include "wms/identity/AccessTable.h"
#include "wms/testsupport/WmsdProcess.h"

using namespace wms::identity;
using wms::testsupport::httpRequest;
using wms::testsupport::WmsdProcess;

namespace {

// A concrete path for a pattern: placeholders get values that name nothing,
// so that no request of the walk changes what exists.
std::string pathFor(const std::string& pattern) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i);
      const std::string name = pattern.substr(i + 1, close - i - 1);
      out += name == "channel" ? "shopify" : name == "file" ? "index.html" : "999999";
      i = close + 1;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

std::string bodyFor(const std::string& method) { return method == "GET" || method == "DELETE" ? "" : "{}"; }

// A live stream (GET /api/v1/changes/stream) would answer for as long as
// wmsd runs: walked with a malformed Last-Event-ID, it is admitted or
// refused exactly as it would be, and then answers 400 at once.
std::map<std::string, std::string> headersFor(const std::string& pattern, std::map<std::string, std::string> headers) {
  if (pattern.size() >= 7 && pattern.compare(pattern.size() - 7, 7, "/stream") == 0) headers["Last-Event-ID"] = "walk";
  return headers;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(route_walk)

BOOST_AUTO_TEST_CASE(every_route_refuses_a_stranger_and_answers_each_role_as_the_table_says) {
  WmsdProcess wmsd;
  std::map<Role, std::string> tokens;
  for (Role r : kAllRoles) tokens[r] = wmsd.issueToken(std::string("walk-") + toString(r), toString(r));

  int walked = 0;
  for (const auto& e : builtInAccessTable().entries()) {
    const std::string path = pathFor(e.pattern);
    const std::string what = e.method + " " + path + " (" + e.who() + ")";
    // No credentials at all.
    auto anon = httpRequest(wmsd.port(), e.method, path, bodyFor(e.method), headersFor(e.pattern, {{"Authorization", ""}}));
    BOOST_TEST(anon.body.find("no such endpoint") == std::string::npos,
               what << ": the table names a route wmsd does not have");
    const bool page = e.method == "GET" && e.pattern.rfind("/api/", 0) != 0;
    if (page && e.audience != Audience::Public) {
      // A browser is sent to sign in, and back.
      BOOST_TEST(anon.status == 303, what << " without credentials: " << anon.status);
      BOOST_TEST(anon.headers["location"].rfind("/sign-in/?next=%2F", 0) == 0u, what << ": " << anon.headers["location"]);
    } else if (e.audience == Audience::Roles || e.audience == Audience::SignedIn) {
      BOOST_TEST(anon.status == 401, what << " without credentials: " << anon.status << " " << anon.body);
      BOOST_TEST(anon.headers["www-authenticate"].find("Bearer") == 0u, what);
    } else {
      BOOST_TEST(anon.status != 403, what << " is open: " << anon.body);
    }
    // Each role alone.
    for (Role r : kAllRoles) {
      auto res = httpRequest(wmsd.port(), e.method, path, bodyFor(e.method),
                             headersFor(e.pattern, {{"Authorization", "Bearer " + tokens[r]}}));
      if (e.audience == Audience::Roles && !e.allows(RoleSet::of(r)))
        BOOST_TEST(res.status == 403, what << " as " << toString(r) << ": " << res.status << " " << res.body);
      else if (e.audience == Audience::Roles || e.audience == Audience::SignedIn)
        BOOST_TEST((res.status != 401 && res.status != 403),
                   what << " as " << toString(r) << ": " << res.status << " " << res.body);
      else  // public, or a webhook's signature: our token changes nothing
        BOOST_TEST(res.status == anon.status, what << " as " << toString(r) << ": " << res.status);
    }
    ++walked;
  }
  BOOST_TEST(walked > 100);
}

BOOST_AUTO_TEST_SUITE_END()
