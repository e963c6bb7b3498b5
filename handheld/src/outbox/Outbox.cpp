#include "wms/handheld/Outbox.h"

#include <system_error>

#include "Sqlite.h"
#include "wms/protocol/Codec.h"
#include "wms/protocol/EventIds.h"
#include "wms/protocol/Topics.h"

namespace wms::handheld {
namespace {

constexpr std::string_view kSchema = "wms-handheld-outbox/1";


Error unusable(std::string why) { return makeError(ErrorKind::Malformed, "unusable: " + std::move(why)); }
bool isUnusable(const Error& e) {
  return sqlite::isCorruption(e) || (e.kind == ErrorKind::Malformed && e.message.rfind("unusable: ", 0) == 0);
}

Result<std::string> single(sqlite::Db& db, const std::string& sql) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::string();
  return st->text(0);
}

}  // namespace

Outbox::Outbox() : db_(std::make_unique<sqlite::Db>()) {}
Outbox::~Outbox() = default;

Result<std::unique_ptr<Outbox>> Outbox::open(const std::filesystem::path& file, const std::string& device,
                                             std::int64_t nowMs) {
  if (!protocol::isValidDeviceId(device))
    throw std::invalid_argument("Outbox::open: '" + device + "' is not a valid device id");
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return makeError(ErrorKind::Unavailable, "cannot create the folder of outbox " + file.string() + ": " + ec.message());

  std::unique_ptr<Outbox> box(new Outbox());
  box->file_ = file;
  box->device_ = device;
  auto first = box->prepareSchema(nowMs);
  if (first) return box;
  if (!isUnusable(first.error())) return first.error();

  // The file is damaged or not ours: keep it for a look later, start afresh.
  box->db_->close();
  const std::string why = first.error().message.rfind("unusable: ", 0) == 0 ? first.error().message.substr(10)
                                                                            : first.error().message;
  const std::filesystem::path moved = file.string() + ".corrupt-" + std::to_string(nowMs);
  std::filesystem::rename(file, moved, ec);
  if (ec) return makeError(ErrorKind::Unavailable, "outbox " + file.string() + " is unusable (" + why +
                                                       ") and cannot be moved aside: " + ec.message());
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::filesystem::path side = file.string() + suffix;
    if (std::filesystem::exists(side, ec)) std::filesystem::rename(side, moved.string() + suffix, ec);
  }
  box->report_.recovered = true;
  box->report_.movedTo = moved;
  box->report_.message = "outbox " + file.filename().string() + " was unusable (" + why + "); moved to " +
                         moved.filename().string() + ", started a fresh one";
  auto second = box->prepareSchema(nowMs);
  if (!second) return makeError(ErrorKind::Unavailable, "cannot start a fresh outbox " + file.string() + ": " +
                                                            second.error().message);
  return box;
}

Status Outbox::prepareSchema(std::int64_t nowMs) {
  auto db = sqlite::Db::open(file_, true);
  if (!db) return db.error();
  *db_ = std::move(db).value();
  // The first statements read the file's header and pages: a file that is
  // not a database or is damaged fails here.
  if (auto st = db_->exec("PRAGMA journal_mode=WAL"); !st) return st;
  if (auto st = db_->exec("PRAGMA synchronous=FULL"); !st) return st;
  auto check = single(*db_, "PRAGMA quick_check");
  if (!check) return check.error();
  if (*check != "ok") return unusable("integrity check: " + check->substr(0, 120));

  auto tables = db_->prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  if (!tables) return tables.error();
  std::vector<std::string> names;
  for (;;) {
    auto row = tables->step();
    if (!row) return row.error();
    if (!*row) break;
    names.push_back(tables->text(0));
  }
  if (names.empty()) {
    protocol::EventIdGenerator fresh;  // a random session for this file's life
    if (auto st = db_->exec("BEGIN IMMEDIATE"); !st) return st;
    auto st = db_->exec(
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE events(seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
        " topic TEXT NOT NULL, payload TEXT NOT NULL, created_ms INTEGER NOT NULL);"
        "CREATE TABLE state(key TEXT PRIMARY KEY, value TEXT NOT NULL);");
    if (st) {
      auto ins = db_->prepare("INSERT INTO meta(key, value) VALUES (?, ?)");
      if (!ins) st = ins.error();
      for (auto [k, v] : {std::pair<std::string, std::string>{"schema", std::string(kSchema)},
                          {"device", device_},
                          {"session", fresh.session()},
                          {"next_seq", "1"},
                          {"created_ms", std::to_string(nowMs)}}) {
        if (!st) break;
        ins->bind(1, k).bind(2, v);
        st = ins->run();
        ins->reset();
      }
    }
    if (st) st = db_->exec("COMMIT");
    if (!st) {
      (void)db_->exec("ROLLBACK");
      return st;
    }
  } else if (names != std::vector<std::string>{"events", "meta", "state"}) {
    return unusable("not a handheld outbox (tables: " + names.front() + (names.size() > 1 ? ", ..." : "") + ")");
  }

  auto schema = single(*db_, "SELECT value FROM meta WHERE key = 'schema'");
  if (!schema) return schema.error();
  if (*schema != kSchema) return unusable("unknown outbox schema '" + schema->substr(0, 40) + "'");
  auto owner = single(*db_, "SELECT value FROM meta WHERE key = 'device'");
  if (!owner) return owner.error();
  if (*owner != device_)
    return makeError(ErrorKind::Conflict, "outbox " + file_.string() + " belongs to device " + owner->substr(0, 64) +
                                              ", not " + device_);
  auto session = single(*db_, "SELECT value FROM meta WHERE key = 'session'");
  if (!session) return session.error();
  auto seq = single(*db_, "SELECT value FROM meta WHERE key = 'next_seq'");
  if (!seq) return seq.error();
  try {
    protocol::EventIdGenerator probe(*session);
    (void)probe;
  } catch (const std::exception&) {
    return unusable("its event id session is not valid");
  }
  std::int64_t next = 0;
  for (char c : *seq) {
    if (c < '0' || c > '9' || next > 1'000'000'000'000'000) return unusable("its event counter is not a number");
    next = next * 10 + (c - '0');
  }
  if (seq->empty() || next < 1) return unusable("its event counter is not a number");
  session_ = *session;
  nextSeq_ = next;
  auto count = single(*db_, "SELECT count(*) FROM events");
  if (!count) return count.error();
  pendingCount_ = static_cast<std::size_t>(std::stoull(count->empty() ? "0" : *count));
  return {};
}

Status Outbox::begin() { return db_->exec("BEGIN IMMEDIATE"); }
Status Outbox::commit() { return db_->exec("COMMIT"); }
void Outbox::rollback() { (void)db_->exec("ROLLBACK"); }

Result<std::vector<OutboxEvent>> Outbox::append(std::vector<protocol::Message> events,
                                                const std::vector<std::pair<std::string, std::string>>& state,
                                                std::int64_t nowMs) {
  std::vector<OutboxEvent> out;
  std::int64_t seq = nextSeq_;
  for (auto& m : events) {
    if (!protocol::eventIdOf(m))
      return makeError(ErrorKind::Invalid, "outbox: " + std::string(protocol::typeName(m)) + " is not an event");
    auto& base = protocol::baseOf(m);
    base.device = device_;
    base.ts = nowMs;
    std::visit(
        [&](auto& e) {
          if constexpr (std::is_base_of_v<protocol::EventBase, std::decay_t<decltype(e)>>)
            e.eventId = session_ + "-" + std::to_string(seq);
        },
        m);
    if (auto st = protocol::validate(m); !st)
      return makeError(ErrorKind::Invalid, "outbox: refusing an invalid event: " + st.error().message);
    OutboxEvent e;
    e.seq = seq++;
    e.eventId = *protocol::eventIdOf(m);
    e.type = std::string(protocol::typeName(m));
    e.topic = protocol::topicOf(m);
    e.payload = protocol::encode(m);
    e.createdMs = nowMs;
    out.push_back(std::move(e));
  }
  if (auto st = begin(); !st) return st.error();
  auto fail = [&](const Error& e) -> Result<std::vector<OutboxEvent>> {
    rollback();
    return e;
  };
  if (!out.empty()) {
    auto ins = db_->prepare(
        "INSERT INTO events(seq, event_id, type, topic, payload, created_ms) VALUES (?, ?, ?, ?, ?, ?)");
    if (!ins) return fail(ins.error());
    for (const auto& e : out) {
      ins->bind(1, e.seq).bind(2, e.eventId).bind(3, e.type).bind(4, e.topic).bind(5, e.payload).bind(6, e.createdMs);
      if (auto st = ins->run(); !st) return fail(st.error());
      ins->reset();
    }
    auto next = db_->prepare("UPDATE meta SET value = ? WHERE key = 'next_seq'");
    if (!next) return fail(next.error());
    next->bind(1, std::to_string(seq));
    if (auto st = next->run(); !st) return fail(st.error());
  }
  if (!state.empty()) {
    auto put = db_->prepare("INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!put) return fail(put.error());
    for (const auto& [k, v] : state) {
      put->bind(1, k).bind(2, v);
      if (auto st = put->run(); !st) return fail(st.error());
      put->reset();
    }
  }
  if (auto st = commit(); !st) return fail(st.error());
  nextSeq_ = seq;
  pendingCount_ += out.size();
  return out;
}

Result<std::vector<OutboxEvent>> Outbox::pending() {
  auto q = db_->prepare("SELECT seq, event_id, type, topic, payload, created_ms FROM events ORDER BY seq");
  if (!q) return q.error();
  std::vector<OutboxEvent> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({q->integer(0), q->text(1), q->text(2), q->text(3), q->text(4), q->integer(5)});
  }
  pendingCount_ = out.size();
  return out;
}

Result<std::optional<OutboxEvent>> Outbox::acknowledge(std::string_view eventId) {
  auto q = db_->prepare("SELECT seq, event_id, type, topic, payload, created_ms FROM events WHERE event_id = ?");
  if (!q) return q.error();
  q->bind(1, eventId);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<OutboxEvent>();
  OutboxEvent e{q->integer(0), q->text(1), q->text(2), q->text(3), q->text(4), q->integer(5)};
  q->reset();
  auto del = db_->prepare("DELETE FROM events WHERE seq = ?");
  if (!del) return del.error();
  del->bind(1, e.seq);
  if (auto st = del->run(); !st) return st.error();
  if (pendingCount_ > 0) --pendingCount_;
  return std::optional<OutboxEvent>(std::move(e));
}

Result<std::optional<std::string>> Outbox::loadState(const std::string& key) {
  auto q = db_->prepare("SELECT value FROM state WHERE key = ?");
  if (!q) return q.error();
  q->bind(1, key);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(q->text(0));
}

Status Outbox::clearState(const std::string& key) {
  auto q = db_->prepare("DELETE FROM state WHERE key = ?");
  if (!q) return q.error();
  q->bind(1, key);
  return q->run();
}

}  // namespace wms::handheld
