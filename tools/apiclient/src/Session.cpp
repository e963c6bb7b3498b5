#include "wms/apiclient/Session.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

#include <cstdlib>

namespace wms::apiclient {
namespace {

struct Tls {
  Poco::Net::Context::Ptr context;
  std::string error;
};

const Tls& tls() {
  static const Tls made = [] {
    Tls t;
    const char* env = std::getenv("WMS_CA_FILE");
    const std::string ca = env ? env : "";
    try {
      Poco::Net::initializeSSL();
      Poco::Net::Context::Params p;
      p.verificationMode = Poco::Net::Context::VERIFY_RELAXED;  // the chain; the session checks the host name
      p.caLocation = ca;
      p.loadDefaultCAs = ca.empty();
      t.context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
      t.context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
      // A certificate that fails verification is refused; POCO's default
      // handler would ask on the console instead.
      Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject = new Poco::Net::RejectCertificateHandler(false);
      Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, t.context);
    } catch (const Poco::Exception& e) {
      t.context = nullptr;
      t.error = "cannot use WMS_CA_FILE '" + ca + "': " + e.displayText();
    }
    return t;
  }();
  return made;
}

}  // namespace

Result<std::unique_ptr<Poco::Net::HTTPClientSession>> openSession(const Poco::URI& uri) {
  const bool https = uri.getScheme() == "https";
  if ((uri.getScheme() != "http" && !https) || uri.getHost().empty())
    return Error{ErrorKind::Invalid,
                 "a server URL looks like http://127.0.0.1:8080 or https://localhost:8443, got '" + uri.toString() + "'"};
  if (!https) return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  if (!tls().context) return Error{ErrorKind::Invalid, tls().error};
  return std::unique_ptr<Poco::Net::HTTPClientSession>(
      std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls().context));
}

}  // namespace wms::apiclient
