#include "ApiV1.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "Json.h"
#include "Mapping.h"
#include "wms/assets/Assets.h"
#include "wms/domain/Csv.h"
#include "wms/identity/Identity.h"
#include "wms/store/DeviceRepository.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/OrderRepository.h"
#include "wms/server/Watchdog.h"

namespace wms::server::http {
namespace {

using json::stringify;

Response ok(const Poco::JSON::Object::Ptr& body, int status = 200) { return Response::json(status, stringify(body)); }

template <class T>
Response fail(const Result<T>& r) {
  return Response::error(r.error());
}

// Who the ledger names for a request: the caller the edge proved.
stock::Actor callerOf(const Request& req) {
  return req.caller.empty() ? stock::Actor::integration("rest-api") : stock::Actor{req.caller};
}

// ?limit= (1..1000, default 100); Invalid for anything else.
Result<int> limitOf(const Request& req) {
  std::string v = req.q("limit");
  if (v.empty()) return 100;
  auto n = domain::parseInt64(v);
  if (!n || *n < 1 || *n > 1000) return Error{ErrorKind::Invalid, "limit must be a whole number from 1 to 1000"};
  return static_cast<int>(*n);
}

template <class T, class Key>
Response page(const std::vector<T>& items, int limit, Key key) {
  auto o = json::object();
  auto arr = json::array();
  for (const auto& item : items) arr->add(json::toJson(item));
  o->set("items", arr);
  if (static_cast<int>(items.size()) == limit && !items.empty()) o->set("next_after", key(items.back()));
  else o->set("next_after", Poco::Dynamic::Var());
  return ok(o);
}

Result<domain::OrderId> orderIdOf(const std::string& text) {
  auto n = domain::parseInt64(text);
  if (!n || *n <= 0) return Error{ErrorKind::NotFound, "no order '" + text + "'"};
  return static_cast<domain::OrderId>(*n);
}

Result<ImportMode> importModeOf(const Request& req) {
  std::string mode = req.q("mode", "all-or-nothing");
  if (mode == "all-or-nothing") return ImportMode::AllOrNothing;
  if (mode == "skip-bad") return ImportMode::SkipBad;
  return Error{ErrorKind::Invalid, "mode must be all-or-nothing or skip-bad"};
}

// wmsd's own CPU time and memory, as Prometheus' process collector names
// them: what a long day costs the machine.
std::string processFigures() {
  std::string out;
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    char line[64];
    std::snprintf(line, sizeof line, "process_cpu_seconds_total %.2f\n", cpu);
    out += line;
    // ru_maxrss is in KiB on Linux: the peak resident set.
    out += "process_resident_memory_peak_bytes " + std::to_string(static_cast<long long>(usage.ru_maxrss) * 1024) + "\n";
  }
  return out;
}

}  // namespace

void addApiV1(Router& router, ApiContext& ctx) {
  const std::size_t maxBody = ctx.config.maxBodyBytes;

  // --- web pages (compiled in: server/assets) ---------------------------------
  auto servePage = [](const std::string& path) {
    auto asset = assets::find(path);
    if (!asset) return Response::error(Error{ErrorKind::NotFound, "no page '" + path + "'"});
    Response r = Response::text(200, std::string(reinterpret_cast<const char*>(asset->data), asset->size),
                                asset->contentType);
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
  };
  router.add("GET", "/", [](const Request&) {
    Response r = Response::text(302, "see /dashboard/\n");
    r.headers.emplace_back("Location", "/dashboard/");
    return r;
  });
  for (const std::string dir : {"dashboard", "packing", "sign-in"}) {
    router.add("GET", "/" + dir, [servePage, dir](const Request&) { return servePage(dir + "/index.html"); });
    router.add("GET", "/" + dir + "/{file}",
               [servePage, dir](const Request& req) { return servePage(dir + "/" + req.params[0]); });
  }

  // Whether the database can write is asked with a real write (a full disk
  // or a read-only file lets reads through), at most once a second however
  // often /healthz is called: it is public.
  struct WriteProbe {
    std::mutex mutex;
    std::chrono::steady_clock::time_point at{};
    Status last;
  };
  auto probe = std::make_shared<WriteProbe>();
  router.add("GET", "/healthz", [&ctx, probe](const Request&) {
    auto st = ctx.db.read([](store::Tx&) -> Status { return {}; });
    if (st) {
      std::lock_guard lock(probe->mutex);
      const auto now = std::chrono::steady_clock::now();
      if (now - probe->at >= std::chrono::seconds(1)) {
        probe->last = ctx.db.probeWrite();
        probe->at = now;
      }
      if (!probe->last) {
        st = makeError(ErrorKind::Unavailable, "cannot write: " + probe->last.error().message);
      } else if (auto writes = ctx.db.writeHealth(); !writes.ok) {
        st = makeError(ErrorKind::Unavailable, "cannot write: " + writes.reason);
      }
    }
    auto o = json::object();
    o->set("status", st ? "ok" : "degraded");
    o->set("database", st ? "ok" : st.error().message);
    o->set("schema_version", ctx.db.schemaVersion());
    // The handhelds' link: "ok" once device events reach wmsd. A broker
    // that is away is waited for (HTTP is served meanwhile); a refused
    // login does not heal by itself and no handheld gets work: degraded.
    const auto link = ctx.gateway.link();
    o->set("mqtt", link.text());
    if (link.state == MqttLink::State::LoginRefused) {
      o->set("status", "degraded");
      return ok(o, 503);
    }
    return ok(o, st ? 200 : 503);
  });

  router.add("GET", "/metrics", [&ctx](const Request&) {
    auto stats = ctx.db.stats();
    std::string text = ctx.metrics.render();
    text += "store_writes_total " + std::to_string(stats.writes) + "\n";
    text += "store_commits_total " + std::to_string(stats.commits) + "\n";
    text += "store_failed_writes_total " + std::to_string(stats.failedWrites) + "\n";
    // 1 while writes fail for the disk's sake (full, read-only, I/O errors).
    text += "store_write_failing " + std::string(ctx.db.writeHealth().ok ? "0" : "1") + "\n";
    text += "store_queued_writes " + std::to_string(stats.queued) + "\n";
    text += processFigures();
    return Response::text(200, text);
  });

  // --- catalogue ---------------------------------------------------------
  router.add("GET", "/api/v1/skus", [&ctx](const Request& req) {
    auto limit = limitOf(req);
    if (!limit) return fail(limit);
    auto skus = ctx.catalog.listSkus(req.q("after"), *limit);
    if (!skus) return fail(skus);
    return page(*skus, *limit, [](const domain::Sku& s) { return s.code; });
  });
  auto putSku = [&ctx](const Request& req, const std::string& code, int created) {
    auto sku = json::skuFromJson(req.body, code);
    if (!sku) return fail(sku);
    auto saved = ctx.catalog.putSku(*sku);
    if (!saved) return fail(saved);
    return ok(json::toJson(*saved), created);
  };
  router.add("POST", "/api/v1/skus", [putSku](const Request& req) { return putSku(req, "", 201); }, maxBody);
  router.add("PUT", "/api/v1/skus/{sku}", [putSku](const Request& req) { return putSku(req, req.params[0], 200); },
             maxBody);
  router.add("GET", "/api/v1/skus/{sku}", [&ctx](const Request& req) {
    auto sku = ctx.catalog.getSku(req.params[0]);
    if (!sku) return fail(sku);
    return ok(json::toJson(*sku));
  });
  router.add(
      "POST", "/api/v1/skus/{sku}/barcodes",
      [&ctx](const Request& req) {
        auto r = json::readBody(req.body);
        if (!r) return fail(r);
        std::string barcode = r->text("barcode", json::Need::Required, 100);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        auto sku = ctx.catalog.addBarcode(req.params[0], barcode);
        if (!sku) return fail(sku);
        return ok(json::toJson(*sku), 201);
      },
      maxBody);
  router.add("GET", "/api/v1/barcodes/{code}", [&ctx](const Request& req) {
    auto sku = ctx.catalog.lookupBarcode(req.params[0]);
    if (!sku) return fail(sku);
    return ok(json::toJson(*sku));
  });

  router.add("GET", "/api/v1/locations", [&ctx](const Request& req) {
    auto limit = limitOf(req);
    if (!limit) return fail(limit);
    auto locs = ctx.catalog.listLocations(req.q("zone"), req.q("after"), *limit);
    if (!locs) return fail(locs);
    return page(*locs, *limit, [](const domain::Location& l) { return l.code; });
  });
  auto putLocation = [&ctx](const Request& req, const std::string& code, int status) {
    auto loc = json::locationFromJson(req.body, code);
    if (!loc) return fail(loc);
    auto saved = ctx.catalog.putLocation(*loc);
    if (!saved) return fail(saved);
    return ok(json::toJson(*saved), status);
  };
  router.add("POST", "/api/v1/locations", [putLocation](const Request& req) { return putLocation(req, "", 201); },
             maxBody);
  router.add("PUT", "/api/v1/locations/{code}",
             [putLocation](const Request& req) { return putLocation(req, req.params[0], 200); }, maxBody);
  router.add("GET", "/api/v1/locations/{code}", [&ctx](const Request& req) {
    auto loc = ctx.catalog.getLocation(req.params[0]);
    if (!loc) return fail(loc);
    return ok(json::toJson(*loc));
  });
  router.add("GET", "/api/v1/locations/{code}/stock", [&ctx](const Request& req) {
    auto rows = ctx.stock.atLocation(req.params[0]);
    if (!rows) return fail(rows);
    auto o = json::object();
    o->set("location", req.params[0]);
    auto arr = json::array();
    for (const auto& r : *rows) arr->add(json::toJson(r));
    o->set("stock", arr);
    return ok(o);
  });

  // --- stock ----------------------------------------------------------------
  router.add("GET", "/api/v1/stock", [&ctx](const Request& req) {
    auto limit = limitOf(req);
    if (!limit) return fail(limit);
    auto rows = ctx.stock.list(req.q("after"), *limit);
    if (!rows) return fail(rows);
    return page(*rows, *limit, [](const domain::SkuStock& s) { return s.sku; });
  });
  router.add("GET", "/api/v1/stock/{sku}", [&ctx](const Request& req) {
    auto view = ctx.stock.skuStock(req.params[0]);
    if (!view) return fail(view);
    auto o = json::toJson(view->totals);
    auto arr = json::array();
    for (const auto& r : view->locations) arr->add(json::toJson(r));
    o->set("locations", arr);
    return ok(o);
  });
  router.add(
      "POST", "/api/v1/stock/adjustments",
      [&ctx](const Request& req) {
        auto a = json::adjustmentFromJson(req.body);
        if (!a) return fail(a);
        if (a->idempotencyKey.empty()) a->idempotencyKey = req.header("idempotency-key");
        auto result = ctx.stock.adjust(*a, callerOf(req));
        if (!result) return fail(result);
        auto o = json::object();
        o->set("ledger_id", result->ledgerId);
        o->set("replayed", result->replayed);
        o->set("stock", json::toJson(result->totals));
        return ok(o, result->replayed ? 200 : 201);
      },
      maxBody);
  router.add("GET", "/api/v1/ledger", [&ctx](const Request& req) {
    auto limit = limitOf(req);
    if (!limit) return fail(limit);
    auto after = domain::parseInt64(req.q("after", "0"));
    if (!after || *after < 0) return Response::error(Error{ErrorKind::Invalid, "after must be a ledger id"});
    auto rows = ctx.stock.ledger(req.q("sku"), *after, *limit);
    if (!rows) return fail(rows);
    return page(*rows, *limit, [](const domain::LedgerEntry& e) { return std::to_string(e.id); });
  });
  router.add("GET", "/api/v1/audit", [&ctx](const Request&) {
    auto report = ctx.stock.audit();
    if (!report) return fail(report);
    auto o = json::object();
    o->set("skus_checked", static_cast<Poco::UInt64>(report->skusChecked));
    o->set("ok", report->violations.empty());
    auto arr = json::array();
    for (const auto& v : report->violations) {
      auto vo = json::object();
      vo->set("sku", v.sku);
      vo->set("problem", v.message);
      arr->add(vo);
    }
    o->set("violations", arr);
    return ok(o);
  });

  // --- orders ---------------------------------------------------------------
  router.add(
      "POST", "/api/v1/orders",
      [&ctx](const Request& req) {
        auto order = json::newOrderFromJson(req.body);
        if (!order) return fail(order);
        auto result = ctx.orders.create(*order, req.header("idempotency-key"), callerOf(req));
        if (!result) return fail(result);
        ctx.metrics.add("orders_received_total",
                        std::string("channel=\"") + domain::toString(result->order.channel) + "\"",
                        result->created ? 1 : 0);
        return ok(json::toJson(result->order), result->created ? 201 : 200);
      },
      maxBody);
  router.add("GET", "/api/v1/orders", [&ctx](const Request& req) {
    auto limit = limitOf(req);
    if (!limit) return fail(limit);
    store::OrderFilter f;
    f.limit = *limit;
    if (auto c = req.q("channel"); !c.empty()) {
      f.channel = domain::channelFromString(c);
      if (!f.channel) return Response::error(Error{ErrorKind::Invalid, "unknown channel '" + c + "'"});
    }
    if (auto s = req.q("status"); !s.empty()) {
      f.status = domain::orderStatusFromString(s);
      if (!f.status) return Response::error(Error{ErrorKind::Invalid, "unknown status '" + s + "'"});
    }
    f.sku = req.q("sku");
    auto after = domain::parseInt64(req.q("after", "0"));
    if (!after || *after < 0) return Response::error(Error{ErrorKind::Invalid, "after must be an order id"});
    f.afterId = *after;
    auto orders = ctx.orders.list(f);
    if (!orders) return fail(orders);
    return page(*orders, *limit, [](const domain::Order& o) { return std::to_string(o.id); });
  });
  router.add("GET", "/api/v1/orders/summary", [&ctx](const Request&) {
    std::vector<std::pair<domain::OrderStatus, std::int64_t>> counts;
    auto st = ctx.db.read([&](store::Tx& tx) -> Status {
      counts = store::OrderRepository(tx).countByStatus();
      return {};
    });
    if (!st) return Response::error(st.error());
    auto o = json::object();
    auto by = json::object();
    std::int64_t total = 0;
    // Unfinished: in one of the outbound flow's stages, neither shipped nor
    // cancelled nor waiting for stock or a person.
    std::map<Stage, std::int64_t> unfinished;
    for (auto stage : kStages) unfinished[stage] = 0;
    std::int64_t unfinishedTotal = 0;
    for (const auto& [status, n] : counts) {
      by->set(domain::toString(status), n);
      total += n;
      if (auto stage = stageOf(status)) {
        unfinished[*stage] += n;
        unfinishedTotal += n;
      }
    }
    o->set("total", total);
    o->set("by_status", by);
    auto u = json::object();
    u->set("total", unfinishedTotal);
    auto byStage = json::object();
    for (const auto& [stage, n] : unfinished) byStage->set(toString(stage), n);
    u->set("by_stage", byStage);
    o->set("unfinished", u);
    return ok(o);
  });
  // How long orders took in each stage: the longest wait between entering a
  // status and the next, over every order's history (a report: it reads the
  // whole history).
  router.add("GET", "/api/v1/orders/stages", [&ctx](const Request&) {
    auto o = json::object();
    auto longest = json::object();
    auto st = ctx.db.read([&](store::Tx& tx) -> Status {
      store::OrderRepository orders(tx);
      for (auto status : {domain::OrderStatus::Backordered, domain::OrderStatus::Held, domain::OrderStatus::Allocated,
                          domain::OrderStatus::Released, domain::OrderStatus::Picking, domain::OrderStatus::Picked,
                          domain::OrderStatus::Packed}) {
        auto w = orders.longestWaitIn(status);
        if (!w) continue;
        auto wo = json::object();
        wo->set("ms", w->ms);
        wo->set("order", w->order);
        wo->set("next", domain::toString(w->next));
        longest->set(domain::toString(status), wo);
      }
      return {};
    });
    if (!st) return Response::error(st.error());
    o->set("longest_wait", longest);
    return ok(o);
  });
  router.add("GET", "/api/v1/orders/{id}", [&ctx](const Request& req) {
    auto id = orderIdOf(req.params[0]);
    if (!id) return fail(id);
    auto order = ctx.orders.get(*id);
    if (!order) return fail(order);
    auto o = json::toJson(*order);
    std::vector<std::pair<domain::OrderStatus, std::int64_t>> history;
    auto st = ctx.db.read([&](store::Tx& tx) -> Status {
      history = store::OrderRepository(tx).history(*id);
      return {};
    });
    if (!st) return Response::error(st.error());
    auto h = json::array();
    for (const auto& [status, at] : history) {
      auto e = json::object();
      e->set("status", domain::toString(status));
      e->set("at", json::isoTime(at));
      h->add(e);
    }
    o->set("history", h);
    return ok(o);
  });
  router.add("GET", "/api/v1/channels/{channel}/orders/{external_id}", [&ctx](const Request& req) {
    auto channel = domain::channelFromString(req.params[0]);
    if (!channel) return Response::error(Error{ErrorKind::NotFound, "no channel '" + req.params[0] + "'"});
    auto order = ctx.orders.getByExternal(*channel, req.params[1]);
    if (!order) return fail(order);
    return ok(json::toJson(*order));
  });
  router.add(
      "POST", "/api/v1/orders/{id}/cancel",
      [&ctx](const Request& req) {
        auto id = orderIdOf(req.params[0]);
        if (!id) return fail(id);
        std::string reason, returnTo;
        if (!req.body.empty()) {
          auto r = json::readBody(req.body);
          if (!r) return fail(r);
          reason = r->text("reason", json::Need::Optional, 1000);
          returnTo = r->text("return_to", json::Need::Optional, 64);
          if (auto st = r->finish(); !st) return Response::error(st.error());
        }
        auto order = ctx.orders.cancel(*id, reason, returnTo, callerOf(req));
        if (!order) return fail(order);
        return ok(json::toJson(*order));
      },
      maxBody);

  // --- handhelds and workers ----------------------------------------------------
  router.add("GET", "/api/v1/devices", [&ctx](const Request&) {
    std::vector<store::Device> devices;
    std::map<std::string, store::DeviceRepository::EventCounts> events;
    auto st = ctx.db.read([&](store::Tx& tx) -> Status {
      store::DeviceRepository repo(tx);
      devices = repo.list();
      events = repo.eventCounts();
      return {};
    });
    if (!st) return Response::error(st.error());
    auto o = json::object();
    auto arr = json::array();
    std::int64_t refused = 0;
    for (const auto& d : devices) {
      auto dj = json::object();
      dj->set("device", d.device);
      dj->set("state", d.state);
      dj->set("badge", d.badge);
      dj->set("mode", d.mode);
      dj->set("station", d.station.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(d.station));
      dj->set("app", d.app);
      dj->set("battery", d.battery);
      dj->set("rssi", d.rssi);
      dj->set("outbox", d.outbox);
      dj->set("last_seen", d.lastSeenMs ? Poco::Dynamic::Var(json::isoTime(d.lastSeenMs)) : Poco::Dynamic::Var());
      const auto counted = events.find(d.device);
      const auto counts = counted == events.end() ? store::DeviceRepository::EventCounts{} : counted->second;
      dj->set("events_applied", counts.applied);
      dj->set("events_refused", counts.refused);
      refused += counts.refused;
      arr->add(dj);
    }
    o->set("items", arr);
    o->set("events_refused", refused);
    return ok(o);
  });
  // A worker is a person account holding a badge (identity: the one record
  // of who may sign in on a handheld) and the badge's picking zones.
  router.add("GET", "/api/v1/workers", [&ctx](const Request&) {
    std::vector<std::pair<identity::Account, std::string>> workers;
    auto st = ctx.db.read([&](store::Tx& tx) -> Status {
      store::DeviceRepository devices(tx);
      for (auto& a : identity::badgeHolders(tx)) {
        auto zones = devices.zonesOf(a.badge);
        workers.emplace_back(std::move(a), std::move(zones));
      }
      return {};
    });
    if (!st) return Response::error(st.error());
    auto o = json::object();
    auto arr = json::array();
    for (const auto& [a, zones] : workers) {
      auto wj = json::object();
      wj->set("badge", a.badge);
      wj->set("name", a.name);
      wj->set("zones", zones);
      wj->set("active", a.active);
      arr->add(wj);
    }
    o->set("items", arr);
    return ok(o);
  });
  router.add(
      "POST", "/api/v1/workers",
      [&ctx](const Request& req) {
        auto r = json::readBody(req.body);
        if (!r) return fail(r);
        identity::HandheldWorker w;
        w.badge = r->text("badge", json::Need::Required, 100);
        if (r->has("name")) w.name = r->text("name", json::Need::Optional, 500);
        std::optional<std::string> zones;
        if (r->has("zones")) zones = r->text("zones", json::Need::Optional, 500);
        if (r->has("active")) w.active = r->flag("active", true);
        std::vector<std::string> roleNames;
        if (r->has("roles")) roleNames = r->strings("roles", json::Need::Optional, 6);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        if (auto st = identity::checkBadge(w.badge); !st) return Response::error(st.error());
        if (zones)
          if (auto st = domain::checkText(*zones, "zones", 200); !st) return Response::error(st.error());
        if (!roleNames.empty()) {
          std::string joined;
          for (const auto& n : roleNames) joined += (joined.empty() ? "" : ",") + n;
          auto roles = identity::parseRoles(joined);
          if (!roles) return Response::error(Error{ErrorKind::Invalid, "roles: " + roles.error().message});
          w.roles = *roles;
        }
        std::optional<identity::Account> person;
        std::string zonesNow;
        auto st = ctx.db.write([&](store::Tx& tx) -> Status {
          auto put = identity::putHandheldWorker(tx, w);
          if (!put) return put.error();
          person = *put;
          store::DeviceRepository devices(tx);
          if (zones) devices.setZones(w.badge, *zones);
          zonesNow = devices.zonesOf(w.badge);
          return {};
        });
        if (!st) return Response::error(st.error());
        auto o = json::object();
        o->set("badge", person->badge);
        o->set("name", person->name);
        o->set("zones", zonesNow);
        o->set("active", person->active);
        o->set("login", person->login);
        auto roles = json::array();
        for (auto role : identity::kAllRoles)
          if (person->roles.has(role)) roles->add(std::string(identity::toString(role)));
        o->set("roles", roles);
        return ok(o, 201);
      },
      maxBody);

  // --- supervisor exceptions ---------------------------------------------------
  router.add("GET", "/api/v1/exceptions", [&ctx](const Request& req) {
    auto limit = limitOf(req);
    if (!limit) return fail(limit);
    auto before = domain::parseInt64(req.q("before", "0"));
    if (!before || *before < 0) return Response::error(Error{ErrorKind::Invalid, "before must be an exception id"});
    const bool all = req.q("all") == "1" || req.q("all") == "true";
    std::vector<store::SupervisorException> rows;
    auto st = ctx.db.read([&](store::Tx& tx) -> Status {
      rows = store::ExceptionRepository(tx).list(all, *before, *limit);
      return {};
    });
    if (!st) return Response::error(st.error());
    auto o = json::object();
    auto arr = json::array();
    for (const auto& e : rows) {
      auto eo = json::object();
      eo->set("id", e.id);
      eo->set("at", json::isoTime(e.atMs));
      eo->set("kind", e.kind);
      eo->set("reference", e.reference);
      eo->set("message", e.message);
      eo->set("resolved", e.resolvedAtMs != 0);
      if (e.resolvedAtMs != 0) {
        eo->set("resolved_at", json::isoTime(e.resolvedAtMs));
        eo->set("resolution", e.resolution);
      }
      arr->add(eo);
    }
    o->set("items", arr);
    if (static_cast<int>(rows.size()) == *limit) o->set("next_before", rows.back().id);
    else o->set("next_before", Poco::Dynamic::Var());
    return ok(o);
  });
  router.add("GET", "/api/v1/exceptions/summary", [&ctx](const Request&) {
    std::vector<std::pair<std::string, std::int64_t>> counts;
    auto st = ctx.db.read([&](store::Tx& tx) -> Status {
      counts = store::ExceptionRepository(tx).openCounts();
      return {};
    });
    if (!st) return Response::error(st.error());
    auto o = json::object();
    auto by = json::object();
    std::int64_t open = 0;
    for (const auto& [kind, n] : counts) {
      by->set(kind, n);
      open += n;
    }
    o->set("open", open);
    o->set("open_by_kind", by);
    return ok(o);
  });
  router.add(
      "POST", "/api/v1/exceptions/{id}/resolve",
      [&ctx](const Request& req) {
        auto id = domain::parseInt64(req.params[0]);
        if (!id || *id <= 0) return Response::error(Error{ErrorKind::NotFound, "no exception '" + req.params[0] + "'"});
        std::string resolution;
        if (!req.body.empty()) {
          auto r = json::readBody(req.body);
          if (!r) return fail(r);
          resolution = r->text("resolution", json::Need::Optional, 1000);
          if (auto st = r->finish(); !st) return Response::error(st.error());
          if (auto st = domain::checkText(resolution, "resolution", 500); !st) return Response::error(st.error());
        }
        auto st = ctx.db.write([&](store::Tx& tx) { return store::ExceptionRepository(tx).resolve(*id, resolution); });
        if (!st) return Response::error(st.error());
        auto o = json::object();
        o->set("id", *id);
        o->set("resolved", true);
        return ok(o);
      },
      maxBody);

  // --- imports ----------------------------------------------------------------
  router.add(
      "POST", "/api/v1/import/{kind}",
      [&ctx](const Request& req) {
        auto mode = importModeOf(req);
        if (!mode) return fail(mode);
        const std::string& kind = req.params[0];
        const std::string key = req.header("idempotency-key");
        if (!key.empty()) {
          if (auto st = domain::checkExternalId(key, "Idempotency-Key"); !st) return Response::error(st.error());
        }
        Result<ImportReport> report = Error{ErrorKind::NotFound, "no import of '" + kind +
                                                                     "'; use catalogue, locations or stock"};
        if (kind == "catalogue") report = ctx.catalog.importCatalogue(req.body, *mode, key);
        else if (kind == "locations") report = ctx.catalog.importLocations(req.body, *mode, key);
        else if (kind == "stock") report = ctx.stock.importStock(req.body, *mode, key);
        if (!report) return fail(report);
        auto o = json::toJson(*report);
        if (*mode == ImportMode::AllOrNothing && !report->errors.empty()) {
          auto body = json::object();
          body->set("error", "invalid");
          const auto& first = report->errors.front();
          body->set("detail", "line " + std::to_string(first.line) + ": " + first.message + " (" +
                                  std::to_string(report->errors.size()) + " bad row(s); nothing was imported)");
          body->set("report", o);
          return ok(body, 422);
        }
        return ok(o);
      },
      ctx.config.maxImportBytes);
}

}  // namespace wms::server::http
