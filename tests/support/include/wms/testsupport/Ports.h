// Loopback ports for tests that start real servers.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstdint>

namespace wms::testsupport {

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0 and
// released). Another process may take it in between; servers started on it
// should be checked with waitForPort.
std::uint16_t freeLoopbackPort();

// True once something accepts TCP connections on 127.0.0.1:port, false if
// nothing did within the timeout.
bool waitForPort(std::uint16_t port, std::chrono::milliseconds timeout);

// True if nothing accepts on 127.0.0.1:port (the server is gone).
bool portClosed(std::uint16_t port);

// The socket address 127.0.0.1:port (0: any free port, for bind).
sockaddr_in loopbackAddress(std::uint16_t port);

}  // namespace wms::testsupport
