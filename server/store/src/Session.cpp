#include "Session.h"

#include "TxImpl.h"

namespace wms::store {

Poco::Data::Session& sessionOf(Tx& tx) { return session(tx); }
Poco::Data::Session& writeSessionOf(Tx& tx) { return writeSession(tx); }

}  // namespace wms::store
