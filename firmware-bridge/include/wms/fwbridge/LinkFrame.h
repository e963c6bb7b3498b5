// One frame of the firmware link and the stream reader that finds frames in
// the bytes from the tty (docs/firmware-protocol.md, "Frames").
//
// On the wire: 0x00 COBS(type, seq, payload..., crc_hi, crc_lo) 0x00, where
// the CRC-16/CCITT-FALSE covers type, seq and payload. Pure: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wms/common/Result.h"

namespace wms::fwbridge {

// The largest payload of one frame; a frame longer than this on the wire is
// refused (TooLarge) and skipped up to the next delimiter.
inline constexpr std::size_t kMaxPayload = 240;
// Type, sequence number, payload, CRC.
inline constexpr std::size_t kMaxFrameBody = kMaxPayload + 4;

struct LinkFrame {
  std::uint8_t type = 0;
  std::uint8_t seq = 0;
  std::vector<std::uint8_t> payload;
  friend bool operator==(const LinkFrame&, const LinkFrame&) = default;
};

// The bytes of `frame` on the wire, both delimiters included. Misuse (a payload
// over kMaxPayload) throws std::invalid_argument.
std::vector<std::uint8_t> encodeFrame(const LinkFrame& frame);

// Decodes one frame's bytes between delimiters. Errors: Malformed (COBS
// broken, shorter than type+seq+CRC), TooLarge (body over kMaxFrameBody),
// Invalid (CRC mismatch; the message says so).
Result<LinkFrame> decodeFrame(std::span<const std::uint8_t> encoded);

// What the reader saw, for the bridge's counters.
struct FrameReaderStats {
  std::uint64_t frames = 0;       // good frames
  std::uint64_t crcErrors = 0;    // frames whose CRC did not match
  std::uint64_t malformed = 0;    // broken COBS or too short
  std::uint64_t oversize = 0;     // longer than the maximum
  std::uint64_t emptyFrames = 0;  // two delimiters in a row (between frames)
};

// Splits a byte stream into frames at each 0x00. Bytes before the first
// delimiter after a reset are part of a frame like any other; garbage simply
// makes that frame fail its checks.
//
// Threading: not synchronised; one thread feeds it.
class FrameReader {
 public:
  // Feeds bytes; returns the frames (or refusals) they completed, in order.
  std::vector<Result<LinkFrame>> push(std::span<const std::uint8_t> bytes);
  // Forgets a partial frame (the port was closed and reopened).
  void reset() noexcept;
  const FrameReaderStats& stats() const noexcept { return stats_; }

 private:
  std::vector<std::uint8_t> buffer_;
  bool overflowing_ = false;  // skipping to the next delimiter
  FrameReaderStats stats_;
};

}  // namespace wms::fwbridge
