// Who hears that a SKU's available quantity may have changed.
//
// `changedInTx` is called inside the write transaction that changed it, so a
// listener can record the change durably with it (a transactional outbox:
// the channel sync cannot miss a change that committed). `committed` is
// called after the commit, to wake whatever pushes the change out.
//
// Threading: changedInTx runs on the database's writer thread and must only
// touch the database through the Tx; committed runs on the caller's thread.
#pragma once

#include <string>
#include <vector>

#include "wms/store/Tx.h"

namespace wms::server {

class StockEvents {
 public:
  virtual ~StockEvents() = default;
  virtual void changedInTx(store::Tx& tx, const std::vector<std::string>& skus) = 0;
  virtual void committed(const std::vector<std::string>& skus) = 0;
};

// Listens to nothing; for tools and tests that need no channel sync.
class NoStockEvents final : public StockEvents {
 public:
  void changedInTx(store::Tx&, const std::vector<std::string>&) override {}
  void committed(const std::vector<std::string>&) override {}
};

}  // namespace wms::server
