// Supervisor exceptions: things a person must look at (a short pick, an
// order held for an unknown channel SKU, a silent device, a failing printer).
// Valid only within the Tx it was built on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/store/Tx.h"

namespace wms::store {

struct SupervisorException {
  std::int64_t id = 0;
  std::int64_t atMs = 0;
  std::string kind;       // e.g. "short_pick", "unknown_channel_sku", "device_silent", "printer_failed"
  std::string reference;  // what it is about, e.g. "order:42", "device:hh-07"
  std::string message;    // for a person
  std::int64_t resolvedAtMs = 0;  // 0 while open
  std::string resolution;
};

class ExceptionRepository {
 public:
  explicit ExceptionRepository(Tx& tx) : tx_(tx) {}

  // Raises an exception; returns its id. An open exception of the same kind
  // and reference is not raised twice: its id is returned instead.
  std::int64_t raise(const std::string& kind, const std::string& reference, const std::string& message);
  // Open (unresolved) exceptions, or all with includeResolved, newest first.
  std::vector<SupervisorException> list(bool includeResolved, std::int64_t beforeId, int limit);
  // Resolves an open exception. NotFound if unknown; resolving twice changes nothing.
  Status resolve(std::int64_t id, const std::string& resolution);
  // Resolves the open exception of this kind and reference, if there is one
  // (the condition it reported is over); true if one was resolved.
  bool resolveOpen(const std::string& kind, const std::string& reference, const std::string& resolution);
  // The message of the open exception of this kind and reference, if any.
  std::optional<std::string> openMessage(const std::string& kind, const std::string& reference);
  // The references of the open exceptions of a kind, oldest first.
  std::vector<std::string> openReferences(const std::string& kind);
  // How many exceptions are open, per kind.
  std::vector<std::pair<std::string, std::int64_t>> openCounts();

 private:
  Tx& tx_;
};

}  // namespace wms::store
