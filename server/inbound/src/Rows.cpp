#include "Rows.h"

#include <ctime>

#include "wms/gs1/Gs1.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/Query.h"

namespace wms::inbound::rows {

Status checkPrintable(std::string_view value, const std::string& what, std::size_t max) {
  if (value.empty() || value.size() > max)
    return invalid(what + " must be 1.." + n(static_cast<std::int64_t>(max)) + " characters");
  for (char c : value)
    if (c <= 0x20 || c >= 0x7F) return invalid(what + " must be printable ASCII without spaces");
  return {};
}

Status checkSscc(std::string_view value, const std::string& what) {
  if (value.size() != 18 || value.find_first_not_of("0123456789") != std::string_view::npos)
    return invalid(what + " must be 18 digits, got '" + std::string(value.substr(0, 40)) + "'");
  if (!gs1::hasValidCheckDigit(value))
    return invalid(what + " " + std::string(value) + " has a wrong check digit (" +
                   n(gs1::checkDigit(value.substr(0, 17))) + " expected)");
  return {};
}

std::string today(store::Tx& tx) {
  const std::time_t seconds = static_cast<std::time_t>(tx.nowMs() / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

namespace {

bool looksLikeGs1(std::string_view s) {
  return s.rfind("]", 0) == 0 || s.rfind("(", 0) == 0 || s.find('\x1d') != std::string_view::npos ||
         (s.size() > 16 && s.rfind("01", 0) == 0);
}

}  // namespace

Result<ScannedItem> readScan(store::Tx& tx, std::string scan) {
  while (!scan.empty() && (scan.back() == '\r' || scan.back() == '\n' || scan.back() == ' ')) scan.pop_back();
  while (!scan.empty() && scan.front() == ' ') scan.erase(scan.begin());
  if (scan.empty()) return invalid("nothing was scanned");
  if (scan.size() > 256) return invalid("scan is longer than 256 bytes");
  for (unsigned char c : scan)
    if (c < 0x20 && c != 0x1d) return invalid("scan holds a control character");
  ScannedItem item;
  if (looksLikeGs1(scan)) {
    auto data = gs1::parse(scan);
    if (!data) return invalid("scan '" + scan.substr(0, 64) + "': " + data.error().message);
    if (data->sscc() && !data->gtin())
      return invalid("scan is the SSCC " + *data->sscc() + " of a pallet or carton: receive the whole unit instead");
    if (!data->gtin()) return invalid("scan '" + scan.substr(0, 64) + "' has no GTIN (AI 01)");
    item.code = *data->gtin();
    if (auto lot = data->lot()) item.lot = *lot;
    if (auto e = data->expiry()) item.expiry = e->iso();
    else if (auto b = data->bestBefore()) item.expiry = b->iso();
  } else {
    item.code = scan;
  }
  store::CatalogRepository catalog(tx);
  if (auto sku = catalog.skuForBarcode(item.code)) item.sku = *sku;
  else if (catalog.skuExists(item.code)) item.sku = item.code;
  return item;
}

PoStatus statusOf(const std::string& text) {
  if (text == "receiving") return PoStatus::Receiving;
  if (text == "closed") return PoStatus::Closed;
  return PoStatus::Open;
}

Result<std::int64_t> insertOrder(store::Tx& tx, const PurchaseOrderInput& in) {
  {
    store::Query q(tx, "SELECT 1 FROM purchase_orders WHERE reference = ?");
    q.bind(in.reference);
    if (q.step()) return conflict("purchase order " + in.reference + " exists already");
  }
  for (const auto& u : in.units) {
    store::Query q(tx, "SELECT p.reference FROM po_units u JOIN purchase_orders p ON p.id = u.po_id WHERE u.sscc = ?");
    q.bind(u.sscc);
    if (q.step()) return conflict("SSCC " + u.sscc + " is announced already on " + q.text(0));
  }
  store::exec(tx,
              "INSERT INTO purchase_orders(reference, supplier, expected_date, note, status, created_at, updated_at) "
              "VALUES (?, ?, ?, ?, 'open', ?, ?)",
              in.reference, in.supplier, in.expectedDate, in.note, tx.nowMs(), tx.nowMs());
  std::int64_t id = 0;
  {
    store::Query q(tx, "SELECT id FROM purchase_orders WHERE reference = ?");
    q.bind(in.reference);
    if (!q.step()) return Error{ErrorKind::Internal, "the purchase order just stored is gone"};
    id = q.integer(0);
  }
  for (std::size_t i = 0; i < in.lines.size(); ++i) {
    const auto& l = in.lines[i];
    store::exec(tx, "INSERT INTO po_lines(po_id, line_no, sku, qty, lot, expiry) VALUES (?, ?, ?, ?, ?, ?)", id,
                static_cast<std::int64_t>(i + 1), l.sku, l.qty, l.lot, l.expiry);
  }
  for (const auto& u : in.units) {
    store::exec(tx, "INSERT INTO po_units(sscc, po_id) VALUES (?, ?)", u.sscc, id);
    for (const auto& c : u.contents)
      store::exec(tx, "INSERT INTO po_unit_lines(sscc, line_no, qty) VALUES (?, ?, ?)", u.sscc,
                  static_cast<std::int64_t>(c.lineNo), c.qty);
  }
  return id;
}

Result<PurchaseOrder> load(store::Tx& tx, std::int64_t id) {
  PurchaseOrder po;
  {
    store::Query q(tx,
                   "SELECT id, reference, supplier, expected_date, note, status, created_at FROM purchase_orders "
                   "WHERE id = ?");
    q.bind(id);
    if (!q.step()) return Error{ErrorKind::NotFound, "no purchase order " + n(id)};
    po.id = q.integer(0);
    po.reference = q.text(1);
    po.supplier = q.text(2);
    po.expectedDate = q.text(3);
    po.note = q.text(4);
    po.status = statusOf(q.text(5));
    po.createdAtMs = q.integer(6);
  }
  {
    store::Query q(tx,
                   "SELECT line_no, sku, qty, lot, expiry, received, damaged FROM po_lines WHERE po_id = ? "
                   "ORDER BY line_no");
    q.bind(id);
    while (q.step())
      po.lines.push_back({static_cast<int>(q.integer(0)), q.text(1), q.integer(2), q.text(3), q.text(4),
                          q.integer(5), q.integer(6)});
  }
  {
    store::Query q(tx,
                   "SELECT u.sscc, u.received_at, u.location, l.line_no, l.qty FROM po_units u "
                   "JOIN po_unit_lines l ON l.sscc = u.sscc WHERE u.po_id = ? ORDER BY u.sscc, l.line_no");
    q.bind(id);
    while (q.step()) {
      if (po.units.empty() || po.units.back().sscc != q.text(0)) po.units.push_back({q.text(0), {}, q.integer(1), q.text(2)});
      po.units.back().contents.push_back({static_cast<int>(q.integer(3)), q.integer(4)});
    }
  }
  return po;
}

std::vector<Receipt> receiptsByKey(store::Tx& tx, const std::string& key) {
  std::vector<Receipt> out;
  store::Query q(tx,
                 "SELECT r.id, r.po_id, p.reference, r.line_no, r.sku, r.lot, r.expiry, r.qty, r.condition, "
                 "r.location, r.sscc, r.at FROM receipts r JOIN purchase_orders p ON p.id = r.po_id "
                 "WHERE r.idempotency_key = ? ORDER BY r.id");
  q.bind(key);
  while (q.step()) {
    Receipt r;
    r.id = q.integer(0);
    r.poId = q.integer(1);
    r.poReference = q.text(2);
    r.lineNo = static_cast<int>(q.integer(3));
    r.sku = q.text(4);
    r.lot = q.text(5);
    r.expiry = q.text(6);
    r.qty = q.integer(7);
    r.damaged = q.text(8) == "damaged";
    r.location = q.text(9);
    r.sscc = q.text(10);
    r.atMs = q.integer(11);
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t insertReceipt(store::Tx& tx, const Receipt& r, const std::string& key, const std::string& actor) {
  store::exec(tx,
              "INSERT INTO receipts(po_id, line_no, sku, lot, expiry, qty, condition, location, sscc, "
              "idempotency_key, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              r.poId, static_cast<std::int64_t>(r.lineNo), r.sku, r.lot, r.expiry, r.qty,
              r.damaged ? "damaged" : "good", r.location, r.sscc, key, actor, tx.nowMs());
  store::Query q(tx, "SELECT MAX(id) FROM receipts");
  q.step();
  return q.integer(0);
}

}  // namespace wms::inbound::rows
