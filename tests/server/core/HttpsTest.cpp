// wmsd over HTTPS (server/core/src/http/TlsContext.cpp and the listener in
// Server.cpp): a real wmsd with a certificate made by openssl, as
// tools/lib/tls.sh makes them, in a temporary folder.
#define BOOST_TEST_MODULE server_https_tests
#include <boost/test/unit_test.hpp>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <thread>

#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/Ports.h"
#include "wms/testsupport/TempDir.h"

using wms::testsupport::ChildProcess;
using wms::testsupport::readFile;
using wms::testsupport::runCommand;
using wms::testsupport::TempDir;

namespace {

const std::string kWmsd = std::string(WMS_BINARY_DIR) + "/server/app/wmsd";

// A CA and a server certificate for localhost/127.0.0.1 it signed, made by
// the tools' own shell function (tools/lib/tls.sh).
void makeCertificate(const TempDir& dir) {
  auto made = runCommand({"bash", "-c",
                          "source \"$0\"/tools/lib/tls.sh && wms_tls_server_cert \"$1\"/ca \"$1\" wmsd",
                          WMS_SOURCE_DIR, dir.path().string()});
  BOOST_REQUIRE_MESSAGE(made.exitCode == 0, made.output);
}

// wmsd with these settings on a free port; the port once it listens.
struct Wmsd {
  Wmsd(const TempDir& folder, std::vector<std::string> settings) : dir(folder) {
    std::vector<std::string> argv{kWmsd, "--set", "http.port=0", "--set",
                                  "http.port_file=" + (dir / "http.port").string(), "--set",
                                  "store.path=" + (dir / "wms.db").string()};
    for (auto& s : settings) {
      argv.push_back("--set");
      argv.push_back(std::move(s));
    }
    ChildProcess::Options o;
    o.output = dir / "wmsd.out";
    process = std::make_unique<ChildProcess>(argv, o);
  }
  // Waits for the port file; 0 if wmsd exited or did not get there.
  std::uint16_t port() {
    for (int i = 0; i < 300; ++i) {
      try {
        auto text = readFile(dir / "http.port");
        if (!text.empty()) return static_cast<std::uint16_t>(std::stoi(text));
      } catch (const std::exception&) {
      }
      if (!process->running()) return 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
  }
  std::string output() const {
    try {
      return readFile(dir / "wmsd.out");
    } catch (const std::exception&) {
      return {};
    }
  }

  const TempDir& dir;
  std::unique_ptr<ChildProcess> process;
};

Poco::Net::Context::Ptr clientContext(const std::filesystem::path& ca) {
  static bool once = [] {
    Poco::Net::initializeSSL();
    return true;
  }();
  (void)once;
  Poco::Net::Context::Params p;
  p.caLocation = ca.string();
  p.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  p.loadDefaultCAs = false;
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
  Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject = new Poco::Net::RejectCertificateHandler(false);
  Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, context);
  return context;
}

std::vector<std::string> tlsSettings(const TempDir& dir) {
  return {"http.tls.certificate=" + (dir / "wmsd.crt").string(), "http.tls.private_key=" + (dir / "wmsd.key").string()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(https)

BOOST_AUTO_TEST_CASE(with_a_certificate_healthz_is_served_over_https_with_hsts) {
  TempDir dir("wmsd-https");
  makeCertificate(dir);
  Wmsd wmsd(dir, tlsSettings(dir));
  const auto port = wmsd.port();
  BOOST_REQUIRE_MESSAGE(port != 0, wmsd.output());

  // The client verifies the chain and that the certificate names localhost.
  Poco::Net::HTTPSClientSession session("localhost", port, clientContext(dir / "ca" / "ca.crt"));
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  BOOST_TEST(static_cast<int>(response.getStatus()) == 200);
  BOOST_TEST(body.find("\"status\":\"ok\"") != std::string::npos, body);
  BOOST_TEST(response.get("Strict-Transport-Security", "(none)") == "max-age=31536000");
  // An error response carries it as well: it is on every response.
  Poco::Net::HTTPRequest missing("GET", "/no/such/route", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(missing);
  Poco::Net::HTTPResponse notFound;
  Poco::StreamCopier::copyToString(session.receiveResponse(notFound), body);
  BOOST_TEST(static_cast<int>(notFound.getStatus()) == 404);
  BOOST_TEST(notFound.get("Strict-Transport-Security", "(none)") == "max-age=31536000");
  BOOST_TEST(wmsd.output().find("listening on https://") != std::string::npos, wmsd.output());
}

BOOST_AUTO_TEST_CASE(plain_http_on_the_https_port_is_never_served) {
  TempDir dir("wmsd-https");
  makeCertificate(dir);
  Wmsd wmsd(dir, tlsSettings(dir));
  const auto port = wmsd.port();
  BOOST_REQUIRE_MESSAGE(port != 0, wmsd.output());

  Poco::Net::HTTPClientSession plain("127.0.0.1", port);
  plain.setTimeout(Poco::Timespan(5, 0));
  bool served = false;
  try {
    Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
    plain.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(plain.receiveResponse(response), body);
    served = body.find("\"status\"") != std::string::npos;
  } catch (const Poco::Exception&) {
    // The handshake fails and wmsd closes the connection: what we want.
  }
  BOOST_TEST(!served);
  BOOST_TEST(wmsd.process->running());  // and wmsd is none the worse for it
}

BOOST_AUTO_TEST_CASE(a_missing_key_file_stops_wmsd_with_a_message_naming_it) {
  TempDir dir("wmsd-https");
  makeCertificate(dir);
  const auto key = (dir / "no-such.key").string();
  auto run = runCommand({kWmsd, "--set", "http.port=0", "--set", "store.path=" + (dir / "wms.db").string(), "--set",
                         "http.tls.certificate=" + (dir / "wmsd.crt").string(), "--set", "http.tls.private_key=" + key},
                        {}, std::chrono::seconds(30));
  BOOST_TEST(run.exitCode != 0);
  BOOST_TEST(run.output.find("http.tls.private_key: cannot read '" + key + "'") != std::string::npos, run.output);
  // Refused before it touched anything: no database was made.
  BOOST_TEST(!std::filesystem::exists(dir / "wms.db"));
}

BOOST_AUTO_TEST_CASE(a_key_that_is_not_the_certificates_stops_wmsd) {
  TempDir dir("wmsd-https");
  makeCertificate(dir);
  const auto key = (dir / "ca" / "ca.key").string();
  auto run = runCommand({kWmsd, "--set", "http.port=0", "--set", "store.path=" + (dir / "wms.db").string(), "--set",
                         "http.tls.certificate=" + (dir / "wmsd.crt").string(), "--set", "http.tls.private_key=" + key},
                        {}, std::chrono::seconds(30));
  BOOST_TEST(run.exitCode != 0);
  BOOST_TEST(run.output.find("'" + key + "' is not the key of http.tls.certificate") != std::string::npos, run.output);
}

BOOST_AUTO_TEST_CASE(a_certificate_without_its_key_is_a_config_error) {
  TempDir dir("wmsd-https");
  makeCertificate(dir);
  auto run = runCommand({kWmsd, "--set", "http.port=0", "--set", "store.path=" + (dir / "wms.db").string(), "--set",
                         "http.tls.certificate=" + (dir / "wmsd.crt").string()},
                        {}, std::chrono::seconds(30));
  BOOST_TEST(run.exitCode != 0);
  BOOST_TEST(run.output.find("http.tls.private_key: must be set together with http.tls.certificate") !=
                 std::string::npos,
             run.output);
}

BOOST_AUTO_TEST_SUITE_END()
