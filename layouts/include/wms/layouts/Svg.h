// SVG drawing of a layout, optionally with a route and a heat map of pick
// counts. Pure: returns the document text, does no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wms/layouts/Layout.h"
#include "wms/layouts/Router.h"

namespace wms::layouts {

// Pick counts per location; locations not listed count zero.
struct HeatEntry {
  LocationId location{};
  std::uint64_t picks = 0;
};

struct SvgOptions {
  const Route* route = nullptr;          // drawn over the layout when set (not owned)
  std::span<const HeatEntry> heat;       // colours bays by their pick counts when not empty
  double pixelsPerMetre = 12.0;          // scale of the drawing (> 0)
  bool labels = true;                    // aisle numbers, cross-aisle, zone and place names
};

// A standalone SVG 1.1 document (UTF-8) of the layout. Ids in `options` that are
// not from this layout throw std::out_of_range (a misuse).
std::string renderSvg(const Layout& layout, const SvgOptions& options = {});

}  // namespace wms::layouts
