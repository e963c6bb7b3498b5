// Blocking reads and writes on the Decoder's socket, with an optional
// deadline. Errors are values: the peer went away, or time ran out.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace wms::handheld::detail {

enum class IoStatus { Ok, Closed, TimedOut, Failed };

using Deadline = std::optional<std::chrono::steady_clock::time_point>;

// Writes all `size` bytes (never raises SIGPIPE).
IoStatus writeAll(int fd, const void* data, std::size_t size);
// Reads exactly `size` bytes, waiting no later than `deadline` if given.
// Closed if the peer closed before all arrived.
IoStatus readExact(int fd, void* data, std::size_t size, const Deadline& deadline);

}  // namespace wms::handheld::detail
