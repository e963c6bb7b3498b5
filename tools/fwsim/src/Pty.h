// A pseudo-terminal pair behind a symlink, and line noise. Private to fwsim.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/fwbridge/SerialPort.h"

namespace wms::fwsim {

struct Pty {
  fwbridge::UniqueFd master;  // non-blocking
  std::string slave;          // /dev/pts/N
};

// A new pty whose slave is in raw mode (so nothing is echoed or translated
// before the bridge opens it), with `linkPath` pointing at the slave
// (replacing an old symlink). Errors: Unavailable, Invalid (linkPath is
// something other than a symlink).
Result<Pty> openPty(const std::string& linkPath);
// Removes the symlink if it is one.
void removeLink(const std::string& linkPath);

// Changes `bytes` as a noisy line would: each byte, with probability `rate`,
// is dropped, replaced or followed by a random byte (a third each).
void addNoise(std::vector<std::uint8_t>& bytes, double rate, std::mt19937& rng);

// Writes what the master takes now; returns false when the pty is gone.
bool writeSome(int fd, std::vector<std::uint8_t>& pending);

}  // namespace wms::fwsim
