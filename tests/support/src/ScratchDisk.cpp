#include "wms/testsupport/ScratchDisk.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace wms::testsupport {
namespace {

std::string errnoText() { return std::strerror(errno); }

bool writeFile(const char* path, const std::string& text) {
  int fd = ::open(path, O_WRONLY);
  if (fd < 0) return false;
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

Status enterOnce() {
  // Root (CAP_SYS_ADMIN): a mount namespace alone.
  if (::unshare(CLONE_NEWNS) == 0) {
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      return makeError(ErrorKind::Unavailable, "cannot make / private in the new mount namespace: " + errnoText());
    return {};
  }
  const std::string asRoot = errnoText();
  // Otherwise a user namespace in which this user is root, with its mounts.
  const uid_t uid = ::getuid();
  const gid_t gid = ::getgid();
  if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
    return makeError(ErrorKind::Unavailable, "no mount namespace: as root: " + asRoot +
                                                 "; in a user namespace: " + errnoText());
  writeFile("/proc/self/setgroups", "deny");
  if (!writeFile("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1\n") ||
      !writeFile("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1\n"))
    return makeError(ErrorKind::Unavailable, "cannot map this user in the user namespace: " + errnoText());
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return makeError(ErrorKind::Unavailable, "cannot make / private in the user namespace: " + errnoText());
  return {};
}

}  // namespace

Status enterPrivateMounts() {
  static const Status entered = enterOnce();
  return entered;
}

ScratchDisk::ScratchDisk(std::size_t bytes) : dir_("wms-scratch-disk"), mount_(dir_.path() / "disk") {
  std::filesystem::create_directories(mount_);
  const std::string options = "size=" + std::to_string(bytes) + ",mode=0755";
  if (::mount("tmpfs", mount_.c_str(), "tmpfs", 0, options.c_str()) != 0)
    throw std::runtime_error("cannot mount a tmpfs on " + mount_.string() + ": " + errnoText());
}

ScratchDisk::~ScratchDisk() {
  if (::umount2(mount_.c_str(), MNT_DETACH) != 0) {
    // Left mounted in this process's own namespace: it goes with the process.
  }
}

std::size_t ScratchDisk::fill() {
  const auto file = mount_ / "filler";
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + file.string() + ": " + errnoText());
  std::vector<char> block(64 * 1024, 'x');
  std::size_t written = 0;
  for (std::size_t size = block.size(); size > 0; size /= 2) {
    for (;;) {
      const ssize_t n = ::write(fd, block.data(), size);
      if (n <= 0) break;
      written += static_cast<std::size_t>(n);
    }
  }
  ::close(fd);
  return written;
}

void ScratchDisk::free() { std::filesystem::remove(mount_ / "filler"); }

void ScratchDisk::readOnly(bool on) {
  const unsigned long flags = MS_REMOUNT | (on ? MS_RDONLY : 0);
  if (::mount("tmpfs", mount_.c_str(), "tmpfs", flags, nullptr) != 0)
    throw std::runtime_error(std::string("cannot remount ") + mount_.string() + (on ? " read-only: " : " writable: ") +
                             errnoText());
}

}  // namespace wms::testsupport
