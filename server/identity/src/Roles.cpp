#include "wms/identity/Roles.h"

namespace wms::identity {

const char* toString(Role role) noexcept {
  switch (role) {
    case Role::Admin: return "admin";
    case Role::Supervisor: return "supervisor";
    case Role::Packer: return "packer";
    case Role::Picker: return "picker";
    case Role::Viewer: return "viewer";
    case Role::Integration: return "integration";
  }
  return "?";
}

RoleSet RoleSet::all() {
  RoleSet s;
  for (Role r : kAllRoles) s = s | of(r);
  return s;
}

std::string RoleSet::text() const {
  std::string out;
  for (Role r : kAllRoles) {
    if (!has(r)) continue;
    if (!out.empty()) out += ',';
    out += toString(r);
  }
  return out;
}

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

Result<RoleSet> parseRoles(std::string_view text) {
  RoleSet out;
  while (true) {
    const auto comma = text.find(',');
    const auto name = trim(text.substr(0, comma));
    bool known = false;
    for (Role r : kAllRoles)
      if (name == toString(r)) {
        out = out | RoleSet::of(r);
        known = true;
      }
    if (!known) {
      std::string shown(name.substr(0, 40));
      return Error{ErrorKind::Invalid, name.empty() ? "a role name is empty"
                                                    : "unknown role '" + shown +
                                                          "' (admin, supervisor, packer, picker, viewer, integration)"};
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace wms::identity
