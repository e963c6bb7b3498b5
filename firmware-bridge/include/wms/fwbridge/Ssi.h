// Zebra's Simple Serial Interface (SSI): the packet codec and a driver for an
// off-the-shelf scan engine wired to the bridge's serial port
// (docs/firmware-protocol.md, "SSI scan engines").
//
// A packet: length (bytes before the checksum, itself included), opcode,
// message source (0 engine, 4 host), status (bit 0 retransmit, bit 1
// continuation, bit 3 permanent parameter change), data, and a 16-bit
// checksum, high byte first: the two's complement of the sum of the bytes
// before it. SSI has no delimiter, so SsiReader finds packets by their length
// and checksum and slides one byte on a mismatch to resynchronise.
//
// Pure: no I/O, the time is passed in. Threading: not synchronised; one
// thread drives each object.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "wms/common/Result.h"
#include "wms/fwbridge/Link.h"  // Clock, TimePoint

namespace wms::fwbridge {

namespace ssi {
inline constexpr std::uint8_t kCmdAck = 0xD0;
inline constexpr std::uint8_t kCmdNak = 0xD1;
inline constexpr std::uint8_t kDecodeData = 0xF3;
inline constexpr std::uint8_t kBeep = 0xE6;
inline constexpr std::uint8_t kLedOn = 0xE7;
inline constexpr std::uint8_t kLedOff = 0xE8;
inline constexpr std::uint8_t kScanEnable = 0xE9;
inline constexpr std::uint8_t kScanDisable = 0xEA;
inline constexpr std::uint8_t kStartDecode = 0xE4;
inline constexpr std::uint8_t kStopDecode = 0xE5;
inline constexpr std::uint8_t kParamSend = 0xC6;

inline constexpr std::uint8_t kSourceEngine = 0x00;
inline constexpr std::uint8_t kSourceHost = 0x04;

inline constexpr std::uint8_t kStatusRetransmit = 0x01;
inline constexpr std::uint8_t kStatusContinuation = 0x02;
inline constexpr std::uint8_t kStatusPermanent = 0x08;

// CMD_NAK causes (first data byte).
inline constexpr std::uint8_t kNakResend = 0x01;
inline constexpr std::uint8_t kNakBadContext = 0x02;
inline constexpr std::uint8_t kNakDenied = 0x06;

// Length byte: at least opcode, source, status and itself.
inline constexpr std::size_t kMinLength = 4;
inline constexpr std::size_t kMaxData = 255 - kMinLength;
}  // namespace ssi

struct SsiPacket {
  std::uint8_t opcode = 0;
  std::uint8_t source = ssi::kSourceHost;
  std::uint8_t status = 0;
  std::vector<std::uint8_t> data;
  friend bool operator==(const SsiPacket&, const SsiPacket&) = default;
};

// The packet's bytes with checksum. Misuse (data over ssi::kMaxData) throws
// std::invalid_argument.
std::vector<std::uint8_t> encodeSsi(const SsiPacket& packet);

// Exactly one packet. Errors: Malformed (shorter than the minimum, length
// byte disagreeing with the size), Invalid (checksum mismatch).
Result<SsiPacket> decodeSsi(std::span<const std::uint8_t> bytes);

// The AIM identifier for an SSI barcode type code ("]C1" for GS1-128), or
// an empty string for a code we do not map.
std::string aimForSsiType(std::uint8_t barcodeType);

struct SsiReaderStats {
  std::uint64_t packets = 0;
  std::uint64_t checksumErrors = 0;
  std::uint64_t skippedBytes = 0;   // dropped while resynchronising
  std::uint64_t stalePartials = 0;  // partial packets dropped after the gap timeout
};

// Finds packets in a byte stream.
class SsiReader {
 public:
  // A partial packet older than this (no byte for this long) is garbage or
  // the tail of a vanished engine: its first byte is dropped and the rest
  // scanned again.
  explicit SsiReader(std::chrono::milliseconds gap = std::chrono::milliseconds(50)) : gap_(gap) {}
  // Feeds bytes; returns the packets they completed.
  std::vector<SsiPacket> push(std::span<const std::uint8_t> bytes, TimePoint now);
  // Applies the gap timeout; returns packets found after dropping stale bytes.
  std::vector<SsiPacket> tick(TimePoint now);
  void reset() noexcept { buffer_.clear(); }
  bool partial() const noexcept { return !buffer_.empty(); }
  TimePoint lastByte() const noexcept { return lastByte_; }
  std::chrono::milliseconds gap() const noexcept { return gap_; }
  const SsiReaderStats& stats() const noexcept { return stats_; }

 private:
  std::vector<SsiPacket> scan();
  const std::chrono::milliseconds gap_;
  std::vector<std::uint8_t> buffer_;
  TimePoint lastByte_{};
  SsiReaderStats stats_;
};

// A decoded barcode from the engine.
struct SsiDecode {
  std::string symbology;  // AIM identifier or empty
  std::string data;
  friend bool operator==(const SsiDecode&, const SsiDecode&) = default;
};
// A command the engine acknowledged.
struct SsiCommandDone {
  std::uint8_t opcode = 0;
};
// A command the engine refused (CMD_NAK) or never answered.
struct SsiCommandFailed {
  std::uint8_t opcode = 0;
  std::string reason;
};
// A read the engine sent that cannot be a scan (bad characters): counted and
// reported, never delivered.
struct SsiBadDecode {
  std::string reason;
};
using SsiEvent = std::variant<SsiDecode, SsiCommandDone, SsiCommandFailed, SsiBadDecode>;

struct SsiOptions {
  std::chrono::milliseconds ackTimeout{250};
  int maxRetries = 2;  // retransmissions of a command after the first send
  std::size_t queueLimit = 16;
  std::size_t maxScanLength = 4096;
};

struct SsiStats {
  std::uint64_t decodes = 0;
  std::uint64_t duplicates = 0;  // retransmitted DECODE_DATA already delivered
  std::uint64_t badDecodes = 0;
  std::uint64_t naksReceived = 0;
  std::uint64_t naksSent = 0;
  std::uint64_t retransmits = 0;
  std::uint64_t failedCommands = 0;
};

// The host's side of SSI: commands one at a time, each retransmitted
// (status bit 0 set) on CMD_NAK RESEND or silence, up to maxRetries, then
// reported failed; every DECODE_DATA acknowledged, multi-packet reads
// joined, a retransmitted read already delivered dropped.
class SsiDriver {
 public:
  explicit SsiDriver(SsiOptions options = {});

  // Queues a command (opcode and data; the driver fills source and status).
  // Errors: TooLarge (data over one packet, queue full).
  Status command(std::uint8_t opcode, std::vector<std::uint8_t> data, TimePoint now);
  // PARAM_SEND of (parameter, value) pairs, one byte each (parameters below
  // 0xF0). Errors: Invalid for a parameter number outside that range.
  Status sendParams(const std::vector<std::pair<std::uint16_t, std::uint8_t>>& params, bool permanent,
                    TimePoint now);

  void onBytes(std::span<const std::uint8_t> bytes, TimePoint now);
  void tick(TimePoint now);
  // Forgets partial input and the command in flight (the port was reopened);
  // the commands in flight and queued are reported failed. The last read is
  // remembered, so its retransmission after the reopen is not a new scan.
  void reset();

  std::vector<std::uint8_t> takeOutput();
  std::vector<SsiEvent> takeEvents();
  std::optional<TimePoint> nextDeadline() const;
  const SsiStats& stats() const noexcept { return stats_; }
  const SsiReaderStats& readerStats() const noexcept { return reader_.stats(); }

 private:
  struct InFlight {
    SsiPacket packet;
    TimePoint deadline;
    int retries = 0;
  };
  void onPacket(const SsiPacket& packet, TimePoint now);
  void onDecode(const SsiPacket& packet);
  void sendAck();
  void sendNak(std::uint8_t cause);
  void write(const SsiPacket& packet);
  void retransmit(TimePoint now);
  void pump(TimePoint now);

  const SsiOptions options_;
  SsiReader reader_;
  std::optional<InFlight> inFlight_;
  std::deque<SsiPacket> queue_;
  std::vector<std::uint8_t> partialRead_;  // a multi-packet read so far
  std::uint8_t partialType_ = 0;
  std::optional<SsiPacket> lastDecodePacket_;  // for spotting a retransmitted one
  bool nakPending_ = false;                    // one NAK per garbage burst
  std::vector<std::uint8_t> output_;
  std::vector<SsiEvent> events_;
  SsiStats stats_;
};

}  // namespace wms::fwbridge
