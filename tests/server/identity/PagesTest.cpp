// The pages in a real browser (headless Chromium driven over WebDriver by
// chromedriver, both Debian packages) against a real wmsd: a packer signs in
// on the sign-in page, works at the packing station, and finds the
// supervisor's control on the dashboard refused; signing out ends it.
#define BOOST_TEST_MODULE server_identity_pages
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <sstream>
#include <thread>

#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/Ports.h"
#include "wms/testsupport/TempDir.h"
#include "wms/testsupport/WmsdProcess.h"

using namespace wms::testsupport;

namespace {

using Json = Poco::JSON::Object::Ptr;

Json object() { return new Poco::JSON::Object; }

// A W3C WebDriver session on a chromedriver of its own: the few commands a
// person's actions need (open, type, click, read).
class Browser {
 public:
  Browser() : port_(freeLoopbackPort()), profile_("wms-webdriver") {
    driver_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"chromedriver", "--port=" + std::to_string(port_)},
        ChildProcess::Options{{}, profile_.path() / "chromedriver.log", {}});
    BOOST_REQUIRE_MESSAGE(waitForPort(port_, std::chrono::seconds(20)), "chromedriver did not start");
    auto args = new Poco::JSON::Array;
    for (const char* a : {"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                          "--window-size=1300,1000"})
      args->add(std::string(a));
    args->add("--user-data-dir=" + (profile_.path() / "chromium").string());
    auto chrome = object();
    chrome->set("binary", "/usr/bin/chromium");
    chrome->set("args", Poco::JSON::Array::Ptr(args));
    auto always = object();
    always->set("goog:chromeOptions", chrome);
    auto caps = object();
    caps->set("alwaysMatch", always);
    auto body = object();
    body->set("capabilities", caps);
    auto r = call("POST", "/session", body);
    session_ = r->getObject("value")->getValue<std::string>("sessionId");
  }
  ~Browser() {
    try {
      if (!session_.empty()) call("DELETE", "/session/" + session_, nullptr);
    } catch (...) {
    }
  }

  void open(const std::string& url) {
    auto b = object();
    b->set("url", url);
    command("POST", "/url", b);
  }
  std::string url() { return command("GET", "/url", nullptr)->getValue<std::string>("value"); }
  // The element matching a CSS selector, waiting up to 10 s for it.
  std::string find(const std::string& css) {
    for (int i = 0; i < 100; ++i) {
      auto b = object();
      b->set("using", "css selector");
      b->set("value", css);
      auto r = command("POST", "/element", b, true);
      if (r->isObject("value") && r->getObject("value")->has(kElement))
        return r->getObject("value")->getValue<std::string>(kElement);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    BOOST_FAIL("no element " << css << " at " << url());
    return {};
  }
  void type(const std::string& css, const std::string& text) {
    auto b = object();
    b->set("text", text);
    command("POST", "/element/" + find(css) + "/value", b);
  }
  void click(const std::string& css) { command("POST", "/element/" + find(css) + "/click", object()); }
  std::string text(const std::string& css) {
    return command("GET", "/element/" + find(css) + "/text", nullptr)->getValue<std::string>("value");
  }
  // Waits up to 10 s for `ok` to hold; false if it never does.
  template <class F>
  bool eventually(F ok) {
    for (int i = 0; i < 100; ++i) {
      if (ok()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

 private:
  static constexpr const char* kElement = "element-6066-11e4-a52e-4f735466cecf";

  Json command(const std::string& method, const std::string& path, const Json& body, bool mayFail = false) {
    return call(method, "/session/" + session_ + path, body, mayFail);
  }
  Json call(const std::string& method, const std::string& path, const Json& body, bool mayFail = false) {
    Poco::Net::HTTPClientSession s("127.0.0.1", port_);
    s.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    std::string text;
    if (body) {
      std::ostringstream out;
      Poco::JSON::Stringifier::stringify(body, out);
      text = out.str();
      req.setContentType("application/json");
      req.setContentLength(static_cast<std::streamsize>(text.size()));
    }
    s.sendRequest(req) << text;
    Poco::Net::HTTPResponse res;
    std::string answer;
    Poco::StreamCopier::copyToString(s.receiveResponse(res), answer);
    if (res.getStatus() != Poco::Net::HTTPResponse::HTTP_OK && !mayFail)
      BOOST_FAIL("WebDriver " << method << " " << path << ": " << res.getStatus() << " " << answer.substr(0, 500));
    return Poco::JSON::Parser().parse(answer).extract<Json>();
  }

  std::uint16_t port_;
  TempDir profile_;
  std::unique_ptr<ChildProcess> driver_;
  std::string session_;
};

const std::string kPassword = "packer password 1";

}  // namespace

BOOST_AUTO_TEST_CASE(a_packer_signs_in_packs_and_finds_the_supervisors_control_refused) {
  WmsdProcess wmsd;
  auto made = wmsd.post("/api/v1/accounts", R"({"login":"pat","name":"Pat Packer","roles":["packer"],"password":")" +
                                                kPassword + "\"}");
  BOOST_REQUIRE_MESSAGE(made.status == 201, made.body);
  const std::string base = "http://127.0.0.1:" + std::to_string(wmsd.port());
  Browser browser;

  // Not signed in: the packing page sends the person to sign in, and back.
  browser.open(base + "/packing/?station=PACK-1");
  BOOST_REQUIRE_MESSAGE(browser.eventually([&] { return browser.url().find("/sign-in/") != std::string::npos; }),
                        "not sent to sign in: " << browser.url());
  // A wrong password is told, and nothing else is.
  browser.type("#login", "pat");
  browser.type("#password", "not the password");
  browser.click("#submit");
  BOOST_TEST(browser.eventually([&] { return browser.text("#result").find("wrong login or password") != std::string::npos; }),
             browser.text("#result"));
  browser.open(browser.url());  // a fresh form
  browser.type("#login", "pat");
  browser.type("#password", kPassword);
  browser.click("#submit");
  BOOST_REQUIRE_MESSAGE(browser.eventually([&] { return browser.url().find("/packing/?station=PACK-1") != std::string::npos; }),
                        "not back at the packing station: " << browser.url());

  // At the station: a scan goes through (with the session and its CSRF token)
  // and is answered by the packing service itself.
  BOOST_TEST(browser.eventually([&] { return browser.text("#station").find("PACK-1") != std::string::npos; }));
  browser.type("#scan", "NO-SUCH-TOTE\n");
  BOOST_TEST(browser.eventually([&] { return !browser.text("#feedback").empty(); }));
  const std::string feedback = browser.text("#feedback");
  BOOST_TEST(feedback.find("CSRF") == std::string::npos, feedback);
  BOOST_TEST(feedback.find("roles") == std::string::npos, feedback);
  auto audit = wmsd.get("/api/v1/audit-log?who=person:pat");
  BOOST_TEST(audit.body.find("POST /api/v1/packing/sessions") != std::string::npos, audit.body);
  BOOST_TEST(audit.body.find("\"via\":\"session\"") != std::string::npos);

  // The dashboard's supervisor control, refused with the reason.
  browser.open(base + "/dashboard/");
  BOOST_TEST(browser.eventually([&] { return browser.text("#me").find("Pat Packer") != std::string::npos; }));
  browser.click("#release");
  BOOST_TEST(browser.eventually([&] { return browser.text("#release-result").find("roles") != std::string::npos; }),
             browser.text("#release-result"));
  // Refused before the handler: nothing released, nothing recorded as done.
  BOOST_TEST(wmsd.get("/api/v1/audit-log?who=person:pat").body.find("waves/release") == std::string::npos);
  BOOST_TEST(wmsd.get("/api/v1/waves").body.find("\"id\"") == std::string::npos);

  // Signed out: the next page load goes to the sign-in page again.
  browser.click("#sign-out");
  BOOST_TEST(browser.eventually([&] { return browser.url().find("/sign-in/") != std::string::npos; }));
  browser.open(base + "/dashboard/");
  BOOST_TEST(browser.eventually([&] { return browser.url().find("/sign-in/") != std::string::npos; }), browser.url());
}
