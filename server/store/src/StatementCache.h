// Internal: the prepared statements of one SQLite connection, by SQL text.
// Owned next to the connection and destroyed before it (statements must be
// finalized before the connection closes). Used by one thread at a time,
// like the connection itself.
#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace wms::store {

class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  sqlite3* db() const { return db_; }

  // A statement lent out: `busy` points into the cache, or is null for one
  // prepared for a single use (its text was already lent out).
  struct Lease {
    sqlite3_stmt* stmt = nullptr;
    bool* busy = nullptr;
  };
  // The statement for `sql`, prepared now if it is new or lent out. Throws
  // std::runtime_error if SQLite cannot prepare it.
  Lease acquire(std::string_view sql);
  // Resets a leased statement for its next use (or finalizes a single-use one).
  static void release(const Lease& lease);

 private:
  struct Entry {
    sqlite3_stmt* stmt = nullptr;
    bool busy = false;
  };
  sqlite3_stmt* prepare(std::string_view sql);

  sqlite3* db_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace wms::store
