// DiskProbe: how long the disk takes to make a small write durable, sampled
// while a benchmark runs. wmsd acknowledges an event only after its commit
// is on disk (store durability FULL: one fsync per commit), so no round trip
// can be faster than the fsync it waits for; the probe shows that floor for
// the same run, on the same file system.
//
// A thread appends 4 KiB and fsyncs every 10 ms to a file in `dir` until
// stop(). The extra load is small next to wmsd's own commits.
//
// Threading: construct, stop() and destroy from one thread.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace wms::bench {

class DiskProbe {
 public:
  struct Result {
    std::size_t samples = 0;
    double p50Ms = 0, p99Ms = 0, maxMs = 0;
    std::size_t over20Ms = 0;  // fsyncs slower than the paced round-trip target
  };

  // Throws std::runtime_error if the probe file cannot be created.
  explicit DiskProbe(const std::filesystem::path& dir);
  ~DiskProbe();
  DiskProbe(const DiskProbe&) = delete;
  DiskProbe& operator=(const DiskProbe&) = delete;

  // Stops sampling (once) and summarises the samples.
  Result stop();
  // {"samples": .., "p50": .., "p99": .., "max": .., "over_20ms": ..}
  static std::string json(const Result& r);

 private:
  void run();

  std::filesystem::path file_;
  int fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::vector<double> samplesMs_;  // written by the thread, read after join
  std::thread thread_;
};

}  // namespace wms::bench
