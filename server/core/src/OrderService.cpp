#include "wms/server/OrderService.h"

namespace wms::server {
namespace {

// REST callers are not signed in yet (the identity issue): the ledger names
// the API as the integration that acted.

}  // namespace

template <class F>
Result<stock::IntakeResult> OrderService::write(F&& work) {
  stock::IntakeResult out;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    Result<stock::IntakeResult> r = work(tx);
    if (!r) return r.error();
    out = std::move(*r);
    return {};
  });
  if (!st) return st.error();
  intake_.events().committed(out.changedSkus);
  return out;
}

Result<CreateOrderResult> OrderService::create(const domain::NewOrder& in, const std::string& idempotencyKey,
                                               const stock::Actor& who) {
  // Checked before the write too: a bad order never waits for the writer.
  if (auto st = domain::validateNewOrder(in); !st) return st.error();
  auto r = write([&](store::Tx& tx) { return intake_.create(tx, who, in, idempotencyKey); });
  if (!r) return r.error();
  return CreateOrderResult{std::move(r->order), r->created};
}

Result<domain::Order> OrderService::cancel(domain::OrderId id, const std::string& reason, const std::string& returnTo,
                                           const stock::Actor& who) {
  if (auto st = domain::checkText(reason, "reason", 200); !st) return st.error();
  auto r = write([&](store::Tx& tx) { return intake_.cancel(tx, who, id, reason, returnTo); });
  if (!r) return r.error();
  return r->order;
}

Result<domain::Order> OrderService::get(domain::OrderId id) {
  std::optional<domain::Order> order;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    order = store::OrderRepository(tx).find(id);
    return {};
  });
  if (!st) return st.error();
  if (!order) return Error{ErrorKind::NotFound, "no order " + std::to_string(id)};
  return *order;
}

Result<domain::Order> OrderService::getByExternal(domain::Channel channel, const std::string& externalId) {
  std::optional<domain::Order> order;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    order = store::OrderRepository(tx).findByExternal(channel, externalId);
    return {};
  });
  if (!st) return st.error();
  if (!order) return Error{ErrorKind::NotFound, std::string("no order ") + domain::toString(channel) + "/" + externalId};
  return *order;
}

Result<std::vector<domain::Order>> OrderService::list(const store::OrderFilter& filter) {
  std::vector<domain::Order> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = store::OrderRepository(tx).list(filter);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace wms::server
