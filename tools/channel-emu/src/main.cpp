// wms-channel-emu: the five marketplaces on one loopback port (see
// wms/channelemu/Emulator.h and docs/channels.md for the endpoints and the
// /_emu control API). Secrets default to the ones in docs/channels.md; pass
// the same channels.* settings as wmsd with --config to use others.
#include <Poco/Util/PropertyFileConfiguration.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <thread>

#include "wms/channelemu/Emulator.h"

namespace {

std::atomic<bool> stopRequested{false};
void onSignal(int) { stopRequested = true; }

int usage(const char* message) {
  if (message) std::cerr << "wms-channel-emu: " << message << "\n";
  std::cerr << "usage: wms-channel-emu [--port N] [--port-file FILE] [--wmsd URL] [--config FILE]\n"
               "                       [--rate CHANNEL=PER_SECOND[/BURST]]... [--delivery-retry SECONDS]\n"
               "  --config FILE   wmsd properties with the channels.* secrets (app keys, secrets, callback URL)\n"
               "  --delivery-retry SECONDS   how long a webhook wmsd did not take is tried again (default 900; 0: once)\n";
  return message ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  wms::channelemu::Options options;
  std::string portFile, config;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--help" || a == "-h") return usage(nullptr);
    const char* v = next();
    if (!v) return usage(("missing value after " + a).c_str());
    if (a == "--port") {
      char* end = nullptr;
      long p = std::strtol(v, &end, 10);
      if (*end != '\0' || p < 0 || p > 65535) return usage("--port must be 0..65535");
      options.port = static_cast<std::uint16_t>(p);
    } else if (a == "--port-file") {
      portFile = v;
    } else if (a == "--wmsd") {
      options.wmsdUrl = v;
    } else if (a == "--config") {
      config = v;
    } else if (a == "--delivery-retry") {
      char* end = nullptr;
      const double seconds = std::strtod(v, &end);
      if (*end != '\0' || !(seconds >= 0) || seconds > 7 * 86400)
        return usage("--delivery-retry must be 0..604800 seconds");
      options.deliveryRetrySeconds = seconds;
    } else if (a == "--rate") {
      std::string s = v;
      auto eq = s.find('=');
      auto ch = eq == std::string::npos ? std::nullopt : wms::domain::channelFromString(s.substr(0, eq));
      if (!ch) return usage("--rate needs CHANNEL=PER_SECOND[/BURST]");
      wms::channelemu::RateLimit rl;
      std::string rate = s.substr(eq + 1);
      auto slash = rate.find('/');
      rl.perSecond = std::atof(rate.substr(0, slash).c_str());
      rl.burst = slash == std::string::npos ? rl.perSecond : std::atof(rate.substr(slash + 1).c_str());
      if (!(rl.perSecond > 0) || !(rl.burst >= 1)) return usage("--rate values must be positive");
      options.rateLimits[*ch] = rl;
    } else {
      return usage(("unknown option " + a).c_str());
    }
  }
  if (!config.empty()) {
    try {
      Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> p(new Poco::Util::PropertyFileConfiguration(config));
      auto& s = options.secrets;
      s.shopifySecret = p->getString("channels.shopify.secret", s.shopifySecret);
      s.lazadaAppKey = p->getString("channels.lazada.app_key", s.lazadaAppKey);
      s.lazadaSecret = p->getString("channels.lazada.secret", s.lazadaSecret);
      s.shopeePartnerId = p->getString("channels.shopee.app_key", s.shopeePartnerId);
      s.shopeePartnerKey = p->getString("channels.shopee.secret", s.shopeePartnerKey);
      s.shopeeCallbackUrl = p->getString("channels.shopee.callback_url", s.shopeeCallbackUrl);
      s.tiktokAppKey = p->getString("channels.tiktok.app_key", s.tiktokAppKey);
      s.tiktokSecret = p->getString("channels.tiktok.secret", s.tiktokSecret);
    } catch (const std::exception& e) {
      std::cerr << "wms-channel-emu: cannot read " << config << ": " << e.what() << "\n";
      return 3;
    }
  }
  auto emu = wms::channelemu::Emulator::start(options);
  if (!emu) {
    std::cerr << "wms-channel-emu: " << emu.error().message << "\n";
    return 1;
  }
  std::signal(SIGTERM, onSignal);
  std::signal(SIGINT, onSignal);
  if (!portFile.empty()) {
    // Written under a temporary name and renamed: a reader never sees half a number.
    std::ofstream(portFile + ".tmp") << (*emu)->port() << "\n";
    std::rename((portFile + ".tmp").c_str(), portFile.c_str());
  }
  std::cerr << "wms-channel-emu listening on http://127.0.0.1:" << (*emu)->port() << "/\n";
  while (!stopRequested) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  (*emu)->stop();
  return 0;
}
