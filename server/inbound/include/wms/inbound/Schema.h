// The inbound component's tables (component "inbound" in schema_version):
// purchase orders, their lines, the units (pallets, cartons) of their
// advance shipping notices with what each holds, and the receipts. Pass
// inboundSchema() in store::DatabaseOptions::schemas; docs/inbound.md
// describes every table.
#pragma once

#include "wms/store/Migrations.h"

namespace wms::inbound {

const store::Schema& inboundSchema();

}  // namespace wms::inbound
