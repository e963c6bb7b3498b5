// Outbox: the handheld's local SQLite file. Every event goes in here first
// (with its event id) and stays until the server acknowledges it; the
// workflow state (signed-in badge, the batch or order in hand) is saved in
// the same transaction as the events it produced, so a restarted app
// resumes where it was and resends exactly what was not acknowledged, with
// the same ids.
//
// Event ids are "<session>-<n>": the session is chosen when the file is
// created and kept in it with the counter, so ids never repeat for the
// file's life (protocol/EventIds.h).
//
// The file is outside input too: a file that is not a database, is
// corrupt, or has a schema this version does not know is moved aside
// (renamed to "<file>.corrupt-<ms>", with its -wal/-shm) and a fresh one is
// started; openReport() says what happened so the app can show it.
// Journal: WAL with synchronous=FULL (a confirmation that was accepted on
// the screen survives the battery running out).
//
// Threading: not thread-safe; one owner (the app's thread). Ownership: the
// Outbox owns its connection; it is closed by the destructor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wms/common/Result.h"
#include "wms/protocol/Messages.h"

namespace wms::handheld {

namespace sqlite {
class Db;
}

struct OutboxEvent {
  std::int64_t seq = 0;     // order of creation, 1..
  std::string eventId;
  std::string type;         // "pick.confirm"
  std::string topic;
  std::string payload;      // the JSON as first published; resent byte for byte
  std::int64_t createdMs = 0;
};

struct OutboxOpenReport {
  bool recovered = false;            // the file was unusable and was replaced
  std::filesystem::path movedTo;     // where the unusable file went
  std::string message;               // for the screen and the log, e.g. why
};

class Outbox {
 public:
  // Opens (or creates) the outbox of `device` at `file`. Errors: Conflict if
  // the file belongs to another device (nothing is moved); Unavailable if no
  // usable file can be made (the folder is missing or read-only, the disk is
  // full) - the message names the file.
  static Result<std::unique_ptr<Outbox>> open(const std::filesystem::path& file, const std::string& device,
                                              std::int64_t nowMs);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  const OutboxOpenReport& openReport() const noexcept { return report_; }
  const std::string& session() const noexcept { return session_; }
  const std::string& device() const noexcept { return device_; }
  const std::filesystem::path& file() const noexcept { return file_; }

  // In one transaction: gives each event its id, this device and `nowMs`,
  // encodes it, appends it; and saves the state entries given (key, text).
  // Returns the stored events in order. Errors: Invalid if an event is not
  // a valid device event (nothing is stored); Unavailable/Internal/Malformed
  // for SQLite failures (nothing is stored).
  Result<std::vector<OutboxEvent>> append(std::vector<protocol::Message> events,
                                          const std::vector<std::pair<std::string, std::string>>& state,
                                          std::int64_t nowMs);

  // The events not yet acknowledged, oldest first.
  Result<std::vector<OutboxEvent>> pending();
  // How many that is (kept in memory; cheap).
  std::size_t pendingCount() const noexcept { return pendingCount_; }

  // Forgets an acknowledged event and returns it; nullopt if it was not
  // pending (an ack of an unknown event, or a second ack).
  Result<std::optional<OutboxEvent>> acknowledge(std::string_view eventId);

  // A saved state entry; nullopt if there is none.
  Result<std::optional<std::string>> loadState(const std::string& key);
  Status clearState(const std::string& key);

 private:
  Outbox();
  Status prepareSchema(std::int64_t nowMs);
  Status begin();
  Status commit();
  void rollback();

  std::unique_ptr<sqlite::Db> db_;
  std::filesystem::path file_;
  std::string device_;
  std::string session_;
  std::int64_t nextSeq_ = 1;
  std::size_t pendingCount_ = 0;
  OutboxOpenReport report_;
};

}  // namespace wms::handheld
