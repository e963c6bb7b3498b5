#include "wms/apiclient/Client.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <memory>

namespace wms::apiclient {
namespace {

// HTTPS for the tools: the peer is verified against the CA file named by
// WMS_CA_FILE (tools/run-demo --tls exports its local CA's), or the
// system's CAs without it. Made once per process; an unusable CA file is an
// error on every https:// request, naming the file.
struct Tls {
  Poco::Net::Context::Ptr context;
  std::string error;
};

const Tls& tls() {
  static const Tls made = [] {
    Tls t;
    const char* ca = std::getenv("WMS_CA_FILE");
    try {
      Poco::Net::initializeSSL();
      Poco::Net::Context::Params p;
      p.verificationMode = Poco::Net::Context::VERIFY_RELAXED;  // the chain and, per session, the host name
      if (ca && *ca) p.caLocation = ca;
      p.loadDefaultCAs = !(ca && *ca);
      t.context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
      t.context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
      // A certificate that fails verification is refused; POCO's default
      // handler would ask on the console instead.
      Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject = new Poco::Net::RejectCertificateHandler(false);
      Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, t.context);
    } catch (const Poco::Exception& e) {
      t.context = nullptr;
      t.error = std::string("cannot use WMS_CA_FILE '") + (ca ? ca : "") + "': " + e.displayText();
    }
    return t;
  }();
  return made;
}

}  // namespace

Result<Reply> Client::send(const std::string& method, const std::string& path, const std::string& body,
                                const std::map<std::string, std::string>& headers) {
  try {
    Poco::URI uri(base_);
    const bool https = uri.getScheme() == "https";
    if ((uri.getScheme() != "http" && !https) || uri.getHost().empty())
      return Error{ErrorKind::Invalid,
                   "--server must look like http://127.0.0.1:8080 or https://localhost:8443, got '" + base_ + "'"};
    std::unique_ptr<Poco::Net::HTTPClientSession> sessionOwner;
    if (https) {
      if (!tls().context) return Error{ErrorKind::Invalid, tls().error};
      sessionOwner = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls().context);
    } else {
      sessionOwner = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    Poco::Net::HTTPClientSession& session = *sessionOwner;
    session.setTimeout(Poco::Timespan(120, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) req.set(k, v);
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
