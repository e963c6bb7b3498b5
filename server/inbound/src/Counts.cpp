// Cycle counts (Counts.h).
#include "wms/inbound/Counts.h"

#include <algorithm>
#include <cstdlib>

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

constexpr const char* kColumns =
    "SELECT id, location, sku, lot, expiry, reason, status, first_count, first_expected, second_count, "
    "second_expected, booked, counted_by, approved_by, created_at FROM count_tasks ";

CountStatus statusOf(const std::string& s) {
  if (s == "recount") return CountStatus::Recount;
  if (s == "approval") return CountStatus::Approval;
  if (s == "done") return CountStatus::Done;
  return CountStatus::Open;
}

std::optional<std::int64_t> optional(store::Query& q, int column) {
  if (q.isNull(column)) return std::nullopt;
  return q.integer(column);
}

CountTask taskOf(store::Query& q) {
  CountTask t;
  t.id = q.integer(0);
  t.location = q.text(1);
  t.sku = q.text(2);
  t.lot = q.text(3);
  t.expiry = q.text(4);
  t.reason = q.text(5);
  t.status = statusOf(q.text(6));
  t.firstCount = optional(q, 7);
  t.firstExpected = optional(q, 8);
  t.secondCount = optional(q, 9);
  t.secondExpected = optional(q, 10);
  t.booked = optional(q, 11);
  t.countedBy = q.text(12);
  t.approvedBy = q.text(13);
  t.createdAtMs = q.integer(14);
  // Counted blind: the recorded figures show once the task is settled or
  // waiting for the supervisor.
  if (t.status == CountStatus::Open || t.status == CountStatus::Recount) t.firstExpected.reset();
  return t;
}

Result<CountTask> load(store::Tx& tx, std::int64_t id) {
  store::Query q(tx, std::string(kColumns) + "WHERE id = ?");
  q.bind(id);
  if (!q.step()) return Error{ErrorKind::NotFound, "no count " + n(id)};
  return taskOf(q);
}

// The task, if it waits for a supervisor; Conflict saying where it is otherwise.
Result<CountTask> awaitingApproval(store::Tx& tx, std::int64_t id) {
  auto task = load(tx, id);
  if (task && task->status != CountStatus::Approval)
    return conflict("count " + n(id) + " is " + toString(task->status) + ", not waiting for approval");
  return task;
}

std::int64_t recorded(store::Tx& tx, const CountTask& t) {
  store::Query q(tx, "SELECT COALESCE(SUM(qty), 0) FROM stock WHERE sku = ? AND location = ? AND lot = ? AND expiry = ?");
  q.bind(t.sku).bind(t.location).bind(t.lot).bind(t.expiry);
  q.step();
  return q.integer(0);
}

}  // namespace

const char* toString(CountStatus status) noexcept {
  switch (status) {
    case CountStatus::Open: return "open";
    case CountStatus::Recount: return "recount";
    case CountStatus::Approval: return "approval";
    case CountStatus::Done: return "done";
  }
  return "open";
}

Result<CountConfig> countConfigFrom(const std::map<std::string, std::string>& settings) {
  CountConfig c;
  if (auto it = settings.find("inbound.count_variance_units"); it != settings.end()) {
    auto v = domain::parseInt64(it->second);
    if (!v || *v < 0 || *v > 1'000'000)
      return invalid("inbound.count_variance_units must be a whole number from 0 to 1000000, got '" +
                     it->second.substr(0, 20) + "'");
    c.varianceUnits = *v;
  }
  if (auto it = settings.find("inbound.count_variance_percent"); it != settings.end()) {
    auto v = domain::parseInt64(it->second);
    if (!v || *v < 0 || *v > 100)
      return invalid("inbound.count_variance_percent must be a whole number from 0 to 100, got '" +
                     it->second.substr(0, 20) + "'");
    c.variancePercent = static_cast<int>(*v);
  }
  return c;
}

CountService::CountService(store::Database& db, const stock::StockEvents& events, CountConfig config)
    : db_(db), events_(events), config_(config) {}

Result<std::vector<CountTask>> CountService::create(const std::string& location, const std::string& sku,
                                                    const std::string& reason) {
  Result<std::vector<CountTask>> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    out = create(tx, location, sku, reason);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<CountTask>> CountService::create(store::Tx& tx, const std::string& location,
                                                    const std::string& sku, const std::string& reason) {
  if (auto st = domain::checkText(reason, "reason", 100); !st) return st.error();
  if (auto s = domain::checkLocationCode(location); !s) return s.error();
  store::CatalogRepository catalog(tx);
  if (!catalog.findLocation(location)) return invalid("no location " + location);
  if (!sku.empty() && !catalog.skuExists(sku)) return invalid("no SKU '" + sku.substr(0, 64) + "' in the catalogue");
  std::vector<std::tuple<std::string, std::string, std::string>> rows;
  {
    store::Query q(tx, "SELECT sku, lot, expiry FROM stock WHERE location = ? AND (? = '' OR sku = ?) ORDER BY sku, expiry, lot");
    q.bind(location).bind(sku).bind(sku);
    while (q.step()) rows.emplace_back(q.text(0), q.text(1), q.text(2));
  }
  // A SKU named that has no row there is counted too (found stock).
  if (rows.empty() && !sku.empty()) rows.emplace_back(sku, "", "");
  if (rows.empty()) return invalid("nothing is recorded at " + location + ": name the SKU to count");
  std::vector<CountTask> out;
  for (const auto& [s, lot, expiry] : rows) {
    store::Query open(tx, "SELECT id FROM count_tasks WHERE location = ? AND sku = ? AND lot = ? AND expiry = ? AND "
                          "status <> 'done'");
    open.bind(location).bind(s).bind(lot).bind(expiry);
    if (open.step()) continue;
    store::exec(tx,
                "INSERT INTO count_tasks(location, sku, lot, expiry, reason, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
                location, s, lot, expiry, reason.empty() ? std::string("on demand") : reason, tx.nowMs(), tx.nowMs());
    store::Query id(tx, "SELECT MAX(id) FROM count_tasks");
    id.step();
    auto t = load(tx, id.integer(0));
    if (!t) return t.error();
    out.push_back(std::move(*t));
  }
  return out;
}

Result<std::vector<CountTask>> CountService::waiting(store::Tx& tx, int limit) {
  limit = std::clamp(limit, 1, 500);
  std::vector<CountTask> out;
  store::Query q(tx, std::string(kColumns) + "WHERE status IN ('open', 'recount') ORDER BY location, sku, id LIMIT ?");
  q.bind(limit);
  while (q.step()) out.push_back(taskOf(q));
  return out;
}

Result<std::vector<CountTask>> CountService::fromShortPicks() {
  std::vector<std::pair<std::string, std::string>> flagged;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    store::Query q(tx, "SELECT DISTINCT location, sku FROM stock WHERE count_requested = 1 ORDER BY location, sku");
    while (q.step()) flagged.emplace_back(q.text(0), q.text(1));
    return {};
  });
  if (!st) return st.error();
  std::vector<CountTask> out;
  for (const auto& [location, sku] : flagged) {
    auto made = create(location, sku, "short pick");
    if (!made) return made.error();
    out.insert(out.end(), made->begin(), made->end());
  }
  return out;
}

Result<std::vector<CountTask>> CountService::planByClass(const AbcPlan& plan) {
  for (int days : {plan.velocityDays, plan.aDays, plan.bDays, plan.cDays})
    if (days < 1 || days > 3650) return invalid("a count interval is 1..3650 days, got " + n(days));
  const int limit = std::clamp(plan.limit, 1, 10000);
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  std::vector<std::pair<std::string, std::string>> due;  // (location, sku)
  auto st = db_.read([&](store::Tx& tx) -> Status {
    auto classes = velocity(tx, tx.nowMs() - plan.velocityDays * kDay);
    if (!classes) return classes.error();
    for (const auto& v : *classes) {
      const int days = v.abc == 'A' ? plan.aDays : v.abc == 'B' ? plan.bDays : plan.cDays;
      store::Query q(tx,
                     "SELECT DISTINCT s.location FROM stock s JOIN locations l ON l.code = s.location WHERE s.sku = ? "
                     "AND l.kind IN ('pick', 'reserve') AND NOT EXISTS (SELECT 1 FROM count_tasks c WHERE "
                     "c.location = s.location AND c.sku = s.sku AND (c.status <> 'done' OR c.updated_at >= ?)) "
                     "ORDER BY s.location");
      q.bind(v.sku).bind(tx.nowMs() - days * kDay);
      while (q.step() && static_cast<int>(due.size()) < limit) due.emplace_back(q.text(0), v.sku);
    }
    return {};
  });
  if (!st) return st.error();
  std::vector<CountTask> out;
  for (const auto& [location, sku] : due) {
    auto made = create(location, sku, "cycle count by class");
    if (!made) return made.error();
    out.insert(out.end(), made->begin(), made->end());
  }
  return out;
}

Result<std::vector<SkuVelocity>> CountService::velocityOver(int days) {
  if (days < 1 || days > 3650) return invalid("days must be 1..3650, got " + n(days));
  Result<std::vector<SkuVelocity>> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = velocity(tx, tx.nowMs() - days * 24LL * 3600 * 1000);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<CountTask> CountService::get(std::int64_t id) {
  Result<CountTask> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = load(tx, id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<CountTask>> CountService::list(const std::string& status, int limit) {
  if (!status.empty() && status != "open" && status != "recount" && status != "approval" && status != "done")
    return invalid("status must be open, recount, approval or done, got '" + status.substr(0, 20) + "'");
  limit = std::clamp(limit, 1, 500);
  std::vector<CountTask> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    store::Query q(tx, std::string(kColumns) + "WHERE (? = '' OR status = ?) ORDER BY id DESC LIMIT ?");
    q.bind(status).bind(status).bind(limit);
    while (q.step()) out.push_back(taskOf(q));
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<CountTask> CountService::submit(std::int64_t id, std::int64_t counted, const std::string& key,
                                       const stock::Actor& who) {
  Result<CountTask> out = Error{ErrorKind::Internal, "not run"};
  std::vector<std::string> changed;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    out = submit(tx, id, counted, key, who, changed);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  events_.committed(changed);
  return out;
}

Result<CountTask> CountService::submit(store::Tx& tx, std::int64_t id, std::int64_t counted, const std::string& key,
                                       const stock::Actor& who, std::vector<std::string>& changed) {
  if (auto st = rows::checkPrintable(key, "idempotency_key", 128); !st) return st.error();
  if (counted < 0 || counted > domain::kMaxQuantity)
    return invalid("counted must be 0.." + n(domain::kMaxQuantity) + ", got " + n(counted));
  {
    store::Query q(tx, "SELECT task_id FROM count_entries WHERE idempotency_key = ?");
    q.bind(key);
    if (q.step()) {
      if (q.integer(0) != id) return conflict("idempotency_key was used for count " + n(q.integer(0)));
      return load(tx, id);
    }
  }
  auto task = load(tx, id);
  if (!task) return task.error();
  if (task->status == CountStatus::Approval) return conflict("count " + n(id) + " is waiting for a supervisor's approval");
  if (task->status == CountStatus::Done) return conflict("count " + n(id) + " is done");
  const std::int64_t expected = recorded(tx, *task);
  const std::int64_t variance = counted - expected;
  const std::int64_t tolerance = std::max(config_.varianceUnits, expected * config_.variancePercent / 100);
  const bool first = task->status == CountStatus::Open;
  store::exec(tx, "INSERT INTO count_entries(task_id, counted, expected, idempotency_key, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
              id, counted, expected, key, who.id, tx.nowMs());
  std::string next = "done";
  if (std::llabs(variance) > tolerance) next = first ? "recount" : "approval";
  store::exec(tx,
              first ? "UPDATE count_tasks SET first_count = ?, first_expected = ?, status = ?, counted_by = ?, "
                      "updated_at = ? WHERE id = ?"
                    : "UPDATE count_tasks SET second_count = ?, second_expected = ?, status = ?, counted_by = ?, "
                      "updated_at = ? WHERE id = ?",
              counted, expected, next, who.id, tx.nowMs(), id);
  if (next == "done") {
    stock::Moves moves(tx, events_, who);
    auto booked = moves.count({task->sku, task->location, task->lot, task->expiry, 0}, counted, "count:" + n(id),
                              "counted " + n(counted) + ", recorded " + n(expected));
    if (!booked) return booked.error();
    store::exec(tx, "UPDATE count_tasks SET booked = ? WHERE id = ?", *booked, id);
    changed.insert(changed.end(), moves.changed().begin(), moves.changed().end());
  }
  return load(tx, id);
}

Result<CountTask> CountService::approve(std::int64_t id, const std::string& by) {
  if (auto st = domain::checkText(by, "by", 64); !st) return st.error();
  Result<CountTask> out = Error{ErrorKind::Internal, "not run"};
  std::vector<std::string> changed;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    auto task = awaitingApproval(tx, id);
    if (!task) return task.error();
    // The difference the second count found, against the figure as it is
    // now: picks while the count waited are kept.
    const std::int64_t difference = *task->secondCount - *task->secondExpected;
    const std::int64_t now = recorded(tx, *task);
    const std::int64_t target = now + difference;
    if (target < 0)
      return conflict("count " + n(id) + ": " + n(now) + " recorded now, the counted difference of " + n(difference) +
                      " would leave " + n(target) + "; count it again");
    stock::Moves moves(tx, events_, stock::Actor::person(by.empty() ? "supervisor" : by));
    auto booked = moves.count({task->sku, task->location, task->lot, task->expiry, 0}, target, "count:" + n(id),
                              "counted " + n(*task->secondCount) + " twice over the tolerance; approved" +
                                  (by.empty() ? std::string() : " by " + by));
    if (!booked) return booked.error();
    store::exec(tx, "UPDATE count_tasks SET status = 'done', booked = ?, approved_by = ?, updated_at = ? WHERE id = ?",
                *booked, by, tx.nowMs(), id);
    changed.assign(moves.changed().begin(), moves.changed().end());
    out = load(tx, id);
    return {};
  });
  if (!st) return st.error();
  events_.committed(changed);
  return out;
}

Result<CountTask> CountService::reject(std::int64_t id, const std::string& by) {
  if (auto st = domain::checkText(by, "by", 64); !st) return st.error();
  Result<CountTask> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    if (auto task = awaitingApproval(tx, id); !task) return task.error();
    store::exec(tx,
                "UPDATE count_tasks SET status = 'open', first_count = NULL, first_expected = NULL, second_count = NULL, "
                "second_expected = NULL, approved_by = ?, updated_at = ? WHERE id = ?",
                "rejected by " + (by.empty() ? std::string("supervisor") : by), tx.nowMs(), id);
    out = load(tx, id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace wms::inbound
