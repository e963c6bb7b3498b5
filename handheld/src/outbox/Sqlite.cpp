#include "Sqlite.h"

#include <sqlite3.h>

#include <utility>

namespace wms::handheld::sqlite {

// The marker that isCorruption() looks for; part of every message of a
// corrupt-file error so that callers need no sqlite codes.
constexpr std::string_view kCorruptMarker = "database file is unusable";

Error errorOf(int code, sqlite3* db, std::string_view doing) {
  const int primary = code & 0xFF;
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  std::string message = std::string(doing) + ": " + detail;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    return makeError(ErrorKind::Malformed, message + " (" + std::string(kCorruptMarker) + ")");
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN ||
      primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_PERM)
    return makeError(ErrorKind::Unavailable, message);
  return makeError(ErrorKind::Internal, message);
}

bool isCorruption(const Error& error) noexcept {
  return error.kind == ErrorKind::Malformed && error.message.find(kCorruptMarker) != std::string::npos;
}

// ---- Statement ------------------------------------------------------------------

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& o) noexcept
    : stmt_(std::exchange(o.stmt_, nullptr)), db_(o.db_), bindError_(o.bindError_) {}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    stmt_ = std::exchange(o.stmt_, nullptr);
    db_ = o.db_;
    bindError_ = o.bindError_;
  }
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bindError_ == 0) bindError_ = rc;
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value));
  if (rc != SQLITE_OK && bindError_ == 0) bindError_ = rc;
  return *this;
}

Result<bool> Statement::step() {
  if (bindError_ != 0) return errorOf(bindError_, db_, "binding a value");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return errorOf(rc, db_, std::string("running '") + sqlite3_sql(stmt_) + "'");
}

Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) return {};
  }
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  const int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bindError_ = 0;
}

// ---- Db ---------------------------------------------------------------------------

Db::~Db() { close(); }

Db::Db(Db&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    close();
    db_ = std::exchange(o.db_, nullptr);
  }
  return *this;
}

void Db::close() {
  // close_v2 defers the close until leftover statements are finalized, so
  // the order in which RAII objects die does not matter.
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Result<Db> Db::open(const std::filesystem::path& file, bool create) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Db db(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) return errorOf(rc, raw, "opening " + file.string());
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 2000);
  return db;
}

Status Db::exec(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (message) sqlite3_free(message);
  if (rc != SQLITE_OK) return errorOf(rc, db_, "running '" + sql.substr(0, 60) + "'");
  return {};
}

Result<Statement> Db::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    if (stmt) sqlite3_finalize(stmt);
    return errorOf(rc, db_, "preparing '" + std::string(sql.substr(0, 60)) + "'");
  }
  return Statement(stmt, db_);
}

}  // namespace wms::handheld::sqlite
