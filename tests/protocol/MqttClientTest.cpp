#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <set>
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

namespace {

MqttOptions serverOptions(const MosquittoBroker& b) {
  return optionsFor(b.serverUri(), b.server().username, b.server().password);
}

MqttOptions deviceOptions(const MosquittoBroker& b, std::size_t i) {
  return optionsFor(b.uri(), b.device(i).username, b.device(i).password);
}

std::string payloadN(int i) { return "m" + std::to_string(i); }

std::multiset<std::string> payloads(const std::vector<MqttMessage>& v) {
  std::multiset<std::string> out;
  for (const auto& m : v) out.insert(m.payload);
  return out;
}

// Distinct payloads received so far (redeliveries after a restart are allowed).
bool hasAll(const std::vector<MqttMessage>& v, int from, int to) {
  auto got = payloads(v);
  for (int i = from; i < to; ++i) {
    if (got.count(payloadN(i)) == 0) return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mqtt_client)

BOOST_AUTO_TEST_CASE(handlers_run_on_one_worker_thread_that_is_not_the_callers) {
  MosquittoBroker broker;
  std::mutex m;
  std::set<std::thread::id> threads;
  Inbox inbox;
  Collector<ConnectionEvent> events;
  MqttClient server(serverOptions(broker));
  server.onMessage([&](const MqttMessage& msg) {
    {
      std::lock_guard lock(m);
      threads.insert(std::this_thread::get_id());
    }
    inbox.add(msg);
  });
  server.onConnection([&](const ConnectionEvent& e) {
    {
      std::lock_guard lock(m);
      threads.insert(std::this_thread::get_id());
    }
    events.add(e);
  });
  MqttClient device(deviceOptions(broker, 0));
  connectAll({&server, &device});
  BOOST_REQUIRE(server.subscribe(filterForAllDevices(TopicKind::Events), 1).ok());
  BOOST_TEST(server.connected());

  for (int i = 0; i < 50; ++i) BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), payloadN(i)).ok());
  BOOST_REQUIRE(inbox.waitForCount(50));
  BOOST_REQUIRE(events.waitForCount(1));

  BOOST_CHECK(events.items().front().kind == ConnectionEvent::Kind::Connected);
  std::lock_guard lock(m);
  BOOST_TEST(threads.size() == 1u);
  BOOST_TEST(threads.count(std::this_thread::get_id()) == 0u);
  // QoS 1 messages from one publisher arrive in order.
  auto got = inbox.items();
  for (int i = 0; i < 50; ++i) BOOST_TEST(got[static_cast<std::size_t>(i)].payload == payloadN(i));
  BOOST_TEST(got[0].topic == "wms/v1/dev/dev-1/evt");
  BOOST_TEST(got[0].qos == 1);
  auto metrics = server.metrics();
  BOOST_TEST(metrics.received == 50u);
  BOOST_TEST(metrics.connects == 1u);
}

BOOST_AUTO_TEST_CASE(a_wrong_password_is_refused_as_unauthorized) {
  MosquittoBroker broker;
  MqttClient client(optionsFor(broker.uri(), broker.device(0).username, "not-the-password"));
  auto st = client.connect();
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK(st.error().kind == ErrorKind::Unauthorized);
  BOOST_TEST(st.error().message.find("refused the login") != std::string::npos, st.error().message);
  BOOST_TEST(!client.connected());
}

BOOST_AUTO_TEST_CASE(an_unknown_user_is_refused_as_unauthorized) {
  MosquittoBroker broker;
  MqttClient client(optionsFor(broker.uri(), "dev-99", broker.device(0).password));
  auto st = client.connect();
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK(st.error().kind == ErrorKind::Unauthorized);
}

BOOST_AUTO_TEST_CASE(connect_gives_up_as_unavailable_when_no_broker_listens) {
  auto port = wms::testsupport::freeLoopbackPort();
  MqttClient client(optionsFor("tcp://127.0.0.1:" + std::to_string(port), "dev-1", "x"));
  auto st = client.connect(std::chrono::milliseconds(1500));
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK(st.error().kind == ErrorKind::Unavailable);
}

BOOST_AUTO_TEST_CASE(options_that_cannot_work_are_rejected_when_the_client_is_made) {
  BOOST_CHECK_THROW(MqttClient(MqttOptions().clientId("x")), std::invalid_argument);
  BOOST_CHECK_THROW(MqttClient(MqttOptions().server("tcp://127.0.0.1:1")), std::invalid_argument);
  BOOST_CHECK_THROW(MqttClient(MqttOptions().server("tcp://127.0.0.1:1").clientId("x").lastWill("a/+", "p")),
                    std::invalid_argument);
  BOOST_CHECK_THROW(MqttClient(MqttOptions()
                                   .server("tcp://127.0.0.1:1")
                                   .clientId("x")
                                   .reconnectBackoff(std::chrono::seconds(5), std::chrono::seconds(1))),
                    std::invalid_argument);
  BOOST_CHECK_THROW(MqttClient(MqttOptions().server("nonsense://here").clientId("x")), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(handlers_can_only_be_set_before_connect) {
  MosquittoBroker broker;
  MqttClient client(deviceOptions(broker, 0));
  client.onMessage([](const MqttMessage&) {});
  BOOST_REQUIRE(client.connect().ok());
  BOOST_CHECK_THROW(client.onMessage([](const MqttMessage&) {}), std::logic_error);
  BOOST_CHECK_THROW(client.onConnection([](const ConnectionEvent&) {}), std::logic_error);
}

BOOST_AUTO_TEST_CASE(publish_refuses_wildcard_topics_and_oversized_payloads) {
  MosquittoBroker broker;
  MqttClient client(deviceOptions(broker, 0));
  BOOST_REQUIRE(client.connect().ok());
  auto wild = client.publish("wms/v1/dev/+/evt", "x");
  BOOST_REQUIRE(!wild.ok());
  BOOST_CHECK(wild.error().kind == ErrorKind::Invalid);
  BOOST_CHECK(client.publish("", "x").error().kind == ErrorKind::Invalid);
  BOOST_CHECK(client.publish(topicFor("dev-1", TopicKind::Events), std::string(300 * 1024, 'x')).error().kind ==
              ErrorKind::Invalid);
  BOOST_TEST(client.metrics().publishFailures == 3u);
  BOOST_TEST(client.metrics().published == 0u);
}

BOOST_AUTO_TEST_CASE(flush_returns_once_the_broker_acknowledged_every_qos1_publish) {
  MosquittoBroker broker;
  MqttClient device(deviceOptions(broker, 0));
  BOOST_REQUIRE(device.connect().ok());
  for (int i = 0; i < 200; ++i) BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), payloadN(i)).ok());
  BOOST_REQUIRE(device.flush(kWait).ok());
  auto m = device.metrics();
  BOOST_TEST(m.published == 200u);
  BOOST_TEST(m.delivered == 200u);
  BOOST_TEST(m.inFlight == 0u);
}

BOOST_AUTO_TEST_CASE(a_subscription_made_before_connect_is_applied_on_connect_and_subscribed_says_when) {
  MosquittoBroker broker;
  Inbox inbox;
  Collector<ConnectionEvent> events;
  MqttClient device(deviceOptions(broker, 0));
  device.onMessage([&](const MqttMessage& m) { inbox.add(m); });
  device.onConnection([&](const ConnectionEvent& e) { events.add(e); });
  BOOST_REQUIRE(device.subscribe(topicFor("dev-1", TopicKind::Commands), 1).ok());
  BOOST_TEST(!device.subscribed());
  MqttClient server(serverOptions(broker));
  connectAll({&device, &server});
  // The session is brand new: the subscription goes out on the worker right
  // after connecting, and only once the broker answered it is a message
  // sure to arrive. The very first one must, with no probing.
  BOOST_REQUIRE(events.waitUntil([](const auto& v) {
    return std::any_of(v.begin(), v.end(), [](const auto& e) { return e.kind == ConnectionEvent::Kind::Subscribed; });
  }));
  BOOST_TEST(device.subscribed());
  BOOST_CHECK(events.items().front().kind == ConnectionEvent::Kind::Connected);
  BOOST_REQUIRE(server.publish(topicFor("dev-1", TopicKind::Commands), "first").ok());
  BOOST_REQUIRE(inbox.waitForCount(1));
  BOOST_TEST(inbox.items().front().payload == "first");
  BOOST_REQUIRE(device.disconnect().ok());
  BOOST_TEST(!device.subscribed());
}

BOOST_AUTO_TEST_CASE(a_throwing_handler_is_counted_and_the_worker_keeps_going) {
  MosquittoBroker broker;
  Inbox inbox;
  MqttClient server(serverOptions(broker));
  server.onMessage([&](const MqttMessage& m) {
    inbox.add(m);
    if (m.payload == "bad") throw std::runtime_error("handler bug");
  });
  MqttClient device(deviceOptions(broker, 0));
  connectAll({&server, &device});
  BOOST_REQUIRE(server.subscribe(filterForAllDevices(TopicKind::Events), 1).ok());
  BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), "bad").ok());
  BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), "good").ok());
  BOOST_REQUIRE(inbox.waitForCount(2));
  BOOST_TEST(inbox.items()[1].payload == "good");
  // handled is counted after the handler returns (or throws).
  for (int i = 0; i < 1000 && server.metrics().handled < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  BOOST_TEST(server.metrics().handlerErrors == 1u);
  BOOST_TEST(server.metrics().handled == 2u);
}

BOOST_AUTO_TEST_CASE(qos1_messages_for_an_offline_persistent_session_arrive_when_it_reconnects) {
  MosquittoBroker broker;
  {
    MqttClient device(deviceOptions(broker, 0));
    BOOST_REQUIRE(device.subscribe(topicFor("dev-1", TopicKind::Commands), 1).ok());
    BOOST_REQUIRE(device.connect().ok());
    BOOST_REQUIRE(device.subscribe(topicFor("dev-1", TopicKind::Commands), 1).ok());  // SUBACK seen
    BOOST_REQUIRE(device.disconnect().ok());
  }
  {
    MqttClient server(serverOptions(broker));
    BOOST_REQUIRE(server.connect().ok());
    for (int i = 0; i < 20; ++i) BOOST_REQUIRE(server.publish(topicFor("dev-1", TopicKind::Commands), payloadN(i)).ok());
    BOOST_REQUIRE(server.flush(kWait).ok());
  }

  // Same account, same (persistent) session, a fresh process-like client.
  Inbox inbox;
  MqttClient device(deviceOptions(broker, 0));
  device.onMessage([&](const MqttMessage& m) { inbox.add(m); });
  BOOST_REQUIRE(device.connect().ok());
  BOOST_REQUIRE(inbox.waitForCount(20));
  auto got = inbox.items();
  for (int i = 0; i < 20; ++i) BOOST_TEST(got[static_cast<std::size_t>(i)].payload == payloadN(i));
}

BOOST_AUTO_TEST_CASE(a_broker_restart_mid_conversation_loses_no_acknowledged_message) {
  MosquittoBroker broker;
  Inbox serverInbox, deviceInbox;
  Collector<ConnectionEvent> deviceEvents;

  // Both sides have subscribed once (persistent sessions on the broker).
  auto server = std::make_unique<MqttClient>(serverOptions(broker));
  server->onMessage([&](const MqttMessage& m) { serverInbox.add(m); });
  MqttClient device(deviceOptions(broker, 0));
  device.onMessage([&](const MqttMessage& m) { deviceInbox.add(m); });
  device.onConnection([&](const ConnectionEvent& e) { deviceEvents.add(e); });
  connectAll({server.get(), &device});
  BOOST_REQUIRE(server->subscribe(filterForAllDevices(TopicKind::Events), 1).ok());
  BOOST_REQUIRE(device.subscribe(topicFor("dev-1", TopicKind::Commands), 1).ok());

  // 1. The server is away; the broker acknowledges 10 device events and
  //    queues them in the server's session.
  BOOST_REQUIRE(server->disconnect().ok());
  server.reset();
  for (int i = 0; i < 10; ++i) BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), payloadN(i)).ok());
  BOOST_REQUIRE(device.flush(kWait).ok());

  // 2. The broker restarts. While it is down the device keeps publishing
  //    (buffered by the client, sent after its automatic reconnect).
  broker.stop();
  BOOST_REQUIRE(deviceEvents.waitUntil([](const auto& v) { return v.back().kind == ConnectionEvent::Kind::Lost; }));
  for (int i = 10; i < 15; ++i) BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), payloadN(i)).ok());
  broker.start();
  BOOST_REQUIRE(deviceEvents.waitUntil([](const auto& v) {
    return std::count_if(v.begin(), v.end(), [](const auto& e) { return e.kind == ConnectionEvent::Kind::Subscribed; }) == 2;
  }));
  BOOST_REQUIRE(device.flush(kWait).ok());

  // 3. The server comes back to its session and gets every event; its
  //    answers reach the device.
  server = std::make_unique<MqttClient>(serverOptions(broker));
  server->onMessage([&](const MqttMessage& m) { serverInbox.add(m); });
  BOOST_REQUIRE(server->connect().ok());
  BOOST_REQUIRE(serverInbox.waitUntil([](const auto& v) { return hasAll(v, 0, 15); }));
  for (int i = 0; i < 15; ++i) BOOST_REQUIRE(server->publish(topicFor("dev-1", TopicKind::Commands), "ack-" + payloadN(i)).ok());
  BOOST_REQUIRE(deviceInbox.waitForCount(15));
  BOOST_TEST(device.metrics().connectionLosses == 1u);
  BOOST_TEST(device.metrics().connects == 2u);
}

BOOST_AUTO_TEST_CASE(the_last_will_marks_a_killed_device_offline) {
  MosquittoBroker broker;
  Inbox statuses;
  MqttClient server(serverOptions(broker));
  server.onMessage([&](const MqttMessage& m) { statuses.add(m); });
  BOOST_REQUIRE(server.connect().ok());
  BOOST_REQUIRE(server.subscribe(filterForAllDevices(TopicKind::Status), 1).ok());

  wms::testsupport::TempDir dir("wms-device");
  wms::testsupport::ChildProcess::Options o;
  o.output = dir / "device.out";
  wms::testsupport::ChildProcess device({WMS_TEST_DEVICE, broker.uri(), "dev-1", broker.device(0).password}, o);
  auto stateOf = [](const MqttMessage& m) {
    auto msg = decodeFromTopic(m.topic, m.payload);
    return msg.ok() && std::holds_alternative<Presence>(*msg) ? std::get<Presence>(*msg).state
                                                                : PresenceState::Online;
  };
  bool online = statuses.waitForCount(1);
  if (!online && std::filesystem::exists(dir / "device.out")) {
    BOOST_TEST_MESSAGE("device output: " << wms::testsupport::readFile(dir / "device.out"));
  }
  BOOST_REQUIRE(online);
  BOOST_CHECK(stateOf(statuses.items()[0]) == PresenceState::Online);

  device.kill9();
  BOOST_REQUIRE(statuses.waitForCount(2));
  auto offline = statuses.items()[1];
  BOOST_TEST(offline.topic == "wms/v1/dev/dev-1/status");
  BOOST_CHECK(stateOf(offline) == PresenceState::Offline);

  // Retained: whoever subscribes later (a subscribe gets the retained
  // messages again) learns that the device is offline.
  BOOST_REQUIRE(server.subscribe(filterForAllDevices(TopicKind::Status), 1).ok());
  BOOST_REQUIRE(statuses.waitForCount(3));
  BOOST_TEST(statuses.items()[2].retained);
  BOOST_CHECK(stateOf(statuses.items()[2]) == PresenceState::Offline);
}

BOOST_AUTO_TEST_CASE(a_client_with_file_persistence_delivers_like_one_without) {
  MosquittoBroker broker;
  wms::testsupport::TempDir dir("wms-paho");
  Inbox inbox;
  MqttClient server(serverOptions(broker));
  server.onMessage([&](const MqttMessage& m) { inbox.add(m); });
  MqttClient device(deviceOptions(broker, 0).persistence(dir.path()));
  connectAll({&server, &device});
  BOOST_REQUIRE(server.subscribe(filterForAllDevices(TopicKind::Events), 1).ok());
  for (int i = 0; i < 10; ++i) BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), payloadN(i)).ok());
  BOOST_REQUIRE(device.flush(kWait).ok());
  BOOST_REQUIRE(inbox.waitForCount(10));
  BOOST_TEST(hasAll(inbox.items(), 0, 10));
}

// A server allowed one queued message whose handler takes the first message
// and then stays busy until release(); a device that sent that message.
struct BusyServer {
  MosquittoBroker& broker;
  std::mutex m;
  std::condition_variable cv;
  bool entered = false, released = false;
  Inbox inbox;
  MqttClient server{serverOptions(broker).maxQueued(1)};
  MqttClient device{deviceOptions(broker, 0)};

  explicit BusyServer(MosquittoBroker& b) : broker(b) {
    server.onMessage([this](const MqttMessage& msg) {
      inbox.add(msg);
      std::unique_lock lock(m);
      entered = true;
      cv.notify_all();
      cv.wait(lock, [this] { return released; });
    });
    connectAll({&server, &device});
    BOOST_REQUIRE(server.subscribe(filterForAllDevices(TopicKind::Events), 1).ok());
    BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), "first").ok());
    std::unique_lock lock(m);
    BOOST_REQUIRE(cv.wait_for(lock, kWait, [this] { return entered; }));
  }
  ~BusyServer() { release(); }
  void release() {
    {
      std::lock_guard lock(m);
      released = true;
    }
    cv.notify_all();
  }
  void publishFive() {
    for (int i = 0; i < 5; ++i) BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), payloadN(i)).ok());
  }
};

// Polls `done` for up to 30 s.
template <class F>
bool eventually(F done) {
  for (int i = 0; i < 3000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

BOOST_AUTO_TEST_CASE(messages_beyond_max_queued_are_dropped_and_counted) {
  MosquittoBroker broker;
  BusyServer busy(broker);
  // The handler is busy: one message may wait, the other four are dropped.
  busy.publishFive();
  eventually([&] { return busy.server.metrics().dropped >= 4; });
  busy.release();
  BOOST_REQUIRE(busy.inbox.waitForCount(2));
  auto metrics = busy.server.metrics();
  BOOST_TEST(metrics.dropped == 4u);
  BOOST_TEST(metrics.received == 2u);
  BOOST_TEST(busy.inbox.items()[1].payload == payloadN(0));
}

// Connection events queue beside messages for the same worker; they must not
// take a message's place. Here a broker restart while the handler is busy
// queues Lost and Connected: there is still room for one message.
BOOST_AUTO_TEST_CASE(connection_events_queued_behind_a_busy_handler_do_not_count_against_max_queued) {
  MosquittoBroker broker;
  BusyServer busy(broker);
  auto& server = busy.server;
  auto& device = busy.device;
  broker.stop();
  BOOST_REQUIRE(eventually([&] { return server.metrics().connectionLosses == 1 && device.metrics().connectionLosses == 1; }));
  broker.start();
  BOOST_REQUIRE(eventually([&] { return server.metrics().connects == 2 && device.metrics().connects == 2; }));

  busy.publishFive();
  BOOST_REQUIRE(eventually([&] { return server.metrics().dropped >= 4; }));
  busy.release();
  // One message got the free place: m0, or "first" again if the broker
  // redelivered it after the restart (QoS 1 is at least once).
  BOOST_REQUIRE(busy.inbox.waitForCount(2));
  BOOST_TEST(server.metrics().received == 2u);
  const auto second = busy.inbox.items()[1].payload;
  BOOST_TEST((second == payloadN(0) || second == "first"), "second delivery: " << second);
}

BOOST_AUTO_TEST_CASE(a_publish_before_the_first_connect_is_sent_once_connected) {
  MosquittoBroker broker;
  Inbox inbox;
  MqttClient server(serverOptions(broker));
  server.onMessage([&](const MqttMessage& msg) { inbox.add(msg); });
  BOOST_REQUIRE(server.connect().ok());
  BOOST_REQUIRE(server.subscribe(filterForAllDevices(TopicKind::Events), 1).ok());
  MqttClient device(deviceOptions(broker, 0));
  BOOST_REQUIRE(device.publish(topicFor("dev-1", TopicKind::Events), "written offline").ok());
  BOOST_TEST(device.metrics().inFlight == 1u);
  BOOST_REQUIRE(device.connect().ok());
  BOOST_REQUIRE(inbox.waitForCount(1));
  BOOST_TEST(inbox.items()[0].payload == "written offline");
  BOOST_REQUIRE(device.flush(kWait).ok());
}

BOOST_AUTO_TEST_CASE(connections_to_the_broker_have_nagle_off) {
  // With Nagle on, every request/answer round trip would wait for a delayed
  // TCP acknowledgement (Paho C does not set TCP_NODELAY itself).
  MosquittoBroker broker;
  MqttClient device(deviceOptions(broker, 0));
  BOOST_REQUIRE(device.connect().ok());
  int found = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    int fd = std::atoi(entry.path().filename().c_str());
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0 || peer.sin_family != AF_INET) continue;
    if (ntohs(peer.sin_port) != broker.port()) continue;
    int nodelay = 0;
    socklen_t optLen = sizeof nodelay;
    BOOST_REQUIRE(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &optLen) == 0);
    BOOST_TEST(nodelay != 0);
    ++found;
  }
  BOOST_TEST(found == 1);
}

BOOST_AUTO_TEST_SUITE_END()
