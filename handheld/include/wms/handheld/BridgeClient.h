// wms-handheld's side of the firmware bridge (wms-fwbridge, see
// docs/firmware-protocol.md, "The local socket"): the bridge's scans and
// keypad keys become the app's inputs, and the app's feedback (good read,
// error) becomes the bridge's beep, LED and vibration.
//
// Keys (the MCU's KEY codes): printable ASCII 0x20-0x7E types into the
// keypad line, 0x0D Enter submits it (Enter alone when it is empty), 0x1B
// Escape clears it (Escape alone when it is empty), 0x08 deletes a
// character, 0x81-0x87 are Short, Skip, Close carton, Label, Undo, Damaged,
// Sign out. The trigger is the engine's business: the app ignores it.
//
// Threading: one thread (the app's) calls everything; the socket is
// non-blocking, so pump() and the feedback calls never wait.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "wms/common/Result.h"
#include "wms/handheld/Feedback.h"

namespace wms::handheld {

class Handheld;

class BridgeClient : public Feedback {
 public:
  // Connects to the bridge's socket. Errors: Unavailable when no bridge
  // listens there (the app then uses its camera path).
  static Result<std::unique_ptr<BridgeClient>> connect(const std::string& socketPath);
  ~BridgeClient() override;
  BridgeClient(const BridgeClient&) = delete;
  BridgeClient& operator=(const BridgeClient&) = delete;

  // Reads what the bridge sent and gives it to `app`: scans as ScanInput (or
  // ScanFailed naming why one cannot be a barcode), keys as above. A lost
  // connection is retried once a second from here. Returns the number of
  // events handled.
  int pump(Handheld& app);

  void goodRead() override;
  void error() override;

  bool connected() const noexcept;
  std::uint64_t scans() const noexcept { return scans_; }

 private:
  struct Impl;
  explicit BridgeClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::uint64_t scans_ = 0;
};

}  // namespace wms::handheld
