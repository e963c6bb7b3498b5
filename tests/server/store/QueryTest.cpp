// store::Query: statements prepared once per connection and reused, binding
// and reading values, nesting, and refusals (writes in a read, bad SQL,
// constraint failures) that roll the work back and leave the cache usable.
#include <boost/test/unit_test.hpp>

#include <thread>

#include "wms/store/Database.h"
#include "wms/store/Query.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using wms::testsupport::TempDir;

namespace {

std::unique_ptr<store::Database> openWithNotes(const TempDir& dir) {
  store::DatabaseOptions o;
  o.path = dir / "wms.db";
  o.schemas.push_back({"test", {{1, "notes", {"CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE, "
                                              "weight INTEGER, note TEXT)"}}}});
  auto db = store::Database::open(o);
  BOOST_REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.error().message));
  return std::move(*db);
}

std::int64_t countNotes(store::Database& db) {
  std::int64_t n = -1;
  BOOST_REQUIRE(db.read([&](store::Tx& tx) -> Status {
    n = *store::queryInteger(tx, "SELECT COUNT(*) FROM notes");
    return {};
  }));
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(query)

BOOST_AUTO_TEST_CASE(values_round_trip_and_a_reused_statement_starts_clean_each_time) {
  TempDir dir;
  auto db = openWithNotes(dir);
  for (int i = 0; i < 3; ++i) {
    BOOST_REQUIRE(db->write([&](store::Tx& tx) -> Status {
      // The same text every time: the second and third run reuse the statement.
      const std::string body = "note " + std::to_string(i) + " with 'quotes', ; and -- dashes";
      BOOST_TEST(store::exec(tx, "INSERT INTO notes(body, weight, note) VALUES (?, ?, ?)", body, i * 10,
                             i == 1 ? std::optional<std::string>() : std::optional<std::string>("n")) == 1u);
      return {};
    }));
  }
  BOOST_REQUIRE(db->read([&](store::Tx& tx) -> Status {
    store::Query q(tx, "SELECT body, weight, note FROM notes ORDER BY id");
    int row = 0;
    while (q.step()) {
      BOOST_TEST(q.text(0) == "note " + std::to_string(row) + " with 'quotes', ; and -- dashes");
      BOOST_TEST(q.integer(1) == row * 10);
      BOOST_TEST(q.isNull(2) == (row == 1));
      ++row;
    }
    BOOST_TEST(row == 3);
    return {};
  }));
  // Bindings do not leak into the next use: an unbound ? is NULL.
  BOOST_REQUIRE(db->read([&](store::Tx& tx) -> Status {
    BOOST_TEST(store::queryInteger(tx, "SELECT COUNT(*) FROM notes WHERE weight = ?", 20).value() == 1);
    store::Query q(tx, "SELECT COUNT(*) FROM notes WHERE weight = ?");
    BOOST_REQUIRE(q.step());
    BOOST_TEST(q.integer(0) == 0);
    return {};
  }));
}

BOOST_AUTO_TEST_CASE(the_same_text_nested_gets_its_own_statement) {
  TempDir dir;
  auto db = openWithNotes(dir);
  BOOST_REQUIRE(db->write([&](store::Tx& tx) -> Status {
    for (int i = 1; i <= 3; ++i) store::exec(tx, "INSERT INTO notes(body, weight) VALUES (?, ?)", std::to_string(i), i);
    return {};
  }));
  BOOST_REQUIRE(db->read([&](store::Tx& tx) -> Status {
    const char* sql = "SELECT weight FROM notes WHERE weight >= ? ORDER BY weight";
    store::Query outer(tx, sql);
    outer.bind(1);
    std::vector<std::int64_t> pairs;
    while (outer.step()) {
      store::Query inner(tx, sql);  // while outer is mid-way
      inner.bind(outer.integer(0));
      while (inner.step()) pairs.push_back(outer.integer(0) * 10 + inner.integer(0));
    }
    BOOST_TEST(pairs == (std::vector<std::int64_t>{11, 12, 13, 22, 23, 33}), boost::test_tools::per_element());
    return {};
  }));
}

BOOST_AUTO_TEST_CASE(a_write_inside_a_read_is_refused_and_changes_nothing) {
  TempDir dir;
  auto db = openWithNotes(dir);
  auto st = db->read([&](store::Tx& tx) -> Status {
    store::exec(tx, "INSERT INTO notes(body) VALUES ('sneaky')");
    return {};
  });
  BOOST_REQUIRE(!st.ok());
  BOOST_TEST(st.error().message.find("a write was attempted inside Database::read") != std::string::npos,
             st.error().message);
  BOOST_TEST(countNotes(*db) == 0);
}

BOOST_AUTO_TEST_CASE(sql_errors_name_the_statement_roll_back_the_work_and_leave_the_cache_usable) {
  TempDir dir;
  auto db = openWithNotes(dir);
  const char* insert = "INSERT INTO notes(body) VALUES (?)";
  BOOST_REQUIRE(db->write([&](store::Tx& tx) -> Status {
    store::exec(tx, insert, "once");
    return {};
  }));
  // A UNIQUE violation halfway: the first insert of this work is undone too.
  auto dup = db->write([&](store::Tx& tx) -> Status {
    store::exec(tx, insert, "twice");
    store::exec(tx, insert, "once");
    return {};
  });
  BOOST_REQUIRE(!dup.ok());
  BOOST_CHECK(dup.error().kind == ErrorKind::Internal);
  BOOST_TEST(dup.error().message.find("UNIQUE constraint failed: notes.body") != std::string::npos, dup.error().message);
  BOOST_TEST(dup.error().message.find("INSERT INTO notes") != std::string::npos, dup.error().message);
  BOOST_TEST(countNotes(*db) == 1);
  auto bad = db->write([&](store::Tx& tx) -> Status {
    store::exec(tx, "INSERT INTO no_such_table VALUES (1)");
    return {};
  });
  BOOST_REQUIRE(!bad.ok());
  BOOST_TEST(bad.error().message.find("no such table: no_such_table") != std::string::npos, bad.error().message);
  // Two statements in one text: the second would never run, so neither does.
  auto two = db->write([&](store::Tx& tx) -> Status {
    store::exec(tx, "INSERT INTO notes(body) VALUES ('a'); DELETE FROM notes");
    return {};
  });
  BOOST_REQUIRE(!two.ok());
  BOOST_TEST(two.error().message.find("more than one SQL statement") != std::string::npos, two.error().message);
  // The statement that failed mid-step was reset and works again.
  BOOST_REQUIRE(db->write([&](store::Tx& tx) -> Status {
    store::exec(tx, insert, "twice");
    return {};
  }));
  BOOST_TEST(countNotes(*db) == 2);
}

BOOST_AUTO_TEST_CASE(readers_on_other_threads_use_their_own_connections_statements) {
  TempDir dir;
  auto db = openWithNotes(dir);
  BOOST_REQUIRE(db->write([&](store::Tx& tx) -> Status {
    for (int i = 0; i < 100; ++i) store::exec(tx, "INSERT INTO notes(body, weight) VALUES (?, ?)", std::to_string(i), i);
    return {};
  }));
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto st = db->read([&](store::Tx& tx) -> Status {
          const int w = (t * 200 + i) % 100;
          if (store::queryInteger(tx, "SELECT weight FROM notes WHERE body = ?", std::to_string(w)) != w) ++wrong;
          return {};
        });
        if (!st) ++wrong;
      }
    });
  }
  for (auto& r : readers) r.join();
  BOOST_TEST(wrong == 0);
}

BOOST_AUTO_TEST_SUITE_END()
