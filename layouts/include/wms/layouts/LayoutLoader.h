// Reading layout files (JSON, format "wms-layout/1"; see docs/layouts.md).
//
// Layout files come from outside: every field is checked, unknown fields are
// errors (fields whose name starts with "_" are comments and ignored), and an
// error message names the offending element ("aisles[3].x: expected a number").
// Nothing here throws.
#pragma once

#include <filesystem>
#include <string_view>

#include "wms/common/Result.h"
#include "wms/layouts/Layout.h"
#include "wms/layouts/LayoutSpec.h"

namespace wms::layouts {

// Largest layout file accepted (bytes); larger input is a TooLarge error.
inline constexpr std::size_t kMaxLayoutFileBytes = 1 << 20;

// Parses the JSON text of a layout file into a spec (no geometry checks).
// Errors: Malformed (not JSON, nested too deeply), TooLarge, Invalid (missing
// field, wrong type, bad value).
Result<LayoutSpec> parseLayoutSpec(std::string_view text);

// parseLayoutSpec() followed by Layout::build().
Result<Layout> parseLayout(std::string_view text);

// Reads a file and parses it; errors name the file. NotFound if it cannot be read.
Result<Layout> loadLayout(const std::filesystem::path& path);

}  // namespace wms::layouts
