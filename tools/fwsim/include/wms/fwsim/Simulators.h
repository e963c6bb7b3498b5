// The firmware simulator: the microcontroller's side of the firmware link and
// an SSI scan engine's side, each on a pseudo-terminal pair, for tests, the
// benchmark and `tools/run-demo --handheld`.
//
// Each simulator opens a pty (posix_openpt), points a symlink at its slave
// (`linkPath`, the path the bridge is configured with, as a udev symlink
// would be) and runs one thread that serves the master side. vanish() closes
// the master and removes the symlink (the bridge's read fails as it does
// when a USB device is pulled); reappear() makes a new pty behind the same
// symlink. Noise flips, drops and inserts bytes at a rate, both ways.
//
// Threading: every public method may be called from any thread; each
// simulator's own thread serves the pty. The destructor stops the thread
// and removes the symlink.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/fwbridge/Messages.h"

namespace wms::fwsim {

struct McuOptions {
  std::string linkPath;  // symlink to the pty's slave (required)
  std::string firmware = "fwsim-mcu-1.0";
  double byteErrorRate = 0;  // 0..0.5
  unsigned seed = 1;
};

class SimulatedMcu {
 public:
  // Errors: Unavailable when no pty can be made, Invalid for a symlink
  // path that exists and is not a symlink.
  static Result<std::unique_ptr<SimulatedMcu>> start(McuOptions options);
  ~SimulatedMcu();
  SimulatedMcu(const SimulatedMcu&) = delete;
  SimulatedMcu& operator=(const SimulatedMcu&) = delete;

  // What the MCU reports; queued, sent in order with retransmission.
  void send(const fwbridge::UpMessage& message);
  void trigger(bool down) { send(fwbridge::TriggerMsg{down}); }
  void scan(std::string symbology, std::string data) {
    send(fwbridge::ScanMsg{std::move(symbology), std::move(data)});
  }

  void setByteErrorRate(double rate);
  // Writes `n` random bytes straight to the line, outside any frame.
  void injectGarbage(std::size_t n);
  // Writes the first half of a frame and then vanishes (a device pulled mid-frame).
  void vanishMidFrame();
  void vanish();
  void reappear();
  // The firmware reboots: a new session, announced to the bridge.
  void reboot();

  // True once the bridge completed a handshake (since start or reappear).
  bool waitLinkUp(std::chrono::milliseconds timeout);
  // Until nothing is queued or in flight (everything acknowledged).
  bool waitIdle(std::chrono::milliseconds timeout);
  // Commands the bridge sent, in order (each delivered once by the link).
  std::vector<fwbridge::DownMessage> commands() const;
  std::string slavePath() const;
  std::uint64_t retransmits() const;

 private:
  struct Impl;
  explicit SimulatedMcu(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct SsiEngineOptions {
  std::string linkPath;
  unsigned seed = 1;
};

class SimulatedSsiEngine {
 public:
  enum class Mode { Ack, Nak, Silent };  // how it answers the host's commands

  static Result<std::unique_ptr<SimulatedSsiEngine>> start(SsiEngineOptions options);
  ~SimulatedSsiEngine();
  SimulatedSsiEngine(const SimulatedSsiEngine&) = delete;
  SimulatedSsiEngine& operator=(const SimulatedSsiEngine&) = delete;

  // A read: DECODE_DATA with the SSI barcode type, split into packets of at
  // most 200 bytes (continuation bit), each sent again (retransmit bit)
  // until the host ACKs it, up to 3 times.
  void decode(std::uint8_t barcodeType, std::string data);
  void setMode(Mode mode);  // Nak answers CMD_NAK DENIED
  void setByteErrorRate(double rate);
  void vanish();
  void reappear();
  // Opcodes of the host's commands, in order of arrival (repeats included).
  std::vector<std::uint8_t> commands() const;
  bool waitIdle(std::chrono::milliseconds timeout);
  std::string slavePath() const;

 private:
  struct Impl;
  explicit SimulatedSsiEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The scriptable front end (`wms-fwsim`); see tools/fwsim/README.md.
// Returns 0 when the script ran to its end, 1 on a failed wait, 2 for bad
// arguments or a bad script line.
int runFwsim(const std::vector<std::string>& args, std::istream& script, std::ostream& out,
             std::ostream& err);

}  // namespace wms::fwsim
