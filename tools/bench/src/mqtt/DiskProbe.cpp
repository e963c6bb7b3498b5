#include "DiskProbe.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace wms::bench {

DiskProbe::DiskProbe(const std::filesystem::path& dir)
    : file_(dir / ("wms-disk-probe-" + std::to_string(::getpid()))) {
  fd_ = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::runtime_error("disk probe: cannot create " + file_.string() + ": " + std::strerror(errno));
  thread_ = std::thread([this] { run(); });
}

DiskProbe::~DiskProbe() {
  (void)stop();
  if (fd_ >= 0) ::close(fd_);
  std::error_code ec;
  std::filesystem::remove(file_, ec);
}

void DiskProbe::run() {
  using Clock = std::chrono::steady_clock;
  const std::string block(4096, 'p');
  std::size_t written = 0;
  while (!stopping_) {
    // Keep the file small: rewrite the same 1 MiB over and over.
    if (written >= (1u << 20)) {
      (void)::lseek(fd_, 0, SEEK_SET);
      written = 0;
    }
    if (::write(fd_, block.data(), block.size()) != static_cast<ssize_t>(block.size())) break;
    written += block.size();
    const auto t0 = Clock::now();
    if (::fsync(fd_) != 0) break;
    samplesMs_.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

DiskProbe::Result DiskProbe::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  Result r;
  auto v = samplesMs_;
  r.samples = v.size();
  if (v.empty()) return r;
  std::sort(v.begin(), v.end());
  r.p50Ms = v[v.size() / 2];
  r.p99Ms = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  r.maxMs = v.back();
  r.over20Ms = static_cast<std::size_t>(std::count_if(v.begin(), v.end(), [](double x) { return x > 20; }));
  return r;
}

std::string DiskProbe::json(const Result& r) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "{\"samples\": %zu, \"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f, \"over_20ms\": %zu}",
                r.samples, r.p50Ms, r.p99Ms, r.maxMs, r.over20Ms);
  return buf;
}

}  // namespace wms::bench
