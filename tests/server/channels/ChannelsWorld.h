// A real wms-channel-emu process and a real wmsd with all five channels
// pointed at it, a small catalogue, and helpers to drive both over HTTP.
// Started by the constructor, stopped by the destructor.
#pragma once

#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/TempDir.h"
#include "wms/testsupport/WmsdProcess.h"

namespace wms::testsupport {

// The channels' settings wmsd gets (secrets match the emulator's defaults).
std::map<std::string, std::string> channelSettings(std::uint16_t emuPort);

class EmuProcess {
 public:
  explicit EmuProcess(std::vector<std::string> extraArgs = {});
  ~EmuProcess();
  std::uint16_t port() const { return port_; }
  HttpResult get(const std::string& path) const { return httpRequest(port_, "GET", path); }
  HttpResult post(const std::string& path, const std::string& body = "{}") const {
    return httpRequest(port_, "POST", path, body);
  }
  Poco::JSON::Object::Ptr json(const std::string& path) const;

 private:
  TempDir dir_{"wms-emu"};
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t port_ = 0;
};

struct ChannelsWorld {
  explicit ChannelsWorld(std::map<std::string, std::string> extra = {}, std::vector<std::string> emuArgs = {});

  EmuProcess emu;
  TempDir wmsdDir{"wmsd-channels"};  // wmsd's data, kept across restarts
  std::unique_ptr<WmsdProcess> wmsd;
  std::map<std::string, std::string> settings;

  // Kills wmsd with SIGKILL (a crash) and starts it again on the same data.
  void crashAndRestartWmsd();
  // Creates a SKU with `qty` units at A-01-01-1 and lists it on every channel
  // under the channel SKUs of channelSku().
  void stockAndList(const std::string& sku, std::int64_t qty);
  static std::string channelSku(const std::string& channel, const std::string& sku);
  // Creates an order on the emulator; returns its id.
  std::string order(const std::string& channel, const std::string& sku, std::int64_t qty, bool deliver = true);
  Poco::JSON::Object::Ptr wmsdJson(const std::string& path) const;
  // Polls until pred() is true or the timeout passes; false on timeout.
  static bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // The emulator's last figure for the channel's listing of sku (-1 if none).
  std::int64_t channelShows(const std::string& channel, const std::string& sku) const;
  std::int64_t available(const std::string& sku) const;
};

}  // namespace wms::testsupport
