// Store till sales and customer returns.
#include <map>

#include "HubImpl.h"
#include "wms/domain/Ids.h"
#include "wms/domain/Stock.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/OrderRepository.h"
#include "wms/store/Query.h"

namespace wms::channels {
namespace {

Error invalid(std::string m) { return Error{ErrorKind::Invalid, std::move(m)}; }

Status checkLine(const std::string& path, const std::string& sku, std::int64_t qty, const std::string& lot,
                 const std::string& expiry) {
  if (auto st = domain::checkSku(sku); !st) return invalid(path + "." + st.error().message);
  if (auto st = domain::checkPositiveQuantity(qty, path + ".qty"); !st) return st;
  if (!lot.empty()) {
    if (auto st = domain::checkCode(lot, path + ".lot", 40); !st) return st;
  }
  if (!expiry.empty()) {
    if (auto st = domain::checkDate(expiry, path + ".expiry"); !st) return st;
  }
  return {};
}

const char* toString(ReturnCondition c) { return c == ReturnCondition::Sellable ? "sellable" : "damaged"; }

Result<ReturnRecord> loadReturn(store::Tx& tx, const std::string& id) {
  store::Query head(tx,
                    "SELECT order_id, channel, external_id, pos_sale_id, location, note, received_at FROM returns "
                    "WHERE return_id = ?");
  head.bind(id);
  if (!head.step()) return Error{ErrorKind::NotFound, "no return '" + id + "'"};
  ReturnRecord r;
  r.input.returnId = id;
  r.orderId = head.integer(0);
  r.input.orderId = r.orderId;
  if (const std::string channel = head.text(1); !channel.empty()) r.input.channel = domain::channelFromString(channel);
  r.input.externalId = head.text(2);
  r.input.posSaleId = head.text(3);
  r.input.location = head.text(4);
  r.input.note = head.text(5);
  r.receivedAtMs = head.integer(6);
  store::Query lines(
      tx, "SELECT sku, qty, condition, lot, expiry FROM return_lines WHERE return_id = ? ORDER BY line_no");
  lines.bind(id);
  while (lines.step()) {
    ReturnLine l{lines.text(0), lines.integer(1),
                 lines.text(2) == "sellable" ? ReturnCondition::Sellable : ReturnCondition::Damaged, lines.text(3),
                 lines.text(4)};
    (l.condition == ReturnCondition::Sellable ? r.restocked : r.writtenOff) += l.qty;
    r.input.lines.push_back(std::move(l));
  }
  return r;
}

}  // namespace

Result<PosSaleResult> ChannelHub::posSale(const PosSale& sale) {
  if (auto st = domain::checkExternalId(sale.saleId, "sale_id"); !st) return st.error();
  if (auto st = domain::checkLocationCode(sale.location); !st) return st.error();
  if (sale.lines.empty()) return invalid("lines must not be empty");
  if (sale.lines.size() > domain::kMaxOrderLines) return invalid("a sale may have at most 500 lines");
  for (std::size_t i = 0; i < sale.lines.size(); ++i) {
    const auto& l = sale.lines[i];
    if (auto st = checkLine("lines[" + std::to_string(i) + "]", l.sku, l.qty, l.lot, l.expiry); !st) return st.error();
  }
  PosSaleResult out;
  out.saleId = sale.saleId;
  std::vector<std::string> skus;
  auto st = impl_->db.write([&](store::Tx& tx) -> Status {
    stock::Moves moves(tx, impl_->intake.events(), stock::Actor::integration("pos:" + sale.location));
    std::vector<std::int64_t> ledger;
    {
      store::Query q(tx, "SELECT ledger_id FROM pos_sale_lines WHERE sale_id = ? ORDER BY line_no");
      q.bind(sale.saleId);
      while (q.step()) ledger.push_back(q.integer(0));
    }
    bool known = false;
    {
      store::Query q(tx, "SELECT sale_id FROM pos_sales WHERE sale_id = ?");
      q.bind(sale.saleId);
      known = q.step();
    }
    if (known) {
      out.replayed = true;
      out.ledgerIds.assign(ledger.begin(), ledger.end());
      return {};
    }
    auto loc = store::CatalogRepository(tx).findLocation(sale.location);
    if (!loc) return invalid("no location '" + sale.location + "'");
    if (loc->kind != domain::LocationKind::Store)
      return invalid("location " + sale.location + " is not a store location (kind " + domain::toString(loc->kind) + ")");
    store::exec(tx, "INSERT INTO pos_sales(sale_id, location, at) VALUES (?, ?, ?)", sale.saleId,
                sale.location, tx.nowMs());
    for (std::size_t i = 0; i < sale.lines.size(); ++i) {
      const auto& l = sale.lines[i];
      auto id2 = moves.changeOnHand({{l.sku, sale.location, l.lot, l.expiry, 0}, -l.qty, domain::LedgerCause::PosSale,
                                     "pos:" + sale.saleId, "", ""});
      if (!id2) return Error{id2.error().kind, "lines[" + std::to_string(i) + "]: " + id2.error().message};
      out.ledgerIds.push_back(*id2);
      store::exec(tx,
                  "INSERT INTO pos_sale_lines(sale_id, line_no, sku, qty, ledger_id) VALUES (?, ?, ?, ?, ?)",
                  sale.saleId, static_cast<int>(i + 1), l.sku, l.qty, *id2);
      skus.push_back(l.sku);
    }
    return {};
  });
  if (!st) return st.error();
  impl_->intake.events().committed(skus);
  return out;
}

Result<ReturnRecord> ChannelHub::receiveReturn(const ReturnInput& in) {
  if (auto st = domain::checkExternalId(in.returnId, "return_id"); !st) return st.error();
  if (auto st = domain::checkLocationCode(in.location); !st) return st.error();
  if (auto st = domain::checkText(in.note, "note", 500); !st) return st.error();
  const int refs = (in.orderId != 0) + (!in.externalId.empty()) + (!in.posSaleId.empty());
  if (refs != 1) return invalid("give exactly one of order_id, channel + external_id, or pos_sale_id");
  if (!in.externalId.empty() && !in.channel) return invalid("channel is required with external_id");
  if (in.lines.empty()) return invalid("lines must not be empty");
  if (in.lines.size() > domain::kMaxOrderLines) return invalid("a return may have at most 500 lines");
  for (std::size_t i = 0; i < in.lines.size(); ++i) {
    const auto& l = in.lines[i];
    if (auto st = checkLine("lines[" + std::to_string(i) + "]", l.sku, l.qty, l.lot, l.expiry); !st) return st.error();
  }
  ReturnRecord out;
  std::vector<std::string> skus;
  auto st = impl_->db.write([&](store::Tx& tx) -> Status {
    stock::Moves moves(tx, impl_->intake.events(), stock::Actor::integration("returns:" + in.location));
    if (auto previous = loadReturn(tx, in.returnId)) {
      out = std::move(*previous);
      out.replayed = true;
      return {};
    }
    auto loc = store::CatalogRepository(tx).findLocation(in.location);
    if (!loc) return invalid("no location '" + in.location + "'");
    if (loc->kind == domain::LocationKind::Tote) return invalid("returns are received at a location, not into a tote");

    // What may be returned: per SKU, what left with the order (or sale) minus earlier returns.
    std::map<std::string, std::int64_t> returnable;
    domain::OrderId orderId = 0;
    std::string ref;
    if (!in.posSaleId.empty()) {
      store::Query q(tx, "SELECT sku, qty FROM pos_sale_lines WHERE sale_id = ?");
      q.bind(in.posSaleId);
      bool any = false;
      while (q.step()) {
        any = true;
        returnable[q.text(0)] += q.integer(1);
      }
      if (!any) return Error{ErrorKind::NotFound, "no store sale '" + in.posSaleId + "'"};
      ref = "pos:" + in.posSaleId;
    } else {
      store::OrderRepository orders(tx);
      std::optional<domain::Order> order =
          in.orderId != 0 ? orders.find(in.orderId) : orders.findByExternal(*in.channel, in.externalId);
      if (!order)
        return Error{ErrorKind::NotFound, in.orderId != 0 ? "no order " + std::to_string(in.orderId)
                                                          : std::string("no order ") + domain::toString(*in.channel) +
                                                                "/" + in.externalId};
      orderId = order->id;
      for (const auto& l : order->lines) returnable[l.sku] += l.shipped;
      ref = "order:" + std::to_string(orderId);
    }
    {
      store::Query q(tx,
                     "SELECT l.sku, l.qty FROM return_lines l JOIN returns r ON r.return_id = l.return_id "
                     "WHERE (? <> 0 AND r.order_id = ?) OR (? <> '' AND r.pos_sale_id = ?)");
      q.bind(orderId).bind(orderId).bind(in.posSaleId).bind(in.posSaleId);
      while (q.step()) returnable[q.text(0)] -= q.integer(1);
    }
    std::map<std::string, std::int64_t> wanted;
    for (const auto& l : in.lines) wanted[l.sku] += l.qty;
    for (const auto& [sku, qty] : wanted) {
      const std::int64_t left = returnable.count(sku) ? returnable[sku] : 0;
      if (qty > left)
        return invalid("cannot return " + std::to_string(qty) + " of " + sku + " for " + ref + ": " +
                       std::to_string(std::max<std::int64_t>(left, 0)) + " shipped and not yet returned");
    }
    store::exec(tx,
                "INSERT INTO returns(return_id, order_id, channel, external_id, pos_sale_id, location, note, "
                "received_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                in.returnId, orderId, std::string(in.channel ? domain::toString(*in.channel) : ""),
                in.externalId, in.posSaleId, in.location, in.note, tx.nowMs());
    for (std::size_t i = 0; i < in.lines.size(); ++i) {
      const auto& l = in.lines[i];
      std::int64_t ledgerId = 0;
      if (l.condition == ReturnCondition::Sellable) {
        auto id = moves.changeOnHand({{l.sku, in.location, l.lot, l.expiry, 0}, l.qty, domain::LedgerCause::Return,
                                      "return:" + in.returnId, "", ref});
        if (!id) return Error{id.error().kind, "lines[" + std::to_string(i) + "]: " + id.error().message};
        ledgerId = *id;
        skus.push_back(l.sku);
      }
      store::exec(tx,
                  "INSERT INTO return_lines(return_id, line_no, sku, qty, condition, lot, expiry, ledger_id) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  in.returnId, static_cast<int>(i + 1), l.sku, l.qty, std::string(toString(l.condition)),
                  l.lot, l.expiry, ledgerId);
    }
    auto loaded = loadReturn(tx, in.returnId);
    if (!loaded) return loaded.error();
    out = std::move(*loaded);
    return {};
  });
  if (!st) return st.error();
  impl_->intake.events().committed(skus);
  return out;
}

Result<ReturnRecord> ChannelHub::getReturn(const std::string& returnId) {
  Result<ReturnRecord> out = Error{ErrorKind::NotFound, "no return '" + returnId + "'"};
  auto st = impl_->db.read([&](store::Tx& tx) -> Status {
    out = loadReturn(tx, returnId);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace wms::channels
