// Internal: what a Tx wraps. Repositories' sources use the POCO session.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <functional>
#include <memory>

#include "StatementCache.h"
#include "wms/store/Tx.h"

namespace wms::store {

struct TxImpl {
  Poco::Data::Session& session;
  StatementCache& statements;  // of the same connection (wms/store/Query.h)
  bool writable;
  const std::function<std::int64_t()>& clock;
};

// A connection: the POCO session and its prepared statements, which are
// finalized first (members are destroyed in reverse order).
struct Connection {
  std::unique_ptr<Poco::Data::Session> session;
  std::unique_ptr<StatementCache> statements;
  // Database::Impl's connection generation when it was opened: pooled
  // readers of an older one are closed, not reused (see readyWriter()).
  int generation = 0;
};

// The session of a Tx; throws std::logic_error for a write on a read Tx.
inline Poco::Data::Session& session(Tx& tx) { return tx.impl().session; }
inline Poco::Data::Session& writeSession(Tx& tx) {
  if (!tx.writable()) throw std::logic_error("a write was attempted inside Database::read");
  return tx.impl().session;
}

}  // namespace wms::store
