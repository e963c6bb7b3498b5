// The identity component's tables (component "identity" in schema_version):
// accounts (people and machines), API tokens, web sessions, one-time
// sign-in links, failed sign-ins (for throttling) and the audit trail. Pass
// identitySchema() in store::DatabaseOptions::schemas; docs/security.md
// describes them.
#pragma once

#include "wms/store/Migrations.h"

namespace wms::identity {

const store::Schema& identitySchema();

}  // namespace wms::identity
