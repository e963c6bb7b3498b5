#include "wms/server/Config.h"

#include <Poco/Net/IPAddress.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "wms/domain/Csv.h"

namespace wms::server {
namespace {

Error invalid(const std::string& key, const std::string& message) {
  return Error{ErrorKind::Invalid, "config " + key + ": " + message};
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Keys of components that read their own settings; checked by them.
bool isComponentKey(const std::string& key) {
  for (const char* prefix : {"mqtt.", "waves.", "channels.", "packing.", "printing.", "inbound.", "devices.",
                             "dashboard.", "demo.", "watchdog.", "identity."}) {
    if (key.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

Result<std::map<std::string, std::string>> readPropertiesFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return Error{ErrorKind::NotFound, "cannot read config file " + file.string()};
  std::map<std::string, std::string> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == '!') continue;
    auto eq = t.find_first_of("=:");
    if (eq == std::string::npos)
      return Error{ErrorKind::Invalid, file.string() + " line " + std::to_string(n) + ": expected key = value"};
    out[trim(t.substr(0, eq))] = trim(t.substr(eq + 1));
  }
  return out;
}

Result<ServerConfig> configFromProperties(const std::map<std::string, std::string>& props) {
  ServerConfig c;
  static const std::set<std::string> known = {
      "http.address",     "http.port",          "http.port_file",      "http.threads",
      "http.max_body_bytes", "http.max_import_bytes", "http.tls.certificate", "http.tls.private_key",
      "http.tls.ca_file", "store.path",     "store.durability",
      "store.busy_timeout_ms", "store.max_batch", "orders.on_shortage", "log.level", "log.file",
      "http.allowed_hosts", "http.metrics_public", "http.max_queued", "http.io_timeout_s",
      "http.header_timeout_s", "http.body_timeout_s", "http.keep_alive_timeout_s", "http.keep_alive_max_requests",
      "http.max_connections_per_address", "http.uncapped_addresses", "http.max_streams"};
  for (const auto& [key, value] : props) {
    if (!known.count(key) && !isComponentKey(key)) return invalid(key, "unknown setting");
  }
  auto integer = [&](const std::string& key, std::int64_t lo, std::int64_t hi, auto& out) -> Status {
    auto it = props.find(key);
    if (it == props.end()) return {};
    auto v = domain::parseInt64(it->second);
    if (!v || *v < lo || *v > hi)
      return invalid(key, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                              ", got '" + it->second + "'");
    out = static_cast<std::remove_reference_t<decltype(out)>>(*v);
    return {};
  };
  auto text = [&](const std::string& key, auto& out) {
    if (auto it = props.find(key); it != props.end()) out = it->second;
  };
  text("http.address", c.httpAddress);
  if (auto st = integer("http.port", 0, 65535, c.httpPort); !st) return st.error();
  text("http.port_file", c.httpPortFile);
  if (auto st = integer("http.threads", 1, 256, c.httpThreads); !st) return st.error();
  if (auto st = integer("http.max_body_bytes", 1024, 1LL << 30, c.maxBodyBytes); !st) return st.error();
  if (auto st = integer("http.max_import_bytes", 1024, 1LL << 30, c.maxImportBytes); !st) return st.error();
  if (auto st = integer("http.max_queued", 1, 100000, c.httpMaxQueued); !st) return st.error();
  if (auto st = integer("http.io_timeout_s", 1, 3600, c.httpIoTimeoutS); !st) return st.error();
  if (auto st = integer("http.header_timeout_s", 1, 300, c.httpHeaderTimeoutS); !st) return st.error();
  if (auto st = integer("http.body_timeout_s", 1, 3600, c.httpBodyTimeoutS); !st) return st.error();
  if (auto st = integer("http.keep_alive_timeout_s", 0, 300, c.httpKeepAliveTimeoutS); !st) return st.error();
  if (auto st = integer("http.keep_alive_max_requests", 1, 100000, c.httpKeepAliveMaxRequests); !st)
    return st.error();
  if (auto st = integer("http.max_connections_per_address", 0, 100000, c.httpMaxConnectionsPerAddress); !st)
    return st.error();
  if (auto st = integer("http.max_streams", 0, 64, c.httpMaxStreams); !st) return st.error();
  // The default gives way to a small http.threads; a value set must fit.
  if (c.httpMaxStreams >= c.httpThreads && !props.count("http.max_streams")) c.httpMaxStreams = c.httpThreads - 1;
  if (c.httpMaxStreams >= c.httpThreads)
    return invalid("http.max_streams", "must be less than http.threads (" + std::to_string(c.httpThreads) +
                                           "): each stream holds a thread, and the API needs some");
  text("http.tls.certificate", c.tlsCertificate);
  text("http.tls.private_key", c.tlsPrivateKey);
  text("http.tls.ca_file", c.tlsCaFile);
  // One without the other would quietly serve plain HTTP; refuse it instead.
  if (c.tlsCertificate.empty() != c.tlsPrivateKey.empty())
    return invalid(c.tlsCertificate.empty() ? "http.tls.certificate" : "http.tls.private_key",
                   "must be set together with " +
                       std::string(c.tlsCertificate.empty() ? "http.tls.private_key" : "http.tls.certificate"));
  if (!c.tlsCaFile.empty() && c.tlsCertificate.empty())
    return invalid("http.tls.ca_file", "needs http.tls.certificate and http.tls.private_key");
  c.tlsOn = !c.tlsCertificate.empty();
  text("store.path", c.storePath);
  if (auto it = props.find("store.durability"); it != props.end()) {
    if (it->second == "full") c.durability = store::Durability::Full;
    else if (it->second == "normal") c.durability = store::Durability::Normal;
    else return invalid("store.durability", "must be full or normal, got '" + it->second + "'");
  }
  if (auto st = integer("store.busy_timeout_ms", 0, 600000, c.busyTimeoutMs); !st) return st.error();
  if (auto st = integer("store.max_batch", 1, 100000, c.maxBatch); !st) return st.error();
  if (auto it = props.find("orders.on_shortage"); it != props.end()) {
    auto p = domain::shortagePolicyFromString(it->second);
    if (!p) return invalid("orders.on_shortage", "must be reject or backorder, got '" + it->second + "'");
    c.onShortage = *p;
  }
  text("log.level", c.logLevel);
  static const std::set<std::string> levels = {"fatal",  "critical",    "error", "warning",
                                               "notice", "information", "debug", "trace"};
  if (!levels.count(c.logLevel)) return invalid("log.level", "unknown level '" + c.logLevel + "'");
  text("log.file", c.logFile);
  if (auto it = props.find("http.allowed_hosts"); it != props.end()) {
    std::string list = it->second;
    std::size_t i = 0;
    while (i <= list.size()) {
      const auto comma = std::min(list.find(',', i), list.size());
      const std::string host = trim(list.substr(i, comma - i));
      if (!host.empty()) {
        if (host.find_first_of(" /\\@") != std::string::npos || host.size() > 253)
          return invalid("http.allowed_hosts", "'" + host.substr(0, 60) + "' is not a host name");
        c.allowedHosts.push_back(host);
      }
      i = comma + 1;
    }
  }
  if (auto it = props.find("http.uncapped_addresses"); it != props.end()) {
    c.httpUncappedAddresses.clear();
    const std::string& list = it->second;
    std::size_t i = 0;
    while (i <= list.size()) {
      const auto comma = std::min(list.find(',', i), list.size());
      const std::string address = trim(list.substr(i, comma - i));
      if (!address.empty()) {
        Poco::Net::IPAddress parsed;
        if (!Poco::Net::IPAddress::tryParse(address, parsed))
          return invalid("http.uncapped_addresses", "'" + address.substr(0, 60) + "' is not an IP address");
        c.httpUncappedAddresses.push_back(parsed.toString());
      }
      i = comma + 1;
    }
  }
  if (auto it = props.find("http.metrics_public"); it != props.end()) {
    if (it->second != "true" && it->second != "false")
      return invalid("http.metrics_public", "must be true or false");
    c.metricsPublic = it->second == "true";
  }
  c.raw = props;
  return c;
}

}  // namespace wms::server
