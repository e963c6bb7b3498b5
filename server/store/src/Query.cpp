#include "wms/store/Query.h"

#include <stdexcept>

#include "StatementCache.h"
#include "TxImpl.h"

namespace wms::store {
namespace {

[[noreturn]] void fail(sqlite3* db, sqlite3_stmt* stmt, const char* what) {
  const char* sql = stmt ? sqlite3_sql(stmt) : nullptr;
  throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db) +
                           (sql ? " (in: " + std::string(sql).substr(0, 80) + ")" : std::string()));
}

}  // namespace

StatementCache::~StatementCache() {
  for (auto& [sql, e] : entries_) sqlite3_finalize(e.stmt);
}

sqlite3_stmt* StatementCache::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, &tail) !=
      SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw std::runtime_error("cannot prepare SQL: " + std::string(sqlite3_errmsg(db_)) + " (in: " +
                             std::string(sql.substr(0, 80)) + ")");
  }
  if (!stmt) throw std::runtime_error("no SQL statement in: " + std::string(sql.substr(0, 80)));
  // Only the first statement would ever run: refuse the text instead of
  // silently dropping the rest.
  const std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
  if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(stmt);
    throw std::runtime_error("more than one SQL statement in: " + std::string(sql.substr(0, 80)));
  }
  return stmt;
}

StatementCache::Lease StatementCache::acquire(std::string_view sql) {
  auto it = entries_.find(sql);
  if (it == entries_.end()) it = entries_.emplace(std::string(sql), Entry{prepare(sql), false}).first;
  if (it->second.busy) return Lease{prepare(sql), nullptr};
  it->second.busy = true;
  return Lease{it->second.stmt, &it->second.busy};
}

void StatementCache::release(const Lease& lease) {
  if (!lease.busy) {
    sqlite3_finalize(lease.stmt);
    return;
  }
  sqlite3_reset(lease.stmt);
  sqlite3_clear_bindings(lease.stmt);
  *lease.busy = false;
}

Query::Query(Tx& tx, std::string_view sql) : cache_(tx.impl().statements) {
  const auto lease = cache_.acquire(sql);
  stmt_ = lease.stmt;
  busy_ = lease.busy;
  if (!tx.writable() && !sqlite3_stmt_readonly(stmt_)) {
    StatementCache::release(lease);
    throw std::logic_error("a write was attempted inside Database::read: " + std::string(sql.substr(0, 80)));
  }
}

Query::~Query() { StatementCache::release({stmt_, busy_}); }

Query& Query::bind(std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, next_++, value) != SQLITE_OK) fail(cache_.db(), stmt_, "cannot bind");
  return *this;
}

Query& Query::bind(std::string_view value) {
  if (sqlite3_bind_text64(stmt_, next_++, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
    fail(cache_.db(), stmt_, "cannot bind");
  return *this;
}

Query& Query::bindBlob(std::string_view bytes) {
  // An empty blob is bound as zero bytes, not NULL (sqlite3_bind_blob with a
  // null pointer would bind NULL).
  static const char kEmpty = 0;
  if (sqlite3_bind_blob64(stmt_, next_++, bytes.empty() ? &kEmpty : bytes.data(), bytes.size(), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    fail(cache_.db(), stmt_, "cannot bind");
  return *this;
}

Query& Query::bindNull() {
  if (sqlite3_bind_null(stmt_, next_++) != SQLITE_OK) fail(cache_.db(), stmt_, "cannot bind");
  return *this;
}

bool Query::step() {
  switch (sqlite3_step(stmt_)) {
    case SQLITE_ROW: return true;
    case SQLITE_DONE: return false;
    default: fail(cache_.db(), stmt_, "SQL failed");
  }
}

std::size_t Query::run() {
  while (step()) {
  }
  return static_cast<std::size_t>(sqlite3_changes64(cache_.db()));
}

std::int64_t Query::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Query::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

bool Query::isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

}  // namespace wms::store
