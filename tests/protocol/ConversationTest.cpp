// Whole conversations of the protocol between a scripted server and scripted
// handhelds over a real mosquitto: the message types, topics, codec,
// MqttClient, EventIdGenerator and ResendQueue working together as
// docs/protocol.md describes. (wmsd's own gateway is tested in tests/server.)
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "support/Fixtures.h"
#include "support/Inbox.h"
#include "wms/protocol/Codec.h"
#include "wms/protocol/EventIds.h"
#include "wms/protocol/MqttClient.h"
#include "wms/protocol/ResendQueue.h"
#include "wms/testsupport/MosquittoBroker.h"

using namespace wms::protocol;
using wms::ErrorKind;
using wms::protocol::test::Collector;
using wms::protocol::test::connectAll;
using wms::protocol::test::kWait;
using wms::protocol::test::optionsFor;
using wms::testsupport::MosquittoBroker;

namespace {

constexpr std::int64_t kNow = 1764151200000;

// The server side as the protocol requires it: decode with the topic check,
// apply each (device, event_id) once, acknowledge every event, answer what
// cannot be decoded with an `error`.
class ScriptedServer {
 public:
  // Replies to send to the device after an event was applied.
  using Script = std::function<std::vector<Message>(const Message& event)>;

  ScriptedServer(const MosquittoBroker& broker, Script script)
      : script_(std::move(script)),
        client_(optionsFor(broker.serverUri(), broker.server().username, broker.server().password)) {
    client_.onMessage([this](const MqttMessage& m) { handle(m); });
  }

  MqttClient& client() { return client_; }

  // After connecting: subscriptions in place (SUBACK seen).
  void ready() {
    BOOST_REQUIRE(client_.subscribe(filterForAllDevices(TopicKind::Events), 1).ok());
    BOOST_REQUIRE(client_.subscribe(filterForAllDevices(TopicKind::Status), 1).ok());
    BOOST_REQUIRE(client_.subscribe(filterForAllDevices(TopicKind::Heartbeat), 0).ok());
  }

  // Applied events in order; everything else received.
  Collector<Message> applied;
  Collector<Message> other;
  Collector<wms::Error> rejected;
  std::atomic<int> duplicates{0};
  // The next n acks are "lost" (the event is applied, the ack not sent).
  std::atomic<int> loseAcks{0};
  // Failures inside the handler (Boost.Test asserts only on the test thread).
  Collector<std::string> problems;

 private:
  void send(Message m) {
    baseOf(m).ts = kNow;
    auto st = client_.publish(topicOf(m), encode(m), 1);
    if (!st) problems.add(st.error().message);
  }

  void handle(const MqttMessage& in) {
    auto address = parseTopic(in.topic);
    if (!address) return;  // the ACL only lets our topics through; ignore
    auto decoded = decodeFromTopic(in.topic, in.payload);
    if (!decoded) {
      rejected.add(decoded.error());
      if (auto eventId = peekEventId(in.payload)) {
        Ack nack;
        nack.device = address->device;
        nack.eventId = *eventId;
        nack.result = AckResult::Rejected;
        nack.error = decoded.error();
        send(nack);
      } else {
        ServerError e;
        e.device = address->device;
        e.error = decoded.error();
        send(e);
      }
      return;
    }
    const Message& m = *decoded;
    const std::string* eventId = eventIdOf(m);
    if (!eventId) {
      other.add(m);
      return;
    }
    Ack ack;
    ack.device = address->device;
    ack.eventId = *eventId;
    if (!seen_.insert({address->device, *eventId}).second) {
      ++duplicates;
      ack.result = AckResult::Duplicate;
      send(ack);
      return;
    }
    applied.add(m);
    ack.result = AckResult::Applied;
    if (loseAcks > 0) {
      --loseAcks;
    } else {
      send(ack);
    }
    for (auto& reply : script_(m)) {
      baseOf(reply).device = address->device;
      send(reply);
    }
  }

  Script script_;
  std::set<std::pair<std::string, std::string>> seen_;  // worker thread only
  MqttClient client_;
};

// A handheld as the protocol requires it: every event gets a fresh event id
// and stays in a ResendQueue until acknowledged.
class ScriptedDevice {
 public:
  ScriptedDevice(const MosquittoBroker& broker, const MosquittoBroker::Account& account)
      : id_(account.username), client_(optionsFor(broker.uri(), account.username, account.password)) {
    client_.onMessage([this](const MqttMessage& m) {
      auto decoded = decodeFromTopic(m.topic, m.payload);
      if (!decoded) {
        problems.add(decoded.error().message);
        return;
      }
      if (auto* ack = std::get_if<Ack>(&*decoded)) pending.acknowledge(ack->eventId);
      inbox.add(*decoded);
    });
  }

  MqttClient& client() { return client_; }

  void ready() { BOOST_REQUIRE(client_.subscribe(topicFor(id_, TopicKind::Commands), 1).ok()); }

  // Publishes an event (filling device, ts, event_id); returns its id.
  template <class Event>
  std::string send(Event e) {
    e.device = id_;
    e.ts = kNow;
    e.eventId = ids_.next();
    std::string payload = encode(e);
    std::string topic = topicOf(e);
    pending.sent(e.eventId, topic, payload, ResendQueue::Clock::now());
    BOOST_REQUIRE(client_.publish(topic, payload, 1).ok());
    return e.eventId;
  }

  void publishRaw(const std::string& topic, const std::string& payload) {
    BOOST_REQUIRE(client_.publish(topic, payload, 1).ok());
  }

  // Resends what the queue says is due at `now`.
  std::size_t resendDue(ResendQueue::Clock::time_point now) {
    auto due = pending.due(now);
    for (const auto& p : due) BOOST_REQUIRE(client_.publish(p.topic, p.payload, 1).ok());
    return due.size();
  }

  // Waits for a message of type T for which pred holds.
  template <class T>
  T waitFor(std::function<bool(const T&)> pred = [](const T&) { return true; }) {
    T found{};
    bool ok = inbox.waitUntil([&](const std::vector<Message>& v) {
      for (const auto& m : v) {
        if (auto* x = std::get_if<T>(&m); x && pred(*x)) {
          found = *x;
          return true;
        }
      }
      return false;
    });
    BOOST_REQUIRE_MESSAGE(ok, id_ << " never got the expected " << typeName(Message{T{}}));
    return found;
  }

  Ack ackFor(const std::string& eventId) {
    return waitFor<Ack>([&](const Ack& a) { return a.eventId == eventId; });
  }

  const std::string& id() const { return id_; }

  ResendQueue pending{std::chrono::seconds(2), std::chrono::seconds(30)};
  Collector<Message> inbox;
  Collector<std::string> problems;

 private:
  std::string id_;
  EventIdGenerator ids_;
  MqttClient client_;
};

PickStop stop(const std::string& id, int seq, int qty, const std::string& tote) {
  PickStop s;
  s.stopId = id;
  s.seq = seq;
  s.location = "A-01-0" + std::to_string(seq);
  s.sku = "SKU-" + id;
  s.description = "item " + id;
  s.barcodes = {"88512345" + std::to_string(10000 + seq)};
  s.qty = qty;
  s.puts = {{tote, qty, "SO-1", "SO-1-" + id}};
  return s;
}

// The server's side of a small warehouse: a batch for whoever signs in to
// pick, pack tasks and labels for packers.
std::vector<Message> warehouseScript(const Message& event) {
  std::vector<Message> replies;
  if (auto* s = std::get_if<SignIn>(&event); s && s->mode == WorkMode::Pick) {
    TaskAssign t;
    t.batchId = "B-1";
    t.waveId = "W-1";
    t.totes = {{"A1", "T-1"}, {"A2", "T-2"}};
    t.stops = {stop("S1", 10, 2, "T-1"), stop("S2", 20, 3, "T-2")};
    replies.push_back(t);
  } else if (auto* r = std::get_if<PackRequest>(&event)) {
    PackTask p;
    p.orderId = "SO-1";
    p.channel = "lazada";
    p.tote = r->tote;
    p.lines = {{"SO-1-S1", "SKU-S1", "item S1", {"8851234510010"}, 2}};
    replies.push_back(p);
  } else if (auto* l = std::get_if<LabelRequest>(&event)) {
    LabelReady ready;
    ready.orderId = l->orderId;
    ready.shipmentId = "SH-1";
    ready.carrier = "flash";
    ready.tracking = "TH000000001";
    ready.printer = l->printer;
    replies.push_back(ready);
  }
  return replies;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(conversation)

BOOST_AUTO_TEST_CASE(a_full_pick_and_pack_conversation_applies_every_event_once_and_acknowledges_it) {
  MosquittoBroker::Options o;
  o.deviceIds = {"HH-1", "PK-1"};
  MosquittoBroker broker(o);
  ScriptedServer server(broker, warehouseScript);
  ScriptedDevice picker(broker, broker.device(0));
  ScriptedDevice packer(broker, broker.device(1));
  connectAll({&server.client(), &picker.client(), &packer.client()});
  server.ready();
  picker.ready();
  packer.ready();

  // Pick: sign in, get the batch, confirm one stop, short the other, finish.
  SignIn signin;
  signin.badge = "EMP-1";
  auto signinId = picker.send(signin);
  BOOST_CHECK(picker.ackFor(signinId).result == AckResult::Applied);
  auto task = picker.waitFor<TaskAssign>();
  BOOST_REQUIRE(task.stops.size() == 2u);

  const PickStop& first = task.stops[0];
  PickConfirm confirm;
  confirm.batchId = task.batchId;
  confirm.stopId = first.stopId;
  confirm.qty = first.qty;
  confirm.puts = {{first.puts[0].tote, first.qty}};
  confirm.location = first.location;
  confirm.barcode = first.barcodes[0];
  auto confirmId = picker.send(confirm);
  BOOST_CHECK(picker.ackFor(confirmId).result == AckResult::Applied);

  const PickStop& second = task.stops[1];
  PickShort shortPick;
  shortPick.batchId = task.batchId;
  shortPick.stopId = second.stopId;
  shortPick.qtyPicked = 1;
  shortPick.puts = {{second.puts[0].tote, 1}};
  shortPick.reason = ShortReason::NotFound;
  auto shortId = picker.send(shortPick);
  BOOST_CHECK(picker.ackFor(shortId).result == AckResult::Applied);

  BatchDone done;
  done.batchId = task.batchId;
  BOOST_CHECK(picker.ackFor(picker.send(done)).result == AckResult::Applied);

  // Pack: request by tote, confirm the carton, get the label, ship.
  PackRequest request;
  request.tote = "T-1";
  request.station = "PACK-1";
  packer.send(request);
  auto pack = packer.waitFor<PackTask>();
  BOOST_TEST(pack.orderId == "SO-1");
  PackConfirm packed;
  packed.orderId = pack.orderId;
  packed.cartons = {{"CT-1", "M", 900, {{pack.lines[0].sku, pack.lines[0].qty}}}};
  BOOST_CHECK(packer.ackFor(packer.send(packed)).result == AckResult::Applied);
  LabelRequest label;
  label.orderId = pack.orderId;
  label.printer = "ZEBRA-1";
  packer.send(label);
  auto ready = packer.waitFor<LabelReady>();
  BOOST_TEST(ready.tracking == "TH000000001");
  ShipConfirm ship;
  ship.orderId = pack.orderId;
  ship.shipmentId = ready.shipmentId;
  ship.cartons = {"CT-1"};
  ship.lines = {{pack.lines[0].lineId, pack.lines[0].sku, pack.lines[0].qty}};
  BOOST_CHECK(packer.ackFor(packer.send(ship)).result == AckResult::Applied);

  // Every event was applied once, in order, and nothing waits for an ack.
  std::vector<std::string> types;
  for (const auto& m : server.applied.items()) types.emplace_back(typeName(m));
  std::vector<std::string> expected = {"signin",       "pick.confirm",  "pick.short",  "batch.done",
                                       "pack.request", "pack.confirm", "label.request", "ship.confirm"};
  BOOST_TEST(types == expected, boost::test_tools::per_element());
  BOOST_TEST(server.duplicates == 0);
  BOOST_TEST(picker.pending.empty());
  BOOST_REQUIRE(packer.inbox.waitUntil([&](const auto&) { return packer.pending.empty(); }));
  BOOST_CHECK(std::get<PickConfirm>(server.applied.items()[1]) == [&] {
    PickConfirm c = confirm;
    c.device = "HH-1";
    c.ts = kNow;
    c.eventId = confirmId;
    return c;
  }());
  BOOST_TEST(server.problems.size() == 0u);
  BOOST_TEST(picker.problems.size() == 0u);
  BOOST_TEST(packer.problems.size() == 0u);
}

BOOST_AUTO_TEST_CASE(the_same_event_delivered_twice_is_applied_once_and_acknowledged_twice) {
  MosquittoBroker broker;
  ScriptedServer server(broker, [](const Message&) { return std::vector<Message>{}; });
  ScriptedDevice device(broker, broker.device(0));
  connectAll({&server.client(), &device.client()});
  server.ready();
  device.ready();
  PickConfirm c;
  c.batchId = "B-1";
  c.stopId = "S1";
  c.qty = 1;
  c.puts = {{"T-1", 1}};
  c.location = "A-01";
  c.barcode = "8851234567893";
  c.device = device.id();
  c.ts = kNow;
  c.eventId = "redelivered-1";
  std::string payload = encode(c);
  device.publishRaw(topicOf(c), payload);
  device.publishRaw(topicOf(c), payload);
  BOOST_REQUIRE(device.inbox.waitUntil([](const std::vector<Message>& v) {
    return std::count_if(v.begin(), v.end(), [](const Message& m) { return std::holds_alternative<Ack>(m); }) == 2;
  }));
  std::vector<AckResult> results;
  for (const auto& m : device.inbox.items()) results.push_back(std::get<Ack>(m).result);
  BOOST_CHECK(results == (std::vector<AckResult>{AckResult::Applied, AckResult::Duplicate}));
  BOOST_TEST(server.applied.size() == 1u);
  BOOST_TEST(server.duplicates == 1);
  BOOST_TEST(server.problems.size() == 0u);
}

BOOST_AUTO_TEST_CASE(an_event_whose_ack_was_lost_is_resent_until_acknowledged_as_duplicate) {
  MosquittoBroker broker;
  ScriptedServer server(broker, [](const Message&) { return std::vector<Message>{}; });
  server.loseAcks = 1;
  ScriptedDevice device(broker, broker.device(0));
  connectAll({&server.client(), &device.client()});
  server.ready();
  device.ready();
  BatchDone done;
  done.batchId = "B-7";
  auto id = device.send(done);
  BOOST_REQUIRE(server.applied.waitForCount(1));
  BOOST_TEST(device.pending.size() == 1u);  // no ack came

  // The resend is due only after the retry wait (time is passed in, no sleeping).
  auto start = ResendQueue::Clock::now();
  BOOST_TEST(device.resendDue(start) == 0u);
  BOOST_TEST(device.resendDue(start + std::chrono::seconds(3)) == 1u);
  auto ack = device.ackFor(id);
  BOOST_CHECK(ack.result == AckResult::Duplicate);
  BOOST_TEST(device.pending.empty());
  BOOST_TEST(server.applied.size() == 1u);
}

BOOST_AUTO_TEST_CASE(bad_input_from_a_device_is_answered_with_an_error_and_never_applied) {
  MosquittoBroker broker;
  ScriptedServer server(broker, [](const Message&) { return std::vector<Message>{}; });
  ScriptedDevice device(broker, broker.device(0));
  connectAll({&server.client(), &device.client()});
  server.ready();
  device.ready();
  std::string evt = topicFor(device.id(), TopicKind::Events);

  device.publishRaw(evt, "{\"type\":\"signin\",");  // truncated JSON
  SignOut other;
  other.device = "dev-2";  // payload claims to be another device
  other.eventId = "x-1";
  device.publishRaw(evt, encode(other));
  device.publishRaw(evt, R"({"type":"signout","v":2,"device":"dev-1","ts":1,"event_id":"x-2"})");
  device.publishRaw(evt, std::string(kMaxPayloadBytes + 1, ' '));

  BOOST_REQUIRE(device.inbox.waitForCount(4));
  auto answers = device.inbox.items();
  // Undecodable: an `error`. Decodable enough to read its event id: a rejected ack.
  BOOST_CHECK(std::get<ServerError>(answers[0]).error.kind == ErrorKind::Malformed);
  const auto& forged = std::get<Ack>(answers[1]);
  BOOST_TEST(forged.eventId == "x-1");
  BOOST_CHECK(forged.result == AckResult::Rejected);
  BOOST_CHECK(forged.error->kind == ErrorKind::Forbidden);
  const auto& future = std::get<Ack>(answers[2]);
  BOOST_TEST(future.eventId == "x-2");
  BOOST_TEST(future.error->message == "unsupported protocol version 2 (this side speaks version 1)");
  BOOST_CHECK(std::get<ServerError>(answers[3]).error.kind == ErrorKind::TooLarge);
  BOOST_TEST(server.applied.size() == 0u);
  BOOST_TEST(server.problems.size() == 0u);
}

BOOST_AUTO_TEST_CASE(presence_and_heartbeats_reach_the_server_on_their_own_topics) {
  MosquittoBroker broker;
  ScriptedServer server(broker, [](const Message&) { return std::vector<Message>{}; });
  MqttClient device(optionsFor(broker.uri(), "dev-1", broker.device(0).password));
  connectAll({&server.client(), &device});
  server.ready();
  Presence online;
  online.device = "dev-1";
  online.ts = kNow;
  online.app = "wms-handheld/0.1.0";
  BOOST_REQUIRE(device.publish(topicOf(online), encode(online), qosOf(TopicKind::Status), true).ok());
  Heartbeat hb;
  hb.device = "dev-1";
  hb.ts = kNow;
  hb.battery = 77;
  hb.rssi = -60;
  BOOST_REQUIRE(device.publish(topicOf(hb), encode(hb), qosOf(TopicKind::Heartbeat), false).ok());
  BOOST_REQUIRE(server.other.waitForCount(2));
  auto got = server.other.items();
  // Different topics (and QoS): no order between them is promised.
  BOOST_CHECK(std::find(got.begin(), got.end(), Message{online}) != got.end());
  BOOST_CHECK(std::find(got.begin(), got.end(), Message{hb}) != got.end());
  BOOST_TEST(server.problems.size() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
