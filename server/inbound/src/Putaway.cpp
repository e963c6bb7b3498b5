// Directed put-away (Putaway.h).
#include "wms/inbound/Putaway.h"

#include <algorithm>
#include <cstdint>

#include "Rows.h"
#include "wms/inbound/Velocity.h"
#include "wms/domain/Csv.h"
#include "wms/domain/Ids.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/Query.h"

namespace wms::inbound {

using rows::conflict;
using rows::invalid;
using rows::n;

namespace {

constexpr std::int64_t kMaxCapacity = 10'000'000;

std::int64_t holds(store::Tx& tx, const std::string& location) {
  store::Query q(tx, "SELECT COALESCE(SUM(qty), 0) FROM stock WHERE location = ?");
  q.bind(location);
  q.step();
  return q.integer(0);
}

std::optional<std::int64_t> capacity(store::Tx& tx, const std::string& location) {
  store::Query q(tx, "SELECT max_units FROM location_capacity WHERE location = ?");
  q.bind(location);
  if (!q.step()) return std::nullopt;
  return q.integer(0);
}

// What the location's stock takes of its volume, in cm^3 (SKUs without
// dimensions take none).
std::int64_t volumeHeld(store::Tx& tx, const std::string& location) {
  store::Query q(tx,
                 "SELECT COALESCE(SUM(s.qty * ((k.length_mm * k.width_mm * k.height_mm + 999) / 1000)), 0) "
                 "FROM stock s JOIN skus k ON k.code = s.sku WHERE s.location = ? AND s.qty > 0");
  q.bind(location);
  q.step();
  return q.integer(0);
}

std::int64_t skuVolume(store::Tx& tx, const std::string& sku) {
  auto found = store::CatalogRepository(tx).findSku(sku);
  return found ? found->dims.volumeCm3() : 0;
}

// Room for units of a SKU of `unitCm3` where `heldUnits` and `heldCm3`
// already are; nullopt: no limit.
std::optional<std::int64_t> roomFor(std::optional<std::int64_t> capacityUnits, std::int64_t heldUnits,
                                    std::int64_t locationCm3, std::int64_t heldCm3, std::int64_t unitCm3) {
  std::optional<std::int64_t> room;
  if (capacityUnits) room = std::max<std::int64_t>(0, *capacityUnits - heldUnits);
  if (locationCm3 > 0 && unitCm3 > 0) {
    const std::int64_t byVolume = std::max<std::int64_t>(0, locationCm3 - heldCm3) / unitCm3;
    room = room ? std::min(*room, byVolume) : byVolume;
  }
  return room;
}

// Units of a SKU of `unitCm3` the location can still take; nullopt: no limit.
std::optional<std::int64_t> roomAt(store::Tx& tx, const std::string& location, std::int64_t locationCm3,
                                   std::int64_t unitCm3) {
  const auto cap = capacity(tx, location);
  const bool byVolume = locationCm3 > 0 && unitCm3 > 0;
  if (!cap && !byVolume) return std::nullopt;
  return roomFor(cap, cap ? holds(tx, location) : 0, locationCm3, byVolume ? volumeHeld(tx, location) : 0, unitCm3);
}

struct Candidate {
  std::string location, zone;
  bool empty = false;                   // holds nothing: its room needs no query
  std::optional<std::int64_t> capacity;  // for an empty one
};

// How candidates are ranked (Putaway.h): by walk to the face and level
// when `face` and the geometry are known, else by room.
struct Ranking {
  const PutawayGeometry& geometry;
  std::string face;  // the SKU's pick face; "": none
  char abc = 'B';
  std::int64_t unitCm3 = 0;
  std::string site;  // candidates of other sites are left out (geometry.site)
};

constexpr std::int64_t kLevelMm = 2000;  // what one level is worth against walking
constexpr std::int64_t kOffLayoutMm = 1'000'000'000;

// The first of `candidates` (preferring `zone`) with room for qty, ranked.
std::optional<PutawaySuggestion> best(store::Tx& tx, const std::vector<Candidate>& candidates, const std::string& zone,
                                      std::int64_t qty, const char* rule, const Ranking& how) {
  const bool byWalk = !how.face.empty() && how.geometry.walkMm;
  for (int pass = 0; pass < 2; ++pass) {
    std::optional<PutawaySuggestion> chosen;
    std::int64_t chosenCost = 0, chosenRoom = -1;
    for (const auto& c : candidates) {
      if (pass == 0 && !zone.empty() && c.zone != zone) continue;
      if (how.geometry.site && how.geometry.site(c.location) != how.site) continue;
      const auto room = c.empty ? roomFor(c.capacity, 0, how.geometry.locationVolumeCm3, 0, how.unitCm3)
                                : roomAt(tx, c.location, how.geometry.locationVolumeCm3, how.unitCm3);
      if (room && *room < qty) continue;
      const std::int64_t r = room ? *room : INT64_MAX;
      std::int64_t cost = 0;
      if (byWalk) {
        cost = how.geometry.walkMm(how.face, c.location).value_or(kOffLayoutMm);
        if (how.geometry.level && how.abc != 'B') {
          const int level = how.geometry.level(c.location).value_or(1);
          cost += how.abc == 'A' ? kLevelMm * (level - 1) : kLevelMm * (10 - std::min(level, 10));
        }
      }
      const bool better = !chosen || cost < chosenCost ||
                          (cost == chosenCost && (r > chosenRoom || (r == chosenRoom && c.location < chosen->location)));
      if (better) {
        chosen = PutawaySuggestion{c.location, rule, room};
        chosenCost = cost;
        chosenRoom = r;
      }
    }
    if (chosen) return chosen;
    if (zone.empty()) break;
  }
  return std::nullopt;
}

std::vector<Candidate> candidates(store::Tx& tx, const std::string& sql, const std::vector<std::string>& args,
                                  bool empty = false) {
  store::Query q(tx, sql);
  for (const auto& a : args) q.bind(a);
  std::vector<Candidate> out;
  while (q.step()) {
    Candidate c{q.text(0), q.text(1), empty, std::nullopt};
    if (empty && !q.isNull(2)) c.capacity = q.integer(2);
    out.push_back(std::move(c));
  }
  return out;
}

Status checkKind(store::Tx& tx, const std::string& code, const char* what, std::initializer_list<domain::LocationKind> kinds,
                 const char* expected) {
  if (auto st = domain::checkLocationCode(code); !st) return invalid(std::string(what) + ": " + st.error().message);
  auto loc = store::CatalogRepository(tx).findLocation(code);
  if (!loc) return invalid(std::string(what) + ": no location " + code);
  if (std::find(kinds.begin(), kinds.end(), loc->kind) == kinds.end())
    return invalid(std::string(what) + ": " + code + " is a " + domain::toString(loc->kind) + " location, not " + expected);
  return {};
}

PutawayResult resultOf(store::Query& q, bool duplicate) {
  PutawayResult r;
  r.id = q.integer(0);
  r.sku = q.text(1);
  r.from = q.text(2);
  r.to = q.text(3);
  r.qty = q.integer(4);
  r.suggested = q.text(5);
  r.reason = q.text(6);
  r.duplicate = duplicate;
  return r;
}

constexpr const char* kPutawayColumns = "SELECT id, sku, from_location, to_location, qty, suggested, reason FROM putaways ";

}  // namespace

PutawayService::PutawayService(store::Database& db, const stock::StockEvents& events) : db_(db), events_(events) {}

char PutawayService::abcOf(store::Tx& tx, const std::string& sku) {
  constexpr std::int64_t kEveryMs = 15 * 60 * 1000, kHistoryMs = 30LL * 24 * 60 * 60 * 1000;
  std::lock_guard lock(abcMutex_);
  if (abcAtMs_ == 0 || tx.nowMs() - abcAtMs_ > kEveryMs) {
    const auto since = tx.nowMs() - kHistoryMs;
    if (auto classes = velocity_ ? velocity_(tx, since) : velocity(tx, since)) {
      abc_.clear();
      for (const auto& v : *classes) abc_[v.sku] = v.abc;
    }
    abcAtMs_ = tx.nowMs();  // a failed read is retried in 15 minutes, as B meanwhile
  }
  auto it = abc_.find(sku);
  return it == abc_.end() ? 'B' : it->second;
}

Result<PutawaySuggestion> PutawayService::suggest(store::Tx& tx, const std::string& sku, std::int64_t qty,
                                                  const std::string& lot, const std::string& expiry,
                                                  const std::string& from) {
  if (auto st = domain::checkSku(sku); !st) return st.error();
  if (!store::CatalogRepository(tx).skuExists(sku)) return invalid("no SKU '" + sku + "' in the catalogue");
  if (qty < 1 || qty > domain::kMaxQuantity) return invalid("qty must be 1.." + n(domain::kMaxQuantity) + ", got " + n(qty));

  // 1. Its pick face.
  const auto faces = candidates(tx,
                                "SELECT DISTINCT s.location, l.zone FROM stock s JOIN locations l ON l.code = s.location "
                                "WHERE s.sku = ? AND l.kind = 'pick' ORDER BY s.location",
                                {sku});
  // The face (and its zone) in the dock's site, which reserve is chosen near.
  std::string face, zone;
  for (const auto& f : faces)
    if (face.empty() && (!geometry_.site || geometry_.site(f.location) == geometry_.site(from))) {
      face = f.location;
      zone = f.zone;
    }
  const std::int64_t unitCm3 = skuVolume(tx, sku);
  const std::string site = geometry_.site ? geometry_.site(from) : "";
  if (auto s = best(tx, faces, "", qty, "pick face", Ranking{geometry_, "", 'B', unitCm3, site})) return *s;
  const Ranking reserve{geometry_, face, abcOf(tx, sku), unitCm3, site};
  // 2. Reserve that holds only this SKU, of this lot and expiry.
  const auto same = candidates(tx,
                               "SELECT DISTINCT s.location, l.zone FROM stock s JOIN locations l ON l.code = s.location "
                               "WHERE s.sku = ? AND s.lot = ? AND s.expiry = ? AND s.qty > 0 AND l.kind = 'reserve' AND "
                               "NOT EXISTS (SELECT 1 FROM stock o WHERE o.location = s.location AND o.qty > 0 AND "
                               "(o.sku <> s.sku OR o.lot <> s.lot OR o.expiry <> s.expiry)) ORDER BY s.location",
                               {sku, lot, expiry});
  if (auto s = best(tx, same, zone, qty, "reserve with the same SKU", reserve)) return *s;
  // 3. An empty reserve location, in the face's zone first.
  const auto empty = candidates(tx,
                                "SELECT l.code, l.zone, c.max_units FROM locations l LEFT JOIN location_capacity c ON "
                                "c.location = l.code WHERE l.kind = 'reserve' AND NOT EXISTS "
                                "(SELECT 1 FROM stock s WHERE s.location = l.code AND s.qty > 0) "
                                "ORDER BY (l.zone = ?) DESC, l.code LIMIT 20000",
                                {zone}, true);
  if (auto s = best(tx, empty, zone, qty, "empty reserve", reserve)) return *s;
  return PutawaySuggestion{"", "no location has room for " + n(qty) + " x " + sku, std::nullopt};
}

Result<PutawaySuggestion> PutawayService::suggest(const std::string& sku, std::int64_t qty, const std::string& lot,
                                                  const std::string& expiry) {
  Result<PutawaySuggestion> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = suggest(tx, sku, qty, lot, expiry);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<PutawayTask> PutawayService::task(store::Tx& tx, const std::string& from, const std::string& scan) {
  if (auto st = checkKind(tx, from, "location", {domain::LocationKind::Dock, domain::LocationKind::Staging},
                          "a dock or staging location");
      !st)
    return st.error();
  auto item = rows::readScan(tx, scan);
  if (!item) return item.error();
  if (!item->sku) return Error{ErrorKind::NotFound, "no SKU in the catalogue has the code '" + item->code.substr(0, 64) + "'"};
  PutawayTask t;
  t.sku = *item->sku;
  t.from = from;
  {
    store::Query q(tx,
                   "SELECT lot, expiry, qty FROM stock WHERE sku = ? AND location = ? AND qty > 0 AND "
                   "(? = '' OR lot = ?) AND (? = '' OR expiry = ?) ORDER BY expiry = '', expiry, lot LIMIT 1");
    q.bind(t.sku).bind(from).bind(item->lot).bind(item->lot).bind(item->expiry).bind(item->expiry);
    if (!q.step()) return Error{ErrorKind::NotFound, "nothing of " + t.sku + " waits at " + from};
    t.lot = q.text(0);
    t.expiry = q.text(1);
    t.qty = q.integer(2);
  }
  auto sku = store::CatalogRepository(tx).findSku(t.sku);
  t.description = sku ? sku->description : "";
  if (sku)
    for (const auto& b : sku->barcodes) t.barcodes.push_back(b.value);
  auto s = suggest(tx, t.sku, std::min(t.qty, domain::kMaxQuantity), t.lot, t.expiry, from);
  if (!s) return s.error();
  t.suggestion = std::move(*s);
  return t;
}

Result<std::vector<BacklogItem>> PutawayService::backlog(int limit) {
  limit = std::clamp(limit, 1, 500);
  std::vector<BacklogItem> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    {
      store::Query q(tx,
                     "SELECT s.sku, s.location, s.lot, s.expiry, s.qty FROM stock s JOIN locations l ON "
                     "l.code = s.location WHERE l.kind IN ('dock', 'staging') AND s.qty > 0 "
                     "ORDER BY s.location, s.sku, s.expiry, s.lot LIMIT ?");
      q.bind(limit);
      while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.integer(4), {}});
    }
    for (auto& item : out) {
      auto s = suggest(tx, item.sku, std::min(item.qty, domain::kMaxQuantity), item.lot, item.expiry, item.location);
      if (s) item.suggestion = std::move(*s);
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<PutawayResult> PutawayService::confirm(store::Tx& tx, const PutawayInput& in) {
  if (auto st = rows::checkPrintable(in.idempotencyKey, "idempotency_key", 128); !st) return st.error();
  {
    store::Query q(tx, std::string(kPutawayColumns) + "WHERE idempotency_key = ?");
    q.bind(in.idempotencyKey);
    if (q.step()) return resultOf(q, true);
  }
  if (auto st = domain::checkText(in.reason, "reason", 200); !st) return st.error();
  if (auto st = checkKind(tx, in.from, "from", {domain::LocationKind::Dock, domain::LocationKind::Staging},
                          "a dock or staging location");
      !st)
    return st.error();
  if (auto st = checkKind(tx, in.to, "to", {domain::LocationKind::Pick, domain::LocationKind::Reserve},
                          "a pick or reserve location");
      !st)
    return st.error();
  if (geometry_.site && geometry_.site(in.to) != geometry_.site(in.from))
    return invalid("to: " + in.to + " is in site " + geometry_.site(in.to) + ", the goods wait at " + in.from +
                   " in site " + geometry_.site(in.from));
  auto suggestion = suggest(tx, in.sku, in.qty, in.lot, in.expiry, in.from);
  if (!suggestion) return suggestion.error();
  const bool followed = in.to == suggestion->location || (!in.told.empty() && in.to == in.told);
  if (!followed && in.reason.empty())
    return invalid("put away to " + in.to + ", not the suggested " +
                   (suggestion->location.empty() ? std::string("(none)") : suggestion->location) +
                   ": a reason is required");
  const std::string& suggested = in.to == in.told ? in.told : suggestion->location;
  if (auto room = roomAt(tx, in.to, geometry_.locationVolumeCm3, skuVolume(tx, in.sku)); room && *room < in.qty)
    return conflict("location " + in.to + " has room for " + n(*room) + " more units, not " + n(in.qty));
  {
    // A reserve location holds one SKU, lot and expiry, so that the oldest
    // stock is never hidden behind newer.
    store::Query q(tx,
                   "SELECT s.sku, s.lot, s.expiry FROM stock s JOIN locations l ON l.code = s.location "
                   "WHERE s.location = ? AND l.kind = 'reserve' AND s.qty > 0 AND "
                   "(s.sku <> ? OR s.lot <> ? OR s.expiry <> ?) LIMIT 1");
    q.bind(in.to).bind(in.sku).bind(in.lot).bind(in.expiry);
    if (q.step())
      return conflict("reserve location " + in.to + " holds " + q.text(0) +
                      (q.text(1).empty() ? "" : " lot " + q.text(1)) + (q.text(2).empty() ? "" : " expiring " + q.text(2)) +
                      ": put " + in.sku + " elsewhere");
  }
  Result<PutawayResult> out = Error{ErrorKind::Internal, "not run"};
  auto st = tx.atomically([&]() -> Status {
    stock::Moves moves(tx, events_, in.who);
    if (auto m = moves.transfer({in.sku, in.from, in.lot, in.expiry, 0}, in.to, in.qty, "putaway",
                                in.reason.empty() ? "put away" : "put away: " + in.reason);
        !m)
      return m;
    store::exec(tx,
                "INSERT INTO putaways(sku, lot, expiry, qty, from_location, to_location, suggested, reason, "
                "idempotency_key, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                in.sku, in.lot, in.expiry, in.qty, in.from, in.to, suggested, in.reason, in.idempotencyKey,
                in.who.id, tx.nowMs());
    store::Query q(tx, std::string(kPutawayColumns) + "WHERE idempotency_key = ?");
    q.bind(in.idempotencyKey);
    q.step();
    out = resultOf(q, false);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<PutawayResult> PutawayService::confirm(const PutawayInput& input) {
  Result<PutawayResult> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    out = confirm(tx, input);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  return out;
}

Status PutawayService::setCapacity(const std::string& location, std::int64_t maxUnits) {
  if (maxUnits < 0 || maxUnits > kMaxCapacity)
    return invalid("max_units must be 0 (no limit) or 1.." + n(kMaxCapacity) + ", got " + n(maxUnits));
  return db_.write([&](store::Tx& tx) -> Status {
    if (auto st = domain::checkLocationCode(location); !st) return st;
    if (!store::CatalogRepository(tx).findLocation(location)) return Error{ErrorKind::NotFound, "no location " + location};
    if (maxUnits == 0) store::exec(tx, "DELETE FROM location_capacity WHERE location = ?", location);
    else
      store::exec(tx,
                  "INSERT INTO location_capacity(location, max_units) VALUES (?, ?) "
                  "ON CONFLICT(location) DO UPDATE SET max_units = excluded.max_units",
                  location, maxUnits);
    return {};
  });
}

Result<std::int64_t> PutawayService::importCapacity(std::string_view csv) {
  auto parsed = domain::parseCsv(csv);
  if (!parsed) return parsed.error();
  if (parsed->empty()) return invalid("the file is empty: it needs a header location,max_units");
  const auto& header = parsed->front().fields;
  std::size_t loc = header.size(), max = header.size();
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "location") loc = i;
    else if (header[i] == "max_units") max = i;
    else return invalid("line 1: unknown column '" + header[i].substr(0, 40) + "' (columns: location, max_units)");
  }
  if (loc == header.size() || max == header.size()) return invalid("line 1: the columns location and max_units are required");
  std::int64_t applied = 0;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    store::CatalogRepository catalog(tx);
    for (std::size_t r = 1; r < parsed->size(); ++r) {
      const auto& row = (*parsed)[r];
      if (auto width = domain::checkFieldCount(row, header.size()); !width) return width.error();
      const std::string at = "line " + n(static_cast<std::int64_t>(row.line)) + ": ";
      const std::string code = loc < row.fields.size() ? row.fields[loc] : "";
      const auto units = domain::parseInt64(max < row.fields.size() ? row.fields[max] : "");
      if (!catalog.findLocation(code)) return invalid(at + "no location '" + code.substr(0, 40) + "'");
      if (!units || *units < 0 || *units > kMaxCapacity)
        return invalid(at + "max_units must be 0 (no limit) or 1.." + n(kMaxCapacity));
      if (*units == 0) store::exec(tx, "DELETE FROM location_capacity WHERE location = ?", code);
      else
        store::exec(tx,
                    "INSERT INTO location_capacity(location, max_units) VALUES (?, ?) "
                    "ON CONFLICT(location) DO UPDATE SET max_units = excluded.max_units",
                    code, *units);
      ++applied;
    }
    return {};
  });
  if (!st) return st.error();
  return applied;
}

}  // namespace wms::inbound
