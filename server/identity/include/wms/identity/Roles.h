// Roles: what a person or a machine account may do. Each route's entry in
// docs/security.md names the roles allowed on it; an account holds a set.
//
//   admin        accounts, tokens, settings, channels
//   supervisor   waves, exceptions, holds, count approvals, adjustments
//   packer       the packing station
//   picker       handheld sign-in only (no web page)
//   viewer       the dashboard, read-only
//   integration  machines: imports, a POS, a store's order intake, tools
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wms/common/Result.h"

namespace wms::identity {

enum class Role : std::uint8_t { Admin, Supervisor, Packer, Picker, Viewer, Integration };

inline constexpr Role kAllRoles[] = {Role::Admin,  Role::Supervisor, Role::Packer,
                                     Role::Picker, Role::Viewer,     Role::Integration};

const char* toString(Role role) noexcept;

// A set of roles, as a bit mask.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  static constexpr RoleSet of(Role r) { return RoleSet(static_cast<std::uint8_t>(1u << static_cast<int>(r))); }
  static RoleSet all();

  bool has(Role r) const { return (bits_ & of(r).bits_) != 0; }
  bool empty() const { return bits_ == 0; }
  bool intersects(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  bool within(RoleSet other) const { return (bits_ & ~other.bits_) == 0; }
  RoleSet operator|(RoleSet o) const { return RoleSet(static_cast<std::uint8_t>(bits_ | o.bits_)); }
  RoleSet operator&(RoleSet o) const { return RoleSet(static_cast<std::uint8_t>(bits_ & o.bits_)); }
  bool operator==(const RoleSet& o) const { return bits_ == o.bits_; }

  // "admin,supervisor": names in kAllRoles order, comma-separated.
  std::string text() const;

 private:
  constexpr explicit RoleSet(std::uint8_t bits) : bits_(bits) {}
  std::uint8_t bits_ = 0;
};

// Parses "supervisor, packer" (commas, optional spaces; at least one role);
// Invalid naming the unknown role.
Result<RoleSet> parseRoles(std::string_view text);

}  // namespace wms::identity
