#include "wms/store/ExceptionRepository.h"

#include <Poco/Data/Session.h>

#include "Sql.h"
#include "TxImpl.h"

using namespace Poco::Data::Keywords;

namespace wms::store {

std::int64_t ExceptionRepository::raise(const std::string& kind, const std::string& reference,
                                        const std::string& message) {
  auto& s = writeSession(tx_);
  std::vector<Poco::Int64> open;
  s << "SELECT id FROM exceptions WHERE kind = ? AND reference = ? AND resolved_at = 0", bind(kind), bind(reference),
      into(open), now;
  if (!open.empty()) return open[0];
  Poco::Int64 id = 0;
  s << "INSERT INTO exceptions(at, kind, reference, message) VALUES (?, ?, ?, ?) RETURNING id",
      bind(static_cast<Poco::Int64>(tx_.nowMs())), bind(kind), bind(reference), bind(message), into(id), now;
  return id;
}

std::vector<SupervisorException> ExceptionRepository::list(bool includeResolved, std::int64_t beforeId, int limit) {
  std::vector<Poco::Int64> ids, ats, resolvedAts;
  std::vector<std::string> kinds, refs, messages, resolutions;
  session(tx_) << "SELECT id, at, kind, reference, message, resolved_at, resolution FROM exceptions "
                  "WHERE (? = 1 OR resolved_at = 0) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
      bind(static_cast<Poco::Int64>(includeResolved ? 1 : 0)), bind(static_cast<Poco::Int64>(beforeId)),
      bind(static_cast<Poco::Int64>(beforeId)), bind(static_cast<Poco::Int64>(limit)), into(ids), into(ats),
      into(kinds), into(refs), into(messages), into(resolvedAts), into(resolutions), now;
  std::vector<SupervisorException> out;
  for (std::size_t i = 0; i < ids.size(); ++i)
    out.push_back({ids[i], ats[i], kinds[i], refs[i], messages[i], resolvedAts[i], resolutions[i]});
  return out;
}

Status ExceptionRepository::resolve(std::int64_t id, const std::string& resolution) {
  auto& s = writeSession(tx_);
  std::vector<Poco::Int64> resolved;
  s << "SELECT resolved_at FROM exceptions WHERE id = ?", bind(static_cast<Poco::Int64>(id)), into(resolved), now;
  if (resolved.empty()) return Error{ErrorKind::NotFound, "no exception " + std::to_string(id)};
  if (resolved[0] != 0) return {};
  sql::exec(tx_, "UPDATE exceptions SET resolved_at = ?, resolution = ? WHERE id = ?", tx_.nowMs(), resolution, id);
  return {};
}

bool ExceptionRepository::resolveOpen(const std::string& kind, const std::string& reference,
                                      const std::string& resolution) {
  return sql::exec(tx_,
                   "UPDATE exceptions SET resolved_at = ?, resolution = ? WHERE kind = ? AND reference = ? AND "
                   "resolved_at = 0",
                   tx_.nowMs(), resolution, kind, reference) > 0;
}

std::optional<std::string> ExceptionRepository::openMessage(const std::string& kind, const std::string& reference) {
  Query q(tx_, "SELECT message FROM exceptions WHERE kind = ? AND reference = ? AND resolved_at = 0 LIMIT 1");
  q.bind(kind).bind(reference);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::vector<std::string> ExceptionRepository::openReferences(const std::string& kind) {
  Query q(tx_, "SELECT reference FROM exceptions WHERE kind = ? AND resolved_at = 0 ORDER BY id");
  q.bind(kind);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> ExceptionRepository::openCounts() {
  Query q(tx_, "SELECT kind, COUNT(*) FROM exceptions WHERE resolved_at = 0 GROUP BY kind ORDER BY kind");
  std::vector<std::pair<std::string, std::int64_t>> out;
  while (q.step()) out.emplace_back(q.text(0), q.integer(1));
  return out;
}

}  // namespace wms::store
