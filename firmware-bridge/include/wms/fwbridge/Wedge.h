// Keyboard-wedge scanners read through Linux evdev: key events assembled into
// codes (docs/firmware-protocol.md, "Keyboard-wedge scanners").
//
// A wedge scanner types each read as key strokes and usually ends it with
// Enter. The assembler turns key presses into characters by a keyboard
// layout (US or German QWERTZ, the layout the scanner is set to), takes GS
// as the scanner sends it (Ctrl with the key right of P, which is Ctrl+] on
// a US keyboard, or Alt with 0 2 9 on the keypad), checks the configured
// prefix, cuts at the suffix and refuses what cannot be a scan: a pause
// between keys longer than the timeout (a person typing, a cut-off read), a
// key the layout does not map, a code over the maximum length. Held keys
// (auto-repeat) are ignored. Pure: times come from the events.
//
// Threading: not synchronised; one thread feeds each assembler.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::fwbridge {

// One struct input_event, independent of the platform's time layout.
struct InputEvent {
  std::chrono::microseconds time{0};  // the kernel's timestamp (CLOCK_MONOTONIC in the daemon)
  std::uint16_t type = 0;             // EV_KEY, EV_SYN, ...
  std::uint16_t code = 0;             // KEY_A, ...
  std::int32_t value = 0;             // 1 press, 0 release, 2 auto-repeat
};

// The size of one struct input_event on this platform (24 bytes on 64-bit).
std::size_t inputEventSize() noexcept;

// Parses a recorded or read stream of struct input_event. Errors: Malformed
// when the size is not a whole number of events.
Result<std::vector<InputEvent>> parseInputEvents(std::span<const std::uint8_t> bytes);
// The bytes of `events` as the kernel would write them (tests, simulator).
std::vector<std::uint8_t> encodeInputEvents(const std::vector<InputEvent>& events);

enum class KeyboardLayout { Us, De };
// "us" or "de". Errors: Invalid naming the accepted values.
Result<KeyboardLayout> parseKeyboardLayout(std::string_view name);

struct WedgeOptions {
  KeyboardLayout layout = KeyboardLayout::Us;
  std::string prefix;         // a read must start with this; it is removed
  std::string suffix = "\n";  // ends a read and is removed; empty: a read ends at the timeout
  std::chrono::milliseconds interKeyTimeout{80};
  std::size_t maxLength = 4096;
};

struct WedgeStats {
  std::uint64_t codes = 0;
  std::uint64_t timeouts = 0;  // partial reads dropped after a pause
  std::uint64_t badPrefix = 0;
  std::uint64_t unmappedKeys = 0;  // reads dropped for a key the layout lacks
  std::uint64_t tooLong = 0;
  std::uint64_t repeats = 0;  // auto-repeat events ignored
  std::uint64_t empty = 0;    // a suffix with nothing before it
};

// The key strokes of `text` on `layout` as a scanner types them (press and
// release, shift around capitals, Ctrl+] for GS), `step` apart from `start`.
// For tests and the simulator. Errors: Invalid for a character the layout
// cannot type.
Result<std::vector<InputEvent>> typeText(std::string_view text, KeyboardLayout layout,
                                         std::chrono::microseconds start, std::chrono::microseconds step);

class KeyAssembler {
 public:
  explicit KeyAssembler(WedgeOptions options);

  // Feeds one event; returns the reads it completed (usually none) or the
  // refusals, each naming what was wrong.
  std::vector<Result<std::string>> onEvent(const InputEvent& event);
  // At `now` (same clock as the events): ends a suffix-less read, or drops a
  // partial one, after the inter-key timeout.
  std::vector<Result<std::string>> tick(std::chrono::microseconds now);
  // When tick() has work to do, if anything is buffered.
  std::optional<std::chrono::microseconds> nextDeadline() const;

  const WedgeStats& stats() const noexcept { return stats_; }

 private:
  void finish(std::vector<Result<std::string>>& out, std::string text);
  void drop(std::vector<Result<std::string>>& out, Error error);
  void append(std::vector<Result<std::string>>& out, char c, std::chrono::microseconds at);
  void flushStale(std::vector<Result<std::string>>& out, std::chrono::microseconds at);
  void markBad(std::vector<Result<std::string>>& out, std::chrono::microseconds at, Error error);

  const WedgeOptions options_;
  std::string buffer_;
  std::chrono::microseconds lastKey_{0};
  bool bad_ = false;  // the read in progress is already refused
  Error badReason_;
  bool shift_ = false;  // either shift key held
  bool ctrl_ = false;
  bool alt_ = false;       // left Alt: keypad Alt codes
  bool altGr_ = false;     // right Alt: the German layout's third level
  std::string altDigits_;  // keypad digits while Alt is held
  WedgeStats stats_;
};

}  // namespace wms::fwbridge
