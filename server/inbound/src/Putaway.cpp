// Directed put-away (Putaway.h).
#include "wms/inbound/Putaway.h"

#include <algorithm>
#include <cstdint>

#include "Rows.h"
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

// Units the location can still take; nullopt: no capacity is set.
std::optional<std::int64_t> roomAt(store::Tx& tx, const std::string& location) {
  auto cap = capacity(tx, location);
  if (!cap) return std::nullopt;
  return std::max<std::int64_t>(0, *cap - holds(tx, location));
}

struct Candidate {
  std::string location, zone;
};

// The first of `candidates` (preferring `zone`) with room for qty: the most
// room (no capacity counts as the most), then the lowest code.
std::optional<PutawaySuggestion> best(store::Tx& tx, const std::vector<Candidate>& candidates, const std::string& zone,
                                      std::int64_t qty, const char* rule) {
  for (int pass = 0; pass < 2; ++pass) {
    std::optional<PutawaySuggestion> chosen;
    std::int64_t chosenRoom = -1;
    for (const auto& c : candidates) {
      if (pass == 0 && !zone.empty() && c.zone != zone) continue;
      auto room = roomAt(tx, c.location);
      if (room && *room < qty) continue;
      const std::int64_t r = room ? *room : INT64_MAX;
      if (!chosen || r > chosenRoom || (r == chosenRoom && c.location < chosen->location)) {
        chosen = PutawaySuggestion{c.location, rule, room};
        chosenRoom = r;
      }
    }
    if (chosen) return chosen;
    if (zone.empty()) break;
  }
  return std::nullopt;
}

std::vector<Candidate> candidates(store::Tx& tx, const std::string& sql, const std::vector<std::string>& args) {
  store::Query q(tx, sql);
  for (const auto& a : args) q.bind(a);
  std::vector<Candidate> out;
  while (q.step()) out.push_back({q.text(0), q.text(1)});
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

Result<PutawaySuggestion> PutawayService::suggest(store::Tx& tx, const std::string& sku, std::int64_t qty,
                                                  const std::string& lot, const std::string& expiry) {
  if (auto st = domain::checkSku(sku); !st) return st.error();
  if (!store::CatalogRepository(tx).skuExists(sku)) return invalid("no SKU '" + sku + "' in the catalogue");
  if (qty < 1 || qty > domain::kMaxQuantity) return invalid("qty must be 1.." + n(domain::kMaxQuantity) + ", got " + n(qty));

  // 1. Its pick face.
  const auto faces = candidates(tx,
                                "SELECT DISTINCT s.location, l.zone FROM stock s JOIN locations l ON l.code = s.location "
                                "WHERE s.sku = ? AND l.kind = 'pick' ORDER BY s.location",
                                {sku});
  const std::string zone = faces.empty() ? "" : faces.front().zone;
  if (auto s = best(tx, faces, "", qty, "pick face")) return *s;
  // 2. Reserve that holds only this SKU, of this lot and expiry.
  const auto same = candidates(tx,
                               "SELECT DISTINCT s.location, l.zone FROM stock s JOIN locations l ON l.code = s.location "
                               "WHERE s.sku = ? AND s.lot = ? AND s.expiry = ? AND s.qty > 0 AND l.kind = 'reserve' AND "
                               "NOT EXISTS (SELECT 1 FROM stock o WHERE o.location = s.location AND o.qty > 0 AND "
                               "(o.sku <> s.sku OR o.lot <> s.lot OR o.expiry <> s.expiry)) ORDER BY s.location",
                               {sku, lot, expiry});
  if (auto s = best(tx, same, zone, qty, "reserve with the same SKU")) return *s;
  // 3. An empty reserve location, in the face's zone first.
  const auto empty = candidates(tx,
                                "SELECT l.code, l.zone FROM locations l WHERE l.kind = 'reserve' AND NOT EXISTS "
                                "(SELECT 1 FROM stock s WHERE s.location = l.code AND s.qty > 0) "
                                "ORDER BY (l.zone = ?) DESC, l.code LIMIT 500",
                                {zone});
  if (auto s = best(tx, empty, zone, qty, "empty reserve")) return *s;
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
  auto s = suggest(tx, t.sku, std::min(t.qty, domain::kMaxQuantity), t.lot, t.expiry);
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
      auto s = suggest(tx, item.sku, std::min(item.qty, domain::kMaxQuantity), item.lot, item.expiry);
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
  auto suggestion = suggest(tx, in.sku, in.qty, in.lot, in.expiry);
  if (!suggestion) return suggestion.error();
  const bool followed = in.to == suggestion->location || (!in.told.empty() && in.to == in.told);
  if (!followed && in.reason.empty())
    return invalid("put away to " + in.to + ", not the suggested " +
                   (suggestion->location.empty() ? std::string("(none)") : suggestion->location) +
                   ": a reason is required");
  const std::string& suggested = in.to == in.told ? in.told : suggestion->location;
  if (auto room = roomAt(tx, in.to); room && *room < in.qty)
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
