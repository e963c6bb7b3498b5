// Consistent Overhead Byte Stuffing: the framing of the firmware link.
//
// A COBS-encoded frame contains no zero byte, so 0x00 ends every frame on the
// wire and a receiver that lost sync (line noise, a frame cut short by an
// unplugged cable) is back in step at the next zero. The overhead is one byte
// per 254 bytes of data plus one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "wms/common/Result.h"

namespace wms::fwbridge {

// The largest encoded size of `n` bytes of data (without the 0x00 delimiter).
constexpr std::size_t cobsMaxEncodedSize(std::size_t n) noexcept {
  return n + n / 254 + 1;
}

// Encodes `data` (any bytes); the result holds no zero byte and no delimiter.
std::vector<std::uint8_t> cobsEncode(std::span<const std::uint8_t> data);

// Decodes one frame (without its delimiter). Errors: Malformed for a zero
// byte inside the frame or a code byte pointing past its end (a truncated or
// corrupted frame).
Result<std::vector<std::uint8_t>> cobsDecode(std::span<const std::uint8_t> encoded);

}  // namespace wms::fwbridge
