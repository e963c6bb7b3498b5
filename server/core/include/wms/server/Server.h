// The running server: the database, the services and the HTTP API wired
// together from a ServerConfig. wmsd is a thin shell around this.
//
// Lifetime: start() opens everything and begins serving; stop() (or the
// destructor) stops accepting requests, lets those in flight finish, drains
// queued writes and closes the database.
// Threading: stop() may be called once from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "wms/common/Result.h"
#include "wms/server/Config.h"
#include "wms/server/Metrics.h"

namespace wms::server {

class Server {
 public:
  // Errors: Unavailable (the database or the port cannot be opened),
  // Conflict (the database schema is newer than this program).
  static Result<std::unique_ptr<Server>> start(const ServerConfig& config);

  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // What `wmsd --issue-token LOGIN:ROLES` does, on the database the config
  // names (wmsd may be running on it or not): makes or updates integration
  // account LOGIN with ROLES and returns a new token for it, valid `days`.
  static Result<std::string> issueToken(const ServerConfig& config, const std::string& loginAndRoles, int days);

  std::uint16_t httpPort() const;
  Metrics& metrics();
  void stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wms::server
