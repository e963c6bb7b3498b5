// A real wmsd started by a test: its own temporary folder and database, an
// ephemeral loopback port, stopped (SIGTERM) when the object goes away.
// Plus a small HTTP client for talking to it.
//
// Threading: a WmsdProcess is used from the test's thread; httpRequest may be
// called from any thread (each call opens its own connection).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/TempDir.h"

namespace wms::testsupport {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased; a repeated one's values one per line
};

// One HTTP request to 127.0.0.1:port. Throws std::runtime_error if the
// connection fails (the server is down), which a test should treat as a failure.
// Unless `headers` names an Authorization (an empty value: send none), the
// request carries the token of the WmsdProcess listening on `port`, if any:
// tests act as a signed-in caller holding every role unless they say
// otherwise (docs/security.md).
HttpResult httpRequest(std::uint16_t port, const std::string& method, const std::string& path,
                       const std::string& body = {}, const std::map<std::string, std::string>& headers = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));

// The path of a program built by this project (e.g. "server/app/wmsd").
std::filesystem::path builtProgram(const std::string& relative);

class WmsdProcess {
 public:
  struct Options {
    std::map<std::string, std::string> settings;  // --set key=value (store.path and http.* are set for you)
    std::filesystem::path dataDir;                // reuse a folder (to restart on the same database)
    bool requireHealthy = true;  // false: the start waits for any /healthz answer, 503 too
  };

  // Starts wmsd and waits until /healthz answers 200 (any answer without
  // Options::requireHealthy); throws if it does not within 20 s (with the
  // end of its log in the message).
  WmsdProcess();
  explicit WmsdProcess(Options options);
  ~WmsdProcess();
  WmsdProcess(const WmsdProcess&) = delete;
  WmsdProcess& operator=(const WmsdProcess&) = delete;

  std::uint16_t port() const { return port_; }
  // The API token this wmsd was given for the test (every role), made with
  // `wmsd --issue-token` before the start; also exported as WMS_TOKEN so
  // that tools the test runs use it.
  const std::string& token() const { return token_; }
  // Makes another integration account with `roles` ("packer,viewer") and
  // returns a token for it (for tests of what a role may not do).
  std::string issueToken(const std::string& login, const std::string& roles) const;
  const std::filesystem::path& dataDir() const { return dataDir_; }
  std::filesystem::path dbPath() const { return dataDir_ / "wms.db"; }
  std::string log() const;

  HttpResult get(const std::string& path) const { return httpRequest(port_, "GET", path); }
  HttpResult post(const std::string& path, const std::string& body,
                  const std::map<std::string, std::string>& headers = {}) const {
    return httpRequest(port_, "POST", path, body, headers);
  }

  // Waits until /healthz says "mqtt":"ok" (the gateway's subscriptions are
  // in place, so a device's first event is not dropped); false after the
  // timeout.
  bool waitForMqtt(std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

  // SIGTERM and wait; returns the exit code.
  int stop();
  // SIGKILL, as a crash.
  void kill9();
  // Starts it again after stop() or kill9(), on the same folder.
  void restart() { start(); }
  bool running() { return process_ && process_->running(); }

 private:
  void start();
  Options options_;
  std::unique_ptr<TempDir> ownDir_;
  std::filesystem::path dataDir_;
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t port_ = 0;
  std::string token_;
};

}  // namespace wms::testsupport
