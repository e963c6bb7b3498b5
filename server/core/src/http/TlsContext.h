// Internal: the TLS side of wmsd's HTTP listener (http.tls.* settings).
#pragma once

#include <Poco/Net/Context.h>

#include "wms/common/Result.h"
#include "wms/server/Config.h"

namespace wms::server::http {

// A server-side TLS context for config.tlsCertificate / tlsPrivateKey
// (PEM; tlsCaFile optional: the chain sent to clients), TLS 1.2 or newer,
// no client certificates. Each file is opened first, so a missing or
// unreadable one is an Unavailable error naming it; a file OpenSSL cannot
// use (not PEM, a key that does not match the certificate, an encrypted
// key) is an Invalid error naming the files and OpenSSL's reason. Nothing
// throws. Call only when config.tlsOn.
Result<Poco::Net::Context::Ptr> makeServerTlsContext(const ServerConfig& config);

}  // namespace wms::server::http
