// wms::apiclient's one place that opens an HTTP or HTTPS connection to a
// server the tools talk to (wmsd, the channel emulator), so that every tool
// verifies an https:// server the same way.
//
// HTTPS verifies the server's chain and host name against the CA file in
// the environment variable WMS_CA_FILE (tools/run-demo --tls exports its
// local CA's), or against the system's CAs when it is unset. The TLS client
// context is made once per process, on first use.
//
// Threading: thread-safe; each session returned belongs to its caller.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/URI.h>

#include <memory>

#include "wms/common/Result.h"

namespace wms::apiclient {

// A session to uri's host and port: HTTPS for scheme "https", plain for
// "http". Another scheme or no host is Invalid; an unusable WMS_CA_FILE is
// Invalid naming the file. Connects lazily (on the first request).
Result<std::unique_ptr<Poco::Net::HTTPClientSession>> openSession(const Poco::URI& uri);

}  // namespace wms::apiclient
