// libFuzzer target for parseLabelJson, the gate for label JSON from outside.
// Beyond "no crash": whatever parses must validate, survive a round trip
// through labelToJson unchanged and lay out and render to ZPL on a template.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wms/labels/Label.h"
#include "wms/labels/Zpl.h"

using namespace wms::labels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto label = parseLabelJson(input);
  if (!label) {
    if (label.error().message.empty()) std::abort();
    return 0;
  }
  if (!validateLabel(label.value())) std::abort();
  auto again = parseLabelJson(labelToJson(label.value()));
  if (!again || !(again.value() == label.value())) std::abort();
  // Alternate templates by input length so both layouts are exercised.
  const Template t = makeTemplate(size % 2 ? LabelSize::FourByFour : LabelSize::FourBySix, Dpi::D203);
  if (!renderZpl(label.value(), t)) std::abort();
  return 0;
}
