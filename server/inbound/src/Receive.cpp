// Receipts against purchase orders: line by line from a scan, or a whole
// announced unit by its SSCC (Receiving.h).
#include <algorithm>
#include <optional>

#include "Rows.h"
#include "wms/domain/Ids.h"
#include "wms/domain/Stock.h"
#include "wms/inbound/Receiving.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/Query.h"

namespace wms::inbound {

using rows::conflict;
using rows::invalid;
using rows::n;

namespace {

using Item = rows::ScannedItem;

Result<Item> readItem(store::Tx& tx, const ReceiptInput& in) {
  const bool scanned = in.scan.find_first_not_of(" \r\n") != std::string::npos;
  if (!scanned && in.sku.empty()) return invalid("scan or sku is required");
  if (scanned && !in.sku.empty()) return invalid("give scan or sku, not both");
  if (scanned) return rows::readScan(tx, in.scan);
  if (auto st = domain::checkSku(in.sku); !st) return st.error();
  Item item;
  item.code = in.sku;
  if (store::CatalogRepository(tx).skuExists(in.sku)) item.sku = in.sku;
  return item;
}

// A dock or staging location: received goods wait there for put-away.
Status checkReceivingLocation(store::Tx& tx, const std::string& code) {
  if (code.empty()) return invalid("location is required: a dock or staging location");
  if (auto st = domain::checkLocationCode(code); !st) return st;
  auto loc = store::CatalogRepository(tx).findLocation(code);
  if (!loc) return invalid("no location " + code);
  if (loc->kind != domain::LocationKind::Dock && loc->kind != domain::LocationKind::Staging)
    return invalid("location " + code + " is a " + domain::toString(loc->kind) +
                   " location: goods are received into a dock or staging location, then put away");
  return {};
}

// Where received units go in the stock: the lot and expiry only for a SKU
// that tracks them (the receipt keeps what the order or the label said).
domain::StockAtLocation stockKey(store::Tx& tx, const std::string& sku, const std::string& location,
                                 const std::string& lot, const std::string& expiry) {
  auto s = store::CatalogRepository(tx).findSku(sku);
  return {sku, location, s && s->lotTracked ? lot : "", s && s->expiryTracked ? expiry : "", 0};
}

Status checkKey(const std::string& key) {
  return rows::checkPrintable(key, "idempotency_key", 128);
}

// The receipts under `key` if it was used before: the first answer (for
// this order), or Conflict if it was used for another.
std::optional<Result<ReceiptResult>> seenBefore(store::Tx& tx, const std::string& key, std::int64_t poId) {
  auto earlier = rows::receiptsByKey(tx, key);
  if (earlier.empty()) return std::nullopt;
  if (earlier.front().poId != poId)
    return Result<ReceiptResult>(conflict("idempotency_key was used for " + earlier.front().poReference));
  ReceiptResult r;
  r.duplicate = true;
  r.receipts = std::move(earlier);
  return Result<ReceiptResult>(std::move(r));
}

}  // namespace

Result<ReceiptResult> ReceivingService::receive(const ReceiptInput& in) {
  Result<ReceiptResult> out = Error{ErrorKind::Internal, "not run"};
  std::optional<RaiseOnRefusal> raise;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    out = receive(tx, in, raise);
    if (out) return {};
    // Nothing of the refused receipt was written: the exception it asks
    // for is all that commits.
    if (raise) {
      store::ExceptionRepository(tx).raise(raise->kind, raise->reference, raise->message);
      return {};
    }
    return out.error();
  });
  if (!st) return st.error();
  if (out) received(*out);
  return out;
}

void ReceivingService::received(const ReceiptResult& result) {
  if (!result.duplicate) events_.committed(result.changedSkus);
}

Result<ReceiptResult> ReceivingService::receive(store::Tx& tx, const ReceiptInput& in,
                                                std::optional<RaiseOnRefusal>& raise) {
  if (auto st = checkKey(in.idempotencyKey); !st) return st.error();
  if (in.qty < 1 || in.qty > domain::kMaxQuantity)
    return invalid("qty must be 1.." + n(domain::kMaxQuantity) + ", got " + n(in.qty));
  if (!in.lot.empty()) {
    if (auto st = rows::checkPrintable(in.lot, "lot", 20); !st) return st.error();
  }
  if (!in.expiry.empty()) {
    if (auto st = domain::checkDate(in.expiry, "expiry"); !st) return st.error();
  }

  Result<ReceiptResult> out = Error{ErrorKind::Internal, "not run"};
  auto st = tx.atomically([&]() -> Status {
    if (auto dup = seenBefore(tx, in.idempotencyKey, in.poId)) {
      out = std::move(*dup);
      return out ? Status{} : Status{out.error()};
    }
    auto po = rows::load(tx, in.poId);
    if (!po) return po.error();
    if (po->status == PoStatus::Closed) return conflict(po->reference + " is closed: nothing more is received on it");
    auto item = readItem(tx, in);
    if (!item) return item.error();
    if (!item->sku) {
      const std::string what = in.scan.empty() ? "SKU " + item->code : "'" + item->code.substr(0, 64) + "'";
      raise = RaiseOnRefusal{"receipt_unknown_item", "po:" + n(po->id) + "/" + item->code.substr(0, 64),
                             "an item scanned on " + po->reference + " from " + po->supplier + " (" + what +
                                 ") is not in the catalogue: add it, or send it back"};
      return Error{ErrorKind::NotFound,
                   "no SKU in the catalogue has the code " + what + ": it is raised for the supervisor; set the case aside"};
    }
    const std::string sku = *item->sku;
    // A typed lot or expiry must agree with what the scan says.
    if (!in.lot.empty() && !item->lot.empty() && in.lot != item->lot)
      return invalid("lot " + in.lot + " contradicts the scanned lot " + item->lot);
    if (!in.expiry.empty() && !item->expiry.empty() && in.expiry != item->expiry)
      return invalid("expiry " + in.expiry + " contradicts the scanned expiry " + item->expiry);
    const std::string lot = in.lot.empty() ? item->lot : in.lot;
    const std::string expiry = in.expiry.empty() ? item->expiry : in.expiry;
    if (!expiry.empty() && expiry < rows::today(tx)) return invalid("expiry " + expiry + " is already past: refuse the case");

    // The order's lines of this SKU that the lot and expiry agree with.
    std::vector<const PoLine*> lines;
    std::string contradiction;
    for (const auto& l : po->lines) {
      if (l.sku != sku) continue;
      if (!l.lot.empty() && !lot.empty() && l.lot != lot) {
        contradiction = "lot " + lot + " contradicts " + po->reference + " line " + n(l.lineNo) + "'s lot " + l.lot;
        continue;
      }
      if (!l.expiry.empty() && !expiry.empty() && l.expiry != expiry) {
        contradiction = "expiry " + expiry + " contradicts " + po->reference + " line " + n(l.lineNo) + "'s expiry " +
                        l.expiry;
        continue;
      }
      lines.push_back(&l);
    }
    if (lines.empty() && !contradiction.empty()) return invalid(contradiction);
    if (lines.empty())
      return invalid("SKU " + sku + (in.scan.empty() ? "" : " (scanned " + item->code.substr(0, 64) + ")") +
                     " is not on " + po->reference);
    // The first line with units still to come takes them; else the last
    // one, within the over-receipt tolerance.
    const PoLine* line = lines.back();
    for (const PoLine* l : lines)
      if (l->received + l->damaged < l->qty) {
        line = l;
        break;
      }
    const std::int64_t limit = line->qty + line->qty * config_.overReceiptPercent / 100;
    if (line->received + line->damaged + in.qty > limit)
      return conflict("line " + n(line->lineNo) + " (" + sku + ") of " + po->reference + ": " + n(line->qty) +
                      " ordered, " + n(line->received + line->damaged) + " received; " + n(in.qty) +
                      " more is over the " + n(config_.overReceiptPercent) + "% tolerance (at most " +
                      n(limit - line->received - line->damaged) + ")");

    Receipt r;
    r.poId = po->id;
    r.poReference = po->reference;
    r.lineNo = line->lineNo;
    r.sku = sku;
    r.lot = lot.empty() ? line->lot : lot;
    r.expiry = expiry.empty() ? line->expiry : expiry;
    r.qty = in.qty;
    r.damaged = in.damaged;
    ReceiptResult result;
    if (in.damaged) {
      // Set aside for the supplier: recorded, never stock.
      r.location = config_.quarantineLocation;
      store::exec(tx, "UPDATE po_lines SET damaged = damaged + ? WHERE po_id = ? AND line_no = ?", in.qty, po->id,
                  static_cast<std::int64_t>(line->lineNo));
    } else {
      if (auto c = checkReceivingLocation(tx, in.location); !c) return c;
      r.location = in.location;
      stock::Moves moves(tx, events_, in.who);
      auto moved = moves.receive(stockKey(tx, sku, in.location, r.lot, r.expiry), in.qty, "po:" + po->reference,
                                 in.idempotencyKey, "line " + n(line->lineNo) + " from " + po->supplier);
      if (!moved) return moved.error();
      store::exec(tx, "UPDATE po_lines SET received = received + ? WHERE po_id = ? AND line_no = ?", in.qty, po->id,
                  static_cast<std::int64_t>(line->lineNo));
      result.changedSkus.assign(moves.changed().begin(), moves.changed().end());
    }
    store::exec(tx, "UPDATE purchase_orders SET status = 'receiving', updated_at = ? WHERE id = ?", tx.nowMs(), po->id);
    rows::insertReceipt(tx, r, in.idempotencyKey, in.who.id);
    result.receipts = rows::receiptsByKey(tx, in.idempotencyKey);
    out = std::move(result);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<ReceiptResult> ReceivingService::receiveUnit(std::int64_t poId, const std::string& sscc,
                                                    const std::string& location, const std::string& key,
                                                    const stock::Actor& who) {
  Result<ReceiptResult> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    out = receiveUnit(tx, poId, sscc, location, key, who);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  if (out) received(*out);
  return out;
}

Result<ReceiptResult> ReceivingService::receiveUnit(store::Tx& tx, std::int64_t poId, const std::string& sscc,
                                                    const std::string& location, const std::string& key,
                                                    const stock::Actor& who) {
  if (auto st = checkKey(key); !st) return st.error();
  if (auto st = rows::checkSscc(sscc, "sscc"); !st) return st.error();
  Result<ReceiptResult> out = Error{ErrorKind::Internal, "not run"};
  auto st = tx.atomically([&]() -> Status {
    if (auto dup = seenBefore(tx, key, poId)) {
      out = std::move(*dup);
      return out ? Status{} : Status{out.error()};
    }
    auto po = rows::load(tx, poId);
    if (!po) return po.error();
    std::int64_t unitPo = 0, receivedAt = 0;
    std::string unitLocation, unitReference;
    {
      store::Query q(tx,
                     "SELECT u.po_id, u.received_at, u.location, p.reference FROM po_units u "
                     "JOIN purchase_orders p ON p.id = u.po_id WHERE u.sscc = ?");
      q.bind(sscc);
      if (!q.step()) return Error{ErrorKind::NotFound, "SSCC " + sscc + " is on no advance shipping notice"};
      unitPo = q.integer(0);
      receivedAt = q.integer(1);
      unitLocation = q.text(2);
      unitReference = q.text(3);
    }
    if (unitPo != poId) return conflict("SSCC " + sscc + " belongs to " + unitReference + ", not " + po->reference);
    if (receivedAt != 0) return conflict("SSCC " + sscc + " was received already, into " + unitLocation);
    if (po->status == PoStatus::Closed) return conflict(po->reference + " is closed: nothing more is received on it");
    if (auto c = checkReceivingLocation(tx, location); !c) return c;
    const auto unit = std::find_if(po->units.begin(), po->units.end(), [&](const auto& u) { return u.sscc == sscc; });
    const std::string today = rows::today(tx);
    // Cases of the same lines received one by one count too: the pallet
    // cannot take a line over its tolerance.
    for (const auto& c : unit->contents) {
      const auto& line = po->lines.at(static_cast<std::size_t>(c.lineNo - 1));
      const std::int64_t limit = line.qty + line.qty * config_.overReceiptPercent / 100;
      if (line.received + line.damaged + c.qty > limit)
        return conflict("SSCC " + sscc + " holds " + n(c.qty) + " of line " + n(line.lineNo) + " (" + line.sku + "), " +
                        n(line.received + line.damaged) + " of " + n(line.qty) + " are received already: that is over "
                        "the " + n(config_.overReceiptPercent) + "% tolerance; receive its cases one by one");
    }
    stock::Moves moves(tx, events_, who);
    for (const auto& c : unit->contents) {
      const auto& line = po->lines.at(static_cast<std::size_t>(c.lineNo - 1));
      if (!line.expiry.empty() && line.expiry < today)
        return invalid("line " + n(line.lineNo) + " (" + line.sku + ") expired on " + line.expiry + ": refuse the unit");
      auto moved = moves.receive(stockKey(tx, line.sku, location, line.lot, line.expiry), c.qty, "po:" + po->reference,
                                 key + "/" + n(c.lineNo), "SSCC " + sscc + ", line " + n(line.lineNo));
      if (!moved) return Error{moved.error().kind, "line " + n(line.lineNo) + " (" + line.sku + "): " + moved.error().message};
      store::exec(tx, "UPDATE po_lines SET received = received + ? WHERE po_id = ? AND line_no = ?", c.qty, poId,
                  static_cast<std::int64_t>(line.lineNo));
      Receipt r;
      r.poId = poId;
      r.poReference = po->reference;
      r.lineNo = line.lineNo;
      r.sku = line.sku;
      r.lot = line.lot;
      r.expiry = line.expiry;
      r.qty = c.qty;
      r.location = location;
      r.sscc = sscc;
      rows::insertReceipt(tx, r, key, who.id);
    }
    store::exec(tx, "UPDATE po_units SET received_at = ?, location = ? WHERE sscc = ?", tx.nowMs(), location, sscc);
    store::exec(tx, "UPDATE purchase_orders SET status = 'receiving', updated_at = ? WHERE id = ?", tx.nowMs(), poId);
    ReceiptResult result;
    result.receipts = rows::receiptsByKey(tx, key);
    result.changedSkus.assign(moves.changed().begin(), moves.changed().end());
    out = std::move(result);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace wms::inbound
