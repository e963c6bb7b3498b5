#include "Summary.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <cmath>
#include <set>
#include <sstream>

namespace wms::demo {
namespace {

std::string enc(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "/?#&=+ ", out);
  return out;
}

// Calls fn(item) for every item of a paged list endpoint.
template <class Fn>
Status forEachPage(apiclient::Client& client, const std::string& path, Fn fn) {
  std::string after;
  const char* sep = path.find('?') == std::string::npos ? "?" : "&";
  for (;;) {
    auto r = client.call("GET", path + sep + "limit=1000" + (after.empty() ? "" : "&after=" + enc(after)));
    if (!r) return r.error();
    auto items = r->json->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) fn(items->getObject(static_cast<unsigned>(i)));
    if (r->json->isNull("next_after")) return {};
    after = r->json->get("next_after").toString();
  }
}

}  // namespace

Result<StockSnapshot> takeSnapshot(apiclient::Client& client) {
  StockSnapshot s;
  auto st = forEachPage(client, "/api/v1/stock", [&](const Poco::JSON::Object::Ptr& o) {
    s.onHand[o->getValue<std::string>("sku")] = o->getValue<std::int64_t>("on_hand");
  });
  if (!st) return st.error();
  st = forEachPage(client, "/api/v1/ledger", [&](const Poco::JSON::Object::Ptr& o) {
    s.lastLedgerId = std::max(s.lastLedgerId, o->getValue<std::int64_t>("id"));
  });
  if (!st) return st.error();
  return s;
}

std::string snapshotToJson(const StockSnapshot& snapshot) {
  Poco::JSON::Object o;
  o.set("last_ledger_id", snapshot.lastLedgerId);
  Poco::JSON::Object onHand;
  for (const auto& [sku, qty] : snapshot.onHand) onHand.set(sku, qty);
  o.set("on_hand", onHand);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

Result<StockSnapshot> snapshotFromJson(const std::string& text) {
  try {
    Poco::JSON::Parser p;
    auto o = p.parse(text).extract<Poco::JSON::Object::Ptr>();
    StockSnapshot s;
    s.lastLedgerId = o->getValue<std::int64_t>("last_ledger_id");
    auto onHand = o->getObject("on_hand");
    for (const auto& name : onHand->getNames()) s.onHand[name] = onHand->getValue<std::int64_t>(name);
    return s;
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Malformed, "bad opening snapshot: " + e.displayText()};
  }
}

Result<Poco::JSON::Object::Ptr> summarise(apiclient::Client& client, const StockSnapshot& opening,
                                          const DayFigures& day) {
  auto closing = takeSnapshot(client);
  if (!closing) return closing.error();

  // Ledger movements since the opening, by SKU and cause.
  std::map<std::string, std::int64_t> ledgerShipped, ledgerOther, ledgerAllocated;
  // The inbound side's day: units received, put-aways and replenishments
  // (a transfer is two rows, out and in, neither changing the SKU's
  // on-hand), cycle counts that changed the figure (not the shelves a short
  // pick found empty).
  std::int64_t unitsReceived = 0, putawayRows = 0, replenishmentRows = 0, countVariances = 0;
  auto st = forEachPage(client, "/api/v1/ledger?after=" + std::to_string(opening.lastLedgerId),
                        [&](const Poco::JSON::Object::Ptr& e) {
                          const auto sku = e->getValue<std::string>("sku");
                          const auto cause = e->getValue<std::string>("cause");
                          const auto delta = e->getValue<std::int64_t>("delta_on_hand");
                          if (cause == "ship") ledgerShipped[sku] += -delta;
                          else ledgerOther[sku] += delta;  // receipts, returns, adjustments, POS sales, counts
                          const auto reference = e->optValue<std::string>("reference", "");
                          if (cause == "receipt") unitsReceived += delta;
                          if (cause == "transfer" && reference == "putaway") ++putawayRows;
                          if (cause == "transfer" && reference == "replenishment") ++replenishmentRows;
                          if (cause == "cycle_count" && delta != 0 && reference.rfind("count:", 0) == 0) ++countVariances;
                        });
  if (!st) return st.error();

  // What the orders say: shipped units and units committed to orders.
  std::int64_t shippedOrders = 0, shortOrders = 0, heldOrders = 0, cancelledOrders = 0, unitsShipped = 0;
  std::map<std::string, std::int64_t> orderShipped, committed, ordersIn;
  st = forEachPage(client, "/api/v1/orders", [&](const Poco::JSON::Object::Ptr& o) {
    const auto status = o->getValue<std::string>("status");
    ++ordersIn[o->getValue<std::string>("channel")];
    if (status == "shipped") ++shippedOrders;
    if (status == "cancelled") ++cancelledOrders;
    if (status == "held" || status == "backordered") ++heldOrders;
    bool anyShort = false;
    auto lines = o->getArray("lines");
    for (std::size_t i = 0; i < lines->size(); ++i) {
      auto l = lines->getObject(static_cast<unsigned>(i));
      const auto sku = l->getValue<std::string>("sku");
      const auto shipped = l->getValue<std::int64_t>("shipped");
      orderShipped[sku] += shipped;
      committed[sku] += shipped + l->getValue<std::int64_t>("allocated");
      unitsShipped += shipped;
      if (l->getValue<std::int64_t>("short") > 0) anyShort = true;
    }
    if (anyShort) ++shortOrders;
  });
  if (!st) return st.error();

  // stock_mismatches: SKUs whose opening on-hand minus what orders say was
  // shipped plus every other ledger movement differs from the closing on-hand
  // (or whose ledger disagrees with the orders on shipped units).
  std::set<std::string> skus;
  for (const auto& [sku, q] : opening.onHand) skus.insert(sku);
  for (const auto& [sku, q] : closing->onHand) skus.insert(sku);
  std::int64_t mismatches = 0, oversells = 0;
  auto get = [](const std::map<std::string, std::int64_t>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? std::int64_t{0} : it->second;
  };
  for (const auto& sku : skus) {
    const auto expected = get(opening.onHand, sku) - get(orderShipped, sku) + get(ledgerOther, sku);
    if (expected != get(closing->onHand, sku) || get(ledgerShipped, sku) != get(orderShipped, sku)) ++mismatches;
    // oversold: more units promised to orders than the SKU ever had.
    const auto everHad = get(opening.onHand, sku) + std::max<std::int64_t>(0, get(ledgerOther, sku));
    if (get(committed, sku) > everHad) ++oversells;
  }

  // Orders still in a stage of the outbound flow, and what else the server
  // says about the day.
  auto orderSummary = client.call("GET", "/api/v1/orders/summary");
  if (!orderSummary) return orderSummary.error();
  auto unfinished = orderSummary->json->getObject("unfinished");
  auto exceptions = client.call("GET", "/api/v1/exceptions/summary");
  if (!exceptions) return exceptions.error();
  auto stages = client.call("GET", "/api/v1/orders/stages");
  if (!stages) return stages.error();
  auto totes = client.call("GET", "/api/v1/totes");
  auto metrics = client.send("GET", "/metrics");

  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Object::Ptr in = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [channel, n] : ordersIn) in->set(channel, n);
  out->set("orders_in", in);
  Poco::Dynamic::Var null;
  out->set("orders_shipped", day.picking ? Poco::Dynamic::Var(shippedOrders) : null);
  out->set("orders_short", day.picking ? Poco::Dynamic::Var(shortOrders) : null);
  out->set("orders_held", heldOrders);
  out->set("orders_cancelled", cancelledOrders);
  out->set("orders_unfinished", unfinished->getValue<std::int64_t>("total"));
  out->set("orders_unfinished_by_stage", unfinished->getObject("by_stage"));
  out->set("units_shipped", day.picking ? Poco::Dynamic::Var(unitsShipped) : null);
  out->set("units_received", unitsReceived);
  out->set("putaway_tasks", putawayRows / 2);
  out->set("replenishments", replenishmentRows / 2);
  out->set("count_variances", countVariances);
  out->set("stock_mismatches", mismatches);
  out->set("oversells", oversells);
  out->set("channels_out_of_sync", day.channels ? Poco::Dynamic::Var(day.channelsOutOfSync) : null);
  out->set("fulfilments_missing", day.fulfilmentsMissing ? Poco::Dynamic::Var(*day.fulfilmentsMissing) : null);
  out->set("shipped_after_channel_cancel",
           day.shippedAfterChannelCancel ? Poco::Dynamic::Var(*day.shippedAfterChannelCancel) : null);
  out->set("store_orders_refused", day.storeRefused);
  out->set("pack_failures", day.packFailures);
  // The rest of orders_shipped went out through handhelds in pack mode (or people).
  out->set("shipped_by_rest_packers", day.shippedByRestPackers);
  out->set("exceptions_open", exceptions->json->getValue<std::int64_t>("open"));
  out->set("exceptions_open_by_kind", exceptions->json->getObject("open_by_kind"));
  // The longest any order waited in a status before the next, in seconds.
  Poco::JSON::Object::Ptr waits = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  auto longest = stages->json->getObject("longest_wait");
  for (const char* status : {"allocated", "released", "picking", "picked", "packed"}) {
    if (longest->has(status))
      waits->set(status, std::round(static_cast<double>(longest->getObject(status)->getValue<std::int64_t>("ms")) / 100) / 10);
  }
  out->set("longest_wait_s", waits);
  out->set("totes_lowest_free", totes ? totes->json->get("lowest_free") : null);
  out->set("totes_bound_twice", day.totesBoundTwice);
  // wmsd's own figures from /metrics: CPU, peak memory, pick confirmations.
  auto metric = [&](const std::string& line) -> Poco::Dynamic::Var {
    if (!metrics || metrics->status != 200) return null;
    const std::string body = "\n" + metrics->body;
    const auto at = body.find("\n" + line + " ");
    if (at == std::string::npos) return null;
    return std::stod(body.substr(at + line.size() + 2));
  };
  auto rss = metric("process_resident_memory_peak_bytes");
  out->set("wmsd_peak_rss_mb", rss.isEmpty() ? null : Poco::Dynamic::Var(std::round(rss.convert<double>() / 1048576)));
  out->set("wmsd_cpu_s", metric("process_cpu_seconds_total"));
  out->set("pick_confirm_p99_ms", metric("mqtt_event_latency_ms{type=\"pick.confirm\",quantile=\"0.99\"}"));
  // Batches a late cancel emptied, before and after a picker had them.
  Poco::JSON::Object::Ptr emptied = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const char* was : {"ready", "assigned"}) {
    auto n = metric(std::string("batches_emptied_total{was=\"") + was + "\"}");
    emptied->set(was, n.isEmpty() ? Poco::Dynamic::Var(0) : n);
  }
  out->set("batches_emptied", emptied);
  // Handheld events wmsd refused (a conversation out of step, a pick the
  // server could not take): 0 on a good day. From the database's record of
  // every event (GET /api/v1/devices), so that a day on which wmsd was
  // restarted counts them all; null if wmsd could not say.
  auto devices = client.call("GET", "/api/v1/devices");
  out->set("events_refused", devices && devices->json && devices->json->has("events_refused")
                                 ? devices->json->get("events_refused")
                                 : null);
  out->set("duration_s", std::round(day.durationS * 10) / 10);
  return out;
}

}  // namespace wms::demo
