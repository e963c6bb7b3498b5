// Tests the broker set-up made by tools/broker/wms-broker (config, accounts,
// ACL, TLS) against the real mosquitto it configures, through MqttClient.
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <thread>

#include "support/Fixtures.h"
#include "support/Inbox.h"
#include "wms/protocol/Codec.h"
#include "wms/protocol/MqttClient.h"
#include "wms/protocol/Topics.h"
#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/Ports.h"
#include "wms/testsupport/TempDir.h"

using namespace wms::protocol;
using wms::ErrorKind;
using wms::protocol::test::Collector;
using wms::protocol::test::connectAll;
using wms::protocol::test::Inbox;
using wms::protocol::test::kWait;
using wms::protocol::test::optionsFor;
using wms::testsupport::MosquittoBroker;
using wms::testsupport::runCommand;

namespace {

const std::string kTool = std::string(WMS_SOURCE_DIR) + "/tools/broker/wms-broker";

// The listener an account logs in on: the server's for the server and
// monitor accounts, the devices' for the rest.
std::string uriFor(const MosquittoBroker& b, const MosquittoBroker::Account& a) {
  const bool server = a.username == b.server().username || a.username == b.monitor().username;
  return server ? b.serverUri() : b.uri();
}

// A client of one account that records what it receives; connect() them
// together (see connectAll).
struct Client {
  Client(const MosquittoBroker& b, const MosquittoBroker::Account& a)
      : client(optionsFor(uriFor(b, a), a.username, a.password)) {
    client.onMessage([this](const MqttMessage& m) { inbox.add(m); });
  }
  void subscribe(const std::string& filter) { BOOST_REQUIRE(client.subscribe(filter, 1).ok()); }
  void publish(const std::string& topic, const std::string& payload, bool retain = false) {
    BOOST_REQUIRE(client.publish(topic, payload, 1, retain).ok());
    BOOST_REQUIRE(client.flush(kWait).ok());
  }
  // Payloads received, in order.
  std::vector<std::string> payloads() const {
    std::vector<std::string> out;
    for (const auto& m : inbox.items()) out.push_back(m.payload);
    return out;
  }
  // Waits for the marker; everything published before it by the same
  // publisher would have arrived before it (QoS 1 keeps order).
  void waitFor(const std::string& marker) {
    BOOST_REQUIRE(inbox.waitUntil([&](const auto& v) {
      for (const auto& m : v) {
        if (m.payload == marker) return true;
      }
      return false;
    }));
  }

  Inbox inbox;
  MqttClient client;
};

void connect(std::initializer_list<Client*> clients) {
  std::vector<MqttClient*> raw;
  for (Client* c : clients) raw.push_back(&c->client);
  if (raw.size() == 1) {
    BOOST_REQUIRE(raw[0]->connect().ok());
  } else if (raw.size() == 2) {
    test::connectAll({raw[0], raw[1]});
  } else {
    BOOST_REQUIRE(raw.size() == 3u);
    test::connectAll({raw[0], raw[1], raw[2]});
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(broker_setup)

BOOST_AUTO_TEST_CASE(a_device_cannot_publish_on_another_devices_topics) {
  MosquittoBroker broker;
  Client server(broker, broker.server());
  Client intruder(broker, broker.device(1));  // dev-2
  connect({&server, &intruder});
  server.subscribe("wms/v1/dev/+/#");
  for (auto channel : {TopicKind::Events, TopicKind::Heartbeat, TopicKind::Status}) {
    intruder.publish(topicFor("dev-1", channel), "forged");
  }
  intruder.publish(topicFor("dev-2", TopicKind::Events), "own");
  server.waitFor("own");
  BOOST_TEST(server.payloads() == std::vector<std::string>{"own"}, boost::test_tools::per_element());
  BOOST_TEST(server.inbox.items()[0].topic == "wms/v1/dev/dev-2/evt");
}

BOOST_AUTO_TEST_CASE(a_device_cannot_read_another_devices_commands_even_with_wildcards) {
  MosquittoBroker broker;
  Client snoop(broker, broker.device(1));  // dev-2
  Client server(broker, broker.server());
  connect({&snoop, &server});
  for (const char* filter : {"wms/v1/dev/dev-1/cmd", "wms/v1/dev/+/cmd", "wms/#", "#"}) {
    // The broker grants the subscription but delivers nothing it may not read.
    (void)snoop.client.subscribe(filter, 1);
  }
  snoop.subscribe(topicFor("dev-2", TopicKind::Commands));
  server.publish(topicFor("dev-1", TopicKind::Commands), "for-dev-1");
  server.publish(topicFor("dev-2", TopicKind::Commands), "for-dev-2");
  snoop.waitFor("for-dev-2");
  for (const auto& p : snoop.payloads()) BOOST_TEST(p == "for-dev-2");
}

BOOST_AUTO_TEST_CASE(a_device_cannot_send_commands_not_even_to_itself) {
  MosquittoBroker broker;
  Client device(broker, broker.device(0));
  Client other(broker, broker.device(1));
  Client server(broker, broker.server());
  connect({&device, &other, &server});
  device.subscribe(topicFor("dev-1", TopicKind::Commands));
  other.publish(topicFor("dev-1", TopicKind::Commands), "fake task");
  device.publish(topicFor("dev-1", TopicKind::Commands), "self-made task");
  server.publish(topicFor("dev-1", TopicKind::Commands), "real task");
  device.waitFor("real task");
  BOOST_TEST(device.payloads() == std::vector<std::string>{"real task"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_server_account_cannot_publish_events_in_a_devices_name) {
  MosquittoBroker broker;
  Client monitor(broker, broker.monitor());
  Client server(broker, broker.server());
  connect({&monitor, &server});
  monitor.subscribe("wms/v1/#");
  server.publish(topicFor("dev-1", TopicKind::Events), "forged event");
  server.publish(topicFor("dev-1", TopicKind::Commands), "command");
  monitor.waitFor("command");
  BOOST_TEST(monitor.payloads() == std::vector<std::string>{"command"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_monitor_account_reads_everything_and_writes_nothing) {
  MosquittoBroker broker;
  Client server(broker, broker.server());
  Client monitor(broker, broker.monitor());
  Client device(broker, broker.device(0));
  connect({&server, &monitor, &device});
  server.subscribe("wms/v1/dev/+/evt");
  monitor.subscribe("wms/v1/#");
  monitor.publish(topicFor("dev-1", TopicKind::Events), "from monitor");
  device.publish(topicFor("dev-1", TopicKind::Events), "from device");
  server.waitFor("from device");
  monitor.waitFor("from device");
  BOOST_TEST(server.payloads() == std::vector<std::string>{"from device"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_device_with_the_servers_client_id_does_not_disconnect_the_server) {
  // The finding of issue 16: `mosquitto_sub -u HH-A -i wmsd -c` knocked wmsd
  // off. Now the broker names every session after its account.
  MosquittoBroker broker;
  Collector<ConnectionEvent> events;
  Inbox serverInbox;
  MqttClient server(optionsFor(broker.serverUri(), broker.server().username, broker.server().password)
                        .cleanSession(false));
  server.onMessage([&](const MqttMessage& m) { serverInbox.add(m); });
  server.onConnection([&](const ConnectionEvent& e) { events.add(e); });
  BOOST_REQUIRE(server.connect().ok());
  BOOST_REQUIRE(server.subscribe(filterForAllDevices(TopicKind::Events), 1).ok());

  MqttClient imposter(MqttOptions()
                          .server(broker.uri())
                          .clientId(broker.server().username)
                          .cleanSession(false)
                          .credentials("dev-1", broker.device(0).password));
  BOOST_REQUIRE(imposter.connect().ok());
  // The imposter's connection is dev-1's own session: what it publishes as
  // dev-1 reaches the server, which never lost its connection.
  BOOST_REQUIRE(imposter.publish(topicFor("dev-1", TopicKind::Events), "from dev-1", 1).ok());
  BOOST_REQUIRE(serverInbox.waitForCount(1));
  BOOST_TEST(server.connected());
  BOOST_TEST(server.metrics().connectionLosses == 0u);
  for (const auto& e : events.items()) BOOST_TEST((e.kind != ConnectionEvent::Kind::Lost));
  BOOST_TEST(broker.log().find("as wms-server (") != std::string::npos);  // only the server's own login
}

BOOST_AUTO_TEST_CASE(a_device_with_another_devices_client_id_does_not_take_over_its_session) {
  MosquittoBroker broker;
  MqttClient victim(optionsFor(broker.uri(), "dev-2", broker.device(1).password).cleanSession(false));
  Inbox victimInbox;
  victim.onMessage([&](const MqttMessage& m) { victimInbox.add(m); });
  Client server(broker, broker.server());
  test::connectAll({&victim, &server.client});
  BOOST_REQUIRE(victim.subscribe(topicFor("dev-2", TopicKind::Commands), 1).ok());

  // dev-1's credentials with dev-2's client id: the broker uses the
  // username as client id, so this is dev-1's own session.
  MqttClient imposter(MqttOptions()
                          .server(broker.uri())
                          .clientId("dev-2")
                          .cleanSession(false)
                          .credentials("dev-1", broker.device(0).password));
  BOOST_REQUIRE(imposter.connect().ok());
  server.publish(topicFor("dev-2", TopicKind::Commands), "still yours");
  BOOST_REQUIRE(victimInbox.waitForCount(1));
  BOOST_TEST(victim.connected());
  BOOST_TEST(victim.metrics().connectionLosses == 0u);
}

BOOST_AUTO_TEST_CASE(a_devices_persistent_session_is_kept_whatever_client_id_it_sends) {
  // Forcing the client id to the username keeps the session's name stable:
  // what the server sends while the device is away waits for it.
  MosquittoBroker broker;
  Client server(broker, broker.server());
  connect({&server});
  {
    MqttClient device(MqttOptions().server(broker.uri()).clientId("first-id").cleanSession(false)
                          .credentials("dev-1", broker.device(0).password));
    BOOST_REQUIRE(device.connect().ok());
    BOOST_REQUIRE(device.subscribe(topicFor("dev-1", TopicKind::Commands), 1).ok());
  }
  server.publish(topicFor("dev-1", TopicKind::Commands), "queued while away");
  Inbox inbox;
  MqttClient again(MqttOptions().server(broker.uri()).clientId("second-id").cleanSession(false)
                       .credentials("dev-1", broker.device(0).password));
  again.onMessage([&](const MqttMessage& m) { inbox.add(m); });
  BOOST_REQUIRE(again.connect().ok());  // no subscribe: the session has it
  BOOST_REQUIRE(inbox.waitForCount(1));
  BOOST_TEST(inbox.items()[0].payload == "queued while away");
}

BOOST_AUTO_TEST_CASE(the_server_account_logs_in_only_on_the_servers_listener) {
  MosquittoBroker broker;
  for (const auto* a : {&broker.server(), &broker.monitor()}) {
    MqttClient onDevices(optionsFor(broker.uri(), a->username, a->password));
    auto st = onDevices.connect();
    BOOST_REQUIRE_MESSAGE(!st.ok(), a->username + " logged in on the devices' listener");
    BOOST_CHECK(st.error().kind == ErrorKind::Unauthorized);
  }
  // And a device has no account on the server's listener.
  MqttClient device(optionsFor(broker.serverUri(), "dev-1", broker.device(0).password));
  auto st = device.connect();
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK(st.error().kind == ErrorKind::Unauthorized);
  // The server's listener is loopback-only whatever --bind says.
  const auto conf = wms::testsupport::readFile(broker.dir() / "broker" / "mosquitto.conf");
  BOOST_TEST(conf.find("listener " + std::to_string(broker.serverPort()) + " 127.0.0.1\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(anonymous_clients_are_refused) {
  MosquittoBroker broker;
  MqttClient anonymous(MqttOptions().server(broker.uri()).clientId("anon"));
  auto st = anonymous.connect();
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK(st.error().kind == ErrorKind::Unauthorized);
}

BOOST_AUTO_TEST_CASE(the_tls_listener_serves_clients_that_trust_the_generated_ca_only) {
  MosquittoBroker::Options o;
  o.tls = true;
  MosquittoBroker broker(o);
  BOOST_TEST(std::filesystem::exists(broker.caFile()));

  Inbox inbox;
  MqttClient server(optionsFor(broker.serverUri(), broker.server().username, broker.server().password));
  server.onMessage([&](const MqttMessage& m) { inbox.add(m); });
  MqttClient device(optionsFor(broker.tlsUri(), "dev-1", broker.device(0).password).tls(broker.caFile()));
  test::connectAll({&server, &device});
  BOOST_REQUIRE(server.subscribe(filterForAllDevices(TopicKind::Events), 1).ok());
  BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), "over tls").ok());
  BOOST_REQUIRE(inbox.waitForCount(1));
  BOOST_TEST(inbox.items()[0].payload == "over tls");

  // A client that trusts some other CA does not get in.
  wms::testsupport::TempDir other("wms-ca");
  auto made = runCommand({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                          "-nodes", "-keyout", (other / "k.pem").string(), "-out", (other / "ca.pem").string(),
                          "-days", "1", "-subj", "/CN=other"});
  BOOST_REQUIRE_MESSAGE(made.exitCode == 0, made.output);
  MqttClient stranger(optionsFor(broker.tlsUri(), "dev-2", broker.device(1).password).tls(other / "ca.pem"));
  auto st = stranger.connect(std::chrono::milliseconds(2000));
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK(st.error().kind == ErrorKind::Unavailable);
}

BOOST_AUTO_TEST_CASE(with_tls_devices_have_no_plain_listener) {
  MosquittoBroker::Options o;
  o.tls = true;
  MosquittoBroker broker(o);
  BOOST_CHECK_THROW(broker.uri(), std::logic_error);
  // Two listeners only: the server's plain one on loopback and the TLS one.
  const auto conf = wms::testsupport::readFile(broker.dir() / "broker" / "mosquitto.conf");
  std::istringstream lines(conf);
  std::vector<std::string> listeners;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("listener ", 0) == 0) listeners.push_back(line);
  BOOST_TEST(listeners == (std::vector<std::string>{"listener " + std::to_string(broker.serverPort()) + " 127.0.0.1",
                                                    "listener " + std::to_string(broker.tlsPort()) + " 127.0.0.1"}),
             boost::test_tools::per_element());
  // A device cannot log in in plain text anywhere: not on the TLS port...
  MqttClient plainOnTls(optionsFor("tcp://127.0.0.1:" + std::to_string(broker.tlsPort()), "dev-1",
                                   broker.device(0).password));
  auto st = plainOnTls.connect(std::chrono::milliseconds(2000));
  BOOST_REQUIRE(!st.ok());
  // ...nor on the server's listener, which has no device accounts.
  MqttClient plainOnServer(optionsFor(broker.serverUri(), "dev-1", broker.device(0).password));
  st = plainOnServer.connect();
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK(st.error().kind == ErrorKind::Unauthorized);
  // And setup refuses to open both.
  wms::testsupport::TempDir dir("wms-broker-setup");
  auto both = runCommand({kTool, "setup", (dir / "b").string(), "--port", "1883", "--tls-port", "8883",
                          "--server-port", "1884", "--server-user", "s:p"});
  BOOST_TEST(both.exitCode == 2);
  BOOST_TEST(both.output.find("give --port or --tls-port, not both") != std::string::npos, both.output);
}

BOOST_AUTO_TEST_CASE(add_and_remove_device_take_effect_on_the_running_broker) {
  MosquittoBroker broker;
  auto added = broker.addDevice("HH-42");
  // The broker re-reads its accounts on SIGHUP; retry until it has.
  wms::Status st = wms::makeError(ErrorKind::Unavailable, "not tried");
  for (int i = 0; i < 100 && !st.ok(); ++i) {
    MqttClient newcomer(optionsFor(broker.uri(), added.username, added.password));
    st = newcomer.connect();
    if (!st.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_REQUIRE_MESSAGE(st.ok(), test::why(st));

  auto removed = runCommand({kTool, "remove-device", (broker.dir() / "broker").string(), "HH-42"});
  BOOST_REQUIRE_MESSAGE(removed.exitCode == 0, removed.output);
  wms::Status refused;
  for (int i = 0; i < 100 && refused.ok(); ++i) {
    MqttClient gone(optionsFor(broker.uri(), added.username, added.password));
    refused = gone.connect();
    if (refused.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_REQUIRE(!refused.ok());
  BOOST_CHECK(refused.error().kind == ErrorKind::Unauthorized);
}

BOOST_AUTO_TEST_CASE(ten_add_device_runs_at_once_keep_every_account) {
  // The finding of issue 20: ten parallel adds left 1 of 11 accounts
  // (mosquitto_passwd rewrites the file in place from what it read, through
  // one shared backup name). Two wms-sim fleets starting together do this.
  MosquittoBroker broker;  // dev-1, dev-2, the server and the monitor
  const std::string dir = (broker.dir() / "broker").string();
  std::vector<MosquittoBroker::Account> added;
  std::string script = "for i in 1 2 3 4 5 6 7 8 9 10; do \"$0\" add-device \"$1\" HH-$i pw-$i-secret & done; "
                       "rc=0; for job in $(jobs -p); do wait $job || rc=1; done; exit $rc";
  for (int i = 1; i <= 10; ++i)
    added.push_back({"HH-" + std::to_string(i), "pw-" + std::to_string(i) + "-secret"});
  auto run = runCommand({"bash", "-c", script, kTool, dir});
  BOOST_REQUIRE_MESSAGE(run.exitCode == 0, run.output);

  // Every account is in its file...
  const auto passwd = wms::testsupport::readFile(broker.dir() / "broker" / "passwd");
  std::vector<MosquittoBroker::Account> devices = broker.devices();
  devices.insert(devices.end(), added.begin(), added.end());
  for (const auto& d : devices)
    BOOST_TEST(passwd.find(d.username + ":$") != std::string::npos, d.username << " lost: " << passwd);
  const auto serverPasswd = wms::testsupport::readFile(broker.dir() / "broker" / "server.passwd");
  BOOST_TEST(serverPasswd.find(broker.server().username + ":$") != std::string::npos);
  BOOST_TEST(serverPasswd.find(broker.monitor().username + ":$") != std::string::npos);
  // ...no temp file is left beside them...
  for (const auto& entry : std::filesystem::directory_iterator(broker.dir() / "broker")) {
    const auto name = entry.path().filename().string();
    BOOST_TEST((name == ".lock" || name[0] != '.'), "left behind: " << name);
    BOOST_TEST(name.find(".tmp") == std::string::npos, "left behind: " << name);
  }
  // ...and every one of them logs in on the running broker (which re-read
  // the file on each add's SIGHUP), the server on its own listener.
  for (const auto& d : devices) {
    wms::Status st = wms::makeError(ErrorKind::Unavailable, "not tried");
    for (int i = 0; i < 50 && !st.ok(); ++i) {
      MqttClient client(optionsFor(broker.uri(), d.username, d.password));
      st = client.connect();
      if (!st.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    BOOST_TEST(st.ok(), d.username << ": " << test::why(st));
  }
  MqttClient server(optionsFor(broker.serverUri(), broker.server().username, broker.server().password));
  auto st = server.connect();
  BOOST_TEST(st.ok(), test::why(st));
}

BOOST_AUTO_TEST_CASE(add_device_keeps_the_password_file_private) {
  MosquittoBroker broker;
  broker.addDevice("HH-7");
  namespace fs = std::filesystem;
  for (const char* name : {"passwd", "server.passwd", "acl", "server.acl", "mosquitto.conf"}) {
    auto perms = fs::status(broker.dir() / "broker" / name).permissions();
    BOOST_TEST(((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none), name);
  }
}

BOOST_AUTO_TEST_CASE(retained_status_and_queued_messages_survive_a_restart) {
  MosquittoBroker broker;
  {
    Client device(broker, broker.device(0));
    connect({&device});
    device.publish(topicFor("dev-1", TopicKind::Status), "online", true);
  }
  broker.restart();
  Client monitor(broker, broker.monitor());
  connect({&monitor});
  monitor.subscribe(topicFor("dev-1", TopicKind::Status));
  monitor.waitFor("online");
  BOOST_TEST(monitor.inbox.items()[0].retained);
}

BOOST_AUTO_TEST_CASE(setup_refuses_bad_arguments_and_names_the_problem) {
  wms::testsupport::TempDir dir("wms-broker-setup");
  std::string d = (dir / "b").string();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"--port", "1883", "--server-port", "1884"}, "at least one --server-user USER:PASS is required"},
      {{"--server-port", "1884", "--server-user", "s:p"}, "--port must be 1-65535, got ''"},
      {{"--port", "70000", "--server-port", "1884", "--server-user", "s:p"}, "--port must be 1-65535, got '70000'"},
      {{"--port", "1883", "--server-user", "s:p"}, "--server-port S is required"},
      {{"--port", "1883", "--server-port", "1883", "--server-user", "s:p"},
       "--server-port must differ from the devices' port"},
      {{"--port", "1883", "--server-port", "1884", "--server-user", "s"}, "server user 's' must be USER:PASSWORD"},
      {{"--port", "1883", "--server-port", "1884", "--server-user", "s:p", "--device", "bad/id:p"},
       "device name 'bad/id' must be 1-64 characters of [A-Za-z0-9_-]"},
      {{"--port", "1883", "--server-port", "1884", "--server-user", "s:p", "--device", "d:"},
       "device 'd' has an empty password"},
      {{"--port", "1883", "--server-port", "1884", "--server-user", "s:p", "--device", "s:p2"},
       "account 's' is given twice"},
      {{"--port", "1883", "--tls-port", "8883", "--server-port", "1884", "--server-user", "s:p"},
       "give --port or --tls-port, not both"},
      {{"--port", "1883", "--server-port", "1884", "--server-user", "s:p", "--ca-dir", "x"}, "--ca-dir needs --tls-port"},
      {{"--port", "1883", "--server-port", "1884", "--server-user", "s:p", "--colour", "red"},
       "setup: unknown option '--colour'"},
      {{"--port", "1883", "--server-port", "1884", "--server-user", "s:p", "--autosave-seconds", "0"},
       "--autosave-seconds must be a positive integer, got '0'"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv = {kTool, "setup", d};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = runCommand(argv);
    BOOST_TEST(r.exitCode == 2, c.message);
    BOOST_TEST(r.output.find(c.message) != std::string::npos, r.output);
  }
  BOOST_TEST(!std::filesystem::exists(dir / "b" / "mosquitto.conf"));

  auto ok = runCommand({kTool, "setup", d, "--port", "1883", "--server-port", "1884", "--server-user", "s:p",
                        "--device", "d1:x:y"});
  BOOST_REQUIRE_MESSAGE(ok.exitCode == 0, ok.output);
  // No device yet (they come later with add-device, as in tools/run-demo).
  auto noDevices = runCommand({kTool, "setup", (dir / "empty").string(), "--port", "1883", "--server-port", "1884",
                               "--server-user", "s:p"});
  BOOST_TEST(noDevices.exitCode == 0, noDevices.output);
  auto again = runCommand({kTool, "setup", d, "--port", "1883", "--server-port", "1884", "--server-user", "s:p"});
  BOOST_TEST(again.exitCode == 2);
  BOOST_TEST(again.output.find("already holds a broker config (use --force") != std::string::npos);
  auto clash = runCommand({kTool, "add-device", d, "s", "pw"});
  BOOST_TEST(clash.exitCode == 2);
  BOOST_TEST(clash.output.find("device id 's' is a server or monitor account") != std::string::npos);
  auto uri = runCommand({kTool, "uri", d});
  BOOST_TEST(uri.output == "tcp://127.0.0.1:1883\n");
  auto serverUri = runCommand({kTool, "uri", d, "--server"});
  BOOST_TEST(serverUri.output == "tcp://127.0.0.1:1884\n");
  auto help = runCommand({kTool, "--help"});
  BOOST_TEST(help.exitCode == 0);
  BOOST_TEST(help.output.find("usage: wms-broker setup DIR") != std::string::npos);
}

// The mosquitto_pub/mosquitto_sub walkthrough of docs/protocol.md runs
// against a real wmsd, as written: tests/docs/ProtocolWalkthroughTest.sh.

BOOST_AUTO_TEST_SUITE_END()
