// For components that own tables (a Schema passed in DatabaseOptions): the
// POCO::Data session behind a Tx, so that their own repositories can run SQL
// on their own tables inside the same transaction as the store's changes.
// Valid only inside the work function that received the Tx. Components must
// not write the store's core tables through it; they use the repositories.
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
