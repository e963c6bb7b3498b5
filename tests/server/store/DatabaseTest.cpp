#include <sqlite3.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <future>
#include <mutex>
#include <thread>

#include "wms/store/CatalogRepository.h"
#include "wms/store/Database.h"
#include "wms/store/StockRepository.h"
#include "wms/store/Query.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using wms::testsupport::TempDir;

namespace {
std::unique_ptr<store::Database> openDb(const TempDir& dir, int maxBatch = 256) {
  store::DatabaseOptions o;
  o.path = dir / "wms.db";
  o.maxBatch = maxBatch;
  auto db = store::Database::open(o);
  BOOST_REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.error().message));
  return std::move(*db);
}

Status addSku(store::Database& db, const std::string& code) {
  return db.write([&](store::Tx& tx) {
    domain::Sku s;
    s.code = code;
    return store::CatalogRepository(tx).upsertSku(s);
  });
}
}  // namespace

BOOST_AUTO_TEST_SUITE(database)

BOOST_AUTO_TEST_CASE(a_new_file_is_migrated_to_the_latest_schema_and_reopens_without_change) {
  TempDir dir;
  {
    auto db = openDb(dir);
    BOOST_TEST(db->schemaVersion() == store::latestSchemaVersion());
    BOOST_TEST(addSku(*db, "A1").ok());
  }
  auto db = openDb(dir);
  BOOST_TEST(db->schemaVersion() == store::latestSchemaVersion());
  bool found = false;
  BOOST_TEST(db->read([&](store::Tx& tx) -> Status {
                 found = store::CatalogRepository(tx).skuExists("A1");
                 return {};
               }).ok());
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(a_database_from_a_newer_program_is_refused) {
  TempDir dir;
  { openDb(dir); }
  {
    // Simulate a newer program having migrated the file further.
    sqlite3* raw = nullptr;
    BOOST_REQUIRE(sqlite3_open((dir / "wms.db").c_str(), &raw) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_exec(raw, "INSERT INTO schema_version VALUES ('core', 999, 'future', 0)", nullptr, nullptr,
                               nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  store::DatabaseOptions o;
  o.path = dir / "wms.db";
  auto db = store::Database::open(o);
  BOOST_REQUIRE(!db.ok());
  BOOST_CHECK(db.error().kind == ErrorKind::Conflict);
  BOOST_TEST(db.error().message.find("999") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(component_schemas_are_migrated_independently_and_once) {
  TempDir dir;
  store::Schema extra{"extra", {{1, "a table", {"CREATE TABLE extra_things(id INTEGER PRIMARY KEY)"}},
                                {2, "a column", {"ALTER TABLE extra_things ADD COLUMN name TEXT"}}}};
  for (int round = 0; round < 2; ++round) {
    store::DatabaseOptions o;
    o.path = dir / "wms.db";
    o.schemas = {extra};
    auto db = store::Database::open(o);
    BOOST_REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.error().message));
    BOOST_TEST((*db)->schemaVersion("extra") == 2);
    BOOST_TEST((*db)->schemaVersion("core") == store::latestSchemaVersion());
  }
}

BOOST_AUTO_TEST_CASE(a_failed_write_leaves_nothing_behind) {
  TempDir dir;
  auto db = openDb(dir);
  auto st = db->write([&](store::Tx& tx) -> Status {
    domain::Sku s;
    s.code = "GONE";
    BOOST_REQUIRE(store::CatalogRepository(tx).upsertSku(s).ok());
    return Error{ErrorKind::Invalid, "changed my mind"};
  });
  BOOST_TEST(!st.ok());
  bool exists = true;
  (void)db->read([&](store::Tx& tx) -> Status {
    exists = store::CatalogRepository(tx).skuExists("GONE");
    return {};
  });
  BOOST_TEST(!exists);
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_write_becomes_an_internal_error_and_rolls_back) {
  TempDir dir;
  auto db = openDb(dir);
  auto st = db->write([&](store::Tx& tx) -> Status {
    domain::Sku s;
    s.code = "BOOM";
    BOOST_REQUIRE(store::CatalogRepository(tx).upsertSku(s).ok());
    throw std::runtime_error("boom");
  });
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK(st.error().kind == ErrorKind::Internal);
  BOOST_TEST(addSku(*db, "BOOM").ok());  // no leftover row conflicts
}

BOOST_AUTO_TEST_CASE(the_ledger_refuses_updates_and_deletes) {
  TempDir dir;
  auto db = openDb(dir);
  BOOST_REQUIRE(addSku(*db, "A1").ok());
  db.reset();
  sqlite3* raw = nullptr;
  BOOST_REQUIRE(sqlite3_open((dir / "wms.db").c_str(), &raw) == SQLITE_OK);
  // A row as the stock core writes them (its moves are the only writers).
  BOOST_REQUIRE(sqlite3_exec(raw,
                             "INSERT INTO ledger(at, sku, delta_on_hand, delta_allocated, cause) "
                             "VALUES (1, 'A1', 1, 0, 'receipt')",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
  char* msg = nullptr;
  BOOST_TEST(sqlite3_exec(raw, "UPDATE ledger SET delta_on_hand = 100", nullptr, nullptr, &msg) != SQLITE_OK);
  BOOST_TEST(std::string(msg ? msg : "").find("append-only") != std::string::npos);
  sqlite3_free(msg);
  BOOST_TEST(sqlite3_exec(raw, "DELETE FROM ledger", nullptr, nullptr, nullptr) != SQLITE_OK);
  sqlite3_close(raw);
}

BOOST_AUTO_TEST_CASE(stock_figures_cannot_be_committed_negative_even_by_a_bug) {
  TempDir dir;
  auto db = openDb(dir);
  BOOST_REQUIRE(addSku(*db, "A1").ok());
  // Bypass the repositories' checks, as a bug would: the CHECKs refuse it.
  sqlite3* raw = nullptr;
  BOOST_REQUIRE(sqlite3_open((dir / "wms.db").c_str(), &raw) == SQLITE_OK);
  BOOST_TEST(sqlite3_exec(raw, "UPDATE sku_stock SET on_hand = -1", nullptr, nullptr, nullptr) != SQLITE_OK);
  BOOST_TEST(sqlite3_exec(raw, "UPDATE sku_stock SET allocated = 5", nullptr, nullptr, nullptr) != SQLITE_OK);
  sqlite3_close(raw);
}

BOOST_AUTO_TEST_CASE(concurrent_writes_are_group_committed) {
  TempDir dir;
  auto db = openDb(dir);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i)
        if (!addSku(*db, "S" + std::to_string(t) + "-" + std::to_string(i)).ok()) ++failures;
    });
  }
  for (auto& th : threads) th.join();
  BOOST_TEST(failures == 0);
  auto stats = db->stats();
  BOOST_TEST(stats.writes == 400u);
  // With 8 writers each waiting for its commit, batches form on their own.
  BOOST_TEST(stats.commits < stats.writes);
}

BOOST_AUTO_TEST_CASE(a_lone_write_runs_on_the_calling_thread_and_one_that_waits_runs_on_the_writer) {
  TempDir dir;
  auto db = openDb(dir);
  std::thread::id ran;
  BOOST_REQUIRE(db->write([&](store::Tx&) -> Status {
    ran = std::this_thread::get_id();
    return {};
  }));
  BOOST_TEST((ran == std::this_thread::get_id()));  // nothing queued: no hand-off
  // While one write runs, a second from another thread waits in the queue
  // and is then done by the writer thread: neither caller's thread.
  std::promise<void> firstStarted, releaseFirst;
  std::thread::id secondRan;
  std::thread first([&] {
    (void)db->write([&](store::Tx&) -> Status {
      firstStarted.set_value();
      releaseFirst.get_future().wait();
      return {};
    });
  });
  firstStarted.get_future().wait();
  std::thread second([&] {
    BOOST_CHECK(db->write([&](store::Tx&) -> Status {
      secondRan = std::this_thread::get_id();
      return {};
    }));
  });
  const auto secondId = second.get_id();
  while (db->stats().queued == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  releaseFirst.set_value();
  first.join();
  second.join();
  BOOST_TEST((secondRan != secondId));
  BOOST_TEST((secondRan != std::thread::id()));
  BOOST_TEST(db->stats().writes == 3u);
}

BOOST_AUTO_TEST_CASE(a_nested_savepoint_undoes_only_its_own_changes) {
  TempDir dir;
  auto db = openDb(dir);
  BOOST_REQUIRE(db->write([&](store::Tx& tx) -> Status {
                    store::CatalogRepository cat(tx);
                    domain::Sku keep;
                    keep.code = "KEEP";
                    BOOST_REQUIRE(cat.upsertSku(keep).ok());
                    auto inner = tx.atomically([&]() -> Status {
                      domain::Sku drop;
                      drop.code = "DROP";
                      BOOST_REQUIRE(cat.upsertSku(drop).ok());
                      return Error{ErrorKind::Invalid, "no"};
                    });
                    BOOST_TEST(!inner.ok());
                    return {};
                  }).ok());
  bool keep = false, drop = true;
  (void)db->read([&](store::Tx& tx) -> Status {
    keep = store::CatalogRepository(tx).skuExists("KEEP");
    drop = store::CatalogRepository(tx).skuExists("DROP");
    return {};
  });
  BOOST_TEST(keep);
  BOOST_TEST(!drop);
}

// The fault seam (store::Fault): what a failed fsync or an unreadable file
// does to a caller, reproduced on demand.
BOOST_AUTO_TEST_CASE(an_injected_commit_failure_applies_nothing_of_the_batch_and_the_next_write_commits) {
  TempDir dir;
  auto db = openDb(dir);
  db->injectFault(store::Fault::Commit);
  auto failed = addSku(*db, "LOST");
  BOOST_REQUIRE(!failed.ok());
  BOOST_TEST((failed.error().kind == ErrorKind::Unavailable));
  BOOST_TEST(failed.error().message.find("injected fault: fsync") != std::string::npos);
  BOOST_TEST(addSku(*db, "KEPT").ok());
  BOOST_TEST(db->read([&](store::Tx& tx) -> Status {
                 BOOST_TEST(!store::CatalogRepository(tx).skuExists("LOST"));
                 BOOST_TEST(store::CatalogRepository(tx).skuExists("KEPT"));
                 return {};
               }).ok());
  BOOST_TEST(db->stats().failedWrites == 1u);
}

BOOST_AUTO_TEST_CASE(an_injected_read_failure_is_unavailable_and_disarming_the_seam_ends_it) {
  TempDir dir;
  auto db = openDb(dir);
  db->injectFault(store::Fault::Read, 3);
  bool ran = false;
  auto failed = db->read([&](store::Tx&) -> Status {
    ran = true;
    return {};
  });
  BOOST_REQUIRE(!failed.ok());
  BOOST_TEST((failed.error().kind == ErrorKind::Unavailable));
  BOOST_TEST(!ran);
  BOOST_TEST(!db->read([](store::Tx&) -> Status { return {}; }).ok());
  db->injectFault(store::Fault::Read, 0);
  BOOST_TEST(db->read([](store::Tx&) -> Status { return {}; }).ok());
  BOOST_TEST(addSku(*db, "A1").ok());  // writes were never affected
}


// Issue 20: a full disk and a read-only file are the disk's trouble, not a
// bug: Unavailable naming it (HTTP 503, not 500), nothing applied, and
// writeHealth() says so until 5 s pass without another such failure (a
// full disk lets small writes through).
BOOST_AUTO_TEST_CASE(a_full_disk_or_a_read_only_file_is_unavailable_naming_it_and_write_health_says_so_for_5_s) {
  TempDir dir;
  std::atomic<std::int64_t> now{1'000'000};
  store::DatabaseOptions o;
  o.path = dir / "wms.db";
  o.clock = [&now] { return now.load(); };
  auto opened = store::Database::open(o);
  BOOST_REQUIRE(opened.ok());
  auto& db = **opened;
  BOOST_TEST(db.writeHealth().ok);
  BOOST_TEST(db.probeWrite().ok());

  db.injectFault(store::Fault::DiskFull);
  auto full = addSku(db, "LOST-1");
  BOOST_REQUIRE(!full.ok());
  BOOST_TEST((full.error().kind == ErrorKind::Unavailable));
  BOOST_TEST(full.error().message.find("the disk is full (" + (dir / "wms.db").string() + ")") != std::string::npos,
             full.error().message);
  BOOST_TEST(!db.writeHealth().ok);
  BOOST_TEST(db.writeHealth().sinceMs == 1'000'000);

  // A write that succeeds right after does not end the outage; 5 s later one does.
  now += 1000;
  BOOST_TEST(addSku(db, "KEPT-1").ok());
  BOOST_TEST(!db.writeHealth().ok);
  now += 5000;
  BOOST_TEST(addSku(db, "KEPT-2").ok());
  BOOST_TEST(db.writeHealth().ok);

  db.injectFault(store::Fault::ReadOnly);
  auto readOnly = addSku(db, "LOST-2");
  BOOST_REQUIRE(!readOnly.ok());
  BOOST_TEST((readOnly.error().kind == ErrorKind::Unavailable));
  BOOST_TEST(readOnly.error().message.find("read-only") != std::string::npos, readOnly.error().message);
  BOOST_TEST(db.writeHealth().reason.find("read-only") != std::string::npos);
  BOOST_TEST(db.read([&](store::Tx& tx) -> Status {
                 BOOST_TEST(!store::CatalogRepository(tx).skuExists("LOST-1"));
                 BOOST_TEST(!store::CatalogRepository(tx).skuExists("LOST-2"));
                 BOOST_TEST(store::CatalogRepository(tx).skuExists("KEPT-2"));
                 return {};
               }).ok());
}

BOOST_AUTO_TEST_CASE(an_attachment_commits_with_the_first_successful_write_or_not_at_all) {
  TempDir dir;
  auto db = openDb(dir);
  // A table of the test's own for what rides along (as the audit trail does).
  BOOST_REQUIRE(db->write([](store::Tx& tx) -> Status {
    store::exec(tx, "CREATE TABLE notes(what TEXT NOT NULL)");
    return {};
  }));
  auto count = [&](const std::string& what) {
    std::int64_t n = 0;
    BOOST_REQUIRE(db->read([&](store::Tx& tx) -> Status {
      n = store::queryInteger(tx, "SELECT COUNT(*) FROM notes WHERE what = ?", what).value_or(0) +
          store::queryInteger(tx, "SELECT COUNT(*) FROM skus WHERE code = ?", what).value_or(0);
      return {};
    }));
    return n;
  };
  auto also = [](const std::string& what) {
    return [what](store::Tx& tx) { store::exec(tx, "INSERT INTO notes(what) VALUES (?)", what); };
  };
  {  // A failed write does not carry it; the next successful one does, once.
    store::WriteAttachment a(also("AUDIT-1"));
    BOOST_TEST(!db->write([](store::Tx&) -> Status { return Error{ErrorKind::Conflict, "no"}; }));
    BOOST_TEST(!a.committed());
    BOOST_TEST(count("AUDIT-1") == 0);
    BOOST_REQUIRE(addSku(*db, "EFFECT-1"));
    BOOST_TEST(a.committed());
    BOOST_REQUIRE(addSku(*db, "EFFECT-2"));
    BOOST_TEST(count("AUDIT-1") == 1);
  }
  {  // A commit that fails takes both with it.
    store::WriteAttachment a(also("AUDIT-2"));
    db->injectFault(store::Fault::Commit);
    BOOST_TEST(!addSku(*db, "EFFECT-3"));
    BOOST_TEST(!a.committed());
    BOOST_TEST(count("AUDIT-2") + count("EFFECT-3") == 0);
  }
  {  // An attachment that fails undoes the work.
    store::WriteAttachment a([](store::Tx&) { throw std::runtime_error("audit table full"); });
    BOOST_TEST(!addSku(*db, "EFFECT-4"));
    BOOST_TEST(count("EFFECT-4") == 0);
  }
  // Gone with its scope: later writes carry nothing.
  BOOST_REQUIRE(addSku(*db, "EFFECT-5"));
  BOOST_TEST(count("AUDIT-2") == 0);
}

// The commit hook (DatabaseOptions::onCommit) the dashboard's change feed
// listens on: it names what a committed write touched, once, and nothing
// that was rolled back.
namespace {
struct CommitLog {
  std::mutex mutex;
  std::vector<std::vector<std::string>> reports;
  std::vector<std::vector<std::string>> taken() {
    std::lock_guard lock(mutex);
    return reports;
  }
};

std::unique_ptr<store::Database> openWatched(const TempDir& dir, CommitLog& log) {
  store::DatabaseOptions o;
  o.path = dir / "wms.db";
  o.onCommit = [&log](const std::vector<std::string>& tables) {
    std::lock_guard lock(log.mutex);
    log.reports.push_back(tables);
  };
  auto db = store::Database::open(o);
  BOOST_REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.error().message));
  return std::move(*db);
}

// A SKU (with its sku_stock row) and a location.
Status addSkuAndLocation(store::Database& db, const std::string& code) {
  return db.write([&](store::Tx& tx) -> Status {
    domain::Sku s;
    s.code = code;
    if (auto st = store::CatalogRepository(tx).upsertSku(s); !st) return st;
    store::exec(tx, "INSERT INTO locations(code, created_at) VALUES (?, 0)", code);
    // A second row of the same table: still named once.
    store::exec(tx, "UPDATE locations SET zone = 'A' WHERE code = ?", code);
    return {};
  });
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_committed_write_names_each_table_it_wrote_once_sorted) {
  TempDir dir;
  CommitLog log;
  auto db = openWatched(dir, log);
  BOOST_REQUIRE(addSkuAndLocation(*db, "TWO-TABLES").ok());
  const auto reports = log.taken();
  BOOST_REQUIRE_EQUAL(reports.size(), 1u);
  BOOST_TEST(reports[0] == (std::vector<std::string>{"locations", "sku_stock", "skus"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_failed_write_or_a_failed_commit_names_nothing) {
  TempDir dir;
  CommitLog log;
  auto db = openWatched(dir, log);
  auto refused = db->write([&](store::Tx& tx) -> Status {
    domain::Sku s;
    s.code = "GONE";
    BOOST_REQUIRE(store::CatalogRepository(tx).upsertSku(s).ok());
    return Error{ErrorKind::Invalid, "changed my mind"};
  });
  BOOST_TEST(!refused.ok());
  db->injectFault(store::Fault::Commit);
  BOOST_TEST(!addSkuAndLocation(*db, "LOST").ok());
  BOOST_TEST(log.taken().empty());
  // ...and the next write after them is named as usual.
  BOOST_REQUIRE(addSku(*db, "KEPT").ok());
  const auto reports = log.taken();
  BOOST_REQUIRE_EQUAL(reports.size(), 1u);
  BOOST_TEST(reports[0] == (std::vector<std::string>{"sku_stock", "skus"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(writes_group_committed_together_are_named_in_one_report_without_the_failed_one) {
  TempDir dir;
  CommitLog log;
  auto db = openWatched(dir, log);
  // Hold the writer busy so that the next three queue up and commit as one batch.
  std::promise<void> entered, release;
  auto holder = std::async(std::launch::async, [&] {
    return db->write([&](store::Tx&) -> Status {
      entered.set_value();
      release.get_future().wait();
      return {};
    });
  });
  entered.get_future().wait();
  auto sku = std::async(std::launch::async, [&] { return addSku(*db, "BATCHED"); });
  auto failed = std::async(std::launch::async, [&] {
    return db->write([&](store::Tx& tx) -> Status {
      store::exec(tx, "INSERT INTO locations(code, created_at) VALUES ('NOT-KEPT', 0)");
      return Error{ErrorKind::Invalid, "no"};
    });
  });
  while (db->stats().queued < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  release.set_value();
  BOOST_TEST(holder.get().ok());
  BOOST_TEST(sku.get().ok());
  BOOST_TEST(!failed.get().ok());
  std::vector<std::string> named;
  for (const auto& r : log.taken()) named.insert(named.end(), r.begin(), r.end());
  BOOST_TEST(named == (std::vector<std::string>{"sku_stock", "skus"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
