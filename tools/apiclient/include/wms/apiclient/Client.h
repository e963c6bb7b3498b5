// wms::apiclient: the HTTP client the tools (wmsctl, wms-demo, wms-sim,
// benches) talk to wmsd and to the channel emulator with. Every failure (no
// server, timeout, an error status) comes back as an Error with a message for
// a person; nothing throws out of it.
//
// Retries. A Client may be given a retry budget (the environment variable
// WMS_RETRY_SECONDS, or the constructor's retryFor; none by default, so a
// tool says at once that wmsd cannot be reached). Within the budget, counted
// from a request's first try, the request is tried again, waiting 100 ms
// doubling to 2 s (plus up to a quarter more, at random, so that the tools
// do not come back in step), when:
//   * the connection could not be opened (refused, no such host, connect
//     timeout): nothing was sent, so trying again is always safe;
//   * the server answered 502, 503 or 504: wmsd answers 503 only when it
//     changed nothing (database unavailable, disk full, read-only). A
//     Retry-After of whole seconds is waited instead, at most 5 s;
//   * the connection failed after the request was sent (reset, timeout, the
//     answer cut short), but only if the request is safe to repeat: GET,
//     HEAD, PUT, DELETE, OPTIONS, or one carrying an Idempotency-Key header
//     or an "idempotency_key" field in its JSON body. Anything else (an
//     unkeyed POST) comes back as Unavailable saying that the outcome is
//     unknown, and the caller decides.
// When the budget is spent the last answer (a 503) or error is returned.
// The first wait of an outage writes one line to stderr ("wmsd at X is
// away (...); retrying for up to N s"), and the first answer after it
// another; the retries between are silent.
//
// Threading: a Client holds no connection; one may be shared by threads
// (copies share the outage notice).
#pragma once

#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
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
  // (docs/security.md); by default tokenFromEnvironment(). retryFor: the
  // retry budget (above); by default retryBudgetFromEnvironment(), zero
  // meaning no retries.
  explicit Client(std::string base) : Client(std::move(base), tokenFromEnvironment()) {}
  Client(std::string base, std::string token) : Client(std::move(base), std::move(token), retryBudgetFromEnvironment()) {}
  Client(std::string base, std::string token, std::chrono::milliseconds retryFor)
      : base_(std::move(base)), token_(std::move(token)), retryFor_(retryFor) {}

  // The token the tools use: $WMS_TOKEN, else the first line of the file
  // $WMS_TOKEN_FILE names, else "" (no Authorization header; wmsd answers
  // 401 on everything but its public routes).
  static std::string tokenFromEnvironment();

  // The retry budget the tools use: $WMS_RETRY_SECONDS (whole or decimal
  // seconds, at most a day), read once per process; unset, empty, 0 or not
  // a number: none.
  static std::chrono::milliseconds retryBudgetFromEnvironment();

  std::chrono::milliseconds retryBudget() const noexcept { return retryFor_; }

  // Sends a request, retrying as above; an unreachable server or an
  // unparseable URL is an error (Unavailable, Invalid). Any other HTTP
  // status is returned as a Reply.
  Result<Reply> send(const std::string& method, const std::string& path, const std::string& body = {},
                          const std::map<std::string, std::string>& headers = {});

  // send(), but a status >= 400 becomes an Error carrying the server's
  // detail: Unavailable for 502, 503 and 504 (nothing was changed: it may
  // be tried again later), Invalid for the others.
  Result<Reply> call(const std::string& method, const std::string& path, const std::string& body = {},
                          const std::map<std::string, std::string>& headers = {});

 private:
  // Writes the outage's one line when its first wait starts; forgets the
  // outage once an answer comes.
  void noticeAway(const std::string& why);
  void noticeBack();

  // Constant after construction.
  std::string base_;
  std::string token_;
  std::chrono::milliseconds retryFor_{0};
  // Whether this Client (and its copies) already said that the server is away.
  std::shared_ptr<std::atomic<bool>> away_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace wms::apiclient
