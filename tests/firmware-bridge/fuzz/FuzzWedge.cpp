// libFuzzer target: a stream of struct input_event from a keyboard-wedge
// scanner (src/Wedge.cpp) through both layouts, with and without a suffix.
#include <cstddef>
#include <cstdint>
#include <span>

#include "wms/fwbridge/Wedge.h"

using namespace wms::fwbridge;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::size_t whole = size - size % inputEventSize();
  auto events = parseInputEvents(std::span<const std::uint8_t>(data, whole));
  if (!events) return 0;
  for (int variant = 0; variant < 2; ++variant) {
    WedgeOptions options;
    options.layout = variant == 0 ? KeyboardLayout::Us : KeyboardLayout::De;
    if (variant == 1) {
      options.suffix.clear();
      options.prefix = "#";
    }
    KeyAssembler assembler(options);
    for (const auto& e : *events) (void)assembler.onEvent(e);
    if (auto at = assembler.nextDeadline()) (void)assembler.tick(*at);
  }
  (void)encodeInputEvents(*events);
  return 0;
}
