// Internal: a small router over POCO's HTTP server. Handlers see a plain
// request (body already read within its size limit) and return a plain
// response; the router turns every failure into a JSON error with the right
// status and never lets an exception reach POCO.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/server/Metrics.h"

namespace wms::server::http {

struct Request {
  std::string method;
  std::string path;                           // decoded path
  std::vector<std::string> params;            // values of {placeholders}, in order
  std::map<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> headers; // names lower-cased
  std::string body;
  std::string remote;

  // A query parameter or `fallback`.
  std::string q(const std::string& name, const std::string& fallback = {}) const;
  std::string header(const std::string& lowerName) const;
};

struct Response {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(int status, std::string body);
  static Response error(const Error& error);
  static Response text(int status, std::string body, std::string contentType = "text/plain; charset=utf-8");
};


using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  static constexpr std::size_t kDefaultMaxBody = 1u << 20;

  // Registers a route. Pattern segments in braces ({id}) match any one
  // non-empty segment. maxBody bounds the request body (413 above it).
  void add(const std::string& method, const std::string& pattern, Handler handler,
           std::size_t maxBody = kDefaultMaxBody);
  // Every request under `prefix` (e.g. "/api/v1/packing/") that no route
  // matched goes to `handler`, whatever its method.
  void addPrefix(const std::string& prefix, Handler handler, std::size_t maxBody = kDefaultMaxBody);

  struct Match {
    const Handler* handler = nullptr;
    std::vector<std::string> params;
    std::size_t maxBody = kDefaultMaxBody;
    bool pathKnown = false;  // some route has this path (for 405)
  };
  Match match(const std::string& method, const std::string& path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
    std::size_t maxBody;
  };
  std::vector<Route> routes_;
  std::vector<std::pair<std::string, Route>> prefixes_;
};

// Builds POCO request handlers that dispatch through the router. The router
// must outlive the factory. Counts requests by status in metrics.
Poco::Net::HTTPRequestHandlerFactory* makeHandlerFactory(const Router& router, Metrics& metrics);

}  // namespace wms::server::http
