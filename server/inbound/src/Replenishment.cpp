// Replenishment of pick faces from reserve (Replenishment.h).
#include "wms/inbound/Replenishment.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "Rows.h"
#include "wms/domain/Ids.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/Query.h"

namespace wms::inbound {

using rows::invalid;
using rows::n;

namespace {

constexpr std::int64_t kMaxFace = 10'000'000;

std::int64_t onFace(store::Tx& tx, const std::string& sku, const std::string& location) {
  store::Query q(tx, "SELECT COALESCE(SUM(qty), 0) FROM stock WHERE sku = ? AND location = ?");
  q.bind(sku).bind(location);
  q.step();
  return q.integer(0);
}

Status isKind(store::Tx& tx, const std::string& code, const char* what, domain::LocationKind kind) {
  if (auto st = domain::checkLocationCode(code); !st) return invalid(std::string(what) + ": " + st.error().message);
  auto loc = store::CatalogRepository(tx).findLocation(code);
  if (!loc) return invalid(std::string(what) + ": no location " + code);
  if (loc->kind != kind)
    return invalid(std::string(what) + ": " + code + " is a " + domain::toString(loc->kind) + " location, not a " +
                   domain::toString(kind) + " location");
  return {};
}

}  // namespace

ReplenishmentService::ReplenishmentService(store::Database& db, const stock::StockEvents& events)
    : db_(db), events_(events) {}

Status ReplenishmentService::setRule(const FaceRule& r) {
  if (r.max < 1 || r.max > kMaxFace) return invalid("max must be 1.." + n(kMaxFace) + ", got " + n(r.max));
  if (r.min < 0 || r.min > r.max) return invalid("min must be 0..max (" + n(r.max) + "), got " + n(r.min));
  return db_.write([&](store::Tx& tx) -> Status {
    if (auto st = isKind(tx, r.location, "location", domain::LocationKind::Pick); !st) return st;
    if (auto st = domain::checkSku(r.sku); !st) return st;
    if (!store::CatalogRepository(tx).skuExists(r.sku)) return invalid("no SKU '" + r.sku + "' in the catalogue");
    store::exec(tx,
                "INSERT INTO face_rules(location, sku, min_units, max_units) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(location) DO UPDATE SET sku = excluded.sku, min_units = excluded.min_units, "
                "max_units = excluded.max_units",
                r.location, r.sku, r.min, r.max);
    return {};
  });
}

Status ReplenishmentService::removeRule(const std::string& location) {
  return db_.write([&](store::Tx& tx) -> Status {
    if (store::exec(tx, "DELETE FROM face_rules WHERE location = ?", location) == 0)
      return Error{ErrorKind::NotFound, "no rule for location '" + location.substr(0, 40) + "'"};
    return {};
  });
}

Result<std::vector<FaceRule>> ReplenishmentService::rules() {
  std::vector<FaceRule> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    store::Query q(tx, "SELECT location, sku, min_units, max_units FROM face_rules ORDER BY location");
    while (q.step()) out.push_back({q.text(0), q.text(1), q.integer(2), q.integer(3)});
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<ReplenishmentTask>> ReplenishmentService::plan(store::Tx& tx) {
  const Demand demand = demand_ ? demand_(tx) : Demand{};
  // What each face needs, and why.
  struct Need {
    std::string sku, location, reason;
    std::int64_t qty = 0;
  };
  std::vector<Need> needs;
  std::set<std::pair<std::string, std::string>> ruled;
  // A picker waits at the emergencies: they go first, and what the face
  // is recorded to hold does not count (the picker found it empty; the
  // count it asked for will say what is there). Then the other faces.
  const Emergencies urgent = emergencies_ ? emergencies_(tx) : Emergencies{};
  for (const auto& key : urgent) {
    const auto it = demand.find(key);
    if (it == demand.end() || it->second <= 0) continue;
    ruled.insert(key);
    needs.push_back({key.first, key.second,
                     "emergency: a picker found the face empty; released picks need " + n(it->second), it->second});
  }
  {
    store::Query q(tx, "SELECT location, sku, min_units, max_units FROM face_rules ORDER BY location");
    while (q.step()) {
      const std::string location = q.text(0), sku = q.text(1);
      if (!ruled.insert({sku, location}).second) continue;  // an emergency
      const std::int64_t min = q.integer(2), max = q.integer(3);
      const std::int64_t have = onFace(tx, sku, location);
      const auto it = demand.find({sku, location});
      const std::int64_t picks = it == demand.end() ? 0 : it->second;
      if (have - picks >= min) continue;
      std::string reason = picks > 0 ? "released picks take " + n(picks) + " of the " + n(have) + " on the face, "
                                     : n(have) + " on the face, ";
      reason += "below its minimum of " + n(min);
      needs.push_back({sku, location, reason, max + picks - have});
    }
  }
  for (const auto& [key, picks] : demand) {
    if (ruled.count(key)) continue;
    const std::int64_t have = onFace(tx, key.first, key.second);
    if (picks > have)
      needs.push_back({key.first, key.second, "released picks need " + n(picks) + ", " + n(have) + " on the face",
                       picks - have});
  }

  // From reserve, first expiry first, then by location.
  std::vector<ReplenishmentTask> out;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::int64_t> taken;
  for (const auto& need : needs) {
    std::int64_t left = need.qty;
    store::Query q(tx,
                   "SELECT s.location, s.lot, s.expiry, s.qty FROM stock s JOIN locations l ON l.code = s.location "
                   "WHERE s.sku = ? AND l.kind = 'reserve' AND s.qty > 0 ORDER BY s.expiry = '', s.expiry, s.location");
    q.bind(need.sku);
    while (left > 0 && q.step()) {
      const auto key = std::make_tuple(need.sku, q.text(0), q.text(1), q.text(2));
      const std::int64_t free = q.integer(3) - taken[key];
      if (free <= 0) continue;
      const std::int64_t qty = std::min(left, free);
      taken[key] += qty;
      left -= qty;
      out.push_back({need.sku, q.text(0), need.location, q.text(1), q.text(2), qty, need.reason});
    }
  }
  return out;
}

Result<std::vector<ReplenishmentTask>> ReplenishmentService::plan() {
  Result<std::vector<ReplenishmentTask>> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = plan(tx);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<ReplenishmentService::Done> ReplenishmentService::confirm(const ReplenishmentInput& in) {
  Result<Done> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    out = confirm(tx, in);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  return out;
}

Result<ReplenishmentService::Done> ReplenishmentService::confirm(store::Tx& tx, const ReplenishmentInput& in) {
  if (auto st = rows::checkPrintable(in.idempotencyKey, "idempotency_key", 128); !st) return st.error();
  if (in.qty < 1 || in.qty > domain::kMaxQuantity)
    return invalid("qty must be 1.." + n(domain::kMaxQuantity) + ", got " + n(in.qty));
  {
    store::Query q(tx, "SELECT sku, from_location, to_location, lot, expiry, qty FROM replenishments WHERE "
                       "idempotency_key = ?");
    q.bind(in.idempotencyKey);
    if (q.step())
      return Done{true, {q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.integer(5), in.idempotencyKey, in.who}};
  }
  if (auto s = isKind(tx, in.from, "from", domain::LocationKind::Reserve); !s) return s.error();
  if (auto s = isKind(tx, in.to, "to", domain::LocationKind::Pick); !s) return s.error();
  stock::Moves moves(tx, events_, in.who);
  if (auto m = moves.transfer({in.sku, in.from, in.lot, in.expiry, 0}, in.to, in.qty, "replenishment",
                              "replenished " + in.to);
      !m)
    return m.error();
  store::exec(tx,
              "INSERT INTO replenishments(sku, from_location, to_location, lot, expiry, qty, idempotency_key, actor, "
              "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              in.sku, in.from, in.to, in.lot, in.expiry, in.qty, in.idempotencyKey, in.who.id, tx.nowMs());
  if (moved_) moved_(tx, in);
  return Done{false, in};
}

}  // namespace wms::inbound
