#include "wms/testsupport/ChildProcess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace wms::testsupport {
namespace {

std::vector<char*> cStrings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string emulator() {
  const char* e = std::getenv("WMS_TEST_EMULATOR");
  return e ? e : "";
}

}  // namespace

std::vector<std::string> withEmulator(std::vector<std::string> argv) {
  const std::string words = emulator();
  const std::string_view ownPrograms = WMS_BINARY_DIR "/";
  if (words.empty() || argv.empty() || !argv[0].starts_with(ownPrograms)) return argv;
  std::vector<std::string> out;
  std::istringstream in(words);
  for (std::string w; in >> w;) out.push_back(w);
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

std::string emulatorPrefix() {
  const std::string words = emulator();
  return words.empty() ? words : words + " ";
}

ChildProcess::ChildProcess(std::vector<std::string> argv) : ChildProcess(std::move(argv), Options{}) {}

ChildProcess::ChildProcess(std::vector<std::string> argv, Options options) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
  argv = withEmulator(std::move(argv));
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  for (auto& extra : options.env) env.push_back(extra);
  auto cargv = cStrings(argv);
  auto cenv = cStrings(env);

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid_ == 0) {
    // Child: own process group so that a stop reaches its children too.
    ::setpgid(0, 0);
    if (!options.workingDir.empty() && ::chdir(options.workingDir.c_str()) != 0) _exit(126);
    if (!options.output.empty()) {
      int fd = ::open(options.output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd < 0) _exit(126);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::execvpe(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !status_) stop(std::chrono::seconds(5));
}

bool ChildProcess::running() {
  if (status_) return false;
  int st = 0;
  pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = st;
    return false;
  }
  return true;
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (status_) return *status_;
  ::kill(pid_, SIGTERM);
  if (auto st = wait(grace)) return *st;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  int st = 0;
  ::waitpid(pid_, &st, 0);
  status_ = st;
  return st;
}

void ChildProcess::kill9() {
  if (status_) return;
  ::kill(pid_, SIGKILL);
  int st = 0;
  ::waitpid(pid_, &st, 0);
  status_ = st;
}

int ChildProcess::exitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

CommandResult runCommand(const std::vector<std::string>& argv, const std::string& stdinText,
                         std::chrono::milliseconds timeout) {
  int inPipe[2], outPipe[2];
  if (::pipe(inPipe) != 0 || ::pipe(outPipe) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = withEmulator(argv);
  auto cargv = cStrings(args);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(inPipe[0], 0);
    ::dup2(outPipe[1], 1);
    ::dup2(outPipe[1], 2);
    ::close(inPipe[0]); ::close(inPipe[1]); ::close(outPipe[0]); ::close(outPipe[1]);
    ::execvp(cargv[0], cargv.data());
    _exit(127);
  }
  ::close(inPipe[0]);
  ::close(outPipe[1]);
  // Feed stdin from a thread so that a child writing a lot of output first
  // cannot deadlock against us.
  std::thread feeder([fd = inPipe[1], stdinText] {
    std::size_t off = 0;
    ::signal(SIGPIPE, SIG_IGN);
    while (off < stdinText.size()) {
      ssize_t n = ::write(fd, stdinText.data() + off, stdinText.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
  CommandResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  ::fcntl(outPipe[0], F_SETFL, O_NONBLOCK);
  char buf[4096];
  bool killed = false;
  for (;;) {
    ssize_t n = ::read(outPipe[0], buf, sizeof buf);
    if (n > 0) { result.output.append(buf, static_cast<std::size_t>(n)); continue; }
    if (n == 0) break;
    if (errno != EAGAIN && errno != EINTR) break;
    if (!killed && std::chrono::steady_clock::now() > deadline) { ::kill(pid, SIGKILL); killed = true; }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::close(outPipe[0]);
  feeder.join();
  int st = 0;
  ::waitpid(pid, &st, 0);
  result.exitCode = ChildProcess::exitCode(st);
  if (killed) result.output += "\n[runCommand: killed after timeout]";
  return result;
}

}  // namespace wms::testsupport
