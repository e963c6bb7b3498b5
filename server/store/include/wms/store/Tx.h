// A transaction handed to Database::write/read work. Repositories are built
// on it. Valid only inside the work function that received it.
#pragma once

#include <cstdint>

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

  TxImpl& impl() { return impl_; }

 private:
  TxImpl& impl_;
};

}  // namespace wms::store
