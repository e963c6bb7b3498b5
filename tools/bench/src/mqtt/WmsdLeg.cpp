#include "WmsdLeg.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <random>
#include <stdexcept>

#include "wms/domain/Catalog.h"
#include "wms/gs1/Gs1.h"
#include "wms/layouts/LayoutLoader.h"
#include "wms/protocol/Codec.h"
#include "wms/testsupport/WmsdProcess.h"

namespace wms::bench::mqtt {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& body) {
  Poco::JSON::Parser p;
  return p.parse(body).extract<Poco::JSON::Object::Ptr>();
}

void require(const testsupport::HttpResult& r, const std::string& what) {
  if (r.status >= 300) throw std::runtime_error(what + ": HTTP " + std::to_string(r.status) + " " + r.body);
}

struct PlannedStop {
  std::string stopId, location, barcode;
  int qty = 0;
  std::vector<protocol::TotePut> puts;
};

}  // namespace

WmsdLeg runThroughWmsd(const WmsdLegOptions& o, FleetOptions saturated, FleetOptions paced) {
  const std::string layoutFile = std::string(WMS_SOURCE_DIR) + "/layouts/samples/dc-single-block.json";
  auto layout = layouts::loadLayout(layoutFile);
  if (!layout) throw std::runtime_error(layout.error().message);

  const int devices = static_cast<int>(o.devices.size());
  const int ordersPerDevice = std::max(1, o.stopsPerDevice / 2);
  testsupport::WmsdProcess::Options wo;
  wo.settings = {{"mqtt.uri", o.brokerUri},
                 {"mqtt.username", o.server.username},
                 {"mqtt.password", o.server.password},
                 {"waves.layout", layoutFile},
                 {"waves.cart_totes", std::to_string(std::min(64, ordersPerDevice))},
                 {"waves.tote_max_units", "0"},
                 {"waves.tote_max_volume_cm3", "0"},
                 {"waves.tote_max_weight_g", "0"},
                 {"waves.method", "fcfs"},
                 {"waves.tote_pool", std::to_string(devices * ordersPerDevice + 100)},
                 {"waves.auto_check_s", "3600"},
                 {"store.durability", o.durability},
                 {"log.level", "warning"}};
  std::cerr << "mqtt bench: starting wmsd (store durability " << o.durability << ")\n";
  // Credentials (docs/security.md): WmsdProcess makes its account and token
  // with `wmsd --issue-token` on the database before the start and sends
  // the token (Authorization: Bearer) on every get() and post() below.
  testsupport::WmsdProcess wmsd(wo);

  // A catalogue large enough that the stops of one cart rarely share a shelf.
  std::cerr << "mqtt bench: loading the floor\n";
  std::string locations = "code,zone,kind\n", catalogue = "sku,description,barcodes\n", stock = "sku,location,qty\n";
  std::vector<std::string> barcodes;
  const int skus = 1500;
  int i = 0;
  for (const auto& l : layout->locations()) {
    if (i >= skus) break;
    locations += l.code + ",A,pick\n";
    char body[16];
    std::snprintf(body, sizeof body, "9550%08d", i + 1);
    std::string gtin = std::string(body) + std::to_string(gs1::checkDigit(body));
    barcodes.push_back(gtin);
    catalogue += "B" + std::to_string(i) + ",Bench item " + std::to_string(i) + "," + gtin + "\n";
    stock += "B" + std::to_string(i) + "," + l.code + ",100000\n";
    ++i;
  }
  require(wmsd.post("/api/v1/import/locations", locations, {{"Content-Type", "text/csv"}}), "locations");
  require(wmsd.post("/api/v1/import/catalogue", catalogue, {{"Content-Type", "text/csv"}}), "catalogue");
  require(wmsd.post("/api/v1/import/stock", stock, {{"Content-Type", "text/csv"}}), "stock");
  for (int d = 0; d < devices; ++d)
    require(wmsd.post("/api/v1/workers", R"({"badge":"BADGE-)" + std::to_string(d) + R"("})"), "worker");
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> pick(0, skus - 1);
  for (int n = 0; n < devices * ordersPerDevice; ++n) {
    int a = pick(rng), b = pick(rng);
    while (b == a) b = pick(rng);
    require(wmsd.post("/api/v1/orders", R"({"external_id":"bench-)" + std::to_string(n) +
                                            R"(","lines":[{"sku":"B)" + std::to_string(a) + R"(","qty":1},{"sku":"B)" +
                                            std::to_string(b) + R"(","qty":1}],"ship_to":{"name":"Bench","line1":"1 Rd",)"
                                            R"("city":"SG","postal_code":"1","country":"SG"}})"),
            "order");
  }

  // Every device signs in through the fleet (one event each), then the
  // release gives each one batch.
  FleetOptions signIn = saturated;
  signIn.devices = o.devices;
  signIn.eventsPerDevice = 1;
  signIn.warmupPerDevice = 0;
  signIn.interval = std::chrono::milliseconds(0);
  std::map<std::string, int> badgeOf;
  for (int d = 0; d < devices; ++d) badgeOf[o.devices[static_cast<std::size_t>(d)].username] = d;
  signIn.makeEvent = [&](const std::string& device, int, const std::string& eventId) {
    protocol::SignIn s;
    s.device = device;
    s.ts = 1;
    s.eventId = eventId;
    s.badge = "BADGE-" + std::to_string(badgeOf.at(device));
    return protocol::encode(protocol::Message(s));
  };
  std::cerr << "mqtt bench: signing " << devices << " devices in\n";
  auto signed_ = runFleet(signIn);
  if (signed_.events != static_cast<std::size_t>(devices)) throw std::runtime_error("not every device signed in");
  auto released = wmsd.post("/api/v1/waves/release", "{}");
  require(released, "release");

  // Each device's stops, from the API, as a handheld would have them.
  std::map<std::string, std::vector<PlannedStop>> stops;
  auto batches = parse(wmsd.get("/api/v1/batches?status=assigned&limit=1000").body)->getArray("items");
  for (std::size_t b = 0; b < batches->size(); ++b) {
    auto id = batches->getObject(static_cast<unsigned>(b))->get("id").toString();
    auto detail = parse(wmsd.get("/api/v1/batches/" + id).body);
    std::map<int, std::string> toteCode;
    auto cart = detail->getArray("cart");
    for (std::size_t t = 0; t < cart->size(); ++t)
      toteCode[cart->getObject(static_cast<unsigned>(t))->getValue<int>("number")] =
          cart->getObject(static_cast<unsigned>(t))->getValue<std::string>("tote");
    auto& list = stops[detail->getValue<std::string>("device")];
    auto rows = detail->getArray("stops");
    for (std::size_t s = 0; s < rows->size(); ++s) {
      auto row = rows->getObject(static_cast<unsigned>(s));
      PlannedStop ps;
      ps.stopId = row->get("stop_id").toString();
      ps.location = row->getValue<std::string>("location");
      ps.barcode = barcodes.at(static_cast<std::size_t>(std::stoi(row->getValue<std::string>("sku").substr(1))));
      ps.qty = row->getValue<int>("qty");
      std::map<std::string, int> perTote;
      auto puts = row->getArray("puts");
      for (std::size_t p = 0; p < puts->size(); ++p) {
        auto put = puts->getObject(static_cast<unsigned>(p));
        perTote[toteCode[put->getValue<int>("tote")]] += put->getValue<int>("qty");
      }
      for (const auto& [tote, qty] : perTote) ps.puts.push_back({tote, qty});
      list.push_back(std::move(ps));
    }
  }
  std::size_t minStops = SIZE_MAX;
  for (const auto& a : o.devices) minStops = std::min(minStops, stops[a.username].size());
  if (minStops < 4) throw std::runtime_error("the release gave some device fewer than 4 stops");

  WmsdLeg out;
  const int pacedEvents = std::max(2, std::min(paced.eventsPerDevice, static_cast<int>(minStops) / 4));
  out.eventsPerDevice = static_cast<int>(minStops) - pacedEvents;
  auto confirm = [&](const std::string& device, int n, const std::string& eventId, int offset) {
    const auto& s = stops.at(device).at(static_cast<std::size_t>(n + offset));
    protocol::PickConfirm c;
    c.device = device;
    c.ts = 1;
    c.eventId = eventId;
    c.batchId = "";
    c.stopId = s.stopId;
    c.qty = s.qty;
    c.puts = s.puts;
    c.location = s.location;
    c.barcode = s.barcode;
    return c;
  };
  std::map<std::string, std::string> batchOf;
  for (std::size_t b = 0; b < batches->size(); ++b) {
    auto row = batches->getObject(static_cast<unsigned>(b));
    batchOf[row->getValue<std::string>("device")] = row->get("id").toString();
  }
  saturated.devices = o.devices;
  saturated.eventsPerDevice = out.eventsPerDevice;
  saturated.warmupPerDevice = std::min(saturated.warmupPerDevice, out.eventsPerDevice - 1);
  saturated.decodeAcks = true;
  saturated.makeEvent = [&](const std::string& device, int n, const std::string& eventId) {
    auto c = confirm(device, n, eventId, 0);
    c.batchId = batchOf.at(device);
    return protocol::encode(protocol::Message(c));
  };
  paced.devices = o.devices;
  paced.eventsPerDevice = pacedEvents;
  paced.decodeAcks = true;
  paced.makeEvent = [&](const std::string& device, int n, const std::string& eventId) {
    auto c = confirm(device, n, eventId, out.eventsPerDevice);
    c.batchId = batchOf.at(device);
    return protocol::encode(protocol::Message(c));
  };
  std::cerr << "mqtt bench: through wmsd, saturated (" << devices << " devices x " << out.eventsPerDevice
            << " pick confirmations)\n";
  out.saturated = runFleet(saturated);
  std::cerr << "mqtt bench: through wmsd, paced (" << devices << " devices x " << pacedEvents << ")\n";
  out.paced = runFleet(paced);
  auto audit = parse(wmsd.get("/api/v1/audit").body);
  if (!audit->getValue<bool>("ok")) throw std::runtime_error("stock invariants broken after the bench");
  auto metrics = wmsd.get("/metrics").body;
  if (metrics.find("mqtt_events_total{result=\"rejected\"}") != std::string::npos)
    std::cerr << "mqtt bench: warning: wmsd rejected some events; see its log\n" << wmsd.log() << "\n";
  return out;
}

}  // namespace wms::bench::mqtt
