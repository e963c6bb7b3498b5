#include "wms/fwbridge/Ssi.h"

#include <stdexcept>

namespace wms::fwbridge {
namespace {

std::uint16_t sumOf(std::span<const std::uint8_t> bytes) {
  std::uint16_t sum = 0;
  for (std::uint8_t b : bytes) sum = static_cast<std::uint16_t>(sum + b);
  return sum;
}

bool isScanChar(std::uint8_t c) noexcept {
  return c == 0x1D || (c >= 0x20 && c <= 0x7E);
}

bool looksLikeAim(const std::vector<std::uint8_t>& d, std::size_t from) {
  if (d.size() < from + 4 || d[from] != ']') return false;
  const auto letter = d[from + 1];
  const auto mod = d[from + 2];
  return ((letter >= 'A' && letter <= 'Z') || (letter >= 'a' && letter <= 'z')) &&
         ((mod >= '0' && mod <= '9') || (mod >= 'A' && mod <= 'Z') || (mod >= 'a' && mod <= 'z'));
}

std::string opcodeName(std::uint8_t op) {
  switch (op) {
    case ssi::kBeep:
      return "BEEP";
    case ssi::kLedOn:
      return "LED_ON";
    case ssi::kLedOff:
      return "LED_OFF";
    case ssi::kScanEnable:
      return "SCAN_ENABLE";
    case ssi::kScanDisable:
      return "SCAN_DISABLE";
    case ssi::kStartDecode:
      return "START_DECODE";
    case ssi::kStopDecode:
      return "STOP_DECODE";
    case ssi::kParamSend:
      return "PARAM_SEND";
    default:
      return "opcode " + std::to_string(op);
  }
}

}  // namespace

std::vector<std::uint8_t> encodeSsi(const SsiPacket& packet) {
  if (packet.data.size() > ssi::kMaxData) {
    throw std::invalid_argument("encodeSsi: " + std::to_string(packet.data.size()) +
                                " data bytes exceed one packet");
  }
  std::vector<std::uint8_t> out;
  out.reserve(packet.data.size() + ssi::kMinLength + 2);
  out.push_back(static_cast<std::uint8_t>(packet.data.size() + ssi::kMinLength));
  out.push_back(packet.opcode);
  out.push_back(packet.source);
  out.push_back(packet.status);
  out.insert(out.end(), packet.data.begin(), packet.data.end());
  const auto checksum = static_cast<std::uint16_t>(0x10000 - sumOf(out));
  out.push_back(static_cast<std::uint8_t>(checksum >> 8));
  out.push_back(static_cast<std::uint8_t>(checksum & 0xFF));
  return out;
}

Result<SsiPacket> decodeSsi(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < ssi::kMinLength + 2) {
    return makeError(ErrorKind::Malformed,
                     "SSI packet of " + std::to_string(bytes.size()) + " bytes is shorter than the minimum");
  }
  const std::size_t length = bytes[0];
  if (length < ssi::kMinLength || length + 2 != bytes.size()) {
    return makeError(ErrorKind::Malformed, "SSI length byte " + std::to_string(length) +
                                               " does not match a packet of " + std::to_string(bytes.size()) +
                                               " bytes");
  }
  const auto want = static_cast<std::uint16_t>((bytes[length] << 8) | bytes[length + 1]);
  if (static_cast<std::uint16_t>(sumOf(bytes.first(length)) + want) != 0) {
    return makeError(ErrorKind::Invalid, "SSI checksum mismatch");
  }
  SsiPacket p;
  p.opcode = bytes[1];
  p.source = bytes[2];
  p.status = bytes[3];
  p.data.assign(bytes.begin() + 4, bytes.begin() + static_cast<std::ptrdiff_t>(length));
  return p;
}

std::string aimForSsiType(std::uint8_t barcodeType) {
  switch (barcodeType) {
    case 0x01:
      return "]A0";  // Code 39
    case 0x03:
      return "]C0";  // Code 128
    case 0x06:
      return "]I0";  // Interleaved 2 of 5
    case 0x08:
      return "]E0";  // UPC-A
    case 0x09:
      return "]E0";  // UPC-E
    case 0x0A:
      return "]E4";  // EAN-8
    case 0x0B:
      return "]E0";  // EAN-13
    case 0x0F:
      return "]C1";  // GS1-128
    case 0x1B:
      return "]d1";  // Data Matrix
    case 0x1C:
      return "]Q1";  // QR Code
    case 0x30:
      return "]e0";  // GS1 DataBar
    case 0x32:
      return "]e0";  // GS1 DataBar Expanded
    default:
      return {};
  }
}

std::vector<SsiPacket> SsiReader::push(std::span<const std::uint8_t> bytes, TimePoint now) {
  if (!bytes.empty()) lastByte_ = now;
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  return scan();
}

std::vector<SsiPacket> SsiReader::scan() {
  std::vector<SsiPacket> out;
  std::size_t at = 0;
  while (at < buffer_.size()) {
    const std::size_t length = buffer_[at];
    if (length < ssi::kMinLength) {
      ++at;
      ++stats_.skippedBytes;
      continue;
    }
    if (buffer_.size() - at < length + 2) break;
    auto packet = decodeSsi(std::span<const std::uint8_t>(buffer_.data() + at, length + 2));
    if (packet) {
      ++stats_.packets;
      out.push_back(std::move(*packet));
      at += length + 2;
    } else {
      ++stats_.checksumErrors;
      ++stats_.skippedBytes;
      ++at;
    }
  }
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(at));
  return out;
}

std::vector<SsiPacket> SsiReader::tick(TimePoint now) {
  std::vector<SsiPacket> out;
  if (buffer_.empty() || now - lastByte_ < gap_) return out;
  // Nothing more is coming for what is buffered: a packet cut short, or a
  // length byte that was noise. Drop bytes until what is left parses.
  while (!buffer_.empty()) {
    buffer_.erase(buffer_.begin());
    ++stats_.skippedBytes;
    ++stats_.stalePartials;
    auto found = scan();
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

SsiDriver::SsiDriver(SsiOptions options) : options_(options) {}

Status SsiDriver::command(std::uint8_t opcode, std::vector<std::uint8_t> data, TimePoint now) {
  if (data.size() > ssi::kMaxData) {
    return makeError(ErrorKind::TooLarge, opcodeName(opcode) + ": " + std::to_string(data.size()) +
                                              " data bytes exceed one packet");
  }
  if (queue_.size() >= options_.queueLimit) {
    return makeError(ErrorKind::TooLarge, "the scan engine's command queue is full");
  }
  queue_.push_back(SsiPacket{opcode, ssi::kSourceHost, 0, std::move(data)});
  pump(now);
  return {};
}

Status SsiDriver::sendParams(const std::vector<std::pair<std::uint16_t, std::uint8_t>>& params,
                             bool permanent, TimePoint now) {
  // The first byte is the beep code; 0xFF asks the engine not to beep.
  std::vector<std::uint8_t> data{0xFF};
  for (const auto& [param, value] : params) {
    if (param >= 0xF0) {
      return makeError(ErrorKind::Invalid, "SSI parameter " + std::to_string(param) +
                                               " needs the extended encoding, which is not supported");
    }
    data.push_back(static_cast<std::uint8_t>(param));
    data.push_back(value);
  }
  if (data.size() > ssi::kMaxData)
    return makeError(ErrorKind::TooLarge, "too many SSI parameters for one packet");
  if (queue_.size() >= options_.queueLimit)
    return makeError(ErrorKind::TooLarge, "the scan engine's command queue is full");
  queue_.push_back(SsiPacket{ssi::kParamSend, ssi::kSourceHost,
                             static_cast<std::uint8_t>(permanent ? ssi::kStatusPermanent : 0),
                             std::move(data)});
  pump(now);
  return {};
}

void SsiDriver::onBytes(std::span<const std::uint8_t> bytes, TimePoint now) {
  const auto checksumErrorsBefore = reader_.stats().checksumErrors;
  auto packets = reader_.push(bytes, now);
  if (reader_.stats().checksumErrors != checksumErrorsBefore && !nakPending_) {
    // One RESEND per burst of garbage: the resync slides byte by byte and
    // would otherwise answer one burst with a NAK for every byte.
    sendNak(ssi::kNakResend);
    nakPending_ = true;
  }
  for (const auto& p : packets) onPacket(p, now);
  pump(now);
}

void SsiDriver::onPacket(const SsiPacket& packet, TimePoint now) {
  nakPending_ = false;
  switch (packet.opcode) {
    case ssi::kCmdAck:
      if (inFlight_) {
        events_.push_back(SsiCommandDone{inFlight_->packet.opcode});
        inFlight_.reset();
      }
      return;
    case ssi::kCmdNak: {
      ++stats_.naksReceived;
      if (!inFlight_) return;
      const std::uint8_t cause = packet.data.empty() ? ssi::kNakResend : packet.data[0];
      if (cause == ssi::kNakResend) {
        retransmit(now);
        return;
      }
      ++stats_.failedCommands;
      events_.push_back(
          SsiCommandFailed{inFlight_->packet.opcode,
                           "the engine refused " + opcodeName(inFlight_->packet.opcode) +
                               (cause == ssi::kNakDenied       ? " (denied)"
                                : cause == ssi::kNakBadContext ? " (bad context)"
                                                               : " (cause " + std::to_string(cause) + ")")});
      inFlight_.reset();
      return;
    }
    case ssi::kDecodeData:
      sendAck();
      onDecode(packet);
      return;
    default:
      // Replies the host did not ask for are acknowledged so the engine does
      // not repeat them, then ignored.
      sendAck();
      return;
  }
}

void SsiDriver::onDecode(const SsiPacket& packet) {
  SsiPacket plain = packet;
  plain.status = static_cast<std::uint8_t>(plain.status & ~ssi::kStatusRetransmit);
  if ((packet.status & ssi::kStatusRetransmit) && lastDecodePacket_ && *lastDecodePacket_ == plain) {
    // The engine did not hear our ACK and sent the same packet again.
    ++stats_.duplicates;
    return;
  }
  lastDecodePacket_ = plain;
  if (packet.data.empty()) {
    ++stats_.badDecodes;
    events_.push_back(SsiBadDecode{"DECODE_DATA without a barcode type"});
    return;
  }
  if (partialRead_.empty()) partialType_ = packet.data[0];
  partialRead_.insert(partialRead_.end(), packet.data.begin() + 1, packet.data.end());
  if (partialRead_.size() > options_.maxScanLength) {
    ++stats_.badDecodes;
    events_.push_back(SsiBadDecode{"read longer than " + std::to_string(options_.maxScanLength) + " bytes"});
    partialRead_.clear();
    return;
  }
  if (packet.status & ssi::kStatusContinuation) return;

  std::vector<std::uint8_t> read = std::move(partialRead_);
  partialRead_.clear();
  SsiDecode decode;
  std::size_t from = 0;
  if (looksLikeAim(read, 0)) {
    // The engine was set to transmit the AIM identifier itself.
    decode.symbology.assign(read.begin(), read.begin() + 3);
    from = 3;
  } else {
    decode.symbology = aimForSsiType(partialType_);
  }
  if (from == read.size()) {
    ++stats_.badDecodes;
    events_.push_back(SsiBadDecode{"DECODE_DATA without data"});
    return;
  }
  for (std::size_t i = from; i < read.size(); ++i) {
    if (!isScanChar(read[i])) {
      ++stats_.badDecodes;
      events_.push_back(SsiBadDecode{"read has control byte " + std::to_string(read[i])});
      return;
    }
  }
  decode.data.assign(read.begin() + static_cast<std::ptrdiff_t>(from), read.end());
  ++stats_.decodes;
  events_.push_back(std::move(decode));
}

void SsiDriver::sendAck() {
  write(SsiPacket{ssi::kCmdAck, ssi::kSourceHost, 0, {}});
}

void SsiDriver::sendNak(std::uint8_t cause) {
  ++stats_.naksSent;
  write(SsiPacket{ssi::kCmdNak, ssi::kSourceHost, 0, {cause}});
}

void SsiDriver::write(const SsiPacket& packet) {
  auto bytes = encodeSsi(packet);
  output_.insert(output_.end(), bytes.begin(), bytes.end());
}

void SsiDriver::retransmit(TimePoint now) {
  if (!inFlight_) return;
  if (inFlight_->retries >= options_.maxRetries) {
    ++stats_.failedCommands;
    events_.push_back(SsiCommandFailed{
        inFlight_->packet.opcode, "no answer from the engine to " + opcodeName(inFlight_->packet.opcode) +
                                      " after " + std::to_string(inFlight_->retries) + " retransmissions"});
    inFlight_.reset();
    pump(now);
    return;
  }
  ++inFlight_->retries;
  ++stats_.retransmits;
  inFlight_->packet.status = static_cast<std::uint8_t>(inFlight_->packet.status | ssi::kStatusRetransmit);
  write(inFlight_->packet);
  inFlight_->deadline = now + options_.ackTimeout;
}

void SsiDriver::pump(TimePoint now) {
  if (inFlight_ || queue_.empty()) return;
  SsiPacket next = std::move(queue_.front());
  queue_.pop_front();
  write(next);
  inFlight_ = InFlight{std::move(next), now + options_.ackTimeout, 0};
}

void SsiDriver::tick(TimePoint now) {
  for (const auto& p : reader_.tick(now)) onPacket(p, now);
  if (inFlight_ && now >= inFlight_->deadline) retransmit(now);
  pump(now);
}

void SsiDriver::reset() {
  reader_.reset();
  partialRead_.clear();
  // lastDecodePacket_ stays: an engine that repeats its last read (retransmit
  // bit) after the port came back must not deliver it a second time.
  nakPending_ = false;
  if (inFlight_) queue_.push_front(inFlight_->packet);
  inFlight_.reset();
  for (const auto& p : queue_) {
    ++stats_.failedCommands;
    events_.push_back(SsiCommandFailed{
        p.opcode, "the engine's port closed before " + opcodeName(p.opcode) + " was answered"});
  }
  queue_.clear();
}

std::vector<std::uint8_t> SsiDriver::takeOutput() {
  return std::exchange(output_, {});
}
std::vector<SsiEvent> SsiDriver::takeEvents() {
  return std::exchange(events_, {});
}

std::optional<TimePoint> SsiDriver::nextDeadline() const {
  std::optional<TimePoint> at;
  if (inFlight_) at = inFlight_->deadline;
  if (reader_.partial()) {
    const TimePoint stale = reader_.lastByte() + reader_.gap();
    if (!at || stale < *at) at = stale;
  }
  return at;
}

}  // namespace wms::fwbridge
