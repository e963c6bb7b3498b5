// Orders shipped, told to their channel: a real mosquitto, a real wmsd with
// a waves layout and all five channels pointed at a real wms-channel-emu.
// Orders come in from the emulator, a scripted handheld picks the wave, the
// packing REST API packs and ships them, and the emulator records what each
// channel was told.
#define BOOST_TEST_MODULE server_channels_fulfilment
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <set>

#include "ChannelsWorld.h"
#include "wms/protocol/Codec.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/ScriptedDevice.h"

using namespace wms;
using namespace wms::testsupport;

namespace {

Poco::JSON::Object::Ptr parse(const HttpResult& r) {
  Poco::JSON::Parser p;
  return p.parse(r.body).extract<Poco::JSON::Object::Ptr>();
}

struct ShipFloor {
  MosquittoBroker broker{MosquittoBroker::Options{1, {}, false, false}};
  ChannelsWorld world;

  ShipFloor() : world(settings()) {
    auto& wmsd = *world.wmsd;
    BOOST_REQUIRE(wmsd.post("/api/v1/workers", R"({"badge":"B-1","name":"Siti"})").status == 201);
    world.stockAndList("MUG", 50);
    world.stockAndList("TEA", 50);
    waitForBroker();
  }

  std::map<std::string, std::string> settings() {
    return broker.wmsdSettings(
        {{"waves.layout", std::string(WMS_SOURCE_DIR) + "/layouts/samples/dc-single-block.json"},
         {"waves.cart_totes", "6"},
         {"waves.tote_pool", "30"},
         {"waves.auto_check_s", "3600"},
         {"packing.ship_from.name", "Example Retail Warehouse"},
         {"packing.ship_from.line1", "1 Logistics Way"},
         {"packing.ship_from.city", "Singapore"},
         {"packing.ship_from.postal_code", "629000"},
         {"packing.ship_from.country", "SG"},
         {"channels.retry_base_ms", "50"},
         {"channels.retry_max_ms", "300"}});
  }

  void waitForBroker() {
    BOOST_REQUIRE(world.wmsd->waitForMqtt());
  }

  // An order on the channel (one or two lines), delivered and stored in wmsd; our id.
  std::int64_t order(const std::string& channel, const std::vector<std::pair<std::string, int>>& lines,
                     std::string* externalId = nullptr) {
    std::string body = R"({"channel":")" + channel + R"(","lines":[)";
    for (std::size_t i = 0; i < lines.size(); ++i)
      body += (i ? "," : "") + std::string(R"({"sku":")") + ChannelsWorld::channelSku(channel, lines[i].first) +
              R"(","qty":)" + std::to_string(lines[i].second) + "}";
    auto r = world.emu.post("/_emu/orders", body + "]}");
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    const std::string ext = parse(r)->getValue<std::string>("id");
    if (externalId) *externalId = ext;
    std::int64_t id = 0;
    BOOST_REQUIRE_MESSAGE(ChannelsWorld::eventually([&] {
                            auto got = world.wmsd->get("/api/v1/channels/" + channel + "/orders/" + ext);
                            if (got.status != 200) return false;
                            auto o = parse(got);
                            id = o->getValue<std::int64_t>("id");
                            return o->getValue<std::string>("status") == "allocated";
                          }),
                          channel << " order " << ext << " did not reach wmsd");
    return id;
  }

  // Releases a wave of every allocated order and picks it in full.
  void pickEverything() {
    ScriptedDevice d(broker.uri(), broker.device(0).username, broker.device(0).password);
    protocol::Presence online;
    online.app = "test/1";
    d.send(online);
    protocol::SignIn in;
    in.badge = "B-1";
    auto signedIn = d.ackFor(d.send(in));
    BOOST_REQUIRE(signedIn && signedIn->result == protocol::AckResult::Applied);
    auto released = world.wmsd->post("/api/v1/waves/release", "{}");
    BOOST_REQUIRE_MESSAGE(released.status == 201, released.body);
    const int batches = parse(released)->getArray("waves")->getObject(0)->getValue<int>("batches");
    for (int b = 0; b < batches; ++b) {
      auto m = d.waitFor([](const protocol::Message& msg) { return std::holds_alternative<protocol::TaskAssign>(msg); },
                         std::chrono::seconds(10));
      BOOST_REQUIRE_MESSAGE(m, "no task for batch " << b + 1 << " of " << batches);
      const auto task = std::get<protocol::TaskAssign>(*m);
      for (const auto& stop : task.stops) {
        auto ack = d.ackFor(d.send(testsupport::fullConfirmation(task, stop, stop.barcodes.front())));
        BOOST_REQUIRE(ack);
        BOOST_REQUIRE_MESSAGE(ack->result == protocol::AckResult::Applied, (ack->error ? ack->error->message : ""));
      }
      protocol::BatchDone done;
      done.batchId = task.batchId;
      auto ack = d.ackFor(d.send(done));
      BOOST_REQUIRE(ack && ack->result == protocol::AckResult::Applied);
    }
  }

  // Packs the picked order at a station (scanning each SKU code), books the
  // shipment and confirms it; the ship result.
  Poco::JSON::Object::Ptr packAndShip(std::int64_t orderId, const std::string& key) {
    auto& wmsd = *world.wmsd;
    auto session = wmsd.post("/api/v1/packing/sessions", R"({"code":")" + std::to_string(orderId) + R"(","station":"PACK-1"})");
    BOOST_REQUIRE_MESSAGE(session.status == 200 || session.status == 201, session.body);
    auto view = parse(session);
    const std::string base = "/api/v1/packing/sessions/" + view->get("session_id").toString();
    auto lines = view->getArray("lines");
    for (unsigned i = 0; i < lines->size(); ++i) {
      auto l = lines->getObject(i);
      auto scan = wmsd.post(base + "/scans", R"({"text":")" + l->getValue<std::string>("sku") + R"(","qty":)" +
                                                 std::to_string(l->getValue<int>("to_pack")) + "}");
      BOOST_REQUIRE_MESSAGE(scan.status == 200, scan.body);
    }
    auto closed = wmsd.post(base + "/cartons/close", R"({"weight_g":900})");
    BOOST_REQUIRE_MESSAGE(closed.status == 200, closed.body);
    auto complete = wmsd.post(base + "/complete", "{}");
    BOOST_REQUIRE_MESSAGE(complete.status == 200, complete.body);
    const std::string order = "/api/v1/packing/orders/" + std::to_string(orderId);
    auto shipment = wmsd.post(order + "/shipment", R"({"station":"PACK-1","print":false})");
    BOOST_REQUIRE_MESSAGE(shipment.status == 200 || shipment.status == 201, shipment.body);
    auto shipped = wmsd.post(order + "/ship", "{}", {{"Idempotency-Key", key}});
    BOOST_REQUIRE_MESSAGE(shipped.status == 200 || shipped.status == 201, shipped.body);
    return parse(shipped);
  }

  // What the emulator recorded for the channel's order.
  std::vector<Poco::JSON::Object::Ptr> told(const std::string& channel, const std::string& externalId) const {
    std::vector<Poco::JSON::Object::Ptr> out;
    auto items = world.emu.json("/_emu/fulfilments?channel=" + channel)->getArray("items");
    for (unsigned i = 0; i < items->size(); ++i) {
      auto f = items->getObject(i);
      if (f->getValue<std::string>("order_id") == externalId) out.push_back(f);
    }
    return out;
  }

  Poco::JSON::Object::Ptr channelStatus(const std::string& channel) const {
    auto all = world.wmsdJson("/api/v1/channels")->getArray("channels");
    for (unsigned i = 0; i < all->size(); ++i) {
      if (all->getObject(i)->getValue<std::string>("channel") == channel) return all->getObject(i);
    }
    throw std::runtime_error("no channel " + channel);
  }

  // The channel's notice of the order as wmsd sees it.
  Poco::JSON::Object::Ptr notice(const std::string& channel, const std::string& externalId) const {
    auto items = world.wmsdJson("/api/v1/channels/" + channel + "/fulfilments")->getArray("items");
    for (unsigned i = 0; i < items->size(); ++i) {
      if (items->getObject(i)->getValue<std::string>("external_id") == externalId) return items->getObject(i);
    }
    return nullptr;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(each_channel_is_told_its_order_shipped_with_the_tracking_number_and_the_lines) {
  ShipFloor f;
  const std::vector<std::string> channels = {"shopify", "lazada", "shopee", "tiktok", "amazon"};
  std::map<std::string, std::string> ext;
  std::map<std::string, std::int64_t> ids;
  for (const auto& ch : channels) ids[ch] = f.order(ch, {{"MUG", 2}, {"TEA", 1}}, &ext[ch]);
  // A manual order ships too, and nobody is told.
  auto manual = f.world.wmsd->post("/api/v1/orders", R"({"channel":"manual","external_id":"M-1","lines":[{"sku":"MUG","qty":1}],)"
                                                     R"("ship_to":{"name":"Ann","line1":"1 Rd","city":"Singapore","postal_code":"1","country":"SG"}})");
  BOOST_REQUIRE_MESSAGE(manual.status == 201, manual.body);
  const auto manualId = parse(manual)->getValue<std::int64_t>("id");
  f.pickEverything();

  std::map<std::string, std::string> tracking;
  for (const auto& ch : channels) tracking[ch] = f.packAndShip(ids[ch], "ship-" + ch)->getValue<std::string>("tracking_number");
  f.packAndShip(manualId, "ship-manual");

  for (const auto& ch : channels) {
    BOOST_TEST_CONTEXT(ch) {
      BOOST_REQUIRE(ChannelsWorld::eventually([&] { return !f.told(ch, ext[ch]).empty(); }));
      auto calls = f.told(ch, ext[ch]);
      BOOST_TEST(calls.size() == 1u);
      auto call = calls.front();
      BOOST_TEST(!tracking[ch].empty());
      BOOST_TEST(call->getValue<std::string>("tracking_number") == tracking[ch]);
      std::map<std::string, std::int64_t> lines;
      auto arr = call->getArray("lines");
      for (unsigned i = 0; i < arr->size(); ++i)
        lines[arr->getObject(i)->getValue<std::string>("channel_sku")] += arr->getObject(i)->getValue<std::int64_t>("qty");
      BOOST_TEST(lines.size() == 2u);
      BOOST_TEST(lines[ChannelsWorld::channelSku(ch, "MUG")] == 2);
      BOOST_TEST(lines[ChannelsWorld::channelSku(ch, "TEA")] == 1);
      BOOST_TEST(f.notice(ch, ext[ch])->getValue<bool>("sent"));
    }
  }
  BOOST_TEST(f.notice("shopify", "M-1").isNull());

  // The same confirmation again (a retry) is a duplicate: no new notice.
  auto again = f.world.wmsd->post("/api/v1/packing/orders/" + std::to_string(ids["lazada"]) + "/ship", "{}",
                                  {{"Idempotency-Key", "ship-lazada"}});
  BOOST_REQUIRE_MESSAGE(again.status == 200, again.body);
  BOOST_TEST(parse(again)->getValue<bool>("duplicate"));
  for (const auto& ch : channels) {
    auto st = f.channelStatus(ch);
    BOOST_TEST(st->getValue<int>("fulfilments_sent") == 1, ch);
    BOOST_TEST(st->getValue<int>("pending_fulfilments") == 0, ch);
  }
  auto verdict = f.world.emu.json("/_emu/verdict");
  BOOST_TEST(verdict->getValue<int>("orders_shipped") == 5);
  BOOST_TEST(verdict->getValue<int>("fulfilments_missing") == 0);
  BOOST_TEST(verdict->getValue<bool>("ok"));
}

BOOST_AUTO_TEST_CASE(a_channel_down_then_back_gets_exactly_one_fulfilment_and_the_verdict_shows_it_missing_meanwhile) {
  ShipFloor f;
  std::string ext;
  auto id = f.order("lazada", {{"MUG", 3}}, &ext);
  f.pickEverything();
  BOOST_REQUIRE(f.world.emu.post("/_emu/faults/lazada", R"({"mode":"down","seconds":600})").status == 200);
  f.packAndShip(id, "ship-1");
  // Tried and failed: the notice waits in wmsd.
  BOOST_REQUIRE(ChannelsWorld::eventually([&] {
    auto n = f.notice("lazada", ext);
    return n && n->getValue<int>("attempts") >= 2;
  }));
  BOOST_TEST(!f.notice("lazada", ext)->getValue<bool>("sent"));
  BOOST_TEST(f.notice("lazada", ext)->getValue<std::string>("last_error").find("503") != std::string::npos);
  auto verdict = f.world.emu.json("/_emu/verdict");
  BOOST_TEST(verdict->getValue<int>("fulfilments_missing") == 1);
  BOOST_TEST(!verdict->getValue<bool>("ok"));
  BOOST_TEST(f.told("lazada", ext).empty());

  BOOST_REQUIRE(f.world.emu.post("/_emu/faults/lazada", R"({"mode":"none"})").status == 200);
  BOOST_REQUIRE(ChannelsWorld::eventually([&] { return f.notice("lazada", ext)->getValue<bool>("sent"); }));
  auto calls = f.told("lazada", ext);
  BOOST_REQUIRE(calls.size() == 1u);
  BOOST_TEST(calls.front()->getArray("lines")->getObject(0)->getValue<int>("qty") == 3);
  BOOST_TEST(f.channelStatus("lazada")->getValue<int>("fulfilments_sent") == 1);
  BOOST_TEST(f.world.emu.json("/_emu/verdict")->getValue<int>("fulfilments_missing") == 0);
}

BOOST_AUTO_TEST_CASE(a_crash_after_the_ship_commits_and_before_the_push_tells_the_channel_once_after_restart) {
  ShipFloor f;
  std::string ext;
  auto id = f.order("amazon", {{"TEA", 2}}, &ext);
  f.pickEverything();
  BOOST_REQUIRE(f.world.emu.post("/_emu/faults/amazon", R"({"mode":"down","seconds":600})").status == 200);
  auto shipped = f.packAndShip(id, "ship-1");
  BOOST_REQUIRE(ChannelsWorld::eventually([&] {
    auto n = f.notice("amazon", ext);
    return n && n->getValue<int>("attempts") >= 1;
  }));
  f.world.crashAndRestartWmsd();
  BOOST_REQUIRE(f.world.emu.post("/_emu/faults/amazon", R"({"mode":"none"})").status == 200);
  BOOST_REQUIRE(ChannelsWorld::eventually([&] {
    auto n = f.notice("amazon", ext);
    return n && n->getValue<bool>("sent");
  }));
  auto calls = f.told("amazon", ext);
  BOOST_REQUIRE(calls.size() == 1u);
  BOOST_TEST(calls.front()->getValue<std::string>("tracking_number") == shipped->getValue<std::string>("tracking_number"));
  BOOST_TEST(f.channelStatus("amazon")->getValue<int>("fulfilments_sent") == 1);
  // The ship confirmation replayed after the restart changes nothing.
  auto again = f.world.wmsd->post("/api/v1/packing/orders/" + std::to_string(id) + "/ship", "{}", {{"Idempotency-Key", "ship-1"}});
  BOOST_TEST(parse(again)->getValue<bool>("duplicate"));
  BOOST_TEST(f.channelStatus("amazon")->getValue<int>("pending_fulfilments") == 0);
}
