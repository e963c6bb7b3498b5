#include "Dock.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "wms/gs1/Gs1.h"

namespace wms::demo {
namespace {

std::string json(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

Error failed(const std::string& step, const Error& e) { return Error{e.kind, step + ": " + e.message}; }

// What the demo needs to know of a SKU to order and receive it.
struct Face {
  std::string location;
  std::int64_t qty = 0;  // units there now
};
struct Item {
  std::string sku;
  std::string gtin;         // its first barcode, a GTIN-13 in the demo catalogue
  bool expiryTracked = false;
  std::vector<Face> faces;  // its pick faces (popular SKUs have two)
};

Result<Item> itemOf(apiclient::Client& client, const std::string& sku) {
  auto s = client.call("GET", "/api/v1/skus/" + sku);
  if (!s) return failed("SKU " + sku, s.error());
  Item item;
  item.sku = sku;
  item.expiryTracked = s->json->optValue<bool>("expiry_tracked", false);
  auto barcodes = s->json->getArray("barcodes");
  if (barcodes && barcodes->size() > 0) item.gtin = barcodes->getObject(0)->optValue<std::string>("value", "");
  auto stock = client.call("GET", "/api/v1/stock/" + sku);
  if (!stock) return failed("stock of " + sku, stock.error());
  auto rows = stock->json->getArray("locations");
  for (unsigned i = 0; rows && i < rows->size(); ++i) {
    auto row = rows->getObject(i);
    const auto location = row->getValue<std::string>("location");
    auto where = client.call("GET", "/api/v1/locations/" + location);
    if (!where) return failed("location " + location, where.error());
    if (where->json->optValue<std::string>("kind", "") != "pick") continue;
    auto face = std::find_if(item.faces.begin(), item.faces.end(), [&](const Face& f) { return f.location == location; });
    if (face == item.faces.end()) face = item.faces.insert(item.faces.end(), Face{location, 0});
    face->qty += row->getValue<std::int64_t>("qty");
  }
  return item;
}

// An SSCC (AI 00): extension digit, the demo's company prefix 955, a serial.
std::string sscc(std::uint64_t serial) {
  std::string body = "0955" + std::to_string(1000000000000ULL + serial % 1000000000000ULL);
  return body + std::to_string(gs1::checkDigit(body));
}

}  // namespace

namespace {

// One truck of the morning: its purchase order as planned, then as created.
struct Truck {
  std::string reference;
  std::string supplier;
  std::string dock;
  std::vector<Item> items;
  std::vector<int> qty;
  std::string pallet;  // the SSCC of the pallet holding lines 1 and 2; empty: none
  std::string id;      // wmsd's id, once created
};

// The trucks' purchase orders, planned: SKUs from the top of the
// catalogue, several lines each, cases of 12; the first truck's first two
// lines come on one announced pallet.
Result<std::vector<Truck>> planTrucks(apiclient::Client& client, const std::vector<std::string>& bestSellers,
                                      int trucks, std::uint64_t seed) {
  std::vector<Truck> out;
  std::mt19937_64 rng(seed * 7919 + 17);
  const char* const suppliers[] = {"Borneo Foods Sdn Bhd", "Siam Household Co., Ltd.", "Luzon Pantry Inc.",
                                   "Java Home Supplies PT"};
  constexpr int kLines = 6;
  std::vector<std::string> pool(bestSellers.begin(),
                                bestSellers.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(bestSellers.size(), 60)));
  std::shuffle(pool.begin(), pool.end(), rng);
  std::uniform_int_distribution<int> cases(4, 10);
  std::size_t next = 0;
  for (int t = 0; t < trucks && next < pool.size(); ++t) {
    Truck truck;
    truck.reference = "PO-DEMO-" + std::to_string(seed) + "-" + std::to_string(t + 1);
    truck.supplier = suppliers[t % 4];
    truck.dock = t % 2 == 0 ? "DOCK-1" : "DOCK-2";
    while (static_cast<int>(truck.items.size()) < kLines && next < pool.size()) {
      auto item = itemOf(client, pool[next++]);
      if (!item) return item.error();
      if (item->gtin.empty() || item->faces.empty()) continue;
      truck.qty.push_back(12 * cases(rng));  // cases of 12
      truck.items.push_back(std::move(*item));
    }
    if (t == 0 && truck.items.size() >= 2) truck.pallet = sscc(seed * 100 + static_cast<std::uint64_t>(t));
    out.push_back(std::move(truck));
  }
  return out;
}

std::string lotOf(std::size_t truck) { return "LD" + std::to_string(truck + 1); }

// Creates the truck's purchase order (with its pallet on the notice).
Status createOrder(apiclient::Client& client, Truck& truck, std::size_t index) {
  Poco::JSON::Object po;
  po.set("reference", truck.reference);
  po.set("supplier", truck.supplier);
  Poco::JSON::Array lines;
  for (std::size_t i = 0; i < truck.items.size(); ++i) {
    Poco::JSON::Object line;
    line.set("sku", truck.items[i].sku);
    line.set("qty", truck.qty[i]);
    if (truck.items[i].expiryTracked) {
      line.set("lot", lotOf(index));
      line.set("expiry", "2027-11-30");
    }
    lines.add(line);
  }
  po.set("lines", lines);
  if (!truck.pallet.empty()) {
    Poco::JSON::Array units, contents;
    for (int line = 1; line <= 2; ++line) {
      Poco::JSON::Object c;
      c.set("line_no", line);
      c.set("qty", truck.qty[static_cast<std::size_t>(line - 1)]);
      contents.add(c);
    }
    Poco::JSON::Object unit;
    unit.set("sscc", truck.pallet);
    unit.set("contents", contents);
    units.add(unit);
    po.set("units", units);
  }
  auto created = client.call("POST", "/api/v1/inbound/purchase-orders", json(po));
  if (!created && created.error().kind == ErrorKind::Unavailable) {
    // Unkeyed: whether wmsd took it is unknown. Its reference is unique,
    // so it is looked up, and sent again only if it is not there.
    auto found = client.call("GET", "/api/v1/inbound/purchase-orders?limit=10&q=" + truck.reference);
    if (!found) return failed("purchase order " + truck.reference, found.error());
    auto items = found->json->getArray("items");
    for (unsigned i = 0; items && i < items->size(); ++i)
      if (items->getObject(i)->getValue<std::string>("reference") == truck.reference) {
        truck.id = std::to_string(items->getObject(i)->getValue<std::int64_t>("id"));
        return {};
      }
    created = client.call("POST", "/api/v1/inbound/purchase-orders", json(po));
  }
  if (!created) return failed("purchase order " + truck.reference, created.error());
  truck.id = std::to_string(created->json->getValue<std::int64_t>("id"));
  return {};
}

// The faces of what comes in hold a little more than they do now: the rest
// goes to reserve, and comes down when the faces run low.
Status keepFacesFull(apiclient::Client& client, const std::vector<Truck>& trucks, MorningFigures& out) {
  for (const auto& truck : trucks)
    for (const auto& item : truck.items)
      for (const auto& face : item.faces) {
        Poco::JSON::Object capacity;
        capacity.set("max_units", face.qty + 12);
        if (auto r = client.call("PUT", "/api/v1/inbound/locations/" + face.location + "/capacity", json(capacity)); !r)
          return failed("capacity of " + face.location, r.error());
        Poco::JSON::Object rule;
        rule.set("sku", item.sku);
        // Kept full: the first pick a wave releases there asks for a refill,
        // ahead of the picker.
        rule.set("min", std::max<std::int64_t>(1, face.qty));
        rule.set("max", face.qty + 12);
        if (auto r = client.call("PUT", "/api/v1/inbound/pick-faces/" + face.location, json(rule)); !r)
          return failed("pick-face rule of " + face.location, r.error());
        ++out.pickFaceRules;
      }
  return {};
}

Status closeOrder(apiclient::Client& client, const Truck& truck) {
  const std::string path = "/api/v1/inbound/purchase-orders/" + truck.id;
  auto closed = client.call("POST", path + "/close", "{}");
  if (!closed && closed.error().kind == ErrorKind::Unavailable) {
    // Unkeyed, and closing twice is refused: closed already is done.
    auto po = client.call("GET", path);
    if (!po) return failed("closing " + truck.reference, po.error());
    if (po->json->optValue<std::string>("status", "") == "closed") return {};
    closed = client.call("POST", path + "/close", "{}");
  }
  if (!closed) return failed("closing " + truck.reference, closed.error());
  return {};
}

// Approves count `id`; returns what it booked. Unkeyed, and approving twice
// is refused: when the answer was lost, the task as it is now tells.
Result<std::int64_t> approveCount(apiclient::Client& client, const std::string& id) {
  auto approved = client.call("POST", "/api/v1/inbound/counts/" + id + "/approve", R"({"by":"demo-supervisor"})");
  if (!approved && approved.error().kind == ErrorKind::Unavailable) {
    auto now = client.call("GET", "/api/v1/inbound/counts/" + id);
    if (now && now->json->optValue<std::string>("status", "") == "done")
      return now->json->optValue<std::int64_t>("booked", 0);
    if (now) approved = client.call("POST", "/api/v1/inbound/counts/" + id + "/approve", R"({"by":"demo-supervisor"})");
  }
  if (!approved) return failed("approving count " + id, approved.error());
  return approved->json->optValue<std::int64_t>("booked", 0);
}

// The count task of the morning: the first received SKU's first face,
// because the shelf looked short. Returns its id and the face as it is now.
Result<std::pair<std::string, Face>> countTask(apiclient::Client& client, const Item& item) {
  auto now = itemOf(client, item.sku);
  if (!now) return now.error();
  if (now->faces.empty()) return Error{ErrorKind::NotFound, "SKU " + item.sku + " has no pick face to count"};
  const Face face = now->faces.front();
  Poco::JSON::Object task;
  task.set("location", face.location);
  task.set("sku", now->sku);
  task.set("reason", "demo: the shelf looked short");
  auto made = client.call("POST", "/api/v1/inbound/counts", json(task));
  if (!made && made.error().kind == ErrorKind::Unavailable) {
    // Unkeyed: a task made before the answer was lost is the one to count.
    auto open = client.call("GET", "/api/v1/inbound/counts?status=open&limit=500");
    auto items = open ? open->json->getArray("items") : nullptr;
    for (unsigned i = 0; items && i < items->size(); ++i) {
      auto t = items->getObject(i);
      if (t->getValue<std::string>("location") == face.location && t->getValue<std::string>("sku") == now->sku)
        return std::make_pair(std::to_string(t->getValue<std::int64_t>("id")), face);
    }
    if (open) made = client.call("POST", "/api/v1/inbound/counts", json(task));
  }
  if (!made) return failed("count of " + face.location, made.error());
  auto tasks = made->json->getArray("items");
  if (!tasks || tasks->size() == 0) return Error{ErrorKind::Conflict, "no count task made at " + face.location};
  return std::make_pair(std::to_string(tasks->getObject(0)->getValue<std::int64_t>("id")), face);
}

}  // namespace

Result<MorningFigures> morningAtTheDock(apiclient::Client& client, const std::vector<std::string>& bestSellers,
                                        int trucks, std::uint64_t seed) {
  MorningFigures out;
  if (trucks <= 0 || bestSellers.empty()) return out;
  auto planned = planTrucks(client, bestSellers, trucks, seed);
  if (!planned) return planned.error();
  for (std::size_t t = 0; t < planned->size(); ++t) {
    auto& truck = (*planned)[t];
    if (auto st = createOrder(client, truck, t); !st) return st.error();
    ++out.purchaseOrders;
    const auto& items = truck.items;
    const auto& qty = truck.qty;
    const std::string& dock = truck.dock;
    const bool withPallet = !truck.pallet.empty();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& item = items[i];
      const std::string key = truck.reference + "-" + std::to_string(i + 1);
      if (withPallet && i < 2) {
        if (i == 1) continue;  // the pallet holds lines 1 and 2: one scan
        Poco::JSON::Object body;
        body.set("location", dock);
        body.set("idempotency_key", key);
        auto r = client.call("POST", "/api/v1/inbound/purchase-orders/" + truck.id + "/units/" + truck.pallet + "/receive",
                             json(body));
        if (!r) return failed("pallet " + truck.pallet, r.error());
        out.unitsReceived += qty[0] + qty[1];
        continue;
      }
      // A case label: GTIN-14 (AI 01) with lot (AI 10) and expiry (AI 17)
      // for fresh goods. The last line of each truck is 4 short, the one
      // before has two damaged units.
      std::string scan = "(01)0" + item.gtin;
      if (item.expiryTracked) scan += "(10)" + lotOf(t) + "(17)271130";
      int good = qty[i] - (i + 1 == items.size() ? 4 : 0);
      if (i + 2 == items.size()) {
        Poco::JSON::Object damaged;
        damaged.set("scan", scan);
        damaged.set("qty", 2);
        damaged.set("location", dock);
        damaged.set("condition", "damaged");
        damaged.set("idempotency_key", key + "-damaged");
        auto r = client.call("POST", "/api/v1/inbound/purchase-orders/" + truck.id + "/receipts", json(damaged));
        if (!r) return failed("damaged units of " + item.sku, r.error());
        out.unitsDamaged += 2;
        good -= 2;
      }
      Poco::JSON::Object body;
      body.set("scan", scan);
      body.set("qty", good);
      body.set("location", dock);
      body.set("idempotency_key", key);
      auto r = client.call("POST", "/api/v1/inbound/purchase-orders/" + truck.id + "/receipts", json(body));
      if (!r) return failed("receiving " + item.sku + " on " + truck.reference, r.error());
      out.unitsReceived += good;
    }
    if (auto st = closeOrder(client, truck); !st) return st.error();
    std::cerr << "  dock: " << truck.reference << " from " << truck.supplier << " received at " << dock << " ("
              << items.size() << " lines" << (withPallet ? ", a pallet by SSCC" : "") << ")\n";
  }

  if (auto st = keepFacesFull(client, *planned, out); !st) return st.error();

  // Put-away: everything waiting at the docks, to the server's suggestion.
  // The backlog's suggestions are each made as if nothing else moved first
  // (two items may be offered the same empty reserve), so each is asked for
  // again just before its move, as a handheld's putaway.request does.
  auto backlog = client.call("GET", "/api/v1/inbound/putaway/backlog?limit=500");
  if (!backlog) return failed("put-away backlog", backlog.error());
  auto items = backlog->json->getArray("items");
  for (unsigned i = 0; items && i < items->size(); ++i) {
    auto b = items->getObject(i);
    auto asked = client.call("GET", "/api/v1/inbound/putaway/suggestion?sku=" + b->getValue<std::string>("sku") +
                                        "&qty=" + std::to_string(b->getValue<std::int64_t>("qty")) +
                                        "&lot=" + b->getValue<std::string>("lot") +
                                        "&expiry=" + b->getValue<std::string>("expiry"));
    if (!asked) return failed("suggestion for " + b->getValue<std::string>("sku"), asked.error());
    auto suggestion = asked->json;
    if (!suggestion || suggestion->isNull("location")) continue;  // nowhere has room: stays for a person
    Poco::JSON::Object body;
    body.set("sku", b->getValue<std::string>("sku"));
    body.set("from", b->getValue<std::string>("location"));
    body.set("lot", b->getValue<std::string>("lot"));
    body.set("expiry", b->getValue<std::string>("expiry"));
    body.set("qty", b->getValue<std::int64_t>("qty"));
    body.set("to", suggestion->getValue<std::string>("location"));
    body.set("idempotency_key", "demo-putaway-" + std::to_string(seed) + "-" + std::to_string(i + 1));
    auto r = client.call("POST", "/api/v1/inbound/putaway", json(body));
    if (!r) return failed("putting away " + b->getValue<std::string>("sku"), r.error());
    ++out.putaways;
  }
  std::cerr << "  dock: " << out.unitsReceived << " units received (" << out.unitsDamaged
            << " damaged set aside), " << out.putaways << " put-aways, " << out.pickFaceRules
            << " pick faces with a min/max\n";

  // A cycle count that finds two units missing: counted again, then
  // approved by the supervisor.
  if (!planned->empty() && !planned->front().items.empty()) {
    auto task = countTask(client, planned->front().items.front());
    if (!task) return task.error();
    const auto& [id, face] = *task;
    for (int round = 1; round <= 2; ++round) {
      Poco::JSON::Object count;
      count.set("counted", std::max<std::int64_t>(0, face.qty - 2));
      count.set("idempotency_key", "demo-count-" + std::to_string(seed) + "-" + std::to_string(round));
      if (auto r = client.call("POST", "/api/v1/inbound/counts/" + id + "/result", json(count)); !r)
        return failed("count " + id, r.error());
    }
    auto booked = approveCount(client, id);
    if (!booked) return booked.error();
    out.countedDifference = *booked;
    std::cerr << "  count: " << face.location << " (" << planned->front().items.front().sku << ") counted "
              << face.qty - 2 << " twice, recorded " << face.qty << "; the supervisor approved "
              << out.countedDifference << "\n";
  }
  return out;
}

Result<MorningFigures> morningWithHandhelds(apiclient::Client& client, const std::vector<std::string>& bestSellers,
                                            int trucks, std::uint64_t seed, std::chrono::seconds patience,
                                            const std::atomic<bool>& interrupted) {
  MorningFigures out;
  if (trucks <= 0 || bestSellers.empty()) return out;
  auto planned = planTrucks(client, bestSellers, trucks, seed);
  if (!planned) return planned.error();
  // The faces' rules first: the handhelds put away while the trucks are
  // still being received, to suggestions that must know the faces' room.
  if (auto st = keepFacesFull(client, *planned, out); !st) return st.error();
  for (std::size_t t = 0; t < planned->size(); ++t) {
    if (auto st = createOrder(client, (*planned)[t], t); !st) return st.error();
    ++out.purchaseOrders;
    std::cerr << "  dock: " << (*planned)[t].reference << " from " << (*planned)[t].supplier << " expected ("
              << (*planned)[t].items.size() << " lines" << (!(*planned)[t].pallet.empty() ? ", a pallet by SSCC" : "")
              << "): the receivers' handhelds take it\n";
  }
  // Polls `done` every second until it holds; an error when `patience` is
  // up or the demo is interrupted.
  const auto waitUntil = [&](const std::string& what, const std::function<Result<bool>()>& done) -> Status {
    const auto until = std::chrono::steady_clock::now() + patience;
    while (!interrupted) {
      auto d = done();
      if (!d) return d.error();
      if (*d) return {};
      if (std::chrono::steady_clock::now() >= until)
        return Error{ErrorKind::Unavailable, what + " did not happen within " + std::to_string(patience.count()) +
                                                 " s: are wms-sim's dock handhelds running (--receivers, --putaway, "
                                                 "--counters)? see its log"};
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    return Error{ErrorKind::Unavailable, "interrupted while waiting: " + what};
  };

  // Received: every line and pallet of every order, then the office closes them.
  auto st = waitUntil("receiving the trucks", [&]() -> Result<bool> {
    out.unitsReceived = 0;
    bool all = true;
    for (const auto& truck : *planned) {
      auto po = client.call("GET", "/api/v1/inbound/purchase-orders/" + truck.id);
      if (!po) return failed("purchase order " + truck.reference, po.error());
      auto lines = po->json->getArray("lines");
      for (unsigned i = 0; lines && i < lines->size(); ++i) {
        auto l = lines->getObject(i);
        out.unitsReceived += l->getValue<std::int64_t>("received");
        if (l->getValue<std::int64_t>("open") > 0) all = false;
      }
    }
    return all;
  });
  if (!st) return st.error();
  for (const auto& truck : *planned) {
    if (auto closed = closeOrder(client, truck); !closed) return closed.error();
    std::cerr << "  dock: " << truck.reference << " received by handheld and closed\n";
  }

  // Put away: nothing left at the docks that has somewhere to go.
  st = waitUntil("putting the trucks away", [&]() -> Result<bool> {
    auto backlog = client.call("GET", "/api/v1/inbound/putaway/backlog?limit=500");
    if (!backlog) return failed("put-away backlog", backlog.error());
    auto items = backlog->json->getArray("items");
    for (unsigned i = 0; items && i < items->size(); ++i) {
      auto b = items->getObject(i);
      const auto where = b->getValue<std::string>("location");
      auto suggestion = b->getObject("suggestion");
      if ((where == "DOCK-1" || where == "DOCK-2") && suggestion && !suggestion->isNull("location")) return false;
    }
    return true;
  });
  if (!st) return st.error();
  std::cerr << "  dock: " << out.unitsReceived << " units received and put away by handheld, " << out.pickFaceRules
            << " pick faces with a min/max\n";

  // The count: the counter's handheld finds the shelf short, twice; the
  // supervisor approves.
  if (!planned->empty() && !planned->front().items.empty()) {
    auto task = countTask(client, planned->front().items.front());
    if (!task) return task.error();
    const auto& [id, face] = *task;
    std::string status;
    st = waitUntil("counting " + face.location, [&]() -> Result<bool> {
      auto t = client.call("GET", "/api/v1/inbound/counts/" + id);
      if (!t) return failed("count " + id, t.error());
      status = t->json->getValue<std::string>("status");
      return status == "approval" || status == "done";
    });
    if (!st) return st.error();
    if (status == "approval") {
      auto booked = approveCount(client, id);
      if (!booked) return booked.error();
      out.countedDifference = *booked;
    }
    std::cerr << "  count: " << face.location << " (" << planned->front().items.front().sku
              << ") counted by handheld, recorded " << face.qty << "; "
              << (status == "approval" ? "the supervisor approved " + std::to_string(out.countedDifference)
                                       : std::string("no difference"))
              << "\n";
  }
  return out;
}

Result<int> replenishOnce(apiclient::Client& client, const std::string& keyPrefix, int& sequence) {
  auto plan = client.call("GET", "/api/v1/inbound/replenishment");
  if (!plan) return failed("replenishment plan", plan.error());
  auto moves = plan->json->getArray("items");
  int done = 0;
  for (unsigned i = 0; moves && i < moves->size(); ++i) {
    auto m = moves->getObject(i);
    Poco::JSON::Object body;
    for (const char* field : {"sku", "from", "to", "lot", "expiry"}) body.set(field, m->getValue<std::string>(field));
    body.set("qty", m->getValue<std::int64_t>("qty"));
    body.set("idempotency_key", keyPrefix + std::to_string(++sequence));
    auto r = client.call("POST", "/api/v1/inbound/replenishment", json(body));
    // A move the floor overtook (the reserve was taken meanwhile) is planned
    // again next round from the stock as it is then.
    if (r) ++done;
  }
  return done;
}

}  // namespace wms::demo
