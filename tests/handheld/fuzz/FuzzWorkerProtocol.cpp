// libFuzzer target: the decode worker's messages (src/decode/WorkerProtocol.cpp),
// which the Decoder reads from a process that may have died mid-write.
#include <cstddef>
#include <cstdint>
#include <span>

#include "decode/WorkerProtocol.h"

using namespace wms::handheld::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  (void)decodeHeader(in, kMaxWorkerMessage);
  if (size >= 1) {
    auto type = static_cast<MessageType>(data[0] % 5);
    (void)decodeWorkerMessage(type, in.subspan(1));
  }
  (void)decodeRequest(in);
  return 0;
}
