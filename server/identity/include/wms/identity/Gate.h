// Gate: what wmsd's HTTP edge does with every request before and after its
// handler (docs/security.md, "At the edge"): the Host check, who is calling
// and whether the access table lets them, the CSRF token of a page's
// request, the body's type; afterwards the security headers and the audit
// trail. Transport-free: the POCO server (server/core) calls admit() once
// the route is matched and before the body is read, and finish() with the
// handler's response.
//
// Threading: admit() and finish() may be called from any number of threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wms/http/Router.h"
#include "wms/identity/AccessTable.h"
#include "wms/identity/Identity.h"
#include "wms/store/Database.h"

namespace wms::identity {

struct GateConfig {
  // Host names (without port) a request may name; empty: any. wmsd fills in
  // localhost, 127.0.0.1, [::1] and its bound address by default.
  std::vector<std::string> allowedHosts;
  bool tls = false;            // cookies are Secure and HSTS is sent
  bool metricsPublic = false;  // GET /metrics without credentials
  bool audit = true;           // record every admitted request that is not a GET
};

// What admit() learnt of the caller, for finish().
struct Admission {
  std::string who;  // Caller::name(), "webhook:CHANNEL" or "anonymous"
  std::string via;  // "session", "token:NAME", "signature", "public"
  bool checked = false;  // admit() let the request through
};

class Gate {
 public:
  Gate(const AccessTable& table, IdentityService& identity, GateConfig config);

  // Decides on a matched request (its headers, method, path, remote; the
  // body not yet read). On admission fills request.caller and returns
  // nullopt; otherwise the refusal to send. `entry` is the route's entry
  // from Router::Match (-1: a route without one, refused).
  std::optional<http::Response> admit(http::Request& request, const http::Router::Match& match,
                                      Admission& admission) const;
  // The body's type, once its length is known (a request without a body
  // needs none): nullopt or the 415 to send.
  std::optional<http::Response> checkBodyType(const http::Request& request) const;
  // For an admitted change by a known caller: the audit row, attached to
  // the request's first write so that it commits with the effect (hold it
  // while the handler runs, on the handler's thread); nullptr when there is
  // nothing to attach (a GET, a public route, audit off).
  std::unique_ptr<store::WriteAttachment> recordWithEffect(const http::Request& request,
                                                           const http::Router::Match& match,
                                                           const Admission& admission) const;
  // Adds the security headers; records the request in the audit trail when
  // it was admitted, is not a GET, and no write carried its row (refused by
  // its handler, nothing written, or a public or signed webhook request).
  // Never throws.
  void finish(const http::Request& request, const http::Router::Match& match, const Admission& admission,
              http::Response& response, const store::WriteAttachment* attached = nullptr) const;

  // Refuses a request whose Host is not allowed (421); for the unmatched
  // path too, so that 404s do not tell a rebinding page what exists.
  std::optional<http::Response> checkHost(const http::Request& request) const;

  const GateConfig& config() const { return config_; }

 private:
  const AccessTable& table_;
  IdentityService& identity_;
  GateConfig config_;
};

// The value of cookie `name` in a Cookie header, or "".
std::string cookieValue(const std::string& cookieHeader, const std::string& name);
// "1.2.3.4:5678" -> "1.2.3.4", "[::1]:80" -> "::1".
std::string addressOnly(const std::string& remote);

}  // namespace wms::identity
