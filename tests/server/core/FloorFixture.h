// A small warehouse floor for the wave, tote and watchdog tests: a real
// mosquitto, a real wmsd on the single-block sample layout, a catalogue with
// stock on a few shelves, two picker badges, and helpers to take orders,
// sign handhelds in (scripted devices), pick, pack and ship, and read the
// database file wmsd writes.
#pragma once

#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "wms/protocol/Codec.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/PackingStation.h"
#include "wms/testsupport/ScriptedDevice.h"
#include "wms/testsupport/WmsdProcess.h"

namespace wms::testsupport::floor {

inline Poco::JSON::Object::Ptr parse(const std::string& body) {
  Poco::JSON::Parser p;
  return p.parse(body).extract<Poco::JSON::Object::Ptr>();
}

inline const char* kShipTo =
    R"("ship_to":{"name":"Ann","line1":"1 Rd","city":"Singapore","postal_code":"1","country":"SG"})";

using Settings = std::map<std::string, std::string>;

// SKU APPLE on two shelves (2 at A-01-01-1, 10 at B-07-04-1), BREAD on one
// shelf, CHEESE and DATES plenty, EGGS on two shelves of the same aisle.
struct Floor {
  MosquittoBroker broker{MosquittoBroker::Options{4, {}, false, false}};
  WmsdProcess wmsd;

  // `settings` are added to (and override) the floor's wmsd settings.
  explicit Floor(Settings settings = {}) : wmsd(options(std::move(settings))) {
    post("/api/v1/import/locations",
         "code,zone,kind\nA-01-01-1,A,pick\nA-01-05-1,A,pick\nA-03-02-1,A,pick\nB-08-03-1,B,pick\nB-07-04-1,B,pick\n"
         "A-02-01-1,A,pick\nA-02-03-1,A,pick\n",
         "text/csv");
    post("/api/v1/import/catalogue",
         "sku,description,barcodes,weight_g\nAPPLE,Apples,4006381333931,200\nBREAD,Bread,036000291452,300\n"
         "CHEESE,Cheese,96385074,250\nDATES,Dates,,100\nEGGS,Eggs,,60\n",
         "text/csv");
    post("/api/v1/import/stock",
         "sku,location,qty\nAPPLE,A-01-01-1,2\nAPPLE,B-07-04-1,10\nBREAD,A-03-02-1,5\nCHEESE,A-01-05-1,20\n"
         "DATES,B-08-03-1,20\nEGGS,A-02-01-1,6\nEGGS,A-02-03-1,6\n",
         "text/csv");
    post("/api/v1/workers", R"({"badge":"B-1","name":"Siti"})");
    post("/api/v1/workers", R"({"badge":"B-2","name":"Budi"})");
    BOOST_REQUIRE(wmsd.waitForMqtt());
  }

  WmsdProcess::Options options(Settings settings) {
    WmsdProcess::Options o;
    o.settings = broker.wmsdSettings(
        {{"waves.layout", std::string(WMS_SOURCE_DIR) + "/layouts/samples/dc-single-block.json"},
         {"waves.cart_totes", "4"},
         {"waves.tote_pool", "20"},
         {"waves.auto_check_s", "3600"},
         {"watchdog.check_s", "3600"},
         {"packing.ship_from.name", "Test Warehouse"},
         {"packing.ship_from.line1", "1 Logistics Way"},
         {"packing.ship_from.city", "Singapore"},
         {"packing.ship_from.postal_code", "629000"},
         {"packing.ship_from.country", "SG"}});
    for (auto& [k, v] : settings) o.settings[k] = v;
    return o;
  }

  HttpResult post(const std::string& path, const std::string& body, const std::string& type = "application/json") {
    auto r = wmsd.post(path, body, {{"Content-Type", type}});
    BOOST_REQUIRE_MESSAGE(r.status < 300, path << ": " << r.status << " " << r.body);
    return r;
  }

  std::int64_t order(const std::string& ext, const std::string& lines, const std::string& channel = "shopee") {
    auto r = wmsd.post("/api/v1/orders", R"({"channel":")" + channel + R"(","external_id":")" + ext +
                                             R"(","lines":[)" + lines + "]," + kShipTo + "}");
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    return parse(r.body)->getValue<std::int64_t>("id");
  }

  std::unique_ptr<ScriptedDevice> signedIn(std::size_t i, const std::string& badge,
                                           protocol::WorkMode mode = protocol::WorkMode::Pick) {
    auto d = std::make_unique<ScriptedDevice>(broker.uri(), broker.device(i).username, broker.device(i).password);
    protocol::Presence online;
    online.app = "test/1";
    d->send(online);
    protocol::SignIn in;
    in.badge = badge;
    in.mode = mode;
    auto ack = d->ackFor(d->send(in));
    BOOST_REQUIRE(ack && ack->result == protocol::AckResult::Applied);
    return d;
  }

  std::string orderStatus(std::int64_t id) {
    return parse(wmsd.get("/api/v1/orders/" + std::to_string(id)).body)->getValue<std::string>("status");
  }

  // POST /api/v1/waves/release; the answer.
  HttpResult release(const std::string& body = "{}") { return wmsd.post("/api/v1/waves/release", body); }

  // The value of a /metrics line ("name{labels}"), 0 if absent.
  std::int64_t metric(const std::string& line) {
    auto body = wmsd.get("/metrics").body;
    auto at = body.find(line + " ");
    return at == std::string::npos ? 0 : std::stoll(body.substr(at + line.size() + 1));
  }

  // One integer from wmsd's database file (read-only), -1 if no row.
  std::int64_t sqlInteger(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(wmsd.dbPath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    std::int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
      n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
  }

  // Runs one statement against wmsd's database file; the SQLite error
  // message, or "" if it succeeded.
  std::string sqlExec(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(wmsd.dbPath().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_busy_timeout(db, 5000);
    char* error = nullptr;
    std::string out;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) out = error ? error : "error";
    sqlite3_free(error);
    sqlite3_close(db);
    return out;
  }

  // Totes bound to a live (ready or assigned) batch by more than one such
  // batch: must always be 0.
  std::int64_t totesBoundTwice() {
    return sqlInteger(
        "SELECT COUNT(*) FROM (SELECT bt.tote FROM batch_totes bt JOIN batches b ON b.id = bt.batch_id "
        "WHERE bt.freed_at = 0 AND b.status IN ('ready', 'assigned') GROUP BY bt.tote HAVING COUNT(*) > 1)");
  }

  std::int64_t freeTotes() { return sqlInteger("SELECT COUNT(*) FROM totes WHERE batch_id = 0"); }

  // Packs and ships a picked order through the packing REST API (one
  // carton per suggestion, every unit scanned), as a packing station does.
  void packAndShip(std::int64_t orderId) {
    const std::string id = std::to_string(orderId);
    auto packed = packOverRest(wmsd, orderId, "PACK-1");
    BOOST_REQUIRE_MESSAGE(packed.ok(), (packed.ok() ? "" : packed.error().message));
    auto booked = parse(post("/api/v1/packing/orders/" + id + "/shipment", R"({"station":"PACK-1","print":false})").body);
    post("/api/v1/packing/orders/" + id + "/ship", R"({"shipment_id":)" + booked->getObject("shipment")->get("id").toString() +
                                                       R"(,"idempotency_key":"test-ship-)" + id + R"("})");
  }
};

inline std::optional<protocol::TaskAssign> nextTask(ScriptedDevice& d,
                                                    std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto m = d.waitFor([](const protocol::Message& msg) { return std::holds_alternative<protocol::TaskAssign>(msg); },
                     timeout);
  if (!m) return std::nullopt;
  return std::get<protocol::TaskAssign>(*m);
}

template <class T>
std::optional<T> nextOf(ScriptedDevice& d, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto m = d.waitFor([](const protocol::Message& msg) { return std::holds_alternative<T>(msg); }, timeout);
  if (!m) return std::nullopt;
  return std::get<T>(*m);
}

inline protocol::PickShort shortOf(const protocol::TaskAssign& task, const protocol::PickStop& stop) {
  protocol::PickShort s;
  s.batchId = task.batchId;
  s.stopId = stop.stopId;
  s.qtyPicked = 0;
  s.reason = protocol::ShortReason::Empty;
  return s;
}

inline void requireApplied(const std::optional<protocol::Ack>& ack, const std::string& what) {
  BOOST_REQUIRE_MESSAGE(ack, what << ": no ack");
  BOOST_REQUIRE_MESSAGE(ack->result == protocol::AckResult::Applied,
                        what << ": " << (ack->error ? ack->error->message : std::string("not applied")));
}

// Picks every stop of a task as a diligent picker would, reporting shorts
// where the shelf is empty (`empty`: location codes). Handles task.update.
inline void pickAll(ScriptedDevice& d, protocol::TaskAssign task, const std::set<std::string>& empty) {
  std::vector<protocol::PickStop> todo = task.stops;
  while (!todo.empty()) {
    auto stop = todo.front();
    todo.erase(todo.begin());
    if (empty.count(stop.location)) {
      requireApplied(d.ackFor(d.send(shortOf(task, stop))), "short at " + stop.location);
      // A replacement stop elsewhere may follow.
      if (auto u = d.waitFor([](const protocol::Message& m) { return std::holds_alternative<protocol::TaskUpdate>(m); },
                             std::chrono::milliseconds(800))) {
        const auto& update = std::get<protocol::TaskUpdate>(*u);
        for (const auto& removed : update.removeStops)
          std::erase_if(todo, [&](const protocol::PickStop& st) { return st.stopId == removed; });
        for (const auto& added : update.addStops) todo.push_back(added);
        std::sort(todo.begin(), todo.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
      }
      continue;
    }
    requireApplied(d.ackFor(d.send(fullConfirmation(task, stop, stop.barcodes.front()))), "stop " + stop.stopId);
  }
  protocol::BatchDone done;
  done.batchId = task.batchId;
  requireApplied(d.ackFor(d.send(done)), "batch.done " + task.batchId);
}

}  // namespace wms::testsupport::floor
