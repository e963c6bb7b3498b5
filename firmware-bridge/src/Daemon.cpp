#include "wms/fwbridge/Daemon.h"

#include <csignal>
#include <fstream>
#include <ostream>
#include <sstream>

#include "WedgePublisher.h"
#include "wms/fwbridge/Bridge.h"

namespace wms::fwbridge {
namespace {

Bridge* gBridge = nullptr;  // for the signal handler only

extern "C" void onSignal(int) {
  // Only stop(): it writes one byte to a pipe, which is async-signal-safe.
  if (gBridge != nullptr) gBridge->stop();
}

const char* kUsage =
    "usage: wms-fwbridge [--config FILE] [--socket PATH] [--mcu TTY] [--mcu-baud N]\n"
    "                    [--ssi TTY] [--ssi-baud N] [--wedge DEV]... [--rules FILE]\n";

}  // namespace

int runDaemon(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  (void)out;
  BridgeConfig config;
  std::vector<std::pair<std::string, std::string>> overrides;
  std::vector<std::string> wedges;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      err << kUsage;
      return 0;
    }
    if (i + 1 >= args.size()) {
      err << a << " needs a value\n" << kUsage;
      return 2;
    }
    const std::string& v = args[++i];
    if (a == "--config") {
      std::ifstream in(v);
      if (!in) {
        err << "cannot read config file " << v << "\n";
        return 2;
      }
      std::ostringstream text;
      text << in.rdbuf();
      auto parsed = parseBridgeConfig(text.str());
      if (!parsed) {
        err << v << ": " << parsed.error().message << "\n";
        return 2;
      }
      for (auto& [k, val] : parsed->single) config.single.insert_or_assign(k, val);
      config.wedges.insert(config.wedges.end(), parsed->wedges.begin(), parsed->wedges.end());
    } else if (a == "--socket")
      overrides.emplace_back("socket", v);
    else if (a == "--mcu")
      overrides.emplace_back("mcu", v);
    else if (a == "--mcu-baud")
      overrides.emplace_back("mcu_baud", v);
    else if (a == "--ssi")
      overrides.emplace_back("ssi", v);
    else if (a == "--ssi-baud")
      overrides.emplace_back("ssi_baud", v);
    else if (a == "--rules")
      overrides.emplace_back("rules", v);
    else if (a == "--wedge")
      wedges.push_back(v);
    else {
      err << "unknown option " << a << "\n" << kUsage;
      return 2;
    }
  }
  for (auto& [k, v] : overrides) config.single.insert_or_assign(k, v);
  config.wedges.insert(config.wedges.end(), wedges.begin(), wedges.end());

  auto options = bridgeOptionsFrom(config);
  if (!options) {
    err << options.error().message << "\n";
    return 2;
  }
  options->log = &err;
  auto publisher = WedgePublisher::fromConfig(config, err);
  if (!publisher) {
    err << publisher.error().message << "\n";
    return 2;
  }
  if (*publisher) {
    WedgePublisher* p = publisher->get();
    options->onWedgeScan = [p](const Scan& scan) { p->publish(scan); };
  }
  auto bridge = Bridge::create(std::move(*options));
  if (!bridge) {
    err << bridge.error().message << "\n";
    return 1;
  }
  gBridge = bridge->get();
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  auto status = (*bridge)->run();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  gBridge = nullptr;
  if (!status) {
    err << status.error().message << "\n";
    return 1;
  }
  return 0;
}

}  // namespace wms::fwbridge
