// CSV files from outside (catalogue, stock, locations), parsed and validated
// row by row with the line number of every problem. Pure; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Catalog.h"
#include "wms/domain/Stock.h"

namespace wms::domain {

struct CsvRow {
  std::size_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

inline constexpr std::size_t kMaxCsvBytes = 64u << 20;
inline constexpr std::size_t kMaxCsvFieldBytes = 4096;
inline constexpr std::size_t kMaxCsvFields = 64;

// RFC 4180 CSV: comma-separated, fields optionally in double quotes with ""
// for a quote, LF or CRLF line ends, a UTF-8 byte-order mark ignored, blank
// lines skipped. Errors (Malformed) give the line: "line 7: unterminated
// quoted field", "line 3: field longer than 4096 bytes".
Result<std::vector<CsvRow>> parseCsv(std::string_view text);

// A row with more fields than the header has names is refused, not read by
// the columns it has (an unquoted comma in a value would shift them):
// Invalid "line 4 has 5 fields but the header names 3 ...". Empty fields
// past the end (a spreadsheet's trailing commas) are allowed.
Status checkFieldCount(const CsvRow& row, std::size_t headerFields);

// A decimal integer with optional sign and nothing else; nullopt otherwise.
std::optional<std::int64_t> parseInt64(std::string_view text) noexcept;

struct RowError {
  std::size_t line = 0;
  std::string message;
};

// Rows that passed the checks that need no database, and those that did not.
template <class T>
struct ParsedRows {
  std::vector<std::pair<std::size_t, T>> rows;  // (line, value)
  std::vector<RowError> errors;
};

// Catalogue: header with columns sku, description (required) and any of
// barcodes ('|'-separated), weight_g, length_mm, width_mm, height_mm,
// lot_tracked, expiry_tracked (0/1/true/false/yes/no), in any order.
// A missing required column or an unknown column is an error of the whole
// file (Invalid); a bad row is a RowError.
Result<ParsedRows<Sku>> parseCatalogueCsv(std::string_view text);

// Stock receipts: columns sku, location, qty (required), lot, expiry.
Result<ParsedRows<StockAtLocation>> parseStockCsv(std::string_view text);

// Locations: columns code (required), zone, kind (pick|reserve|store|staging|dock).
Result<ParsedRows<Location>> parseLocationsCsv(std::string_view text);

}  // namespace wms::domain
