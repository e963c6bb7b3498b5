// The access table as docs/security.md writes it, and the pure parts of
// identity: roles and secrets.
#include <boost/test/unit_test.hpp>

#include "wms/identity/AccessTable.h"
#include "wms/identity/Roles.h"
#include "wms/identity/Secrets.h"

using namespace wms::identity;

namespace {
std::string doc(const std::string& rows) {
  return "# t\n\n<!-- access-table:begin -->\n| Method | Route | Who |\n|---|---|---|\n" + rows +
         "<!-- access-table:end -->\n";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(access_table)

BOOST_AUTO_TEST_CASE(rows_name_the_audience_or_the_roles_any_one_of_which_suffices) {
  auto t = AccessTable::parse(doc("| GET | `/healthz` | public |\n"
                                  "| POST | `/api/v1/channels/{channel}/webhooks` | webhook |\n"
                                  "| GET | `/api/v1/auth/me` | signed-in |\n"
                                  "| POST | `/api/v1/stock/adjustments` | admin, supervisor |\n"));
  BOOST_REQUIRE_MESSAGE(t, (t ? std::string() : t.error().message));
  BOOST_TEST(t->entries().size() == 4u);
  const auto adjust = t->find("POST", "/api/v1/stock/adjustments");
  BOOST_REQUIRE(adjust);
  const auto& e = t->entry(*adjust);
  BOOST_TEST(e.allows(RoleSet::of(Role::Supervisor)));
  BOOST_TEST(e.allows(RoleSet::of(Role::Viewer) | RoleSet::of(Role::Admin)));
  BOOST_TEST(!e.allows(RoleSet::of(Role::Packer)));
  BOOST_TEST(!e.allows(RoleSet()));
  BOOST_TEST(t->entry(*t->find("GET", "/api/v1/auth/me")).allows(RoleSet::of(Role::Picker)));
  BOOST_TEST(!t->entry(*t->find("GET", "/healthz")).allows(RoleSet::all()));  // public needs no account
  BOOST_TEST(!t->find("GET", "/api/v1/stock/adjustments"));
}

BOOST_AUTO_TEST_CASE(a_table_that_does_not_parse_names_the_line_and_the_problem) {
  auto unknownRole = AccessTable::parse(doc("| GET | `/a` | admin, boss |\n"));
  BOOST_REQUIRE(!unknownRole);
  BOOST_TEST(unknownRole.error().message.find("line 6") != std::string::npos, unknownRole.error().message);
  BOOST_TEST(unknownRole.error().message.find("'boss'") != std::string::npos);
  auto twice = AccessTable::parse(doc("| GET | `/a` | public |\n| GET | `/a` | admin |\n"));
  BOOST_REQUIRE(!twice);
  BOOST_TEST(twice.error().message.find("twice") != std::string::npos);
  BOOST_TEST(!AccessTable::parse(doc("| FETCH | `/a` | public |\n")));
  BOOST_TEST(!AccessTable::parse(doc("| GET | `a` | public |\n")));
  BOOST_TEST(!AccessTable::parse(doc("| GET | `/a` |\n")));
  BOOST_TEST(!AccessTable::parse(doc("")));
  BOOST_TEST(!AccessTable::parse("no table here"));
}

BOOST_AUTO_TEST_CASE(the_table_compiled_into_wmsd_is_docs_security_md_and_keeps_accounts_for_admins) {
  const auto& t = builtInAccessTable();
  BOOST_TEST(t.entries().size() > 100u);
  BOOST_TEST(securityDocument().find("# Security") == 0u);
  const auto accounts = t.find("POST", "/api/v1/accounts");
  BOOST_REQUIRE(accounts);
  BOOST_TEST(t.entry(*accounts).who() == "admin");
  // Only these are open to anyone; the webhooks answer to signatures.
  for (const auto& e : t.entries()) {
    if (e.audience == Audience::Public)
      BOOST_TEST((e.pattern == "/" || e.pattern == "/healthz" || e.pattern == "/api/v1/auth/sign-in" ||
                  e.pattern == "/auth/link/{secret}" || e.pattern.rfind("/dashboard", 0) == 0 ||
                  e.pattern.rfind("/packing", 0) == 0 || e.pattern.rfind("/sign-in", 0) == 0),
                 e.method << " " << e.pattern << " is public");
    if (e.audience == Audience::Webhook) BOOST_TEST(e.pattern == "/api/v1/channels/{channel}/webhooks");
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(roles_and_secrets)

BOOST_AUTO_TEST_CASE(roles_parse_from_names_and_print_in_one_order) {
  auto r = parseRoles("viewer, admin");
  BOOST_REQUIRE(r);
  BOOST_TEST(r->text() == "admin,viewer");
  BOOST_TEST(!parseRoles(""));
  BOOST_TEST(!parseRoles("admin,,viewer"));
  BOOST_TEST(!parseRoles("Admin"));
  BOOST_TEST(RoleSet::all().text() == "admin,supervisor,packer,picker,viewer,integration");
}

BOOST_AUTO_TEST_CASE(a_password_hash_is_salted_slow_and_matches_only_its_password) {
  const std::string a = hashPassword("correct horse battery", 100000);
  const std::string b = hashPassword("correct horse battery", 100000);
  BOOST_TEST(a != b);  // a salt of its own
  BOOST_TEST(a.rfind("pbkdf2-sha256$100000$", 0) == 0u);
  BOOST_TEST(verifyPassword("correct horse battery", a));
  BOOST_TEST(!verifyPassword("correct horse batterY", a));
  BOOST_TEST(!verifyPassword("", a));
  std::string tampered = a;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  BOOST_TEST(!verifyPassword("correct horse battery", tampered));
  BOOST_TEST(!verifyPassword("x", "plain-text"));
  BOOST_TEST(!verifyPassword("x", "pbkdf2-sha256$10$salt$hash"));  // too few iterations to be ours
}

BOOST_AUTO_TEST_CASE(secrets_are_random_and_compared_whole) {
  BOOST_TEST(randomSecret(32) != randomSecret(32));
  BOOST_TEST(randomSecret(32).size() == 43u);
  BOOST_TEST(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(sameSecret("abc", "abc"));
  BOOST_TEST(!sameSecret("abc", "abd"));
  BOOST_TEST(!sameSecret("abc", "abcd"));
}

BOOST_AUTO_TEST_SUITE_END()
