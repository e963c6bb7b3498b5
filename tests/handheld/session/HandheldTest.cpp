// The app core against a real mosquitto and a scripted server: events go
// out in order with their ids, wait while the broker is away, are resent
// until acknowledged (also after a restart), and what the server answers
// comes back to the workflow.
#define BOOST_TEST_MODULE handheld_session
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <thread>

#include "../workflow/FlowTestSupport.h"
#include "ScriptedServer.h"
#include "wms/handheld/Handheld.h"
#include "wms/protocol/Codec.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::handheld;
using namespace wms::handheld::test;
using testsupport::MosquittoBroker;
using testsupport::TempDir;

namespace {

MosquittoBroker::Options brokerOptions() {
  MosquittoBroker::Options o;
  o.deviceIds = {"HH-07", "HH-08", "PK-02"};
  return o;
}

struct Device {
  std::unique_ptr<DeviceLink> link;
  std::unique_ptr<Handheld> app;
  CountingFeedback feedback;
  std::vector<std::string> log;

  Device(const MosquittoBroker& broker, const std::filesystem::path& db, const std::string& id = "HH-07",
         protocol::WorkMode mode = protocol::WorkMode::Pick, std::optional<std::string> badge = std::nullopt,
         double duplicates = 0) {
    LinkOptions lo;
    lo.duplicateProbability = duplicates;
    lo.duplicateDelay = std::chrono::milliseconds(0);
    lo.uri = broker.uri();
    lo.device = id;
    for (const auto& a : broker.devices())
      if (a.username == id) lo.password = a.password;
    lo.reconnectMin = std::chrono::seconds(1);
    lo.reconnectMax = std::chrono::seconds(1);
    link = std::make_unique<DeviceLink>(lo);
    link->start();
    HandheldOptions o;
    o.device = id;
    o.mode = mode;
    o.badge = std::move(badge);
    o.gs1ReferenceYear = 2025;
    o.firstRetry = std::chrono::milliseconds(300);
    o.maxRetry = std::chrono::milliseconds(600);
    o.heartbeatEvery = std::chrono::milliseconds(200);
    o.log = [this](const std::string& line) { log.push_back(line); };
    auto h = Handheld::open(o, db, link.get(), &feedback);
    BOOST_REQUIRE_MESSAGE(h, (h ? "" : h.error().message));
    app = std::move(h).value();
  }
  ~Device() {
    app.reset();
    link.reset();
  }

  // Polls until pred holds; false after the timeout.
  template <class Pred>
  bool until(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      app->poll();
      if (pred()) return true;
      link->wait(std::chrono::milliseconds(20));
    }
    app->poll();
    return pred();
  }
  void scan(const std::string& text) { app->input(test::scan(text)); }
  bool logged(const std::string& part) const {
    for (const auto& l : log)
      if (l.find(part) != std::string::npos) return true;
    return false;
  }
};

bool isType(const protocol::Message& m, std::string_view type) { return protocol::typeName(m) == type; }

// One stop of 2 units into T-1.
protocol::TaskAssign smallBatch(const std::string& device = "HH-07") {
  auto t = batch(device);
  t.stops = {stop("S1", 10, "A-01-01-1", "APPLE", {"4006381333931"}, {{"T-1", 2}}),
             stop("S2", 20, "A-02-01-1", "BREAD", {"036000291452"}, {{"T-1", 1}}),
             stop("S3", 30, "B-01-01-1", "CHEESE", {"96385074"}, {{"T-2", 1}})};
  return t;
}

void pickStop(Device& d, const std::string& location, const std::string& item, int qty,
              const std::vector<std::string>& totes) {
  d.scan(location);
  d.scan(item);
  if (qty > 1) d.app->input(NumberEntry{qty});
  for (const auto& t : totes) d.scan(t);
}

// Picks every stop of smallBatch() in full.
void pickSmallBatch(Device& d) {
  pickStop(d, "A-01-01-1", "4006381333931", 2, {"T-1"});
  pickStop(d, "A-02-01-1", "036000291452", 1, {"T-1"});
  pickStop(d, "B-01-01-1", "96385074", 1, {"T-2"});
}

}  // namespace

BOOST_AUTO_TEST_CASE(signin_and_picks_reach_the_server_in_order_and_the_acks_empty_the_outbox) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  Device d(broker, dir / "hh.db");
  BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
  d.scan("EMP-1");
  BOOST_TEST(d.app->signedIn());
  auto signin = server.waitFor([](const auto& m) { return isType(m, "signin"); });
  BOOST_REQUIRE(signin);
  BOOST_TEST(std::get<protocol::SignIn>(signin->message).badge == "EMP-1");
  server.send(smallBatch());
  BOOST_REQUIRE(d.until([&] { return d.app->pick().phase() == PickPhase::ScanLocation; }));
  pickSmallBatch(d);
  BOOST_TEST(d.app->pick().phase() == PickPhase::Done);
  BOOST_REQUIRE(d.until([&] { return d.app->outboxCount() == 0; }));
  const auto order = server.firstArrivals();
  BOOST_REQUIRE_EQUAL(order.size(), 5u);  // signin, 3 confirmations, batch.done
  std::vector<std::string> types;
  for (const auto& r : server.received())
    if (protocol::eventIdOf(r.message)) types.emplace_back(protocol::typeName(r.message));
  BOOST_CHECK(types == std::vector<std::string>(
                           {"signin", "pick.confirm", "pick.confirm", "pick.confirm", "batch.done"}));
  // Ids count up in one session.
  const std::string session = order[0].substr(0, order[0].find('-'));
  for (std::size_t i = 0; i < order.size(); ++i) BOOST_TEST(order[i] == session + "-" + std::to_string(i + 1));
  BOOST_TEST(d.app->stats().applied == 5u);
  for (const auto& st : d.app->pick().state().walk) BOOST_TEST(st.synced);
}

// The chaos day's duplicated MQTT deliveries (wms-sim --duplicates): with
// the probability at 1, every event reaches the server twice (the copy
// goes with the next publish: after the next event, or a heartbeat), and
// the handheld takes the second ack of each as nothing new.
BOOST_AUTO_TEST_CASE(an_injected_duplicate_delivery_reaches_the_server_later_and_changes_nothing_on_the_handheld) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  Device d(broker, dir / "hh.db", "HH-07", protocol::WorkMode::Pick, std::nullopt, 1.0);
  BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
  d.scan("EMP-1");
  server.send(smallBatch());
  BOOST_REQUIRE(d.until([&] { return d.app->pick().phase() == PickPhase::ScanLocation; }));
  pickSmallBatch(d);
  // Twice or more: a resend (an ack slower than the first retry) is
  // duplicated too.
  const auto everyEventTwice = [&] {
    const auto arrivals = server.arrivals();
    return arrivals.size() == 5u &&  // signin, 3 confirmations, batch.done
           std::all_of(arrivals.begin(), arrivals.end(), [](const auto& a) { return a.second >= 2; });
  };
  BOOST_TEST(d.until([&] { return d.app->outboxCount() == 0 && everyEventTwice(); }));
  BOOST_TEST(d.app->pick().phase() == PickPhase::Done);
  BOOST_TEST(d.link->duplicatesSent() >= 5u);
  BOOST_TEST(d.app->stats().applied == 5u);
}

// Issue 20, found on a day with faults: picks whose commit failed on the
// server were resent later, batch.done overtook them and was refused for
// stops that were in fact picked, and the batch stayed assigned for ever.
// batch.done now waits for the acks of everything before it; and a batch
// finished here is not started again when the server offers it again.
BOOST_AUTO_TEST_CASE(batch_done_waits_for_its_picks_acks_and_a_finished_batch_offered_again_is_not_walked) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  Device d(broker, dir / "hh.db");
  BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
  d.scan("EMP-1");
  BOOST_REQUIRE(d.until([&] { return d.app->outboxCount() == 0; }));
  server.send(smallBatch());
  BOOST_REQUIRE(d.until([&] { return d.app->pick().phase() == PickPhase::ScanLocation; }));
  // The server takes the picks but does not answer (its commit failed).
  server.autoAck(false);
  pickSmallBatch(d);
  BOOST_REQUIRE(d.app->pick().phase() == PickPhase::Done);
  BOOST_REQUIRE(server.waitForEvents("pick.confirm", 3));
  // Resends of the picks come and go; batch.done stays on the handheld.
  BOOST_TEST(!d.until([&] { return false; }, std::chrono::milliseconds(1500)));
  BOOST_TEST(!server.waitFor([](const auto& m) { return isType(m, "batch.done"); }, std::chrono::milliseconds(10)));
  BOOST_TEST(d.app->outboxCount() == 4u);
  // The picker takes the cart away meanwhile; the server, seeing the device
  // come back, offers the batch again: it is not started a second time.
  d.app->input(key(Key::Enter));
  BOOST_REQUIRE(d.app->pick().phase() == PickPhase::Idle);
  server.send(smallBatch());
  BOOST_REQUIRE(d.until([&] { return d.logged("finished here"); }));
  BOOST_TEST(d.app->pick().phase() == PickPhase::Idle);

  // The server recovers and answers the picks: batch.done follows them.
  std::vector<std::string> picks;
  for (const auto& r : server.received())
    if (isType(r.message, "pick.confirm")) picks.push_back(*protocol::eventIdOf(r.message));
  server.autoAck(true);
  for (const auto& id : picks) server.ack("HH-07", id, protocol::AckResult::Applied);
  BOOST_REQUIRE(d.until([&] { return d.app->outboxCount() == 0; }));
  const auto order = server.firstArrivals();
  BOOST_REQUIRE_EQUAL(order.size(), 5u);
  std::vector<std::string> types;
  for (const auto& r : server.received())
    if (protocol::eventIdOf(r.message)) types.emplace_back(protocol::typeName(r.message));
  BOOST_REQUIRE(!types.empty());
  BOOST_TEST(types.back() == "batch.done");
  BOOST_TEST(std::count(types.begin(), types.end(), "batch.done") == 1);
}

BOOST_AUTO_TEST_CASE(picking_goes_on_without_the_broker_and_everything_arrives_once_in_order_after) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  Device d(broker, dir / "hh.db", "HH-07", protocol::WorkMode::Pick, std::string("EMP-1"));
  BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
  // The app sends from its poll: keep polling while the sign-in travels (a
  // wait that does not poll can miss it when going online and sending the
  // queued sign-in fall in different polls, as under an emulator).
  BOOST_REQUIRE(d.until([&] {
    return server.waitFor([](const auto& m) { return isType(m, "signin"); }, std::chrono::milliseconds(0)).has_value();
  }));
  server.send(smallBatch());
  BOOST_REQUIRE(d.until([&] { return d.app->pick().phase() == PickPhase::ScanLocation; }));
  pickStop(d, "A-01-01-1", "4006381333931", 2, {"T-1"});
  BOOST_REQUIRE(d.until([&] { return d.app->outboxCount() == 0; }));

  broker.stop();
  BOOST_REQUIRE(d.until([&] { return !d.app->online(); }));
  pickStop(d, "A-02-01-1", "036000291452", 1, {"T-1"});
  pickStop(d, "B-01-01-1", "96385074", 1, {"T-2"});
  BOOST_TEST(d.app->pick().phase() == PickPhase::Done);  // the picker never waited
  BOOST_TEST(d.app->outboxCount() == 3u);
  BOOST_TEST(d.app->view().status.online == false);

  broker.start();
  BOOST_REQUIRE(d.until([&] { return d.app->outboxCount() == 0; }, std::chrono::seconds(40)));
  const auto order = server.firstArrivals();
  BOOST_REQUIRE_EQUAL(order.size(), 5u);
  for (std::size_t i = 1; i < order.size(); ++i)
    BOOST_TEST(std::stoi(order[i].substr(order[i].find('-') + 1)) > std::stoi(order[i - 1].substr(order[i - 1].find('-') + 1)));
  // Each event took effect once: the server answered applied once per id.
  BOOST_TEST(d.app->stats().applied == 5u);
  BOOST_TEST(d.app->stats().rejected == 0u);
}

BOOST_AUTO_TEST_CASE(an_event_without_an_ack_is_resent_byte_for_byte_until_one_comes) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  Device d(broker, dir / "hh.db");
  BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
  server.withholdAcks(2);
  d.scan("EMP-1");
  BOOST_REQUIRE(d.until([&] { return d.app->outboxCount() == 0; }));
  BOOST_TEST(d.app->stats().resent >= 2u);
  std::vector<std::string> payloads;
  for (const auto& r : server.received())
    if (isType(r.message, "signin")) payloads.push_back(r.payload);
  BOOST_REQUIRE(payloads.size() >= 3u);
  for (const auto& p : payloads) BOOST_TEST(p == payloads.front());
  BOOST_TEST(server.arrivals().size() == 1u);
  BOOST_TEST(d.app->stats().applied == 1u);
}

BOOST_AUTO_TEST_CASE(a_restarted_app_resumes_its_batch_and_sends_what_was_pending_with_the_same_ids) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  std::string pendingId;
  {
    Device d(broker, dir / "hh.db", "HH-07", protocol::WorkMode::Pick, std::string("EMP-1"));
    BOOST_REQUIRE(d.until([&] { return d.app->online() && d.app->outboxCount() == 0; }));
    server.send(smallBatch());
    BOOST_REQUIRE(d.until([&] { return d.app->pick().phase() == PickPhase::ScanLocation; }));
    server.autoAck(false);
    pickStop(d, "A-01-01-1", "4006381333931", 2, {"T-1"});
    BOOST_REQUIRE(server.waitForEvents("pick.confirm", 1));
    BOOST_TEST(d.app->outboxCount() == 1u);
    pendingId = server.firstArrivals().back();
    d.scan("A-02-01-1");  // mid-stop when the battery dies
  }
  server.autoAck(true);
  Device again(broker, dir / "hh.db", "HH-07", protocol::WorkMode::Pick, std::string("EMP-1"));
  BOOST_TEST(again.app->signedIn());
  BOOST_TEST(again.app->pick().state().batchId == "B-1");
  BOOST_TEST(again.app->pick().phase() == PickPhase::ScanLocation);
  BOOST_TEST(again.app->pick().currentStop()->stop.stopId == "S2");
  BOOST_TEST(again.logged("resumed batch B-1 at stop 2/3"));
  BOOST_REQUIRE(again.until([&] { return again.app->outboxCount() == 0; }));
  BOOST_TEST(server.arrivals()[pendingId] >= 2);
  BOOST_TEST(again.app->stats().applied + again.app->stats().duplicate == 1u);
  // The task the server sends again after a restart changes nothing.
  server.send(smallBatch());
  BOOST_REQUIRE(again.until([&] { return again.logged("changes nothing"); }));
  BOOST_TEST(again.app->pick().currentStop()->stop.stopId == "S2");
}

BOOST_AUTO_TEST_CASE(a_rejected_confirmation_shows_the_servers_error_and_the_stop_comes_back) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  Device d(broker, dir / "hh.db", "HH-07", protocol::WorkMode::Pick, std::string("EMP-1"));
  BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
  server.send(smallBatch());
  BOOST_REQUIRE(d.until([&] { return d.app->pick().phase() == PickPhase::ScanLocation; }));
  server.rejectType("pick.confirm", makeError(ErrorKind::Invalid, "wrong location: scanned A-01-01-1, this stop is at A-09"));
  pickStop(d, "A-01-01-1", "4006381333931", 2, {"T-1"});
  BOOST_REQUIRE(d.until([&] { return d.app->stats().rejected == 1u; }));
  const auto v = d.app->view();
  BOOST_TEST(v.screen.error.find("server refused the stop at A-01-01-1: wrong location") != std::string::npos,
             v.screen.error);
  BOOST_TEST(d.app->pick().currentStop()->stop.stopId == "S1");
  BOOST_TEST(d.feedback.bad() >= 1u);
  BOOST_TEST(d.app->outboxCount() == 0u);
}

BOOST_AUTO_TEST_CASE(messages_for_another_device_and_unreadable_payloads_are_ignored_with_a_log) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  Device d(broker, dir / "hh.db", "HH-07", protocol::WorkMode::Pick, std::string("EMP-1"));
  BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
  // On this device's topic, but addressed to another device.
  auto foreign = protocol::encode(smallBatch("HH-08"));
  server.sendRaw("HH-07", foreign);
  server.sendRaw("HH-07", "{\"type\":\"task.assign\",");
  BOOST_REQUIRE(d.until([&] { return d.app->stats().ignored == 2u; }));
  BOOST_TEST(d.logged("ignored a message on wms/v1/dev/HH-07/cmd"));
  BOOST_TEST(d.app->pick().phase() == PickPhase::Idle);
  // A server error message is shown.
  protocol::ServerError e;
  e.device = "HH-07";
  e.error = makeError(ErrorKind::Malformed, "payload is not valid JSON");
  server.send(e);
  BOOST_REQUIRE(d.until([&] { return d.app->stats().serverErrors == 1u; }));
  BOOST_TEST(d.app->view().screen.error == "server: payload is not valid JSON");
}

BOOST_AUTO_TEST_CASE(presence_says_online_with_the_badge_heartbeats_carry_the_outbox_and_stop_says_offline) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  {
    Device d(broker, dir / "hh.db", "HH-07", protocol::WorkMode::Pick, std::string("EMP-1"));
    auto online = server.waitFor([](const auto& m) {
      const auto* p = std::get_if<protocol::Presence>(&m);
      return p && p->state == protocol::PresenceState::Online && p->user && *p->user == "EMP-1";
    });
    BOOST_REQUIRE(online);
    BOOST_TEST(std::get<protocol::Presence>(online->message).app == "wms-handheld/0.1.0");
    BOOST_REQUIRE(d.until([&] { return d.app->stats().heartbeats >= 1u; }));
    BOOST_REQUIRE(server.waitFor([](const auto& m) { return isType(m, "heartbeat"); }));
  }
  auto offline = server.waitFor([](const auto& m) {
    const auto* p = std::get_if<protocol::Presence>(&m);
    return p && p->state == protocol::PresenceState::Offline;
  });
  BOOST_REQUIRE(offline);
}

BOOST_AUTO_TEST_CASE(a_corrupt_outbox_file_is_replaced_and_the_screen_says_so) {
  MosquittoBroker broker(brokerOptions());
  TempDir dir;
  std::ofstream(dir / "hh.db") << "garbage garbage garbage garbage garbage garbage garbage garbage garbage";
  Device d(broker, dir / "hh.db");
  BOOST_TEST(d.app->outboxReport().recovered);
  BOOST_TEST(d.app->view().screen.error.find("hh.db was unusable") != std::string::npos, d.app->view().screen.error);
  d.scan("EMP-1");
  BOOST_TEST(d.app->signedIn());
}

BOOST_AUTO_TEST_CASE(pack_mode_verifies_packs_labels_and_ships_an_order_against_a_scripted_server) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  Device d(broker, dir / "pk.db", "PK-02", protocol::WorkMode::Pack, std::string("EMP-2"));
  BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
  d.scan("T-0001");
  auto req = server.waitFor([](const auto& m) { return isType(m, "pack.request"); });
  BOOST_REQUIRE(req);
  BOOST_TEST(*std::get<protocol::PackRequest>(req->message).tote == "T-0001");
  protocol::PackTask task;
  task.device = "PK-02";
  task.orderId = "SO-1";
  task.channel = "tiktok";
  task.lines = {{"L1", "MUG", "Mug", {"4006381333931"}, 2}};
  server.send(task);
  BOOST_REQUIRE(d.until([&] { return d.app->pack().phase() == PackPhase::Verify; }));
  d.scan("036000291452");
  BOOST_TEST(d.app->view().screen.error == "wrong item: 036000291452 is not in order SO-1");
  d.scan("4006381333931");
  d.scan("4006381333931");
  d.scan("4006381333931");
  BOOST_TEST(d.app->view().screen.error.find("over-scan") == 0u);
  d.app->typed("C");
  auto packed = server.waitFor([](const auto& m) { return isType(m, "pack.confirm"); });
  BOOST_REQUIRE(packed);
  BOOST_TEST(std::get<protocol::PackConfirm>(packed->message).cartons.at(0).items.at(0).qty == 2);
  d.app->typed("L");
  BOOST_REQUIRE(server.waitFor([](const auto& m) { return isType(m, "label.request"); }));
  protocol::LabelReady ready;
  ready.device = "PK-02";
  ready.orderId = "SO-1";
  ready.shipmentId = "SH-1";
  ready.carrier = "flash";
  ready.tracking = "TH1";
  ready.printer = "ZEBRA-1";
  server.send(ready);
  BOOST_REQUIRE(d.until([&] { return d.app->pack().phase() == PackPhase::Ship; }));
  d.app->typed("");
  auto ship = server.waitFor([](const auto& m) { return isType(m, "ship.confirm"); });
  BOOST_REQUIRE(ship);
  const auto& s = std::get<protocol::ShipConfirm>(ship->message);
  BOOST_TEST(s.shipmentId == "SH-1");
  BOOST_TEST(s.lines.at(0).qty == 2);
  BOOST_REQUIRE(d.until([&] { return d.app->outboxCount() == 0; }));
  BOOST_TEST(d.app->stats().rejected == 0u);
}

// Receive mode through the app: the receipts typed while wmsd does not
// answer wait in the outbox; the app restarts mid-order and resumes it at
// the same step, sign-out is refused until the order is done, and the acks
// that come later count the units received.
BOOST_AUTO_TEST_CASE(receive_mode_resumes_an_order_after_a_restart_with_its_receipts_pending) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  {
    Device d(broker, dir / "rc.db", "HH-08", protocol::WorkMode::Receive, std::string("EMP-3"));
    BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
    d.scan("DOCK-1");
    d.scan("PO-1");
    BOOST_REQUIRE(server.waitFor([](const auto& m) { return isType(m, "receive.request"); }));
    protocol::ReceiveTask task;
    task.device = "HH-08";
    task.po = "PO-1";
    task.supplier = "Acme";
    task.lines = {{"1", "CHEESE", "Cheese", {"96385074"}, 20, 0, std::nullopt, std::nullopt}};
    server.send(task);
    BOOST_REQUIRE(d.until([&] { return d.app->receive().phase() == ReceivePhase::Receive; }));
    // The server publishes its ack from its MQTT thread and the task from
    // this one: the task can overtake the ack of the receive.request. Wait
    // for that ack before the server stops answering.
    BOOST_REQUIRE(d.until([&] { return d.app->outboxCount() == 0; }));
    server.autoAck(false);
    d.scan("96385074");
    d.app->typed("7");
    BOOST_REQUIRE(server.waitForEvents("receive.confirm", 1));
    BOOST_TEST(d.app->outboxCount() == 1u);
    d.scan("96385074");
    BOOST_TEST(d.app->wantsNumber());
  }
  Device again(broker, dir / "rc.db", "HH-08", protocol::WorkMode::Receive);
  BOOST_TEST(again.logged("resumed the purchase order in hand"));
  BOOST_TEST(again.app->receive().phase() == ReceivePhase::Quantity);
  BOOST_TEST(again.app->view().screen.text().find("CHEESE: 7/20") != std::string::npos, again.app->view().screen.text());
  again.app->typed("Q");
  BOOST_TEST(again.app->view().screen.error == "finish the purchase order before signing out");
  server.autoAck(true);
  BOOST_REQUIRE(again.until([&] { return again.app->outboxCount() == 0; }));
  BOOST_TEST(again.app->receive().state().task->lines[0].received == 7);
}

// Count mode through the app: the counts made while the server does not
// answer wait in the outbox; the app restarts at the same location and
// count, and the acks that come later empty the outbox.
BOOST_AUTO_TEST_CASE(count_mode_resumes_at_the_same_count_after_a_restart_with_its_counts_pending) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  {
    Device d(broker, dir / "ct.db", "HH-08", protocol::WorkMode::Count, std::string("EMP-4"));
    BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
    d.scan("A-02-01-1");  // count where I stand
    auto req = server.waitFor([](const auto& m) { return isType(m, "count.request"); });
    BOOST_REQUIRE(req);
    BOOST_TEST(std::get<protocol::CountRequest>(req->message).location.value_or("") == "A-02-01-1");
    protocol::CountTask task;
    task.device = "HH-08";
    task.counts = {{17, "A-02-01-1", "EGGS", "Eggs", {"4006381333931"}, std::nullopt, std::nullopt, false},
                   {18, "A-02-01-1", "BREAD", "Bread", {"036000291452"}, std::nullopt, std::nullopt, true}};
    server.send(task);
    BOOST_REQUIRE(d.until([&] { return d.app->count().phase() == CountPhase::ScanLocation; }));
    // The request's own ack may still be on its way: wait for it, so that
    // the only event left unacknowledged below is the count.
    BOOST_REQUIRE(d.until([&] { return d.app->outboxCount() == 0; }));
    server.autoAck(false);
    d.scan("A-02-01-1");
    BOOST_TEST(d.app->wantsNumber());
    d.app->typed("0");  // empty
    BOOST_REQUIRE(server.waitForEvents("count.confirm", 1));
    BOOST_TEST(d.app->outboxCount() == 1u);
  }
  Device again(broker, dir / "ct.db", "HH-08", protocol::WorkMode::Count);
  BOOST_TEST(again.app->count().phase() == CountPhase::Count);
  BOOST_TEST(again.app->view().screen.prompt == "COUNT AGAIN", again.app->view().screen.text());
  BOOST_TEST(again.app->view().screen.text().find("BREAD") != std::string::npos);
  server.autoAck(true);
  BOOST_REQUIRE(again.until([&] { return again.app->outboxCount() == 0; }));
  BOOST_TEST(again.app->count().state().sent.empty());
}

// Replenish mode through the app: a move refused by the server comes back
// with its message.
BOOST_AUTO_TEST_CASE(replenish_mode_shows_a_refused_move_and_returns_to_it) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  Device d(broker, dir / "rp.db", "HH-08", protocol::WorkMode::Replenish, std::string("EMP-5"));
  BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
  d.app->typed("");
  BOOST_REQUIRE(server.waitFor([](const auto& m) { return isType(m, "replenish.request"); }));
  protocol::ReplenishTask task;
  task.device = "HH-08";
  task.moves = {{"CHEESE", "Cheese", {"96385074"}, "R-01-01-3", "A-01-05-1", std::nullopt, std::nullopt, 10, "low"}};
  server.send(task);
  BOOST_REQUIRE(d.until([&] { return d.app->replenish().phase() == ReplenishPhase::ScanFrom; }));
  server.rejectType("replenish.confirm", makeError(ErrorKind::Conflict, "only 8 units of CHEESE at R-01-01-3"));
  d.scan("R-01-01-3");
  d.scan("96385074");
  d.app->typed("");  // Enter: all 10
  d.scan("A-01-05-1");
  BOOST_REQUIRE(d.until([&] { return d.app->outboxCount() == 0 && d.app->replenish().phase() == ReplenishPhase::ScanFrom; }));
  BOOST_TEST(d.app->view().screen.error.find("only 8 units of CHEESE at R-01-01-3") != std::string::npos,
             d.app->view().screen.text());
  BOOST_TEST(d.app->stats().rejected == 1u);
}

BOOST_AUTO_TEST_CASE(signing_out_is_refused_mid_batch_and_sends_signout_when_free) {
  MosquittoBroker broker(brokerOptions());
  ScriptedServer server(broker);
  TempDir dir;
  Device d(broker, dir / "hh.db", "HH-07", protocol::WorkMode::Pick, std::string("EMP-1"));
  BOOST_REQUIRE(d.until([&] { return d.app->online(); }));
  server.send(smallBatch());
  BOOST_REQUIRE(d.until([&] { return d.app->pick().busy(); }));
  d.app->typed("Q");
  BOOST_TEST(d.app->signedIn());
  BOOST_TEST(d.app->view().screen.error == "finish the batch before signing out");
  protocol::TaskCancel c;
  c.device = "HH-07";
  c.batchId = "B-1";
  c.reason = "wave cancelled";
  server.send(c);
  BOOST_REQUIRE(d.until([&] { return d.app->pick().phase() == PickPhase::Cancelled; }));
  d.app->typed("Q");
  BOOST_TEST(!d.app->signedIn());
  BOOST_REQUIRE(server.waitFor([](const auto& m) { return isType(m, "signout"); }));
}
