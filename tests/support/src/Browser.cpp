#include "wms/testsupport/Browser.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/Ports.h"
#include "wms/testsupport/TempDir.h"

namespace wms::testsupport {
namespace {

std::string readAll(std::istream& in) {
  std::string all;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) all.append(buf, static_cast<std::size_t>(in.gcount()));
  return all;
}

std::string jsonText(const Poco::JSON::Object::Ptr& o) {
  std::ostringstream os;
  o->stringify(os);
  return os.str();
}

}  // namespace

Browser::Browser(const TempDir& dir) : port_(freeLoopbackPort()) {
  ChildProcess::Options o;
  o.output = dir / "chromedriver.log";
  driver_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{"chromedriver", "--port=" + std::to_string(port_)}, o);
  if (!waitForPort(port_, std::chrono::seconds(30))) throw std::runtime_error("chromedriver did not start");
  Poco::JSON::Array::Ptr args = new Poco::JSON::Array;
  for (const std::string a : {"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                              "--no-first-run", "--disable-background-networking",
                              "--disable-component-update", "--disable-sync", "--window-size=1400,1100"})
    args->add(a);
  args->add("--user-data-dir=" + (dir / "profile").string());
  Poco::JSON::Object::Ptr chrome = new Poco::JSON::Object;
  chrome->set("binary", "/usr/bin/chromium");
  chrome->set("args", args);
  Poco::JSON::Object::Ptr always = new Poco::JSON::Object;
  always->set("browserName", "chrome");
  always->set("goog:chromeOptions", chrome);
  Poco::JSON::Object::Ptr caps = new Poco::JSON::Object;
  caps->set("alwaysMatch", always);
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("capabilities", caps);
  auto value = command("POST", "/session", jsonText(body));
  session_ = value.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("sessionId");
}

Browser::~Browser() {
  try {
    if (!session_.empty()) command("DELETE", "/session/" + session_, "");
  } catch (const std::exception&) {
    // chromedriver is stopped below either way, and Chromium with it.
  }
}

void Browser::open(const std::string& url) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("url", url);
  command("POST", "/session/" + session_ + "/url", jsonText(body));
}

Poco::Dynamic::Var Browser::run(const std::string& script) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("script", script);
  body->set("args", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
  return command("POST", "/session/" + session_ + "/execute/sync", jsonText(body));
}

bool Browser::waitUntil(const std::string& script, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    auto v = run(script);
    if (!v.isEmpty() && v.isBoolean() && v.extract<bool>()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string Browser::text(const std::string& script) {
  auto v = run(script);
  return v.isEmpty() ? std::string() : v.convert<std::string>();
}

void Browser::screenshot(const std::filesystem::path& file) {
  auto b64 = command("GET", "/session/" + session_ + "/screenshot", "").convert<std::string>();
  std::istringstream in(b64);
  Poco::Base64Decoder decoder(in);
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << readAll(decoder);
}

Poco::Dynamic::Var Browser::command(const std::string& method, const std::string& path,
                                    const std::string& body) {
  Poco::Net::HTTPClientSession s("127.0.0.1", port_);
  s.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  req.setContentType("application/json");
  req.setContentLength(static_cast<std::streamsize>(body.size()));
  s.sendRequest(req) << body;
  Poco::Net::HTTPResponse res;
  const std::string answer = readAll(s.receiveResponse(res));
  if (res.getStatus() != 200)
    throw std::runtime_error("webdriver " + method + " " + path + ": " + answer.substr(0, 500));
  return Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>()->get("value");
}

}  // namespace wms::testsupport
