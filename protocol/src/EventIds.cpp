#include "wms/protocol/EventIds.h"

#include <random>
#include <stdexcept>

namespace wms::protocol {
namespace {

bool isEventIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == ':' || c == '-';
}

// The longest decimal uint64 plus the '-' separator.
constexpr std::size_t kSeqSuffixMax = 21;

std::string randomSession() {
  std::random_device rd;
  std::uint64_t bits = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = kHex[bits & 0xF];
    bits >>= 4;
  }
  return s;
}

}  // namespace

bool isValidEventId(std::string_view id) noexcept {
  if (id.empty() || id.size() > kMaxEventIdLength) return false;
  for (char c : id) {
    if (!isEventIdChar(c)) return false;
  }
  return true;
}

EventIdGenerator::EventIdGenerator() : EventIdGenerator(randomSession()) {}

EventIdGenerator::EventIdGenerator(std::string session, std::uint64_t firstSeq)
    : session_(std::move(session)), next_(firstSeq) {
  if (session_.empty() || session_.size() + kSeqSuffixMax > kMaxEventIdLength || !isValidEventId(session_)) {
    throw std::invalid_argument("EventIdGenerator: session '" + session_ +
                                "' must be 1-43 characters of [A-Za-z0-9_.:-]");
  }
}

std::string EventIdGenerator::next() {
  return session_ + "-" + std::to_string(next_.fetch_add(1, std::memory_order_relaxed));
}

}  // namespace wms::protocol
