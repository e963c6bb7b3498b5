// Purchase orders and their advance shipping notices: creating, importing,
// reading, listing, closing (Receiving.h).
#include <algorithm>
#include <map>
#include <set>

#include "Rows.h"
#include "wms/domain/Csv.h"
#include "wms/domain/Ids.h"
#include "wms/domain/Stock.h"
#include "wms/gs1/Gs1.h"
#include "wms/inbound/Receiving.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/Query.h"

namespace wms::inbound {

using rows::conflict;
using rows::invalid;
using rows::n;

const char* toString(PoStatus status) noexcept {
  switch (status) {
    case PoStatus::Open: return "open";
    case PoStatus::Receiving: return "receiving";
    case PoStatus::Closed: return "closed";
  }
  return "open";
}

Result<InboundConfig> inboundConfigFrom(const std::map<std::string, std::string>& settings) {
  InboundConfig c;
  if (auto it = settings.find("inbound.over_receipt_percent"); it != settings.end()) {
    auto v = domain::parseInt64(it->second);
    if (!v || *v < 0 || *v > 100)
      return invalid("inbound.over_receipt_percent must be a whole number from 0 to 100, got '" +
                     it->second.substr(0, 20) + "'");
    c.overReceiptPercent = static_cast<int>(*v);
  }
  if (auto it = settings.find("inbound.quarantine_location"); it != settings.end()) {
    if (auto st = domain::checkLocationCode(it->second); !st)
      return invalid("inbound.quarantine_location: " + st.error().message);
    c.quarantineLocation = it->second;
  }
  if (auto it = settings.find("inbound.blind_receiving"); it != settings.end()) {
    if (it->second != "true" && it->second != "false")
      return invalid("inbound.blind_receiving must be true or false, got '" + it->second.substr(0, 20) + "'");
    c.blind = it->second == "true";
  }
  return c;
}

ReceivingService::ReceivingService(store::Database& db, const stock::StockEvents& events, InboundConfig config)
    : db_(db), events_(events), config_(std::move(config)) {}

namespace {

// The checks that need the catalogue and the clock; `today` is "YYYY-MM-DD".
Status validate(store::Tx& tx, const PurchaseOrderInput& in, const std::string& today) {
  if (auto st = rows::checkPrintable(in.reference, "reference", 64); !st) return st;
  if (auto st = domain::checkText(in.supplier, "supplier", 200, true); !st) return st;
  if (!in.expectedDate.empty()) {
    if (auto st = domain::checkDate(in.expectedDate, "expected_date"); !st) return st;
  }
  if (auto st = domain::checkText(in.note, "note", 500); !st) return st;
  if (in.lines.empty() || in.lines.size() > 1000) return invalid("lines: a purchase order has 1..1000 lines");
  if (in.units.size() > 1000) return invalid("units: a notice announces at most 1000 units");
  store::CatalogRepository catalog(tx);
  for (std::size_t i = 0; i < in.lines.size(); ++i) {
    const auto& l = in.lines[i];
    const std::string at = "lines[" + n(static_cast<std::int64_t>(i)) + "]";
    if (auto st = domain::checkSku(l.sku); !st) return invalid(at + "." + st.error().message);
    if (!catalog.skuExists(l.sku)) return invalid(at + ".sku: no SKU '" + l.sku + "' in the catalogue");
    if (l.qty < 1 || l.qty > domain::kMaxQuantity)
      return invalid(at + ".qty must be 1.." + n(domain::kMaxQuantity) + ", got " + n(l.qty));
    if (!l.lot.empty()) {
      if (auto st = rows::checkPrintable(l.lot, at + ".lot", 20); !st) return st;
    }
    if (!l.expiry.empty()) {
      if (auto st = domain::checkDate(l.expiry, at + ".expiry"); !st) return st;
      if (l.expiry < today) return invalid(at + ".expiry " + l.expiry + " is already past");
    }
  }
  std::set<std::string> ssccs;
  for (std::size_t u = 0; u < in.units.size(); ++u) {
    const auto& unit = in.units[u];
    const std::string at = "units[" + n(static_cast<std::int64_t>(u)) + "]";
    if (auto st = rows::checkSscc(unit.sscc, at + ".sscc"); !st) return st;
    if (!ssccs.insert(unit.sscc).second) return invalid(at + ".sscc " + unit.sscc + " is announced twice");
    if (unit.contents.empty() || unit.contents.size() > 1000) return invalid(at + ".contents: a unit holds 1..1000 lines");
    std::set<int> seen;
    for (std::size_t c = 0; c < unit.contents.size(); ++c) {
      const auto& content = unit.contents[c];
      const std::string cat = at + ".contents[" + n(static_cast<std::int64_t>(c)) + "]";
      if (content.lineNo < 1 || static_cast<std::size_t>(content.lineNo) > in.lines.size())
        return invalid(cat + ".line_no " + n(content.lineNo) + " names no line of the order");
      if (!seen.insert(content.lineNo).second) return invalid(cat + ": line " + n(content.lineNo) + " is listed twice");
      if (content.qty < 1 || content.qty > domain::kMaxQuantity)
        return invalid(cat + ".qty must be 1.." + n(domain::kMaxQuantity) + ", got " + n(content.qty));
    }
  }
  // Units cannot announce more of a line than was ordered.
  std::map<int, std::int64_t> announced;
  for (const auto& unit : in.units)
    for (const auto& c : unit.contents) announced[c.lineNo] += c.qty;
  for (const auto& [lineNo, qty] : announced) {
    const auto ordered = in.lines[static_cast<std::size_t>(lineNo - 1)].qty;
    if (qty > ordered)
      return invalid("units announce " + n(qty) + " of line " + n(lineNo) + " but " + n(ordered) + " were ordered");
  }
  return {};
}

}  // namespace

Result<PurchaseOrder> ReceivingService::create(const PurchaseOrderInput& input) {
  Result<PurchaseOrder> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    if (auto v = validate(tx, input, rows::today(tx)); !v) return v;
    auto id = rows::insertOrder(tx, input);
    if (!id) return id.error();
    out = rows::load(tx, *id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<PurchaseOrder>> ReceivingService::importCsv(std::string_view text) {
  auto parsed = domain::parseCsv(text);
  if (!parsed) return parsed.error();
  if (parsed->empty()) return invalid("the file is empty: it needs a header and at least one row");
  const std::vector<std::string> expected{"reference", "supplier", "expected_date", "sku", "qty", "lot", "expiry", "sscc"};
  const auto& header = parsed->front().fields;
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (std::find(expected.begin(), expected.end(), header[i]) == expected.end())
      return invalid("line 1: unknown column '" + header[i].substr(0, 40) + "' (columns: reference, supplier, "
                     "expected_date, sku, qty, lot, expiry, sscc)");
    col[header[i]] = i;
  }
  for (const char* required : {"reference", "supplier", "sku", "qty"})
    if (!col.count(required)) return invalid(std::string("line 1: the column '") + required + "' is required");
  auto field = [&](const domain::CsvRow& row, const char* name) -> std::string {
    auto it = col.find(name);
    return it == col.end() || it->second >= row.fields.size() ? "" : row.fields[it->second];
  };

  // Rows grouped by reference, in the file's order.
  std::vector<PurchaseOrderInput> orders;
  std::map<std::string, std::size_t> byReference;
  std::map<std::string, std::size_t> firstLine;
  for (std::size_t r = 1; r < parsed->size(); ++r) {
    const auto& row = (*parsed)[r];
    if (auto width = domain::checkFieldCount(row, header.size()); !width) return width.error();
    const std::string at = "line " + n(static_cast<std::int64_t>(row.line)) + ": ";
    const std::string reference = field(row, "reference");
    auto [it, added] = byReference.emplace(reference, orders.size());
    if (added) {
      orders.emplace_back();
      orders.back().reference = reference;
      orders.back().supplier = field(row, "supplier");
      orders.back().expectedDate = field(row, "expected_date");
      firstLine[reference] = row.line;
    }
    auto& po = orders[it->second];
    if (field(row, "supplier") != po.supplier)
      return invalid(at + "supplier differs from the first row of " + reference.substr(0, 64));
    auto qty = domain::parseInt64(field(row, "qty"));
    if (!qty) return invalid(at + "qty '" + field(row, "qty").substr(0, 20) + "' is not a whole number");
    po.lines.push_back({field(row, "sku"), *qty, field(row, "lot"), field(row, "expiry")});
    if (const std::string sscc = field(row, "sscc"); !sscc.empty()) {
      auto unit = std::find_if(po.units.begin(), po.units.end(), [&](const auto& u) { return u.sscc == sscc; });
      if (unit == po.units.end()) {
        po.units.push_back({sscc, {}});
        unit = po.units.end() - 1;
      }
      unit->contents.push_back({static_cast<int>(po.lines.size()), *qty});
    }
  }

  std::vector<PurchaseOrder> out;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    const std::string today = rows::today(tx);
    for (const auto& po : orders) {
      const std::string at = "line " + n(static_cast<std::int64_t>(firstLine[po.reference])) + " (" +
                             po.reference.substr(0, 64) + "): ";
      if (auto v = validate(tx, po, today); !v) return Error{v.error().kind, at + v.error().message};
      auto id = rows::insertOrder(tx, po);
      if (!id) return Error{id.error().kind, at + id.error().message};
      auto loaded = rows::load(tx, *id);
      if (!loaded) return loaded.error();
      out.push_back(std::move(*loaded));
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<PurchaseOrder> ReceivingService::get(store::Tx& tx, std::int64_t id) { return rows::load(tx, id); }

Result<std::int64_t> ReceivingService::findByReference(store::Tx& tx, const std::string& reference) {
  store::Query q(tx, "SELECT id FROM purchase_orders WHERE reference = ?");
  q.bind(reference);
  if (!q.step()) return Error{ErrorKind::NotFound, "no purchase order " + reference.substr(0, 64)};
  return q.integer(0);
}

Result<PurchaseOrder> ReceivingService::get(std::int64_t id) {
  Result<PurchaseOrder> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = rows::load(tx, id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<PoSummary>> ReceivingService::list(const std::string& status, const std::string& query, int limit) {
  if (!status.empty() && status != "open" && status != "receiving" && status != "closed")
    return invalid("status must be open, receiving or closed, got '" + status.substr(0, 20) + "'");
  if (auto st = domain::checkText(query, "q", 64); !st) return st.error();
  limit = std::clamp(limit, 1, 500);
  std::vector<PoSummary> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    const std::string like = "%" + query + "%";
    store::Query q(tx,
                   "SELECT p.id, p.reference, p.supplier, p.expected_date, p.status, "
                   "COALESCE(SUM(l.qty), 0), COALESCE(SUM(l.received), 0), COALESCE(SUM(l.damaged), 0) "
                   "FROM purchase_orders p LEFT JOIN po_lines l ON l.po_id = p.id "
                   "WHERE (? = '' OR p.status = ?) AND (? = '' OR p.reference LIKE ? OR p.supplier LIKE ? OR "
                   "EXISTS (SELECT 1 FROM po_lines s WHERE s.po_id = p.id AND s.sku LIKE ?)) "
                   "GROUP BY p.id ORDER BY p.id DESC LIMIT ?");
    q.bind(status).bind(status).bind(query).bind(like).bind(like).bind(like).bind(limit);
    while (q.step()) {
      PoSummary s;
      s.id = q.integer(0);
      s.reference = q.text(1);
      s.supplier = q.text(2);
      s.expectedDate = q.text(3);
      s.status = rows::statusOf(q.text(4));
      s.ordered = q.integer(5);
      s.received = q.integer(6);
      s.damaged = q.integer(7);
      out.push_back(std::move(s));
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<CloseResult> ReceivingService::close(std::int64_t id) {
  Result<CloseResult> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    auto po = rows::load(tx, id);
    if (!po) return po.error();
    if (po->status == PoStatus::Closed) return conflict(po->reference + " is closed already");
    CloseResult r;
    std::string missing;
    for (const auto& l : po->lines) {
      if (l.received >= l.qty) continue;
      r.short_.push_back(l);
      missing += (missing.empty() ? "" : ", ") + n(l.open()) + " x " + l.sku + " (line " + n(l.lineNo) + ")";
    }
    store::exec(tx, "UPDATE purchase_orders SET status = 'closed', updated_at = ? WHERE id = ?", tx.nowMs(), id);
    if (!missing.empty())
      store::ExceptionRepository(tx).raise("receipt_short", "po:" + n(id),
                                           po->reference + " from " + po->supplier + " was closed short: " + missing +
                                               " not received; claim them from the supplier");
    auto closed = rows::load(tx, id);
    if (!closed) return closed.error();
    r.order = std::move(*closed);
    out = std::move(r);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace wms::inbound
