// libFuzzer target: any payload, on any topic, through the decoders. Besides
// "no crash, no hang, no leak" it checks the codec's promises: whatever
// decodes is valid, re-encodes within the size limit, and decodes again to
// an equal message; fitText() makes any bytes valid text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "wms/protocol/Codec.h"

using namespace wms::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  auto m = decode(payload);
  if (m.ok()) {
    if (!validate(*m).ok()) std::abort();
    std::string again = encode(*m);
    if (again.size() > kMaxPayloadBytes) std::abort();
    auto back = decode(again);
    if (!back.ok() || !(*back == *m)) std::abort();
    // On its own topic it is accepted; on another device's it is not.
    if (!decodeFromTopic(topicOf(*m), payload).ok()) std::abort();
    std::string other = baseOf(*m).device == "x" ? "y" : "x";
    if (decodeFromTopic(topicFor(other, topicKindOf(*m)), payload).ok()) std::abort();
  }
  // Any bytes made into error text are valid protocol text.
  ServerError e;
  e.device = "x";
  e.error.message = fitText(payload);
  if (!validate(e).ok()) std::abort();
  // The first line as a topic, the rest as its payload.
  auto nl = payload.find('\n');
  if (nl != std::string_view::npos) (void)decodeFromTopic(payload.substr(0, nl), payload.substr(nl + 1));
  return 0;
}
