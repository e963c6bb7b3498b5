// A child process started by a test, stopped and reaped when the object goes
// out of scope (SIGTERM, then SIGKILL after a grace period).
//
// Threading: not thread-safe; use from the test's thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace wms::testsupport {

class ChildProcess {
 public:
  struct Options {
    std::vector<std::string> env;        // extra "NAME=value" entries
    std::filesystem::path output;        // stdout+stderr go here (default: inherited)
    std::filesystem::path workingDir;    // default: the current folder
  };

  // Starts argv[0] (a path, or a name looked up in PATH) with the arguments,
  // through withEmulator(). Throws std::runtime_error if it cannot be started.
  explicit ChildProcess(std::vector<std::string> argv);
  ChildProcess(std::vector<std::string> argv, Options options);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();

  // Sends SIGTERM and waits up to `grace` for the exit; SIGKILL after that.
  // Returns the exit status as from waitpid (see exitCode()).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // SIGKILL now (a crash, as kill -9), and reap.
  void kill9();
  // Waits for the process to exit on its own; std::nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);

  // The exit code of a status from stop()/wait(): the code of a normal exit,
  // or 128 + signal number for a process killed by a signal.
  static int exitCode(int status);

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// argv unchanged, or, when the tests run under an emulator (a cross build:
// ctest sets WMS_TEST_EMULATOR, e.g. "/usr/bin/qemu-aarch64")
// and argv[0] is one of this build's programs (under WMS_BINARY_DIR), the
// emulator's words followed by argv: an emulated process cannot exec a
// program of the emulated machine without binfmt_misc. The build machine's
// programs (mosquitto, tmux) run as they are.
std::vector<std::string> withEmulator(std::vector<std::string> argv);

// The shell words that start this build's programs: "" natively, else
// WMS_TEST_EMULATOR and a space. For a command line given to a shell (tmux).
std::string emulatorPrefix();

// Runs a command (through withEmulator()) to completion and returns its exit
// code and combined output.
struct CommandResult {
  int exitCode = -1;
  std::string output;
};
CommandResult runCommand(const std::vector<std::string>& argv, const std::string& stdinText = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace wms::testsupport
