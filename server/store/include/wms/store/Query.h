// Query: one SQL statement run inside a Tx, prepared once per connection and
// reused after that. Parsing and planning an SQLite statement costs more than
// running a typical one-row statement, so the order-intake and pick paths,
// which run a dozen statements per transaction, use this instead of building
// a POCO::Data statement each time (docs/benchmarks.md, store).
//
//   store::Query q(tx, "SELECT on_hand, allocated FROM sku_stock WHERE sku = ?");
//   q.bind(sku);
//   if (q.step()) use(q.integer(0), q.integer(1));
//
//   std::size_t changed = store::exec(tx, "UPDATE t SET a = ? WHERE id = ?", a, id);
//
// The SQL text is the cache key: pass constant text and bind every value
// (never build SQL from values). A statement that writes is refused inside
// Database::read (std::logic_error). SQLite errors (a constraint, a full disk)
// are thrown as std::runtime_error naming the statement; Database turns them
// into an Internal error and rolls the work back.
//
// Threading and lifetime: a Query belongs to the Tx's work function and must
// not outlive it. Queries may nest (a second Query with the same text while
// the first is still stepping gets a statement of its own).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace wms::store {

class Tx;
class StatementCache;

class Query {
 public:
  Query(Tx& tx, std::string_view sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Binds the next `?` (left to right).
  Query& bind(std::int64_t value);
  Query& bind(int value) { return bind(static_cast<std::int64_t>(value)); }
  Query& bind(bool value) { return bind(static_cast<std::int64_t>(value ? 1 : 0)); }
  Query& bind(std::string_view value);
  Query& bind(const std::string& value) { return bind(std::string_view(value)); }
  Query& bind(const char* value) { return bind(std::string_view(value)); }
  // Binds bytes as a BLOB (a document, an image): stored and read back
  // exactly, whatever they hold.
  Query& bindBlob(std::string_view bytes);
  Query& bindNull();
  template <class T>
  Query& bind(const std::optional<T>& value) {
    return value ? bind(*value) : bindNull();
  }

  // Advances to the next row: true if there is one, false when done.
  bool step();
  // Runs the statement to the end; the rows it changed.
  std::size_t run();

  // Columns of the current row, from 0. NULL reads as 0 / "".
  std::int64_t integer(int column) const;
  std::string text(int column) const;
  bool isNull(int column) const;

 private:
  StatementCache& cache_;
  sqlite3_stmt* stmt_ = nullptr;
  bool* busy_ = nullptr;  // the cache's flag; null if prepared for this Query alone
  int next_ = 1;
};

// Binds args in order, runs the statement, returns the rows it changed.
template <class... Args>
std::size_t exec(Tx& tx, std::string_view sql, const Args&... args) {
  Query q(tx, sql);
  (q.bind(args), ...);
  return q.run();
}

// The first column of the first row, or nullopt when there is no row.
template <class... Args>
std::optional<std::int64_t> queryInteger(Tx& tx, std::string_view sql, const Args&... args) {
  Query q(tx, sql);
  (q.bind(args), ...);
  if (!q.step()) return std::nullopt;
  return q.integer(0);
}

}  // namespace wms::store
