// libFuzzer target: bytes from the microcontroller's tty through the frame
// reader (src/LinkFrame.cpp), the host's link state machine (src/Link.cpp)
// and the message decoders (src/Messages.cpp). The input is split at each
// 0xFF into reads that arrive 7 ms apart, so timers and retransmission run.
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "wms/fwbridge/Link.h"
#include "wms/fwbridge/Messages.h"

using namespace wms::fwbridge;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  LinkOptions options;
  options.role = LinkOptions::Role::Host;
  Link link(options);
  TimePoint now{};
  link.start(now);
  std::span<const std::uint8_t> rest(data, size);
  while (!rest.empty()) {
    std::size_t n = 0;
    while (n < rest.size() && rest[n] != 0xFF) ++n;
    link.onBytes(rest.first(n), now);
    rest = rest.subspan(n < rest.size() ? n + 1 : n);
    now += std::chrono::milliseconds(7);
    link.tick(now);
    (void)link.send(encodeDown(BeepCmd{BeepPattern::Good}), now);
    for (auto& e : link.takeEvents()) {
      if (auto* m = std::get_if<RawMessage>(&e)) {
        auto up = decodeUp(m->type, m->payload);
        if (up) (void)encodeUp(*up);
        (void)decodeDown(m->type, m->payload);
      }
    }
    (void)link.takeOutput();
  }
  return 0;
}
