// Internal: a small HTTP client for calls to a channel's API. Keeps one
// keep-alive connection; reconnects after any failure. Failures are values:
// Unavailable for the network (refused, reset, timeout).
//
// Threading: not thread-safe; each pusher / fetch worker owns its clients.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wms/common/Result.h"

namespace Poco::Net {
class HTTPClientSession;
}

namespace wms::channels {

struct HttpReply {
  int status = 0;
  std::string body;
  std::int64_t retryAfterMs = -1;  // from a Retry-After header (seconds, may be fractional), -1 if none
};

class HttpClient {
 public:
  // base: "http://host[:port][/prefix]". An https:// base fails every call
  // with Unavailable (this build has no TLS client).
  HttpClient(std::string base, int timeoutMs);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // pathAndQuery is appended to the base's prefix.
  Result<HttpReply> send(const std::string& method, const std::string& pathAndQuery, const std::string& body = {},
                         const std::vector<std::pair<std::string, std::string>>& headers = {},
                         const std::string& contentType = "application/json");

 private:
  std::string base_;
  std::string host_;
  std::uint16_t port_ = 80;
  std::string prefix_;
  std::string badBase_;  // why the base cannot be used, "" if it can
  int timeoutMs_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

// Percent-encodes a query value (RFC 3986 unreserved kept).
std::string urlEncode(const std::string& text);

}  // namespace wms::channels
