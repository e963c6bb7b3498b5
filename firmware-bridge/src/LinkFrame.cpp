#include "wms/fwbridge/LinkFrame.h"

#include <stdexcept>

#include "wms/fwbridge/Cobs.h"
#include "wms/fwbridge/Crc16.h"

namespace wms::fwbridge {

std::vector<std::uint8_t> encodeFrame(const LinkFrame& frame) {
  if (frame.payload.size() > kMaxPayload) {
    throw std::invalid_argument("encodeFrame: payload of " + std::to_string(frame.payload.size()) +
                                " bytes exceeds " + std::to_string(kMaxPayload));
  }
  std::vector<std::uint8_t> body;
  body.reserve(frame.payload.size() + 4);
  body.push_back(frame.type);
  body.push_back(frame.seq);
  body.insert(body.end(), frame.payload.begin(), frame.payload.end());
  const std::uint16_t crc = crc16(body);
  body.push_back(static_cast<std::uint8_t>(crc >> 8));
  body.push_back(static_cast<std::uint8_t>(crc & 0xFF));
  // A delimiter before the frame as well as after it: noise on an idle
  // line then ends at this frame's start instead of spoiling it.
  std::vector<std::uint8_t> out;
  out.reserve(cobsMaxEncodedSize(body.size()) + 2);
  out.push_back(0);
  auto encoded = cobsEncode(body);
  out.insert(out.end(), encoded.begin(), encoded.end());
  out.push_back(0);
  return out;
}

Result<LinkFrame> decodeFrame(std::span<const std::uint8_t> encoded) {
  if (encoded.size() > cobsMaxEncodedSize(kMaxFrameBody)) {
    return makeError(ErrorKind::TooLarge,
                     "frame of " + std::to_string(encoded.size()) + " bytes exceeds the maximum");
  }
  auto body = cobsDecode(encoded);
  if (!body) return body.error();
  if (body->size() < 4) {
    return makeError(ErrorKind::Malformed,
                     "frame of " + std::to_string(body->size()) + " bytes is shorter than type, seq and CRC");
  }
  if (body->size() > kMaxFrameBody) {
    return makeError(ErrorKind::TooLarge,
                     "frame body of " + std::to_string(body->size()) + " bytes exceeds the maximum");
  }
  const std::size_t n = body->size();
  const auto want = static_cast<std::uint16_t>(((*body)[n - 2] << 8) | (*body)[n - 1]);
  const std::uint16_t got = crc16(std::span<const std::uint8_t>(body->data(), n - 2));
  if (want != got) return makeError(ErrorKind::Invalid, "frame CRC mismatch");
  LinkFrame frame;
  frame.type = (*body)[0];
  frame.seq = (*body)[1];
  frame.payload.assign(body->begin() + 2, body->end() - 2);
  return frame;
}

std::vector<Result<LinkFrame>> FrameReader::push(std::span<const std::uint8_t> bytes) {
  std::vector<Result<LinkFrame>> out;
  constexpr std::size_t kLimit = cobsMaxEncodedSize(kMaxFrameBody);
  for (std::uint8_t b : bytes) {
    if (b != 0) {
      if (overflowing_) continue;
      if (buffer_.size() >= kLimit) {
        // Do not buffer without bound on a line that never sends a zero.
        overflowing_ = true;
        buffer_.clear();
        continue;
      }
      buffer_.push_back(b);
      continue;
    }
    if (overflowing_) {
      overflowing_ = false;
      ++stats_.oversize;
      out.emplace_back(makeError(ErrorKind::TooLarge, "frame longer than the maximum skipped"));
      continue;
    }
    if (buffer_.empty()) {
      ++stats_.emptyFrames;
      continue;
    }
    auto frame = decodeFrame(buffer_);
    buffer_.clear();
    if (frame) {
      ++stats_.frames;
    } else if (frame.error().kind == ErrorKind::Invalid) {
      ++stats_.crcErrors;
    } else if (frame.error().kind == ErrorKind::TooLarge) {
      ++stats_.oversize;
    } else {
      ++stats_.malformed;
    }
    out.push_back(std::move(frame));
  }
  return out;
}

void FrameReader::reset() noexcept {
  buffer_.clear();
  overflowing_ = false;
}

}  // namespace wms::fwbridge
