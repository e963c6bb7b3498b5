#include "wms/store/Database.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <map>
#include <optional>
#include <set>

#include "wms/store/Migrations.h"
#include "wms/store/Query.h"
#include "StatementCache.h"
#include "TxImpl.h"
#include "wms/store/Tx.h"

namespace wms::store {

int latestSchemaVersion() { return coreSchema().migrations.back().version; }

namespace {

// Raw sqlite3 calls are made here (pragmas, migrations' bookkeeping,
// transaction control) and in Query.cpp (prepared statements); POCO's
// statement layer would only wrap them in extra work. An error code becomes
// an exception here and a Status at the Database boundary.
struct SqliteError : std::runtime_error {
  int code;
  SqliteError(int rc, const std::string& what) : std::runtime_error(what), code(rc) {}
};

void exec(Poco::Data::Session& session, const std::string& sql) {
  sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session);
  char* msg = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
  if (rc != SQLITE_OK) {
    std::string text = msg ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    throw SqliteError(rc, text + " (in: " + sql.substr(0, 60) + ")");
  }
}

// Transaction control runs for every write: prepared once per connection,
// like the repositories' statements (wms/store/Query.h).
void exec(StatementCache& statements, std::string_view sql) {
  const auto lease = statements.acquire(sql);
  int rc = sqlite3_step(lease.stmt);
  while (rc == SQLITE_ROW) rc = sqlite3_step(lease.stmt);
  if (rc != SQLITE_DONE) {
    std::string text = sqlite3_errmsg(statements.db());
    StatementCache::release(lease);
    throw SqliteError(rc, text + " (in: " + std::string(sql.substr(0, 60)) + ")");
  }
  StatementCache::release(lease);
}

std::int64_t systemNowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Takes one armed fault, if any is left.
bool takeFault(std::atomic<int>& armed) {
  int n = armed.load();
  while (n > 0 && !armed.compare_exchange_weak(n, n - 1)) {
  }
  return n > 0;
}

Error unavailable(const std::string& what) { return Error{ErrorKind::Unavailable, "database: " + what}; }

// What a person should read for an SQLite error that is the disk's doing, or
// nullopt for any other error (a constraint, a bug in SQL).
std::optional<std::string> diskTrouble(int code, const std::filesystem::path& file) {
  switch (code & 0xff) {
    case SQLITE_FULL: return "the disk is full (" + file.string() + ")";
    case SQLITE_READONLY: return "the database file is read-only (" + file.string() + ")";
    case SQLITE_IOERR: return "disk I/O error (" + file.string() + ")";
    case SQLITE_CANTOPEN: return "cannot open the database file (" + file.string() + ")";
    default: return std::nullopt;
  }
}

int codeOf(const std::exception& e) {
  const auto* sqlite = dynamic_cast<const SqliteError*>(&e);
  return sqlite ? sqlite->code : SQLITE_ERROR;
}

// Runs work, converting exceptions (from POCO, SQLite or our own code) into
// an Internal error that names them.
Status runWork(const std::function<Status(Tx&)>& work, Tx& tx) {
  try {
    return work(tx);
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Internal, "database: " + e.displayText()};
  } catch (const std::exception& e) {
    return Error{ErrorKind::Internal, std::string("database: ") + e.what()};
  }
}

}  // namespace

bool Tx::writable() const { return impl_.writable; }
std::int64_t Tx::nowMs() const { return impl_.clock(); }

Status Tx::atomically(const std::function<Status()>& work) {
  (void)writeSession(*this);  // refuses a read Tx
  auto& s = impl_.statements;
  // Savepoint names nest by scope; one name is enough because SQLite rolls
  // back to the innermost savepoint of that name.
  exec(s, "SAVEPOINT nested");
  Status result;
  try {
    result = work();
  } catch (const Poco::Exception& e) {
    result = Error{ErrorKind::Internal, "database: " + e.displayText()};
  } catch (const std::exception& e) {
    result = Error{ErrorKind::Internal, std::string("database: ") + e.what()};
  }
  if (!result.ok()) exec(s, "ROLLBACK TO nested");
  exec(s, "RELEASE nested");
  return result;
}


struct Database::Impl {
  // Constant after construction.
  DatabaseOptions options;
  std::function<std::int64_t()> clock;

  // Used by whoever holds writerMutex: the writer thread, or a caller of
  // write() that found nothing queued (see Database::write).
  std::mutex writerMutex;
  Connection writer;

  // Protected by readMutex.
  std::mutex readMutex;
  std::vector<Connection> idleReaders;

  struct Job {
    const std::function<Status(Tx&)>* work;
    std::promise<Status> done;
  };
  // Protected by queueMutex.
  std::mutex queueMutex;
  std::condition_variable queueCv;
  std::deque<Job*> queue;
  bool stopping = false;

  std::thread writerThread;
  std::atomic<std::uint64_t> writes{0}, commits{0}, failedWrites{0};
  // Writes queued, or taken by the writer thread while it waits for the
  // connection: DatabaseStats::queued.
  std::atomic<std::uint64_t> waiting{0};
  // Armed by injectFault: how many commits / reads still fail, and how.
  std::atomic<int> failCommits{0}, failReads{0}, failFull{0}, failReadOnly{0};

  // What the last write found (writeHealth()); protected by healthMutex.
  mutable std::mutex healthMutex;
  WriteHealth health;
  // Used under writerMutex: the writer connection is opened again while it
  // is read-only or after a disk failure, at most once a second.
  bool reopenWriter = false;
  // Bumped at each reopen. SQLite shares one -shm mapping per file among a
  // process's connections: while any connection opened when the file was
  // read-only lives, a new one cannot write either, so the pooled readers
  // are closed too (those in use when they come back).
  std::atomic<int> generation{0};
  std::chrono::steady_clock::time_point lastReopen{};

  // A full disk still lets small writes through (SQLite reuses pages it
  // has), so one success does not end an outage: writes count as healthy
  // again only after kHealthyAfterMs without a disk failure.
  static constexpr std::int64_t kHealthyAfterMs = 5000;
  std::int64_t lastFailureMs = 0;  // protected by healthMutex

  void noteWrites(const std::optional<std::string>& trouble) {
    std::lock_guard lock(healthMutex);
    const std::int64_t now = clock();
    if (!trouble) {
      if (!health.ok && now - lastFailureMs >= kHealthyAfterMs) health = WriteHealth{};
      return;
    }
    if (health.ok) health.sinceMs = now;
    health.ok = false;
    health.reason = *trouble;
    lastFailureMs = now;
  }

  // True too while there is no writer connection (a reopen failed).
  bool writerReadOnly() const {
    return !writer.statements || sqlite3_db_readonly(writer.statements->db(), "main") == 1;
  }

  // Opens the writer connection again when it needs it; the reason the
  // writer cannot write now, or nullopt.
  std::optional<std::string> readyWriter() {
    if (!reopenWriter && !writerReadOnly()) return std::nullopt;
    const auto now = std::chrono::steady_clock::now();
    if (now - lastReopen >= std::chrono::seconds(1)) {
      lastReopen = now;
      ++generation;
      {
        std::vector<Connection> stale;
        std::lock_guard lock(readMutex);
        stale.swap(idleReaders);
      }
      // The old writer goes first, for the same reason as the readers.
      writer.statements.reset();  // statements before their connection
      writer.session.reset();
      try {
        writer = connect(false);
        reopenWriter = false;
      } catch (const std::exception& e) {
        return diskTrouble(codeOf(e), options.path).value_or("cannot open the database file (" +
                                                              options.path.string() + "): " + e.what());
      }
    }
    if (writerReadOnly()) return diskTrouble(SQLITE_READONLY, options.path);
    return std::nullopt;
  }
  std::map<std::string, int> versions;  // written by migrate() before the writer starts

  // Used under writerMutex: the tables written by the batch being run, for
  // options.onCommit. `touched` fills from SQLite's update hook during one
  // write; it joins `written` only if that write is kept.
  std::set<std::string, std::less<>> touched, written;

  // Called for every row written: a bulk import's million rows must not
  // each build a string.
  static void noteTable(void* self, int, const char*, const char* table, sqlite3_int64) {
    auto& touched = static_cast<Impl*>(self)->touched;
    if (touched.find(std::string_view(table)) == touched.end()) touched.emplace(table);
  }

  // The hook belongs to a connection, and the writer's is opened again
  // after disk trouble: set for each batch, not once.
  void watchWrites(sqlite3* db) {
    touched.clear();
    written.clear();
    if (options.onCommit) sqlite3_update_hook(db, &Impl::noteTable, this);
  }

  void reportCommit() {
    if (!options.onCommit || written.empty()) return;
    const std::vector<std::string> tables(written.begin(), written.end());
    written.clear();
    try {
      options.onCommit(tables);
    } catch (...) {
      // The commit happened; a listener's trouble is not the writer's.
    }
  }

  Connection connect(bool readOnly) {
    auto s = std::make_unique<Poco::Data::Session>("SQLite", options.path.string());
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(*s);
    sqlite3_busy_timeout(db, options.busyTimeoutMs);
    exec(*s, "PRAGMA foreign_keys = ON");
    exec(*s, options.durability == Durability::Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    if (readOnly) exec(*s, "PRAGMA query_only = ON");
    return Connection{std::move(s), std::make_unique<StatementCache>(db), generation.load()};
  }

  void migrate() {
    exec(*writer.session, "PRAGMA journal_mode = WAL");
    exec(*writer.session,
         "CREATE TABLE IF NOT EXISTS schema_version(component TEXT NOT NULL, version INTEGER NOT NULL, "
         "description TEXT NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (component, version))");
    std::vector<const Schema*> all = {&coreSchema()};
    for (const auto& s : options.schemas) all.push_back(&s);
    for (const Schema* schema : all) migrateOne(*schema);
  }

  void migrateOne(const Schema& schema) {
    sqlite3* db = writer.statements->db();
    auto currentVersion = [&] {
      sqlite3_stmt* stmt = nullptr;
      int rc = sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version WHERE component = ?", -1,
                                  &stmt, nullptr);
      if (rc != SQLITE_OK) throw SqliteError(rc, std::string("cannot read the schema version: ") + sqlite3_errmsg(db));
      sqlite3_bind_text(stmt, 1, schema.component.c_str(), -1, SQLITE_TRANSIENT);
      int v = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
      sqlite3_finalize(stmt);
      return v;
    };
    const int current = currentVersion();
    const int latest = schema.migrations.empty() ? 0 : schema.migrations.back().version;
    if (current > latest) {
      throw std::invalid_argument("the database's " + schema.component + " schema version " +
                                  std::to_string(current) + " is newer than this program's " + std::to_string(latest));
    }
    for (const auto& m : schema.migrations) {
      if (m.version <= current) continue;
      exec(*writer.session, "BEGIN IMMEDIATE");
      try {
        for (const auto& sql : m.statements) exec(*writer.session, sql);
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v2(db,
                                    "INSERT INTO schema_version(component, version, description, applied_at) "
                                    "VALUES (?, ?, ?, ?)",
                                    -1, &stmt, nullptr);
        if (rc != SQLITE_OK) throw SqliteError(rc, std::string("cannot record schema version: ") + sqlite3_errmsg(db));
        sqlite3_bind_text(stmt, 1, schema.component.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(stmt, 2, m.version);
        sqlite3_bind_text(stmt, 3, m.description.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(stmt, 4, clock());
        rc = sqlite3_step(stmt);
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE) throw SqliteError(rc, "cannot record schema version");
        exec(*writer.session, "COMMIT");
      } catch (...) {
        exec(*writer.session, "ROLLBACK");
        throw;
      }
    }
    versions[schema.component] = currentVersion();
  }

  void writerLoop() {
    std::vector<Job*> batch;
    for (;;) {
      {
        std::unique_lock lock(queueMutex);
        queueCv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping and drained
        while (!queue.empty() && batch.size() < static_cast<std::size_t>(options.maxBatch)) {
          batch.push_back(queue.front());
          queue.pop_front();
        }
      }
      {
        std::lock_guard writing(writerMutex);
        waiting -= batch.size();
        runBatch(batch);
      }
      batch.clear();
    }
  }

  void failAll(std::vector<Job*>& batch, const std::string& why) {
    for (auto* job : batch) job->done.set_value(unavailable(why));
    writes += batch.size();
    failedWrites += batch.size();
  }

  void runBatch(std::vector<Job*>& batch) {
    if (takeFault(failReadOnly)) {
      noteWrites(diskTrouble(SQLITE_READONLY, options.path));
      return failAll(batch, *diskTrouble(SQLITE_READONLY, options.path) + " (injected fault): nothing applied");
    }
    if (auto trouble = readyWriter()) {
      reopenWriter = true;
      noteWrites(trouble);
      return failAll(batch, *trouble + ": nothing applied");
    }
    std::vector<Status> results(batch.size());
    TxImpl txi{*writer.session, *writer.statements, true, clock};
    auto& w = *writer.statements;
    Tx tx(txi);
    watchWrites(w.db());
    try {
      exec(w, "BEGIN IMMEDIATE");
    } catch (const std::exception& e) {
      auto trouble = diskTrouble(codeOf(e), options.path);
      if (trouble) {
        reopenWriter = true;
        noteWrites(trouble);
      }
      return failAll(batch, trouble ? *trouble + ": nothing applied" : std::string("cannot begin a transaction: ") + e.what());
    }
    std::optional<std::string> trouble;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      try {
        exec(w, "SAVEPOINT w");
      } catch (const std::exception& e) {
        results[i] = unavailable(e.what());
        if (!trouble) trouble = diskTrouble(codeOf(e), options.path);
        continue;
      }
      touched.clear();
      results[i] = runWork(*batch[i]->work, tx);
      if (!results[i].ok() && results[i].error().kind == ErrorKind::Internal) {
        // An exception from SQLite's disk (a full disk while the WAL grows,
        // a file made read-only) is not a bug: Unavailable, with the reason.
        if (auto disk = diskTrouble(sqlite3_extended_errcode(w.db()), options.path)) {
          results[i] = unavailable(*disk + ": nothing applied (" + results[i].error().message + ")");
          if (!trouble) trouble = disk;
        }
      }
      try {
        if (!results[i].ok()) exec(w, "ROLLBACK TO w");
        exec(w, "RELEASE w");
        if (results[i].ok()) written.insert(touched.begin(), touched.end());
      } catch (const std::exception& e) {
        results[i] = unavailable(e.what());
        if (!trouble) trouble = diskTrouble(codeOf(e), options.path);
      }
    }
    bool committed = false;
    try {
      if (takeFault(failCommits)) throw SqliteError(SQLITE_IOERR_FSYNC, "disk I/O error (injected fault: fsync)");
      if (takeFault(failFull)) throw SqliteError(SQLITE_FULL, "database or disk is full (injected fault)");
      exec(w, "COMMIT");
      ++commits;
      committed = true;
    } catch (const std::exception& e) {
      written.clear();
      try { exec(w, "ROLLBACK"); } catch (...) {}
      auto disk = diskTrouble(codeOf(e), options.path);
      if (!trouble) trouble = disk;
      for (auto& r : results) {
        if (r.ok())
          r = unavailable(disk ? *disk + ": commit failed, nothing applied (" + e.what() + ")"
                               : std::string("commit failed, nothing applied: ") + e.what());
      }
    }
    if (committed) reportCommit();
    if (trouble) reopenWriter = true;
    noteWrites(trouble);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      ++writes;
      if (!results[i].ok()) ++failedWrites;
      batch[i]->done.set_value(std::move(results[i]));
    }
  }
};

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Database>> Database::open(DatabaseOptions options) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });

  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->clock = impl->options.clock ? impl->options.clock : systemNowMs;
  if (impl->options.maxBatch < 1) impl->options.maxBatch = 1;
  try {
    if (impl->options.path.has_parent_path()) std::filesystem::create_directories(impl->options.path.parent_path());
    impl->writer = impl->connect(false);
    impl->migrate();
  } catch (const std::invalid_argument& e) {
    return Error{ErrorKind::Conflict, e.what()};
  } catch (const Poco::Exception& e) {
    return unavailable("cannot open " + impl->options.path.string() + ": " + e.displayText());
  } catch (const std::exception& e) {
    return unavailable("cannot open " + impl->options.path.string() + ": " + e.what());
  }
  Impl* raw = impl.get();
  impl->writerThread = std::thread([raw] { raw->writerLoop(); });
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

Database::~Database() {
  {
    std::lock_guard lock(impl_->queueMutex);
    impl_->stopping = true;
  }
  impl_->queueCv.notify_all();
  if (impl_->writerThread.joinable()) impl_->writerThread.join();
}

namespace {
thread_local WriteAttachment* currentAttachment = nullptr;
}  // namespace

WriteAttachment::WriteAttachment(std::function<void(Tx&)> also) : also_(std::move(also)), outer_(currentAttachment) {
  currentAttachment = this;
}

WriteAttachment::~WriteAttachment() { currentAttachment = outer_; }

Status Database::write(const std::function<Status(Tx&)>& work) {
  WriteAttachment* attachment = currentAttachment && !currentAttachment->committed_ ? currentAttachment : nullptr;
  if (!attachment) return writeJob(work);
  // The attachment runs after the work, in its savepoint: both or neither.
  // It is marked only once the commit is known to have happened.
  bool ran = false;
  const std::function<Status(Tx&)> both = [&work, attachment, &ran](Tx& tx) -> Status {
    auto st = work(tx);
    if (!st) return st;
    attachment->also_(tx);
    ran = true;
    return st;
  };
  auto st = writeJob(both);
  if (st && ran) attachment->committed_ = true;
  return st;
}

Status Database::writeJob(const std::function<Status(Tx&)>& work) {
  Impl::Job job{&work, {}};
  auto future = job.done.get_future();
  {
    std::unique_lock lock(impl_->queueMutex);
    if (impl_->stopping) return unavailable("the database is shutting down");
    // Nothing queued and nobody writing: this thread does the write itself
    // instead of waking the writer thread and waiting to be woken. Writes
    // that arrive meanwhile queue up and are group-committed by the writer
    // thread once this one is done.
    if (impl_->queue.empty() && impl_->writerMutex.try_lock()) {
      std::lock_guard writing(impl_->writerMutex, std::adopt_lock);
      lock.unlock();
      std::vector<Impl::Job*> alone{&job};
      impl_->runBatch(alone);
      return future.get();
    }
    impl_->queue.push_back(&job);
    ++impl_->waiting;
  }
  impl_->queueCv.notify_one();
  return future.get();
}

Status Database::read(const std::function<Status(Tx&)>& work) {
  Connection c;
  {
    std::lock_guard lock(impl_->readMutex);
    if (!impl_->idleReaders.empty()) {
      c = std::move(impl_->idleReaders.back());
      impl_->idleReaders.pop_back();
    }
  }
  if (takeFault(impl_->failReads)) {
    if (c.session) {
      std::lock_guard lock(impl_->readMutex);
      impl_->idleReaders.push_back(std::move(c));
    }
    return unavailable("cannot start a read: disk I/O error (injected fault)");
  }
  try {
    if (!c.session) c = impl_->connect(true);
    exec(*c.statements, "BEGIN");
  } catch (const std::exception& e) {
    return unavailable(std::string("cannot start a read: ") + e.what());
  }
  TxImpl txi{*c.session, *c.statements, false, impl_->clock};
  Tx tx(txi);
  Status result = runWork(work, tx);
  bool healthy = true;
  try {
    exec(*c.statements, "COMMIT");
  } catch (...) {
    healthy = false;
  }
  if (healthy && c.generation == impl_->generation.load()) {
    std::lock_guard lock(impl_->readMutex);
    if (impl_->idleReaders.size() < static_cast<std::size_t>(impl_->options.readConnections))
      impl_->idleReaders.push_back(std::move(c));
  }
  return result;
}

void Database::injectFault(Fault where, int count) {
  auto& armed = where == Fault::Commit     ? impl_->failCommits
                : where == Fault::Read     ? impl_->failReads
                : where == Fault::DiskFull ? impl_->failFull
                                           : impl_->failReadOnly;
  armed = std::max(count, 0);
}

Status Database::probeWrite() {
  return write([](Tx& tx) -> Status {
    store::exec(tx, "INSERT INTO store_probe(id, at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at",
                tx.nowMs());
    return {};
  });
}

WriteHealth Database::writeHealth() const {
  std::lock_guard lock(impl_->healthMutex);
  return impl_->health;
}

int Database::schemaVersion(const std::string& component) const {
  auto it = impl_->versions.find(component);
  return it == impl_->versions.end() ? 0 : it->second;
}

DatabaseStats Database::stats() const {
  return DatabaseStats{impl_->writes.load(), impl_->commits.load(), impl_->failedWrites.load(),
                       impl_->waiting.load()};
}

std::int64_t Database::nowMs() const { return impl_->clock(); }

const std::filesystem::path& Database::path() const { return impl_->options.path; }

}  // namespace wms::store
