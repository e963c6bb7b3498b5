#include "wms/store/CrashPoint.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <string>

#include <unistd.h>

namespace wms::store {
namespace {

struct Armed {
  std::map<std::string, double, std::less<>> chance;  // empty: nothing armed
  std::mutex mutex;
  std::mt19937_64 random{std::random_device{}()};
};

// "ship:0.002,release:0.03" -> {ship: 0.002, release: 0.03}; empty if any
// pair is malformed (a typo must not arm half of what was meant).
std::map<std::string, double, std::less<>> parse(const std::string& text) {
  std::map<std::string, double, std::less<>> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto comma = text.find(',', at);
    const std::string pair = text.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    const auto colon = pair.find(':');
    char* end = nullptr;
    const double p = colon == std::string::npos ? -1 : std::strtod(pair.c_str() + colon + 1, &end);
    if (colon == 0 || colon == std::string::npos || !end || *end != '\0' || !(p >= 0 && p <= 1)) {
      std::fprintf(stderr, "wmsd: WMS_CRASH_POINTS: '%s' is not name:chance (0 to 1); no crash point armed\n",
                   pair.c_str());
      return {};
    }
    out[pair.substr(0, colon)] = p;
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return out;
}

Armed& armed() {
  static Armed* made = [] {
    auto* a = new Armed;  // never destroyed: a crash point may be passed while the process exits
    if (const char* env = std::getenv("WMS_CRASH_POINTS"); env && *env) a->chance = parse(env);
    return a;
  }();
  return *made;
}

}  // namespace

void crashPoint(Tx&, std::string_view name) {
  Armed& a = armed();
  if (a.chance.empty()) return;
  const auto it = a.chance.find(name);
  if (it == a.chance.end()) return;
  std::lock_guard lock(a.mutex);
  if (std::uniform_real_distribution<double>(0, 1)(a.random) >= it->second) return;
  std::fprintf(stderr, "wmsd: crash point '%.*s' (WMS_CRASH_POINTS): SIGKILL inside the transaction\n",
               static_cast<int>(name.size()), name.data());
  std::fflush(stderr);
  ::kill(::getpid(), SIGKILL);
}

}  // namespace wms::store
