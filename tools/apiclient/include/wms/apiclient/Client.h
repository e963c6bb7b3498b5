// wms::apiclient: the HTTP client the tools (wmsctl, wms-demo, wms-sim,
// benches) talk to wmsd and to the channel emulator with. Every failure (no
// server, timeout, an error status) comes back as an Error with a message for
// a person; nothing throws out of it.
//
// Threading: a Client holds no connection; one may be shared by threads.
#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <string>

#include "wms/common/Result.h"

namespace wms::apiclient {

struct Reply {
  int status = 0;
  std::string body;
  Poco::JSON::Object::Ptr json;  // null if the body is not a JSON object
};

class Client {
 public:
  // base: "http://host:port" or "https://host:port" (no path). HTTPS
  // verifies the server against the CA file in the environment variable
  // WMS_CA_FILE (read once per process), or the system's CAs without it.
  // token: the API token sent as `Authorization: Bearer` on every request
  // (docs/security.md); by default tokenFromEnvironment().
  explicit Client(std::string base) : Client(std::move(base), tokenFromEnvironment()) {}
  Client(std::string base, std::string token) : base_(std::move(base)), token_(std::move(token)) {}

  // The token the tools use: $WMS_TOKEN, else the first line of the file
  // $WMS_TOKEN_FILE names, else "" (no Authorization header; wmsd answers
  // 401 on everything but its public routes).
  static std::string tokenFromEnvironment();

  // Sends a request; an unreachable server or an unparseable URL is an
  // Unavailable error. Any HTTP status is returned as a Reply.
  Result<Reply> send(const std::string& method, const std::string& path, const std::string& body = {},
                          const std::map<std::string, std::string>& headers = {});

  // send(), but a status >= 400 becomes an Error carrying the server's detail.
  Result<Reply> call(const std::string& method, const std::string& path, const std::string& body = {},
                          const std::map<std::string, std::string>& headers = {});

 private:
  std::string base_;
  std::string token_;
};

}  // namespace wms::apiclient
