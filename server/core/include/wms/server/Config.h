// wmsd's configuration: every setting with its default, read from a
// properties file (key = value) whose every key is documented in
// server/wmsd.properties. Unknown keys and bad values are errors naming the
// key, so a typo cannot silently fall back to a default.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/store/Database.h"

namespace wms::server {

struct ServerConfig {
  // HTTP API and dashboard.
  std::string httpAddress = "127.0.0.1";
  std::uint16_t httpPort = 8080;       // 0: any free port (see httpPortFile)
  std::filesystem::path httpPortFile;  // if set, the bound port is written here once listening
  int httpThreads = 16;
  std::size_t maxBodyBytes = 1u << 20;
  std::size_t maxImportBytes = 64u << 20;
  int httpMaxQueued = 1024;   // connections waiting for a thread
  int httpIoTimeoutS = 10;    // a slow client is cut off after this
  // Slow and idle clients (server/wmsd.properties says why each number):
  int httpHeaderTimeoutS = 10;            // a request's header, whole, from its first byte
  int httpBodyTimeoutS = 30;              // a request's body, whole, from its header
  int httpKeepAliveTimeoutS = 5;          // an idle connection between requests (0: none kept)
  int httpKeepAliveMaxRequests = 100;     // requests on one connection
  int httpMaxConnectionsPerAddress = 8;   // 0: no cap
  int httpMaxStreams = 4;                 // live event streams at once (each holds a thread); 0: none
  // Client addresses the cap does not apply to: this host's own tools and a
  // reverse proxy on it (they limit their clients themselves).
  std::vector<std::string> httpUncappedAddresses = {"127.0.0.1", "::1"};
  // Host names a request may name besides localhost, 127.0.0.1, [::1] and
  // the bound address (DNS rebinding; docs/security.md).
  std::vector<std::string> allowedHosts;
  bool metricsPublic = false;  // GET /metrics without credentials
  // HTTPS (http.tls.*): with both a certificate and its key, wmsd serves
  // HTTPS only on httpPort (TLS 1.2+) and every response carries
  // Strict-Transport-Security. The files are read at start; a missing one
  // stops wmsd with a message naming it.
  std::filesystem::path tlsCertificate;  // PEM; the server certificate (chain after it, if any)
  std::filesystem::path tlsPrivateKey;   // PEM; unencrypted
  std::filesystem::path tlsCaFile;       // optional: intermediate CAs sent with the certificate
  bool tlsOn = false;                    // both tlsCertificate and tlsPrivateKey are set

  // Store.
  std::filesystem::path storePath = "var/wms.db";
  store::Durability durability = store::Durability::Full;
  int busyTimeoutMs = 5000;
  int maxBatch = 256;

  // Orders.
  domain::ShortagePolicy onShortage = domain::ShortagePolicy::Reject;

  // Logging.
  std::string logLevel = "information";  // fatal|critical|error|warning|notice|information|debug|trace
  std::filesystem::path logFile;         // empty: the console

  // Every other key is kept here for components that read their own.
  std::map<std::string, std::string> raw;
};

// Builds a config from key/value pairs (a properties file's content, then
// command-line overrides). Invalid names the key and the problem.
Result<ServerConfig> configFromProperties(const std::map<std::string, std::string>& properties);

// Reads a properties file into key/value pairs (# and ! comments, key = value).
Result<std::map<std::string, std::string>> readPropertiesFile(const std::filesystem::path& file);

}  // namespace wms::server
