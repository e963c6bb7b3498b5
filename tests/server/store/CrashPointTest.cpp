// store::crashPoint: armed by WMS_CRASH_POINTS, it kills the process inside
// the transaction, and what the transaction wrote never reaches the file;
// unarmed, malformed or for another name, it does nothing. Each case runs in
// a forked child (the variable is read once per process, and the point
// kills whoever passes it).
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdlib>

#include <sys/wait.h>
#include <unistd.h>

#include "wms/store/CrashPoint.h"
#include "wms/store/Database.h"
#include "wms/store/Query.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using wms::testsupport::TempDir;

namespace {

std::unique_ptr<store::Database> openNotes(const TempDir& dir) {
  store::DatabaseOptions o;
  o.path = dir / "wms.db";
  o.schemas.push_back({"test", {{1, "notes", {"CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL)"}}}});
  auto db = store::Database::open(o);
  if (!db) return nullptr;
  return std::move(*db);
}

// In a child with WMS_CRASH_POINTS = `armed`: a transaction that writes a
// note and passes the crash point "ship". Returns the child's wait status.
int passShipInChild(const TempDir& dir, const char* armed) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("WMS_CRASH_POINTS", armed, 1);
    auto db = openNotes(dir);
    if (!db) ::_exit(3);
    auto st = db->write([](store::Tx& tx) -> Status {
      store::exec(tx, "INSERT INTO notes(body) VALUES ('half-done')");
      store::crashPoint(tx, "ship");
      return {};
    });
    ::_exit(st ? 0 : 4);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

std::int64_t notes(const TempDir& dir) {
  auto db = openNotes(dir);
  BOOST_REQUIRE(db);
  std::int64_t n = -1;
  BOOST_REQUIRE(db->read([&](store::Tx& tx) -> Status {
    n = *store::queryInteger(tx, "SELECT COUNT(*) FROM notes");
    return {};
  }));
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crash_point)

BOOST_AUTO_TEST_CASE(an_armed_point_kills_the_process_inside_the_transaction_and_nothing_of_it_is_committed) {
  TempDir dir("wms-crash-point");
  const int status = passShipInChild(dir, "release:0.5,ship:1");
  BOOST_REQUIRE(WIFSIGNALED(status));
  BOOST_TEST(WTERMSIG(status) == SIGKILL);
  BOOST_TEST(notes(dir) == 0);
}

BOOST_AUTO_TEST_CASE(a_point_armed_at_chance_0_for_another_name_or_malformed_does_nothing) {
  for (const char* armed : {"ship:0", "release:1", "ship:2", "ship", ":1", "ship:1x", ""}) {
    TempDir dir("wms-crash-point");
    const int status = passShipInChild(dir, armed);
    BOOST_TEST_CONTEXT("WMS_CRASH_POINTS=" << armed) {
      BOOST_REQUIRE(WIFEXITED(status));
      BOOST_TEST(WEXITSTATUS(status) == 0);
      BOOST_TEST(notes(dir) == 1);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
