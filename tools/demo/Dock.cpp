#include "Dock.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <iostream>
#include <random>
#include <sstream>

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

Result<MorningFigures> morningAtTheDock(apiclient::Client& client, const std::vector<std::string>& bestSellers,
                                        int trucks, std::uint64_t seed) {
  MorningFigures out;
  if (trucks <= 0 || bestSellers.empty()) return out;
  std::mt19937_64 rng(seed * 7919 + 17);
  const char* const suppliers[] = {"Borneo Foods Sdn Bhd", "Siam Household Co., Ltd.", "Luzon Pantry Inc.",
                                   "Java Home Supplies PT"};
  constexpr int kLines = 6;
  // The trucks bring SKUs from the top of the catalogue, several lines each.
  std::vector<std::string> pool(bestSellers.begin(),
                                bestSellers.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(bestSellers.size(), 60)));
  std::shuffle(pool.begin(), pool.end(), rng);
  std::uniform_int_distribution<int> cases(4, 10);
  std::size_t next = 0;
  std::vector<Item> received;
  for (int t = 0; t < trucks && next < pool.size(); ++t) {
    const std::string reference = "PO-DEMO-" + std::to_string(seed) + "-" + std::to_string(t + 1);
    const std::string dock = t % 2 == 0 ? "DOCK-1" : "DOCK-2";
    std::vector<Item> items;
    std::vector<int> qty;
    Poco::JSON::Object po;
    po.set("reference", reference);
    po.set("supplier", suppliers[t % 4]);
    Poco::JSON::Array lines;
    while (static_cast<int>(items.size()) < kLines && next < pool.size()) {
      auto item = itemOf(client, pool[next++]);
      if (!item) return item.error();
      if (item->gtin.empty() || item->faces.empty()) continue;
      Poco::JSON::Object line;
      line.set("sku", item->sku);
      qty.push_back(12 * cases(rng));  // cases of 12
      line.set("qty", qty.back());
      if (item->expiryTracked) {
        line.set("lot", "LD" + std::to_string(t + 1));
        line.set("expiry", "2027-11-30");
      }
      lines.add(line);
      items.push_back(std::move(*item));
    }
    po.set("lines", lines);
    // The first truck's first two lines come on one announced pallet.
    const std::string pallet = sscc(seed * 100 + static_cast<std::uint64_t>(t));
    const bool withPallet = t == 0 && items.size() >= 2;
    if (withPallet) {
      Poco::JSON::Array units, contents;
      for (int line = 1; line <= 2; ++line) {
        Poco::JSON::Object c;
        c.set("line_no", line);
        c.set("qty", qty[static_cast<std::size_t>(line - 1)]);
        contents.add(c);
      }
      Poco::JSON::Object unit;
      unit.set("sscc", pallet);
      unit.set("contents", contents);
      units.add(unit);
      po.set("units", units);
    }
    auto created = client.call("POST", "/api/v1/inbound/purchase-orders", json(po));
    if (!created) return failed("purchase order " + reference, created.error());
    const auto id = std::to_string(created->json->getValue<std::int64_t>("id"));
    ++out.purchaseOrders;

    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& item = items[i];
      const std::string key = reference + "-" + std::to_string(i + 1);
      if (withPallet && i < 2) {
        if (i == 1) continue;  // the pallet holds lines 1 and 2: one scan
        Poco::JSON::Object body;
        body.set("location", dock);
        body.set("idempotency_key", key);
        auto r = client.call("POST", "/api/v1/inbound/purchase-orders/" + id + "/units/" + pallet + "/receive", json(body));
        if (!r) return failed("pallet " + pallet, r.error());
        out.unitsReceived += qty[0] + qty[1];
        continue;
      }
      // A case label: GTIN-14 (AI 01) with lot (AI 10) and expiry (AI 17)
      // for fresh goods. The last line of each truck is 4 short, the one
      // before has two damaged units.
      std::string scan = "(01)0" + item.gtin;
      if (item.expiryTracked) scan += "(10)LD" + std::to_string(t + 1) + "(17)271130";
      int good = qty[i] - (i + 1 == items.size() ? 4 : 0);
      if (i + 2 == items.size()) {
        Poco::JSON::Object damaged;
        damaged.set("scan", scan);
        damaged.set("qty", 2);
        damaged.set("location", dock);
        damaged.set("condition", "damaged");
        damaged.set("idempotency_key", key + "-damaged");
        auto r = client.call("POST", "/api/v1/inbound/purchase-orders/" + id + "/receipts", json(damaged));
        if (!r) return failed("damaged units of " + item.sku, r.error());
        out.unitsDamaged += 2;
        good -= 2;
      }
      Poco::JSON::Object body;
      body.set("scan", scan);
      body.set("qty", good);
      body.set("location", dock);
      body.set("idempotency_key", key);
      auto r = client.call("POST", "/api/v1/inbound/purchase-orders/" + id + "/receipts", json(body));
      if (!r) return failed("receiving " + item.sku + " on " + reference, r.error());
      out.unitsReceived += good;
    }
    auto closed = client.call("POST", "/api/v1/inbound/purchase-orders/" + id + "/close", "{}");
    if (!closed) return failed("closing " + reference, closed.error());
    std::cerr << "  dock: " << reference << " from " << suppliers[t % 4] << " received at " << dock << " ("
              << items.size() << " lines" << (withPallet ? ", a pallet by SSCC" : "") << ")\n";
    received.insert(received.end(), items.begin(), items.end());
  }

  // The faces of what came in hold a little more than they do now: the rest
  // goes to reserve, and comes down when the faces run low.
  for (const auto& item : received) {
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
  }

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
  if (!received.empty()) {
    const auto& item = received.front();
    auto now = itemOf(client, item.sku);
    if (!now) return now.error();
    const Face face = now->faces.front();
    Poco::JSON::Object task;
    task.set("location", face.location);
    task.set("sku", now->sku);
    task.set("reason", "demo: the shelf looked short");
    auto made = client.call("POST", "/api/v1/inbound/counts", json(task));
    if (!made) return failed("count of " + face.location, made.error());
    auto tasks = made->json->getArray("items");
    if (tasks && tasks->size() > 0) {
      const auto id = std::to_string(tasks->getObject(0)->getValue<std::int64_t>("id"));
      for (int round = 1; round <= 2; ++round) {
        Poco::JSON::Object count;
        count.set("counted", std::max<std::int64_t>(0, face.qty - 2));
        count.set("idempotency_key", "demo-count-" + std::to_string(seed) + "-" + std::to_string(round));
        if (auto r = client.call("POST", "/api/v1/inbound/counts/" + id + "/result", json(count)); !r)
          return failed("count " + id, r.error());
      }
      auto approved = client.call("POST", "/api/v1/inbound/counts/" + id + "/approve", R"({"by":"demo-supervisor"})");
      if (!approved) return failed("approving count " + id, approved.error());
      out.countedDifference = approved->json->optValue<std::int64_t>("booked", 0);
      std::cerr << "  count: " << face.location << " (" << now->sku << ") counted " << face.qty - 2 << " twice, "
                << "recorded " << face.qty << "; the supervisor approved " << out.countedDifference << "\n";
    }
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
