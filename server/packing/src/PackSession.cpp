#include "wms/packing/PackSession.h"

#include <algorithm>
#include <map>

#include "Rows.h"
#include "wms/store/Query.h"

namespace wms::packing {
namespace {

Error conflict(std::string message) {
  return Error{ErrorKind::Conflict, std::move(message)};
}
std::string n(std::int64_t v) {
  return std::to_string(v);
}

// The most events one session keeps: far above any real order, low enough
// that replaying them stays cheap.
constexpr std::int64_t kMaxEvents = 20000;

SessionState stateFrom(const std::string& s) {
  if (s == "packed") return SessionState::Packed;
  if (s == "abandoned") return SessionState::Abandoned;
  return SessionState::Open;
}

struct SessionRow {
  std::int64_t id = 0;
  domain::OrderId orderId = 0;
  std::string station;
  SessionState state = SessionState::Open;
};

std::optional<SessionRow> findSession(store::Tx& tx, const std::string& where, std::int64_t key) {
  store::Query q(tx, "SELECT id, order_id, station, state FROM pack_sessions WHERE " + where +
                         " ORDER BY id DESC LIMIT 1");
  q.bind(key);
  if (!q.step()) return std::nullopt;
  return SessionRow{q.integer(0), q.integer(1), q.text(2), stateFrom(q.text(3))};
}

struct Event {
  std::string kind;  // scan, open, close, remove
  std::string text;
  int lineNo = 0;
  std::int64_t qty = 0;
};

// The steps that changed the session, in order (refused scans are audit only).
std::vector<Event> acceptedEvents(store::Tx& tx, std::int64_t sessionId) {
  store::Query q(tx,
                 "SELECT kind, text, line_no, qty FROM pack_session_events WHERE session_id = ? AND "
                 "outcome = 'accepted' ORDER BY seq");
  q.bind(sessionId);
  std::vector<Event> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), static_cast<int>(q.integer(2)), q.integer(3)});
  return out;
}

// What is kept of a scan for the audit trail: printable, bounded.
std::string auditText(std::string_view text) {
  std::string out;
  for (char ch : text.substr(0, 300)) {
    auto c = static_cast<unsigned char>(ch);
    out += (c < 0x20 || c == 0x7F) ? '?' : ch;
  }
  return out;
}

}  // namespace

const char* toString(SessionState state) noexcept {
  switch (state) {
    case SessionState::Open:
      return "open";
    case SessionState::Packed:
      return "packed";
    case SessionState::Abandoned:
      return "abandoned";
  }
  return "open";
}

struct PackSessionService::Loaded {
  SessionRow row;
  PackTask task;
  PackVerifier verifier{{}};
  std::int64_t events = 0;  // stored so far (the next seq is events + 1)

  void record(store::Tx& tx, const std::string& kind, std::string_view text, int lineNo, std::int64_t qty,
              const std::string& outcome) {
    ++events;
    store::exec(tx,
                "INSERT INTO pack_session_events(session_id, seq, at, kind, text, line_no, qty, outcome) "
                "VALUES (?, ?, "
                "?, ?, ?, ?, ?, ?)",
                row.id, events, tx.nowMs(), kind,
                // Accepted steps are replayed: kept exactly (they passed the
                // scan checks; GS1 separators matter). Refused ones are audit.
                outcome == "accepted" ? std::string(text) : auditText(text), lineNo, qty, outcome);
    store::exec(tx, "UPDATE pack_sessions SET updated_at = ? WHERE id = ?", tx.nowMs(), row.id);
  }
};

namespace {

// The suggestion for what is not yet in a closed carton.
CartonSuggestion remainingSuggestion(const PackVerifier& v, const PackTask& task,
                                     const PackingConfig& config) {
  std::map<int, std::int64_t> closed;
  for (const auto& c : v.cartons()) {
    if (!c.closed) continue;
    for (const auto& i : c.items) closed[i.lineNo] += i.qty;
  }
  std::vector<CartonItem> items;
  for (const auto& l : task.lines) {
    std::int64_t left = l.toPack - closed[l.lineNo];
    if (left > 0) items.push_back({l.sku, l.dims, l.weightG, left, l.lineNo});
  }
  if (items.empty()) return {};
  auto s = suggestCarton(config.cartons, items, config.fit);
  return s ? std::move(*s) : CartonSuggestion{};
}

std::string autoCartonType(const CartonSuggestion& s, const PackingConfig& config) {
  if (!s.cartons.empty()) return s.cartons.front().cartonType;
  for (const auto& t : config.cartons.types) {
    if (t.kind != CartonKind::Own) return t.code;
  }
  return std::string(kOwnPackaging);
}

}  // namespace

PackSessionService::PackSessionService(store::Database& db, ShippingService& shipping)
    : db_(db), shipping_(shipping) {}

namespace {

void fillView(SessionView& view, const PackVerifier& v, const PackTask& task, const PackingConfig& config) {
  view.task = task;
  view.lines.clear();
  for (const auto& l : task.lines) {
    view.lines.push_back(
        {l.lineNo, l.sku, l.description, l.ordered, l.toPack, v.packed(l.lineNo), l.barcodes});
  }
  view.cartons = v.cartons();
  view.openCarton = v.openCartonNumber();
  view.complete = v.complete();
  view.missing = v.missing();
  view.suggestion = remainingSuggestion(v, task, config);
}

}  // namespace

void PackSessionService::fillPackedView(store::Tx& tx, SessionView& view, const PackTask& task) {
  view.state = SessionState::Packed;
  PackVerifier none(task.verifyLines());
  fillView(view, none, task, shipping_.config());
  view.suggestion = {};
  view.packedCartons = shipping_.cartonsOf(tx, task.orderId);
  for (auto& l : view.lines) {
    l.packed = 0;
    for (const auto& c : view.packedCartons) {
      for (const auto& i : c.items) {
        if (i.lineNo == l.lineNo) l.packed += i.qty;
      }
    }
  }
  view.missing.clear();
  view.complete = true;
  auto shipment = shipping_.shipmentOfOrder(tx, task.orderId);
  if (shipment && *shipment) view.shipment = **shipment;
}

Result<SessionView> PackSessionService::start(std::string_view code, std::string_view station) {
  if (station.size() > 64 ||
      !std::all_of(station.begin(), station.end(), [](char c) { return c > 0x20 && c < 0x7F; }))
    return Error{ErrorKind::Invalid, "station must be 0..64 printable characters without spaces"};
  std::int64_t sessionId = 0;
  std::optional<SessionView> packedView;
  auto st =
      db_.write(
          [&](store::Tx& tx) -> Status {
            auto id = shipping_.findOrder(tx, code);
            if (!id) return id.error();
            auto task = shipping_.packTask(tx, *id);
            if (!task) return task.error();
            if (task->status != domain::OrderStatus::Picked) {
              // Packed already (here or on a handheld): show what was packed.
              SessionView view;
              view.station = std::string(station);
              if (auto last = findSession(tx, "order_id = ?", *id)) {
                view.sessionId = last->id;
                view.station = last->station;
              }
              fillPackedView(tx, view, *task);
              packedView = std::move(view);
              return {};
            }
            if (auto open = findSession(tx, "order_id = ? AND state = 'open'", *id)) {
              sessionId = open->id;
              if (!station.empty() && open->station != station) {
                // The packer took the tote to another station: the session follows.
                store::exec(tx, "UPDATE pack_sessions SET station = ?, updated_at = ? WHERE id = ?",
                            std::string(station), tx.nowMs(), open->id);
              }
              return {};
            }
            store::Query insert(tx,
                                "INSERT INTO pack_sessions(order_id, station, state, created_at, updated_at) "
                                "VALUES (?, ?, 'open', ?, ?) RETURNING id");
            insert.bind(*id).bind(station).bind(tx.nowMs()).bind(tx.nowMs());
            std::int64_t newId = 0;
            if (insert.step()) {
              newId = insert.integer(0);
              insert.run();  // finish the statement: RETURNING completes the insert on the last step
            }
            sessionId = newId;
            return {};
          });
  if (!st) return st.error();
  if (packedView) return std::move(*packedView);
  return get(sessionId);
}

Result<SessionView> PackSessionService::mutate(
    std::int64_t sessionId, bool write,
    const std::function<Status(store::Tx&, Loaded&, SessionView&)>& step) {
  Result<SessionView> out = Error{ErrorKind::Internal, "not run"};
  auto work = [&](store::Tx& tx) -> Status {
    auto row = findSession(tx, "id = ?", sessionId);
    if (!row) {
      out = Error{ErrorKind::NotFound, "no pack session " + n(sessionId)};
      return out.error();
    }
    auto task = shipping_.packTask(tx, row->orderId);
    if (!task) {
      out = task.error();
      return task.error();
    }
    Loaded loaded;
    loaded.row = *row;
    loaded.task = std::move(*task);
    loaded.verifier = PackVerifier(loaded.task.verifyLines());
    loaded.events =
        store::queryInteger(tx, "SELECT COUNT(*) FROM pack_session_events WHERE session_id = ?", sessionId)
            .value_or(0);
    // Replay: each accepted step is applied again in order. They were
    // accepted against the same picked quantities, so they apply again.
    for (const auto& e : acceptedEvents(tx, sessionId)) {
      if (e.kind == "scan")
        (void)loaded.verifier.scan(e.text, e.qty);
      else if (e.kind == "open")
        (void)loaded.verifier.openCarton(e.text);
      else if (e.kind == "close")
        (void)loaded.verifier.closeCarton(e.qty > 0 ? std::optional<std::int64_t>(e.qty) : std::nullopt);
      else if (e.kind == "remove")
        (void)loaded.verifier.remove(e.lineNo, e.qty);
    }
    SessionView view;
    view.sessionId = row->id;
    view.state = row->state;
    view.station = row->station;
    if (auto s = step(tx, loaded, view); !s) {
      out = s.error();
      return s.error();
    }
    out = std::move(view);
    return {};
  };
  auto st = write ? db_.write(work) : db_.read(work);
  if (!st) return st.error();
  return out;
}

Result<SessionView> PackSessionService::get(std::int64_t sessionId) {
  return mutate(sessionId, false, [&](store::Tx& tx, Loaded& l, SessionView& view) -> Status {
    // An order still picked shows the session as it stands (or was left,
    // if abandoned); once packed, what was recorded.
    if (l.task.status == domain::OrderStatus::Picked) {
      fillView(view, l.verifier, l.task, shipping_.config());
    } else {
      fillPackedView(tx, view, l.task);
      view.state = l.row.state;
    }
    return {};
  });
}

namespace {

Status requireOpen(const SessionRow& row, const PackTask& task) {
  if (row.state != SessionState::Open)
    return conflict("pack session " + n(row.id) + " is " + toString(row.state) +
                    ": scan the tote to start again");
  if (task.status != domain::OrderStatus::Picked)
    return conflict("order " + task.reference + " is " + domain::toString(task.status) + " now");
  return {};
}

}  // namespace

Result<SessionView> PackSessionService::scan(std::int64_t sessionId, std::string_view text,
                                             std::int64_t count) {
  if (count < 1 || count > domain::kMaxQuantity)
    return Error{ErrorKind::Invalid, "quantity must be 1.." + n(domain::kMaxQuantity) + ", got " + n(count)};
  return mutate(sessionId, true, [&](store::Tx& tx, Loaded& l, SessionView& view) -> Status {
    if (auto st = requireOpen(l.row, l.task); !st) return st;
    if (l.events >= kMaxEvents)
      return Error{ErrorKind::TooLarge, "pack session " + n(sessionId) + " has too many steps"};
    ScanReply reply;
    if (!l.verifier.openCartonNumber()) {
      // Try the scan in the carton that would be opened for it; keep both
      // only if the scan is accepted.
      PackVerifier trial = l.verifier;
      const std::string type =
          autoCartonType(remainingSuggestion(l.verifier, l.task, shipping_.config()), shipping_.config());
      if (auto st = trial.openCarton(type); !st) return st;
      auto r = trial.scan(text, count);
      if (!r) return r.error();
      reply = *r;
      if (reply.outcome == ScanOutcome::Accepted) {
        l.record(tx, "open", type, 0, 0, "accepted");
        l.verifier = std::move(trial);
      }
    } else {
      auto r = l.verifier.scan(text, count);
      if (!r) return r.error();
      reply = *r;
    }
    l.record(tx, "scan", text, reply.lineNo, count, toString(reply.outcome));
    fillView(view, l.verifier, l.task, shipping_.config());
    view.lastScan = std::move(reply);
    return {};
  });
}

Result<SessionView> PackSessionService::remove(std::int64_t sessionId, int lineNo, std::int64_t count) {
  return mutate(sessionId, true, [&](store::Tx& tx, Loaded& l, SessionView& view) -> Status {
    if (auto st = requireOpen(l.row, l.task); !st) return st;
    if (auto st = l.verifier.remove(lineNo, count); !st) return st;
    l.record(tx, "remove", "", lineNo, count, "accepted");
    fillView(view, l.verifier, l.task, shipping_.config());
    return {};
  });
}

Result<SessionView> PackSessionService::openCarton(std::int64_t sessionId, std::string_view cartonType) {
  return mutate(sessionId, true, [&](store::Tx& tx, Loaded& l, SessionView& view) -> Status {
    if (auto st = requireOpen(l.row, l.task); !st) return st;
    if (!shipping_.config().cartons.find(cartonType))
      return Error{ErrorKind::Invalid, "unknown carton type '" + auditText(cartonType.substr(0, 64)) + "'"};
    if (auto st = l.verifier.openCarton(cartonType); !st) return st;
    l.record(tx, "open", cartonType, 0, 0, "accepted");
    fillView(view, l.verifier, l.task, shipping_.config());
    return {};
  });
}

Result<SessionView> PackSessionService::closeCarton(std::int64_t sessionId,
                                                    std::optional<std::int64_t> weightG) {
  return mutate(sessionId, true, [&](store::Tx& tx, Loaded& l, SessionView& view) -> Status {
    if (auto st = requireOpen(l.row, l.task); !st) return st;
    if (auto st = l.verifier.closeCarton(weightG); !st) return st;
    l.record(tx, "close", "", 0, weightG.value_or(0), "accepted");
    fillView(view, l.verifier, l.task, shipping_.config());
    return {};
  });
}

Result<SessionView> PackSessionService::complete(std::int64_t sessionId) {
  return mutate(sessionId, true, [&](store::Tx& tx, Loaded& l, SessionView& view) -> Status {
    if (auto st = requireOpen(l.row, l.task); !st) return st;
    auto cartons = l.verifier.finish();
    if (!cartons) return cartons.error();
    std::vector<PackedCarton> packed;
    for (const auto& c : *cartons) {
      PackedCarton pc;
      pc.cartonType = c.cartonType;
      pc.weightG = c.weightG;
      for (const auto& i : c.items) pc.items.push_back({i.lineNo, i.sku, i.qty});
      packed.push_back(std::move(pc));
    }
    auto result = shipping_.packOrder(tx, l.row.orderId, packed);
    if (!result) return result.error();
    l.record(tx, "complete", "", 0, 0, "accepted");
    auto task = shipping_.packTask(tx, l.row.orderId);
    if (!task) return task.error();
    fillView(view, l.verifier, *task, shipping_.config());
    view.state = SessionState::Packed;
    view.suggestion = {};
    view.packedCartons = result->cartons;
    return {};
  });
}

Result<SessionView> PackSessionService::abandon(std::int64_t sessionId) {
  return mutate(sessionId, true, [&](store::Tx& tx, Loaded& l, SessionView& view) -> Status {
    if (l.row.state != SessionState::Open)
      return conflict("pack session " + n(sessionId) + " is " + toString(l.row.state));
    store::exec(tx, "UPDATE pack_sessions SET state = 'abandoned', updated_at = ? WHERE id = ?", tx.nowMs(),
                l.row.id);
    fillView(view, l.verifier, l.task, shipping_.config());
    view.state = SessionState::Abandoned;
    return {};
  });
}

}  // namespace wms::packing
