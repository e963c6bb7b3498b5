#include "WaveTables.h"

#include <stdexcept>

#include <cstdio>

#include "wms/stock/Moves.h"
#include "wms/store/Query.h"

namespace wms::server::waves {
namespace {

using I = std::int64_t;

}  // namespace

const store::Schema& wavesSchema() {
  static const store::Schema schema{
      "waves",
      {{1,
        "waves, batches, totes, stops and puts, tote pool",
        {
            R"(CREATE TABLE waves(
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 name TEXT NOT NULL,
                 site TEXT NOT NULL,
                 status TEXT NOT NULL,
                 trigger TEXT NOT NULL,
                 reason TEXT NOT NULL DEFAULT '',
                 carrier TEXT NOT NULL DEFAULT '',
                 cutoff_ms INTEGER NOT NULL DEFAULT 0,
                 method TEXT NOT NULL,
                 released_at INTEGER NOT NULL,
                 finished_at INTEGER NOT NULL DEFAULT 0,
                 orders INTEGER NOT NULL,
                 lines INTEGER NOT NULL,
                 units INTEGER NOT NULL,
                 batches INTEGER NOT NULL,
                 planned_mm INTEGER NOT NULL))",
            R"(CREATE TABLE wave_orders(
                 wave_id INTEGER NOT NULL REFERENCES waves(id),
                 order_id INTEGER NOT NULL,
                 batch_id INTEGER NOT NULL,
                 PRIMARY KEY (wave_id, order_id)))",
            "CREATE INDEX wave_orders_order ON wave_orders(order_id)",
            R"(CREATE TABLE batches(
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 wave_id INTEGER NOT NULL REFERENCES waves(id),
                 number INTEGER NOT NULL,
                 status TEXT NOT NULL,
                 device TEXT NOT NULL DEFAULT '',
                 badge TEXT NOT NULL DEFAULT '',
                 rev INTEGER NOT NULL DEFAULT 1,
                 zone TEXT NOT NULL DEFAULT '',
                 totes INTEGER NOT NULL,
                 units INTEGER NOT NULL,
                 planned_mm INTEGER NOT NULL,
                 oversize INTEGER NOT NULL DEFAULT 0,
                 assigned_at INTEGER NOT NULL DEFAULT 0,
                 finished_at INTEGER NOT NULL DEFAULT 0))",
            "CREATE INDEX batches_status ON batches(status, id)",
            "CREATE INDEX batches_device ON batches(device, status)",
            R"(CREATE TABLE batch_totes(
                 batch_id INTEGER NOT NULL REFERENCES batches(id),
                 number INTEGER NOT NULL,
                 tote TEXT NOT NULL,
                 order_id INTEGER NOT NULL,
                 PRIMARY KEY (batch_id, number)))",
            R"(CREATE TABLE stops(
                 batch_id INTEGER NOT NULL REFERENCES batches(id),
                 stop_id INTEGER NOT NULL,
                 seq INTEGER NOT NULL,
                 location TEXT NOT NULL,
                 sku TEXT NOT NULL,
                 lot TEXT NOT NULL DEFAULT '',
                 expiry TEXT NOT NULL DEFAULT '',
                 qty INTEGER NOT NULL CHECK (qty > 0),
                 picked INTEGER NOT NULL DEFAULT 0,
                 short_qty INTEGER NOT NULL DEFAULT 0,
                 status TEXT NOT NULL DEFAULT 'open',
                 reason TEXT NOT NULL DEFAULT '',
                 CHECK (picked + short_qty <= qty),
                 PRIMARY KEY (batch_id, stop_id)))",
            "CREATE INDEX stops_slot ON stops(sku, location, lot, status)",
            R"(CREATE TABLE stop_puts(
                 batch_id INTEGER NOT NULL,
                 stop_id INTEGER NOT NULL,
                 tote INTEGER NOT NULL,
                 order_id INTEGER NOT NULL,
                 line_no INTEGER NOT NULL,
                 qty INTEGER NOT NULL CHECK (qty > 0),
                 picked INTEGER NOT NULL DEFAULT 0 CHECK (picked >= 0 AND picked <= qty),
                 PRIMARY KEY (batch_id, stop_id, tote, order_id, line_no)))",
            // The pool of physical totes. batch_id 0: free.
            R"(CREATE TABLE totes(
                 code TEXT PRIMARY KEY,
                 batch_id INTEGER NOT NULL DEFAULT 0))",
        }},
       {2,
        "a tote is bound to one batch at a time, in the schema; finding a wave's orders by batch",
        {
            // freed_at: when the tote left the batch (0 while bound to it).
            "ALTER TABLE batch_totes ADD COLUMN freed_at INTEGER NOT NULL DEFAULT 0",
            // Bindings the pool no longer held were freed before the column existed.
            "UPDATE batch_totes SET freed_at = 1 WHERE NOT EXISTS (SELECT 1 FROM totes t WHERE t.code = "
            "batch_totes.tote AND t.batch_id = batch_totes.batch_id)",
            "CREATE UNIQUE INDEX batch_totes_bound ON batch_totes(tote) WHERE freed_at = 0",
            // A cart takes only a tote the pool gave to its batch...
            R"(CREATE TRIGGER batch_totes_from_pool BEFORE INSERT ON batch_totes
                 WHEN NEW.freed_at = 0 AND (SELECT batch_id FROM totes WHERE code = NEW.tote) IS NOT NEW.batch_id
                 BEGIN SELECT RAISE(ABORT, 'tote is not given to this batch by the pool'); END)",
            // ...and the pool neither frees nor hands on a tote still on a batch.
            R"(CREATE TRIGGER totes_stay_with_their_batch BEFORE UPDATE OF batch_id ON totes
                 WHEN EXISTS (SELECT 1 FROM batch_totes WHERE tote = NEW.code AND freed_at = 0
                              AND batch_id <> NEW.batch_id)
                 BEGIN SELECT RAISE(ABORT, 'tote is still bound to another batch'); END)",
            "CREATE INDEX wave_orders_batch ON wave_orders(batch_id)",
        }}}};
  return schema;
}

std::int64_t WaveTables::insertWave(const WaveRow& w) {
  store::Query q(tx_,
                 "INSERT INTO waves(name, site, status, trigger, reason, carrier, cutoff_ms, method, released_at, "
                 "orders, lines, units, batches, planned_mm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "RETURNING id");
  q.bind(w.name).bind(w.site).bind(std::string(toString(w.status))).bind(w.trigger).bind(w.reason).bind(w.carrier);
  q.bind(I(w.cutoffMs)).bind(w.method).bind(I(w.releasedAtMs)).bind(I(w.orders)).bind(I(w.lines));
  q.bind(I(w.units)).bind(I(w.batches)).bind(I(w.plannedMm));
  I id = 0;
  if (q.step()) {
    id = q.integer(0);
    q.run();  // finish the statement: RETURNING completes the insert on the last step
  }
  return id;
}

std::optional<WaveStatus> waveStatusFrom(std::string_view name) noexcept {
  for (auto s : {WaveStatus::Released, WaveStatus::Picking, WaveStatus::Done, WaveStatus::Cancelled})
    if (name == toString(s)) return s;
  return std::nullopt;
}

std::optional<BatchStatus> batchStatusFrom(std::string_view name) noexcept {
  for (auto s : {BatchStatus::Ready, BatchStatus::Assigned, BatchStatus::Done, BatchStatus::Cancelled})
    if (name == toString(s)) return s;
  return std::nullopt;
}

std::optional<StopStatus> stopStatusFrom(std::string_view name) noexcept {
  for (auto s : {StopStatus::Open, StopStatus::Picked, StopStatus::Short, StopStatus::Removed})
    if (name == toString(s)) return s;
  return std::nullopt;
}

namespace {
// Only this file writes the status columns, from the enums; a value it does
// not know means the database was edited by hand (the transaction fails with
// this message rather than guessing).
template <class Status>
Status storedStatus(std::optional<Status> status, const char* column, const std::string& text) {
  if (!status) throw std::runtime_error(std::string(column) + " holds an unknown status '" + text + "'");
  return *status;
}
WaveStatus storedWaveStatus(const std::string& t) { return storedStatus(waveStatusFrom(t), "waves.status", t); }
BatchStatus storedBatchStatus(const std::string& t) { return storedStatus(batchStatusFrom(t), "batches.status", t); }
StopStatus storedStopStatus(const std::string& t) { return storedStatus(stopStatusFrom(t), "stops.status", t); }

const char* kWaveCols =
    "id, name, site, status, trigger, reason, carrier, cutoff_ms, method, released_at, finished_at, orders, lines, "
    "units, batches, planned_mm";

std::vector<WaveRow> readWaves(store::Tx& tx, const std::string& where, const std::vector<std::string>& texts,
                               const std::vector<I>& ints) {
  store::Query q(tx, std::string("SELECT ") + kWaveCols + " FROM waves " + where);
  for (const auto& t : texts) q.bind(t);
  for (const auto& i : ints) q.bind(i);
  std::vector<WaveRow> out;
  while (q.step())
    out.push_back({q.integer(0), q.text(1), q.text(2), storedWaveStatus(q.text(3)), q.text(4), q.text(5), q.text(6),
                   q.integer(7), q.text(8), q.integer(9), q.integer(10), q.integer(11), q.integer(12),
                   q.integer(13), q.integer(14), q.integer(15)});
  return out;
}

const char* kBatchCols =
    "id, wave_id, number, status, device, badge, rev, zone, totes, units, planned_mm, oversize, assigned_at, "
    "finished_at";

std::vector<BatchRow> readBatches(store::Tx& tx, const std::string& where,
                                  const std::vector<std::string>& texts, const std::vector<I>& ints) {
  store::Query q(tx, std::string("SELECT ") + kBatchCols + " FROM batches " + where);
  for (const auto& t : texts) q.bind(t);
  for (const auto& i : ints) q.bind(i);
  std::vector<BatchRow> out;
  while (q.step())
    out.push_back({q.integer(0), q.integer(1), static_cast<int>(q.integer(2)), storedBatchStatus(q.text(3)), q.text(4),
                   q.text(5), static_cast<int>(q.integer(6)), q.text(7), static_cast<int>(q.integer(8)),
                   q.integer(9), q.integer(10), q.integer(11) != 0, q.integer(12), q.integer(13)});
  return out;
}
}  // namespace

std::optional<WaveRow> WaveTables::wave(std::int64_t id) {
  auto rows = readWaves(tx_, "WHERE id = ?", {}, {I(id)});
  if (rows.empty()) return std::nullopt;
  return rows[0];
}

std::vector<WaveRow> WaveTables::waves(std::optional<WaveStatus> filter, std::int64_t beforeId, int limit) {
  const std::string status = filter ? toString(*filter) : "";
  return readWaves(tx_, "WHERE (? = '' OR status = ?) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
                   {status, status}, {I(beforeId), I(beforeId), I(limit)});
}

void WaveTables::setWaveStatus(std::int64_t id, WaveStatus to) {
  const std::string status = toString(to);
  store::exec(tx_,
              "UPDATE waves SET status = ?, finished_at = CASE WHEN ? IN ('done', 'cancelled') THEN ? ELSE "
              "finished_at END "
              "WHERE id = ?",
              status, status, I(tx_.nowMs()), I(id));
}

void WaveTables::addWaveOrder(std::int64_t waveId, std::int64_t orderId, std::int64_t batchId) {
  store::exec(tx_, "INSERT INTO wave_orders(wave_id, order_id, batch_id) VALUES (?, ?, ?)", I(waveId),
              I(orderId), I(batchId));
}

std::vector<std::int64_t> WaveTables::waveOrders(std::int64_t waveId) {
  store::Query q(tx_, "SELECT order_id FROM wave_orders WHERE wave_id = ? ORDER BY order_id");
  q.bind(waveId);
  std::vector<std::int64_t> out;
  while (q.step()) out.push_back(q.integer(0));
  return out;
}

std::int64_t WaveTables::insertBatch(const BatchRow& b) {
  store::Query q(tx_,
                 "INSERT INTO batches(wave_id, number, status, zone, totes, units, planned_mm, oversize) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.bind(I(b.waveId)).bind(I(b.number)).bind(std::string(toString(b.status))).bind(b.zone).bind(I(b.totes)).bind(I(b.units));
  q.bind(I(b.plannedMm)).bind(I(b.oversize ? 1 : 0));
  I id = 0;
  if (q.step()) {
    id = q.integer(0);
    q.run();  // finish the statement: RETURNING completes the insert on the last step
  }
  return id;
}

std::optional<BatchRow> WaveTables::batch(std::int64_t id) {
  auto rows = readBatches(tx_, "WHERE id = ?", {}, {I(id)});
  if (rows.empty()) return std::nullopt;
  return rows[0];
}

std::vector<BatchRow> WaveTables::batches(std::int64_t waveId, std::optional<BatchStatus> filter, int limit) {
  const std::string status = filter ? toString(*filter) : "";
  return readBatches(
      tx_, "WHERE (? = '' OR status = ?) AND (? = 0 OR wave_id = ?) ORDER BY wave_id, number LIMIT ?",
      {status, status}, {I(waveId), I(waveId), I(limit)});
}

std::vector<BatchRow> WaveTables::batchesOfDevice(const std::string& device, BatchStatus status) {
  return readBatches(tx_, "WHERE device = ? AND status = ? ORDER BY id", {device, toString(status)}, {});
}

std::int64_t WaveTables::lastFinishedMs(const std::string& device) {
  return *store::queryInteger(
      tx_, "SELECT COALESCE(MAX(finished_at), 0) FROM batches WHERE device = ? AND status = 'done'", device);
}

void WaveTables::assignBatch(std::int64_t id, const std::string& device, const std::string& badge, int rev) {
  store::exec(tx_,
              "UPDATE batches SET device = ?, badge = ?, rev = ?, status = CASE WHEN ? = '' THEN 'ready' "
              "ELSE 'assigned' END, "
              "assigned_at = ? WHERE id = ?",
              device, badge, I(rev), device, I(device.empty() ? 0 : tx_.nowMs()), I(id));
}

void WaveTables::setBatchStatus(std::int64_t id, BatchStatus to) {
  const std::string status = toString(to);
  store::exec(tx_,
              "UPDATE batches SET status = ?, finished_at = CASE WHEN ? IN ('done', 'cancelled') THEN ? ELSE "
              "finished_at END "
              "WHERE id = ?",
              status, status, I(tx_.nowMs()), I(id));
}

void WaveTables::setBatchRev(std::int64_t id, int rev) {
  store::exec(tx_, "UPDATE batches SET rev = ? WHERE id = ?", I(rev), I(id));
}

void WaveTables::insertTote(const ToteRow& t) {
  store::exec(tx_, "INSERT INTO batch_totes(batch_id, number, tote, order_id) VALUES (?, ?, ?, ?)",
              I(t.batchId), I(t.number), t.tote, I(t.orderId));
}

std::vector<ToteRow> WaveTables::totes(std::int64_t batchId) {
  store::Query q(tx_, "SELECT number, tote, order_id, freed_at FROM batch_totes WHERE batch_id = ? ORDER BY number");
  q.bind(batchId);
  std::vector<ToteRow> out;
  while (q.step()) out.push_back({batchId, static_cast<int>(q.integer(0)), q.text(1), q.integer(2), q.integer(3) == 0});
  return out;
}

std::vector<std::int64_t> WaveTables::openBatchesOfOrder(std::int64_t orderId) {
  store::Query q(tx_,
                 "SELECT DISTINCT w.batch_id FROM wave_orders w JOIN batches b ON b.id = w.batch_id "
                 "WHERE w.order_id = ? AND b.status IN ('ready', 'assigned') ORDER BY w.batch_id");
  q.bind(orderId);
  std::vector<std::int64_t> out;
  while (q.step()) out.push_back(q.integer(0));
  return out;
}

std::optional<std::int64_t> WaveTables::latestBatchOfOrder(std::int64_t orderId) {
  return store::queryInteger(tx_, "SELECT batch_id FROM wave_orders WHERE order_id = ? ORDER BY wave_id DESC LIMIT 1",
                             I(orderId));
}

int WaveTables::openStopCount(std::int64_t batchId) {
  return static_cast<int>(
      *store::queryInteger(tx_, "SELECT COUNT(*) FROM stops WHERE batch_id = ? AND status = 'open'", I(batchId)));
}

void WaveTables::insertStop(const StopRow& st) {
  store::exec(tx_,
              "INSERT INTO stops(batch_id, stop_id, seq, location, sku, lot, expiry, qty, picked, short_qty, "
              "status, reason) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              I(st.batchId), I(st.stopId), I(st.seq), st.location, st.sku, st.lot, st.expiry, I(st.qty),
              I(st.picked), I(st.shortQty), std::string(toString(st.status)), st.reason);
  for (const auto& p : st.puts)
    store::exec(tx_,
                "INSERT INTO stop_puts(batch_id, stop_id, tote, order_id, line_no, qty, picked) VALUES (?, "
                "?, ?, ?, ?, ?, ?)",
                I(st.batchId), I(st.stopId), I(p.tote), I(p.orderId), I(p.lineNo), I(p.qty), I(p.picked));
}

std::vector<StopRow> WaveTables::stops(std::int64_t batchId) {
  std::vector<StopRow> out;
  {
    store::Query q(tx_,
                   "SELECT stop_id, seq, location, sku, lot, expiry, qty, picked, short_qty, status, reason FROM stops "
                   "WHERE batch_id = ? ORDER BY seq, stop_id");
    q.bind(batchId);
    while (q.step())
      out.push_back({batchId, static_cast<int>(q.integer(0)), static_cast<int>(q.integer(1)), q.text(2), q.text(3),
                     q.text(4), q.text(5), q.integer(6), q.integer(7), q.integer(8), storedStopStatus(q.text(9)), q.text(10), {}});
  }
  store::Query puts(tx_,
                    "SELECT stop_id, tote, order_id, line_no, qty, picked FROM stop_puts WHERE batch_id = ? "
                    "ORDER BY stop_id, tote, order_id, line_no");
  puts.bind(batchId);
  while (puts.step()) {
    const I stopId = puts.integer(0);
    for (auto& st : out) {
      if (st.stopId == stopId) {
        st.puts.push_back({static_cast<int>(puts.integer(1)), puts.integer(2), static_cast<int>(puts.integer(3)),
                           puts.integer(4), puts.integer(5)});
        break;
      }
    }
  }
  return out;
}

std::optional<StopRow> WaveTables::stop(std::int64_t batchId, int stopId) {
  // One stop and its puts (the hot path of every pick confirmation).
  store::Query q(tx_,
                 "SELECT seq, location, sku, lot, expiry, qty, picked, short_qty, status, reason FROM stops "
                 "WHERE batch_id = ? AND stop_id = ?");
  q.bind(batchId).bind(stopId);
  if (!q.step()) return std::nullopt;
  StopRow row{batchId,
              stopId,
              static_cast<int>(q.integer(0)),
              q.text(1),
              q.text(2),
              q.text(3),
              q.text(4),
              q.integer(5),
              q.integer(6),
              q.integer(7),
              storedStopStatus(q.text(8)),
              q.text(9),
              {}};
  store::Query puts(
      tx_,
      "SELECT tote, order_id, line_no, qty, picked FROM stop_puts WHERE batch_id = ? AND stop_id = ? "
      "ORDER BY tote, order_id, line_no");
  puts.bind(batchId).bind(stopId);
  while (puts.step())
    row.puts.push_back({static_cast<int>(puts.integer(0)), puts.integer(1), static_cast<int>(puts.integer(2)),
                        puts.integer(3), puts.integer(4)});
  return row;
}

void WaveTables::setStopDone(std::int64_t batchId, int stopId, std::int64_t picked, std::int64_t shortQty,
                             StopStatus status, const std::string& reason) {
  store::exec(
      tx_,
      "UPDATE stops SET picked = ?, short_qty = ?, status = ?, reason = ? WHERE batch_id = ? AND stop_id = ?",
      I(picked), I(shortQty), std::string(toString(status)), reason, I(batchId), I(stopId));
}

void WaveTables::setPutPicked(std::int64_t batchId, int stopId, int tote, std::int64_t orderId, int lineNo,
                              std::int64_t picked) {
  store::exec(
      tx_,
      "UPDATE stop_puts SET picked = ? WHERE batch_id = ? AND stop_id = ? AND tote = ? AND order_id = ? AND "
      "line_no = ?",
      I(picked), I(batchId), I(stopId), I(tote), I(orderId), I(lineNo));
}

std::int64_t WaveTables::plannedOpen(const std::string& sku, const std::string& location, const std::string& lot) {
  return store::queryInteger(tx_,
                             "SELECT COALESCE(SUM(s.qty - s.picked - s.short_qty), 0) FROM stops s "
                             "JOIN batches b ON b.id = s.batch_id WHERE s.sku = ? AND s.location = ? AND s.lot = ? "
                             "AND s.status = 'open' AND b.status IN ('ready', 'assigned')",
                             sku, location, lot)
      .value_or(0);
}

std::vector<std::pair<std::string, std::int64_t>> WaveTables::plannedOpenAll() {
  store::Query q(tx_,
                 "SELECT s.sku || '|' || s.location || '|' || s.lot, SUM(s.qty - s.picked - s.short_qty) "
                 "FROM stops s JOIN batches b ON b.id = s.batch_id WHERE s.status = 'open' AND "
                 "b.status IN ('ready', 'assigned') GROUP BY s.sku, s.location, s.lot");
  std::vector<std::pair<std::string, std::int64_t>> out;
  while (q.step()) out.emplace_back(q.text(0), q.integer(1));
  return out;
}

int WaveTables::maxStopId(std::int64_t batchId) {
  return static_cast<int>(
      store::queryInteger(tx_, "SELECT COALESCE(MAX(stop_id), 0) FROM stops WHERE batch_id = ?", I(batchId))
          .value_or(0));
}

void WaveTables::ensureTotePool(int size) {
  const I have = store::queryInteger(tx_, "SELECT COUNT(*) FROM totes").value_or(0);
  for (I i = have + 1; i <= size; ++i) {
    char code[32];
    std::snprintf(code, sizeof code, "T-%04d", static_cast<int>(i));
    store::exec(tx_, "INSERT INTO totes(code, batch_id) VALUES (?, 0)", std::string(code));
    // Each tote is also a location that holds the units picked into it.
    store::exec(tx_,
                "INSERT INTO locations(code, zone, kind, created_at) VALUES (?, 'TOTES', 'tote', ?) "
                "ON CONFLICT(code) DO NOTHING",
                stock::toteLocation(code), I(tx_.nowMs()));
  }
}

int WaveTables::releaseFinishedTotes() {
  std::vector<std::string> codes;
  {
    store::Query q(tx_,
                   "SELECT bt.tote FROM batch_totes bt JOIN batches b ON b.id = bt.batch_id "
                   "WHERE bt.freed_at = 0 AND b.status IN ('done', 'cancelled') AND NOT EXISTS "
                   "(SELECT 1 FROM stock s WHERE s.location = 'TOTE-' || bt.tote AND s.qty > 0)");
    while (q.step()) codes.push_back(q.text(0));
  }
  for (const auto& code : codes) freeTote(code);
  return static_cast<int>(codes.size());
}

std::vector<std::string> WaveTables::takeFreeTotes(int count, std::int64_t batchId) {
  std::vector<std::string> codes;
  {
    store::Query q(tx_,
                   "SELECT code FROM totes WHERE batch_id = 0 AND NOT EXISTS (SELECT 1 FROM stock WHERE location = "
                   "'TOTE-' || totes.code AND qty > 0) ORDER BY code LIMIT ?");
    q.bind(count);
    while (q.step()) codes.push_back(q.text(0));
  }
  if (static_cast<int>(codes.size()) < count) return {};
  for (const auto& c : codes) store::exec(tx_, "UPDATE totes SET batch_id = ? WHERE code = ?", I(batchId), c);
  return codes;
}

void WaveTables::freeTote(const std::string& tote) {
  // The binding first: the schema refuses a pool tote freed while still bound.
  store::exec(tx_, "UPDATE batch_totes SET freed_at = ? WHERE tote = ? AND freed_at = 0", I(tx_.nowMs()), tote);
  store::exec(tx_, "UPDATE totes SET batch_id = 0 WHERE code = ?", tote);
}

std::int64_t WaveTables::freeToteCount() {
  return *store::queryInteger(
      tx_,
      "SELECT COUNT(*) FROM totes WHERE batch_id = 0 AND NOT EXISTS (SELECT 1 FROM stock WHERE location = 'TOTE-' "
      "|| totes.code AND qty > 0)");
}

bool WaveTables::toteHoldsStock(const std::string& tote) {
  return store::queryInteger(tx_, "SELECT 1 FROM stock WHERE location = ? AND qty > 0 LIMIT 1", stock::toteLocation(tote))
      .has_value();
}

std::int64_t WaveTables::totePoolSize() { return *store::queryInteger(tx_, "SELECT COUNT(*) FROM totes"); }

std::pair<std::int64_t, std::int64_t> WaveTables::recentPicks(std::int64_t sinceMs) {
  store::Query q(tx_,
                 "SELECT COALESCE(SUM(s.picked), 0), COUNT(DISTINCT b.badge) FROM stops s JOIN batches b ON "
                 "b.id = s.batch_id WHERE b.assigned_at >= ? AND s.picked > 0");
  q.bind(I(sinceMs));
  I units = 0, pickers = 0;
  if (q.step()) {
    units = q.integer(0);
    pickers = q.integer(1);
  }
  return {units, pickers};
}

std::int64_t WaveTables::backlogUnits() {
  return store::queryInteger(tx_,
                             "SELECT COALESCE(SUM(s.qty - s.picked - s.short_qty), 0) FROM stops s JOIN batches b ON "
                             "b.id = s.batch_id WHERE s.status = 'open' AND b.status IN ('ready', 'assigned')")
      .value_or(0);
}

}  // namespace wms::server::waves
