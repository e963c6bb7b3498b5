#include "LabelSink.h"

#include <Poco/Exception.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace wms::demo {

Result<std::unique_ptr<LabelSink>> LabelSink::start(std::uint16_t port, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{ErrorKind::Unavailable, "cannot create " + dir.string() + ": " + ec.message()};
  std::unique_ptr<LabelSink> sink(new LabelSink());
  sink->dir_ = dir;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == 15 && name.rfind("label-", 0) == 0 && name.substr(11) == ".zpl")
      sink->firstNumber_ = std::max<std::int64_t>(sink->firstNumber_, std::atoll(name.substr(6, 5).c_str()) + 1);
  }
  try {
    sink->socket_ = std::make_unique<Poco::Net::ServerSocket>(Poco::Net::SocketAddress("127.0.0.1", port));
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Unavailable, "label printer cannot listen on port " + std::to_string(port) + ": " +
                                             e.displayText()};
  }
  sink->port_ = sink->socket_->address().port();
  sink->thread_ = std::thread([s = sink.get()] { s->run(); });
  return sink;
}

LabelSink::~LabelSink() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void LabelSink::run() {
  while (!stopping_) {
    try {
      // Poll so that stopping never waits on a client that does not come.
      if (!socket_->poll(Poco::Timespan(0, 200000), Poco::Net::Socket::SELECT_READ)) continue;
      Poco::Net::StreamSocket client = socket_->acceptConnection();
      client.setReceiveTimeout(Poco::Timespan(10, 0));
      std::string job;
      char buffer[16384];
      for (int n; (n = client.receiveBytes(buffer, sizeof buffer)) > 0;) {
        job.append(buffer, static_cast<std::size_t>(n));
        if (job.size() > 16 * 1024 * 1024) break;  // a runaway sender, not a label
      }
      if (job.empty()) continue;  // a status probe or a connect check
      char name[32];
      std::snprintf(name, sizeof name, "label-%05lld.zpl", static_cast<long long>(firstNumber_ + jobs_));
      std::ofstream(dir_ / name, std::ios::binary) << job;
      ++jobs_;
    } catch (const Poco::Exception&) {
      // One broken connection is that job's problem (the printer client
      // retries it), never the end of the printer.
    }
  }
}

}  // namespace wms::demo
