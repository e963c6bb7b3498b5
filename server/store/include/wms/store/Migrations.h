// Internal: the versioned schema. Each migration runs once, in order, in its
// own transaction, and is recorded in schema_version.
#pragma once

#include <string>
#include <vector>

namespace wms::store {

struct Migration {
  int version;
  std::string description;
  std::vector<std::string> statements;
};

const std::vector<Migration>& migrations();

}  // namespace wms::store
