// Internal: terse POCO::Data helpers for the packing tables. Values are bound
// by copy, so temporaries are safe; SQL text is never built from values.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace wms::packing::sql {

inline Poco::Int64 v(std::int64_t x) {
  return static_cast<Poco::Int64>(x);
}
inline Poco::Int64 v(int x) {
  return static_cast<Poco::Int64>(x);
}
inline Poco::Int64 v(bool x) {
  return x ? 1 : 0;
}
inline const std::string& v(const std::string& x) {
  return x;
}

// Executes a statement with bound values; returns the number of rows changed.
template <class... Args>
std::size_t exec(Poco::Data::Session& session, const std::string& text, const Args&... args) {
  Poco::Data::Statement stmt(session);
  stmt << text;
  (stmt, ..., Poco::Data::Keywords::bind(v(args)));
  return stmt.execute();
}

}  // namespace wms::packing::sql
