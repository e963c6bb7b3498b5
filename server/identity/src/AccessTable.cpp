#include "wms/identity/AccessTable.h"

#include <stdexcept>

namespace wms::identity {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "| a | b | c |" -> {"a", "b", "c"}
std::vector<std::string_view> cells(std::string_view row) {
  std::vector<std::string_view> out;
  row = trim(row);
  if (row.empty() || row.front() != '|') return out;
  row.remove_prefix(1);
  if (!row.empty() && row.back() == '|') row.remove_suffix(1);
  while (true) {
    const auto bar = row.find('|');
    out.push_back(trim(row.substr(0, bar)));
    if (bar == std::string_view::npos) break;
    row.remove_prefix(bar + 1);
  }
  return out;
}

constexpr std::string_view kBegin = "<!-- access-table:begin -->";
constexpr std::string_view kEnd = "<!-- access-table:end -->";

}  // namespace

bool AccessEntry::allows(RoleSet held) const {
  switch (audience) {
    case Audience::SignedIn: return true;
    case Audience::Roles: return roles.intersects(held);
    case Audience::Public:
    case Audience::Webhook: return false;
  }
  return false;
}

std::string AccessEntry::who() const {
  switch (audience) {
    case Audience::Public: return "public";
    case Audience::Webhook: return "webhook";
    case Audience::SignedIn: return "signed-in";
    case Audience::Roles: return roles.text();
  }
  return {};
}

Result<AccessTable> AccessTable::parse(std::string_view document) {
  const auto begin = document.find(kBegin);
  const auto end = document.find(kEnd);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin)
    return Error{ErrorKind::Malformed, "the security document has no access table between " + std::string(kBegin) +
                                           " and " + std::string(kEnd)};
  int line = 1;
  for (std::size_t i = 0; i < begin; ++i) line += document[i] == '\n';
  std::string_view body = document.substr(begin, end - begin);
  AccessTable table;
  bool first = true;
  while (!body.empty()) {
    const auto nl = body.find('\n');
    const auto row = body.substr(0, nl);
    body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
    const int here = line++;
    if (first) {  // the marker's own line
      first = false;
      continue;
    }
    const auto c = cells(row);
    if (c.empty()) continue;  // prose or blank lines around the table
    auto bad = [here](const std::string& what) {
      return Error{ErrorKind::Malformed, "docs/security.md line " + std::to_string(here) + ": " + what};
    };
    if (c.size() != 3) return bad("an access row has three cells: method, route, who");
    if (c[0] == "Method" || c[0].find("---") != std::string_view::npos) continue;  // header and rule
    AccessEntry e;
    e.method = std::string(c[0]);
    if (e.method != "GET" && e.method != "POST" && e.method != "PUT" && e.method != "DELETE" && e.method != "PATCH")
      return bad("unknown method '" + e.method + "'");
    auto pattern = c[1];
    if (pattern.size() >= 2 && pattern.front() == '`' && pattern.back() == '`')
      pattern = pattern.substr(1, pattern.size() - 2);
    if (pattern.empty() || pattern.front() != '/') return bad("a route starts with '/'");
    e.pattern = std::string(pattern);
    const auto who = c[2];
    if (who == "public") e.audience = Audience::Public;
    else if (who == "webhook") e.audience = Audience::Webhook;
    else if (who == "signed-in") e.audience = Audience::SignedIn;
    else {
      auto roles = parseRoles(who);
      if (!roles) return bad(roles.error().message);
      e.audience = Audience::Roles;
      e.roles = *roles;
    }
    e.line = here;
    if (table.find(e.method, e.pattern)) return bad(e.method + " " + e.pattern + " is listed twice");
    table.entries_.push_back(std::move(e));
  }
  if (table.entries_.empty()) return Error{ErrorKind::Malformed, "the access table in docs/security.md is empty"};
  return table;
}

std::optional<int> AccessTable::find(std::string_view method, std::string_view pattern) const {
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].method == method && entries_[i].pattern == pattern) return static_cast<int>(i);
  return std::nullopt;
}

const AccessTable& builtInAccessTable() {
  // Parsed once; a table that does not parse is a build that must not run
  // (the access-table test fails first).
  static const AccessTable table = [] {
    auto t = AccessTable::parse(securityDocument());
    if (!t) throw std::logic_error(t.error().message);
    return std::move(*t);
  }();
  return table;
}

}  // namespace wms::identity
