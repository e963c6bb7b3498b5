// Internal: terse helpers for the repositories. sql::exec runs a statement
// through store::Query (prepared once per connection); v() maps values to
// what POCO::Data binds, for the queries still written with POCO. Values are
// bound by copy, so temporaries are safe; never build SQL text from values.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "wms/store/Query.h"
#include "wms/store/Tx.h"

namespace wms::store::sql {

inline Poco::Int64 v(std::int64_t x) { return static_cast<Poco::Int64>(x); }
inline Poco::Int64 v(int x) { return static_cast<Poco::Int64>(x); }
inline Poco::Int64 v(bool x) { return x ? 1 : 0; }
inline const std::string& v(const std::string& x) { return x; }

// Executes a statement with bound values (prepared once per connection, see
// wms/store/Query.h); returns the number of rows changed.
template <class... Args>
std::size_t exec(Tx& tx, std::string_view text, const Args&... args) {
  return store::exec(tx, text, v(args)...);
}

}  // namespace wms::store::sql
