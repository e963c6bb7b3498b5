#include "Pty.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace wms::fwsim {

Result<Pty> openPty(const std::string& linkPath) {
  struct stat st {};
  if (::lstat(linkPath.c_str(), &st) == 0 && !S_ISLNK(st.st_mode)) {
    return makeError(ErrorKind::Invalid, linkPath + " exists and is not a symlink");
  }
  fwbridge::UniqueFd master(::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!master.valid() || ::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0) {
    return makeError(ErrorKind::Unavailable, std::string("posix_openpt: ") + std::strerror(errno));
  }
  char name[128];
  if (::ptsname_r(master.get(), name, sizeof name) != 0) {
    return makeError(ErrorKind::Unavailable, std::string("ptsname: ") + std::strerror(errno));
  }
  {
    // Raw from the start: the default line discipline would echo what the
    // simulator writes back to it and turn CR into LF before the bridge has
    // set the port up.
    fwbridge::UniqueFd slave(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!slave.valid())
      return makeError(ErrorKind::Unavailable, std::string("open ") + name + ": " + std::strerror(errno));
    termios tio{};
    if (::tcgetattr(slave.get(), &tio) == 0) {
      ::cfmakeraw(&tio);
      ::tcsetattr(slave.get(), TCSANOW, &tio);
    }
  }
  removeLink(linkPath);
  if (::symlink(name, linkPath.c_str()) != 0) {
    return makeError(ErrorKind::Unavailable, "symlink " + linkPath + ": " + std::strerror(errno));
  }
  return Pty{std::move(master), name};
}

void removeLink(const std::string& linkPath) {
  struct stat st {};
  if (::lstat(linkPath.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) ::unlink(linkPath.c_str());
}

void addNoise(std::vector<std::uint8_t>& bytes, double rate, std::mt19937& rng) {
  if (rate <= 0) return;
  std::uniform_real_distribution<double> roll(0, 1);
  std::vector<std::uint8_t> out;
  out.reserve(bytes.size() + 8);
  for (auto b : bytes) {
    if (roll(rng) >= rate) {
      out.push_back(b);
      continue;
    }
    switch (rng() % 3) {
      case 0:
        break;  // dropped
      case 1:
        out.push_back(static_cast<std::uint8_t>(rng()));
        break;
      default:
        out.push_back(b);
        out.push_back(static_cast<std::uint8_t>(rng()));
        break;
    }
  }
  bytes.swap(out);
}

bool writeSome(int fd, std::vector<std::uint8_t>& pending) {
  while (!pending.empty()) {
    const ssize_t n = ::write(fd, pending.data(), pending.size());
    if (n > 0) {
      pending.erase(pending.begin(), pending.begin() + n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    return n >= 0;
  }
  return true;
}

}  // namespace wms::fwsim
