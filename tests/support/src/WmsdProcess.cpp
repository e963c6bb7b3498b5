#include "wms/testsupport/WmsdProcess.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace wms::testsupport {
namespace {

// Each test wmsd's token by its port, for httpRequest.
std::mutex tokensMutex;
std::map<std::uint16_t, std::string> tokensByPort;

std::string tokenFor(std::uint16_t port) {
  std::lock_guard<std::mutex> lock(tokensMutex);
  auto it = tokensByPort.find(port);
  return it == tokensByPort.end() ? std::string() : it->second;
}

}  // namespace

HttpResult httpRequest(std::uint16_t port, const std::string& method, const std::string& path,
                       const std::string& body, const std::map<std::string, std::string>& headers,
                       std::chrono::milliseconds timeout) {
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count() / 1000), 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    bool authorizationGiven = false;
    for (const auto& [k, v] : headers) {
      std::string key = k;
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
      if (key == "authorization") {
        authorizationGiven = true;
        if (v.empty()) continue;
      }
      req.set(k, v);
    }
    if (!authorizationGiven)
      if (const std::string token = tokenFor(port); !token.empty()) req.set("Authorization", "Bearer " + token);
    if (!body.empty() || method == "POST" || method == "PUT") {
      req.setContentLength(static_cast<std::streamsize>(body.size()));
      if (!req.has("Content-Type")) req.setContentType("application/json");
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    HttpResult out;
    out.status = static_cast<int>(res.getStatus());
    Poco::StreamCopier::copyToString(in, out.body);
    for (const auto& [k, v] : res) {
      std::string key = k;
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
      // A header sent more than once (Set-Cookie) keeps every value, one per line.
      auto [it, fresh] = out.headers.emplace(key, v);
      if (!fresh) it->second += "\n" + v;
    }
    return out;
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("HTTP " + method + " " + path + " failed: " + e.displayText());
  }
}

std::filesystem::path builtProgram(const std::string& relative) {
  return std::filesystem::path(WMS_BINARY_DIR) / relative;
}

WmsdProcess::WmsdProcess() : WmsdProcess(Options{}) {}

WmsdProcess::WmsdProcess(Options options) : options_(std::move(options)) {
  if (options_.dataDir.empty()) {
    ownDir_ = std::make_unique<TempDir>("wmsd");
    dataDir_ = ownDir_->path();
  } else {
    dataDir_ = options_.dataDir;
  }
  start();
}

WmsdProcess::~WmsdProcess() {
  if (process_) process_->stop(std::chrono::seconds(10));
}

std::string WmsdProcess::issueToken(const std::string& login, const std::string& roles) const {
  std::vector<std::string> argv = {builtProgram("server/app/wmsd").string(), "--set",
                                   "store.path=" + (dataDir_ / "wms.db").string()};
  for (const auto& [k, v] : options_.settings) {
    argv.push_back("--set");
    argv.push_back(k + "=" + v);
  }
  argv.push_back("--issue-token");
  argv.push_back(login + ":" + roles);
  auto r = runCommand(argv);
  // The token is the one line starting wms_ (the output has stderr too).
  std::istringstream lines(r.output);
  std::string line, token;
  while (std::getline(lines, line))
    if (line.rfind("wms_", 0) == 0) token = line;
  if (r.exitCode != 0 || token.empty())
    throw std::runtime_error("wmsd --issue-token " + login + " failed: " + r.output.substr(0, 2000));
  return token;
}

void WmsdProcess::start() {
  std::filesystem::remove(dataDir_ / "port");
  std::vector<std::string> argv = {builtProgram("server/app/wmsd").string(),
                                   "--set", "http.port=0",
                                   "--set", "http.port_file=" + (dataDir_ / "port").string(),
                                   "--set", "store.path=" + (dataDir_ / "wms.db").string()};
  for (const auto& [k, v] : options_.settings) {
    argv.push_back("--set");
    argv.push_back(k + "=" + v);
  }
  // The test's own credentials, every role, made on the database before
  // the start (a restart on the same folder keeps them). A configuration
  // wmsd refuses fails here too; the start below then says why.
  if (token_.empty()) {
    try {
      token_ = issueToken("test-harness", "admin,supervisor,packer,viewer,integration");
      ::setenv("WMS_TOKEN", token_.c_str(), 1);
    } catch (const std::runtime_error&) {
    }
  }
  ChildProcess::Options po;
  po.output = dataDir_ / "wmsd.log";
  process_ = std::make_unique<ChildProcess>(argv, po);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->running()) throw std::runtime_error("wmsd exited at start:\n" + log());
    std::ifstream portFile(dataDir_ / "port");
    int p = 0;
    if (portFile >> p && p > 0) {
      port_ = static_cast<std::uint16_t>(p);
      if (!token_.empty()) {
        std::lock_guard<std::mutex> lock(tokensMutex);
        tokensByPort[port_] = token_;
      }
      try {
        const int status = get("/healthz").status;
        if (status == 200 || (!options_.requireHealthy && status != 0)) return;
      } catch (const std::exception&) {
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("wmsd did not become healthy within 20 s:\n" + log());
}

std::string WmsdProcess::log() const {
  std::ifstream in(dataDir_ / "wmsd.log");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
}

bool WmsdProcess::waitForMqtt(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    if (get("/healthz").body.find("\"mqtt\":\"ok\"") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

int WmsdProcess::stop() {
  if (!process_) return -1;
  int status = process_->stop(std::chrono::seconds(15));
  process_.reset();
  return ChildProcess::exitCode(status);
}

void WmsdProcess::kill9() {
  if (!process_) return;
  process_->kill9();
  process_.reset();
}

}  // namespace wms::testsupport
