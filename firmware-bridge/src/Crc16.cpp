#include "wms/fwbridge/Crc16.h"

#include <array>

namespace wms::fwbridge {
namespace {

// A 256-entry table: the decoder benchmark runs this over every byte, and the
// table makes it one lookup per byte instead of eight shifts.
constexpr std::array<std::uint16_t, 256> makeTable() {
  std::array<std::uint16_t, 256> table{};
  for (unsigned i = 0; i < 256; ++i) {
    auto crc = static_cast<std::uint16_t>(i << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<std::uint16_t>(crc << 1);
    }
    table[i] = crc;
  }
  return table;
}
constexpr auto kTable = makeTable();

}  // namespace

std::uint16_t crc16Update(std::uint16_t crc, std::span<const std::uint8_t> bytes) noexcept {
  for (std::uint8_t b : bytes) {
    crc = static_cast<std::uint16_t>((crc << 8) ^ kTable[((crc >> 8) ^ b) & 0xFF]);
  }
  return crc;
}

}  // namespace wms::fwbridge
