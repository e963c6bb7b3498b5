// The POCO::Data session behind a Tx, for the store's own repositories.
// Private to server/store: every other component runs its SQL through
// wms/store/Query.h (statements prepared once per connection), so that POCO's
// statement layer stays inside the store (tests/server/stock/OwnershipTest.sh
// checks it). Valid only inside the work function that received the Tx.
#pragma once

namespace Poco::Data {
class Session;
}

namespace wms::store {

class Tx;

// The session of a read or write Tx.
Poco::Data::Session& sessionOf(Tx& tx);
// The session of a write Tx; throws std::logic_error inside Database::read.
Poco::Data::Session& writeSessionOf(Tx& tx);

}  // namespace wms::store
