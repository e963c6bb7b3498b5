// Small text helpers shared by the workflow state machines.
#pragma once

#include <string>
#include <string_view>

namespace wms::handheld::text {

// True for a protocol id: 1-64 printable ASCII characters without spaces.
bool isId(std::string_view s) noexcept;

// Scanned or received text made safe to show: control characters become
// '?', cut to `max` bytes (on a UTF-8 boundary) with "..." when longer.
std::string shown(std::string_view s, std::size_t max = 40);

// `s` without leading and trailing blanks (space, tab, CR, LF).
std::string_view trimmed(std::string_view s) noexcept;

bool startsWith(std::string_view s, std::string_view prefix) noexcept;

// "1 unit" / "3 units"
std::string units(int n);

}  // namespace wms::handheld::text
