// Fuzzes the CSV parser and the three import parsers over it: any bytes must
// give rows or an error value, never a crash, hang or overread.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/domain/Csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)wms::domain::parseCsv(text);
  (void)wms::domain::parseCatalogueCsv(text);
  (void)wms::domain::parseStockCsv(text);
  (void)wms::domain::parseLocationsCsv(text);
  return 0;
}
