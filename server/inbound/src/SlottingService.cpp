// Slotting proposals stored and carried out (SlottingService.h).
#include "wms/inbound/SlottingService.h"

#include <algorithm>
#include <map>

#include "Rows.h"
#include "wms/domain/Ids.h"
#include "wms/inbound/Velocity.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/Query.h"

namespace wms::inbound {

using rows::conflict;
using rows::invalid;
using rows::n;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

Error notFound(std::string message) {
  return Error{ErrorKind::NotFound, std::move(message)};
}

ProposalStatus statusOf(const std::string& s) {
  if (s == "approved") return ProposalStatus::Approved;
  if (s == "rejected") return ProposalStatus::Rejected;
  if (s == "done") return ProposalStatus::Done;
  return ProposalStatus::Proposed;
}

Result<SlottingProposalRow> load(store::Tx& tx, std::int64_t id) {
  SlottingProposalRow p;
  {
    store::Query q(
        tx,
        "SELECT id, status, days, staging, max_moves, min_gain_mm, level_penalty_mm, before_mm, after_mm, "
        "skipped_for_cap, created_by, approved_by, rejected_by, created_at FROM slotting_proposals "
        "WHERE id = ?");
    q.bind(id);
    if (!q.step()) return notFound("no slotting proposal " + n(id));
    p.id = q.integer(0);
    p.status = statusOf(q.text(1));
    p.days = static_cast<int>(q.integer(2));
    p.staging = q.text(3);
    p.maxMoves = static_cast<int>(q.integer(4));
    p.minGainMm = q.integer(5);
    p.levelPenaltyMm = q.integer(6);
    p.beforeMm = q.integer(7);
    p.afterMm = q.integer(8);
    p.skippedForCap = static_cast<int>(q.integer(9));
    p.createdBy = q.text(10);
    p.approvedBy = q.text(11);
    p.rejectedBy = q.text(12);
    p.createdAtMs = q.integer(13);
  }
  store::Query q(tx,
                 "SELECT move_no, sku, from_location, to_location, reason, why, gain_mm, qty, moved, done_by "
                 "FROM slotting_moves WHERE proposal_id = ? ORDER BY move_no");
  q.bind(id);
  while (q.step()) {
    ProposedMove m;
    m.number = static_cast<int>(q.integer(0));
    m.sku = q.text(1);
    m.from = q.text(2);
    m.to = q.text(3);
    m.reason = q.text(4);
    m.why = q.text(5);
    m.gainMm = q.integer(6);
    m.qty = q.integer(7);
    if (!q.isNull(8)) m.moved = q.integer(8);
    m.doneBy = q.text(9);
    p.moves.push_back(std::move(m));
  }
  return p;
}

std::optional<domain::LocationKind> kindOf(store::Tx& tx, const std::string& code) {
  auto loc = store::CatalogRepository(tx).findLocation(code);
  if (!loc) return std::nullopt;
  return loc->kind;
}

std::int64_t unitsAt(store::Tx& tx, const std::string& sku, const std::string& location) {
  return store::queryInteger(tx, "SELECT COALESCE(SUM(qty), 0) FROM stock WHERE sku = ? AND location = ?",
                             sku, location)
      .value_or(0);
}

}  // namespace

const char* toString(ProposalStatus status) noexcept {
  switch (status) {
    case ProposalStatus::Proposed:
      return "proposed";
    case ProposalStatus::Approved:
      return "approved";
    case ProposalStatus::Rejected:
      return "rejected";
    case ProposalStatus::Done:
      return "done";
  }
  return "proposed";
}

SlottingService::SlottingService(store::Database& db, const stock::StockEvents& events)
    : db_(db), events_(events) {}

Result<SlottingProposalRow> SlottingService::propose(const SlottingRequest& request) {
  if (request.days < 1 || request.days > 3650) return invalid("days must be 1..3650, got " + n(request.days));
  if (auto st = validate(request.options); !st) return st.error();
  if (auto st = domain::checkText(request.requestedBy, "requested_by", 256); !st) return st.error();
  if (!geometry_)
    return Error{ErrorKind::Unavailable, "slotting needs the layout: no layout is configured (waves.layout)"};
  Result<SlottingProposalRow> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    SlottingOptions options = request.options;
    if (!options.staging.empty()) {
      if (auto s = domain::checkLocationCode(options.staging); !s)
        return invalid("staging: " + s.error().message);
      const auto kind = kindOf(tx, options.staging);
      if (!kind) return invalid("staging: no location " + options.staging);
      if (*kind != domain::LocationKind::Staging)
        return invalid("staging: " + options.staging + " is a " + domain::toString(*kind) +
                       " location, not a staging location");
    } else if (auto first = [&]() -> std::optional<std::string> {
                 store::Query q(tx,
                                "SELECT code FROM locations WHERE kind = 'staging' ORDER BY code LIMIT 1");
                 if (!q.step()) return std::nullopt;
                 return q.text(0);
               }()) {
      options.staging = *first;
    }

    // The faces: every pick location of the layout, with what it holds (its
    // stock, else the SKU of its rule). A face holding two SKUs is given
    // twice, and the planner leaves it alone.
    std::vector<SlotFace> faces;
    {
      std::map<std::string, std::vector<std::pair<std::string, std::int64_t>>> holds;  // SKUs and units
      {
        store::Query q(
            tx,
            "SELECT s.location, s.sku, SUM(s.qty) FROM stock s JOIN locations l ON l.code = s.location "
            "WHERE l.kind = 'pick' AND s.qty > 0 GROUP BY s.location, s.sku ORDER BY s.location, s.sku");
        while (q.step()) holds[q.text(0)].emplace_back(q.text(1), q.integer(2));
      }
      {
        store::Query q(tx, "SELECT location, sku FROM face_rules ORDER BY location");
        while (q.step()) {
          auto& v = holds[q.text(0)];
          const std::string sku = q.text(1);
          if (std::none_of(v.begin(), v.end(), [&](const auto& h) { return h.first == sku; }))
            v.emplace_back(sku, 0);
        }
      }
      store::Query q(tx, "SELECT code FROM locations WHERE kind = 'pick' ORDER BY code");
      while (q.step()) {
        const std::string code = q.text(0);
        const auto place = geometry_(code);
        if (!place) continue;  // not on the layout: not a face the planner knows the walk to
        const auto it = holds.find(code);
        if (it == holds.end() || it->second.empty()) {
          faces.push_back({code, place->distanceMm, place->level, "", 0});
          continue;
        }
        for (const auto& [sku, units] : it->second)
          faces.push_back({code, place->distanceMm, place->level, sku, units});
      }
    }
    const std::int64_t since = tx.nowMs() - static_cast<std::int64_t>(request.days) * kDayMs;
    auto speed = velocity_ ? velocity_(tx, since) : velocity(tx, since);
    if (!speed) return speed.error();
    std::vector<SlotVelocity> velocities;
    for (const auto& v : *speed) velocities.push_back({v.sku, v.units});
    auto plan = planSlotting(faces, velocities, options);
    if (!plan) return plan.error();

    const std::int64_t now = tx.nowMs();
    store::exec(
        tx,
        "INSERT INTO slotting_proposals(status, days, staging, max_moves, min_gain_mm, level_penalty_mm, "
        "before_mm, after_mm, skipped_for_cap, created_by, created_at, updated_at) "
        "VALUES ('proposed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        request.days, options.staging, options.maxMoves, options.minGainMm, options.levelPenaltyMm,
        plan->beforeMm, plan->afterMm, plan->skippedForCap, request.requestedBy, now, now);
    const std::int64_t id = store::queryInteger(tx, "SELECT last_insert_rowid()").value_or(0);
    for (const auto& m : plan->moves) {
      store::exec(
          tx,
          "INSERT INTO slotting_moves(proposal_id, move_no, sku, from_location, to_location, reason, why, "
          "gain_mm, qty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          id, m.number, m.sku, m.from, m.to, std::string(toString(m.reason)), m.why, m.gainMm, m.qty);
    }
    out = load(tx, id);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<SlottingProposalRow>> SlottingService::list(const std::string& status, int limit) {
  if (!status.empty() && status != "proposed" && status != "approved" && status != "rejected" &&
      status != "done")
    return invalid("status must be proposed, approved, rejected or done, got '" + status.substr(0, 40) + "'");
  limit = std::clamp(limit, 1, 500);
  std::vector<SlottingProposalRow> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    std::vector<std::int64_t> ids;
    {
      store::Query q(
          tx, "SELECT id FROM slotting_proposals WHERE (? = '' OR status = ?) ORDER BY id DESC LIMIT ?");
      q.bind(status).bind(status).bind(limit);
      while (q.step()) ids.push_back(q.integer(0));
    }
    for (auto id : ids) {
      auto p = load(tx, id);
      if (!p) return p.error();
      out.push_back(std::move(*p));
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<SlottingProposalRow> SlottingService::get(std::int64_t id) {
  Result<SlottingProposalRow> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = load(tx, id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<SlottingProposalRow> SlottingService::approve(std::int64_t id, const std::string& by) {
  if (by.empty()) return invalid("by: the supervisor who approves is required");
  if (auto st = domain::checkText(by, "by", 256); !st) return st.error();
  Result<SlottingProposalRow> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    auto p = load(tx, id);
    if (!p) return p.error();
    if (p->status == ProposalStatus::Approved || p->status == ProposalStatus::Done)
      return conflict("slotting proposal " + n(id) + " was approved by " + p->approvedBy + " already");
    if (p->status == ProposalStatus::Rejected)
      return conflict("slotting proposal " + n(id) + " was rejected by " + p->rejectedBy +
                      ": make a new one");
    store::exec(tx, "UPDATE slotting_proposals SET status = ?, approved_by = ?, updated_at = ? WHERE id = ?",
                std::string(p->moves.empty() ? "done" : "approved"), by, tx.nowMs(), id);
    out = load(tx, id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<SlottingProposalRow> SlottingService::reject(std::int64_t id, const std::string& by) {
  if (auto st = domain::checkText(by, "by", 256); !st) return st.error();
  Result<SlottingProposalRow> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    auto p = load(tx, id);
    if (!p) return p.error();
    if (p->status == ProposalStatus::Rejected)
      return conflict("slotting proposal " + n(id) + " is rejected already");
    if (p->status == ProposalStatus::Done)
      return conflict("slotting proposal " + n(id) + " is done: nothing to reject");
    const auto done =
        std::count_if(p->moves.begin(), p->moves.end(), [](const ProposedMove& m) { return m.moved; });
    if (done > 0)
      return conflict("slotting proposal " + n(id) + " has " + n(done) + " of its " +
                      n(static_cast<std::int64_t>(p->moves.size())) + " moves done: finish it");
    store::exec(
        tx, "UPDATE slotting_proposals SET status = 'rejected', rejected_by = ?, updated_at = ? WHERE id = ?",
        by, tx.nowMs(), id);
    out = load(tx, id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<SlottingService::Confirmed> SlottingService::confirm(std::int64_t id, int number,
                                                            const stock::Actor& who) {
  Result<Confirmed> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    auto p = load(tx, id);
    if (!p) return p.error();
    if (number < 1 || number > static_cast<int>(p->moves.size()))
      return notFound("slotting proposal " + n(id) + " has no move " + n(number) + " (it has " +
                      n(static_cast<std::int64_t>(p->moves.size())) + ")");
    const ProposedMove& m = p->moves[static_cast<std::size_t>(number - 1)];
    if (m.moved) {
      out = Confirmed{true, m, p->status};
      return {};
    }
    if (p->status == ProposalStatus::Proposed)
      return conflict("slotting proposal " + n(id) +
                      " is not approved: a supervisor approves it before its moves");
    if (p->status == ProposalStatus::Rejected)
      return conflict("slotting proposal " + n(id) + " was rejected");
    if (number > 1 && !p->moves[static_cast<std::size_t>(number - 2)].moved)
      return conflict("move " + n(number) + " comes after move " + n(number - 1) + ", which is not done");

    const auto fromKind = kindOf(tx, m.from), toKind = kindOf(tx, m.to);
    if (!fromKind) return conflict("no location " + m.from + " any more");
    if (!toKind) return conflict("no location " + m.to + " any more");
    // A move takes everything of the SKU at its face; a swap's return leg
    // takes from staging what its first leg put there, no more.
    const bool back = m.reason == toString(SlotMove::Reason::SwapBack);
    const std::int64_t have = unitsAt(tx, m.sku, m.from);
    if (m.qty > 0 && have == 0)
      return conflict(m.from + " no longer holds " + m.sku + ": nothing to move (it held " + n(m.qty) + ")");
    if (back && have < m.qty)
      return conflict(m.from + " holds " + n(have) + " of " + m.sku + ", not the " + n(m.qty) + " move " +
                      n(number - 1) + " left there");
    const std::int64_t qty = back ? m.qty : have;
    if (*toKind == domain::LocationKind::Pick) {
      store::Query q(tx, "SELECT sku FROM stock WHERE location = ? AND sku <> ? AND qty > 0 LIMIT 1");
      q.bind(m.to).bind(m.sku);
      if (q.step())
        return conflict(m.to + " holds " + q.text(0) + ": it must be empty before " + m.sku + " goes there");
      auto other =
          store::queryInteger(tx, "SELECT 1 FROM face_rules WHERE location = ? AND sku <> ?", m.to, m.sku);
      if (other)
        return conflict(m.to + " has another SKU's min/max rule: remove it before " + m.sku + " goes there");
    }
    if (demand_) {
      const auto demand = demand_(tx);
      if (auto it = demand.find({m.sku, m.from}); it != demand.end() && it->second > 0)
        return conflict("released picks still take " + n(it->second) + " of " + m.sku + " from " + m.from +
                        ": do this move once they are picked");
    }

    // Every lot of the SKU at the source.
    std::vector<domain::StockAtLocation> lots;
    {
      store::Query q(tx,
                     "SELECT lot, expiry, qty FROM stock WHERE sku = ? AND location = ? AND qty > 0 "
                     "ORDER BY expiry, lot");
      q.bind(m.sku).bind(m.from);
      while (q.step()) lots.push_back({m.sku, m.from, q.text(0), q.text(1), q.integer(2)});
    }
    stock::Moves moves(tx, events_, who);
    const std::string reference = "slotting:" + n(id);
    std::int64_t left = qty;
    for (const auto& lot : lots) {
      const std::int64_t take = std::min(left, lot.qty);
      if (take <= 0) break;
      if (auto s = moves.transfer({lot.sku, lot.location, lot.lot, lot.expiry, 0}, m.to, take, reference,
                                  "slotting move " + n(number) + " (" + m.reason + ")");
          !s)
        return s;
      left -= take;
    }

    // The face's min/max rule goes with the SKU; parked on the return leg
    // while the SKU waits at staging.
    std::optional<std::pair<std::int64_t, std::int64_t>> rule;
    {
      store::Query q(tx, "SELECT min_units, max_units FROM face_rules WHERE location = ? AND sku = ?");
      q.bind(m.from).bind(m.sku);
      if (q.step()) rule = std::pair{q.integer(0), q.integer(1)};
    }
    if (rule) store::exec(tx, "DELETE FROM face_rules WHERE location = ?", m.from);
    if (!rule) {
      store::Query q(
          tx,
          "SELECT rule_min, rule_max FROM slotting_moves WHERE proposal_id = ? AND move_no = ? AND "
          "rule_min IS NOT NULL");
      q.bind(id).bind(number);
      if (q.step()) rule = std::pair{q.integer(0), q.integer(1)};
    }
    if (rule) {
      if (*toKind == domain::LocationKind::Pick) {
        store::exec(tx,
                    "INSERT INTO face_rules(location, sku, min_units, max_units) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(location) DO UPDATE SET sku = excluded.sku, min_units = excluded.min_units, "
                    "max_units = excluded.max_units",
                    m.to, m.sku, rule->first, rule->second);
      } else {
        store::exec(
            tx,
            "UPDATE slotting_moves SET rule_min = ?, rule_max = ? WHERE proposal_id = ? AND move_no = "
            "(SELECT MIN(move_no) FROM slotting_moves WHERE proposal_id = ? AND move_no > ? AND sku = ? AND "
            "from_location = ?)",
            rule->first, rule->second, id, id, number, m.sku, m.to);
      }
    }
    if (*toKind != domain::LocationKind::Pick)  // the return leg brings back what this one parked
      store::exec(
          tx,
          "UPDATE slotting_moves SET qty = ? WHERE proposal_id = ? AND move_no = "
          "(SELECT MIN(move_no) FROM slotting_moves WHERE proposal_id = ? AND move_no > ? AND sku = ? AND "
          "from_location = ?)",
          qty, id, id, number, m.sku, m.to);

    store::exec(
        tx,
        "UPDATE slotting_moves SET moved = ?, done_by = ?, done_at = ? WHERE proposal_id = ? AND move_no = ?",
        qty, who.id, tx.nowMs(), id, number);
    const bool last = number == static_cast<int>(p->moves.size());
    if (last)
      store::exec(tx, "UPDATE slotting_proposals SET status = 'done', updated_at = ? WHERE id = ?",
                  tx.nowMs(), id);
    auto after = load(tx, id);
    if (!after) return after.error();
    out = Confirmed{false, after->moves[static_cast<std::size_t>(number - 1)], after->status};
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace wms::inbound
