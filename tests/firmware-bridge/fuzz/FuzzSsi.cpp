// libFuzzer target: bytes from an SSI scan engine through the packet reader
// and the driver (src/Ssi.cpp), with a command in flight so that ACK, NAK and
// retransmission paths run. The clock advances 30 ms per 32 bytes so that
// the gap timeout and the retransmission timer fire.
#include <cstddef>
#include <cstdint>
#include <span>

#include "wms/fwbridge/Ssi.h"

using namespace wms::fwbridge;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  SsiDriver driver;
  TimePoint now{};
  (void)driver.command(ssi::kScanEnable, {}, now);
  (void)driver.sendParams({{0x08, 1}}, false, now);
  std::span<const std::uint8_t> rest(data, size);
  while (!rest.empty()) {
    const std::size_t n = rest.size() < 32 ? rest.size() : 32;
    driver.onBytes(rest.first(n), now);
    rest = rest.subspan(n);
    now += std::chrono::milliseconds(30);
    driver.tick(now);
    (void)driver.takeEvents();
    (void)driver.takeOutput();
  }
  (void)decodeSsi(std::span<const std::uint8_t>(data, size));
  return 0;
}
