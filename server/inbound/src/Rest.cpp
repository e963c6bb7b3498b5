// The inbound endpoints (Rest.h). POCO's JSON is wrapped here: its
// exceptions never leave this file.
#include "wms/inbound/Rest.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <sstream>

#include "wms/domain/Ids.h"
#include "wms/json/ObjectReader.h"

namespace wms::inbound {
namespace {

using http::Request;
using http::Response;
using Poco::JSON::Array;
using Poco::JSON::Object;
using wms::json::Need;
using wms::json::ObjectReader;

constexpr std::size_t kMaxRequestBytes = 4u << 20;  // a notice of 1000 units fits

Result<ObjectReader> read(std::string_view body) { return wms::json::parseRequestBody(body, kMaxRequestBytes); }

// Who the ledger names for a request: the caller the HTTP edge proved.
stock::Actor callerOf(const Request& req) {
  return req.caller.empty() ? stock::Actor::integration("rest-api") : stock::Actor{req.caller};
}

Object::Ptr obj() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }
Poco::Int64 i64(std::int64_t v) { return static_cast<Poco::Int64>(v); }

std::string stringify(const Object::Ptr& o) {
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

// ---- reading ----

Result<PurchaseOrderInput> parseOrder(std::string_view body) {
  auto r = read(body);
  if (!r) return r.error();
  PurchaseOrderInput in;
  in.reference = r->text("reference", Need::Required, 64);
  in.supplier = r->text("supplier", Need::Required, 800);
  in.expectedDate = r->text("expected_date", Need::Optional, 10);
  in.note = r->text("note", Need::Optional, 2000);
  for (auto& l : r->objects("lines", Need::Required, 1000)) {
    PoLineInput line;
    line.sku = l.text("sku", Need::Required, 64);
    line.qty = l.integer("qty", Need::Required, {1, domain::kMaxQuantity});
    line.lot = l.text("lot", Need::Optional, 20);
    line.expiry = l.text("expiry", Need::Optional, 10);
    if (!l.finish()) break;
    in.lines.push_back(std::move(line));
  }
  for (auto& u : r->objects("units", Need::Optional, 1000)) {
    PoUnitInput unit;
    unit.sscc = u.text("sscc", Need::Required, 18);
    for (auto& c : u.objects("contents", Need::Required, 1000)) {
      PoUnitInput::Content content;
      content.lineNo = static_cast<int>(c.integer("line_no", Need::Required, {1, 1000}));
      content.qty = c.integer("qty", Need::Required, {1, domain::kMaxQuantity});
      if (!c.finish()) break;
      unit.contents.push_back(content);
    }
    if (!u.finish()) break;
    in.units.push_back(std::move(unit));
  }
  if (auto st = r->finish(); !st) return st.error();
  return in;
}

Result<ReceiptInput> parseReceipt(std::string_view body, std::int64_t poId, const std::string& headerKey) {
  auto r = read(body);
  if (!r) return r.error();
  ReceiptInput in;
  in.poId = poId;
  in.scan = r->text("scan", Need::Optional, 256);
  in.sku = r->text("sku", Need::Optional, 64);
  in.lot = r->text("lot", Need::Optional, 20);
  in.expiry = r->text("expiry", Need::Optional, 10);
  in.qty = r->integer("qty", Need::Required, {1, domain::kMaxQuantity});
  in.location = r->text("location", Need::Optional, 32);
  const std::string condition = r->text("condition", Need::Optional, 16);
  if (r->ok() && !condition.empty() && condition != "good" && condition != "damaged")
    r->fail("condition", "must be good or damaged");
  in.damaged = condition == "damaged";
  const std::string key = r->text("idempotency_key", Need::Optional, 128);
  if (auto st = r->finish(); !st) return st.error();
  if (!key.empty() && !headerKey.empty() && key != headerKey)
    return Error{ErrorKind::Invalid, "idempotency_key and the Idempotency-Key header differ"};
  in.idempotencyKey = key.empty() ? headerKey : key;
  if (in.idempotencyKey.empty())
    return Error{ErrorKind::Invalid, "idempotency_key (or an Idempotency-Key header) is required"};
  return in;
}

// ---- writing ----

Object::Ptr orderJson(const PurchaseOrder& po) {
  auto o = obj();
  o->set("id", i64(po.id));
  o->set("reference", po.reference);
  o->set("supplier", po.supplier);
  o->set("expected_date", po.expectedDate);
  o->set("note", po.note);
  o->set("status", toString(po.status));
  Poco::JSON::Array::Ptr lines = new Array();
  for (const auto& l : po.lines) {
    auto lo = obj();
    lo->set("line_no", l.lineNo);
    lo->set("sku", l.sku);
    lo->set("qty", i64(l.qty));
    lo->set("lot", l.lot);
    lo->set("expiry", l.expiry);
    lo->set("received", i64(l.received));
    lo->set("damaged", i64(l.damaged));
    lo->set("open", i64(l.open()));
    lines->add(lo);
  }
  o->set("lines", lines);
  Poco::JSON::Array::Ptr units = new Array();
  for (const auto& u : po.units) {
    auto uo = obj();
    uo->set("sscc", u.sscc);
    Poco::JSON::Array::Ptr contents = new Array();
    for (const auto& c : u.contents) {
      auto co = obj();
      co->set("line_no", c.lineNo);
      co->set("qty", i64(c.qty));
      contents->add(co);
    }
    uo->set("contents", contents);
    uo->set("received", u.receivedAtMs != 0);
    uo->set("location", u.location);
    units->add(uo);
  }
  o->set("units", units);
  return o;
}

std::string receiptJson(const ReceiptResult& r) {
  auto o = obj();
  o->set("duplicate", r.duplicate);
  Poco::JSON::Array::Ptr list = new Array();
  for (const auto& x : r.receipts) {
    auto ro = obj();
    ro->set("id", i64(x.id));
    ro->set("po_reference", x.poReference);
    ro->set("line_no", x.lineNo);
    ro->set("sku", x.sku);
    ro->set("lot", x.lot);
    ro->set("expiry", x.expiry);
    ro->set("qty", i64(x.qty));
    ro->set("condition", x.damaged ? "damaged" : "good");
    ro->set("location", x.location);
    ro->set("sscc", x.sscc);
    list->add(ro);
  }
  o->set("receipts", list);
  return stringify(o);
}

// ---- routing ----

std::optional<std::int64_t> idOf(const std::string& s) { return http::positiveId(s); }

template <class T, class F>
Response answer(const Result<T>& r, F&& write, int status = 200) {
  if (!r) return Response::error(r.error());
  return Response::json(status, write(*r));
}

// A route whose first {placeholder} is a purchase order id: one that cannot
// be an id is 404 naming it.
template <class F>
http::Handler withId(F&& endpoint) {
  return [endpoint](const Request& req) {
    auto id = idOf(req.params[0]);
    if (!id) return Response::error({ErrorKind::NotFound, "no purchase order '" + req.params[0].substr(0, 40) + "'"});
    return endpoint(req, *id);
  };
}

Poco::JSON::Object::Ptr suggestionJson(const PutawaySuggestion& s) {
  auto o = obj();
  o->set("location", s.location.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s.location));
  o->set("rule", s.rule);
  o->set("room", s.room ? Poco::Dynamic::Var(i64(*s.room)) : Poco::Dynamic::Var());
  return o;
}

void addPutawayRoutes(http::Router& router, PutawayService& p, std::size_t maxBody) {
  router.add("GET", "/api/v1/inbound/putaway/backlog", [&p](const Request& req) {
    int limit = 100;
    if (const std::string text = req.q("limit"); !text.empty()) {
      auto v = idOf(text);
      if (!v || *v > 500) return Response::error({ErrorKind::Invalid, "limit must be a whole number from 1 to 500"});
      limit = static_cast<int>(*v);
    }
    return answer(p.backlog(limit), [](const std::vector<BacklogItem>& items) {
      auto o = obj();
      Poco::JSON::Array::Ptr list = new Array();
      for (const auto& b : items) {
        auto bo = obj();
        bo->set("sku", b.sku);
        bo->set("location", b.location);
        bo->set("lot", b.lot);
        bo->set("expiry", b.expiry);
        bo->set("qty", i64(b.qty));
        bo->set("suggestion", suggestionJson(b.suggestion));
        list->add(bo);
      }
      o->set("items", list);
      return stringify(o);
    });
  });
  router.add("GET", "/api/v1/inbound/putaway/suggestion", [&p](const Request& req) {
    auto qty = idOf(req.q("qty", "1"));
    if (!qty) return Response::error({ErrorKind::Invalid, "qty must be a whole number from 1 to 1000000"});
    return answer(p.suggest(req.q("sku"), *qty, req.q("lot"), req.q("expiry")),
                  [](const PutawaySuggestion& s) { return stringify(suggestionJson(s)); });
  });
  router.add(
      "POST", "/api/v1/inbound/putaway",
      [&p](const Request& req) {
        auto r = read(req.body);
        if (!r) return Response::error(r.error());
        PutawayInput in;
        in.sku = r->text("sku", Need::Required, 64);
        in.from = r->text("from", Need::Required, 32);
        in.lot = r->text("lot", Need::Optional, 20);
        in.expiry = r->text("expiry", Need::Optional, 10);
        in.qty = r->integer("qty", Need::Required, {1, domain::kMaxQuantity});
        in.to = r->text("to", Need::Required, 32);
        in.reason = r->text("reason", Need::Optional, 800);
        in.idempotencyKey = r->text("idempotency_key", Need::Optional, 128);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        if (in.idempotencyKey.empty()) in.idempotencyKey = req.header("idempotency-key");
        return answer(p.confirm(in), [](const PutawayResult& x) {
          auto o = obj();
          o->set("id", i64(x.id));
          o->set("duplicate", x.duplicate);
          o->set("sku", x.sku);
          o->set("from", x.from);
          o->set("to", x.to);
          o->set("qty", i64(x.qty));
          o->set("suggested", x.suggested);
          o->set("reason", x.reason);
          return stringify(o);
        });
      },
      maxBody);
  router.add(
      "PUT", "/api/v1/inbound/locations/{code}/capacity",
      [&p](const Request& req) {
        auto r = read(req.body);
        if (!r) return Response::error(r.error());
        const auto units = r->integer("max_units", Need::Required, {0, 10'000'000});
        if (auto st = r->finish(); !st) return Response::error(st.error());
        if (auto st = p.setCapacity(req.params[0], units); !st) return Response::error(st.error());
        auto o = obj();
        o->set("location", req.params[0]);
        o->set("max_units", units == 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(i64(units)));
        return Response::json(200, stringify(o));
      },
      maxBody);
  router.add(
      "POST", "/api/v1/import/location-capacity",
      [&p](const Request& req) {
        return answer(p.importCapacity(req.body), [](std::int64_t applied) {
          auto o = obj();
          o->set("applied", i64(applied));
          return stringify(o);
        });
      },
      maxBody);
}

void addReplenishmentRoutes(http::Router& router, ReplenishmentService& r, std::size_t maxBody) {
  router.add("GET", "/api/v1/inbound/pick-faces", [&r](const Request&) {
    return answer(r.rules(), [](const std::vector<FaceRule>& rules) {
      auto o = obj();
      Poco::JSON::Array::Ptr list = new Array();
      for (const auto& f : rules) {
        auto fo = obj();
        fo->set("location", f.location);
        fo->set("sku", f.sku);
        fo->set("min", i64(f.min));
        fo->set("max", i64(f.max));
        list->add(fo);
      }
      o->set("items", list);
      return stringify(o);
    });
  });
  router.add(
      "PUT", "/api/v1/inbound/pick-faces/{location}",
      [&r](const Request& req) {
        auto body = read(req.body);
        if (!body) return Response::error(body.error());
        FaceRule rule;
        rule.location = req.params[0];
        rule.sku = body->text("sku", Need::Required, 64);
        rule.min = body->integer("min", Need::Required, {0, 10'000'000});
        rule.max = body->integer("max", Need::Required, {1, 10'000'000});
        if (auto st = body->finish(); !st) return Response::error(st.error());
        if (auto st = r.setRule(rule); !st) return Response::error(st.error());
        auto o = obj();
        o->set("location", rule.location);
        o->set("sku", rule.sku);
        o->set("min", i64(rule.min));
        o->set("max", i64(rule.max));
        return Response::json(200, stringify(o));
      },
      maxBody);
  router.add("DELETE", "/api/v1/inbound/pick-faces/{location}", [&r](const Request& req) {
    if (auto st = r.removeRule(req.params[0]); !st) return Response::error(st.error());
    return Response::json(200, "{}");
  });
  router.add("GET", "/api/v1/inbound/replenishment", [&r](const Request&) {
    return answer(r.plan(), [](const std::vector<ReplenishmentTask>& tasks) {
      auto o = obj();
      Poco::JSON::Array::Ptr list = new Array();
      for (const auto& t : tasks) {
        auto to = obj();
        to->set("sku", t.sku);
        to->set("from", t.from);
        to->set("to", t.to);
        to->set("lot", t.lot);
        to->set("expiry", t.expiry);
        to->set("qty", i64(t.qty));
        to->set("reason", t.reason);
        list->add(to);
      }
      o->set("items", list);
      return stringify(o);
    });
  });
  router.add(
      "POST", "/api/v1/inbound/replenishment",
      [&r](const Request& req) {
        auto body = read(req.body);
        if (!body) return Response::error(body.error());
        ReplenishmentInput in;
        in.sku = body->text("sku", Need::Required, 64);
        in.from = body->text("from", Need::Required, 32);
        in.to = body->text("to", Need::Required, 32);
        in.lot = body->text("lot", Need::Optional, 20);
        in.expiry = body->text("expiry", Need::Optional, 10);
        in.qty = body->integer("qty", Need::Required, {1, domain::kMaxQuantity});
        in.idempotencyKey = body->text("idempotency_key", Need::Optional, 128);
        if (auto st = body->finish(); !st) return Response::error(st.error());
        if (in.idempotencyKey.empty()) in.idempotencyKey = req.header("idempotency-key");
        return answer(r.confirm(in), [](const ReplenishmentService::Done& d) {
          auto o = obj();
          o->set("duplicate", d.duplicate);
          o->set("sku", d.move.sku);
          o->set("from", d.move.from);
          o->set("to", d.move.to);
          o->set("qty", i64(d.move.qty));
          return stringify(o);
        });
      },
      maxBody);
}

Poco::JSON::Object::Ptr countJson(const CountTask& t) {
  auto o = obj();
  auto opt = [](const std::optional<std::int64_t>& v) { return v ? Poco::Dynamic::Var(i64(*v)) : Poco::Dynamic::Var(); };
  o->set("id", i64(t.id));
  o->set("location", t.location);
  o->set("sku", t.sku);
  o->set("lot", t.lot);
  o->set("expiry", t.expiry);
  o->set("reason", t.reason);
  o->set("status", toString(t.status));
  o->set("first_count", opt(t.firstCount));
  o->set("first_expected", opt(t.firstExpected));
  o->set("second_count", opt(t.secondCount));
  o->set("second_expected", opt(t.secondExpected));
  o->set("booked", opt(t.booked));
  o->set("counted_by", t.countedBy);
  o->set("approved_by", t.approvedBy);
  return o;
}

std::string countsJson(const std::vector<CountTask>& tasks) {
  auto o = obj();
  Poco::JSON::Array::Ptr list = new Array();
  for (const auto& t : tasks) list->add(countJson(t));
  o->set("items", list);
  return stringify(o);
}

void addCountRoutes(http::Router& router, CountService& c, std::size_t maxBody) {
  const std::string base = "/api/v1/inbound/counts";
  router.add(
      "POST", base,
      [&c](const Request& req) {
        auto r = read(req.body);
        if (!r) return Response::error(r.error());
        const std::string location = r->text("location", Need::Required, 32);
        const std::string sku = r->text("sku", Need::Optional, 64);
        const std::string reason = r->text("reason", Need::Optional, 400);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        return answer(c.create(location, sku, reason), countsJson, 201);
      },
      maxBody);
  router.add("GET", "/api/v1/inbound/velocity", [&c](const Request& req) {
    auto days = idOf(req.q("days", "30"));
    if (!days || *days > 3650) return Response::error({ErrorKind::Invalid, "days must be a whole number from 1 to 3650"});
    return answer(c.velocityOver(static_cast<int>(*days)), [](const std::vector<SkuVelocity>& items) {
      auto o = obj();
      Poco::JSON::Array::Ptr list = new Array();
      for (const auto& x : items) {
        auto xo = obj();
        xo->set("sku", x.sku);
        xo->set("units", i64(x.units));
        xo->set("class", std::string(1, x.abc));
        list->add(xo);
      }
      o->set("items", list);
      return stringify(o);
    });
  });
  router.add(
      "POST", base + "/plan-by-class",
      [&c](const Request& req) {
        auto r = read(req.body);
        if (!r) return Response::error(r.error());
        CountService::AbcPlan plan;
        plan.velocityDays = static_cast<int>(r->integer("velocity_days", Need::Optional, {1, 3650}, plan.velocityDays));
        plan.aDays = static_cast<int>(r->integer("a_days", Need::Optional, {1, 3650}, plan.aDays));
        plan.bDays = static_cast<int>(r->integer("b_days", Need::Optional, {1, 3650}, plan.bDays));
        plan.cDays = static_cast<int>(r->integer("c_days", Need::Optional, {1, 3650}, plan.cDays));
        plan.limit = static_cast<int>(r->integer("limit", Need::Optional, {1, 10000}, plan.limit));
        if (auto st = r->finish(); !st) return Response::error(st.error());
        return answer(c.planByClass(plan), countsJson, 201);
      },
      maxBody);
  router.add(
      "POST", base + "/from-short-picks",
      [&c](const Request&) { return answer(c.fromShortPicks(), countsJson, 201); }, maxBody);
  router.add("GET", base, [&c](const Request& req) {
    int limit = 100;
    if (const std::string text = req.q("limit"); !text.empty()) {
      auto v = idOf(text);
      if (!v || *v > 500) return Response::error({ErrorKind::Invalid, "limit must be a whole number from 1 to 500"});
      limit = static_cast<int>(*v);
    }
    return answer(c.list(req.q("status"), limit), countsJson);
  });
  auto withCount = [](auto endpoint) {
    return [endpoint](const Request& req) {
      auto id = idOf(req.params[0]);
      if (!id) return Response::error({ErrorKind::NotFound, "no count '" + req.params[0].substr(0, 40) + "'"});
      return endpoint(req, *id);
    };
  };
  auto one = [](const CountTask& t) { return stringify(countJson(t)); };
  router.add("GET", base + "/{id}", withCount([&c, one](const Request&, std::int64_t id) { return answer(c.get(id), one); }));
  router.add(
      "POST", base + "/{id}/result", withCount([&c, one](const Request& req, std::int64_t id) {
        auto r = read(req.body);
        if (!r) return Response::error(r.error());
        const auto counted = r->integer("counted", Need::Required, {0, domain::kMaxQuantity});
        std::string key = r->text("idempotency_key", Need::Optional, 128);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        if (key.empty()) key = req.header("idempotency-key");
        return answer(c.submit(id, counted, key, callerOf(req)), one);
      }),
      maxBody);
  for (const char* verb : {"approve", "reject"}) {
    const bool approving = std::string(verb) == "approve";
    router.add(
        "POST", base + "/{id}/" + verb, withCount([&c, one, approving](const Request& req, std::int64_t id) {
          auto r = read(req.body);
          if (!r) return Response::error(r.error());
          const std::string by = r->text("by", Need::Optional, 256);
          if (auto st = r->finish(); !st) return Response::error(st.error());
          return answer(approving ? c.approve(id, by) : c.reject(id, by), one);
        }),
        maxBody);
  }
}

Poco::JSON::Object::Ptr proposalJson(const SlottingProposalRow& p) {
  auto o = obj();
  o->set("id", i64(p.id));
  o->set("status", toString(p.status));
  o->set("days", p.days);
  o->set("staging", p.staging);
  o->set("max_moves", p.maxMoves);
  o->set("min_gain_mm", i64(p.minGainMm));
  o->set("level_penalty_mm", i64(p.levelPenaltyMm));
  o->set("before_mm", i64(p.beforeMm));
  o->set("after_mm", i64(p.afterMm));
  o->set("skipped_for_cap", p.skippedForCap);
  o->set("created_by", p.createdBy);
  o->set("approved_by", p.approvedBy);
  o->set("rejected_by", p.rejectedBy);
  Poco::JSON::Array::Ptr moves = new Array();
  for (const auto& m : p.moves) {
    auto mo = obj();
    mo->set("number", m.number);
    mo->set("sku", m.sku);
    mo->set("from", m.from);
    mo->set("to", m.to);
    mo->set("qty", i64(m.qty));
    mo->set("reason", m.reason);
    mo->set("why", m.why);
    mo->set("gain_mm", i64(m.gainMm));
    mo->set("done", m.moved.has_value());
    mo->set("moved", m.moved ? Poco::Dynamic::Var(i64(*m.moved)) : Poco::Dynamic::Var());
    mo->set("done_by", m.doneBy);
    moves->add(mo);
  }
  o->set("moves", moves);
  return o;
}

}  // namespace

void addInboundRoutes(http::Router& router, ReceivingService& s, PutawayService& putaway,
                      ReplenishmentService& replenishment, CountService& counts, std::size_t maxBody) {
  addPutawayRoutes(router, putaway, maxBody);
  addReplenishmentRoutes(router, replenishment, maxBody);
  addCountRoutes(router, counts, maxBody);
  const std::string base = "/api/v1/inbound/purchase-orders";
  router.add(
      "POST", base,
      [&s](const Request& req) {
        auto in = parseOrder(req.body);
        if (!in) return Response::error(in.error());
        return answer(s.create(*in), [](const PurchaseOrder& po) { return stringify(orderJson(po)); }, 201);
      },
      maxBody);
  router.add(
      "POST", "/api/v1/import/purchase-orders",
      [&s](const Request& req) {
        return answer(
            s.importCsv(req.body),
            [](const std::vector<PurchaseOrder>& orders) {
              auto o = obj();
              Poco::JSON::Array::Ptr list = new Array();
              for (const auto& po : orders) list->add(orderJson(po));
              o->set("created", i64(static_cast<std::int64_t>(orders.size())));
              o->set("items", list);
              return stringify(o);
            },
            201);
      },
      maxBody);
  router.add("GET", base, [&s](const Request& req) {
    int limit = 100;
    if (const std::string text = req.q("limit"); !text.empty()) {
      auto v = idOf(text);
      if (!v || *v > 500) return Response::error({ErrorKind::Invalid, "limit must be a whole number from 1 to 500"});
      limit = static_cast<int>(*v);
    }
    return answer(s.list(req.q("status"), req.q("q"), limit), [](const std::vector<PoSummary>& list) {
      auto o = obj();
      Poco::JSON::Array::Ptr items = new Array();
      for (const auto& p : list) {
        auto po = obj();
        po->set("id", i64(p.id));
        po->set("reference", p.reference);
        po->set("supplier", p.supplier);
        po->set("expected_date", p.expectedDate);
        po->set("status", toString(p.status));
        po->set("ordered", i64(p.ordered));
        po->set("received", i64(p.received));
        po->set("damaged", i64(p.damaged));
        items->add(po);
      }
      o->set("items", items);
      return stringify(o);
    });
  });
  router.add("GET", base + "/{id}", withId([&s](const Request&, std::int64_t id) {
               return answer(s.get(id), [](const PurchaseOrder& po) { return stringify(orderJson(po)); });
             }));
  router.add(
      "POST", base + "/{id}/receipts", withId([&s](const Request& req, std::int64_t id) {
        auto in = parseReceipt(req.body, id, req.header("idempotency-key"));
        if (!in) return Response::error(in.error());
        return answer(s.receive(*in), receiptJson);
      }),
      maxBody);
  router.add(
      "POST", base + "/{id}/units/{sscc}/receive", withId([&s](const Request& req, std::int64_t id) {
        auto r = read(req.body);
        if (!r) return Response::error(r.error());
        const std::string location = r->text("location", Need::Required, 32);
        std::string key = r->text("idempotency_key", Need::Optional, 128);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        if (key.empty()) key = req.header("idempotency-key");
        return answer(s.receiveUnit(id, req.params[1], location, key, callerOf(req)),
                      receiptJson);
      }),
      maxBody);
  router.add(
      "POST", base + "/{id}/close", withId([&s](const Request&, std::int64_t id) {
        return answer(s.close(id), [](const CloseResult& r) {
          auto o = orderJson(r.order);
          Poco::JSON::Array::Ptr shortLines = new Array();
          for (const auto& l : r.short_) {
            auto lo = obj();
            lo->set("line_no", l.lineNo);
            lo->set("sku", l.sku);
            lo->set("missing", i64(l.open()));
            shortLines->add(lo);
          }
          o->set("short", shortLines);
          return stringify(o);
        });
      }),
      maxBody);
}

void addSlottingRoutes(http::Router& router, SlottingService& slotting, std::size_t maxBody) {
  const std::string base = "/api/v1/inbound/slotting/proposals";
  auto one = [](const SlottingProposalRow& p) { return stringify(proposalJson(p)); };
  router.add(
      "POST", base,
      [&slotting, one](const Request& req) {
        auto r = read(req.body);
        if (!r) return Response::error(r.error());
        SlottingRequest in;
        in.days = static_cast<int>(r->integer("days", Need::Optional, {1, 3650}, in.days));
        in.options.maxMoves =
            static_cast<int>(r->integer("max_moves", Need::Optional, {1, 10'000}, in.options.maxMoves));
        in.options.minGainMm = r->integer("min_gain_mm", Need::Optional, {0, 1'000'000'000'000}, in.options.minGainMm);
        in.options.levelPenaltyMm =
            r->integer("level_penalty_mm", Need::Optional, {0, 100'000}, in.options.levelPenaltyMm);
        in.options.waistLevel = static_cast<int>(r->integer("waist_level", Need::Optional, {1, 9}, in.options.waistLevel));
        in.options.staging = r->text("staging", Need::Optional, 32);
        in.requestedBy = r->text("requested_by", Need::Optional, 256);
        if (auto st = r->finish(); !st) return Response::error(st.error());
        return answer(slotting.propose(in), one, 201);
      },
      maxBody);
  router.add("GET", base, [&slotting](const Request& req) {
    int limit = 50;
    if (const std::string text = req.q("limit"); !text.empty()) {
      auto v = idOf(text);
      if (!v || *v > 500) return Response::error({ErrorKind::Invalid, "limit must be a whole number from 1 to 500"});
      limit = static_cast<int>(*v);
    }
    return answer(slotting.list(req.q("status"), limit), [](const std::vector<SlottingProposalRow>& list) {
      auto o = obj();
      Poco::JSON::Array::Ptr items = new Array();
      for (const auto& p : list) items->add(proposalJson(p));
      o->set("items", items);
      return stringify(o);
    });
  });
  auto withProposal = [](auto endpoint) {
    return [endpoint](const Request& req) {
      auto id = idOf(req.params[0]);
      if (!id)
        return Response::error({ErrorKind::NotFound, "no slotting proposal '" + req.params[0].substr(0, 40) + "'"});
      return endpoint(req, *id);
    };
  };
  router.add("GET", base + "/{id}", withProposal([&slotting, one](const Request&, std::int64_t id) {
               return answer(slotting.get(id), one);
             }));
  for (const char* verb : {"approve", "reject"}) {
    const bool approving = std::string(verb) == "approve";
    router.add(
        "POST", base + "/{id}/" + verb, withProposal([&slotting, one, approving](const Request& req, std::int64_t id) {
          auto r = read(req.body);
          if (!r) return Response::error(r.error());
          const std::string by = r->text("by", approving ? Need::Required : Need::Optional, 256);
          if (auto st = r->finish(); !st) return Response::error(st.error());
          return answer(approving ? slotting.approve(id, by) : slotting.reject(id, by), one);
        }),
        maxBody);
  }
  router.add(
      "POST", base + "/{id}/moves/{n}/confirm", withProposal([&slotting](const Request& req, std::int64_t id) {
        auto number = idOf(req.params[1]);
        if (!number || *number > 10'000)
          return Response::error({ErrorKind::NotFound, "no move '" + req.params[1].substr(0, 40) + "'"});
        std::string by;
        if (!req.body.empty()) {
          auto r = read(req.body);
          if (!r) return Response::error(r.error());
          by = r->text("by", Need::Optional, 256);
          if (auto st = r->finish(); !st) return Response::error(st.error());
        }
        const stock::Actor who = by.empty() ? callerOf(req) : stock::Actor::person(by);
        return answer(slotting.confirm(id, static_cast<int>(*number), who), [](const SlottingService::Confirmed& c) {
          auto o = obj();
          o->set("duplicate", c.duplicate);
          o->set("proposal_status", toString(c.status));
          o->set("number", c.move.number);
          o->set("sku", c.move.sku);
          o->set("from", c.move.from);
          o->set("to", c.move.to);
          o->set("reason", c.move.reason);
          o->set("moved", c.move.moved ? Poco::Dynamic::Var(i64(*c.move.moved)) : Poco::Dynamic::Var());
          o->set("done_by", c.move.doneBy);
          return stringify(o);
        });
      }),
      maxBody);
}

}  // namespace wms::inbound
