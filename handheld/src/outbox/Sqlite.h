// The one wrapper of the sqlite3 C API in the handheld: RAII handles, every
// result code turned into a Status/Result here (with sqlite's own message),
// nothing thrown. Only the outbox uses it.
//
// Threading: a Db and its statements are used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wms/common/Result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace wms::handheld::sqlite {

class Db;

// A prepared statement; finalized by the destructor. Non-copyable, movable.
class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;

  // Parameters count from 1, as in SQL.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  // One step: true with a row to read, false when done. Errors carry
  // sqlite's message; the kind is Internal, or Unavailable for a busy or
  // unwritable database, or Malformed for a corrupt one.
  Result<bool> step();
  // Runs to completion (for statements without rows).
  Status run();
  std::string text(int column) const;
  std::int64_t integer(int column) const;
  bool isNull(int column) const;
  // Clears bindings and rewinds for another run.
  void reset();

 private:
  friend class Db;
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  int bindError_ = 0;
};

// A database connection; closed by the destructor. Non-copyable, movable.
class Db {
 public:
  Db() = default;
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  Db(Db&& o) noexcept;
  Db& operator=(Db&& o) noexcept;

  // Opens (creating if `create`) a file. Errors as Statement::step.
  static Result<Db> open(const std::filesystem::path& file, bool create);

  Status exec(const std::string& sql);
  Result<Statement> prepare(std::string_view sql);
  // Closes now (the destructor would); safe to call twice.
  void close();
  bool isOpen() const noexcept { return db_ != nullptr; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// The Error for an sqlite result code, naming what was being done.
Error errorOf(int code, sqlite3* db, std::string_view doing);

// True for errors that mean the file itself is unusable (not a database,
// corrupt), as opposed to a busy or unwritable one.
bool isCorruption(const Error& error) noexcept;

}  // namespace wms::handheld::sqlite
