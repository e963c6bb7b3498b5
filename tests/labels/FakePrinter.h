// A raw TCP "printer" on a loopback port for tests: it accepts connections
// one after another and records every byte each one sent until it closed.
// It can answer ~HS with a given reply (a real status, or garbage), stay
// silent, or hang up at once.
//
// Threading: the accept loop runs on its own thread; all public methods are
// thread-safe. The destructor stops the thread and closes the port.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wms::labels::test {

class FakePrinter {
 public:
  enum class Mode {
    Record,        // read until the client closes
    AnswerStatus,  // like Record, and answer "~HS" with statusReply
    HangUp,        // close every connection at once without reading
  };

  // Listens on 127.0.0.1:port (0 = any free port). Throws if it cannot bind.
  explicit FakePrinter(Mode mode = Mode::Record, std::string statusReply = {}, std::uint16_t port = 0);
  ~FakePrinter();
  FakePrinter(const FakePrinter&) = delete;
  FakePrinter& operator=(const FakePrinter&) = delete;

  std::uint16_t port() const { return port_; }

  // The bytes of each finished connection, oldest first.
  std::vector<std::string> jobs() const;
  // Waits until at least `count` connections have finished; false on timeout.
  bool waitForJobs(std::size_t count, std::chrono::milliseconds timeout) const;

  // A reply to ~HS from a ready printer.
  static std::string readyStatus();

 private:
  void run();
  std::string serve(int fd);

  const Mode mode_;
  const std::string statusReply_;
  int listenFd_ = -1;
  int wakeFd_[2] = {-1, -1};
  std::uint16_t port_ = 0;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<std::string> jobs_;  // protected by mutex_

  std::thread thread_;
};

// A port on 127.0.0.1 where nothing listens (a printer that is off).
std::uint16_t closedPort();

}  // namespace wms::labels::test
