// Internal: what a Tx wraps. Repositories' sources use the POCO session.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <functional>

#include "wms/store/Tx.h"

namespace wms::store {

struct TxImpl {
  Poco::Data::Session& session;
  bool writable;
  const std::function<std::int64_t()>& clock;
};

// The session of a Tx; throws std::logic_error for a write on a read Tx.
inline Poco::Data::Session& session(Tx& tx) { return tx.impl().session; }
inline Poco::Data::Session& writeSession(Tx& tx) {
  if (!tx.writable()) throw std::logic_error("a write was attempted inside Database::read");
  return tx.impl().session;
}

}  // namespace wms::store
