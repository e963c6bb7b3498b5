// Event ids: how the server recognises a redelivered or resent event.
//
// Rule: every event a device sends has an event id that the device never
// uses again for a different event. The server records (device, event_id)
// in the same database transaction as the event's effect and applies each
// pair at most once; a resend of the same event carries the same id and is
// answered with ack result "duplicate". An event id is 1..64 characters of
// [A-Za-z0-9_.:-].
//
// EventIdGenerator makes "<session>-<seq>": a random 16-hex-digit session
// chosen when the generator is made (a new one after every app start, so
// ids stay unique across restarts without storing a counter) and a counter
// from 1. A device that keeps unsent events across restarts stores each
// event with its id and resends it with that id.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace wms::protocol {

inline constexpr std::size_t kMaxEventIdLength = 64;

// True if id is a valid event id (see the rule above).
bool isValidEventId(std::string_view id) noexcept;

// Thread-safe: next() may be called from any thread.
class EventIdGenerator {
 public:
  // A random session (from std::random_device).
  EventIdGenerator();
  // A given session (tests, or a device that persists its own session);
  // throws std::invalid_argument if "<session>-<any seq>" could exceed 64
  // characters or the session is empty or has characters outside
  // [A-Za-z0-9_.:-].
  explicit EventIdGenerator(std::string session, std::uint64_t firstSeq = 1);
  EventIdGenerator(const EventIdGenerator&) = delete;
  EventIdGenerator& operator=(const EventIdGenerator&) = delete;

  // The next id, e.g. "9f86d081884c7d65-42".
  std::string next();

  const std::string& session() const noexcept { return session_; }

 private:
  const std::string session_;       // constant after construction
  std::atomic<std::uint64_t> next_;
};

}  // namespace wms::protocol
