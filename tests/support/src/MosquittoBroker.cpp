#include "wms/testsupport/MosquittoBroker.h"

#include <random>
#include <stdexcept>

#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/Ports.h"
#include "wms/testsupport/TempDir.h"

namespace wms::testsupport {
namespace {

const std::string kTool = std::string(WMS_SOURCE_DIR) + "/tools/broker/wms-broker";

std::string randomPassword() {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 24; ++i) s += kHex[rd() % 16];
  return s;
}

}  // namespace

MosquittoBroker::MosquittoBroker() : MosquittoBroker(Options{}) {}

MosquittoBroker::MosquittoBroker(Options options) : options_(std::move(options)) {
  dir_ = std::make_unique<TempDir>("wms-broker");
  server_ = {"wms-server", randomPassword()};
  monitor_ = {"wms-monitor", randomPassword()};
  std::vector<std::string> ids = options_.deviceIds;
  if (ids.empty()) {
    for (std::size_t i = 1; i <= options_.devices; ++i) ids.push_back("dev-" + std::to_string(i));
  }
  for (const auto& id : ids) devices_.push_back({id, randomPassword()});

  // A free port can be taken by someone else before mosquitto binds it; then
  // set up again on other ports.
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = options_.tls ? 0 : freeLoopbackPort();
    tlsPort_ = options_.tls ? freeLoopbackPort() : 0;
    serverPort_ = freeLoopbackPort();
    if (serverPort_ == port_ || serverPort_ == tlsPort_) continue;
    setup(attempt > 0);
    if (launch()) return;
  }
  throw std::runtime_error("MosquittoBroker: mosquitto did not start; log:\n" + log());
}

MosquittoBroker::~MosquittoBroker() {
  if (process_) process_->stop();
}

void MosquittoBroker::setup(bool force) {
  std::vector<std::string> argv = {kTool, "setup", (dir_->path() / "broker").string(),
                                   "--server-port", std::to_string(serverPort_),
                                   "--server-user", server_.username + ":" + server_.password,
                                   "--monitor-user", monitor_.username + ":" + monitor_.password};
  if (tlsPort_ != 0) {
    argv.push_back("--tls-port");
    argv.push_back(std::to_string(tlsPort_));
  } else {
    argv.push_back("--port");
    argv.push_back(std::to_string(port_));
  }
  // Devices go through a file: a test may have hundreds of them.
  std::string devices;
  for (const auto& d : devices_) devices += d.username + ":" + d.password + "\n";
  writeFile(dir_->path() / "devices.txt", devices);
  argv.push_back("--devices-file");
  argv.push_back((dir_->path() / "devices.txt").string());
  if (options_.autosaveEveryChange) argv.push_back("--autosave-every-change");
  if (force) argv.push_back("--force");
  auto result = runCommand(argv);
  if (result.exitCode != 0) {
    throw std::runtime_error("MosquittoBroker: wms-broker setup failed: " + result.output);
  }
}

bool MosquittoBroker::launch() {
  ChildProcess::Options o;
  o.output = dir_->path() / "broker.out";
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{kTool, "start", (dir_->path() / "broker").string()},
                                            o);
  bool up = waitForPort(serverPort_, std::chrono::seconds(15)) &&
            waitForPort(tlsPort_ != 0 ? tlsPort_ : port_, std::chrono::seconds(15));
  // Accepting alone could be another program on the port: ours must still run.
  if (up && process_->running()) return true;
  process_->stop();
  process_.reset();
  return false;
}

std::uint16_t MosquittoBroker::port() const {
  if (port_ == 0) throw std::logic_error("MosquittoBroker: with Options::tls devices have only the TLS listener");
  return port_;
}

std::string MosquittoBroker::uri() const { return "tcp://127.0.0.1:" + std::to_string(port()); }

std::string MosquittoBroker::serverUri() const { return "tcp://127.0.0.1:" + std::to_string(serverPort_); }

std::map<std::string, std::string> MosquittoBroker::wmsdSettings(
    std::map<std::string, std::string> more) const {
  more["mqtt.uri"] = serverUri();
  more["mqtt.username"] = server_.username;
  more["mqtt.password"] = server_.password;
  return more;
}

std::uint16_t MosquittoBroker::tlsPort() const {
  if (tlsPort_ == 0) throw std::logic_error("MosquittoBroker: made without Options::tls");
  return tlsPort_;
}

std::string MosquittoBroker::tlsUri() const { return "ssl://127.0.0.1:" + std::to_string(tlsPort()); }

std::filesystem::path MosquittoBroker::caFile() const {
  tlsPort();
  return dir_->path() / "broker" / "tls" / "ca.crt";
}

MosquittoBroker::Account MosquittoBroker::addDevice(const std::string& deviceId) {
  Account a{deviceId, randomPassword()};
  auto result = runCommand({kTool, "add-device", (dir_->path() / "broker").string(), a.username, a.password});
  if (result.exitCode != 0) throw std::runtime_error("MosquittoBroker: add-device failed: " + result.output);
  devices_.push_back(a);
  return a;
}

void MosquittoBroker::stop() {
  if (!process_) return;
  process_->stop(std::chrono::seconds(20));
  process_.reset();
}

void MosquittoBroker::start() {
  if (process_ && process_->running()) return;
  if (!launch()) throw std::runtime_error("MosquittoBroker: restart on port " + std::to_string(serverPort_) +
                                          " failed; log:\n" + log());
}

void MosquittoBroker::restart() {
  stop();
  start();
}

void MosquittoBroker::kill9() {
  if (!process_) return;
  process_->kill9();
  process_.reset();
}

bool MosquittoBroker::running() { return process_ && process_->running(); }

const std::filesystem::path& MosquittoBroker::dir() const { return dir_->path(); }

std::string MosquittoBroker::log() const {
  try {
    return readFile(dir_->path() / "broker.out");
  } catch (const std::exception&) {
    return "(no broker output)";
  }
}

}  // namespace wms::testsupport
