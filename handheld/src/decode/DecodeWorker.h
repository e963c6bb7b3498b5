// The worker side of the Decoder: a loop in a forked child process that
// reads frames from the socket, runs the decode passes and writes back what
// it finds. ZXing runs only here, so an abort inside it ends this process
// and not the Decoder's.
#pragma once

namespace wms::handheld::detail {

// Serves requests on socket `fd`, reading frames from the shared memory
// object `sharedFd` (SharedFrame.h), until the parent closes the socket;
// then exits the process with _exit(0) (never returns, never runs the
// parent's exit handlers).
[[noreturn]] void runDecodeWorker(int fd, int sharedFd);

}  // namespace wms::handheld::detail
