// The messages of the firmware link: what the microcontroller reports (up)
// and what the bridge asks of it (down), with their payload codecs
// (docs/firmware-protocol.md, "Messages"). Pure: no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "wms/common/Result.h"

namespace wms::fwbridge {

// The protocol version this bridge speaks; a firmware that answers the
// handshake with another one is refused.
inline constexpr std::uint8_t kProtocolVersion = 1;

// Frame types. 0x01-0x0F are link control (not sequenced), 0x10-0x1F go up,
// 0x20-0x2F go down.
namespace type {
inline constexpr std::uint8_t kAck = 0x01;         // seq = the sequence number acknowledged
inline constexpr std::uint8_t kNak = 0x02;         // seq = the sequence number the receiver expects
inline constexpr std::uint8_t kHello = 0x03;       // bridge -> MCU: version, nonce
inline constexpr std::uint8_t kHelloReply = 0x04;  // MCU -> bridge: version, echoed nonce, firmware text
inline constexpr std::uint8_t kTrigger = 0x10;
inline constexpr std::uint8_t kKey = 0x11;
inline constexpr std::uint8_t kBattery = 0x12;
inline constexpr std::uint8_t kScan = 0x13;
inline constexpr std::uint8_t kFault = 0x14;
inline constexpr std::uint8_t kBeep = 0x20;
inline constexpr std::uint8_t kLed = 0x21;
inline constexpr std::uint8_t kVibrate = 0x22;
inline constexpr std::uint8_t kEngine = 0x23;
inline constexpr std::uint8_t kAimer = 0x24;
}  // namespace type

// True for the types that carry a sequence number and are acknowledged.
constexpr bool isSequenced(std::uint8_t t) noexcept {
  return t >= 0x10 && t <= 0x2F;
}

// --- up: MCU -> bridge ---
struct TriggerMsg {
  bool down = false;
  friend bool operator==(const TriggerMsg&, const TriggerMsg&) = default;
};
struct KeyMsg {
  std::uint8_t code = 0;
  friend bool operator==(const KeyMsg&, const KeyMsg&) = default;
};
struct BatteryMsg {
  std::uint8_t percent = 0;  // 0..100
  bool charging = false;
  friend bool operator==(const BatteryMsg&, const BatteryMsg&) = default;
};
// A read of the hardware scan engine behind the MCU.
struct ScanMsg {
  std::string symbology;  // AIM identifier "]C1", or empty when the engine sent none
  std::string data;       // printable ASCII and GS (0x1D)
  friend bool operator==(const ScanMsg&, const ScanMsg&) = default;
};
struct FaultMsg {
  std::uint8_t code = 0;
  std::string text;  // printable ASCII, may be empty
  friend bool operator==(const FaultMsg&, const FaultMsg&) = default;
};
using UpMessage = std::variant<TriggerMsg, KeyMsg, BatteryMsg, ScanMsg, FaultMsg>;

// --- down: bridge -> MCU ---
enum class BeepPattern : std::uint8_t { Good = 1, Bad = 2, Short = 3, Long = 4 };
enum class LedColour : std::uint8_t { Off = 0, Green = 1, Red = 2, Amber = 3, Blue = 4 };
struct BeepCmd {
  BeepPattern pattern = BeepPattern::Good;
  friend bool operator==(const BeepCmd&, const BeepCmd&) = default;
};
struct LedCmd {
  LedColour colour = LedColour::Off;
  std::uint16_t milliseconds = 0;  // 0: until the next LED command
  friend bool operator==(const LedCmd&, const LedCmd&) = default;
};
struct VibrateCmd {
  std::uint16_t milliseconds = 0;
  friend bool operator==(const VibrateCmd&, const VibrateCmd&) = default;
};
struct EngineCmd {
  bool on = false;
  friend bool operator==(const EngineCmd&, const EngineCmd&) = default;
};
struct AimerCmd {
  bool aimer = false;
  bool illumination = false;
  friend bool operator==(const AimerCmd&, const AimerCmd&) = default;
};
using DownMessage = std::variant<BeepCmd, LedCmd, VibrateCmd, EngineCmd, AimerCmd>;

// A message as its frame type and payload bytes.
struct RawMessage {
  std::uint8_t type = 0;
  std::vector<std::uint8_t> payload;
  friend bool operator==(const RawMessage&, const RawMessage&) = default;
};

// Encoders. Misuse (a scan or fault text that does not fit kMaxPayload, a
// battery percentage over 100) throws std::invalid_argument.
RawMessage encodeUp(const UpMessage& message);
RawMessage encodeDown(const DownMessage& message);

// Decoders: check the length before each read. Errors: Malformed (wrong
// length, unknown type, a byte outside the allowed values, a scan with
// control characters other than GS or a malformed AIM identifier).
Result<UpMessage> decodeUp(std::uint8_t frameType, std::span<const std::uint8_t> payload);
Result<DownMessage> decodeDown(std::uint8_t frameType, std::span<const std::uint8_t> payload);

// Names for logs and the socket: "good", "green", ...
const char* toString(BeepPattern p) noexcept;
const char* toString(LedColour c) noexcept;

}  // namespace wms::fwbridge
