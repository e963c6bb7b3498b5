// Feedback: what the picker hears and sees besides the screen. A good read
// beeps and lights the green LED; an error buzzes and lights the red one.
// The firmware bridge implements this for real hardware later; until then
// TerminalBellFeedback rings the terminal bell.
//
// Threading: implementations are called from the app's thread only.
#pragma once

#include <atomic>
#include <cstdint>

namespace wms::handheld {

class Feedback {
 public:
  virtual ~Feedback() = default;
  // A scan or step was accepted.
  virtual void goodRead() = 0;
  // A scan or step was refused (the screen shows why).
  virtual void error() = 0;
};

// Rings the terminal bell on a file descriptor it does not own (default
// standard output): once for a good read, twice for an error. Write errors
// are ignored (a missing beep must not stop picking).
class TerminalBellFeedback : public Feedback {
 public:
  explicit TerminalBellFeedback(int fd = 1) : fd_(fd) {}
  void goodRead() override;
  void error() override;

 private:
  int fd_;
};

// Counts instead of making a sound: headless runs, the simulator, tests.
class CountingFeedback : public Feedback {
 public:
  void goodRead() override { ++good_; }
  void error() override { ++bad_; }
  std::uint64_t good() const noexcept { return good_; }
  std::uint64_t bad() const noexcept { return bad_; }

 private:
  std::atomic<std::uint64_t> good_{0};
  std::atomic<std::uint64_t> bad_{0};
};

}  // namespace wms::handheld
