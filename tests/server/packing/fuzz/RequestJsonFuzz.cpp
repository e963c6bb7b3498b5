// Fuzz target: any bytes as the body of every packing endpoint. Each parser
// must answer a value (never crash, never throw), and what it accepts must
// be within the documented ranges.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wms/packing/Json.h"

using namespace wms::packing;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto s = json::parseScanRequest(body); s && (s->qty < 1 || s->qty > 1000000 || s->text.empty()))
    std::abort();
  if (auto s = json::parseStartRequest(body); s && s->code.empty()) std::abort();
  if (auto r = json::parseRemoveRequest(body); r && (r->lineNo < 1 || r->qty < 1)) std::abort();
  if (auto c = json::parseOpenCartonRequest(body); c && c->empty()) std::abort();
  if (auto w = json::parseCloseCartonRequest(body); w && w->has_value() && (**w < 1 || **w > 1000000))
    std::abort();
  (void)json::parseEmptyRequest(body);
  (void)json::parseShipmentRequest(body);
  if (auto s = json::parseShipRequest(body, 1, ""); s) {
    if (s->idempotencyKey.empty()) std::abort();
    for (const auto& l : s->lines) {
      if (l.lineNo < 1 || l.qty < 1) std::abort();
    }
  }
  (void)json::parseReprintRequest(body);
  return 0;
}
