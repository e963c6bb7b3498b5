#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "wms/domain/Csv.h"

using namespace wms::domain;

namespace {
std::string fixture(const std::string& name) {
  std::ifstream in(std::filesystem::path(WMS_SOURCE_DIR) / "tests/server/fixtures/csv" / name, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "missing fixture " << name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(csv)

BOOST_AUTO_TEST_CASE(quoted_fields_keep_commas_quotes_and_newlines) {
  auto rows = parseCsv("a,b\r\n\"x, y\",\"say \"\"hi\"\"\nthere\"\n");
  BOOST_REQUIRE(rows.ok());
  BOOST_REQUIRE(rows->size() == 2u);
  BOOST_TEST((*rows)[1].fields[0] == "x, y");
  BOOST_TEST((*rows)[1].fields[1] == "say \"hi\"\nthere");
  BOOST_TEST((*rows)[1].line == 2u);
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_and_blank_lines_are_ignored) {
  auto rows = parseCsv("\xEF\xBB\xBFsku,description\n\nA1,x\n");
  BOOST_REQUIRE(rows.ok());
  BOOST_TEST(rows->size() == 2u);
  BOOST_TEST((*rows)[0].fields[0] == "sku");
  BOOST_TEST((*rows)[1].line == 3u);
}

BOOST_AUTO_TEST_CASE(broken_csv_reports_the_line) {
  auto r = parseCsv(fixture("unterminated-quote.csv"));
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().message == "line 3: unterminated quoted field");
  auto q = parseCsv(fixture("quote-in-field.csv"));
  BOOST_REQUIRE(!q.ok());
  BOOST_TEST(q.error().message == "line 2: a quote inside an unquoted field");
}

BOOST_AUTO_TEST_CASE(a_catalogue_with_a_bad_row_in_the_middle_reports_that_row_by_line) {
  auto parsed = parseCatalogueCsv(fixture("catalogue-bad-middle.csv"));
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed->rows.size() == 3u);
  BOOST_REQUIRE(parsed->errors.size() == 1u);
  BOOST_TEST(parsed->errors[0].line == 3u);
  BOOST_TEST(parsed->errors[0].message.find("check digit") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_catalogue_without_a_required_column_is_refused_as_a_whole) {
  auto parsed = parseCatalogueCsv("description,barcodes\nx,\n");
  BOOST_REQUIRE(!parsed.ok());
  BOOST_TEST(parsed.error().message == "line 1: required column 'sku' is missing");
  auto unknown = parseCatalogueCsv("sku,description,colour\nA,x,red\n");
  BOOST_REQUIRE(!unknown.ok());
  BOOST_TEST(unknown.error().message == "line 1: unknown column 'colour'");
}

BOOST_AUTO_TEST_CASE(stock_rows_need_positive_whole_quantities) {
  auto parsed = parseStockCsv("sku,location,qty\nA1,L1,5\nA1,L1,0\nA1,L1,-2\nA1,L1,2.5\nA'1,L1,1\n");
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed->rows.size() == 1u);
  BOOST_REQUIRE(parsed->errors.size() == 4u);
  BOOST_TEST(parsed->errors[0].line == 3u);
  BOOST_TEST(parsed->errors[3].line == 6u);
}

BOOST_AUTO_TEST_CASE(duplicate_skus_and_barcodes_within_a_file_are_row_errors) {
  auto parsed = parseCatalogueCsv("sku,description,barcodes\nA,x,4006381333931\nA,y,\nB,z,4006381333931\n");
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed->rows.size() == 1u);
  BOOST_TEST(parsed->errors.size() == 2u);
}

// Issue 20: "A1,L1,5,9" was applied as 5 at L1, the 9 dropped: a value's
// unquoted comma shifts every column after it.
BOOST_AUTO_TEST_CASE(a_row_with_more_fields_than_the_header_is_a_row_error_naming_both_counts) {
  auto stock = parseStockCsv("sku,location,qty\nA1,L1,5\nA1,L1,5,9\n");
  BOOST_REQUIRE(stock.ok());
  BOOST_TEST(stock->rows.size() == 1u);
  BOOST_REQUIRE(stock->errors.size() == 1u);
  BOOST_TEST(stock->errors[0].line == 3u);
  BOOST_TEST(stock->errors[0].message == "line 3 has 4 fields but the header names 3 (a comma in a value must be inside quotes)");
  auto catalogue = parseCatalogueCsv("sku,description\nA,Apples, red\nB,\"Pears, green\"\n");
  BOOST_REQUIRE(catalogue.ok());
  BOOST_TEST(catalogue->rows.size() == 1u);
  BOOST_TEST(catalogue->errors.size() == 1u);
  auto locations = parseLocationsCsv("code,zone\nA-01,A,extra\n");
  BOOST_REQUIRE(locations.ok());
  BOOST_TEST(locations->errors.size() == 1u);
  // Empty fields past the end (a spreadsheet's trailing commas) shift nothing.
  auto trailing = parseStockCsv("sku,location,qty\nA1,L1,5,,\n");
  BOOST_REQUIRE(trailing.ok());
  BOOST_TEST(trailing->rows.size() == 1u);
  BOOST_TEST(trailing->errors.empty());
  // Fewer fields than the header: the missing ones are empty, as before.
  auto shorter = parseStockCsv("sku,location,qty,lot\nA1,L1,5\n");
  BOOST_REQUIRE(shorter.ok());
  BOOST_TEST(shorter->rows.size() == 1u);
}

BOOST_AUTO_TEST_CASE(integers_parse_strictly) {
  BOOST_CHECK(parseInt64("42") == 42);
  BOOST_CHECK(parseInt64("+7") == 7);
  BOOST_CHECK(parseInt64("-3") == -3);
  BOOST_CHECK(!parseInt64("4 2"));
  BOOST_CHECK(!parseInt64("1e3"));
  BOOST_CHECK(!parseInt64("99999999999999999999"));
  BOOST_CHECK(!parseInt64(""));
  BOOST_CHECK(!parseInt64("+"));
}

BOOST_AUTO_TEST_SUITE_END()
