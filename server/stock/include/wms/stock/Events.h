// The one stock-changed hook: who hears that a SKU's available quantity may
// have changed (the channels' stock outbox subscribes).
//
// Every move of wms::stock that changes what is available calls
// changedInTx inside its write transaction, so that a listener can record
// the change durably with it (a transactional outbox: the channel sync
// cannot miss a change that committed). The caller of the moves calls
// committed() after the commit, to wake whatever pushes the change out.
//
// Threading: subscribe() before the first move (not synchronised with
// them). changedInTx runs on the database's writer thread and listeners must
// only touch the database through the Tx; committed runs on the caller's
// thread. Listeners must outlive the StockEvents.
#pragma once

#include <string>
#include <vector>

#include "wms/store/Tx.h"

namespace wms::stock {

class StockListener {
 public:
  virtual ~StockListener() = default;
  virtual void changedInTx(store::Tx& tx, const std::vector<std::string>& skus) = 0;
  virtual void committed(const std::vector<std::string>& skus) = 0;
};

class StockEvents {
 public:
  void subscribe(StockListener& listener) { listeners_.push_back(&listener); }
  void changedInTx(store::Tx& tx, const std::vector<std::string>& skus) const {
    if (skus.empty()) return;
    for (auto* l : listeners_) l->changedInTx(tx, skus);
  }
  void committed(const std::vector<std::string>& skus) const {
    if (skus.empty()) return;
    for (auto* l : listeners_) l->committed(skus);
  }

 private:
  std::vector<StockListener*> listeners_;
};

}  // namespace wms::stock
