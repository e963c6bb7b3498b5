#include "wms/domain/Csv.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "wms/domain/Ids.h"

namespace wms::domain {
namespace {

Error malformed(std::size_t line, std::string message) {
  return Error{ErrorKind::Malformed, "line " + std::to_string(line) + ": " + message};
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Maps header names to column indexes and checks required/allowed columns.
struct Header {
  std::map<std::string, std::size_t> index;
  std::size_t width = 0;  // fields of the header line

  const std::string* get(const CsvRow& row, const std::string& name) const {
    auto it = index.find(name);
    if (it == index.end() || it->second >= row.fields.size()) return nullptr;
    return &row.fields[it->second];
  }
  std::string value(const CsvRow& row, const std::string& name) const {
    const std::string* v = get(row, name);
    return v ? trim(*v) : std::string();
  }
};

Result<Header> readHeader(const std::vector<CsvRow>& rows, const std::vector<std::string>& required,
                          const std::vector<std::string>& optional) {
  if (rows.empty()) return Error{ErrorKind::Invalid, "the file is empty; it needs a header line"};
  Header h;
  const auto& head = rows.front();
  h.width = head.fields.size();
  std::set<std::string> allowed(required.begin(), required.end());
  allowed.insert(optional.begin(), optional.end());
  for (std::size_t i = 0; i < head.fields.size(); ++i) {
    std::string name = lower(trim(head.fields[i]));
    if (!allowed.count(name))
      return Error{ErrorKind::Invalid, "line " + std::to_string(head.line) + ": unknown column '" + name + "'"};
    if (!h.index.emplace(name, i).second)
      return Error{ErrorKind::Invalid, "line " + std::to_string(head.line) + ": column '" + name + "' appears twice"};
  }
  for (const auto& r : required) {
    if (!h.index.count(r))
      return Error{ErrorKind::Invalid,
                   "line " + std::to_string(head.line) + ": required column '" + r + "' is missing"};
  }
  return h;
}

std::optional<bool> parseBool(const std::string& v) {
  std::string l = lower(v);
  if (l.empty() || l == "0" || l == "false" || l == "no") return false;
  if (l == "1" || l == "true" || l == "yes") return true;
  return std::nullopt;
}

// Reads a non-negative integer column; empty means 0.
Status readCount(const Header& h, const CsvRow& row, const std::string& name, std::int64_t& out) {
  std::string v = h.value(row, name);
  if (v.empty()) { out = 0; return {}; }
  auto n = parseInt64(v);
  if (!n || *n < 0) return Error{ErrorKind::Invalid, name + " must be a whole number >= 0, got '" + v + "'"};
  out = *n;
  return {};
}

}  // namespace

std::optional<std::int64_t> parseInt64(std::string_view text) noexcept {
  if (text.empty()) return std::nullopt;
  std::size_t start = (text[0] == '+') ? 1 : 0;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || start == text.size()) return std::nullopt;
  return value;
}

Status checkFieldCount(const CsvRow& row, std::size_t headerFields) {
  // Empty fields past the end (a spreadsheet's trailing commas) shift nothing.
  std::size_t used = row.fields.size();
  while (used > headerFields && trim(row.fields[used - 1]).empty()) --used;
  if (used <= headerFields) return {};
  return Error{ErrorKind::Invalid, "line " + std::to_string(row.line) + " has " + std::to_string(row.fields.size()) +
                                       " fields but the header names " + std::to_string(headerFields) +
                                       " (a comma in a value must be inside quotes)"};
}

Result<std::vector<CsvRow>> parseCsv(std::string_view text) {
  if (text.size() > kMaxCsvBytes)
    return Error{ErrorKind::TooLarge, "the file is larger than " + std::to_string(kMaxCsvBytes >> 20) + " MiB"};
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  std::vector<CsvRow> rows;
  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    CsvRow row;
    row.line = line;
    std::string field;
    bool rowDone = false;
    bool anyContent = false;
    while (!rowDone) {
      field.clear();
      if (i < n && text[i] == '"') {
        const std::size_t openedAt = line;
        ++i;
        for (;;) {
          if (i >= n) return malformed(openedAt, "unterminated quoted field");
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') { field += '"'; i += 2; continue; }
            ++i;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++i;
          if (field.size() > kMaxCsvFieldBytes) return malformed(openedAt, "field longer than 4096 bytes");
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          return malformed(line, "unexpected character after a closing quote");
        anyContent = true;
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') return malformed(line, "a quote inside an unquoted field");
          field += text[i++];
          if (field.size() > kMaxCsvFieldBytes) return malformed(line, "field longer than 4096 bytes");
        }
        if (!field.empty()) anyContent = true;
      }
      row.fields.push_back(field);
      if (row.fields.size() > kMaxCsvFields) return malformed(row.line, "more than 64 fields");
      if (i >= n) { rowDone = true; break; }
      char c = text[i];
      if (c == ',') { ++i; anyContent = true; continue; }
      if (c == '\r') {
        if (i + 1 < n && text[i + 1] == '\n') ++i;
        else return malformed(line, "carriage return without line feed");
      }
      ++i;  // the '\n'
      ++line;
      rowDone = true;
    }
    if (anyContent) rows.push_back(std::move(row));
  }
  return rows;
}

Result<ParsedRows<Sku>> parseCatalogueCsv(std::string_view text) {
  auto csv = parseCsv(text);
  if (!csv) return csv.error();
  auto header = readHeader(*csv, {"sku", "description"},
                           {"barcodes", "weight_g", "length_mm", "width_mm", "height_mm", "lot_tracked",
                            "expiry_tracked"});
  if (!header) return header.error();
  const Header& h = *header;
  ParsedRows<Sku> out;
  std::set<std::string> seenSku, seenBarcode;
  for (std::size_t r = 1; r < csv->size(); ++r) {
    const CsvRow& row = (*csv)[r];
    auto fail = [&](const std::string& m) { out.errors.push_back({row.line, m}); };
    if (auto width = checkFieldCount(row, h.width); !width) {
      fail(width.error().message);
      continue;
    }
    Sku sku;
    sku.code = h.value(row, "sku");
    sku.description = h.value(row, "description");
    std::string bad;
    for (std::string_view part : std::vector<std::string>{h.value(row, "barcodes")}) {
      std::size_t start = 0;
      while (start <= part.size() && !part.empty()) {
        std::size_t bar = part.find('|', start);
        std::string one = trim(part.substr(start, bar == std::string_view::npos ? part.npos : bar - start));
        if (!one.empty()) {
          auto b = classifyBarcode(one);
          if (!b) { bad = b.error().message; break; }
          sku.barcodes.push_back(*b);
        }
        if (bar == std::string_view::npos) break;
        start = bar + 1;
      }
    }
    if (!bad.empty()) { fail(bad); continue; }
    Status st;
    if (!(st = readCount(h, row, "weight_g", sku.weightG)) || !(st = readCount(h, row, "length_mm", sku.dims.lengthMm)) ||
        !(st = readCount(h, row, "width_mm", sku.dims.widthMm)) ||
        !(st = readCount(h, row, "height_mm", sku.dims.heightMm))) {
      fail(st.error().message);
      continue;
    }
    auto lot = parseBool(h.value(row, "lot_tracked"));
    auto exp = parseBool(h.value(row, "expiry_tracked"));
    if (!lot || !exp) { fail("lot_tracked and expiry_tracked must be 0/1, true/false or yes/no"); continue; }
    sku.lotTracked = *lot;
    sku.expiryTracked = *exp;
    if (auto v = validateSku(sku); !v) { fail(v.error().message); continue; }
    if (!seenSku.insert(sku.code).second) { fail("sku '" + sku.code + "' appears twice in the file"); continue; }
    bool dup = false;
    for (const auto& b : sku.barcodes) {
      if (!seenBarcode.insert(b.key).second) {
        fail("barcode '" + b.value + "' is already used by another row of the file");
        dup = true;
        break;
      }
    }
    if (dup) continue;
    out.rows.emplace_back(row.line, std::move(sku));
  }
  return out;
}

Result<ParsedRows<StockAtLocation>> parseStockCsv(std::string_view text) {
  auto csv = parseCsv(text);
  if (!csv) return csv.error();
  auto header = readHeader(*csv, {"sku", "location", "qty"}, {"lot", "expiry"});
  if (!header) return header.error();
  const Header& h = *header;
  ParsedRows<StockAtLocation> out;
  for (std::size_t r = 1; r < csv->size(); ++r) {
    const CsvRow& row = (*csv)[r];
    auto fail = [&](const std::string& m) { out.errors.push_back({row.line, m}); };
    if (auto width = checkFieldCount(row, h.width); !width) {
      fail(width.error().message);
      continue;
    }
    StockAtLocation s;
    s.sku = h.value(row, "sku");
    s.location = h.value(row, "location");
    s.lot = h.value(row, "lot");
    s.expiry = h.value(row, "expiry");
    std::string q = h.value(row, "qty");
    auto qty = parseInt64(q);
    if (!qty) { fail("qty must be a whole number, got '" + q + "'"); continue; }
    s.qty = *qty;
    Adjustment probe{s.sku, s.location, s.lot, s.expiry, s.qty, AdjustReason::Receipt, {}, {}};
    if (auto st = checkPositiveQuantity(s.qty, "qty"); !st) { fail(st.error().message); continue; }
    if (auto st = validateAdjustment(probe); !st) { fail(st.error().message); continue; }
    out.rows.emplace_back(row.line, std::move(s));
  }
  return out;
}

Result<ParsedRows<Location>> parseLocationsCsv(std::string_view text) {
  auto csv = parseCsv(text);
  if (!csv) return csv.error();
  auto header = readHeader(*csv, {"code"}, {"zone", "kind", "x", "y"});
  if (!header) return header.error();
  const Header& h = *header;
  ParsedRows<Location> out;
  std::set<std::string> seen;
  for (std::size_t r = 1; r < csv->size(); ++r) {
    const CsvRow& row = (*csv)[r];
    auto fail = [&](const std::string& m) { out.errors.push_back({row.line, m}); };
    if (auto width = checkFieldCount(row, h.width); !width) {
      fail(width.error().message);
      continue;
    }
    Location loc;
    loc.code = h.value(row, "code");
    loc.zone = h.value(row, "zone");
    std::string kind = h.value(row, "kind");
    if (!kind.empty()) {
      auto k = locationKindFromString(kind);
      if (!k || *k == LocationKind::Tote) {
        fail("kind must be pick, reserve, store, staging or dock, got '" + kind + "'");
        continue;
      }
      loc.kind = *k;
    }
    if (auto st = validateLocation(loc); !st) { fail(st.error().message); continue; }
    if (!seen.insert(loc.code).second) { fail("location '" + loc.code + "' appears twice in the file"); continue; }
    out.rows.emplace_back(row.line, std::move(loc));
  }
  return out;
}

}  // namespace wms::domain
