// The access table: for every route and page of wmsd, who may call it. It
// is written once, as a table in docs/security.md between the markers
//   <!-- access-table:begin -->  and  <!-- access-table:end -->
// with rows "| METHOD | `PATTERN` | WHO |", and compiled into wmsd from
// there, so the document and the server cannot disagree. WHO is one of
//   public     anyone (a page's assets, /healthz, the sign-in itself)
//   webhook    a sales platform, authenticated by its signature in the handler
//   signed-in  any signed-in person or valid token
//   ROLES      a comma-separated list of roles (wms/identity/Roles.h)
// The router refuses to register a route that has no row (Router::
// requireEntries), so a new route cannot be public by accident.
//
// Pure: no I/O. Threading: immutable once parsed; share freely.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/identity/Roles.h"

namespace wms::identity {

enum class Audience { Public, Webhook, SignedIn, Roles };

struct AccessEntry {
  std::string method;   // GET, POST, PUT, DELETE
  std::string pattern;  // as the route registers it, e.g. /api/v1/orders/{id}
  Audience audience = Audience::Roles;
  RoleSet roles;        // for Audience::Roles
  int line = 0;         // in the document, for messages

  // Whether an account holding `held` may call the route (never for
  // Public/Webhook, which need no account).
  bool allows(RoleSet held) const;
  std::string who() const;  // "public", "webhook", "signed-in" or the roles
};

class AccessTable {
 public:
  // Reads the table from the document's text. Malformed (naming the line)
  // for a row that does not parse, an unknown role, a method that is not
  // GET/POST/PUT/DELETE/PATCH, a pattern not starting with '/', a row given
  // twice, or no table at all.
  static Result<AccessTable> parse(std::string_view document);

  // The entry number of (method, pattern), as the router asks; nullopt if none.
  std::optional<int> find(std::string_view method, std::string_view pattern) const;
  const AccessEntry& entry(int index) const { return entries_.at(static_cast<std::size_t>(index)); }
  const std::vector<AccessEntry>& entries() const { return entries_; }

 private:
  std::vector<AccessEntry> entries_;
};

// The table compiled into wmsd (docs/security.md at build time).
const AccessTable& builtInAccessTable();
// The document's text as compiled in (for the check that routes and table agree).
std::string_view securityDocument();

}  // namespace wms::identity
