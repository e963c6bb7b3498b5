// wmsd's handheld gateway, end to end: a real mosquitto, a real wmsd and
// scripted devices over MQTT.
#define BOOST_TEST_MODULE server_gateway
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <functional>
#include <thread>

#include "wms/protocol/Codec.h"
#include "wms/protocol/Topics.h"
#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/ScriptedDevice.h"
#include "wms/testsupport/WmsdProcess.h"

using namespace wms;
using namespace wms::testsupport;

namespace {

// A broker with two devices and a wmsd logged in as the server, with one
// worker badge known.
struct Site {
  MosquittoBroker broker;
  WmsdProcess wmsd;

  explicit Site(std::map<std::string, std::string> extra = {})
      : broker(MosquittoBroker::Options{2, {}, false, false}), wmsd(options(extra)) {
    BOOST_REQUIRE_EQUAL(wmsd.post("/api/v1/workers", R"({"badge":"B-100","name":"Siti"})").status, 201);
    // The gateway's session is new: a device event published before its
    // subscriptions are answered would be dropped by the broker.
    BOOST_REQUIRE(wmsd.waitForMqtt());
  }

  WmsdProcess::Options options(std::map<std::string, std::string> extra) {
    WmsdProcess::Options o;
    o.settings = broker.wmsdSettings();
    for (auto& [k, v] : extra) o.settings[k] = v;
    return o;
  }

  std::unique_ptr<ScriptedDevice> device(std::size_t i) {
    return std::make_unique<ScriptedDevice>(broker.uri(), broker.device(i).username, broker.device(i).password);
  }

  // Scans recorded by wmsd for a device, read from its database file.
  std::int64_t scans(const std::string& device) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(wmsd.dbPath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM scans WHERE device = ?", -1, &stmt, nullptr);
    sqlite3_bind_text(stmt, 1, device.c_str(), -1, SQLITE_TRANSIENT);
    std::int64_t n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
  }

  std::int64_t metric(const std::string& line) {
    auto body = wmsd.get("/metrics").body;
    auto at = body.find(line + " ");
    return at == std::string::npos ? 0 : std::stoll(body.substr(at + line.size() + 1));
  }
};

protocol::Scan scanOf(const std::string& barcode) {
  protocol::Scan s;
  s.barcode = barcode;
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_known_badge_signs_in_and_an_unknown_one_is_refused_with_the_reason) {
  Site site;
  auto dev = site.device(0);
  protocol::SignIn good;
  good.badge = "B-100";
  auto ack = dev->ackFor(dev->send(good));
  BOOST_REQUIRE(ack);
  BOOST_CHECK(ack->result == protocol::AckResult::Applied);
  protocol::SignIn bad;
  bad.badge = "B-999";
  auto refused = dev->ackFor(dev->send(bad));
  BOOST_REQUIRE(refused);
  BOOST_CHECK(refused->result == protocol::AckResult::Rejected);
  BOOST_REQUIRE(refused->error);
  BOOST_TEST(refused->error->message == "unknown badge 'B-999'");
  BOOST_TEST(site.wmsd.get("/api/v1/devices").body.find("\"badge\":\"B-100\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_same_event_delivered_twice_is_applied_once_and_acked_duplicate) {
  Site site;
  auto dev = site.device(0);
  protocol::Scan scan = scanOf("4006381333931");
  scan.eventId = "session1-1";
  auto first = dev->ackFor(dev->send(scan));
  auto second = dev->ackFor(dev->send(scan));
  BOOST_REQUIRE(first);
  BOOST_REQUIRE(second);
  BOOST_CHECK(first->result == protocol::AckResult::Applied);
  BOOST_CHECK(second->result == protocol::AckResult::Duplicate);
  BOOST_TEST(site.scans(dev->id()) == 1);
  // The same event id from another device is another event.
  auto other = site.device(1);
  BOOST_CHECK(other->ackFor(other->send(scan))->result == protocol::AckResult::Applied);
}

BOOST_AUTO_TEST_CASE(bad_payloads_are_refused_counted_and_never_applied_and_wmsd_carries_on) {
  Site site;
  auto dev = site.device(0);
  dev->sendRaw(protocol::TopicKind::Events, "{not json");
  dev->sendRaw(protocol::TopicKind::Events, R"({"type":"scan","v":1,"device":"dev-1","ts":1,"event_id":"e-1","barcode":7})");
  dev->sendRaw(protocol::TopicKind::Events, R"({"type":"scan","v":2,"device":"dev-1","ts":1,"event_id":"e-2","barcode":"x"})");
  dev->sendRaw(protocol::TopicKind::Events, std::string(70 * 1024, ' '));
  // Claims to be another device on its own topic: refused, nothing applied.
  dev->sendRaw(protocol::TopicKind::Events, R"({"type":"scan","v":1,"device":"dev-2","ts":1,"event_id":"e-3","barcode":"x"})");
  // Too large, but its event id is readable.
  dev->sendRaw(protocol::TopicKind::Events,
               R"({"type":"scan","v":1,"device":"dev-1","ts":1,"event_id":"e-4","barcode":")" + std::string(70 * 1024, 'x') +
                   "\"}");
  auto wrongType = dev->ackFor("e-1");
  BOOST_REQUIRE(wrongType);
  BOOST_CHECK(wrongType->result == protocol::AckResult::Rejected);
  BOOST_TEST(wrongType->error->message.find("barcode") != std::string::npos);
  auto wrongVersion = dev->ackFor("e-2");
  BOOST_REQUIRE(wrongVersion);
  BOOST_CHECK(wrongVersion->result == protocol::AckResult::Rejected);
  // Every refused event whose id can be read gets a rejected ack, so the
  // device stops resending it: also one that names another device (it came
  // on this device's topic) and one over the size limit.
  auto claimsOther = dev->ackFor("e-3");
  BOOST_REQUIRE(claimsOther);
  BOOST_CHECK(claimsOther->result == protocol::AckResult::Rejected);
  BOOST_CHECK(claimsOther->error->kind == ErrorKind::Forbidden);
  auto tooLarge = dev->ackFor("e-4");
  BOOST_REQUIRE(tooLarge);
  BOOST_CHECK(tooLarge->result == protocol::AckResult::Rejected);
  BOOST_CHECK(tooLarge->error->kind == ErrorKind::TooLarge);
  // Undecodable payloads get an error message (no event id to ack).
  auto error = dev->waitFor([](const protocol::Message& m) { return std::holds_alternative<protocol::ServerError>(m); });
  BOOST_REQUIRE(error);
  // Then a good event still works.
  BOOST_CHECK(dev->ackFor(dev->send(scanOf("ok")))->result == protocol::AckResult::Applied);
  BOOST_TEST(site.scans("dev-1") == 1);
  BOOST_TEST(site.scans("dev-2") == 0);
  BOOST_TEST(site.metric("mqtt_rejected_total{reason=\"malformed\"}") >= 1);
  BOOST_TEST(site.metric("mqtt_rejected_total{reason=\"forbidden\"}") == 1);
  BOOST_TEST(site.metric("mqtt_rejected_total{reason=\"too_large\"}") == 2);
  BOOST_TEST(site.wmsd.get("/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(a_device_cannot_publish_on_another_devices_topic) {
  Site site;
  auto dev1 = site.device(0);
  auto dev2 = site.device(1);
  // dev-1 writes an event onto dev-2's topic: the broker's ACL drops it.
  protocol::Scan forged = scanOf("forged");
  forged.device = "dev-2";
  forged.ts = ScriptedDevice::nowMs();
  forged.eventId = "forged-1";
  (void)dev1->client().publish(protocol::topicFor("dev-2", protocol::TopicKind::Events),
                               protocol::encode(protocol::Message(forged)), 1, false);
  // A real event of dev-2 afterwards is applied: by then the forged one would have been.
  BOOST_REQUIRE(dev2->ackFor(dev2->send(scanOf("real")))->result == protocol::AckResult::Applied);
  BOOST_TEST(site.scans("dev-2") == 1);
  BOOST_TEST(!dev2->ackFor("forged-1", std::chrono::milliseconds(300)));
}

BOOST_AUTO_TEST_CASE(healthz_follows_the_handheld_link_through_a_broker_outage) {
  Site site;  // waited for "mqtt":"ok"
  site.broker.stop();
  bool down = false;
  for (int i = 0; i < 200 && !down; ++i) {
    auto health = site.wmsd.get("/healthz");
    BOOST_TEST_REQUIRE(health.status == 200);  // HTTP works without the broker
    down = health.body.find("\"mqtt\":\"connecting\"") != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  BOOST_TEST(down);
  site.broker.start();
  BOOST_TEST(site.wmsd.waitForMqtt(std::chrono::seconds(30)));
}

// /healthz until `pred` holds for its body, or `timeout`; the last answer.
HttpResult healthzUntil(const WmsdProcess& wmsd, const std::function<bool(const std::string&)>& pred,
                        std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  HttpResult health = wmsd.get("/healthz");
  while (!pred(health.body) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    health = wmsd.get("/healthz");
  }
  return health;
}

bool saysLoginRefused(const std::string& body) {
  return body.find("\"mqtt\":\"login refused: ") != std::string::npos;
}

// Sets a server account's password in the broker's password file (the
// broker re-reads it on SIGHUP or at its start).
void setServerPassword(const MosquittoBroker& broker, const std::string& user, const std::string& password) {
  auto r = runCommand({"mosquitto_passwd", "-b", (broker.dir() / "broker" / "server.passwd").string(), user, password});
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
}

BOOST_AUTO_TEST_CASE(healthz_is_degraded_while_the_broker_refuses_wmsds_login) {
  // The finding of issue 20: wmsd locked out of the broker, 197 orders
  // released to nobody for 7 minutes, and /healthz said ok.
  MosquittoBroker broker;
  WmsdProcess::Options o;
  o.settings = broker.wmsdSettings();
  o.settings["mqtt.password"] = "not-the-password";
  o.requireHealthy = false;
  WmsdProcess wmsd(o);  // serves HTTP all the same
  auto health = healthzUntil(wmsd, saysLoginRefused, std::chrono::seconds(20));
  BOOST_TEST(saysLoginRefused(health.body), health.body);
  BOOST_TEST(health.status == 503);
  BOOST_TEST(health.body.find("\"status\":\"degraded\"") != std::string::npos, health.body);
  BOOST_TEST(health.body.find("\"database\":\"ok\"") != std::string::npos, health.body);
  BOOST_TEST(health.body.find("tcp://") == std::string::npos, health.body);  // public: no broker address
  BOOST_TEST_MESSAGE(health.body);
  BOOST_TEST(wmsd.log().find("refused wmsd's MQTT login") != std::string::npos);
  // The rest of the API is served.
  BOOST_TEST(wmsd.get("/api/v1/orders").status == 200);
}

BOOST_AUTO_TEST_CASE(a_login_refused_after_a_broker_restart_shows_in_healthz_and_heals_when_the_account_is_fixed) {
  Site site;  // waited for "mqtt":"ok"
  const auto& server = site.broker.server();
  site.broker.stop();
  setServerPassword(site.broker, server.username, "changed-behind-wmsds-back");
  site.broker.start();
  // Paho's own reconnects do not say why they fail; the gateway's login
  // check after DeviceGateway::kLoginCheckAfter does.
  auto health = healthzUntil(site.wmsd, saysLoginRefused, std::chrono::seconds(40));
  BOOST_TEST_REQUIRE(saysLoginRefused(health.body), health.body);
  BOOST_TEST(health.status == 503);
  // The account is put right (as wms-broker setup --force would): wmsd
  // logs in again by itself.
  setServerPassword(site.broker, server.username, server.password);
  auto reload = runCommand({std::string(WMS_SOURCE_DIR) + "/tools/broker/wms-broker", "reload",
                            (site.broker.dir() / "broker").string()});
  BOOST_REQUIRE_MESSAGE(reload.exitCode == 0, reload.output);
  BOOST_TEST(site.wmsd.waitForMqtt(std::chrono::seconds(30)));
  BOOST_TEST(site.wmsd.get("/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(a_broker_restart_in_the_middle_loses_no_event) {
  Site site;
  // A persistent session, as a real handheld has: acks sent while it
  // reconnects wait for it on the broker.
  auto dev = std::make_unique<ScriptedDevice>(site.broker.uri(), site.broker.device(0).username,
                                              site.broker.device(0).password, false);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(dev->send(scanOf("before-" + std::to_string(i))));
  for (const auto& id : ids) BOOST_REQUIRE(dev->ackFor(id));
  site.broker.restart();
  // Sent while both clients reconnect: Paho buffers them and the persistent
  // sessions deliver them once the broker is back.
  std::vector<std::string> later;
  for (int i = 0; i < 20; ++i) later.push_back(dev->send(scanOf("after-" + std::to_string(i))));
  for (const auto& id : later) {
    auto ack = dev->ackFor(id, std::chrono::seconds(30));
    BOOST_REQUIRE_MESSAGE(ack, "no ack for " << id);
  }
  BOOST_TEST(site.scans("dev-1") == 25);
}

BOOST_AUTO_TEST_CASE(presence_is_tracked_and_a_silent_device_is_raised_to_the_supervisor) {
  Site site(std::map<std::string, std::string>{{"devices.silent_after_s", "5"}});
  auto dev = site.device(0);
  protocol::Presence online;
  online.app = "test/1";
  dev->send(online);
  protocol::Heartbeat hb;
  hb.battery = 80;
  hb.rssi = -60;
  dev->send(hb);
  bool seenOnline = false;
  for (int i = 0; i < 100 && !seenOnline; ++i) {
    seenOnline = site.wmsd.get("/api/v1/devices").body.find("\"state\":\"online\"") != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  BOOST_REQUIRE(seenOnline);
  bool raised = false;
  for (int i = 0; i < 200 && !raised; ++i) {
    raised = site.wmsd.get("/api/v1/exceptions").body.find("device_silent") != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  BOOST_TEST(raised);
  BOOST_TEST(site.wmsd.get("/api/v1/devices").body.find("\"state\":\"silent\"") != std::string::npos);
}
