// Handheld badges in server/identity (Identity.h, "handheld badges"): the
// sign-in rules inside a caller's transaction, the PIN checked before it,
// the workers route's accounts and the migration of the workers of before,
// on a real SQLite file in-process.
#include <boost/test/unit_test.hpp>

#include "wms/identity/Identity.h"
#include "wms/identity/Schema.h"
#include "wms/store/Query.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::identity;
using wms::testsupport::TempDir;

namespace {

std::unique_ptr<store::Database> openDb(const TempDir& dir, bool withIdentity = true) {
  store::DatabaseOptions o;
  o.path = dir / "wms.db";
  if (withIdentity) o.schemas.push_back(identitySchema());
  auto db = store::Database::open(o);
  BOOST_REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.error().message));
  return std::move(*db);
}

IdentityConfig fastHashes() {
  IdentityConfig c;
  c.passwordIterations = 1000;
  return c;
}

Result<Account> signInNow(store::Database& db, const std::string& badge, const std::string& pin, Role role,
                          bool pinRequired = false) {
  const PinCheck check = checkBadgePin(db, badge, pin);
  std::optional<Result<Account>> out;
  auto st = db.write([&](store::Tx& tx) -> Status {
    out = badgeSignIn(tx, badge, check, role, pinRequired);
    return {};
  });
  BOOST_REQUIRE(st.ok());
  return *out;
}

Result<Account> put(store::Database& db, const HandheldWorker& w) {
  std::optional<Result<Account>> out;
  auto st = db.write([&](store::Tx& tx) -> Status {
    out = putHandheldWorker(tx, w);
    return {};
  });
  BOOST_REQUIRE(st.ok());
  return *out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(badges)

BOOST_AUTO_TEST_CASE(the_workers_of_before_become_people_with_the_handheld_roles_when_their_badge_can_be_a_login) {
  TempDir dir;
  {
    auto db = openDb(dir, false);  // a database from before identity
    BOOST_REQUIRE(db->write([](store::Tx& tx) -> Status {
                      store::exec(tx, "INSERT INTO workers(badge, name, zones, active, created_at) VALUES "
                                      "('B-1', 'Siti', 'A', 1, 5), ('B-2', '', '', 0, 6), ('B 3', 'Spacey', '', 1, 7)");
                      return {};
                    }).ok());
  }
  auto db = openDb(dir);
  IdentityService ids(*db, fastHashes());
  auto siti = ids.account("B-1");
  BOOST_REQUIRE(siti.ok());
  BOOST_TEST(siti->badge == "B-1");
  BOOST_TEST(siti->name == "Siti");
  BOOST_TEST((siti->roles == handheldRoles()));
  BOOST_TEST(siti->active);
  auto two = ids.account("B-2");
  BOOST_REQUIRE(two.ok());
  BOOST_TEST(two->name == "B-2");
  BOOST_TEST(!two->active);
  // A badge that cannot be a login gets no account (an admin makes one).
  BOOST_TEST(!ids.account("B 3").ok());
}

BOOST_AUTO_TEST_CASE(the_rules_refuse_in_order_unknown_disabled_role_and_pin_each_with_its_reason) {
  TempDir dir;
  auto db = openDb(dir);
  IdentityService ids(*db, fastHashes());
  BOOST_TEST((signInNow(*db, "B-1", "", Role::Picker).error().kind == ErrorKind::NotFound));
  BOOST_REQUIRE(put(*db, {"B-1", std::string("Siti"), RoleSet::of(Role::Packer), std::nullopt}).ok());
  auto role = signInNow(*db, "B-1", "", Role::Picker);
  BOOST_TEST(role.error().message == "badge B-1's account has no picker role");
  BOOST_TEST(signInNow(*db, "B-1", "", Role::Packer).ok());
  BOOST_TEST((signInNow(*db, "B-1", "", Role::Packer, true).error().kind == ErrorKind::Forbidden));
  BOOST_REQUIRE(put(*db, {"B-1", std::nullopt, std::nullopt, false}).ok());
  BOOST_TEST(signInNow(*db, "B-1", "", Role::Packer).error().message == "badge B-1's account is disabled");
}

BOOST_AUTO_TEST_CASE(a_pin_checked_before_the_write_counts_only_if_the_account_still_holds_that_pin) {
  TempDir dir;
  auto db = openDb(dir);
  IdentityService ids(*db, fastHashes());
  NewAccount n;
  n.login = "siti";
  n.name = "Siti";
  n.badge = "E-7";
  n.roles = RoleSet::of(Role::Picker);
  n.pin = "0427";
  BOOST_REQUIRE(ids.createAccount(n).ok());
  BOOST_TEST(signInNow(*db, "E-7", "", Role::Picker).error().message == "badge E-7 needs its PIN");
  BOOST_TEST(signInNow(*db, "E-7", "1111", Role::Picker).error().message == "wrong PIN for badge E-7");
  BOOST_TEST(signInNow(*db, "E-7", "0427", Role::Picker).ok());
  // Checked, then the PIN changes before the write: refused.
  const PinCheck before = checkBadgePin(*db, "E-7", "0427");
  BOOST_REQUIRE(!before.matchedHash.empty());
  AccountChange c;
  c.pin = "5555";
  BOOST_REQUIRE(ids.changeAccount("siti", c).ok());
  std::optional<Result<Account>> late;
  BOOST_REQUIRE(db->write([&](store::Tx& tx) -> Status {
                    late = badgeSignIn(tx, "E-7", before, Role::Picker, false);
                    return {};
                  }).ok());
  BOOST_TEST((late->error().kind == ErrorKind::Unauthorized));
  // The service's own read-side check follows the same rules.
  BOOST_TEST(ids.badgeSignIn("E-7", "5555", Role::Picker, false).ok());
}

BOOST_AUTO_TEST_CASE(the_workers_route_changes_only_handheld_people_and_gives_only_handheld_roles) {
  TempDir dir;
  auto db = openDb(dir);
  IdentityService ids(*db, fastHashes());
  auto made = put(*db, {"B-1", std::nullopt, std::nullopt, std::nullopt});
  BOOST_REQUIRE(made.ok());
  BOOST_TEST(made->login == "B-1");
  BOOST_TEST(made->name == "B-1");
  BOOST_TEST((made->roles == handheldRoles()));
  BOOST_TEST((put(*db, {"B-1", std::nullopt, RoleSet::of(Role::Supervisor), std::nullopt}).error().kind ==
             ErrorKind::Invalid));
  NewAccount boss;
  boss.login = "boss";
  boss.name = "Boss";
  boss.badge = "S-1";
  boss.roles = RoleSet::of(Role::Supervisor) | RoleSet::of(Role::Picker);
  BOOST_REQUIRE(ids.createAccount(boss).ok());
  BOOST_TEST((put(*db, {"S-1", std::nullopt, std::nullopt, false}).error().kind == ErrorKind::Forbidden));
  BOOST_TEST(ids.account("boss")->active);
  NewAccount pos;
  pos.login = "P-1";
  pos.name = "POS";
  pos.kind = AccountKind::Integration;
  pos.roles = RoleSet::of(Role::Integration);
  BOOST_REQUIRE(ids.createAccount(pos).ok());
  BOOST_TEST((put(*db, {"P-1", std::nullopt, std::nullopt, std::nullopt}).error().kind == ErrorKind::Conflict));
  std::vector<Account> holders;
  BOOST_REQUIRE(db->read([&](store::Tx& tx) -> Status {
                    holders = badgeHolders(tx);
                    return {};
                  }).ok());
  BOOST_REQUIRE_EQUAL(holders.size(), 2u);
  BOOST_TEST(holders[0].badge == "B-1");
  BOOST_TEST(holders[1].badge == "S-1");
}

BOOST_AUTO_TEST_SUITE_END()
