#include "wms/fwbridge/Link.h"

#include <algorithm>

namespace wms::fwbridge {
namespace {

bool printable(std::span<const std::uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t c) { return c >= 0x20 && c <= 0x7E; });
}

}  // namespace

Link::Link(LinkOptions options) : options_(std::move(options)) {}

void Link::resetSequences() {
  txSeq_ = 0;
  rxExpected_ = 0;
}

void Link::start(TimePoint now) {
  reader_.reset();
  resetSequences();
  state_ = State::Handshaking;
  if (options_.role == LinkOptions::Role::Host) {
    // Commands are feedback for what happens now (a beep for this scan);
    // sent after a reconnect they would confuse the picker, so they go.
    stats_.dropped += queue_.size() + (inFlight_ ? 1 : 0);
    queue_.clear();
    inFlight_.reset();
    nonce_ = nextNonce_;
    nextNonce_ = static_cast<std::uint8_t>(nextNonce_ == 255 ? 1 : nextNonce_ + 1);
    sendHello(now);
  } else {
    dropInFlight();
    nonce_ = 0;
    sendHelloReply(0);
    helloDeadline_ = now + options_.helloInterval;
  }
}

void Link::dropInFlight() {
  // The frame in flight when a session ends may have arrived with only its
  // ACK lost; sent again in the new session it would be delivered twice (a
  // scan counted twice). It is dropped: at most once across sessions. Queued
  // frames were never sent and go out under the new session's numbers.
  if (inFlight_) {
    ++stats_.dropped;
    inFlight_.reset();
  }
}

void Link::sendHello(TimePoint now) {
  sendControl(type::kHello, 0, {kProtocolVersion, nonce_});
  helloDeadline_ = now + options_.helloInterval;
}

void Link::sendHelloReply(std::uint8_t nonce) {
  std::vector<std::uint8_t> payload{kProtocolVersion, nonce};
  const std::size_t room = kMaxPayload - payload.size();
  const std::string& fw = options_.firmwareVersion;
  payload.insert(payload.end(), fw.begin(),
                 fw.begin() + static_cast<std::ptrdiff_t>(std::min(room, fw.size())));
  sendControl(type::kHelloReply, 0, std::move(payload));
}

void Link::sendControl(std::uint8_t frameType, std::uint8_t seq, std::vector<std::uint8_t> payload) {
  transmit(LinkFrame{frameType, seq, std::move(payload)});
}

void Link::transmit(const LinkFrame& frame) {
  auto bytes = encodeFrame(frame);
  output_.insert(output_.end(), bytes.begin(), bytes.end());
  ++stats_.framesOut;
}

void Link::onBytes(std::span<const std::uint8_t> bytes, TimePoint now) {
  for (auto& frame : reader_.push(bytes)) {
    if (frame) {
      ++stats_.framesIn;
      onFrame(*frame, now);
      continue;
    }
    ++stats_.badFrames;
    // The broken frame may have been the one the peer waits to hear about:
    // a NAK naming what we expect makes it send that again now instead of
    // after its timeout.
    if (state_ == State::Up) {
      ++stats_.naksSent;
      sendControl(type::kNak, rxExpected_);
    }
  }
  pump(now);
}

void Link::onFrame(const LinkFrame& frame, TimePoint now) {
  const bool host = options_.role == LinkOptions::Role::Host;
  switch (frame.type) {
    case type::kAck:
      if (state_ == State::Up) onAck(frame.seq, now);
      return;
    case type::kNak:
      if (state_ == State::Up) {
        ++stats_.naksReceived;
        onNak(frame.seq, now);
      }
      return;
    case type::kHello: {
      if (host || frame.payload.size() != 2) {
        ++stats_.badFrames;
        return;
      }
      const std::uint8_t nonce = frame.payload[1];
      if (state_ == State::Up && nonce == nonce_) {
        // A repeated HELLO of the session we are in (our reply was slow or
        // lost): answer again, but do not reset, or frames already
        // numbered in this session would look like repeats.
        sendHelloReply(nonce);
        return;
      }
      dropInFlight();
      resetSequences();
      nonce_ = nonce;
      sendHelloReply(nonce);
      goUp(frame.payload[0], {});
      return;
    }
    case type::kHelloReply: {
      if (!host || frame.payload.size() < 2 ||
          !printable(std::span<const std::uint8_t>(frame.payload).subspan(2))) {
        ++stats_.badFrames;
        return;
      }
      const std::uint8_t version = frame.payload[0];
      const std::uint8_t nonce = frame.payload[1];
      std::string firmware(frame.payload.begin() + 2, frame.payload.end());
      if (state_ == State::Up) {
        if (nonce == 0) {
          // The device announced itself: it restarted and lost our session.
          events_.push_back(LinkDown{"firmware restarted (" + firmware + ")"});
          start(now);
        }
        return;  // otherwise a late reply to a repeated HELLO
      }
      if (state_ != State::Handshaking || nonce != nonce_) {
        if (state_ == State::Handshaking && nonce == 0) sendHello(now);  // it just booted: ask now
        return;
      }
      if (version != kProtocolVersion) {
        ++stats_.versionMismatches;
        events_.push_back(LinkDown{"firmware " + firmware + " speaks protocol version " +
                                   std::to_string(version) + ", the bridge speaks " +
                                   std::to_string(kProtocolVersion)});
        // Ask again, but slowly: a firmware update may fix it; a log line
        // every few seconds is enough.
        helloDeadline_ = now + 20 * options_.helloInterval;
        return;
      }
      resetSequences();
      goUp(version, std::move(firmware));
      return;
    }
    default:
      if (!isSequenced(frame.type)) {
        ++stats_.badFrames;
        return;
      }
      if (state_ != State::Up) {
        ++stats_.beforeHandshake;
        return;
      }
      onSequenced(frame);
  }
}

void Link::goUp(std::uint8_t peerVersion, std::string firmware) {
  state_ = State::Up;
  ++stats_.handshakes;
  events_.push_back(LinkUp{peerVersion, std::move(firmware)});
}

void Link::onSequenced(const LinkFrame& frame) {
  if (frame.seq == rxExpected_) {
    ++rxExpected_;
    ++stats_.delivered;
    sendControl(type::kAck, frame.seq);
    events_.push_back(RawMessage{frame.type, frame.payload});
    return;
  }
  if (frame.seq == static_cast<std::uint8_t>(rxExpected_ - 1)) {
    // Our ACK was lost and the peer sent it again: acknowledge, deliver nothing.
    ++stats_.duplicates;
    sendControl(type::kAck, frame.seq);
    return;
  }
  ++stats_.outOfOrder;
  ++stats_.naksSent;
  sendControl(type::kNak, rxExpected_);
}

void Link::onAck(std::uint8_t seq, TimePoint now) {
  if (inFlight_ && inFlight_->frame.seq == seq) {
    inFlight_.reset();
    pump(now);
  }
}

void Link::onNak(std::uint8_t seq, TimePoint now) {
  if (!inFlight_) return;
  if (seq == inFlight_->frame.seq) {
    retransmit(now);
  } else if (seq == static_cast<std::uint8_t>(inFlight_->frame.seq + 1)) {
    // The peer expects the next one: it has ours and its ACK was lost.
    onAck(inFlight_->frame.seq, now);
  }
}

void Link::retransmit(TimePoint now) {
  if (!inFlight_) return;
  if (inFlight_->retries >= options_.maxRetries) {
    ++stats_.dropped;
    const int retries = inFlight_->retries;
    inFlight_.reset();
    events_.push_back(LinkDown{"no acknowledgement after " + std::to_string(retries) + " retransmissions"});
    start(now);
    return;
  }
  ++inFlight_->retries;
  ++stats_.retransmits;
  transmit(inFlight_->frame);
  inFlight_->deadline = now + options_.ackTimeout;
}

void Link::pump(TimePoint now) {
  if (state_ != State::Up || inFlight_ || queue_.empty()) return;
  RawMessage next = std::move(queue_.front());
  queue_.pop_front();
  LinkFrame frame{next.type, txSeq_++, std::move(next.payload)};
  transmit(frame);
  inFlight_ = InFlight{std::move(frame), now + options_.ackTimeout, 0};
}

void Link::tick(TimePoint now) {
  if (state_ == State::Handshaking && now >= helloDeadline_) {
    if (options_.role == LinkOptions::Role::Host) {
      sendHello(now);
    } else {
      sendHelloReply(0);
      helloDeadline_ = now + options_.helloInterval;
    }
  }
  if (inFlight_ && now >= inFlight_->deadline) retransmit(now);
  pump(now);
}

Status Link::send(RawMessage message, TimePoint now) {
  if (!isSequenced(message.type)) {
    return makeError(ErrorKind::Invalid,
                     "frame type " + std::to_string(message.type) + " is not a message type");
  }
  if (message.payload.size() > kMaxPayload) {
    return makeError(ErrorKind::TooLarge,
                     "payload of " + std::to_string(message.payload.size()) + " bytes exceeds one frame");
  }
  if (state_ == State::Idle || (options_.role == LinkOptions::Role::Host && state_ != State::Up)) {
    return makeError(ErrorKind::Unavailable, "the firmware link is not up");
  }
  if (queue_.size() >= options_.queueLimit) {
    return makeError(ErrorKind::TooLarge,
                     "the firmware link's send queue is full (" + std::to_string(options_.queueLimit) + ")");
  }
  queue_.push_back(std::move(message));
  pump(now);
  return {};
}

std::vector<std::uint8_t> Link::takeOutput() {
  return std::exchange(output_, {});
}

std::vector<LinkEvent> Link::takeEvents() {
  return std::exchange(events_, {});
}

std::optional<TimePoint> Link::nextDeadline() const {
  std::optional<TimePoint> at;
  if (state_ == State::Handshaking) at = helloDeadline_;
  if (inFlight_ && (!at || inFlight_->deadline < *at)) at = inFlight_->deadline;
  return at;
}

}  // namespace wms::fwbridge
