// A short at packing and the supervisor's answer to it (Shipping.h).
#include <algorithm>
#include <map>
#include <set>

#include "Rows.h"
#include "wms/domain/Ids.h"
#include "wms/packing/Shipping.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/OrderRepository.h"

namespace wms::packing {
namespace {

Error invalid(std::string message) { return Error{ErrorKind::Invalid, std::move(message)}; }
Error conflict(std::string message) { return Error{ErrorKind::Conflict, std::move(message)}; }
std::string n(std::int64_t v) { return std::to_string(v); }

constexpr const char* kExceptionKind = "pack_short";

std::string orderRef(domain::OrderId id) { return "order:" + n(id); }

// Runs `work` in a write transaction and hands back its result.
template <class T, class Work>
Result<T> inWrite(store::Database& db, Work work) {
  Result<T> out = Error{ErrorKind::Internal, "not run"};
  auto st = db.write([&](store::Tx& tx) -> Status {
    out = work(tx);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace

const char* toString(PackShortReason reason) noexcept {
  return reason == PackShortReason::Missing ? "missing" : "damaged";
}

std::optional<PackShortReason> packShortReasonFromString(std::string_view text) noexcept {
  if (text == "damaged") return PackShortReason::Damaged;
  if (text == "missing") return PackShortReason::Missing;
  return std::nullopt;
}

Result<PackShortResult> ShippingService::reportShort(store::Tx& tx, const PackShortReport& report) {
  store::OrderRepository orders(tx);
  auto order = orders.find(report.orderId);
  if (!order) return Error{ErrorKind::NotFound, "no order " + n(report.orderId)};
  const std::string reference = orderReference(order->id);
  if (order->status != domain::OrderStatus::Picked) {
    auto task = packTask(tx, order->id);  // its refusal says why in the packer's words
    if (!task) return task.error();
    return conflict(reference + " is " + domain::toString(order->status) + ": only a picked order is short at packing");
  }
  if (report.lines.empty() || report.lines.size() > 1000) return invalid("lines: a short names 1..1000 lines");
  if (auto st = domain::checkText(report.note, "note", 200); !st) return st.error();

  // Each reported line, resolved to an order line (a SKU names the first
  // of its lines with units to pack).
  std::map<int, std::int64_t> toPack;
  for (const auto& l : order->lines) toPack[l.lineNo] = std::max<std::int64_t>(0, l.picked - l.shipped);
  std::set<int> seen;
  std::vector<std::pair<const domain::OrderLine*, const PackShortLine*>> resolved;
  for (std::size_t i = 0; i < report.lines.size(); ++i) {
    const auto& in = report.lines[i];
    const std::string at = "lines[" + n(static_cast<std::int64_t>(i)) + "]";
    if (in.qty < 1 || in.qty > domain::kMaxQuantity)
      return invalid(at + ".qty must be 1.." + n(domain::kMaxQuantity) + ", got " + n(in.qty));
    const domain::OrderLine* line = nullptr;
    for (const auto& l : order->lines) {
      const bool named = in.lineNo != 0 ? l.lineNo == in.lineNo : l.sku == in.sku && toPack[l.lineNo] > 0;
      if (named) {
        line = &l;
        break;
      }
    }
    if (!line && in.lineNo != 0) return invalid(at + ".line_no: " + reference + " has no line " + n(in.lineNo));
    if (!line && in.sku.empty()) return invalid(at + ": sku or line_no is required");
    if (!line) return invalid(at + ".sku: " + in.sku.substr(0, 64) + " has nothing to pack in " + reference);
    if (!in.sku.empty() && in.sku != line->sku)
      return invalid(at + ": line " + n(line->lineNo) + " is SKU " + line->sku + ", not " + in.sku.substr(0, 64));
    if (!seen.insert(line->lineNo).second) return invalid(at + ": line " + n(line->lineNo) + " is named twice");
    if (in.qty > toPack[line->lineNo])
      return conflict("line " + n(line->lineNo) + " (" + line->sku + "): " + n(in.qty) + " short but only " +
                      n(toPack[line->lineNo]) + " picked to pack");
    resolved.emplace_back(line, &in);
  }

  // What the supervisor reads, on the hold and on the exception.
  std::string what;
  for (const auto& [line, in] : resolved)
    what += (what.empty() ? "" : ", ") + n(in->qty) + " x " + line->sku + " (line " + n(line->lineNo) + ") " +
            toString(in->reason);
  const std::string where = report.station.empty() ? "" : " at " + report.station;
  PackShortResult out;
  out.orderId = order->id;
  out.holdReason = std::string(kPackShortHold) + where + ": " + what +
                   (report.note.empty() ? "" : " (" + report.note + ")") +
                   "; pack what is left, or cancel it";
  auto st = tx.atomically([&]() -> Status {
    stock::Moves moves(tx, stockEvents_, report.who);
    domain::Order draft = *order;
    for (const auto& [line, in] : resolved) {
      stock::LostFromTotes lost;
      lost.lineNo = line->lineNo;
      lost.qty = in->qty;
      lost.cause = in->reason == PackShortReason::Damaged ? domain::LedgerCause::Damage : domain::LedgerCause::Adjustment;
      lost.reference = orderRef(order->id) + "/pack-short";
      lost.note = std::string(toString(in->reason)) + " at packing" + where;
      if (auto s = moves.loseFromTotes(draft, lost); !s) return s;
    }
    orders.setStatus(order->id, domain::OrderStatus::Held, out.holdReason);
    rows::endOpenSessions(tx, order->id, "abandoned");
    out.exceptionId = store::ExceptionRepository(tx).raise(
        kExceptionKind, orderRef(order->id), reference + " was short at packing" + where + ": " + what + ". " +
                                                 "It is held: pack what is left (the channel is told what shipped) "
                                                 "or cancel it.");
    out.changedSkus.assign(moves.changed().begin(), moves.changed().end());
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<PackShortResult> ShippingService::reportShort(const PackShortReport& report) {
  auto out = inWrite<PackShortResult>(db_, [&](store::Tx& tx) { return reportShort(tx, report); });
  if (out) shortCommitted(*out);
  return out;
}

void ShippingService::shortCommitted(const PackShortResult& result) { stockEvents_.committed(result.changedSkus); }

Result<PackTask> ShippingService::packWhatIsLeft(store::Tx& tx, domain::OrderId id, const std::string& who) {
  store::OrderRepository orders(tx);
  auto order = orders.find(id);
  if (!order) return Error{ErrorKind::NotFound, "no order " + n(id)};
  const std::string reference = orderReference(id);
  if (order->status != domain::OrderStatus::Held || order->holdReason.rfind(kPackShortHold, 0) != 0)
    return conflict(reference + " is " + domain::toString(order->status) +
                    (order->holdReason.empty() ? "" : " (" + order->holdReason + ")") +
                    ": only an order held by a short at packing is packed with what is left");
  const bool anyLeft = std::any_of(order->lines.begin(), order->lines.end(),
                                   [](const auto& l) { return l.picked > l.shipped; });
  if (!anyLeft) return conflict(reference + " has nothing left to pack: cancel it");
  orders.setStatus(id, domain::OrderStatus::Picked);
  store::ExceptionRepository(tx).resolveOpen(kExceptionKind, orderRef(id),
                                             "pack what is left" + (who.empty() ? "" : " (" + who + ")"));
  return packTask(tx, id);
}

Result<PackTask> ShippingService::packWhatIsLeft(domain::OrderId id, const std::string& who) {
  return inWrite<PackTask>(db_, [&](store::Tx& tx) { return packWhatIsLeft(tx, id, who); });
}

}  // namespace wms::packing
