// Pack mode over MQTT against a real wmsd and a real mosquitto: a picked
// order packed, labelled and shipped by a scripted handheld bound to a
// station, every refusal changing nothing, stock decremented exactly once,
// and the station's binding visible to supervisors and to the station's list
// of what is packed and not shipped.
#define BOOST_TEST_MODULE server_pack_mode
#include "FloorFixture.h"

#include "FakePrinter.h"
#include "RealHandheld.h"
#include "wms/channels/Signatures.h"
#include "wms/testsupport/TempDir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace wms;
using namespace wms::testsupport;
using namespace wms::testsupport::floor;

namespace {

// A second handheld, signed in to pack.
std::unique_ptr<ScriptedDevice> packer(Floor& f, std::size_t i, const std::string& badge) {
  auto d = std::make_unique<ScriptedDevice>(f.broker.uri(), f.broker.device(i).username, f.broker.device(i).password);
  protocol::Presence online;
  online.app = "test/1";
  d->send(online);
  protocol::SignIn in;
  in.badge = badge;
  in.mode = protocol::WorkMode::Pack;
  requireApplied(d->ackFor(d->send(in)), "pack sign-in");
  return d;
}

// The order picked by a picker on device 0: released, every stop confirmed.
void pickOrder(Floor& f) {
  auto picker = f.signedIn(0, "B-1");
  BOOST_REQUIRE_EQUAL(f.release().status, 201);
  auto task = nextTask(*picker);
  BOOST_REQUIRE(task);
  pickAll(*picker, *task, {});
}

std::int64_t onHand(Floor& f, const std::string& sku) {
  return f.sqlInteger("SELECT on_hand FROM sku_stock WHERE sku = '" + sku + "'");
}

Poco::JSON::Object::Ptr deviceRow(Floor& f, const std::string& device) {
  auto items = parse(f.wmsd.get("/api/v1/devices").body)->getArray("items");
  for (unsigned i = 0; i < items->size(); ++i) {
    if (items->getObject(i)->getValue<std::string>("device") == device) return items->getObject(i);
  }
  BOOST_FAIL("no device " << device << " in /api/v1/devices");
  return nullptr;
}

// The real wms-handheld, headless, on device `index` in pack mode at
// PACK-7, running `script`.
std::unique_ptr<ChildProcess> packingHandheld(Floor& f, std::size_t index, const std::filesystem::path& dir,
                                              const std::string& script) {
  return realHandheld(f, index, dir, script, {"--mode", "pack", "--station", "PACK-7"});
}

// Scan the order, its two cheeses into one carton, close it, get the label.
std::string packUpToShipping(std::int64_t id) {
  return "wait-online 60\nscan B-2\nwait-for SCAN TOTE OR ORDER 60\nscan SO-" + std::to_string(id) +
         "\nwait-for SCAN ITEMS 60\nscan 96385074\nscan 96385074\nkey close\nwait-for GET LABEL 60\n"
         "key label\nwait-for CONFIRM SHIPPED 60\n";
}

// The packer scans order `id` at PACK-7; the pack task wmsd answers with.
std::optional<protocol::PackTask> requestPack(ScriptedDevice& d, std::int64_t id) {
  protocol::PackRequest request;
  request.orderId = "SO-" + std::to_string(id);
  request.station = "PACK-7";
  requireApplied(d.ackFor(d.send(request)), "pack.request");
  auto task = nextOf<protocol::PackTask>(d);
  BOOST_REQUIRE(task);
  return task;
}

// wmsd's settings for station PACK-7 printing on `printer` as ZEBRA-7.
Settings station7(const labels::test::FakePrinter& printer) {
  return {{"printing.printer.ZEBRA-7.uri", "tcp://127.0.0.1:" + std::to_string(printer.port())},
          {"packing.station.PACK-7.printer", "ZEBRA-7"}};
}

// Waits for the handheld's script to end and checks it ended well with the
// five events of one packed order (signin, pack.request, pack.confirm,
// label.request, ship.confirm) each applied once, none refused, none left.
void requireFiveApplied(ChildProcess& handheld, const std::filesystem::path& dir) {
  requireScriptApplied(handheld, dir, 5);
}

// A pack.short of `qty` units of the task's line for `sku`.
protocol::PackShort shortOf(const protocol::PackTask& task, const std::string& sku, int qty,
                            protocol::PackShortReason reason) {
  protocol::PackShort s;
  s.orderId = task.orderId;
  for (const auto& l : task.lines)
    if (l.sku == sku) s.lines.push_back({l.lineId, l.sku, qty, reason});
  BOOST_REQUIRE_MESSAGE(!s.lines.empty(), "no line of " << sku << " in the pack task");
  return s;
}

// The task's lines as packed in one carton "C1" and confirmed; then the
// label and the shipment. The label.ready's shipment id.
void packLabelShip(ScriptedDevice& d, const protocol::PackTask& task) {
  protocol::PackConfirm c;
  c.orderId = task.orderId;
  c.cartons.push_back({"C1", "S", 600, {}});
  for (const auto& l : task.lines) c.cartons[0].items.push_back({l.sku, l.qty});
  requireApplied(d.ackFor(d.send(c)), "pack.confirm");
  protocol::LabelRequest label;
  label.orderId = task.orderId;
  requireApplied(d.ackFor(d.send(label)), "label.request");
  auto ready = nextOf<protocol::LabelReady>(d);
  BOOST_REQUIRE(ready);
  protocol::ShipConfirm ship;
  ship.orderId = task.orderId;
  ship.shipmentId = ready->shipmentId;
  ship.cartons = {"C1"};
  for (const auto& l : task.lines) ship.lines.push_back({l.lineId, l.sku, l.qty});
  requireApplied(d.ackFor(d.send(ship)), "ship.confirm");
}

std::optional<protocol::Ack> sendFor(ScriptedDevice& d, protocol::Message m) { return d.ackFor(d.send(std::move(m))); }

// The ack's refusal text ("" if it was not refused).
std::string refusal(const std::optional<protocol::Ack>& ack) {
  BOOST_REQUIRE(ack);
  if (ack->result != protocol::AckResult::Rejected || !ack->error) return "";
  return ack->error->message;
}

// A Shopify order (id `id`), as its webhook sends it: `items` its line
// items; `cancelledAt` makes it the cancel that follows.
std::string shopifyOrder(int id, const std::string& items, const std::string& updatedAt,
                         const std::string& cancelledAt = "") {
  return R"({"id":)" + std::to_string(id) + R"(,"created_at":"2026-12-06T08:00:00Z","updated_at":")" + updatedAt +
         "\"" + (cancelledAt.empty() ? "" : R"(,"cancelled_at":")" + cancelledAt + "\"") + R"(,"line_items":[)" + items +
         R"(],"shipping_address":{"name":"Ana Cruz","address1":"1 Jalan Besar","city":"Singapore","zip":"208787",)"
         R"("country_code":"SG"}})";
}

// One Shopify line item of `qty` units of `sku` (its own SKU on Shopify too).
std::string shopifyItem(int id, const std::string& sku, int qty) {
  return R"({"id":)" + std::to_string(id) + R"(,"variant_id":null,"sku":")" + sku + R"(","quantity":)" +
         std::to_string(qty) + R"(,"requires_shipping":true})";
}

// wmsd's settings for Shopify pointed at a closed port (its pushes wait and
// retry; what it would be told stays listed at /fulfilments), on top of
// `settings`.
Settings withShopify(Settings settings) {
  settings.insert({{"channels.shopify.enabled", "true"},
                   {"channels.shopify.api_base", "http://127.0.0.1:" + std::to_string(labels::test::closedPort())},
                   {"channels.shopify.secret", "pack-test-secret"},
                   {"channels.shopify.access_token", "shpat_test"},
                   {"channels.shopify.location_id", "1"}});
  return settings;
}

// Posts a Shopify webhook signed with the floor's secret; the hub's answer.
Poco::JSON::Object::Ptr shopifyWebhook(Floor& f, const std::string& topic, const std::string& body) {
  auto r = f.wmsd.post("/api/v1/channels/shopify/webhooks", body,
                       {{"Content-Type", "application/json"},
                        {"X-Shopify-Topic", topic},
                        {"X-Shopify-Hmac-Sha256", channels::shopifyWebhookSignature("pack-test-secret", body)}});
  BOOST_REQUIRE_MESSAGE(r.status == 200, r.status << " " << r.body);
  return parse(r.body);
}

// Shopify sends order `shopifyId` with `items` (SKUs mapped to ours first);
// our order id.
std::int64_t shopifyCreates(Floor& f, int shopifyId, const std::string& items, const std::vector<std::string>& skus) {
  for (const auto& sku : skus) {
    auto mapped = httpRequest(f.wmsd.port(), "PUT", "/api/v1/channels/shopify/sku-map/" + sku,
                              R"({"sku":")" + sku + R"("})", {{"Content-Type", "application/json"}});
    BOOST_REQUIRE_MESSAGE(mapped.status < 300, mapped.body);
  }
  auto created = shopifyWebhook(f, "orders/create", shopifyOrder(shopifyId, items, "2026-12-06T08:00:00Z"));
  BOOST_REQUIRE_EQUAL(created->getValue<std::string>("result"), "created");
  return created->getValue<std::int64_t>("order_id");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pack_mode)

BOOST_AUTO_TEST_CASE(a_handheld_at_a_station_packs_labels_and_ships_an_order_and_stock_falls_once) {
  // Two printers: the default one is off; PACK-7's is on. The label coming
  // out of PACK-7's shows the device's station chose the printer.
  labels::test::FakePrinter station7;
  Floor f({{"printing.printer.ZEBRA-1.uri", "tcp://127.0.0.1:" + std::to_string(labels::test::closedPort())},
           {"printing.printer.ZEBRA-7.uri", "tcp://127.0.0.1:" + std::to_string(station7.port())},
           {"printing.default_printer", "ZEBRA-1"},
           {"packing.station.PACK-7.printer", "ZEBRA-7"}});
  const auto id = f.order("PACK-MQTT-1", R"({"sku":"CHEESE","qty":2},{"sku":"DATES","qty":1})");
  pickOrder(f);
  BOOST_REQUIRE_EQUAL(f.orderStatus(id), "picked");
  const auto cheese = onHand(f, "CHEESE"), dates = onHand(f, "DATES");

  auto d = packer(f, 1, "B-2");
  const std::string device = f.broker.device(1).username;
  auto task = requestPack(*d, id);
  BOOST_TEST(task->orderId == std::to_string(id));
  BOOST_REQUIRE_EQUAL(task->lines.size(), 2u);

  // The supervisor sees the packer at the station.
  auto row = deviceRow(f, device);
  BOOST_TEST(row->getValue<std::string>("mode") == "pack");
  BOOST_TEST(row->getValue<std::string>("station") == "PACK-7");

  // Refused, nothing changes: an item the order does not have, a unit too many.
  auto confirm = [&](std::vector<protocol::PackItem> items) {
    protocol::PackConfirm c;
    c.orderId = std::to_string(id);
    c.cartons.push_back({"C1", "S", 600, std::move(items)});
    return d->ackFor(d->send(c));
  };
  auto wrong = confirm({{"CHEESE", 2}, {"DATES", 1}, {"BREAD", 1}});
  BOOST_REQUIRE(wrong);
  BOOST_TEST((wrong->result == protocol::AckResult::Rejected));
  BOOST_TEST(wrong->error->message.find("BREAD") != std::string::npos, wrong->error->message);
  auto tooMany = confirm({{"CHEESE", 3}, {"DATES", 1}});
  BOOST_REQUIRE(tooMany);
  BOOST_TEST((tooMany->result == protocol::AckResult::Rejected));
  BOOST_TEST(f.orderStatus(id) == "picked");
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM cartons") == 0);

  requireApplied(confirm({{"CHEESE", 2}, {"DATES", 1}}), "pack.confirm");
  BOOST_TEST(f.orderStatus(id) == "packed");
  // The station's list has it, and says what is missing.
  auto listed = parse(f.wmsd.get("/api/v1/packing/unshipped?station=PACK-7").body)->getArray("orders");
  BOOST_REQUIRE_EQUAL(listed->size(), 1u);
  BOOST_TEST(listed->getObject(0)->getValue<std::int64_t>("order_id") == id);
  BOOST_TEST(listed->getObject(0)->getValue<std::string>("reason").find("no shipment was booked") != std::string::npos);

  // Another station cannot pack it again.
  auto again = confirm({{"CHEESE", 2}, {"DATES", 1}});
  BOOST_REQUIRE(again);
  BOOST_TEST((again->result == protocol::AckResult::Rejected));

  protocol::LabelRequest label;
  label.orderId = std::to_string(id);
  requireApplied(d->ackFor(d->send(label)), "label.request");
  auto ready = nextOf<protocol::LabelReady>(*d);
  BOOST_REQUIRE(ready);
  BOOST_TEST(!ready->tracking.empty());
  BOOST_TEST(ready->printer.value_or("") == "ZEBRA-7");
  BOOST_REQUIRE(station7.waitForJobs(1, std::chrono::seconds(20)));
  BOOST_TEST(station7.jobs().front().find("^XA") != std::string::npos);

  protocol::ShipConfirm ship;
  ship.orderId = std::to_string(id);
  ship.shipmentId = ready->shipmentId;
  ship.cartons = {"C1"};
  for (const auto& l : task->lines) ship.lines.push_back({l.lineId, l.sku, l.qty});
  const auto shipEvent = d->send(ship);
  requireApplied(d->ackFor(shipEvent), "ship.confirm");
  BOOST_TEST(f.orderStatus(id) == "shipped");
  BOOST_TEST(onHand(f, "CHEESE") == cheese - 2);
  BOOST_TEST(onHand(f, "DATES") == dates - 1);
  // The same event again (a resend): a duplicate, stock unchanged.
  protocol::ShipConfirm resend = ship;
  resend.eventId = shipEvent;
  auto resent = d->ackFor(d->send(resend));
  BOOST_REQUIRE(resent);
  BOOST_TEST((resent->result == protocol::AckResult::Duplicate));
  BOOST_TEST(onHand(f, "CHEESE") == cheese - 2);
  BOOST_TEST(parse(f.wmsd.get("/api/v1/packing/unshipped?station=PACK-7").body)->getArray("orders")->size() == 0u);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE cause = 'ship' AND actor LIKE 'device:" + device + "%'") >= 2);

  // Signing out unbinds the device from the station.
  requireApplied(d->ackFor(d->send(protocol::SignOut{})), "signout");
  BOOST_TEST(deviceRow(f, device)->isNull("station"));
}

// An order split over three cartons: one label per carton on the station's
// printer, each carton its own SSCC, and the shipment ships them together.
// A packing station's firmware bridge (wms-fwbridge) sends its wedge reads
// as station.scan: each is applied once and waits for the station's page,
// which takes it once (POST .../stations/{station}/scans/take). A read for a
// station id wmsd cannot have is refused and changes nothing.
BOOST_AUTO_TEST_CASE(a_bridges_station_scans_wait_for_the_stations_page_and_are_taken_once) {
  Floor f;
  ScriptedDevice bridge(f.broker.uri(), f.broker.device(1).username, f.broker.device(1).password);
  protocol::StationScan gs1;
  gs1.station = "PACK-7";
  gs1.barcode = "0109501101530003\x1d" "10LOT42";
  gs1.symbology = "]C1";
  const auto first = bridge.send(gs1);
  requireApplied(bridge.ackFor(first), "station.scan");
  protocol::StationScan again = gs1;
  again.eventId = first;
  auto duplicate = bridge.ackFor(bridge.send(again));
  BOOST_REQUIRE(duplicate);
  BOOST_TEST((duplicate->result == protocol::AckResult::Duplicate));
  protocol::StationScan tote;
  tote.station = "PACK-7";
  tote.barcode = "T-9";
  requireApplied(bridge.ackFor(bridge.send(tote)), "station.scan of a tote");
  protocol::StationScan bad;
  bad.station = "PACK/7";
  bad.barcode = "T-9";
  const auto why = refusal(sendFor(bridge, bad));
  BOOST_TEST(why.find("station 'PACK/7' must be 1 to 64 of [A-Za-z0-9_.:-]") != std::string::npos, why);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM station_scans") == 2);

  const std::string take = "/api/v1/packing/stations/PACK-7/scans/take";
  auto taken = f.wmsd.post(take, R"({"page":"page-1"})");
  BOOST_REQUIRE_EQUAL(taken.status, 200);
  auto body = parse(taken.body);
  auto scans = body->getArray("scans");
  BOOST_REQUIRE_EQUAL(scans->size(), 2u);
  // GS1 data read as GS1 by the page: its AIM identifier leads the text.
  BOOST_TEST(scans->getObject(0)->getValue<std::string>("text") == "]C10109501101530003\x1d" "10LOT42");
  BOOST_TEST(scans->getObject(0)->getValue<std::string>("device") == bridge.id());
  BOOST_TEST(scans->getObject(1)->getValue<std::string>("text") == "T-9");
  BOOST_TEST(body->getValue<int>("expired") == 0);
  // Taken once: another page at the station, or the same one again, gets none.
  BOOST_TEST(parse(f.wmsd.post(take, R"({"page":"page-2"})").body)->getArray("scans")->size() == 0u);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM station_scans WHERE state = 'taken' AND taken_by = 'page-1'") == 2);

  // What a page sends is checked too: named, nothing changed.
  auto badStation = f.wmsd.post("/api/v1/packing/stations/PACK!7/scans/take", "{}");
  BOOST_TEST(badStation.status == 404);
  BOOST_TEST(badStation.body.find("no packing station") != std::string::npos, badStation.body);
  BOOST_TEST(f.wmsd.post(take, R"({"page":"a b"})").status == 422);
  BOOST_TEST(f.wmsd.post(take, R"({"pager":"x"})").status == 422);
  BOOST_TEST(f.wmsd.post(take, "[1]").status == 400);
}

// The whole way of a wedge read: a station's scanner (a recorded evdev
// stream through a FIFO) read by the real wms-fwbridge, published over the
// real broker, applied by wmsd and taken by the station's page.
BOOST_AUTO_TEST_CASE(the_real_bridges_wedge_reads_reach_the_stations_page) {
  Floor f;
  TempDir dir("pack-bridge");
  const std::string fifo = (dir.path() / "event0").string();
  BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto& account = f.broker.device(3);
  writeFile(dir.path() / "password", account.password + "\n");
  writeFile(dir.path() / "fwbridge.conf", "socket = " + (dir.path() / "bridge.sock").string() + "\nwedge = " + fifo +
                                              "\nbroker = " + f.broker.uri() + "\ndevice = " + account.username +
                                              "\nstation = PACK-7\npassword_file = " +
                                              (dir.path() / "password").string() + "\n");
  ChildProcess bridge({WMS_FWBRIDGE_BINARY, "--config", (dir.path() / "fwbridge.conf").string()},
                      ChildProcess::Options{{}, dir.path() / "bridge.log", {}});
  {
    const std::string bytes = readFile(std::string(WMS_FWBRIDGE_FIXTURES) + "/evdev/us-two-reads.bin");
    BOOST_REQUIRE(!bytes.empty());
    const int w = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);  // waits for the bridge to open it
    BOOST_REQUIRE(w >= 0);
    BOOST_REQUIRE(::write(w, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    ::close(w);
  }
  std::vector<std::string> texts;
  for (int i = 0; i < 300 && texts.size() < 2; ++i) {
    auto taken = f.wmsd.post("/api/v1/packing/stations/PACK-7/scans/take", R"({"page":"page-7"})");
    BOOST_REQUIRE_EQUAL(taken.status, 200);
    auto scans = parse(taken.body)->getArray("scans");
    for (unsigned k = 0; k < scans->size(); ++k) texts.push_back(scans->getObject(k)->getValue<std::string>("text"));
    if (texts.size() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_REQUIRE_MESSAGE(texts.size() == 2u, readFile(dir.path() / "bridge.log"));
  BOOST_TEST(texts[0] == "]C10109501101530003\x1d" "10LOT42");
  BOOST_TEST(texts[1] == "TOTE-17");
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM station_scans WHERE device = '" + account.username + "'") == 2);
  BOOST_TEST(ChildProcess::exitCode(bridge.stop()) == 0);
}

BOOST_AUTO_TEST_CASE(an_order_packed_in_three_cartons_gets_three_labels_and_three_ssccs) {
  labels::test::FakePrinter printer;
  Floor f(station7(printer));
  const auto id = f.order("PACK-MQTT-3", R"({"sku":"CHEESE","qty":2},{"sku":"DATES","qty":1},{"sku":"EGGS","qty":1})");
  pickOrder(f);
  BOOST_REQUIRE_EQUAL(f.orderStatus(id), "picked");
  const auto eggs = onHand(f, "EGGS");

  auto d = packer(f, 1, "B-2");
  auto task = requestPack(*d, id);

  protocol::PackConfirm c;
  c.orderId = std::to_string(id);
  c.cartons.push_back({"C1", "S", 500, {{"CHEESE", 2}}});
  c.cartons.push_back({"C2", "S", 150, {{"DATES", 1}}});
  c.cartons.push_back({"C3", "S", 100, {{"EGGS", 1}}});
  requireApplied(d->ackFor(d->send(c)), "pack.confirm");
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM cartons WHERE order_id = " + std::to_string(id)) == 3);

  protocol::LabelRequest label;
  label.orderId = std::to_string(id);
  requireApplied(d->ackFor(d->send(label)), "label.request");
  auto ready = nextOf<protocol::LabelReady>(*d);
  BOOST_REQUIRE(ready);
  BOOST_REQUIRE(printer.waitForJobs(3, std::chrono::seconds(30)));
  BOOST_TEST(printer.jobs().size() == 3u);  // one label per carton
  BOOST_TEST(f.sqlInteger("SELECT COUNT(DISTINCT sscc) FROM cartons WHERE order_id = " + std::to_string(id) +
                          " AND length(sscc) = 18") == 3);
  // Each label says which carton of the three it is, once each.
  std::set<std::string> counted;
  for (const auto& job : printer.jobs()) {
    for (int n = 1; n <= 3; ++n) {
      const std::string mark = "CARTON " + std::to_string(n) + " OF 3";
      if (job.find(mark) != std::string::npos) counted.insert(mark);
    }
  }
  BOOST_TEST(counted.size() == 3u);

  protocol::ShipConfirm ship;
  ship.orderId = std::to_string(id);
  ship.shipmentId = ready->shipmentId;
  ship.cartons = {"C1", "C2", "C3"};
  for (const auto& l : task->lines) ship.lines.push_back({l.lineId, l.sku, l.qty});
  requireApplied(d->ackFor(d->send(ship)), "ship.confirm");
  BOOST_TEST(f.orderStatus(id) == "shipped");
  BOOST_TEST(onHand(f, "EGGS") == eggs - 1);
}

// The real wms-handheld, headless, in pack mode at PACK-7: it scans the
// order, scans each unit into a carton, closes it, gets the label from the
// station's printer and confirms the shipment; wmsd applies each event once.
BOOST_AUTO_TEST_CASE(the_real_handheld_packs_labels_and_ships_an_order_at_its_station) {
  labels::test::FakePrinter printer;
  Floor f(station7(printer));
  const auto id = f.order("PACK-HH-1", R"({"sku":"CHEESE","qty":2})");
  pickOrder(f);
  BOOST_REQUIRE_EQUAL(f.orderStatus(id), "picked");
  const auto cheese = onHand(f, "CHEESE");

  TempDir dir;
  auto handheld = packingHandheld(f, 2, dir.path(),
                                  packUpToShipping(id) + "enter\nwait-for SCAN TOTE OR ORDER 60\nwait-synced 60\nstats\n");
  requireFiveApplied(*handheld, dir.path());
  BOOST_TEST(f.orderStatus(id) == "shipped");
  BOOST_TEST(onHand(f, "CHEESE") == cheese - 2);
  BOOST_REQUIRE(printer.waitForJobs(1, std::chrono::seconds(30)));
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM pack_sessions WHERE station = 'PACK-7' AND order_id = " +
                          std::to_string(id)) == 1);
}

// PACK-7's printer is off when the packer asks for the label: the label is
// booked and waits, the job says why, and it prints once the printer is on;
// the packer ships meanwhile.
BOOST_AUTO_TEST_CASE(a_label_for_a_printer_that_is_off_waits_and_prints_when_it_comes_back) {
  const std::uint16_t port = labels::test::closedPort();
  Floor f({{"printing.printer.ZEBRA-7.uri", "tcp://127.0.0.1:" + std::to_string(port)},
           {"packing.station.PACK-7.printer", "ZEBRA-7"},
           {"printing.initial_backoff_ms", "50"},
           {"printing.max_backoff_ms", "200"},
           {"printing.max_attempts", "1000"}});
  const auto id = f.order("PACK-OFF-1", R"({"sku":"DATES","qty":1})");
  pickOrder(f);
  auto d = packer(f, 1, "B-2");
  auto task = requestPack(*d, id);
  protocol::PackConfirm c;
  c.orderId = std::to_string(id);
  c.cartons.push_back({"C1", "S", 150, {{"DATES", 1}}});
  requireApplied(d->ackFor(d->send(c)), "pack.confirm");
  protocol::LabelRequest label;
  label.orderId = std::to_string(id);
  requireApplied(d->ackFor(d->send(label)), "label.request");
  auto ready = nextOf<protocol::LabelReady>(*d);
  BOOST_REQUIRE(ready);
  BOOST_TEST(ready->printer.value_or("") == "ZEBRA-7");

  // The job waits for the printer and says so.
  const std::string jobs = "/api/v1/packing/shipments/" + ready->shipmentId + "/print-jobs";
  // The job is made just after the label.request commits: "" until then.
  auto job = [&]() -> Poco::JSON::Object::Ptr {
    auto items = parse(f.wmsd.get(jobs).body)->getArray("items");
    return items->size() > 0 ? items->getObject(0) : nullptr;
  };
  auto jobState = [&] { auto j = job(); return j ? j->getValue<std::string>("state") : std::string(); };
  std::string state;
  for (int i = 0; i < 200 && (state = jobState()) != "waiting"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_REQUIRE_EQUAL(state, "waiting");
  BOOST_TEST(job()->getValue<std::string>("message").find("waiting for printer ZEBRA-7") == 0u,
             job()->getValue<std::string>("message"));

  labels::test::FakePrinter printer(labels::test::FakePrinter::Mode::Record, std::string(), port);
  BOOST_REQUIRE(printer.waitForJobs(1, std::chrono::seconds(30)));
  for (int i = 0; i < 200 && (state = jobState()) != "printed"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(state == "printed");

  protocol::ShipConfirm ship;
  ship.orderId = std::to_string(id);
  ship.shipmentId = ready->shipmentId;
  ship.cartons = {"C1"};
  for (const auto& l : task->lines) ship.lines.push_back({l.lineId, l.sku, l.qty});
  requireApplied(d->ackFor(d->send(ship)), "ship.confirm");
  BOOST_TEST(f.orderStatus(id) == "shipped");
  BOOST_TEST(printer.jobs().size() == 1u);  // printed once, though tried many times
}

// The broker goes away after the label is printed: the packer confirms the
// shipment anyway, the handheld keeps it in its outbox, and once the broker
// is back wmsd applies it, once.
BOOST_AUTO_TEST_CASE(a_shipment_confirmed_while_offline_arrives_later_and_is_applied_once) {
  labels::test::FakePrinter printer;
  Floor f(station7(printer));
  const auto id = f.order("PACK-HH-2", R"({"sku":"CHEESE","qty":2})");
  pickOrder(f);
  const auto cheese = onHand(f, "CHEESE");

  TempDir dir;
  const auto signal = [&](const char* name) { return (dir.path() / name).string(); };
  auto handheld = packingHandheld(
      f, 2, dir.path(),
      packUpToShipping(id) + "signal " + signal("labelled") + "\nawait-file " + signal("broker-down") +
          " 60\nenter\nwait-for SCAN TOTE OR ORDER 30\nwait-for OFFLINE 30\nstats\nsignal " + signal("shipped") +
          "\nawait-file " + signal("broker-up") + " 60\nwait-synced 90\nstats\n");
  BOOST_REQUIRE_MESSAGE(awaitSignal(signal("labelled"), *handheld), handheldOutput(dir.path()));
  f.broker.stop();
  writeFile(signal("broker-down"), "");
  BOOST_REQUIRE_MESSAGE(awaitSignal(signal("shipped"), *handheld), handheldOutput(dir.path()));
  // Confirmed on the handheld, not yet in wmsd.
  BOOST_TEST(f.orderStatus(id) == "packed");
  BOOST_TEST(onHand(f, "CHEESE") == cheese);
  f.broker.start();
  writeFile(signal("broker-up"), "");
  requireFiveApplied(*handheld, dir.path());
  BOOST_TEST(f.orderStatus(id) == "shipped");
  BOOST_TEST(onHand(f, "CHEESE") == cheese - 2);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM device_events WHERE type = 'ship.confirm'") == 1);
}

// A cheese is damaged at packing: the handheld's pack.short takes it off
// the stock and holds the order (nothing ships less silently); refusals
// change nothing; once the supervisor says to pack what is left, the rest
// ships and the channel hears what shipped.
BOOST_AUTO_TEST_CASE(a_unit_short_at_packing_holds_the_order_until_a_supervisor_packs_what_is_left) {
  labels::test::FakePrinter printer;
  Floor f(withShopify(station7(printer)));
  const auto id = shopifyCreates(f, 820002, shopifyItem(1, "CHEESE", 2) + "," + shopifyItem(2, "DATES", 1), {"CHEESE", "DATES"});
  pickOrder(f);
  BOOST_REQUIRE_EQUAL(f.orderStatus(id), "picked");
  const auto cheese = onHand(f, "CHEESE"), dates = onHand(f, "DATES");
  const auto ledgerRows = f.sqlInteger("SELECT COUNT(*) FROM ledger");

  auto d = packer(f, 1, "B-2");
  auto task = requestPack(*d, id);

  // Refused, nothing changes: more than the line has, a line the order has not.
  BOOST_TEST(refusal(sendFor(*d, shortOf(*task, "CHEESE", 3, protocol::PackShortReason::Damaged)))
                 .find("3 short but only 2 picked to pack") != std::string::npos);
  auto stranger = shortOf(*task, "CHEESE", 1, protocol::PackShortReason::Damaged);
  stranger.lines[0].lineId = "SO-" + std::to_string(id) + "-9";
  BOOST_TEST(refusal(sendFor(*d, stranger)).find("has no line 9") != std::string::npos);
  BOOST_TEST(f.orderStatus(id) == "picked");
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger") == ledgerRows);

  requireApplied(sendFor(*d, shortOf(*task, "CHEESE", 1, protocol::PackShortReason::Damaged)), "pack.short");
  BOOST_TEST(f.orderStatus(id) == "held");
  BOOST_TEST(onHand(f, "CHEESE") == cheese - 1);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE cause = 'damage' AND sku = 'CHEESE' AND actor LIKE 'device:" +
                          f.broker.device(1).username + "%'") == 1);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM exceptions WHERE kind = 'pack_short' AND resolved_at = 0 AND "
                          "reference = 'order:" + std::to_string(id) + "'") == 1);
  // Held, it is neither packed nor reported short again.
  protocol::PackConfirm all;
  all.orderId = task->orderId;
  all.cartons.push_back({"C1", "S", 600, {{"CHEESE", 1}, {"DATES", 1}}});
  BOOST_TEST(refusal(sendFor(*d, all)).find("is held: short at packing at PACK-7") != std::string::npos);
  BOOST_TEST(refusal(sendFor(*d, shortOf(*task, "DATES", 1, protocol::PackShortReason::Missing))).find("held") !=
             std::string::npos);

  // The supervisor decides: pack what is left.
  auto left = f.wmsd.post("/api/v1/packing/orders/" + std::to_string(id) + "/pack-what-is-left", "{}");
  BOOST_REQUIRE_MESSAGE(left.status == 200, left.body);
  BOOST_TEST(f.orderStatus(id) == "picked");
  auto rest = requestPack(*d, id);
  BOOST_REQUIRE_EQUAL(rest->lines.size(), 2u);
  for (const auto& l : rest->lines) BOOST_TEST(l.qty == 1, l.sku);
  packLabelShip(*d, *rest);
  BOOST_TEST(f.orderStatus(id) == "shipped");
  BOOST_TEST(onHand(f, "CHEESE") == cheese - 2);  // one damaged, one shipped
  BOOST_TEST(onHand(f, "DATES") == dates - 1);
  // The channel is told what shipped: one cheese, not two.
  auto items = parse(f.wmsd.get("/api/v1/channels/shopify/fulfilments").body)->getArray("items");
  BOOST_REQUIRE_EQUAL(items->size(), 1u);
  auto lines = items->getObject(0)->getArray("lines");
  std::map<std::string, std::int64_t> told;
  for (unsigned i = 0; i < lines->size(); ++i)
    told[lines->getObject(i)->getValue<std::string>("sku")] += lines->getObject(i)->getValue<std::int64_t>("qty");
  BOOST_TEST(told["CHEESE"] == 1);
  BOOST_TEST(told["DATES"] == 1);
  BOOST_TEST(parse(f.wmsd.get("/api/v1/audit").body)->getValue<bool>("ok"), f.wmsd.get("/api/v1/audit").body);
}

// The real handheld: the packer scans one cheese of two and presses S
// twice; the other is reported missing, the order is held, and the app
// moves on.
BOOST_AUTO_TEST_CASE(the_real_handheld_reports_a_missing_unit_and_the_order_is_held) {
  Floor f;
  const auto id = f.order("PACK-HH-SHORT", R"({"sku":"CHEESE","qty":2})");
  pickOrder(f);
  const auto cheese = onHand(f, "CHEESE");
  TempDir dir;
  auto handheld = packingHandheld(f, 2, dir.path(),
                                  "wait-online 60\nscan B-2\nwait-for SCAN TOTE OR ORDER 60\nscan SO-" +
                                      std::to_string(id) +
                                      "\nwait-for SCAN ITEMS 60\nscan 96385074\nkey short\nkey short\n"
                                      "wait-synced 60\nstats\n");
  auto exit = handheld->wait(std::chrono::seconds(150));
  const std::string out = handheldOutput(dir.path());
  BOOST_REQUIRE_MESSAGE(exit && ChildProcess::exitCode(*exit) == 0, out);
  auto stats = lastStats(out);
  BOOST_TEST(stats->getValue<int>("applied") == 3, out);  // signin, pack.request, pack.short
  BOOST_TEST(stats->getValue<int>("rejected") == 0, out);
  BOOST_TEST(f.orderStatus(id) == "held");
  BOOST_TEST(onHand(f, "CHEESE") == cheese - 1);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE cause = 'adjustment' AND sku = 'CHEESE' AND "
                          "note LIKE 'missing at packing%'") == 1);
}

// Shopify cancels the order while the packer has it on the handheld: the
// hub intercepts it (held, do not ship), and the packer's pack.confirm and
// pack.short are refused saying so; the stock and the tote are untouched
// until a supervisor puts the units back.
BOOST_AUTO_TEST_CASE(an_order_its_channel_cancels_while_it_is_packed_is_refused_and_nothing_changes) {
  Floor f(withShopify({}));
  const auto id = shopifyCreates(f, 820001, shopifyItem(1, "CHEESE", 2), {"CHEESE"});
  pickOrder(f);
  BOOST_REQUIRE_EQUAL(f.orderStatus(id), "picked");
  const auto cheese = onHand(f, "CHEESE");

  auto d = packer(f, 1, "B-2");
  auto task = requestPack(*d, id);
  auto cancelled = shopifyWebhook(f, "orders/cancelled", shopifyOrder(820001, shopifyItem(1, "CHEESE", 2),
                                                                      "2026-12-06T09:00:00Z", "2026-12-06T09:00:00Z"));
  BOOST_TEST(cancelled->getValue<std::string>("result") == "intercepted");
  BOOST_TEST(f.orderStatus(id) == "held");

  protocol::PackConfirm all;
  all.orderId = task->orderId;
  all.cartons.push_back({"C1", "S", 600, {{"CHEESE", 2}}});
  const std::string why = refusal(sendFor(*d, all));
  BOOST_TEST(why.find("intercepted (cancelled on shopify)") != std::string::npos, why);
  BOOST_TEST(refusal(sendFor(*d, shortOf(*task, "CHEESE", 1, protocol::PackShortReason::Damaged))).find("held") !=
             std::string::npos);
  BOOST_TEST(f.orderStatus(id) == "held");
  BOOST_TEST(onHand(f, "CHEESE") == cheese);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM cartons") == 0);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE cause IN ('ship', 'damage', 'adjustment')") == 0);
  // The two cheeses wait in the tote for a supervisor to put them back.
  BOOST_TEST(f.sqlInteger("SELECT COALESCE(SUM(qty), 0) FROM stock WHERE sku = 'CHEESE' AND location LIKE 'TOTE-%'") == 2);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM exceptions WHERE kind = 'channel_cancel_after_pick' AND resolved_at = 0") == 1);
  BOOST_TEST(parse(f.wmsd.get("/api/v1/channels/shopify/fulfilments").body)->getArray("items")->size() == 0u);
}

// The real handheld packs an order into three cartons with PACK-7's printer
// off: a wrong item is refused on the screen, each carton is closed, the
// label.ready comes though nothing printed yet, the order ships; when the
// printer comes on, the three labels (CARTON n OF 3) print, once each.
BOOST_AUTO_TEST_CASE(the_real_handheld_packs_three_cartons_while_the_printer_is_off_and_the_labels_follow) {
  const std::uint16_t port = labels::test::closedPort();
  Floor f({{"printing.printer.ZEBRA-7.uri", "tcp://127.0.0.1:" + std::to_string(port)},
           {"packing.station.PACK-7.printer", "ZEBRA-7"},
           {"printing.initial_backoff_ms", "50"},
           {"printing.max_backoff_ms", "200"},
           {"printing.max_attempts", "1000"}});
  const auto id = f.order("PACK-HH-3", R"({"sku":"CHEESE","qty":2},{"sku":"BREAD","qty":1},{"sku":"APPLE","qty":1})");
  pickOrder(f);
  BOOST_REQUIRE_EQUAL(f.orderStatus(id), "picked");
  const auto bread = onHand(f, "BREAD");

  TempDir dir;
  auto handheld = packingHandheld(
      f, 2, dir.path(),
      "wait-online 60\nscan B-2\nwait-for SCAN TOTE OR ORDER 60\nscan SO-" + std::to_string(id) +
          "\nwait-for SCAN ITEMS 60\nscan EGGS\nexpect wrong item\nscan 96385074\nscan 96385074\nkey close\n"
          "scan 036000291452\nkey close\nscan 4006381333931\nkey close\nwait-for GET LABEL 60\nkey label\n"
          "wait-for CONFIRM SHIPPED 60\nenter\nwait-for SCAN TOTE OR ORDER 60\nwait-synced 60\nstats\n");
  requireFiveApplied(*handheld, dir.path());
  BOOST_TEST(f.orderStatus(id) == "shipped");
  BOOST_TEST(onHand(f, "BREAD") == bread - 1);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(DISTINCT sscc) FROM cartons WHERE order_id = " + std::to_string(id) +
                          " AND length(sscc) = 18") == 3);

  labels::test::FakePrinter printer(labels::test::FakePrinter::Mode::Record, std::string(), port);
  BOOST_REQUIRE(printer.waitForJobs(3, std::chrono::seconds(60)));
  std::set<std::string> counted;
  for (const auto& job : printer.jobs())
    for (int n = 1; n <= 3; ++n)
      if (job.find("CARTON " + std::to_string(n) + " OF 3") != std::string::npos) counted.insert(std::to_string(n));
  BOOST_TEST(counted.size() == 3u);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  BOOST_TEST(printer.jobs().size() == 3u);  // once each, though tried many times
}

// Shopify cancels the order while the real handheld is scanning it: the
// handheld's pack.confirm is refused saying why, the screen tells the packer
// to see the supervisor, and nothing was packed or shipped.
BOOST_AUTO_TEST_CASE(the_real_handheld_is_told_when_the_channel_cancels_the_order_it_is_packing) {
  labels::test::FakePrinter printer;
  Floor f(withShopify(station7(printer)));
  const auto id = shopifyCreates(f, 820003, shopifyItem(1, "CHEESE", 2), {"CHEESE"});
  pickOrder(f);
  BOOST_REQUIRE_EQUAL(f.orderStatus(id), "picked");
  const auto cheese = onHand(f, "CHEESE");

  TempDir dir;
  const auto started = dir.path() / "started";
  const auto go = dir.path() / "go";
  auto handheld = packingHandheld(f, 2, dir.path(),
                                  "wait-online 60\nscan B-2\nwait-for SCAN TOTE OR ORDER 60\nscan SO-" +
                                      std::to_string(id) + "\nwait-for SCAN ITEMS 60\nscan 96385074\nsignal " +
                                      started.string() + "\nawait-file " + go.string() +
                                      " 90\nscan 96385074\nkey close\nwait-for tell your supervisor 60\n"
                                      "wait-synced 60\nstats\n");
  BOOST_REQUIRE_MESSAGE(awaitSignal(started, *handheld), handheldOutput(dir.path()));
  auto cancelled = shopifyWebhook(f, "orders/cancelled", shopifyOrder(820003, shopifyItem(1, "CHEESE", 2),
                                                                      "2026-12-06T09:00:00Z", "2026-12-06T09:00:00Z"));
  BOOST_TEST(cancelled->getValue<std::string>("result") == "intercepted");
  writeFile(go, "go");

  auto exit = handheld->wait(std::chrono::seconds(150));
  const std::string out = handheldOutput(dir.path());
  BOOST_REQUIRE_MESSAGE(exit && ChildProcess::exitCode(*exit) == 0, out);
  BOOST_TEST(out.find("intercepted (cancelled on shopify)") != std::string::npos, out);
  auto stats = lastStats(out);
  BOOST_TEST(stats->getValue<int>("applied") == 2, out);   // signin, pack.request
  BOOST_TEST(stats->getValue<int>("rejected") == 1, out);  // pack.confirm
  BOOST_TEST(f.orderStatus(id) == "held");
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM cartons") == 0);
  BOOST_TEST(onHand(f, "CHEESE") == cheese);
  BOOST_TEST(printer.jobs().empty());
}

BOOST_AUTO_TEST_SUITE_END()
