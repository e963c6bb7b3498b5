// The identity routes (docs/api.md, docs/security.md): sign-in and
// sign-out, who am I, one-time sign-in links, accounts, tokens and the
// audit trail. Each has its row in docs/security.md's access table.
#pragma once

#include <cstddef>

#include "wms/http/Router.h"
#include "wms/identity/Identity.h"

namespace wms::identity {

struct RestOptions {
  bool tls = false;  // cookies get Secure
  std::size_t maxBody = 64 * 1024;
};

// Adds the routes; `identity` must outlive the router.
void addIdentityRoutes(http::Router& router, IdentityService& identity, RestOptions options);

}  // namespace wms::identity
