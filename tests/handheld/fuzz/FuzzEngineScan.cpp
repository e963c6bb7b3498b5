// libFuzzer target: reads from hardware scan engines (src/engine/ScanEngine.cpp)
// through to matching them against a step (src/match/ScanMatch.cpp).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/handheld/ScanEngine.h"
#include "wms/handheld/ScanMatch.h"

using namespace wms::handheld;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto scan = parseEngineOutput(raw, std::chrono::system_clock::time_point{});
  if (!scan) return 0;
  auto barcode = toBarcode(*scan);
  if (!barcode) return 0;
  static const ScanExpectation kExpectations[] = {
      {ScanTarget::Location, "A-01-02-3", {}, {}},
      {ScanTarget::Tote, "095011010000000018", {}, {}},
      {ScanTarget::Item, {}, "SKU-1", {"4006381333931", "065100004327", "INTERNAL-7", "0109501101530003"}},
  };
  for (const auto& e : kExpectations) (void)matchScan(*barcode, e);
  (void)gtinOf(*barcode);
  return 0;
}
