#include "Http.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cmath>
#include <cstdlib>

namespace wms::channels {

std::string urlEncode(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]%\"<>\\^`{|} ", out);
  return out;
}

HttpClient::HttpClient(std::string base, int timeoutMs) : base_(std::move(base)), timeoutMs_(timeoutMs) {
  try {
    Poco::URI uri(base_);
    if (uri.getScheme() != "http") {
      badBase_ = uri.getScheme() == "https" ? "https is not supported by this build's channel client (" + base_ + ")"
                                            : "not an http URL: " + base_;
      return;
    }
    host_ = uri.getHost();
    port_ = uri.getPort();
    prefix_ = uri.getPath();
    while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  } catch (const Poco::Exception& e) {
    badBase_ = "bad API base URL " + base_ + ": " + e.message();
  }
}

HttpClient::~HttpClient() = default;

Result<HttpReply> HttpClient::send(const std::string& method, const std::string& pathAndQuery,
                                   const std::string& body,
                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                   const std::string& contentType) {
  if (!badBase_.empty()) return Error{ErrorKind::Unavailable, badBase_};
  // One retry on a fresh connection: a kept-alive connection the server
  // closed in the meantime fails on first use without the server seeing it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = session_ != nullptr;
    try {
      if (!session_) {
        session_ = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
        session_->setKeepAlive(true);
        session_->setTimeout(Poco::Timespan(static_cast<long>(timeoutMs_) * 1000));
      }
      Poco::Net::HTTPRequest req(method, prefix_ + pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
      req.setKeepAlive(true);
      for (const auto& [k, v] : headers) req.set(k, v);
      if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        req.setContentType(contentType);
        req.setContentLength(static_cast<std::streamsize>(body.size()));
      }
      session_->sendRequest(req) << body;
      Poco::Net::HTTPResponse res;
      std::istream& in = session_->receiveResponse(res);
      HttpReply out;
      out.status = static_cast<int>(res.getStatus());
      Poco::StreamCopier::copyToString(in, out.body);
      if (res.has("Retry-After")) {
        const std::string v = res.get("Retry-After");
        char* end = nullptr;
        double secs = std::strtod(v.c_str(), &end);
        if (end != v.c_str() && secs >= 0 && secs < 86400) out.retryAfterMs = static_cast<std::int64_t>(std::ceil(secs * 1000));
      }
      if (!res.getKeepAlive()) session_.reset();
      return out;
    } catch (const Poco::Exception& e) {
      session_.reset();
      if (reused && attempt == 0) continue;
      return Error{ErrorKind::Unavailable, method + " " + base_ + pathAndQuery + ": " + e.displayText()};
    } catch (const std::exception& e) {
      session_.reset();
      if (reused && attempt == 0) continue;
      return Error{ErrorKind::Unavailable, method + " " + base_ + pathAndQuery + ": " + e.what()};
    }
  }
  return Error{ErrorKind::Unavailable, method + " " + base_ + pathAndQuery + ": failed"};
}

}  // namespace wms::channels
