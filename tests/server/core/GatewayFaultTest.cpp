// The device gateway's background loops on a failing disk, in-process: a
// real mosquitto, a real SQLite file, the gateway and a scripted handheld.
// The store's fault seam (Database::injectFault) makes commits and reads
// fail; the loops count, log once, back off and retry, and no command is
// published twice or lost.
#define BOOST_TEST_MODULE server_gateway_faults
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <stdexcept>
#include <set>
#include <string>
#include <thread>

#include "wms/identity/Schema.h"
#include "wms/protocol/Messages.h"
#include "wms/server/Config.h"
#include "wms/server/DeviceGateway.h"
#include "wms/server/Metrics.h"
#include "wms/store/Database.h"
#include "wms/store/Query.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/ScriptedDevice.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::testsupport;

namespace {

struct Gateway {
  MosquittoBroker broker{MosquittoBroker::Options{1, {}, false, false}};
  TempDir dir{"wms-gateway-faults"};
  std::unique_ptr<store::Database> db;
  server::Metrics metrics;
  std::unique_ptr<server::DeviceGateway> gateway;

  // `setup` registers handlers before the gateway starts.
  explicit Gateway(const std::function<void(server::DeviceGateway&)>& setup = {}) {
    store::DatabaseOptions o;
    o.path = dir / "wms.db";
    o.durability = store::Durability::Normal;
    // The gateway checks badges against identity's accounts and writes each
    // event's audit row (docs/security.md).
    o.schemas.push_back(identity::identitySchema());
    auto opened = store::Database::open(o);
    BOOST_REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().message));
    db = std::move(*opened);
    auto settings = broker.wmsdSettings({{"store.path", (dir / "wms.db").string()}});
    auto config = server::configFromProperties(settings);
    BOOST_REQUIRE_MESSAGE(config.ok(), (config.ok() ? "" : config.error().message));
    auto gc = server::gatewayConfigFrom(*config);
    BOOST_REQUIRE_MESSAGE(gc.ok(), (gc.ok() ? "" : gc.error().message));
    gateway = std::make_unique<server::DeviceGateway>(*gc, *db, metrics);
    if (setup) setup(*gateway);
    BOOST_REQUIRE(gateway->start().ok());
    for (int i = 0; i < 400 && !gateway->subscribed(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    BOOST_REQUIRE(gateway->subscribed());
  }
  ~Gateway() { gateway->stop(); }

  // Queues task.cancel commands for a device in one committed write.
  void queue(const std::string& device, int from, int count) {
    BOOST_REQUIRE(db->write([&](store::Tx& tx) -> Status {
                      server::Replies replies;
                      for (int i = from; i < from + count; ++i) {
                        protocol::TaskCancel c;
                        c.device = device;
                        c.ts = tx.nowMs();
                        c.batchId = "B-" + std::to_string(i);
                        c.reason = "test";
                        replies.send(c);
                      }
                      server::DeviceGateway::queue(tx, replies);
                      return {};
                    }).ok());
  }

  std::int64_t unpublished() {
    std::int64_t n = -1;
    if (!db->read([&](store::Tx& tx) -> Status {
              n = store::queryInteger(tx, "SELECT COUNT(*) FROM device_outbox WHERE published_at = 0").value_or(-1);
              return {};
            }).ok())
      return -1;
    return n;
  }
};

// How many times each batch id arrived as a task.cancel.
std::map<std::string, int> cancels(ScriptedDevice& device) {
  std::map<std::string, int> seen;
  for (const auto& m : device.inbox())
    if (const auto* c = std::get_if<protocol::TaskCancel>(&m)) ++seen[c->batchId];
  return seen;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_faults)

BOOST_AUTO_TEST_CASE(a_commit_that_fails_after_publishing_retries_the_record_not_the_publish) {
  Gateway g;
  ScriptedDevice device(g.broker.uri(), g.broker.device(0).username, g.broker.device(0).password);
  // Published, but their "published" mark cannot be written for a second:
  // each command must still reach the device exactly once.
  g.queue(device.id(), 1, 5);
  g.db->injectFault(store::Fault::Commit, 1000000);
  g.gateway->wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  const auto during = g.metrics.background().loop("gateway.publish").figures();
  g.db->injectFault(store::Fault::Commit, 0);
  BOOST_TEST(during.failing);
  BOOST_TEST(during.errors >= 2);
  BOOST_TEST(during.errors < 30, "backed off, not hammering: " << during.errors << " failures in 1.2 s");
  BOOST_TEST(during.lastError.find("marking 5 commands published") != std::string::npos);

  for (int i = 0; i < 400 && g.unpublished() != 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  BOOST_TEST(g.unpublished() == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto seen = cancels(device);
  BOOST_TEST(seen.size() == 5u);
  for (const auto& [batch, times] : seen) BOOST_TEST(times == 1, batch << " arrived " << times << " times");
  BOOST_TEST(!g.metrics.background().loop("gateway.publish").figures().failing);
  BOOST_TEST(g.metrics.render().find("background_errors_total{loop=\"gateway.publish\"}") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reads_that_fail_delay_the_commands_and_lose_none) {
  Gateway g;
  ScriptedDevice device(g.broker.uri(), g.broker.device(0).username, g.broker.device(0).password);
  g.db->injectFault(store::Fault::Read, 1000000);
  g.queue(device.id(), 1, 3);
  g.gateway->wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  BOOST_TEST(cancels(device).empty());
  BOOST_TEST(g.metrics.background().loop("gateway.publish").figures().errors >= 1);
  g.db->injectFault(store::Fault::Read, 0);
  g.queue(device.id(), 4, 2);
  g.gateway->wake();
  for (int i = 0; i < 400 && cancels(device).size() < 5; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto seen = cancels(device);
  BOOST_TEST(seen.size() == 5u);
  for (const auto& [batch, times] : seen) BOOST_TEST(times == 1, batch << " arrived " << times << " times");
}

// Event handlers are dispatched by the decoded message's type: a typed
// handler gets its own event (a command or a non-event type does not
// compile), and an event type nobody handles gets a rejected ack.
BOOST_AUTO_TEST_CASE(an_event_reaches_the_handler_of_its_type_and_an_unhandled_type_is_refused) {
  std::vector<std::string> done;
  Gateway g([&](server::DeviceGateway& gateway) {
    gateway.handle<protocol::BatchDone>([&](store::Tx&, const server::DeviceContext& ctx, const protocol::BatchDone& m,
                                            server::Replies&) -> Status {
      done.push_back(ctx.device + "/" + m.batchId);
      return {};
    });
    gateway.also<protocol::BatchDone>([](store::Tx&, const server::DeviceContext&, const protocol::BatchDone& m,
                                         server::Replies&) -> Status {
      if (m.batchId == "B-2") return Error{ErrorKind::Conflict, "batch B-2 is not finished"};
      return {};
    });
  });
  ScriptedDevice device(g.broker.uri(), g.broker.device(0).username, g.broker.device(0).password);

  protocol::BatchDone first;
  first.batchId = "B-1";
  auto ack = device.ackFor(device.send(first));
  BOOST_REQUIRE(ack.has_value());
  BOOST_CHECK(ack->result == protocol::AckResult::Applied);
  BOOST_TEST(done == std::vector<std::string>{device.id() + "/B-1"});

  protocol::BatchDone second;
  second.batchId = "B-2";
  ack = device.ackFor(device.send(second));
  BOOST_REQUIRE(ack.has_value());
  BOOST_CHECK(ack->result == protocol::AckResult::Rejected);
  BOOST_REQUIRE(ack->error.has_value());
  BOOST_TEST(ack->error->message == "batch B-2 is not finished");

  protocol::PackRequest request;
  request.tote = "T-1";
  ack = device.ackFor(device.send(request));
  BOOST_REQUIRE(ack.has_value());
  BOOST_CHECK(ack->result == protocol::AckResult::Rejected);
  BOOST_REQUIRE(ack->error.has_value());
  BOOST_CHECK(ack->error->kind == ErrorKind::Invalid);
  BOOST_TEST(ack->error->message == "this server does not handle 'pack.request' events");
}

BOOST_AUTO_TEST_SUITE_END()
