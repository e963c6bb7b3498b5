// wms-bench-fwbridge: see tools/bench/fwbridge. Prints one JSON object.
//
// Latency: the bench plays the microcontroller itself on a pty pair (the
// firmware link's device side, on this thread), so that the clock starts
// when the TRIGGER frame is written to the pty and stops when the bridge's
// `trigger` event line is read from its Unix socket. A pty has no baud
// rate: the frame's time on a 115200 baud wire (10 bits a byte) is added
// from its length. Baseline, same run: the same bytes written to the pty's
// master and read back from its slave by this thread (the OS's part).
//
// Throughput: the frame reader, and the whole host link (CRC, COBS, sequence
// numbers, ACKs), over 64 MiB of encoded scan frames in memory; baseline:
// the CRC-16 alone over the same bytes.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "wms/fwbridge/Bridge.h"
#include "wms/fwbridge/Crc16.h"
#include "wms/fwbridge/Link.h"
#include "wms/fwbridge/SerialPort.h"

using namespace wms::fwbridge;
using Steady = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

[[noreturn]] void die(const std::string& what) {
  std::cerr << "wms-bench-fwbridge: " << what << "\n";
  std::exit(1);
}

void writeAll(int fd, const std::vector<std::uint8_t>& bytes) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + at, bytes.size() - at);
    if (n > 0)
      at += static_cast<std::size_t>(n);
    else if (n < 0 && errno != EAGAIN && errno != EINTR)
      die("write failed");
  }
}

struct Latency {
  std::vector<double> bridgeMs;
  std::vector<double> baselineMs;
  std::size_t frameBytes = 0;
};

Latency measureLatency(int samples) {
  Latency out;
  const auto dir =
      std::filesystem::temp_directory_path() / ("wms-bench-fwbridge-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string link = (dir / "tty").string();
  const std::string sock = (dir / "bridge.sock").string();
  UniqueFd master(::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!master.valid() || ::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0) die("no pty");
  char name[128];
  if (::ptsname_r(master.get(), name, sizeof name) != 0) die("ptsname");
  std::filesystem::create_symlink(name, link);

  BridgeOptions o;
  o.socketPath = sock;
  o.mcu = SerialDevice{link, 115200};
  auto bridge = Bridge::create(std::move(o));
  if (!bridge) die(bridge.error().message);
  std::thread loop([&] { (void)(*bridge)->run(); });

  UniqueFd client(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  if (::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) die("connect");

  LinkOptions lo;
  lo.role = LinkOptions::Role::Device;
  Link mcu(lo);
  mcu.start(Steady::now());
  std::string socketIn;
  std::vector<std::uint8_t> buf(4096);
  // Serves the pty (handshake, ACKs) until `done` sees its line on the socket.
  auto serveUntil = [&](const std::string& needle, Steady::time_point deadline) -> bool {
    for (;;) {
      auto bytes = mcu.takeOutput();
      if (!bytes.empty()) writeAll(master.get(), bytes);
      const auto nl = socketIn.find('\n');
      if (nl != std::string::npos) {
        const std::string line = socketIn.substr(0, nl);
        socketIn.erase(0, nl + 1);
        if (line.find(needle) != std::string::npos) return true;
        continue;
      }
      if (Steady::now() > deadline) return false;
      pollfd fds[2] = {{master.get(), POLLIN, 0}, {client.get(), POLLIN, 0}};
      ::poll(fds, 2, 5);
      if (fds[0].revents & POLLIN) {
        const ssize_t n = ::read(master.get(), buf.data(), buf.size());
        if (n > 0)
          mcu.onBytes(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)), Steady::now());
      }
      if (fds[1].revents & POLLIN) {
        const ssize_t n = ::recv(client.get(), buf.data(), buf.size(), 0);
        if (n <= 0) die("bridge closed the socket");
        socketIn.append(reinterpret_cast<const char*>(buf.data()), static_cast<std::size_t>(n));
      }
      mcu.tick(Steady::now());
    }
  };
  if (!serveUntil("\"state\":\"up\"", Steady::now() + std::chrono::seconds(10))) die("no handshake");

  for (int i = 0; i < samples; ++i) {
    (void)mcu.send(encodeUp(TriggerMsg{i % 2 == 0}), Steady::now());
    auto frame = mcu.takeOutput();
    out.frameBytes = frame.size();
    const auto t0 = Steady::now();
    writeAll(master.get(), frame);
    if (!serveUntil("\"event\":\"trigger\"", Steady::now() + std::chrono::seconds(5)))
      die("no trigger event");
    out.bridgeMs.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
    // Let the ACK come back before the next trigger, as a press and a
    // release do not follow within a millisecond.
    serveUntil("\x01never", Steady::now() + std::chrono::milliseconds(2));
  }
  (*bridge)->stop();
  loop.join();

  // Baseline: the OS alone, pty master to slave, this thread both ends.
  UniqueFd m2(::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!m2.valid() || ::grantpt(m2.get()) != 0 || ::unlockpt(m2.get()) != 0 ||
      ::ptsname_r(m2.get(), name, sizeof name) != 0) {
    die("no pty");
  }
  auto slave = SerialPort::open(name, 115200);
  if (!slave) die(slave.error().message);
  std::vector<std::uint8_t> frame(out.frameBytes, 0x41);
  for (int i = 0; i < samples; ++i) {
    const auto t0 = Steady::now();
    writeAll(m2.get(), frame);
    std::size_t got = 0;
    while (got < frame.size()) {
      pollfd p{slave->fd(), POLLIN, 0};
      ::poll(&p, 1, 100);
      auto n = slave->read(buf);
      if (!n) die(n.error().message);
      got += *n;
    }
    out.baselineMs.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
  }
  std::filesystem::remove_all(dir);
  return out;
}

struct Throughput {
  double readerMBps = 0, linkMBps = 0, crcMBps = 0;
  std::size_t bytes = 0, frames = 0;
};

Throughput measureThroughput() {
  // Scans of typical length (a GS1-128 with lot: 30-40 bytes), numbered as
  // one session would send them.
  std::vector<std::uint8_t> stream;
  std::size_t frames = 0;
  while (stream.size() < 64u * 1024 * 1024) {
    const std::string data =
        "0109501101530003\x1d"
        "10LOT" +
        std::to_string(100000 + frames % 900000);
    auto raw = encodeUp(ScanMsg{"]C1", data});
    auto bytes = encodeFrame(LinkFrame{raw.type, static_cast<std::uint8_t>(frames), raw.payload});
    stream.insert(stream.end(), bytes.begin(), bytes.end());
    ++frames;
  }
  Throughput t;
  t.bytes = stream.size();
  t.frames = frames;
  constexpr std::size_t kChunk = 4096;  // what one read() of a tty returns at most
  auto mbps = [&](double seconds) {
    return static_cast<double>(stream.size()) / (1024.0 * 1024.0) / seconds;
  };
  {
    FrameReader reader;
    const auto t0 = Steady::now();
    std::size_t good = 0;
    for (std::size_t at = 0; at < stream.size(); at += kChunk) {
      const std::size_t n = std::min(kChunk, stream.size() - at);
      for (auto& f : reader.push(std::span<const std::uint8_t>(stream.data() + at, n)))
        good += f.ok() ? 1 : 0;
    }
    t.readerMBps = mbps(std::chrono::duration<double>(Steady::now() - t0).count());
    if (good != frames) die("reader lost frames");
  }
  {
    // The host link up (handshake fed by hand), consuming the stream.
    LinkOptions lo;
    Link host(lo);
    host.start(Steady::now());
    host.onBytes(encodeFrame(LinkFrame{type::kHelloReply, 0, {kProtocolVersion, 1, 'b'}}), Steady::now());
    (void)host.takeEvents();
    const auto t0 = Steady::now();
    std::size_t delivered = 0;
    for (std::size_t at = 0; at < stream.size(); at += kChunk) {
      const std::size_t n = std::min(kChunk, stream.size() - at);
      host.onBytes(std::span<const std::uint8_t>(stream.data() + at, n), Steady::now());
      delivered += host.takeEvents().size();
      (void)host.takeOutput();
    }
    t.linkMBps = mbps(std::chrono::duration<double>(Steady::now() - t0).count());
    if (delivered != frames)
      die("link lost frames: " + std::to_string(delivered) + " of " + std::to_string(frames));
  }
  {
    const auto t0 = Steady::now();
    volatile std::uint16_t sink = crc16(stream);
    (void)sink;
    t.crcMBps = mbps(std::chrono::duration<double>(Steady::now() - t0).count());
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int samples = 500;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--samples") samples = std::max(10, std::atoi(argv[i + 1]));
  }
  const Latency lat = measureLatency(samples);
  const Throughput tp = measureThroughput();
  const double wireMs = static_cast<double>(lat.frameBytes) * 10.0 / 115200.0 * 1000.0;
  std::ostringstream json;
  json.setf(std::ios::fixed);
  json.precision(3);
  json << "{\"bench\":\"fwbridge\",\"samples\":" << samples << ",\"trigger_frame_bytes\":" << lat.frameBytes
       << ",\"wire_ms_at_115200\":" << wireMs
       << ",\"trigger_to_socket_ms\":{\"pty_p50\":" << percentile(lat.bridgeMs, 0.5)
       << ",\"pty_p99\":" << percentile(lat.bridgeMs, 0.99)
       << ",\"p50_at_115200\":" << percentile(lat.bridgeMs, 0.5) + wireMs
       << ",\"p99_at_115200\":" << percentile(lat.bridgeMs, 0.99) + wireMs
       << "},\"baseline_pty_only_ms\":{\"p50\":" << percentile(lat.baselineMs, 0.5)
       << ",\"p99\":" << percentile(lat.baselineMs, 0.99) << "},\"decoder\":{\"bytes\":" << tp.bytes
       << ",\"frames\":" << tp.frames << ",\"frame_reader_MBps\":" << tp.readerMBps
       << ",\"host_link_MBps\":" << tp.linkMBps << ",\"baseline_crc16_only_MBps\":" << tp.crcMBps << "}}";
  std::cout << json.str() << std::endl;
  return 0;
}
