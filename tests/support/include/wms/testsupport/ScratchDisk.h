// A small real file system for tests of a full disk and of a read-only
// one: a tmpfs of a few MiB mounted on a temporary folder, which a test
// fills (ENOSPC, as a full disk answers), frees, and remounts read-only
// (EROFS) and writable again, while a real wmsd keeps its database there.
//
// The mount is made in a mount namespace of this test process (and of the
// processes it starts), so nothing outside the test sees it and it goes
// with the process. That needs either CAP_SYS_ADMIN (root, as in CI) or
// unprivileged user namespaces; enterPrivateMounts() says which failed when
// neither is allowed.
//
// Threading: enterPrivateMounts() must run while the process has one
// thread (before anything starts threads: a global fixture); the rest from
// the test's thread.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "wms/common/Result.h"
#include "wms/testsupport/TempDir.h"

namespace wms::testsupport {

// Moves this process into a mount namespace of its own (once; later calls
// return the first answer). Unavailable, naming both reasons, if the
// kernel or the container refuses.
Status enterPrivateMounts();

class ScratchDisk {
 public:
  // Mounts a tmpfs of `bytes` on a new temporary folder. Throws
  // std::runtime_error if it cannot (call enterPrivateMounts() first).
  explicit ScratchDisk(std::size_t bytes);
  ~ScratchDisk();
  ScratchDisk(const ScratchDisk&) = delete;
  ScratchDisk& operator=(const ScratchDisk&) = delete;

  const std::filesystem::path& path() const { return mount_; }
  // Writes a filler file until the disk is full; returns the bytes written.
  std::size_t fill();
  // Removes the filler: the disk has room again.
  void free();
  // Remounts read-only (writes fail with EROFS) or writable again.
  void readOnly(bool on);

 private:
  TempDir dir_;
  std::filesystem::path mount_;
};

}  // namespace wms::testsupport
