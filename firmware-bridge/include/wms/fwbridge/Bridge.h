// wms-fwbridge's core: one loop that owns the devices (the microcontroller's
// tty, an SSI engine's tty, keyboard-wedge event devices) and the local
// socket, moves hardware events to the socket's clients and their commands to
// the hardware, and reopens a device that went away.
//
// Threading: run() runs the loop on the caller's thread until stop(). stop()
// and stats() may be called from any thread; stop() only writes to a pipe,
// so a signal handler may call it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/fwbridge/Formatting.h"
#include "wms/fwbridge/Link.h"
#include "wms/fwbridge/SocketProtocol.h"
#include "wms/fwbridge/Ssi.h"
#include "wms/fwbridge/Wedge.h"

namespace wms::fwbridge {

struct SerialDevice {
  std::string path;  // e.g. /dev/ttyWMS0 (a udev symlink), /dev/ttyACM0
  int baud = 115200;
};

struct BridgeOptions {
  std::string socketPath;           // the Unix socket the app connects to (required)
  std::optional<SerialDevice> mcu;  // the microcontroller, speaking docs/firmware-protocol.md
  std::optional<SerialDevice> ssi;  // an SSI scan engine
  std::vector<std::string> wedges;  // /dev/input/event* of keyboard-wedge scanners
  bool grabWedges = true;           // EVIOCGRAB: keystrokes do not reach the console
  WedgeOptions wedge;
  Formatter formatter;
  LinkOptions link;
  SsiOptions ssiOptions;
  // Reopening a device that went away: first after min, doubling to max.
  std::chrono::milliseconds reopenMin{100};
  std::chrono::milliseconds reopenMax{5000};
  std::size_t maxClients = 8;
  // SSI BEEP codes for good and bad reads (the engine's table; see its manual).
  std::uint8_t ssiGoodBeep = 0x00;
  std::uint8_t ssiBadBeep = 0x01;
  // Called on the loop's thread for every wedge scan after formatting (the
  // daemon publishes it over MQTT); must not block.
  std::function<void(const Scan&)> onWedgeScan;
  // Log lines (one per line, no timestamp: journald adds it); nullptr: none.
  std::ostream* log = nullptr;
};

struct BridgeStats {
  std::uint64_t scansDelivered = 0;
  std::uint64_t scansRefused = 0;       // bad data or a formatting rule that could not apply
  std::uint64_t scansDiscarded = 0;     // by a discard rule
  std::uint64_t malformedMessages = 0;  // good frames with a bad payload
  std::uint64_t reopens = 0;            // devices opened again after going away
  std::uint64_t commandsRefused = 0;    // bad lines from clients
  std::uint64_t clients = 0;            // connected now
  LinkStats link;
  FrameReaderStats frames;
  SsiStats ssi;
  SsiReaderStats ssiReader;
  WedgeStats wedge;  // summed over the wedge devices
};

class Bridge {
 public:
  // Binds the socket (replacing a stale socket file; refusing to replace
  // anything that is not a socket) and prepares the devices; they are
  // opened by run(). Errors: Invalid options, Unavailable for the socket.
  static Result<std::unique_ptr<Bridge>> create(BridgeOptions options);
  ~Bridge();
  Bridge(const Bridge&) = delete;
  Bridge& operator=(const Bridge&) = delete;

  // The loop; returns after stop(). Errors only for a failure of the loop
  // itself (poll failing); a device or client failing is logged and handled.
  Status run();
  void stop() noexcept;
  BridgeStats stats() const;

 private:
  struct Impl;
  explicit Bridge(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The daemon's settings file: `key = value` lines, '#' comments. Keys:
//   socket, mcu, mcu_baud, ssi, ssi_baud, wedge (repeatable), wedge_layout
//   (us|de), wedge_prefix, wedge_suffix (escapes \n \t \r, "none"),
//   wedge_timeout_ms, wedge_grab (yes|no), rules (a formatting rules file),
//   ack_timeout_ms, retries, station, broker, device, password_file, ca_file.
// Unknown keys are errors (a typo must not go unnoticed). Errors name the line.
struct BridgeConfig {
  std::map<std::string, std::string> single;
  std::vector<std::string> wedges;
};
Result<BridgeConfig> parseBridgeConfig(std::string_view text);

// Options from a config (reads the rules file it names). Errors name the
// key and the problem.
Result<BridgeOptions> bridgeOptionsFrom(const BridgeConfig& config);

}  // namespace wms::fwbridge
