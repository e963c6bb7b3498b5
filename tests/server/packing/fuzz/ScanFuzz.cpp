// Fuzz target: any bytes as a scan. interpretScan must answer a value (never
// crash, never throw), a readable scan must have a key, and the verifier fed
// the same bytes must keep its counts within what is to be packed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wms/packing/Scan.h"
#include "wms/packing/Verification.h"

using namespace wms::packing;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto code = interpretScan(text);
  if (code && code->key.empty()) std::abort();

  PackVerifier v({{1, "MUG", "", 2, 2, {"8851234567898"}, {120, 90, 100}, 350},
                  {2, "CAN", "", 3, 3, {"09501101530003"}, {66, 66, 115}, 400}});
  if (!v.openCarton("S")) std::abort();
  const std::int64_t count = size > 0 ? 1 + data[0] % 4 : 1;
  auto r = v.scan(text, count);
  if (!r) std::abort();
  if (r->outcome == ScanOutcome::Accepted && !code) std::abort();
  if (v.packed(1) > 2 || v.packed(2) > 3) std::abort();
  return 0;
}
