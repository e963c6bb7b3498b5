// The web pages compiled into wmsd (server/assets/dashboard, .../packing).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace wms::assets {

struct Asset {
  const char* path;           // relative to server/assets, e.g. "dashboard/index.html"
  const unsigned char* data;  // static storage, never freed
  std::size_t size;
  const char* contentType;
};

// The asset at `path`, if there is one.
std::optional<Asset> find(std::string_view path);

}  // namespace wms::assets
