// libFuzzer target: a formatting rules file (src/Formatting.cpp); the first
// line is the rules' test scan, the rest the rules.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/fwbridge/Formatting.h"

using namespace wms::fwbridge;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto nl = text.find('\n');
  const std::string_view scanText = text.substr(0, nl == std::string_view::npos ? text.size() : nl);
  auto formatter = Formatter::parse(nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1));
  if (!formatter) return 0;
  for (auto source : {ScanSource::Engine, ScanSource::Ssi, ScanSource::Wedge}) {
    (void)formatter->apply(Scan{source,
                                scanText.size() >= 3 ? std::string(scanText.substr(0, 3)) : std::string(),
                                std::string(scanText)});
  }
  return 0;
}
