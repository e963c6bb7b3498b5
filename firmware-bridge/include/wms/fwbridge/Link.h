// The firmware link's state machine: handshake, sequence numbers, ACK/NAK
// and timed retransmission (docs/firmware-protocol.md, "Link").
//
// Pure: it does no I/O and reads no clock. The caller feeds it the bytes read
// from the tty and the current time, writes out what takeOutput() returns and
// calls tick() by nextDeadline(). The same class plays both sides: the
// bridge (Role::Host, starts the handshake) and, in the simulator and tests,
// the microcontroller (Role::Device, answers it).
//
// Stop-and-wait: one sequenced frame in flight per direction. A frame is
// delivered at most once (a repeated sequence number is acknowledged again
// but not delivered), in order, and only if its CRC matched. Within a
// session nothing is lost; when a session ends (a new handshake) the frame
// in flight is dropped, because it may already have been delivered.
//
// Threading: not synchronised; one thread drives it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "wms/common/Result.h"
#include "wms/fwbridge/LinkFrame.h"
#include "wms/fwbridge/Messages.h"

namespace wms::fwbridge {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

struct LinkOptions {
  enum class Role { Host, Device };
  Role role = Role::Host;
  // A sequenced frame not acknowledged within this is sent again; at 115200
  // baud a full frame takes 22 ms each way.
  std::chrono::milliseconds ackTimeout{100};
  // After this many retransmissions of one frame the peer is taken as gone:
  // the host drops the frame and starts the handshake again.
  int maxRetries = 5;
  // The host repeats HELLO this often until the device answers.
  std::chrono::milliseconds helloInterval{250};
  // Frames waiting behind the one in flight; send() refuses beyond.
  std::size_t queueLimit = 32;
  // Role::Device: the firmware version text sent in HELLO_REPLY.
  std::string firmwareVersion = "sim";
};

struct LinkStats {
  std::uint64_t framesIn = 0;    // good frames received
  std::uint64_t framesOut = 0;   // frames written (retransmissions included)
  std::uint64_t badFrames = 0;   // CRC, COBS, length (FrameReader counts the detail)
  std::uint64_t delivered = 0;   // sequenced frames delivered
  std::uint64_t duplicates = 0;  // repeated sequence numbers, not delivered
  std::uint64_t outOfOrder = 0;  // unexpected sequence numbers, NAKed
  std::uint64_t naksSent = 0;
  std::uint64_t naksReceived = 0;
  std::uint64_t retransmits = 0;
  std::uint64_t dropped = 0;  // frames given up: after maxRetries, or in flight or queued at a new session
  std::uint64_t beforeHandshake = 0;  // sequenced frames ignored before the handshake
  std::uint64_t handshakes = 0;       // completed handshakes
  std::uint64_t versionMismatches = 0;
};

// The link came up: the handshake completed.
struct LinkUp {
  std::uint8_t peerVersion = 0;
  std::string firmware;  // the device's firmware text (Role::Host)
};
// The link went down: the peer stopped acknowledging or restarted.
struct LinkDown {
  std::string reason;
};
// A sequenced frame delivered in order, once.
using LinkEvent = std::variant<LinkUp, LinkDown, RawMessage>;

class Link {
 public:
  enum class State { Idle, Handshaking, Up };

  explicit Link(LinkOptions options);

  // Starts (or restarts, after the port was reopened) from a clean state:
  // the host sends HELLO, the device announces itself with an unsolicited
  // HELLO_REPLY. The host drops its queue (commands are for now); the device
  // keeps its queue but drops the frame in flight (it may have arrived).
  void start(TimePoint now);
  // Bytes read from the port.
  void onBytes(std::span<const std::uint8_t> bytes, TimePoint now);
  // Timers: retransmission, HELLO repeats.
  void tick(TimePoint now);
  // Queues a sequenced message. Errors: Invalid for a control type,
  // Unavailable when the link is not up, TooLarge when the queue is full.
  Status send(RawMessage message, TimePoint now);

  // Bytes to write to the port, in order; empties the buffer.
  std::vector<std::uint8_t> takeOutput();
  // Events since the last call, in order.
  std::vector<LinkEvent> takeEvents();
  // When tick() next has work to do; nullopt when nothing is timed.
  std::optional<TimePoint> nextDeadline() const;

  State state() const noexcept { return state_; }
  const LinkStats& stats() const noexcept { return stats_; }
  const FrameReaderStats& readerStats() const noexcept { return reader_.stats(); }
  // Frames queued or in flight.
  std::size_t pending() const noexcept { return queue_.size() + (inFlight_ ? 1 : 0); }

 private:
  struct InFlight {
    LinkFrame frame;
    TimePoint deadline;
    int retries = 0;
  };
  void onFrame(const LinkFrame& frame, TimePoint now);
  void onSequenced(const LinkFrame& frame);
  void onAck(std::uint8_t seq, TimePoint now);
  void onNak(std::uint8_t seq, TimePoint now);
  void sendHello(TimePoint now);
  void sendHelloReply(std::uint8_t nonce);
  void sendControl(std::uint8_t frameType, std::uint8_t seq, std::vector<std::uint8_t> payload = {});
  void transmit(const LinkFrame& frame);
  void pump(TimePoint now);
  void retransmit(TimePoint now);
  void goUp(std::uint8_t peerVersion, std::string firmware);
  void resetSequences();
  void dropInFlight();

  const LinkOptions options_;
  FrameReader reader_;
  State state_ = State::Idle;
  std::uint8_t txSeq_ = 0;       // next sequence number to send
  std::uint8_t rxExpected_ = 0;  // next sequence number to deliver
  std::uint8_t nonce_ = 0;       // this handshake's (host: ours; device: the host's)
  std::uint8_t nextNonce_ = 1;   // host: never 0, which marks a device's boot announcement
  TimePoint helloDeadline_{};
  std::optional<InFlight> inFlight_;
  std::deque<RawMessage> queue_;
  std::vector<std::uint8_t> output_;
  std::vector<LinkEvent> events_;
  LinkStats stats_;
};

}  // namespace wms::fwbridge
