// A real mosquitto broker for a test, set up by tools/broker/wms-broker in a
// temporary folder and listening on free loopback ports: the devices'
// listener (plain, or TLS only with Options::tls) and the server's listener,
// the only one where the server and monitor accounts log in. Password logins
// only, every client id replaced by the username, the protocol's ACL (a
// device reaches only wms/v1/dev/<its id>/...), persistence on (queued QoS 1
// messages and sessions survive restart()).
//
// The constructor returns once the broker accepts connections; the
// destructor stops it and removes its folder. Accounts: one server account
// (server()), one read-only monitor account (monitor()) and the device
// accounts device(0..n-1) with ids "dev-1".."dev-n" unless given.
//
// Threading: not thread-safe; use from the test's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wms::testsupport {

class ChildProcess;
class TempDir;

class MosquittoBroker {
 public:
  struct Account {
    std::string username;  // for a device: its device id
    std::string password;
  };

  struct Options {
    std::size_t devices = 2;               // accounts dev-1..dev-N (ignored if deviceIds is set)
    std::vector<std::string> deviceIds;    // explicit device ids
    bool tls = false;                      // devices over TLS only, with a generated CA
    bool autosaveEveryChange = false;      // persist after every change, not every second
  };

  // Sets up and starts the broker. Throws std::runtime_error (with the
  // broker's log) if it cannot be set up or does not start accepting.
  MosquittoBroker();
  explicit MosquittoBroker(Options options);
  ~MosquittoBroker();
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  // The devices' plain listener: its port and "tcp://127.0.0.1:<port>";
  // std::logic_error with Options::tls (devices then have only tlsUri()).
  std::uint16_t port() const;
  std::string uri() const;
  // With Options::tls: the devices' TLS port, "ssl://127.0.0.1:<port>" and
  // the CA file clients verify the broker with; std::logic_error otherwise.
  std::uint16_t tlsPort() const;
  std::string tlsUri() const;
  std::filesystem::path caFile() const;
  // The server's listener (plain, loopback): for server() and monitor().
  std::uint16_t serverPort() const { return serverPort_; }
  std::string serverUri() const;

  const Account& server() const { return server_; }
  // wmsd's settings for this broker (mqtt.uri of the server's listener,
  // mqtt.username and mqtt.password of the server account), with `more` added.
  std::map<std::string, std::string> wmsdSettings(std::map<std::string, std::string> more = {}) const;
  const Account& monitor() const { return monitor_; }
  const std::vector<Account>& devices() const { return devices_; }
  // Throws std::out_of_range for a bad index.
  const Account& device(std::size_t index) const { return devices_.at(index); }
  // Adds a device account (random password) to the running broker.
  Account addDevice(const std::string& deviceId);

  // Stops the broker (SIGTERM: it saves its database first) and waits.
  void stop();
  // Starts it again on the same port(s) with the same database; returns once
  // it accepts. Throws std::runtime_error if it does not.
  void start();
  void restart();
  // Kills it with SIGKILL (a crash: no final save).
  void kill9();
  bool running();

  const std::filesystem::path& dir() const;
  // The broker's log so far (for a failing test's message).
  std::string log() const;

 private:
  void setup(bool force);
  bool launch();

  Options options_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t port_ = 0;
  std::uint16_t tlsPort_ = 0;
  std::uint16_t serverPort_ = 0;
  Account server_, monitor_;
  std::vector<Account> devices_;
};

}  // namespace wms::testsupport
