// A transaction handed to Database::write/read work. Repositories are built
// on it. Valid only inside the work function that received it.
#pragma once

#include <cstdint>
#include <functional>

#include "wms/common/Result.h"

namespace wms::store {

struct TxImpl;  // the connection and the clock; defined in the store's sources

class Tx {
 public:
  explicit Tx(TxImpl& impl) : impl_(impl) {}
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  // True inside Database::write (writes allowed), false inside read.
  bool writable() const;
  // The database clock's current time, ms since epoch.
  std::int64_t nowMs() const;

  // Runs `work` in a nested savepoint of this write transaction: if it
  // returns an error or throws, its changes alone are undone and the error
  // returned (an exception as an Internal error). Only inside Database::write.
  Status atomically(const std::function<Status()>& work);

  TxImpl& impl() { return impl_; }

 private:
  TxImpl& impl_;
};

}  // namespace wms::store
