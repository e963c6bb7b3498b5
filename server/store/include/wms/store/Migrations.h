// Versioned schemas. Each component that keeps tables (the store's core,
// channels, waves, packing) owns one Schema: its name and its migrations in
// version order. Database::open applies every pending migration of every
// schema it is given, each in its own transaction, and records it in
// schema_version(component, version). A released migration is never edited:
// a change is a new migration.
#pragma once

#include <string>
#include <vector>

namespace wms::store {

struct Migration {
  int version;  // 1, 2, ... within its component
  std::string description;
  std::vector<std::string> statements;
};

struct Schema {
  std::string component;  // e.g. "core", "channels"
  std::vector<Migration> migrations;
};

// The store's own tables: catalogue, locations, stock, ledger, orders,
// idempotency keys. Always applied first.
const Schema& coreSchema();

}  // namespace wms::store
