#include "ChannelWiring.h"

#include "StockOps.h"
#include "wms/store/CatalogRepository.h"

namespace wms::server {
namespace {

channels::IntakeResult toIntake(OrderService::InTx&& r) {
  return channels::IntakeResult{std::move(r.order), r.created, std::move(r.changedSkus)};
}

template <class F>
Result<channels::IntakeResult> wrap(F&& f) {
  auto r = f();
  if (!r) return r.error();
  return toIntake(std::move(*r));
}

}  // namespace

Result<channels::IntakeResult> ChannelIntake::create(store::Tx& tx, const domain::NewOrder& order) {
  return wrap([&] { return orders_.createInTx(tx, order); });
}

Result<channels::IntakeResult> ChannelIntake::createHeld(store::Tx& tx, const domain::NewOrder& order,
                                                         const std::string& reason) {
  return wrap([&] { return orders_.createHeldInTx(tx, order, reason); });
}

Result<channels::IntakeResult> ChannelIntake::cancel(store::Tx& tx, domain::OrderId id, const std::string& reason) {
  return wrap([&] { return orders_.cancelInTx(tx, id, reason); });
}

Result<channels::IntakeResult> ChannelIntake::releaseHold(store::Tx& tx, domain::OrderId id,
                                                          const std::vector<std::pair<int, std::string>>& lineSkus) {
  return wrap([&] { return orders_.releaseHoldInTx(tx, id, lineSkus); });
}

Result<std::int64_t> ChannelIntake::changeOnHand(store::Tx& tx, const domain::StockAtLocation& where,
                                                 std::int64_t delta, domain::LedgerCause cause,
                                                 const std::string& reference, const std::string& note) {
  store::CatalogRepository catalog(tx);
  auto sku = catalog.findSku(where.sku);
  if (!sku) return Error{ErrorKind::Invalid, "no SKU '" + where.sku + "' in the catalogue"};
  auto loc = catalog.findLocation(where.location);
  if (!loc) return Error{ErrorKind::Invalid, "no location '" + where.location + "'"};
  if (sku->lotTracked != !where.lot.empty())
    return Error{ErrorKind::Invalid, "SKU " + where.sku + (sku->lotTracked ? " is lot-tracked: lot is required"
                                                                           : " is not lot-tracked: lot must be empty")};
  if (sku->expiryTracked != !where.expiry.empty())
    return Error{ErrorKind::Invalid, "SKU " + where.sku + (sku->expiryTracked ? " is expiry-tracked: expiry is required"
                                                                              : " is not expiry-tracked: expiry must be empty")};
  Result<std::int64_t> id = Error{ErrorKind::Internal, "not applied"};
  auto st = tx.atomically([&]() -> Status {
    id = ops::changeOnHandAt(tx, where, delta, cause, reference, {}, note);
    if (!id) return id.error();
    if (delta > 0) {
      if (auto filled = ops::fillBackorders(tx, {where.sku}); !filled) return filled.error();
    }
    return {};
  });
  if (!st) return st.error();
  return id;
}

}  // namespace wms::server
