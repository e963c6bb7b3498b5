#include "WaveRoutes.h"

#include "Json.h"
#include "wms/domain/Csv.h"

namespace wms::server::http {
namespace {

using json::stringify;

Response ok(const Poco::JSON::Object::Ptr& body, int status = 200) { return Response::json(status, stringify(body)); }

Poco::Dynamic::Var timeOrNull(std::int64_t ms) {
  return ms ? Poco::Dynamic::Var(json::isoTime(ms)) : Poco::Dynamic::Var();
}

Poco::JSON::Object::Ptr waveJson(const waves::WaveRow& w) {
  auto o = json::object();
  o->set("id", w.id);
  o->set("name", w.name);
  o->set("site", w.site);
  o->set("status", toString(w.status));
  o->set("trigger", w.trigger);
  o->set("reason", w.reason);
  o->set("carrier", w.carrier);
  o->set("cutoff", timeOrNull(w.cutoffMs));
  o->set("method", w.method);
  o->set("released_at", json::isoTime(w.releasedAtMs));
  o->set("finished_at", timeOrNull(w.finishedAtMs));
  o->set("orders", w.orders);
  o->set("lines", w.lines);
  o->set("units", w.units);
  o->set("batches", w.batches);
  o->set("planned_m", static_cast<double>(w.plannedMm) / 1000.0);
  return o;
}

Poco::JSON::Object::Ptr batchJson(const waves::BatchRow& b) {
  auto o = json::object();
  o->set("id", b.id);
  o->set("wave_id", b.waveId);
  o->set("number", b.number);
  o->set("status", toString(b.status));
  o->set("device", b.device);
  o->set("badge", b.badge);
  o->set("rev", b.rev);
  o->set("zone", b.zone);
  o->set("totes", b.totes);
  o->set("units", b.units);
  o->set("planned_m", static_cast<double>(b.plannedMm) / 1000.0);
  o->set("oversize", b.oversize);
  o->set("assigned_at", timeOrNull(b.assignedAtMs));
  o->set("finished_at", timeOrNull(b.finishedAtMs));
  return o;
}

Result<int> limitOf(const Request& req) {
  std::string v = req.q("limit");
  if (v.empty()) return 100;
  auto n = domain::parseInt64(v);
  if (!n || *n < 1 || *n > 1000) return Error{ErrorKind::Invalid, "limit must be a whole number from 1 to 1000"};
  return static_cast<int>(*n);
}

// ?status= of a listing: absent or empty lists every status; an unknown one
// is refused rather than answered with an empty list.
template <class Status>
Result<std::optional<Status>> statusFilter(const Request& req, std::optional<Status> (*from)(std::string_view) noexcept,
                                           const char* known) {
  const std::string v = req.q("status");
  if (v.empty()) return std::optional<Status>{};
  auto status = from(v);
  if (!status) return Error{ErrorKind::Invalid, "unknown status '" + v + "' (one of " + known + ")"};
  return std::optional<Status>{*status};
}

Result<std::int64_t> idOf(const std::string& text, const std::string& what) {
  auto n = domain::parseInt64(text);
  if (!n || *n <= 0) return Error{ErrorKind::NotFound, "no " + what + " '" + text + "'"};
  return *n;
}

Result<std::string> optionalText(const Request& req, const std::string& field) {
  if (req.body.empty()) return std::string();
  auto r = json::readBody(req.body);
  if (!r) return r.error();
  std::string value = r->text(field, json::Need::Optional, 1000);
  if (auto st = r->finish(); !st) return st.error();
  return value;
}

}  // namespace

void addWaveRoutes(Router& router, ApiContext& ctx) {
  const std::size_t maxBody = ctx.config.maxBodyBytes;

  router.add(
      "POST", "/api/v1/waves/release",
      [&ctx](const Request& req) {
        ReleaseRequest request;
        if (!req.body.empty()) {
          auto r = json::readBody(req.body);
          if (!r) return Response::error(r.error());
          request.site = r->text("site", json::Need::Optional, 100);
          const std::string method = r->text("method", json::Need::Optional, 20);
          request.orders = r->integers("orders", json::Need::Optional, 100000);
          if (r->ok() && r->has("method")) {
            auto m = wms::waves::parseBatchingMethod(method);
            if (m) request.method = *m;
            else r->fail("method", "must be fcfs, seed or savings");
          }
          if (auto st = r->finish(); !st) return Response::error(st.error());
        }
        auto released = ctx.waves.release(request);
        if (!released) return Response::error(released.error());
        auto o = json::object();
        auto arr = json::array();
        for (const auto& w : released->waves) arr->add(waveJson(w));
        o->set("waves", arr);
        auto rejected = json::array();
        for (const auto& [id, message] : released->rejected) {
          auto r = json::object();
          r->set("order", id);
          r->set("reason", message);
          rejected->add(r);
        }
        o->set("rejected", rejected);
        auto deferred = json::array();
        for (const auto& [id, message] : released->deferred) {
          auto r = json::object();
          r->set("order", id);
          r->set("reason", message);
          deferred->add(r);
        }
        o->set("deferred", deferred);
        return ok(o, released->waves.empty() ? 200 : 201);
      },
      maxBody);

  router.add("GET", "/api/v1/waves/preview", [&ctx](const Request& req) {
    auto proposals = ctx.waves.preview(req.q("site"));
    if (!proposals) return Response::error(proposals.error());
    auto o = json::object();
    auto arr = json::array();
    for (const auto& p : *proposals) {
      auto po = json::object();
      po->set("name", p.name);
      po->set("carrier", p.carrier);
      po->set("cutoff", p.cutoffMs ? Poco::Dynamic::Var(json::isoTime(*p.cutoffMs)) : Poco::Dynamic::Var());
      po->set("orders", static_cast<Poco::UInt64>(p.orders.size()));
      po->set("lines", p.lines);
      po->set("units", p.units);
      po->set("latest_release",
              p.latestReleaseMs ? Poco::Dynamic::Var(json::isoTime(*p.latestReleaseMs)) : Poco::Dynamic::Var());
      po->set("expected_finish", json::isoTime(p.expectedFinishMs));
      po->set("due", p.due);
      po->set("late", p.late);
      arr->add(po);
    }
    o->set("waves", arr);
    return ok(o);
  });

  router.add("GET", "/api/v1/waves", [&ctx](const Request& req) {
    auto limit = limitOf(req);
    if (!limit) return Response::error(limit.error());
    auto before = domain::parseInt64(req.q("before", "0"));
    if (!before || *before < 0) return Response::error(Error{ErrorKind::Invalid, "before must be a wave id"});
    auto status = statusFilter(req, waves::waveStatusFrom, "released, picking, done or cancelled");
    if (!status) return Response::error(status.error());
    auto rows = ctx.waves.listWaves(*status, *before, *limit);
    if (!rows) return Response::error(rows.error());
    auto o = json::object();
    auto arr = json::array();
    for (const auto& w : *rows) arr->add(waveJson(w));
    o->set("items", arr);
    return ok(o);
  });

  router.add("GET", "/api/v1/waves/{id}", [&ctx](const Request& req) {
    auto id = idOf(req.params[0], "wave");
    if (!id) return Response::error(id.error());
    auto d = ctx.waves.wave(*id);
    if (!d) return Response::error(d.error());
    auto o = waveJson(d->wave);
    auto progress = json::object();
    progress->set("lines_total", d->counts.linesTotal);
    progress->set("lines_done", d->counts.linesDone);
    progress->set("lines_short", d->counts.linesShort);
    progress->set("units_total", d->counts.unitsTotal);
    progress->set("units_picked", d->counts.unitsPicked);
    progress->set("units_short", d->counts.unitsShort);
    progress->set("totes_total", d->counts.totesTotal);
    progress->set("totes_done", d->counts.totesDone);
    if (d->progress) {
      progress->set("expected_finish", json::isoTime(d->progress->expectedFinishMs));
      progress->set("late", d->progress->late);
      progress->set("slack_s", d->progress->slackMs ? Poco::Dynamic::Var(*d->progress->slackMs / 1000)
                                                    : Poco::Dynamic::Var());
    }
    o->set("progress", progress);
    auto arr = json::array();
    for (const auto& b : d->batches) arr->add(batchJson(b));
    o->set("batches_detail", arr);
    return ok(o);
  });

  router.add(
      "POST", "/api/v1/waves/{id}/cancel",
      [&ctx](const Request& req) {
        auto id = idOf(req.params[0], "wave");
        if (!id) return Response::error(id.error());
        auto reason = optionalText(req, "reason");
        if (!reason) return Response::error(reason.error());
        auto w = ctx.waves.cancelWave(*id, *reason);
        if (!w) return Response::error(w.error());
        return ok(waveJson(*w));
      },
      maxBody);

  router.add("GET", "/api/v1/batches", [&ctx](const Request& req) {
    auto limit = limitOf(req);
    if (!limit) return Response::error(limit.error());
    auto wave = domain::parseInt64(req.q("wave", "0"));
    if (!wave || *wave < 0) return Response::error(Error{ErrorKind::Invalid, "wave must be a wave id"});
    auto status = statusFilter(req, waves::batchStatusFrom, "ready, assigned, done or cancelled");
    if (!status) return Response::error(status.error());
    auto rows = ctx.waves.listBatches(*wave, *status, *limit);
    if (!rows) return Response::error(rows.error());
    auto o = json::object();
    auto arr = json::array();
    for (const auto& b : *rows) arr->add(batchJson(b));
    o->set("items", arr);
    return ok(o);
  });

  router.add("GET", "/api/v1/totes", [&ctx](const Request&) {
    auto pool = ctx.waves.totePool();
    if (!pool) return Response::error(pool.error());
    auto o = json::object();
    o->set("pool", pool->size);
    o->set("free", pool->free);
    o->set("on_carts", pool->onCarts);
    o->set("holding_picked_units", pool->holding);
    o->set("lowest_free", pool->lowestFree);
    o->set("bound_twice", pool->boundTwice);
    return ok(o);
  });
  router.add("GET", "/api/v1/batches/{id}", [&ctx](const Request& req) {
    auto id = idOf(req.params[0], "batch");
    if (!id) return Response::error(id.error());
    auto d = ctx.waves.batch(*id);
    if (!d) return Response::error(d.error());
    auto o = batchJson(d->batch);
    auto totes = json::array();
    for (const auto& t : d->totes) {
      auto to = json::object();
      to->set("number", t.number);
      to->set("tote", t.tote);
      to->set("order_id", t.orderId);
      totes->add(to);
    }
    o->set("cart", totes);
    auto stops = json::array();
    for (const auto& s : d->stops) {
      auto so = json::object();
      so->set("stop_id", s.stopId);
      so->set("seq", s.seq);
      so->set("location", s.location);
      so->set("sku", s.sku);
      so->set("lot", s.lot);
      so->set("expiry", s.expiry);
      so->set("qty", s.qty);
      so->set("picked", s.picked);
      so->set("short", s.shortQty);
      so->set("status", toString(s.status));
      so->set("reason", s.reason);
      auto puts = json::array();
      for (const auto& p : s.puts) {
        auto po = json::object();
        po->set("tote", p.tote);
        po->set("order_id", p.orderId);
        po->set("line_no", p.lineNo);
        po->set("qty", p.qty);
        po->set("picked", p.picked);
        puts->add(po);
      }
      so->set("puts", puts);
      stops->add(so);
    }
    o->set("stops", stops);
    return ok(o);
  });

  router.add(
      "POST", "/api/v1/batches/{id}/reassign",
      [&ctx](const Request& req) {
        auto id = idOf(req.params[0], "batch");
        if (!id) return Response::error(id.error());
        auto device = optionalText(req, "device");
        if (!device) return Response::error(device.error());
        auto b = ctx.waves.reassignBatch(*id, *device);
        if (!b) return Response::error(b.error());
        return ok(batchJson(*b));
      },
      maxBody);
}

}  // namespace wms::server::http
