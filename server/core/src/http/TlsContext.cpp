#include "TlsContext.h"

#include <Poco/Net/SSLManager.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>

namespace wms::server::http {
namespace {

// OpenSSL would report a missing file as a bare "error:02001002"; checking
// first lets the message name the setting and the file.
Status readable(const char* setting, const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char c;
  if (!in || !in.get(c)) {
    const std::string why = !in.is_open() ? std::strerror(errno) : "empty file";
    return Error{ErrorKind::Unavailable,
                 std::string("config ") + setting + ": cannot read '" + file.string() + "': " + why};
  }
  return {};
}

}  // namespace

Result<Poco::Net::Context::Ptr> makeServerTlsContext(const ServerConfig& config) {
  if (auto st = readable("http.tls.certificate", config.tlsCertificate); !st) return st.error();
  if (auto st = readable("http.tls.private_key", config.tlsPrivateKey); !st) return st.error();
  if (!config.tlsCaFile.empty())
    if (auto st = readable("http.tls.ca_file", config.tlsCaFile); !st) return st.error();

  // OpenSSL's global set-up, once per process (Poco counts the calls).
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });

  Poco::Net::Context::Params p;
  p.certificateFile = config.tlsCertificate.string();
  p.privateKeyFile = config.tlsPrivateKey.string();
  p.caLocation = config.tlsCaFile.string();
  p.verificationMode = Poco::Net::Context::VERIFY_NONE;  // clients authenticate over HTTP, not with certificates
  p.loadDefaultCAs = false;
  p.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
  try {
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, p);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // OpenSSL keeps the certificate and silently drops a key that does not
    // belong to it; every handshake would then fail. Refuse to start instead.
    if (SSL_CTX_check_private_key(context->sslContext()) != 1)
      return Error{ErrorKind::Invalid, "config http.tls.private_key '" + p.privateKeyFile +
                                           "' is not the key of http.tls.certificate '" + p.certificateFile + "'"};
    return context;
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Invalid, "config http.tls.certificate '" + p.certificateFile +
                                         "' and http.tls.private_key '" + p.privateKeyFile +
                                         "': OpenSSL cannot use them: " + e.displayText()};
  }
}

}  // namespace wms::server::http
