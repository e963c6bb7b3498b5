// The demo's label printer: a loopback TCP listener that takes raw print
// jobs the way a Zebra printer's port 9100 does (one job per connection,
// ended by the sender closing it) and files each as DIR/label-NNNNN.zpl, so
// that a demo day prints real labels without a printer on the desk. A
// printer started again on the same folder (stopped and restarted during a
// day) numbers its jobs on from the files already there.
//
// Threading: start() runs an accept thread; jobs() may be called from any
// thread; the destructor stops the thread and closes the socket.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <thread>

#include "wms/common/Result.h"

namespace Poco::Net {
class ServerSocket;
}

namespace wms::demo {

class LabelSink {
 public:
  // Listens on 127.0.0.1:port (0: any free port; a port another printer
  // just left is taken again at once) and files jobs under `dir` (created).
  // Unavailable if the port cannot be bound or dir not created.
  static Result<std::unique_ptr<LabelSink>> start(std::uint16_t port, const std::filesystem::path& dir);
  ~LabelSink();
  LabelSink(const LabelSink&) = delete;
  LabelSink& operator=(const LabelSink&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::int64_t jobs() const noexcept { return jobs_; }  // filed by this printer

 private:
  LabelSink() = default;
  void run();

  std::unique_ptr<Poco::Net::ServerSocket> socket_;
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  std::int64_t firstNumber_ = 1;  // the file number of this printer's first job
  std::atomic<std::int64_t> jobs_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace wms::demo
