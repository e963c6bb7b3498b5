// CRC-16 of the firmware link (docs/firmware-protocol.md).
//
// The variant is CRC-16/CCITT-FALSE (also catalogued as CRC-16/IBM-3740):
// polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR.
// Its check value, the CRC of the ASCII text "123456789", is 0x29B1.
// Chosen because every microcontroller vendor ships it (often in hardware)
// and it catches every burst error up to 16 bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace wms::fwbridge {

inline constexpr std::uint16_t kCrc16Init = 0xFFFF;

// Continues a CRC over `bytes` from `crc` (kCrc16Init to start). Pure.
std::uint16_t crc16Update(std::uint16_t crc, std::span<const std::uint8_t> bytes) noexcept;

// The CRC-16/CCITT-FALSE of `bytes`.
inline std::uint16_t crc16(std::span<const std::uint8_t> bytes) noexcept {
  return crc16Update(kCrc16Init, bytes);
}

}  // namespace wms::fwbridge
