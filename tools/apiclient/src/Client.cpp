#include "wms/apiclient/Client.h"

#include "wms/apiclient/Session.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <fstream>

namespace wms::apiclient {

std::string Client::tokenFromEnvironment() {
  if (const char* token = std::getenv("WMS_TOKEN"); token && *token) return token;
  if (const char* file = std::getenv("WMS_TOKEN_FILE"); file && *file) {
    std::ifstream in(file);
    std::string line;
    if (std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      return line;
    }
  }
  return {};
}

Result<Reply> Client::send(const std::string& method, const std::string& path, const std::string& body,
                                const std::map<std::string, std::string>& headers) {
  try {
    Poco::URI uri(base_);
    auto opened = openSession(uri);  // http:// or https:// (docs/transport-security.md)
    if (!opened) return Error{ErrorKind::Invalid, "--server '" + base_ + "': " + opened.error().message};
    Poco::Net::HTTPClientSession& session = **opened;
    session.setTimeout(Poco::Timespan(120, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!token_.empty() && !req.has("Authorization")) req.set("Authorization", "Bearer " + token_);
    if (method == "POST" || method == "PUT") {
      req.setContentLength(static_cast<std::streamsize>(body.size()));
      if (!req.has("Content-Type")) req.setContentType("application/json");
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    Reply reply;
    reply.status = static_cast<int>(res.getStatus());
    Poco::StreamCopier::copyToString(in, reply.body);
    try {
      Poco::JSON::Parser parser;
      auto v = parser.parse(reply.body);
      if (v.type() == typeid(Poco::JSON::Object::Ptr)) reply.json = v.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    return reply;
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Unavailable, "cannot reach wmsd at " + base_ + ": " + e.displayText()};
  }
}

Result<Reply> Client::call(const std::string& method, const std::string& path, const std::string& body,
                                const std::map<std::string, std::string>& headers) {
  auto reply = send(method, path, body, headers);
  if (!reply) return reply;
  if (reply->status >= 400) {
    std::string detail = reply->json && reply->json->has("detail") ? reply->json->getValue<std::string>("detail")
                                                                    : reply->body;
    return Error{ErrorKind::Invalid, detail + " (HTTP " + std::to_string(reply->status) + ")"};
  }
  return reply;
}

}  // namespace wms::apiclient
