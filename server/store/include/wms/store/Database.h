// The database: an SQLite file opened through POCO::Data, its schema kept
// current by versioned migrations, and two ways in:
//
//   write(work)  runs `work` inside a write transaction on the single writer
//                connection, one transaction at a time: on the writer thread,
//                or, when no other write is queued or running, on the calling
//                thread (saving two thread switches per write; see
//                docs/benchmarks.md). Writes that arrive together are
//                group-committed by the writer thread: one
//                COMMIT (one fsync) for many of them, each in its own
//                savepoint so that a failed one is rolled back alone. write()
//                returns only after the COMMIT, so an acknowledged write is on
//                disk (synchronous=FULL) or at least survives a process crash
//                (synchronous=NORMAL).
//   read(work)   runs `work` on the calling thread inside a read transaction
//                (a consistent snapshot) on a pooled connection.
//
// Because every write goes through one connection, one at a time,
// conditional updates such as "reserve if available >= n" are atomic without
// further locking.
//
// Threading: write() and read() may be called from any number of threads.
// `work` must only touch the database through the Tx it is given, must not
// block on anything else and must not call write()/read() itself.
// Lifetime: the destructor drains queued writes, then closes the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "wms/common/Result.h"
#include "wms/store/Migrations.h"

namespace wms::store {

class Tx;

enum class Durability {
  Full,    // fsync at every commit: an acknowledged write survives power loss
  Normal,  // WAL without fsync per commit: survives a process crash (kill -9)
};

struct DatabaseOptions {
  std::filesystem::path path;          // the SQLite file; created if missing
  Durability durability = Durability::Full;
  int busyTimeoutMs = 5000;            // how long a connection waits for a lock
  int maxBatch = 256;                  // most writes group-committed together
  int readConnections = 4;             // pooled read-only connections
  std::function<std::int64_t()> clock; // ms since epoch; default: system clock
  std::vector<Schema> schemas;         // components' schemas, applied after coreSchema()
  // Told after each successful COMMIT of the writer which tables it wrote
  // (inserted, updated or deleted rows of; sorted, each once), so that
  // others can learn of a change without polling (the dashboard's
  // ChangeFeed). Nothing for a rolled-back write or a failed commit; a
  // write undone by a nested savepoint (Tx::atomically) may still be
  // named: a table named without a change is harmless, a change never goes
  // unnamed. Migrations are not reported. Found with SQLite's update hook,
  // which does not see WITHOUT ROWID tables nor a DELETE of every row with
  // no WHERE (the truncate optimisation): the schemas have neither; keep it so.
  // Threading: called on whichever thread ran the batch (the writer thread
  // or a caller of write()), with the writer connection held: it must be
  // quick, must not block and must not use the Database. An exception from
  // it is swallowed (the commit has happened either way).
  std::function<void(const std::vector<std::string>& tables)> onCommit;
};

// Where a test makes the store fail as the disk would (see injectFault).
enum class Fault {
  Commit,  // the COMMIT fails as a failed fsync or a full disk makes it fail
           // (SQLITE_IOERR_FSYNC): the whole group-committed batch rolls back
  Read,    // a read transaction cannot start (the file cannot be read)
  DiskFull,  // the COMMIT fails as on a full disk (SQLITE_FULL)
  ReadOnly,  // the write cannot start: the file is read-only (SQLITE_READONLY)
};

// Whether writes reach the disk, as the last write found it.
struct WriteHealth {
  bool ok = true;
  std::string reason;       // for a person: "the disk is full (/var/lib/wms/wms.db)"
  std::int64_t sinceMs = 0; // when writes started failing (0 while ok)
};

struct DatabaseStats {
  std::uint64_t writes = 0;   // write() calls completed
  std::uint64_t commits = 0;  // transactions committed (writes / commits = batching)
  std::uint64_t failedWrites = 0;
  std::uint64_t queued = 0;  // writes waiting for the connection right now
};

// Work to ride along with this thread's next successful write, in the same
// transaction: the HTTP edge's audit row, so that a change and the record of
// who made it commit together or not at all. While an attachment lives, the
// first Database::write on its thread whose work succeeds runs `also` right
// after it, in its savepoint (an exception from `also` undoes the work too);
// later writes do not. Reads are untouched.
//
// Threading: installed on and used by the constructing thread only; `also`
// may run on the writer thread while that thread waits in write(). Not
// nestable: an inner attachment hides the outer one until it goes.
class WriteAttachment {
 public:
  explicit WriteAttachment(std::function<void(Tx&)> also);
  ~WriteAttachment();
  WriteAttachment(const WriteAttachment&) = delete;
  WriteAttachment& operator=(const WriteAttachment&) = delete;

  // Whether a write carried it and committed.
  bool committed() const { return committed_; }

 private:
  friend class Database;
  std::function<void(Tx&)> also_;
  bool committed_ = false;
  WriteAttachment* outer_;
};

class Database {
 public:
  // Opens (creating if needed) the database and applies pending migrations
  // of the core schema and of options.schemas. Errors: Unavailable if the
  // file cannot be opened or written; Conflict if a schema in the file is
  // newer than this program knows.
  static Result<std::unique_ptr<Database>> open(DatabaseOptions options);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs `work` in a write transaction (see above). If `work` returns an
  // error or throws, its changes are rolled back and the error is returned
  // (an exception becomes an Internal error naming it). If the commit fails
  // the error is Unavailable and nothing of the batch was applied.
  Status write(const std::function<Status(Tx&)>& work);

  // Runs `work` in a read-only snapshot on the calling thread.
  Status read(const std::function<Status(Tx&)>& work);

  // Disk trouble is an expected failure, not a bug: a write that fails
  // because the disk is full, the file or its file system is read-only, or
  // the disk reports an I/O error returns Unavailable naming that, and
  // nothing of it is applied. The writer connection is opened again (at
  // most once a second) while it is read-only or after such a failure, so
  // writes work again by themselves once the disk does: no restart.
  //
  // probeWrite() rewrites one row through the normal write path (for
  // /healthz: reads alone cannot tell a full disk); writeHealth() says
  // whether writes failed for the disk's sake, until 5 s pass without such
  // a failure (a full disk lets small writes through: one success does not
  // end the outage).
  Status probeWrite();
  WriteHealth writeHealth() const;

  // The fault seam (LevelDB's Env idea, at the transaction boundary): the
  // next `count` commits or reads fail (0 disarms) with an Unavailable error naming
  // the injected fault, exactly as they would if the disk failed, so that
  // tests can show a caller or a background loop surviving it. SQLite does
  // its own fsyncs: a failed fsync reaches us as a failed COMMIT, which is
  // what Fault::Commit reproduces. Never armed outside tests.
  void injectFault(Fault where, int count = 1);

  // The version of a component's schema now in the file (0 if none).
  int schemaVersion(const std::string& component = "core") const;
  DatabaseStats stats() const;
  std::int64_t nowMs() const;

  // The file's path, for diagnostics.
  const std::filesystem::path& path() const;

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  Status writeJob(const std::function<Status(Tx&)>& work);
  std::unique_ptr<Impl> impl_;
};

// The newest core schema version this program knows.
int latestSchemaVersion();

}  // namespace wms::store
